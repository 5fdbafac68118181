"""The list of deliberations (store/listing.py): time to filter, sort and page ten thousand acts
in memory, beside the baseline every list pays, sorting them all once (Python's `sorted`); and
what building the rows adds for each group's votes (store/groups.py), paid once per version of the
store.

The rows are the corpus' (its 33 deliberations read and stored), copied under new numbers up to
`--acts`: a decade of a Département's assemblies. Best and median of N runs.

Usage: python bench/listing.py [--acts 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from recueil import jobs
from recueil.store import schema
from recueil.store.browse import Browser
from recueil.store.database import Store
from recueil.store.groups import derived_counts
from recueil.store.listing import criteria, select_rows

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
QUERIES = {"toutes, 50 premières": {}, "abstentions": {"vote": "abstentions"},
           "groupe RN abstention": {"group": "Rassemblement National", "position": "abstention"},
           "2021, matière 7, par numéro": {"from": "2021-01-01", "to": "2021-12-31", "matiere": "7", "sort": "number"},
           "mots du titre": {"q": "convention logement"}}


def rows(acts: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/r.db"
        with Store(url) as store:
            jobs.ingest(store, sorted(CORPUS.iterdir()), workers=1)
            with store.engine.connect() as conn:
                corpus = Browser(store).catalog(conn).deliberations
                votes = [v for v in conn.execute(select(schema.deliberations.c.data)).scalars() if v.get("vote")]
    copies = []
    for n in range(acts):
        row = corpus[n % len(corpus)]
        copies.append({**row, "number": f"{row['number']}-{n}", "_number": (*row["_number"], n)})
    return copies, [votes[n % len(votes)]["vote"] for n in range(acts)]


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    every, votes = rows(args.acts)
    base_best, base_median = timed(lambda: sorted(every, key=lambda r: (r["date"] or "", r["_number"])), args.runs)
    table = Table(title=f"Liste des délibérations : {len(every)} actes, meilleur et médiane de {args.runs}")
    for column in ("requête", "résultats", "meilleur (ms)", "médiane (ms)", "× tri seul"):
        table.add_column(column, justify="left" if column == "requête" else "right")
    table.add_row("tri seul (référence)", str(len(every)), f"{base_best * 1000:.1f}", f"{base_median * 1000:.1f}", "1.0")
    for name, params in QUERIES.items():
        asked = criteria(params)
        total = select_rows(every, asked, 50)["total"]
        best, median = timed(lambda asked=asked: select_rows(every, asked, 50), args.runs)
        table.add_row(name, str(total), f"{best * 1000:.1f}", f"{median * 1000:.1f}", f"{median / base_median:.1f}")
    best, median = timed(lambda: [derived_counts(vote) for vote in votes], args.runs)
    table.add_row("voix par groupe, construction", str(len(votes)), f"{best * 1000:.1f}", f"{median * 1000:.1f}",
                  f"{median / base_median:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
