"""The one shape of every extractor: `read(lines, block) -> Read(records, warnings)`.

An extractor reads one block that a publication kind's segmentation found (`segment.Block`: its
kind, its line range and what it needs to know of the rest: its document, its séance and agenda)
and gives back what it read and what it could not; the pipeline links the records afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from recueil.ingest.segment import Block
from recueil.model import Warning

R = TypeVar("R")


@dataclass
class Read(Generic[R]):
    records: list[R]
    warnings: list[Warning] = field(default_factory=list)


Extractor = Callable[[list[str], Block], Read[Any]]
