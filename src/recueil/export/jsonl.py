"""JSONL: every stored record, one JSON object a line (DESIGN.md §4's contract).

Its own module so that the site's download and `recueil export` write the same lines without the
web layer loading the command's library (and the ingest stack behind it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any


def write(records: Iterable[dict[str, Any]], out: IO[str],
          public: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> int:
    """Write `records` to `out`, each as `public` gives it when given (the site masks private
    persons' names with it); returns the number of lines written."""
    count = 0
    for record in records:
        out.write(json.dumps(public(record) if public else record, ensure_ascii=False) + "\n")
        count += 1
    return count
