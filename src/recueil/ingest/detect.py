"""Tell which kind of publication a text is, from what its first pages print."""

from __future__ import annotations

import re

from recueil.ingest.read import RefusedInput, Text
from recueil.ingest.segment import ACT_NUMBER
from recueil.model import DocumentKind

_RECUEIL = re.compile(r"Recueil des Actes Administratifs", re.I)
_SITTING = re.compile(r"PROC[ÈE]S-VERBAL DE S[ÉE]ANCE|Ordre du jour|S[ÉE]ANCE DU", re.I)
_HEAD_LINES = 200


def detect(text: Text) -> DocumentKind:
    """`recueil` or `sitting_record`; refuse a text that prints neither nor any act."""
    head = "\n".join(text.lines[:_HEAD_LINES])
    if _RECUEIL.search(head):
        return "recueil"
    if _SITTING.search(head):
        return "sitting_record"
    if any("N°" in line and ACT_NUMBER.match(line) for line in text.lines):
        return "recueil"
    raise RefusedInput(
        f"{text.name} : ce n'est pas une publication reconnue "
        "(ni recueil des actes administratifs, ni compte rendu de séance, aucune délibération numérotée)"
    )


_RECUEIL_TITLE = re.compile(
    r"(Recueil des Actes Administratifs du D[ée]partement du [\w-]+)\s+(N°\s*\d+\s+de\s+\w+\s+\d{4})", re.I
)
_SITTING_TITLE = re.compile(
    r"(CONSEIL D[ÉE]PARTEMENTAL|COMMISSION PERMANENTE)\s+S[ÉE]ANCE DU\s+(\d{1,2}(?:er)?\s+\w+\s+\d{4})", re.I
)


def title_of(text: Text, kind: DocumentKind) -> str:
    """A readable title: the recueil's number and month, or the body and date of the séance."""
    head = " ".join(" ".join(text.lines[:_HEAD_LINES]).replace("*", " ").split())
    m = (_RECUEIL_TITLE if kind == "recueil" else _SITTING_TITLE).search(head)
    if m:
        return f"{m.group(1)} {m.group(2)}" if kind == "recueil" else f"{m.group(1).title()} — séance du {m.group(2).lower()}"
    return text.name
