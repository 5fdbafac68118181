"""Ingest throughput on the corpus: best of N runs, MB/s and peak memory, beside baselines.

Each measure runs in a fresh Python process (so peak RSS is that stage's own) and is repeated,
the stages taking turns in each round; the best time is kept, the machine being shared and
noisy. Baselines in the same run:
- read:  reading and decoding the files (the floor any ingest pays);
- parse: read + detect + segment + extract + check, one process, no database;
- ingest, index in main: the whole path with the rows and the search index entries made in the
  process that writes the store, as before they moved to the parse workers;
- ingest: the whole `recueil ingest` path into a new SQLite file (the goal: ≥ 10 MB/s, < 300 MB).

Usage: python bench/ingest.py [--runs 3] [PATH ...]   (default: ../shared/corpus)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

_CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
stage, paths = sys.argv[1], [Path(p) for p in sys.argv[2:]]
from recueil.ingest.read import read_file
from recueil.ingest.pipeline import parse
from recueil.store.database import Store
from recueil import jobs
with tempfile.TemporaryDirectory() as tmp:
    store = Store(f"sqlite:///{tmp}/bench.db") if stage.startswith("ingest") else None
    start = time.perf_counter()
    if stage == "read":
        for p in paths:
            read_file(p)
    elif stage == "parse":
        for p in paths:
            parse(read_file(p))
    else:
        if stage == "ingest-main":  # workers hand back no rows nor entries: Store.save makes them here
            from recueil.store import rows

            def bare(publication):
                return rows.Prepared(publication, None, None)

            rows.prepared = bare
        jobs.ingest(store, paths)
    elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))
"""


def measure(stage: str, paths: list[Path]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, stage, *map(str, paths)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


STAGES = {"read": "read", "parse": "parse", "ingest-main": "ingest, index in main", "ingest": "ingest"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = args.paths or sorted(CORPUS.glob("*.txt"))
    if not paths:
        print("Aucun document : donnez des chemins ou placez ../shared/corpus à côté du projet.")
        return 2
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    table = Table(title=f"Ingestion de {len(paths)} documents ({size_mb:.2f} Mo), meilleur de {args.runs}")
    for column in ("étape", "secondes", "Mo/s", "mémoire max (Mo)", "× lecture seule"):
        table.add_column(column, justify="right")
    runs: dict[str, list[dict[str, float]]] = {stage: [] for stage in STAGES}
    for _ in range(args.runs):  # stages take turns, so that a busy moment does not favour one
        for stage in STAGES:
            runs[stage].append(measure(stage, paths))
    base = min(r["seconds"] for r in runs["read"])
    for stage, label in STAGES.items():
        seconds = min(r["seconds"] for r in runs[stage])
        peak = max(r["peak_mb"] for r in runs[stage])
        table.add_row(label, f"{seconds:.3f}", f"{size_mb / seconds:.1f}", f"{peak:.0f}", f"{seconds / base:.1f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
