"""A cached deliberation page while clients send the most expensive queries the search accepts.

The corpus is ingested in a temporary store (or `--db` names one, e.g. the 1M-act store of
bench/search.py) and served by `recueil serve` as a user starts it (tests/serving.py), its workers
one per core. Hostile queries are made from the store's own words at the limits of the query
language (`query.MAX_TERMS` words, `query.MAX_PHRASES` phrases, `query.MAX_DEPTH` parentheses,
`search.MAX_EXCLUDED` words excluded, `search.MAX_WORDS` words of the index once prefixes are
completed): common words OR-ed, prefixes filling the budget, words and prefixes mixed, nested
groups, exclusions (of everything), phrases among words. Each is timed once in this process
(`SearchIndex.search`, as the API calls it); the refused ones are counted, and the `--pool`
slowest accepted are kept.

Then, in the same run, a reader asks for /deliberations/2025-361 (from the site's cache of whole
answers after its first request) one request after the other for `--duration` seconds: alone,
then while `--clients` clients (threads of another process) send the kept queries to /api/search
in turn, each with a parameter of its own (`&n=…`, ignored by the API) so that none is answered
from the cache. The table gives the page's p50 / p95 / max in both cases (goal: p95 ≤ 50 ms under
load) and what the hostile clients got.

Usage: python bench/hostile.py [--clients 20] [--duration 20] [--pool 24] [--db URL]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import text

from recueil import jobs
from recueil.store.analysis import STOP_WORDS
from recueil.store.database import Store
from recueil.store.query import MAX_DEPTH, MAX_PHRASES, MAX_TERMS, QueryError
from recueil.store.search import COMPLETIONS, MAX_EXCLUDED, MAX_WORDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PAGE = "/deliberations/2025-361"
VARIANTS = 8  # of each shape of hostile query
_TERMS = text("SELECT count(*) FROM (SELECT 1 FROM search_terms WHERE term >= :start AND term < :end LIMIT :n)")


def _serving() -> Any:
    """tests/serving.py (not a package: loaded by path), which starts `recueil serve` as a user does."""
    spec = importlib.util.spec_from_file_location("recueil_tests_serving", ROOT / "tests" / "serving.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def common_words(store: Store, count: int = 60) -> list[str]:
    """The words held by the most entries (stop words and short ones left out), from the
    analysed body words of a sample of entries."""
    read = "SELECT c3 FROM search_fts_content" if store.engine.dialect.name == "sqlite" else \
        "SELECT body_words FROM search_texts"
    with store.engine.connect() as conn:
        bodies = conn.execute(text(f"{read} ORDER BY id DESC LIMIT 5000")).scalars()
        held = Counter(word for body in bodies for word in set(body.split()))
    return [w for w, _ in held.most_common() if w not in STOP_WORDS and len(w) > 3 and w.isalpha()][:count]


def completions(store: Store, prefix: str) -> int:
    """How many indexed words a prefix begins (up to `COMPLETIONS` + 1)."""
    with store.engine.connect() as conn:
        return int(conn.execute(_TERMS, {"start": prefix, "end": prefix[:-1] + chr(ord(prefix[-1]) + 1),
                                         "n": COMPLETIONS + 1}).scalar_one())


def candidates(store: Store, rnd: random.Random) -> list[tuple[str, str]]:
    """(shape, query) pairs at the limits of the query language, `VARIANTS` of each shape."""
    words = common_words(store)
    prefixes = sorted({w[:n] for w in words for n in (3, 4, 5)})
    widths = {p: completions(store, p) for p in prefixes}
    half = MAX_TERMS // 2

    def fill(budget: int, most: int) -> list[str]:
        """Prefixes drawn at random, as many as fit in `budget` words of the index."""
        kept: list[str] = []
        for prefix in rnd.sample(prefixes, len(prefixes)):
            if len(kept) < most and 0 < widths[prefix] <= budget:
                kept.append(prefix)
                budget -= widths[prefix]
        return kept

    found: list[tuple[str, str]] = []
    for _ in range(VARIANTS):
        chosen = rnd.sample(words, MAX_TERMS)
        found.append(("mots OU", " OR ".join(chosen)))
        found.append(("mots ET", " ".join(chosen)))
        found.append(("préfixes OU", " OR ".join(p + "*" for p in fill(MAX_WORDS, MAX_TERMS))))
        mixed = zip(chosen, fill(MAX_WORDS - half, half))  # each word counts in the budget too
        found.append(("mots et préfixes", " ".join(f"({w} OR {p}*)" for w, p in mixed)))
        nested = chosen[:MAX_DEPTH + 1]
        found.append(("parenthèses", "(" * MAX_DEPTH + nested[0] + "".join(f" OR {w})" for w in nested[1:])))
        excluded = " ".join("-" + w for w in chosen[:MAX_EXCLUDED])
        found.append(("exclusions", "(" + " OR ".join(chosen[MAX_EXCLUDED:]) + ") " + excluded))
        found.append(("tout exclu", f"{chosen[0]} {excluded}"))  # every hit of the word walked, none kept
        phrase = rnd.sample(words, MAX_TERMS)
        phrases = [f'"{a} {b}"' for a, b in zip(phrase[0:2 * MAX_PHRASES:2], phrase[1:2 * MAX_PHRASES:2])]
        found.append(("expression et mots", phrases[0] + " OR " + " OR ".join(phrase[2:])))
        found.append(("expressions OU, mots ET", "(" + " OR ".join(phrases) + ") " + " ".join(phrase[2 * MAX_PHRASES:])))
    return found


def hostile_queries(store: Store, pool: int, console: Console) -> list[str]:
    """The `pool` slowest accepted candidates, each timed once; prints the slowest of each shape."""
    assert store.search is not None
    store.search.search("logement")  # warm: connections, caches of the database
    timed: list[tuple[float, str, str]] = []
    refused = Counter[str]()
    for shape, query in candidates(store, random.Random(7)):
        started = time.perf_counter()
        try:
            store.search.search(query)
        except QueryError:
            refused[shape] += 1
            continue
        timed.append(((time.perf_counter() - started) * 1000, shape, query))
    timed.sort(reverse=True)
    table = Table(title="Requêtes hostiles acceptées : la plus lente de chaque forme (une mesure, dans ce processus)")
    for column in ("forme", "ms", "requête", "refusées"):
        table.add_column(column, justify="right" if column in ("ms", "refusées") else "left")
    for shape in dict.fromkeys(shape for _, shape, _ in timed):
        ms, _, query = next(t for t in timed if t[1] == shape)
        table.add_row(shape, f"{ms:.1f}", escape(query[:90] + ("…" if len(query) > 90 else "")), str(refused[shape]))
    console.print(table)
    return [query for _, _, query in timed[:pool]]


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn.request("GET", path)
    answer = conn.getresponse()
    answer.read()
    return answer.status, (time.perf_counter() - started) * 1000


def read_page(host: str, port: int, seconds: float) -> list[float]:
    """Latencies (ms) of the page asked again and again on one keep-alive connection."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    found: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, ms = _get(conn, PAGE)
        if status != 200:
            raise RuntimeError(f"{PAGE} : statut {status}")
        found.append(ms)
    conn.close()
    return found


def _hostile_client(host: str, port: int, queries: list[str], first: int, stop: threading.Event,
                    results: list[tuple[int, float]]) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=120)
    n = first
    while not stop.is_set():
        query = queries[n % len(queries)]
        results.append(_get(conn, f"/api/search?q={urllib.parse.quote(query)}&n={n}"))
        n += 1_000_000  # each client its own `n`: never twice the same URL
    conn.close()


def hostile_load(host: str, port: int, queries: list[str], clients: int, seconds: float,
                 out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """`clients` threads sending the queries for `seconds`; puts (status, ms) of every answer."""
    stop = threading.Event()
    results: list[tuple[int, float]] = []
    threads = [threading.Thread(target=_hostile_client, args=(host, port, queries, i, stop, results))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    out.put(results)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max (a page stuck behind the load may be answered only once or twice)."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], max(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20, help="secondes par mesure")
    parser.add_argument("--pool", type=int, default=24, help="requêtes hostiles gardées (les plus lentes)")
    parser.add_argument("--db", help="une base existante (sinon le corpus, lu dans un dossier temporaire)")
    args = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else 160)
    serving = _serving()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            if not CORPUS.is_dir():
                console.print(f"corpus absent : {CORPUS}")
                return 2
            db = f"sqlite:///{Path(folder) / 'hostile.db'}"
            with Store(db) as store:
                jobs.ingest(store, [CORPUS], workers=1)
        with Store(db) as store:
            queries = hostile_queries(store, args.pool, console)
        with serving.serving(db) as served:
            address = urllib.parse.urlsplit(served.url)
            host, port = address.hostname or "127.0.0.1", address.port or 80
            read_page(host, port, 1)  # the page computed once, then from the cache
            alone = read_page(host, port, args.duration)
            out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
            load = multiprocessing.Process(target=hostile_load,
                                           args=(host, port, queries, args.clients, args.duration + 2, out))
            load.start()
            time.sleep(1)  # every client has a request in flight
            loaded = read_page(host, port, args.duration)
            hostile = out.get()
            load.join()
            served.stop()
    print_table(console, args, alone, loaded, hostile)
    return 0


def print_table(console: Console, args: argparse.Namespace, alone: list[float], loaded: list[float],
                hostile: list[tuple[int, float]]) -> None:
    table = Table(title=f"{PAGE} (en cache) : latence sans charge et sous {args.clients} clients hostiles, "
                        f"{args.duration:g} s chacune (objectif : p95 ≤ 50 ms sous charge)")
    for column in ("mesure", "requêtes", "p50 ms", "p95 ms", "max ms", "refus (4xx)", "erreurs (5xx)"):
        table.add_column(column, justify="left" if column == "mesure" else "right")
    for label, values in (("page, sans charge", alone), ("page, sous charge", loaded)):
        p50, p95, worst = percentiles(values)
        table.add_row(label, str(len(values)), f"{p50:.1f}", f"{p95:.1f}", f"{worst:.0f}", "0", "0")
    statuses = Counter(status // 100 for status, _ in hostile)
    p50, p95, worst = percentiles([ms for _, ms in hostile])
    table.add_row(f"recherches hostiles ({args.clients} clients)", str(len(hostile)), f"{p50:.1f}", f"{p95:.1f}",
                  f"{worst:.0f}", str(statuses[4]), str(statuses[5]))
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
