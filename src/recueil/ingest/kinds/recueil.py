"""A recueil des actes administratifs: a sommaire, then the acts one after the other."""

from __future__ import annotations

import re

from recueil.ingest.kinds import registry as kinds
from recueil.ingest.segment import ACT_NUMBER, Block

_HEADING = re.compile(r"Recueil des Actes Administratifs", re.I)
_TITLE = re.compile(
    r"(Recueil des Actes Administratifs du D[ée]partement du [\w-]+)\s+(N°\s*\d+\s+de\s+\w+\s+\d{4})", re.I
)


def recognise(lines: list[str]) -> int:
    """Sure from its heading; likely for any text that prints a numbered act."""
    if _HEADING.search("\n".join(lines[:kinds.HEAD_LINES])):
        return kinds.SURE
    return kinds.LIKELY if any("N°" in line and ACT_NUMBER.match(line) for line in lines) else kinds.NOT_MINE


def title(head: str) -> str | None:
    found = _TITLE.search(head)
    return f"{found.group(1)} {found.group(2)}" if found else None


def front_matter(lines: list[str], last: int) -> list[Block]:
    return [Block("sommaire", 1, last)] if last >= 1 else []


RECUEIL = kinds.register(kinds.Kind("recueil", recognise, title, front_matter))
