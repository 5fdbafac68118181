"""Ingest throughput on the corpus: best of N runs, MB/s and peak memory, beside baselines.

Each measure runs in a fresh Python process (so peak RSS is that stage's own) and is repeated;
the best time is kept, the machine being shared and noisy. Baselines in the same run:
- read:  reading and decoding the files (the floor any ingest pays);
- parse: read + detect + segment + extract + check, no database;
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
    store = Store(f"sqlite:///{tmp}/bench.db") if stage == "ingest" else None
    start = time.perf_counter()
    if stage == "read":
        for p in paths:
            read_file(p)
    elif stage == "parse":
        for p in paths:
            parse(read_file(p))
    else:
        jobs.ingest(store, paths)
    elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))
"""


def measure(stage: str, paths: list[Path], runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _CHILD, stage, *map(str, paths)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout))
    best = min(results, key=lambda r: r["seconds"])
    return {"seconds": best["seconds"], "peak_mb": max(r["peak_mb"] for r in results)}


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
    base = None
    for stage in ("read", "parse", "ingest"):
        m = measure(stage, paths, args.runs)
        base = base or m["seconds"]
        table.add_row(stage, f"{m['seconds']:.3f}", f"{size_mb / m['seconds']:.1f}", f"{m['peak_mb']:.0f}",
                      f"{m['seconds'] / base:.1f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
