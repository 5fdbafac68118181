"""Masking private persons and exporting road orders: what they cost next to reading the document.

Each operation runs N times (best and median printed; the machine is shared and noisy) next to a
baseline measured in the same run:
- mask: `mask` of each whole corpus document with the store's public names, against `parse` of
  the same document (read, segment, extract: what ingesting it costs), so the ratio says what
  masking adds to showing a document;
- agenda: `road_orders` + `to_ics` of every road order of the store, and + `to_csv`, against
  `road_orders` alone (the query).

Usage: python bench/masking.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from recueil.export.calendar import road_orders, to_csv, to_ics
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_file
from recueil.publish.masking import mask, public_names
from recueil.store.database import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    if not CORPUS.exists():
        sys.exit(f"corpus absent : {CORPUS}")
    documents = [read_file(path) for path in sorted(CORPUS.glob("*.txt"))]
    store = Store(f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-masking-')) / 'corpus.db'}")
    for document in documents:
        store.save(parse(document))
    public = public_names(store)

    table = Table(title=f"Masquage et agenda — meilleur et médiane de {runs} essais (s)")
    for column in ("opération", "taille", "base", "base (méd.)", "mesure", "mesure (méd.)", "rapport (meilleurs)",
                   "résultat"):
        table.add_column(column, justify="left" if column in ("opération", "résultat") else "right")

    def row(name: str, size: str, base: list[float], measured: list[float], result: str) -> None:
        table.add_row(name, size, f"{min(base):.3f}", f"{statistics.median(base):.3f}", f"{min(measured):.3f}",
                      f"{statistics.median(measured):.3f}", f"{min(measured) / min(base):.2f}×", result)

    for document in documents:
        text = "\n".join(document.lines)
        spans = len(mask(text, public).spans)
        row(f"mask {document.name[:3]} (base parse)", f"{len(text.encode()) / 1e6:.1f} Mo",
            timed(lambda d=document: parse(d), runs), timed(lambda t=text: mask(t, public), runs),
            f"{spans} noms masqués")
    query = timed(lambda: road_orders(store), runs)
    events = to_ics(road_orders(store)).count("BEGIN:VEVENT")
    row("to_ics (base road_orders)", f"{len(road_orders(store))} arrêtés", query,
        timed(lambda: to_ics(road_orders(store)), runs), f"{events} événements")
    row("to_csv (base road_orders)", f"{len(road_orders(store))} arrêtés", query,
        timed(lambda: to_csv(road_orders(store), io.StringIO()), runs), "une ligne par arrêté")
    Console().print(table)
    store.close()


if __name__ == "__main__":
    main()
