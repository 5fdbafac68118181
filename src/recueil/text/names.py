"""Names of persons as printed in lists ("M. Jean-Claude LEROY, Mme Denise BOCQUILLET.")."""

from __future__ import annotations

import re

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


def name_key(name: str) -> str:
    """A key under which "Mireille HINGREZ CEREDA" and "Mireille HINGREZ-CÉRÉDA" are the same."""
    return fold(strip_civility(name))


def surname(name: str) -> str:
    """The part printed in capitals: "Jean-Claude LEROY" → "LEROY", "Alain DE CARRION" → "DE CARRION"."""
    words = strip_civility(name).split()
    caps = [w for w in words if w.upper() == w and any(c.isalpha() for c in w)]
    return " ".join(caps) if caps else (words[-1] if words else "")
