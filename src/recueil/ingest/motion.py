"""Read the vœux of a séance record: title, filing group, text and signatories of each.

A vœu starts at its title ("Vœu de soutien au Service Civique"), or at a "Vœu présenté par le
groupe …" line whose title comes next; then "Déposé par le groupe …", the body, and the
signatures: lines that open on a "Prénom NOM" ("Mireille HINGREZ-CEREDA, Présidente du groupe …",
or lists of names). Page headers ("SEANCE DU CONSEIL DEPARTEMENTAL DU 22 SEPTEMBRE 2025"),
decorations ("* *") and the descriptions of handwritten signatures that stand for the images of
the PDF are left out wherever they fall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recueil.ingest.extract import Read
from recueil.ingest.segment import Block
from recueil.model import Motion, Source
from recueil.text.clean import join_lines, paragraph_spans, squash, strip_markup
from recueil.text.names import group_name, is_full_name, split_names, strip_civility

_TITLE = re.compile(r"^V(?:œ|oe)u\b", re.IGNORECASE)
_FILED = re.compile(
    r"^(?:V(?:œ|oe)u\s+)?(?:déposé|présenté|proposé)e?\s+par\s+(.+)$", re.IGNORECASE
)
_PAGE_HEADER = re.compile(
    r"^(?:s[ée]ance|r[ée]union) du\b.*\d{4}$|^conseil d[ée]partemental du [\w' -]+$", re.IGNORECASE
)
# "Three handwritten signatures in blue ink…", "A signature in dark ink…": images put into words.
_SIGNATURE_IMAGE = re.compile(
    r"^(?:an?|one|two|three|several|\d+)\s+(?:\w+\s+){0,3}"
    r"(?:signatures?|stamps?)\s+(?:in|of|with)\b",
    re.IGNORECASE,
)
_DECORATION = re.compile(r"^[\W_]*$")
_BULLET = re.compile(r"^\s*[-–•·]\s")
_LONGEST_NAME = 60  # characters before the first comma of a line that opens on a name


@dataclass
class _Draft:
    first_line: int
    last_line: int
    title: str | None = None
    filed_by: str | None = None
    body: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)


def _starts_with_name(line: str) -> bool:
    head = line.split(",", 1)[0]
    return len(head) <= _LONGEST_NAME and is_full_name(head)


def _signatories(block: list[str]) -> list[str]:
    """The names signed in a paragraph that opens on a signature.

    A line that does not open on a name goes on from the one before (a wrapped list or title).
    """
    entries: list[str] = []
    for line in block:
        text = squash(strip_markup(line))
        if entries and not _starts_with_name(text):
            entries[-1] = f"{entries[-1]} {text}"
        else:
            entries.append(text)
    return [strip_civility(n) for entry in entries for n in split_names(entry) if is_full_name(n)]


def _body_text(text: str, block: list[str]) -> str:
    """A body paragraph (`text`, read from `block`), each bullet of a list on a line of its own."""
    if not any(_BULLET.match(line) for line in block[1:]):
        return text
    items: list[list[str]] = []
    for line in block:
        if not items or _BULLET.match(line):
            items.append([])
        items[-1].append(strip_markup(line))
    return "\n".join(join_lines(item) for item in items)


def read_motions(lines: list[str], block: Block) -> Read[Motion]:
    """The vœux of the block; see the module docstring."""
    first, last = block.first, block.last
    spans = [
        (text, start, end)
        for text, start, end in paragraph_spans(lines, first, last)
        if not (
            _PAGE_HEADER.match(text)
            or "handwritten" in text
            or _SIGNATURE_IMAGE.match(text)
            or _DECORATION.match(text)
        )
    ]
    drafts: list[_Draft] = []
    for k, (text, start, end) in enumerate(spans):
        draft = drafts[-1] if drafts else None
        filed = _FILED.match(text)
        if filed and _TITLE.match(text):
            drafts.append(_Draft(start, end, filed_by=group_name(filed.group(1))))
            continue
        if _TITLE.match(text) and (
            draft is None
            or draft.signatories
            or (k + 1 < len(spans) and _FILED.match(spans[k + 1][0]))
        ):
            drafts.append(_Draft(start, end, title=text))
            continue
        if draft is None:
            continue  # part and section headings before the first vœu
        if draft.title is None:
            draft.title = text
        elif filed and draft.filed_by is None and not draft.body:
            draft.filed_by = group_name(filed.group(1))
        elif _starts_with_name(text):
            draft.signatories.extend(_signatories(lines[start - 1 : end]))
        elif not draft.signatories:
            draft.body.append(_body_text(text, lines[start - 1 : end]))
        else:
            continue  # after the signatures: nothing of the vœu
        draft.last_line = end
    return Read([
        Motion(
            title=draft.title or "",
            filed_by=draft.filed_by,
            text="\n".join(draft.body),
            signatories=draft.signatories,
            source=Source(block.document, draft.first_line, draft.last_line),
        )
        for draft in drafts
    ])
