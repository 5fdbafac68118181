"""Start-up of the `recueil` command: whole processes, beside a small CLI and a bare Python.

Each command runs as a whole process, as a user types it, in rounds where they take turns (so that
a busy moment of the shared, noisy machine does not favour one); the best and the median of the
rounds are printed, with the best's ratio (×) to the two baselines of the same run:
- python -c pass: the interpreter alone, the floor of any Python command;
- sqlite-utils --help: a small SQLite CLI on click (installed by `make bench`); the goal is
  `recueil --help` no slower than it;
- recueil --help; recueil search on the store of the corpus (ingested once, before the rounds);
- recueil ingest of the corpus into a new SQLite file each time, with its throughput: the bytes
  of the inputs over the whole process's time (the goal: ≥ 6 MB/s).

Without ../shared/corpus, the project's example (examples/) is measured instead.

Usage: python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from recueil.jobs import collect_inputs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent
GOAL_MB_S = 6


def timed(command: list[str]) -> float:
    """Seconds of one whole process; its output is dropped, a failure stops the bench."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if CORPUS.is_dir():
        inputs, word = CORPUS, "logement"
    else:
        print("../shared absent : mesures sur l'exemple du projet (examples/)")
        inputs, word = EXAMPLES, "bibliothèques"
    size_mb = sum(p.stat().st_size for p in collect_inputs([inputs])[0]) / 1e6
    # Bytecode compiled once, as `pip install` does: a session's PYTHONDONTWRITEBYTECODE would
    # otherwise have each measured process compile every module of an editable install again.
    compileall.compile_dir(ROOT / "src" / "recueil", quiet=1)
    recueil = str(BIN / "recueil")
    sqlite_utils = shutil.which("sqlite-utils", path=str(BIN)) or shutil.which("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        store = f"sqlite:///{Path(tmp) / 'corpus.db'}"
        subprocess.run([recueil, "ingest", "--db", store, str(inputs)], stdout=subprocess.DEVNULL, check=True)
        commands = {"python -c pass": [sys.executable, "-c", "pass"]}
        if sqlite_utils:
            commands["sqlite-utils --help"] = [sqlite_utils, "--help"]
        commands |= {"recueil --help": [recueil, "--help"],
                     f"recueil search {word}": [recueil, "search", "--db", store, word]}
        times: dict[str, list[float]] = {name: [] for name in [*commands, "recueil ingest"]}
        for run in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
            fresh = f"sqlite:///{Path(tmp) / f'ingest-{run}.db'}"
            times["recueil ingest"].append(timed([recueil, "ingest", "--db", fresh, str(inputs)]))
    best = {name: min(found) for name, found in times.items()}
    table = Table(title=f"Démarrage, processus entiers : meilleur et médiane de {args.runs} "
                        f"(ingest : {inputs.name}, {size_mb:.2f} Mo)")
    table.add_column("commande")
    for column in ("meilleur (ms)", "médiane (ms)", "× sqlite-utils", "× python", "Mo/s"):
        table.add_column(column, justify="right")
    for name, found in times.items():
        versus_cli = f"{best[name] / best['sqlite-utils --help']:.2f}" if sqlite_utils else "—"
        speed = f"{size_mb / best[name]:.1f}" if name == "recueil ingest" else ""
        table.add_row(name, f"{best[name] * 1000:.0f}", f"{statistics.median(found) * 1000:.0f}", versus_cli,
                      f"{best[name] / best['python -c pass']:.1f}", speed)
    Console(width=None if sys.stdout.isatty() else 120).print(table)  # whole rows in a log too
    goals = f"Objectifs : recueil --help ≤ sqlite-utils --help ; ingestion ≥ {GOAL_MB_S} Mo/s (processus entier)."
    print(goals if sqlite_utils else goals + "\nNon mesuré, absent : sqlite-utils (pip install -e '.[bench]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
