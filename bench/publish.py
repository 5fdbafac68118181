"""Publishing the corpus: time to publish and to verify all its acts, and the recueil's size.

Each operation runs N times (best and median printed; the machine is shared and noisy) next to a
baseline measured in the same run:
- publish: `jobs.publish` into an empty folder (every deliberation, list and procès-verbal
  rendered, names masked, files written, register entries chained and fsynced), on all cores and
  on one process, against the bare rendering of the same items to bytes on one process (no
  masking, no file, no register); and the masking of names alone, which publish includes;
- verify: `jobs.verify` of that folder (every entry parsed and re-hashed, the chain, every file
  hashed), against the SHA-256 of the same files alone, the least any check must do;
- recueil: `jobs.recueil` for June 2021 and for 2021-06-01..2025-12-31, with its page count.

Usage: python bench/publish.py [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from recueil import jobs
from recueil.config import Collectivite
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_file
from recueil.publish.fonts import fonts
from recueil.publish.masking import mask, public_names
from recueil.publish.publisher import items
from recueil.store.database import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DAY = "2026-11-24"


def timed(action: Callable[[int], object], runs: int) -> list[float]:
    """Seconds of each run; `action(run)` gets the run number (for a fresh folder each time)."""
    times = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    if not CORPUS.exists():
        sys.exit(f"corpus absent : {CORPUS}")
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    store = Store(f"sqlite:///{work / 'corpus.db'}")
    for path in sorted(CORPUS.glob("*.txt")):
        store.save(parse(read_file(path)))
    face = fonts()
    pending = list(items(store, Collectivite(), face))
    site = "https://www.pasdecalais.fr/publications/"

    publish = timed(lambda run: jobs.publish(store, work / f"publications-{run}", day=DAY), runs)
    alone = timed(lambda run: jobs.publish(store, work / f"alone-{run}", day=DAY, workers=1), runs)
    render = timed(lambda run: [item.render(DAY, site + item.file, None) for item in pending], runs)
    names = public_names(store)
    texts = [r["text"] for r in store.records() if r["type"] == "deliberation"]
    texts.append("\n\n".join(r["text"] for r in store.records() if r["type"] == "intervention"))
    masking = timed(lambda run: [mask(text, names) for text in texts], runs)
    folder = work / "publications-0"
    files = sorted(p for p in folder.rglob("*.pdf"))
    verify = timed(lambda run: jobs.verify(folder), runs)
    assert not jobs.verify(folder).problems
    hashing = timed(lambda run: [hashlib.sha256(p.read_bytes()).hexdigest() for p in files], runs)
    made: dict[str, int] = {}

    def recueil(start: str, end: str) -> Callable[[int], object]:
        def run(_: int) -> None:
            made[start + end] = jobs.recueil(store, start, end, work / "recueil.pdf", day=DAY).pages
        return run

    june = timed(recueil("2021-06-01", "2021-06-30"), runs)
    everything = timed(recueil("2021-06-01", "2025-12-31"), runs)

    size = sum(p.stat().st_size for p in files)
    table = Table(title=f"Publication du corpus : {len(pending)} fichiers ({len(files)} PDF, {size / 1e6:.1f} Mo), "
                        f"meilleur et médiane de {runs}")
    for column in ("opération", "meilleur (s)", "médiane (s)", "base (meilleur, s)", "rapport", "note"):
        table.add_column(column, justify="right" if column not in ("opération", "note") else "left")

    def row(name: str, times: list[float], base: list[float] | None, note: str) -> None:
        ratio = f"× {min(times) / min(base):.2f}" if base else ""
        table.add_row(name, f"{min(times):.3f}", f"{statistics.median(times):.3f}",
                      f"{min(base):.3f}" if base else "", ratio, note)

    row("publish (tout le corpus), tous les cœurs", publish, render, "base : rendu seul des mêmes PDF, 1 processus")
    row("publish (tout le corpus), 1 processus", alone, render, "idem")
    row("  dont masquage des noms (1 processus)", masking, None, "33 actes et le procès-verbal")
    row("verify (registre et fichiers)", verify, hashing, "base : SHA-256 des fichiers seuls")
    row("recueil juin 2021", june, None, f"{made['2021-06-012021-06-30']} pages")
    row("recueil 2021-06-01..2025-12-31", everything, None, f"{made['2021-06-012025-12-31']} pages")
    Console().print(table)
    store.close()


if __name__ == "__main__":
    main()
