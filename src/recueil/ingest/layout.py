"""From the positioned lines of a PDF's pages to the lines of a `Text`, as a layout text shows them.

The parsers were written on layout text: a blank line ends a paragraph and a wide run of spaces
separates two columns (a sommaire's title from its page). A PDF has neither: only lines at a
height, and gaps between words. Here the gaps become spaces, the heights become blank lines, and
the running headers, footers and page numbers (the same line at the same height on many pages, or
a page number counting with the pages) are left out, since they are not the act's text.
No pdfium here: the OCR gives the same positioned lines as the text layer.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple


class Line(NamedTuple):
    text: str
    y: float  # baseline, in PDF points from the bottom of the page


@dataclass
class Page:
    number: int  # 1-based
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False  # lines read by OCR
    unread: bool = False  # a scan the OCR has not read: its text layer, if any, is all there is

    def __getstate__(self) -> tuple[int, list[str], list[float], bool, bool]:
        """Flat, for the trip between processes: three times faster to pickle than a tuple a line."""
        return self.number, [line.text for line in self.lines], [line.y for line in self.lines], self.ocr, self.unread

    def __setstate__(self, state: tuple[int, list[str], list[float], bool, bool]) -> None:
        self.number, texts, heights, self.ocr, self.unread = state
        self.lines = list(map(Line, texts, heights))


EDGE = 3  # lines looked at, at the top and at the bottom of a page, for running headers and footers
DEFAULT_PITCH = 12.0  # line spacing of 10-point text, when a document has no two lines in a row
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:/|sur)\s*\d{1,4})?$", re.IGNORECASE
)


def gap_spaces(gap: float, advance: float) -> int:
    """Spaces for a gap between two words: one for a word space (even justified), else its width."""
    if advance <= 0 or gap < 1.75 * advance:
        return 1
    return round(gap / advance)


def assemble(pages: list[Page]) -> tuple[list[str], list[int]]:
    """The lines of the document and the page of each, running lines left out, blank lines put back."""
    bodies = _without_running_lines(pages)
    pitch = _pitch(bodies)
    firsts = Counter(round(lines[0].y) for lines in bodies if lines)
    lasts = Counter(round(lines[-1].y) for lines in bodies if lines)
    top = firsts.most_common(1)[0][0] if firsts else 0
    bottom = lasts.most_common(1)[0][0] if lasts else 0
    text: list[str] = []
    numbers: list[int] = []
    for page, lines in zip(pages, bodies):
        if page.unread:  # keep the text on either side of a missing page apart
            text.append("")
            numbers.append(page.number)
        if not lines:
            continue
        blanks = [_blank_lines(top - lines[0].y, pitch)]
        blanks += [max(0, _blank_lines(above.y - below.y, pitch) - 1) for above, below in pairwise(lines)]
        for line, blank in zip(lines, blanks):
            text.extend([""] * blank)
            text.append(line.text)
            numbers.extend([page.number] * (blank + 1))
        trailing = _blank_lines(lines[-1].y - bottom, pitch)
        text.extend([""] * trailing)
        numbers.extend([page.number] * trailing)
    while text and not text[-1]:  # the blank foot of the last page
        text.pop()
        numbers.pop()
    return text, numbers


def _blank_lines(height: float, pitch: float) -> int:
    return max(0, round(height / pitch))


def _pitch(bodies: list[list[Line]]) -> float:
    """The document's line spacing: the smallest common distance between two lines in a row.

    Not the most common one: in a text with a blank line between paragraphs of one line, that is
    two lines' spacing. Steps are grouped to the half point; one in ten at least makes "common".
    """
    steps: dict[float, list[float]] = defaultdict(list)
    for lines in bodies:
        for above, below in pairwise(lines):
            if above.y - below.y >= 1:
                steps[round(2 * (above.y - below.y)) / 2].append(above.y - below.y)
    total = sum(len(found) for found in steps.values())
    common = [step for step, found in steps.items() if len(found) * 10 >= total]
    return statistics.median(steps[min(common)]) if common else DEFAULT_PITCH


def _shape(text: str) -> str:
    """A line with its numbers blanked out: "Page 3 / 12" and "Page 4 / 12" have the same shape."""
    return _DIGITS.sub("#", " ".join(text.split()).casefold())


def _edges(lines: list[Line]) -> list[int]:
    return sorted({*range(min(EDGE, len(lines))), *range(max(0, len(lines) - EDGE), len(lines))})


def _without_running_lines(pages: list[Page]) -> list[list[Line]]:
    """Each page's lines, less the running lines peeled off its top and its bottom."""
    running = _repeated(pages) | _page_numbers(pages)
    bodies = []
    for p, page in enumerate(pages):
        first, last = 0, len(page.lines)
        while first < min(last, EDGE) and (p, first) in running:
            first += 1
        while last > max(first, len(page.lines) - EDGE) and (p, last - 1) in running:
            last -= 1
        bodies.append(page.lines[first:last])
    return bodies


def _repeated(pages: list[Page]) -> set[tuple[int, int]]:
    """Edge lines of the same shape at the same height (within 2 points) on many pages."""
    threshold = max(3, math.ceil(0.1 * len(pages)))
    seen: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for p, page in enumerate(pages):
        for i in _edges(page.lines):
            seen[_shape(page.lines[i].text)].append((p, i, page.lines[i].y))
    running: set[tuple[int, int]] = set()
    for where in seen.values():
        if len(where) < threshold:
            continue
        height = Counter(round(y) for _, _, y in where).most_common(1)[0][0]
        here = [(p, i) for p, i, y in where if abs(y - height) <= 2]
        if len({p for p, _ in here}) >= threshold:
            running.update(here)
    return running


def _page_numbers(pages: list[Page]) -> set[tuple[int, int]]:
    """Edge lines that are a page number ("12", "- 12 -", "Page 12", "12 / 40") counting with the pages.

    The number minus the page's rank must be the same on two pages at least (a recueil's numbers
    need not start at 1), or, in a one-page document, the line must say "page" or "/".
    """
    candidates: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p, page in enumerate(pages):
        for i in _edges(page.lines):
            m = _PAGE_NUMBER.match(page.lines[i].text.strip())
            if m and (len(pages) > 1 or not m.group(0).isdigit()):
                candidates[int(m.group(1)) - page.number].append((p, i))
    if len(pages) == 1:
        return {where for found in candidates.values() for where in found}
    return {where for found in candidates.values() if len({p for p, _ in found}) >= 2 for where in found}
