"""Undo the noise of text extracted from PDFs: justified spaces, wrapped lines, hyphenation.

Nothing here knows about documents; it works on strings and lists of lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_MARKUP = re.compile(r"\*\*|</?(?:p|u|b|i|em|strong|br)\s*/?>|\^\{([^}]*)\}", re.IGNORECASE)

# Left parts of compounds whose hyphen is part of the word ("Pas-de-Calais", "Non-inscrit",
# "ci-dessous", "Saint-Omer"), not a syllable break at the end of a line.
_COMPOUND_HEADS = frozenset(
    """de du des la le les lès lez sur sous en ci pas non saint sainte st jean marie notre socio
    pré vice rond ronds demi co mi anti auto après avant arrière contre extra inter intra multi
    post semi trans ex plus moins grand grande petit haut hauts basse bas porte""".split()
)


def squash(text: str) -> str:
    """Collapse runs of spaces (justified text, tabs, non-breaking spaces) into one space."""
    return _SPACES.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Remove the markdown/HTML fragments of the séance record (`**`, `<p>`, `^{ème}` → `ème`)."""
    return _MARKUP.sub(lambda m: m.group(1) or "", text)


def _keeps_hyphen(left: str, right: str) -> bool:
    head = left.rsplit("-", 1)[-1].rsplit(" ", 1)[-1].lstrip("(«\"'’[")
    if not head or not right:
        return True
    if right[0].isupper() or right[0].isdigit() or head.isupper():
        return True
    return head.lower() in _COMPOUND_HEADS


def join_lines(lines: Iterable[str]) -> str:
    """Join wrapped lines into one paragraph.

    A line ending in a hyphen is glued to the next one; the hyphen is dropped when it is a
    syllable break ("accompagne-" + "ment") and kept in compounds ("Pas-de-" + "Calais").
    """
    out = ""
    for raw in lines:
        line = squash(raw)
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            left = out[:-1]
            out = out + line if _keeps_hyphen(left, line) else left + line
        elif out:
            out = out + " " + line
        else:
            out = line
    return out


def fold(text: str) -> str:
    """Upper-case without accents: a key to compare names and titles as printed differently."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return squash(bare.replace("-", " ").replace("\u2019", "'")).upper()


# "1 / 3", "- 12 -", and the séance reference printed at the foot of each rapport page
_FOOTER = re.compile(r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|-\s*\d{1,4}\s*-|CP\d{8}-\d{1,3})\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def is_page_furniture(line: str, previous: str = "") -> bool:
    """A page footer ("1 / 3"), or a bare page number ("837") standing after a blank line
    (a number right under text, like the year closing a title, is text)."""
    return bool(_FOOTER.match(line) or (not previous.strip() and _PAGE_NUMBER.match(line)))


def paragraph_spans(lines: Sequence[str], first: int, last: int,
                    prose: bool = False) -> list[tuple[str, int, int]]:
    """Blank-line separated paragraphs of lines first..last (1-based), each joined into one
    line with markup removed, with its line range. `prose` drops page footers and numbers."""
    out: list[tuple[str, int, int]] = []
    current: list[str] = []
    start = first
    for n in range(first, last + 2):
        line = lines[n - 1] if n <= last else ""
        if prose and line.strip() and is_page_furniture(line, lines[n - 2] if n > first else ""):
            continue
        if line.strip():
            if not current:
                start = n
            current.append(strip_markup(line))
        elif current:
            text = join_lines(current)
            if text:
                out.append((text, start, n - 1))
            current = []
    return out


def paragraphs(lines: Sequence[str], prose: bool = False) -> list[str]:
    """Blank-line separated paragraphs, each joined into one line, markup removed."""
    return [text for text, _, _ in paragraph_spans(lines, 1, len(lines), prose)]


def printable(name: str) -> str:
    """A file name as it can be printed and stored: bytes that are not UTF-8 (kept by the system
    as lone surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
