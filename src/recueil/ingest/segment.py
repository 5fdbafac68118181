"""Cut a publication into blocks (line ranges) that one extractor each can read.

Each kind of publication (ingest/kinds/) reads its own front matter; the acts are shared. In the
two kinds of the Département's publications, each deliberation (header, attendance, title,
"(N°YYYY-NNN)", visas, dispositif, vote, signature) is followed by its annexes, then by its
rapport ("RAPPORT N°45") and the rapport's own annexes. A recueil opens with a sommaire; a séance
record opens with a sommaire and ordre du jour, then the procès-verbal (PREMIÈRE PARTIE), the vœux
(DEUXIEME PARTIE), the acts (TROISIEME PARTIE) and a closing index of the deliberations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from recueil.model import AgendaItem

ACT_NUMBER = re.compile(r"^\s*\(?\s*N°\s*(\d{4}-\d{1,4})\s*\)?\s*$")
REPORT_NUMBER = re.compile(r"^\s*RAPPORT\s+N°\s*(\d+)\b")
_ACT_HEADER = re.compile(
    r"^\s*(?:Envoi au contrôle de légalité|Accusé de réception en préfecture|Affichage le|"
    r"Date de télétransmission|Publication électronique)"
)
_DEPARTEMENT = re.compile(r"^\s*D[ÉE]PARTEMENT (?:DU|DE LA|DE L['’]|DES|DE|D['’])\s*[A-ZÀ-Ý'’ -]+\s*$")
_SIGNED = re.compile(r"^\s*Sign[ée]\s*$", re.IGNORECASE)
_INDEX = re.compile(r"Sommaire des délibérations", re.IGNORECASE)

# How far back from "(N°…)" an act header may start, and from "RAPPORT N°" its letterhead.
_ACT_HEADER_REACH = 120
_REPORT_HEADER_REACH = 14
_HEADER_GAP = 8


@dataclass
class Block:
    """Lines `first`..`last` (1-based, inclusive) of one kind of content; `document`, `sitting` and
    `agenda` are given by the pipeline to the extractors that need them (sources, speaking turns)."""

    kind: str
    first: int
    last: int
    number: str | None = None
    document: str = ""
    sitting: str | None = None
    agenda: list[AgendaItem] = field(default_factory=list)


@dataclass
class Segments:
    """Blocks of one document, in order; 1-based inclusive line numbers."""

    blocks: list[Block] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


def _act_start(lines: list[str], anchor: int, floor: int) -> int:
    """First line of the act numbered on line `anchor`: its transmission header, else its
    letterhead (never before `floor`)."""
    low = max(floor, anchor - _ACT_HEADER_REACH)
    headers = [n for n in range(low, anchor) if _ACT_HEADER.match(lines[n - 1])]
    if headers:
        start = headers[-1]
        for n in reversed(headers[:-1]):  # the header lines stand together, blank lines aside
            if start - n > _HEADER_GAP:
                break
            start = n
        return start
    letterheads = [n for n in range(low, anchor) if _DEPARTEMENT.match(lines[n - 1])]
    return letterheads[-1] if letterheads else anchor


def _report_start(lines: list[str], anchor: int, floor: int) -> int:
    for n in range(anchor - 1, max(floor, anchor - _REPORT_HEADER_REACH) - 1, -1):
        if _DEPARTEMENT.match(lines[n - 1]):
            return n
    return anchor


def _signature_end(lines: list[str], first: int, last: int) -> int | None:
    """Last line of an act or rapport: the name under "Signé"/"SIGNE", or None if cut off."""
    for n in range(first, last + 1):
        if _SIGNED.match(lines[n - 1]):
            for m in range(n + 1, min(last, n + 6) + 1):
                if lines[m - 1].strip():
                    return m
    return None


def _add_annex(segments: Segments, lines: list[str], first: int, last: int, number: str) -> None:
    """An annex block, unless the range holds nothing but blank lines."""
    if any(lines[n - 1].strip() for n in range(first, last + 1)):
        segments.blocks.append(Block("annex", first, last, number))


FrontMatter = Callable[[list[str], int], list[Block]]


def segment(lines: list[str], front_matter: FrontMatter) -> Segments:
    """The blocks of a publication: its front matter, as its kind reads the lines before the first
    act (`front_matter(lines, last_line)`), then each act with its annexes and rapport, then a
    closing index (see the module docstring)."""
    anchors = [(i, m.group(1)) for i, line in enumerate(lines, 1) if "N°" in line
               for m in [ACT_NUMBER.match(line)] if m]
    reports = [(i, m.group(1)) for i, line in enumerate(lines, 1) if "RAPPORT" in line
               for m in [REPORT_NUMBER.match(line)] if m]
    end = len(lines)
    index_line = next((i for i, line in reversed(list(enumerate(lines, 1)))
                       if "ommaire des d" in line and _INDEX.search(line)), None)
    if index_line and (not anchors or index_line > anchors[-1][0]):
        end = index_line - 1

    segments = Segments()
    floor = 1
    starts = []
    for anchor, number in anchors:
        start = _act_start(lines, anchor, floor)
        starts.append((start, anchor, number))
        floor = anchor + 1
    front_end = (starts[0][0] - 1) if starts else end

    segments.blocks.extend(front_matter(lines, front_end))

    for k, (start, anchor, number) in enumerate(starts):
        next_start = starts[k + 1][0] if k + 1 < len(starts) else end + 1
        stop = next_start - 1
        report = next(((i, n) for i, n in reports if anchor < i <= stop), None)
        act_last_bound = _report_start(lines, report[0], anchor) - 1 if report else stop
        signed = _signature_end(lines, anchor, act_last_bound)
        act_end = signed if signed is not None else act_last_bound
        segments.blocks.append(Block("deliberation", start, act_end, number))
        if signed is None:
            continue
        _add_annex(segments, lines, act_end + 1, act_last_bound, number)
        if report:
            report_first = act_last_bound + 1
            report_signed = _signature_end(lines, report[0], stop)
            report_end = report_signed if report_signed is not None else stop
            segments.blocks.append(Block("report", report_first, report_end, report[1]))
            _add_annex(segments, lines, report_end + 1, stop, number)
    if index_line and end < len(lines):
        segments.blocks.append(Block("index", index_line, len(lines)))
    return segments
