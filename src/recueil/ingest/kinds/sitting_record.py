"""A séance record: sommaire and ordre du jour, the procès-verbal (PREMIÈRE PARTIE), the vœux
(DEUXIÈME PARTIE), then the acts (TROISIÈME PARTIE) and a closing index."""

from __future__ import annotations

import re

from recueil.ingest.kinds import registry as kinds
from recueil.ingest.segment import Block
from recueil.text.dates import parse_date
from recueil.vocabulary import assembly

_HEADING = re.compile(r"PROC[ÈE]S-VERBAL DE S[ÉE]ANCE|Ordre du jour|S[ÉE]ANCE DU", re.I)
_TITLE = re.compile(r"(CONSEIL D[ÉE]PARTEMENTAL|COMMISSION PERMANENTE)\s+S[ÉE]ANCE DU\s+(\d{1,2}(?:er)?\s+\w+\s+\d{4})",
                    re.I)
_PART = re.compile(r"^\s*(PREMI[ÈE]RE|DEUXI[ÈE]ME|TROISI[ÈE]ME)\s+PARTIE\s*$")


def recognise(lines: list[str]) -> int:
    """SURE when the head names a séance of the Département's assemblies; only LIKELY on a
    generic heading ("Ordre du jour", "Séance du"), which a commune's minutes print too, unless
    the record is cut in its parts (PREMIÈRE PARTIE…)."""
    head = "\n".join(lines[:kinds.HEAD_LINES])
    if not _HEADING.search(head):
        return kinds.NOT_MINE
    if _TITLE.search(" ".join(head.split())) or _parts(lines):
        return kinds.SURE
    return kinds.LIKELY


def title(head: str) -> str | None:
    found = _TITLE.search(head)
    return f"{found.group(1).title()} — séance du {found.group(2).lower()}" if found else None


def sitting(head: str) -> tuple[str, str] | None:
    """Body and date of the séance, from "CONSEIL DÉPARTEMENTAL SÉANCE DU 22 SEPTEMBRE 2025"."""
    found = _TITLE.search(head)
    body = assembly(found.group(1)) if found else None
    day = parse_date(found.group(2)) if found else None
    return (body.body, day) if body and day else None


def _parts(lines: list[str]) -> dict[str, int]:
    """Line numbers of the PREMIÈRE/DEUXIÈME/TROISIÈME PARTIE headings."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines, 1):
        if "PARTIE" in line:
            m = _PART.match(line)
            if m and m.group(1)[:4].upper().replace("È", "E") not in found:
                found[m.group(1)[:4].upper().replace("È", "E")] = i
    return found


def front_matter(lines: list[str], last: int) -> list[Block]:
    parts = _parts(lines[:last])
    blocks = [Block("agenda", 1, parts.get("PREM", last + 1) - 1)]
    if "PREM" in parts:
        blocks.append(Block("transcript", parts["PREM"], parts.get("DEUX", parts.get("TROI", last + 1)) - 1))
    if "DEUX" in parts:
        blocks.append(Block("motions", parts["DEUX"], parts.get("TROI", last + 1) - 1))
    return blocks


SITTING_RECORD = kinds.register(kinds.Kind("sitting_record", recognise, title, front_matter, sitting=sitting))
