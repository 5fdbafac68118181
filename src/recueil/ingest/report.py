"""Read one rapport block into a `Report`.

Letterhead: "DEPARTEMENT DU PAS-DE-CALAIS", the services that prepared it (Pôle, Direction,
Service or Mission, each possibly wrapped over two lines, a co-rapport naming two pôles),
"RAPPORT N°45", the optional Territoire(s) / Canton(s) / EPCI(s) lists, the body and date of the
séance, the title; then the text, the commission's opinion and the President's signature. In the
2025 record the letterhead is sometimes glued with `**` ("RAPPORT N°2**CONSEIL DEPARTEMENTAL**…").
"""

from __future__ import annotations

import re

from recueil.ingest.budget import read_budget_lines
from recueil.ingest.extract import Read
from recueil.ingest.segment import REPORT_NUMBER, Block
from recueil.model import Report, Source
from recueil.text.clean import join_lines, paragraph_spans, paragraphs, squash, strip_markup

_SERVICE_KINDS = (
    ("pole", re.compile(r"^Pôle\b")),
    ("direction", re.compile(r"^Direction\b")),
    ("service", re.compile(r"^(?:Service|Mission|Bureau|Coordination|Cellule|Délégation)\b")),
)
_LISTS = (
    ("territories", re.compile(r"^Territoire\(s\)\s*:\s*(.*)$")),
    ("cantons", re.compile(r"^Canton\(s\)\s*:\s*(.*)$")),
    ("epci", re.compile(r"^EPCI\(s\)\s*:\s*(.*)$")),
)
_MEETING = re.compile(r"^(?:COMMISSION PERMANENTE|CONSEIL DEPARTEMENTAL|REUNION DU)", re.I)
_OPINION = re.compile(r"a émis un avis\s+(\w+)", re.I)


def _services(header: list[str]) -> dict[str, list[str]]:
    """Pôle / Direction / Service lines; a line of another kind continues the previous one."""
    found: dict[str, list[str]] = {"pole": [], "direction": [], "service": []}
    last: str | None = None
    for raw in header:
        line = squash(raw)
        if not line or line.startswith("DEPARTEMENT DU"):
            continue
        kind = next((k for k, pattern in _SERVICE_KINDS if pattern.match(line)), None)
        if kind:
            found[kind].append(line)
            last = kind
        elif last:
            found[last][-1] = join_lines([found[last][-1], line])
    return found


def _is_heading(text: str) -> bool:
    """Titles are printed in capitals: most letters of the paragraph are upper case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _split_list(text: str) -> list[str]:
    return [squash(x) for x in text.split(",") if squash(x)]


def read_report(lines: list[str], block: Block) -> Read[Report]:
    """Extract the rapport in `block` (a "report" block from `segment`)."""
    anchor = next(n for n in range(block.first, block.last + 1) if REPORT_NUMBER.match(lines[n - 1]))
    number = int(REPORT_NUMBER.match(lines[anchor - 1]).group(1))  # type: ignore[union-attr]
    services = _services(lines[block.first - 1 : anchor - 1])

    lists: dict[str, list[str]] = {key: [] for key, _ in _LISTS}
    # "RAPPORT N°2**CONSEIL DEPARTEMENTAL****REUNION DU …****TITLE": split the glued letterhead
    glued = [squash(x) for x in lines[anchor - 1].split("**")[1:] if squash(x)]
    head = paragraph_spans(lines, anchor + 1, block.last, prose=True)
    pieces: list[tuple[str, int]] = [(g, anchor) for g in glued]
    for _, first, last in head[:12]:
        raw = " ".join(lines[first - 1 : last])
        pieces.extend((squash(strip_markup(x)), last) for x in raw.split("**") if squash(x))
    title_parts: list[str] = []
    body_start = anchor + 1
    seen_meeting = False
    for text, last in pieces:
        listed = next(((key, m) for key, pattern in _LISTS if (m := pattern.match(text))), None)
        if listed:
            lists[listed[0]] = _split_list(listed[1].group(1))
        elif _MEETING.match(text):
            seen_meeting = True
        elif seen_meeting and _is_heading(text):
            title_parts.append(text)
        elif seen_meeting:
            break
        body_start = last + 1
    title = squash(" ".join(title_parts).replace("**", " "))
    text_paragraphs = paragraphs(lines[body_start - 1 : block.last])
    opinion = None
    for para in text_paragraphs:
        m = _OPINION.search(para)
        if m:
            opinion = m.group(1).lower()
    return Read([Report(
        number=number,
        title=title,
        source=Source(block.document, block.first, block.last),
        pole="; ".join(services["pole"]) or None,
        direction="; ".join(services["direction"]) or None,
        service="; ".join(services["service"]) or None,
        territories=lists["territories"],
        cantons=lists["cantons"],
        epci=lists["epci"],
        commission_opinion=opinion,
        amounts=read_budget_lines(lines, body_start, block.last),
        text="\n".join(paragraphs(lines[block.first - 1 : block.last], prose=True)),
    )])
