"""Read the sommaire of a recueil into its parts and its listed acts (title, section, page).

The sommaire is the only trace of most acts of a recueil (the President's arrêtés and décisions
are listed, not reproduced), so each entry becomes a `ListedAct` with its line range. The printed
layout is: parts ("1ère PARTIE"), sections ("♦ Voirie Départementale"), sub-headings
("- Autorisation et habilitation :", "• Enfance :"), entries ("- …" or "o …") that may wrap over
several lines and end with dot leaders and a page number, and page headers of the recueil that
interrupt it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from recueil.ingest.extract import Read
from recueil.ingest.segment import Block
from recueil.model import Body, ListedAct, Period, Source
from recueil.text.clean import fold, join_lines, squash
from recueil.text.dates import parse_date, parse_period

_PAGE_HEADER = re.compile(r"^Recueil des Actes Administratifs\b.*\d+\s*/\s*\d+$", re.IGNORECASE)
_PART = re.compile(r"^(\d+)\s*(?:ère|ere|re|er|ème|eme|e)\s+PARTIE$", re.IGNORECASE)
# Sub-heading marks by depth; symbol-font bullets come out of PDFs as private-use characters.
_SUBHEADING = re.compile(r"^(?P<mark>[\uf000-\uf0ff]|-|•)\s*(?P<text>.+?)\s*:$")
_ENTRY = re.compile(r"^[-o]\s+\S")
# First characters of the lines above (besides private-use bullets): others are plain text.
_MARKS = frozenset("0123456789♦-•o")
_LEADER_ENDS = ("..", "…")
_COLUMN_TITLE = re.compile(r"\s+Page$")
_NUMBERS = re.compile(r"N°\s*(?P<first>\d{4}-\d+)\s*à\s*N°\s*(?P<last>\d{4}-\d+)", re.IGNORECASE)

Kind = Literal["road_order", "decision", "order", "other"]

_ROAD_ORDER = re.compile(
    r"^(?P<roads>R\.?D\.?\s.+?)\s+au\s+territoire\s+d(?:e\s+la\s+commune|es\s+communes)\s+"
    r"d(?:e\s+|['’])(?P<communes>.+?)(?:\s[–—-]\s+(?P<object>.+))?$"
)
_ROAD_PREFIX = re.compile(r"^R\.?D\.?\s*")
# "D19E2", "D301G1", "901" (printed without its D); a D after the digits starts another road.
_ROAD_CODE = re.compile(r"D?(\d+(?:[A-CE-Z]\d*)?)")
_COMMUNE_SEPARATOR = re.compile(r"\s*,\s*(?:et\s+)?|\s+et\s+")


@dataclass
class SommairePart:
    """One part of a recueil ("2ème PARTIE"): a séance's deliberations or the executive's acts."""

    number: int
    label: str
    title: str
    body: Body | None
    sitting_date: str | None
    first_number: str | None
    last_number: str | None
    page: int | None


@dataclass
class Sommaire:
    """What a sommaire lists; `unread` holds the non-blank lines that were none of its items
    (cover notice, sidebar), so that a caller can check nothing listed was lost."""

    entries: list[ListedAct] = field(default_factory=list)
    parts: list[SommairePart] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)


@dataclass
class _OpenEntry:
    """An entry whose page number has not been read yet."""

    first_line: int
    last_line: int
    indent: int
    pieces: list[str] = field(default_factory=list)
    dotted: bool = False  # its last line ended with dot leaders: the page may follow alone


def _split_page(raw: str) -> tuple[str, int | None]:
    """Cut the dot leaders (or the wide gap of spaces) and the page number off an entry line.

    String methods rather than a regex: this runs on every line of the sommaire.
    """
    line = raw.rstrip()
    body = line.rstrip("0123456789")
    page = None
    if 0 < len(line) - len(body) <= 5:
        before = body.rstrip()
        if before.endswith(_LEADER_ENDS) or len(body) - len(before) >= 3:
            line, page = before, int(line[len(body) :])
    if line.endswith(_LEADER_ENDS):
        line = line.rstrip(". …")
    return line, page


def _stems(text: str) -> set[str]:
    return {word[:5] for word in fold(text).split() if len(word) > 2}


def _kind(group: Kind | None, section: str) -> Kind:
    if group == "order":
        return "road_order" if "VOIRIE" in fold(section) else "order"
    return group or "other"


def _road_fields(title: str) -> dict[str, Any]:
    """Roads, communes and object of "RD … au territoire de la commune de … – object"."""
    match = _ROAD_ORDER.match(title)
    if match is None:
        return {}
    roads = match["roads"]
    communes = match["communes"].strip(" –—-")
    codes = dict.fromkeys(
        "D" + code for code in _ROAD_CODE.findall(_ROAD_PREFIX.sub("", roads.upper()))
    )
    period = None
    if match["object"]:
        start, end = parse_period(match["object"])
        if start or end:
            period = Period(start, end)
    return {
        "roads": roads,
        "communes": communes,
        "object": match["object"],
        "period": period,
        "road_codes": list(codes),
        "commune_names": [name for name in _COMMUNE_SEPARATOR.split(communes) if name],
    }


class _Reader:
    """The state of a sommaire read line by line: current part, section, sub-headings, entry."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.result = Sommaire()
        self.part: SommairePart | None = None
        self.part_lines: list[str] | None = None  # the part's heading, until its first item
        self.group: Kind | None = None  # "decision" or "order", from the "♦ … du Président"
        self.section: str | None = None
        self.subheadings: list[tuple[int, str]] = []
        self.kind: Kind = "other"
        self.heading_open = False
        self.open: _OpenEntry | None = None

    def feed(self, number: int, raw: str) -> None:
        text = raw.strip()
        if not text:
            self.heading_open = False
            return
        first = text[0]
        if first in "Rr" and _PAGE_HEADER.match(text):
            return
        heading_open, self.heading_open = self.heading_open, False
        if (first in _MARKS or "\uf000" <= first <= "\uf0ff") and self._structure(
            number, raw, text
        ):
            return
        if self.open is not None:
            self._continue(number, raw)
        elif heading_open and self.section is not None:
            self.section += " " + squash(text)
            self.kind = _kind(self.group, self.section)
            self.heading_open = True
        elif self.part_lines is not None:
            self.part_lines.append(_COLUMN_TITLE.sub("", text))
        else:
            self.result.unread.append(number)

    def _structure(self, number: int, raw: str, text: str) -> bool:
        """Read a part, section, sub-heading or entry start; False when the line is none."""
        if text[0] == "♦":
            self._close()
            self._settle_part()
            self._start_section(squash(text[1:]))
            return True
        if match := _PART.match(text):
            self._close()
            self._start_part(int(match[1]), squash(text))
            return True
        # A marked line inside an open entry is a new item only if not indented under it.
        indent = len(raw) - len(raw.lstrip())
        if self.open is not None and indent > self.open.indent:
            return False
        if (match := _SUBHEADING.match(text)) and _split_page(raw)[1] is None:
            self._close()
            self._settle_part()
            self._subheading(match["mark"], squash(match["text"]))
        elif _ENTRY.match(text):
            self._close()
            self._settle_part()
            self.open = _OpenEntry(number, number, indent)
            self._continue(number, text[1:])
        else:
            return False
        return True

    def finish(self) -> Sommaire:
        self._close()
        self._settle_part()
        return self.result

    def _start_part(self, number: int, label: str) -> None:
        self._settle_part()
        self.part = SommairePart(number, label, "", None, None, None, None, None)
        self.result.parts.append(self.part)
        self.part_lines = []
        self.group = self.section = None
        self.subheadings = []
        self.kind = "other"

    def _settle_part(self) -> None:
        """Read the part's heading (body, séance date, deliberation numbers) once it is complete."""
        if self.part is None or self.part_lines is None:
            return
        title_lines = []
        for line in self.part_lines:
            if match := _NUMBERS.search(line):
                self.part.first_number, self.part.last_number = match["first"], match["last"]
            else:
                title_lines.append(line)
        self.part.title = join_lines(title_lines)
        key = fold(self.part.title)
        if "COMMISSION PERMANENTE" in key:
            self.part.body = "commission_permanente"
        elif "CONSEIL DEPARTEMENTAL" in key:
            self.part.body = "conseil_departemental"
        self.part.sitting_date = parse_date(self.part.title)
        self.part_lines = None

    def _start_section(self, title: str) -> None:
        key = fold(title)
        if key.startswith("DECISIONS DU PRESIDENT"):
            self.group = "decision"
        elif key.startswith("ARRETES DU PRESIDENT"):
            self.group = "order"
        self.section = title
        self.subheadings = []
        self.kind = _kind(self.group, title)
        self.heading_open = True

    def _subheading(self, mark: str, text: str) -> None:
        """Keep the path of sub-headings, dropping one that only restates the section's words."""
        depth = 0 if "\uf000" <= mark <= "\uf0ff" else 1 if mark == "-" else 2
        self.subheadings = [(d, t) for d, t in self.subheadings if d < depth]
        if self.section is None or not _stems(text) <= _stems(self.section):
            self.subheadings.append((depth, text))

    def _continue(self, number: int, raw: str) -> None:
        entry = self.open
        assert entry is not None
        text = raw.strip()
        if entry.dotted and text.isdecimal() and len(text) <= 5:
            page: int | None = int(text)
        else:
            piece, page = _split_page(raw)
            entry.pieces.append(piece)
            entry.dotted = page is None and len(piece) < len(raw.rstrip())
        entry.last_line = number
        if page is not None:
            self._close(page)

    def _close(self, page: int | None = None) -> None:
        """Turn the open entry into a ListedAct (without a page if the layout broke it off)."""
        entry, self.open = self.open, None
        if entry is None:
            return
        title = join_lines(entry.pieces)
        section = None
        if self.section is not None:
            section = " / ".join([self.section, *(text for _, text in self.subheadings)])
        act = ListedAct(
            kind=self.kind,
            part=self.part.label if self.part else None,
            section=section,
            title=title,
            page=page,
            source=Source(self.document, entry.first_line, entry.last_line),
            **(_road_fields(title) if self.kind == "road_order" else {}),
        )
        if self.part is not None and self.part.page is None:
            self.part.page = page
        self.result.entries.append(act)


def read_sommaire(lines: list[str], block: Block) -> Read[Sommaire]:
    """The parts and entries of the sommaire printed in the block (one `Sommaire`)."""
    reader = _Reader(block.document)
    for number in range(block.first, min(block.last, len(lines)) + 1):
        reader.feed(number, lines[number - 1])
    return Read([reader.finish()])
