"""Read the ordre du jour of a séance record: numbered items with their page in the record."""

from __future__ import annotations

import re

from recueil.ingest.extract import Read
from recueil.ingest.segment import Block
from recueil.model import AgendaItem
from recueil.text.clean import fold, squash, strip_markup

_HEADING = re.compile(r"^ORDRE DU JOUR\b")
# "3 - Création d'une Personne Morale Organisatrice (PMO) …", the page being in a tab column.
_ITEM = re.compile(r"^\s*(\d{1,3})\s*[-–—.)]\s+(\S.*)$")


def _split_page(line: str) -> tuple[str, int | None]:
    """Text and page of a sommaire line whose last tab column holds the page number."""
    text, tab, page = line.rstrip().rpartition("\t")
    if tab and page.strip().isdigit():
        return text, int(page)
    return line, None


def read_agenda(lines: list[str], block: Block) -> Read[AgendaItem]:
    """The items listed after "Ordre du jour" in the block.

    The list ends at the first line after it that is neither an item nor the continuation of a
    title still waiting for its page, so that the parts of the sommaire that follow are left out.
    Without an "Ordre du jour" heading the whole range is read as the list.
    """
    first, last = block.first, block.last
    start = first
    for n in range(first, last + 1):
        if _HEADING.match(fold(strip_markup(lines[n - 1]))):
            start = n + 1
            break
    items: list[AgendaItem] = []
    open_title = False  # the last title has no page yet: it may go on over the next line
    for n in range(start, last + 1):
        line = strip_markup(lines[n - 1])
        if not line.strip():
            open_title = False
            continue
        text, page = _split_page(line)
        match = _ITEM.match(text)
        if match:
            items.append(AgendaItem(int(match.group(1)), squash(match.group(2)), page))
            open_title = page is None
        elif open_title:
            items[-1].title = squash(f"{items[-1].title} {text}")
            items[-1].page = page
            open_title = page is None
        elif items:
            break
    return Read(items)
