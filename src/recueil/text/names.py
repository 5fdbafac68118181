"""Names of persons as printed in lists ("M. Jean-Claude LEROY, Mme Denise BOCQUILLET.")."""

from __future__ import annotations

import re
from functools import lru_cache

from recueil.text.clean import fold, squash

_CIVILITY = re.compile(r"^(?:M\.|Mme|Mlle|MM\.|Monsieur|Madame|Mademoiselle)\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|;|\bet\s+(?=(?:M\.|Mme|Monsieur|Madame)\s))\s*")


def strip_civility(name: str) -> str:
    """ "M. Jean-Claude LEROY" → "Jean-Claude LEROY"."""
    return _CIVILITY.sub("", squash(name)).strip()


def split_names(text: str) -> list[str]:
    """Split a printed list of persons into names without civility, in order."""
    names = []
    for part in _SEPARATORS.split(squash(text).rstrip(". ")):
        name = strip_civility(part).strip(" .")
        if name:
            names.append(name)
    return names


@lru_cache(maxsize=65536)  # asked for the same few hundred names at every vote of a sitting
def name_key(name: str) -> str:
    """A key under which "Mireille HINGREZ CEREDA" and "Mireille HINGREZ-CÉRÉDA" are the same."""
    return fold(strip_civility(name))


def surname(name: str) -> str:
    """The part printed in capitals: "Jean-Claude LEROY" → "LEROY", "Alain DE CARRION" → "DE CARRION"."""
    words = strip_civility(name).split()
    caps = [w for w in words if w.upper() == w and any(c.isalpha() for c in w)]
    return " ".join(caps) if caps else (words[-1] if words else "")


_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_LOWER = "a-zß-öø-ÿœ"
_GIVEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_CAPS = rf"[{_UPPER}][{_UPPER}'’\-]*[{_UPPER}]"
_SURNAME = rf"{_CAPS}(?:\s+{_CAPS})*(?![{_UPPER}{_LOWER}])"
_FULL_NAME = re.compile(rf"(?:{_GIVEN}\s+){{1,2}}{_SURNAME}")
_NAME_IN_PROSE = re.compile(rf"(?<![{_UPPER}{_LOWER}\-])({_GIVEN})\s+({_SURNAME})")
# Capitalised words that come before a surname in prose without being a given name.
_NOT_GIVEN = frozenset(
    """Monsieur Madame Mademoiselle Messieurs Mesdames Mme Mlle Le La Les Du Des Au Aux Et
    Président Présidente Directeur Directrice Ministre Maire Préfet Docteur Maître""".split()
)


def is_full_name(text: str) -> bool:
    """Whether text is a person as signed: given names, then the surname in capitals."""
    return _FULL_NAME.fullmatch(strip_civility(text)) is not None


def find_full_names(text: str) -> list[str]:
    """The "Prénom NOM" persons named in running text ("… à Benoît BARA, Directeur …")."""
    return [
        f"{given} {squash(family)}"
        for given, family in _NAME_IN_PROSE.findall(text)
        if given not in _NOT_GIVEN
    ]


_GROUP_PREFIX = re.compile(r"^(?:(?:le|du|au)\s+)?groupe\s+", re.IGNORECASE)
_GROUP_ABBREVIATIONS = {"RN": "Rassemblement National"}
_WORD = re.compile(r"[^\W\d_]+")
_SMALL_WORDS = frozenset("et de du des la le les pour à au aux en sur d l".split())


def group_name(text: str) -> str:
    """A political group as the vote blocks print it: "le groupe RN" → "Groupe Rassemblement
    National", "groupe socialiste, républicain et citoyen." → "Groupe Socialiste, Républicain
    et Citoyen"."""
    name = squash(text).strip(" .;:")
    rest = _GROUP_PREFIX.sub("", name)
    rest = _GROUP_ABBREVIATIONS.get(rest.upper(), rest)
    if rest.isupper():
        rest = rest.lower()
    titled = _WORD.sub(_capitalised, rest)
    return f"Groupe {titled}" if rest != name else titled


def _capitalised(word: re.Match[str]) -> str:
    """A word of a group name with its capital, the small words inside the name excepted."""
    text = word.group(0)
    if word.start() and text.lower() in _SMALL_WORDS:
        return text
    return text[0].upper() + text[1:]
