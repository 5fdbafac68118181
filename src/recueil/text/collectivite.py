"""The collectivité a publication names in its first lines: "Commune de Pierrefonds", "Ville de
Montpellier", "Communauté de Communes des Lisières de l'Oise", "Département du Pas-de-Calais".
A heading line (short, as a letterhead prints it) is preferred to a mention in a sentence."""

from __future__ import annotations

import re

from recueil.text.clean import fold

_KIND = (r"Conseil\s+d[ée]partemental|Conseil\s+r[ée]gional|Communauté\s+(?:de\s+communes|d['’]agglomération|urbaine)|Métropole|Syndicat(?:\s+mixte|\s+intercommunal)?"
         r"|Commune|Ville|Mairie|Département|Région")
_LINK = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’])"
_NAME_WORD = r"[A-ZÀ-ÝŒ][\w'’\-]*"
_SMALL = r"(?:de|du|des|la|le|les|l['’]|d['’]|en|sur|sous|et|aux?)"
_COLLECTIVITE = re.compile(
    rf"\b(?P<kind>(?i:{_KIND}))\s+(?P<link>(?i:{_LINK}))\s*"
    rf"(?P<name>{_NAME_WORD}(?:(?:\s+|(?<=['’]))(?:{_SMALL}\s*)*{_NAME_WORD})*)"
)
_HEADING = 70  # a line this short that names a collectivité is a letterhead


# The collectivité an assembly belongs to: "Conseil départemental du Pas-de-Calais" is the Département.
_OF_ASSEMBLY = {"CONSEIL DEPARTEMENTAL": "Département", "CONSEIL REGIONAL": "Région"}


def _named(found: re.Match[str]) -> str:
    kind, link = " ".join(found["kind"].split()), found["link"].lower()
    kind = _OF_ASSEMBLY.get(fold(kind), kind[:1].upper() + kind[1:].lower())
    spacer = "" if link.endswith(("'", "’")) else " "
    return " ".join(f"{kind} {link}{spacer}{found['name']}".split())


def collectivite_of(lines: list[str]) -> str | None:
    """The collectivité the first lines name: on a letterhead line, else in the text."""
    mentions = [(len(line.strip()) <= _HEADING, found) for line in lines
                for found in [_COLLECTIVITE.search(line)] if found]
    for heading, found in mentions:
        if heading:
            return _named(found)
    return _named(mentions[0][1]) if mentions else None
