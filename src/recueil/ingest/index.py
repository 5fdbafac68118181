"""The closing index of a séance record: "N°<TAB>INTITULE DES DELIBERATIONS<TAB>PAGES"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recueil.ingest.extract import Read
from recueil.ingest.segment import Block
from recueil.text.clean import squash, strip_markup

_ROW = re.compile(r"^\s*(\d{4}-\d{1,4})\s+(.+?)\s+(\d+)\s*$")


@dataclass
class IndexEntry:
    number: str
    title: str
    page: int
    line: int


def read_index(lines: list[str], block: Block) -> Read[IndexEntry]:
    """Rows of the index, each with the line it was printed on."""
    entries = []
    for n in range(block.first, block.last + 1):
        m = _ROW.match(strip_markup(lines[n - 1]))
        if m:
            entries.append(IndexEntry(m.group(1), squash(m.group(2)), int(m.group(3)), n))
    return Read(entries)
