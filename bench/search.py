"""Search latency on synthetic stores of 10k, 100k (and 1M) acts built from the corpus.

Synthetic acts are deliberations, rapports, road orders and speaking turns whose titles and texts
are windows of consecutive words cut from the corpus records (so phrases still occur), dated over
25 years, with filter values (body, vote and group of deliberations, territory of rapports, commune
and road of road orders), indexed through the real `SqliteSearch.index`. For a fixed set of
queries (common words, phrases, boolean, prefix, rare, and words with filters) it prints p50/p95
latency of:
- recueil: `SqliteSearch.search` as the command line and the API call it (count, two-stage
  ranking, 20 hits with snippets, facets);
- fts5 bm25: plain FTS5 `ORDER BY bm25` over every hit (20 rowids, no count, no snippet), filters
  as marker words like recueil's;
- LIKE scan: `LIKE '%word%'` on the stored texts, counting every match (the naive scan; it, tantivy
  and pg ts_rank_cd take the words of a filtered query without its filters);
- with `--tantivy`: tantivy over the same analysed tokens (see `Tantivy`);
- postgresql: `PostgresSearch.search`, the same two stages over tsvector and GIN, on a throwaway
  server (tests/pg.py; up to `--pg-max` acts, and only when a server can be started here), with
  its own baseline, pg ts_rank_cd: every hit ranked by `ts_rank_cd` (20 ids, no count, no snippet);
and, per query, how many of the top 10 that recueil's ranking gives when it scores every hit its
two stages keep (overlap@10: 10/10 up to `CANDIDATES` hits; beyond, only the newest hits and the
newest with the query in their title are scored).

Usage: python bench/search.py [--sizes 10000 100000 1000000] [--runs 20] [--tantivy] [--dir DIR]
                               [--pg-max 100000]
(SQLite stores are kept in DIR and reused when they exist; the 1M store takes a few minutes to
build; PostgreSQL stores are built again on each run, and their build time printed)
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import text

from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_file
from recueil.model import Deliberation, Document, Intervention, ListedAct, Publication, Report, Sitting, Source, Vote
from recueil.store import search as search_module
from recueil.store.database import Store
from recueil.store.facets import check_filters, marker
from recueil.store.query import Node, Or, Term, parse_query
from recueil.store.ranking import WEIGHTS
from recueil.store.search import SearchIndex, SearchResults, complete_prefixes
from recueil.store.search_pg import tsquery
from recueil.store.search_sqlite import fts_expression

if TYPE_CHECKING:
    import tantivy

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BATCH = 5000
PLAIN_BM25 = f"bm25(search_fts, {', '.join(map(str, WEIGHTS))})"

QUERIES: dict[str, list[str | tuple[str, dict[str, str]]]] = {
    "mots courants": ["département", "conseil départemental", "subvention commune", "délibération"],
    "expressions": ['"conseil départemental"', '"logement d\'abord"', '"route départementale"'],
    "booléennes": ["voirie OR travaux", "collège NOT travaux", "budget AND (investissement OR fonctionnement)"],
    "préfixes": ["départementa*", "subvention*", "handica*"],
    "rares": ["téléassistance", "eurostar calais"],
    "filtrées": [("travaux", {"commune": "Samer"}), ("département", {"territory": "Boulonnais"}),
                 ("subvention", {"body": "cp", "vote": "abstentions"}), ("", {"group": "Rassemblement National"})],
}
TERRITORIES = ["Arrageois", "Artois", "Audomarois", "Boulonnais", "Calaisis", "Lens-Hénin", "Montreuillois-Ternois",
               "Tous les territoires"]
GROUPS = ["Groupe Socialiste, Républicain et Citoyen", "Groupe Communiste et Républicain",
          "Groupe Union pour le Pas-de-Calais", "Groupe Rassemblement National"]


class Corpus:
    """Word sequences of the corpus records, to cut synthetic titles and texts from."""

    def __init__(self, paths: list[Path]) -> None:
        self.texts: list[list[str]] = []
        self.titles: list[list[str]] = []
        communes: set[str] = set()
        roads: set[str] = set()
        for path in paths:
            publication = parse(read_file(path))
            records = [*publication.deliberations, *publication.reports, *publication.interventions]
            self.texts += [r.text.split() for r in records if len(r.text.split()) > 40]
            self.titles += [a.title.split() for a in [*publication.deliberations, *publication.listed_acts]]
            communes.update(c for a in publication.listed_acts for c in a.commune_names)
            roads.update(r for a in publication.listed_acts for r in a.road_codes)
        self.communes, self.roads = sorted(communes | {"Samer"}), sorted(roads | {"D939"})

    def window(self, rnd: random.Random, low: int, high: int) -> str:
        words = rnd.choice(self.texts)
        size = rnd.randint(low, high)
        start = rnd.randrange(max(1, len(words) - size))
        return " ".join(words[start:start + size])

    def title(self, rnd: random.Random) -> str:
        return " ".join(rnd.choice(self.titles)) + " " + self.window(rnd, 2, 6)

    def body(self, rnd: random.Random) -> str:
        return " ".join(self.window(rnd, 8, 30) for _ in range(rnd.randint(1, 12)))


def vote(rnd: random.Random) -> Vote:
    """Mostly unanimous; one in ten with abstentions, one in twenty with votes against, by a group."""
    draw = rnd.random()
    if draw < 0.85:
        return Vote(pour=78)
    group = rnd.choice(GROUPS)
    if draw < 0.95:
        return Vote(pour=60, abstention=18, groups={"abstention": [group]})
    return Vote(pour=60, contre=18, groups={"contre": [group]})


def synthetic(corpus: Corpus, rnd: random.Random, start: int, count: int) -> Publication:
    """`count` synthetic records, in the proportions of a séance record."""
    source = Source("synthetique", 1, 1)
    publication = Publication(Document(f"s{start}", f"{start:064d}", f"synthetique-{start}", "recueil", "synthétique"))
    first = date(2000, 1, 1)
    for n in range(start, start + count):
        day = (first + timedelta(days=rnd.randrange(9131))).isoformat()
        kind = n % 10
        if kind < 4:
            body = "commission_permanente" if kind < 3 else "conseil_departemental"
            publication.deliberations.append(Deliberation(f"{day[:4]}-{n}", corpus.title(rnd), body, day, "DECIDE",
                                                          source, vote=vote(rnd), text=corpus.body(rnd)))
        elif kind < 6:
            publication.reports.append(Report(n, corpus.title(rnd), source, territories=[rnd.choice(TERRITORIES)],
                                              text=corpus.body(rnd)))
        elif kind < 8:
            publication.listed_acts.append(ListedAct("road_order", None, "Voirie", corpus.title(rnd), None,
                                                      Source("synthetique", n, n), commune_names=[
                                                          rnd.choice(corpus.communes)], road_codes=[
                                                          rnd.choice(corpus.roads)]))
        else:
            publication.interventions.append(Intervention(f"cd-{day}", n, "M. X", None, None, corpus.body(rnd), 1, 1))
            publication.sittings.append(Sitting(f"cd-{day}", "conseil_departemental", day, source))
    return publication


def build(url: str, size: int, corpus: Corpus) -> Store:
    store = Store(url)
    with store.engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM search_entries")).scalar_one()
    if have == size:
        return store
    assert have == 0, f"{url} holds {have} entries, not {size}: remove it"
    rnd = random.Random(size)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        publication = synthetic(corpus, rnd, start, min(BATCH, size - start))
        with store.engine.begin() as conn:
            doc = publication.document
            conn.execute(text("INSERT INTO documents VALUES (:id, :sha, :src, 'recueil', 'synthétique', '', '{}')"),
                         {"id": doc.id, "sha": doc.sha256, "src": doc.source})
            assert store.search is not None
            store.search.index(publication, conn)
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        else:
            conn.exec_driver_sql("ANALYZE")  # the planner's statistics of the words, as autovacuum would
        megabytes = (Path(store.engine.url.database or "").stat().st_size if store.engine.dialect.name == "sqlite" else
                     conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()) / 1e6
    print(f"{size} actes indexés en {time.perf_counter() - started:.0f} s "
          f"({store.engine.dialect.name}, {megabytes:.0f} Mo)")
    return store


def timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


Query = str | tuple[str, dict[str, str]]  # words, or words and filters


def split(query: Query) -> tuple[str, dict[str, str]]:
    return (query, {}) if isinstance(query, str) else query


def shown(query: Query) -> str:
    words, filters = split(query)
    return escape(" ".join([words] + [f"[{key}={value}]" for key, value in filters.items()]).strip())


def recueil(index: SearchIndex, query: Query) -> SearchResults:
    """The search as the command line and the API call it: 20 hits with snippets, total, facets."""
    words, filters = split(query)
    return index.search(words, filters=filters) if filters else index.search(words)


def plain_bm25(store: Store, query: Query) -> list[int]:
    """The baseline: FTS5 ranks every hit with its bm25() (same query, same filters as marker
    words, same column weights)."""
    words, filters = split(query)
    parts = [fts_expression(parse_query(words))] if words else []
    parts += [f'"{marker(key, value)}"' for key, value in check_filters(filters).items()]
    with store.engine.connect() as conn:
        return list(conn.execute(text(f"SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY {PLAIN_BM25} "
                                      "LIMIT 20"), {"q": " AND ".join(parts)}).scalars())


def exhaustive(store: Store, query: Query) -> SearchResults:
    """recueil's ranking applied to every hit (no candidate cut): what its two stages approximate."""
    saved, search_module.CANDIDATES = search_module.CANDIDATES, 10**9
    try:
        return recueil(store.search, query)  # type: ignore[arg-type]
    finally:
        search_module.CANDIDATES = saved


def pg_rank(store: Store, query: Query) -> list[int]:
    """PostgreSQL's baseline: every hit ranked by ts_rank_cd, titles weighing as in `WEIGHTS`
    (the words only: filters are not applied)."""
    words, _ = split(query)
    if not words:
        return []
    with store.engine.connect() as conn:
        node = complete_prefixes(parse_query(words), conn)
        return list(conn.exec_driver_sql("SELECT id FROM search_vectors WHERE vector @@ %s::tsquery "
                                         "ORDER BY ts_rank_cd(vector, %s::tsquery) DESC LIMIT 20",
                                         (tsquery(node), tsquery(node))).scalars())


def postgres_cluster() -> Any:
    """A throwaway PostgreSQL server (tests/pg.py), or None with the reason printed."""
    spec = importlib.util.spec_from_file_location("recueil_tests_pg", ROOT / "tests" / "pg.py")
    assert spec and spec.loader
    pg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pg)
    try:
        return pg.start_cluster()
    except pg.PostgresUnavailable as reason:
        print(f"PostgreSQL non mesuré : {reason}")
        return None


def like_scan(store: Store, query: Query) -> int:
    """The naive scan, over the words only (filters are not applied)."""
    words = [w.strip('"*()') for w in split(query)[0].split() if w not in ("AND", "OR", "NOT")]
    where = " AND ".join(f"(title LIKE :w{i} OR text LIKE :w{i})" for i in range(len(words))) or "1"
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM search_entries WHERE {where}"),
                            {f"w{i}": f"%{w}%" for i, w in enumerate(words)}).scalar_one()


class Tantivy:
    """The other candidate (`--tantivy`): tantivy, Rust with block-max WAND, over the same analysed
    tokens (read from the store's FTS5 content table): BM25 over every hit, exact count, same
    field weights; 20 ids, no snippet. Its index lives beside the store, outside its transactions."""

    def __init__(self, store: Store, path: Path) -> None:
        import tantivy

        self.tantivy, self.store = tantivy, store
        if not path.exists():
            builder = tantivy.SchemaBuilder()
            builder.add_integer_field("id", stored=True)
            for name in ("title", "title_stems", "body", "body_stems"):
                builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
            path.mkdir(parents=True)
            writer = tantivy.Index(builder.build(), path=str(path)).writer(heap_size=500_000_000)
            with store.engine.connect() as conn:
                for row in conn.exec_driver_sql("SELECT id, c1, c2, c3, c4 FROM search_fts_content"):
                    writer.add_document(tantivy.Document(id=row[0], title=row[1], title_stems=row[2], body=row[3],
                                                         body_stems=row[4]))
            writer.commit()
            writer.wait_merging_threads()
        self.index = tantivy.Index.open(str(path))
        self.searcher = self.index.searcher()

    def _field(self, name: str, tokens: list[str], boost: float) -> tantivy.Query:
        query = self.tantivy.Query
        found = (query.term_query(self.index.schema, name, tokens[0]) if len(tokens) == 1
                 else query.phrase_query(self.index.schema, name, list[str | tuple[int, str]](tokens)))
        return query.boost_query(found, boost)

    def _query(self, node: Node) -> tantivy.Query:
        query, occur = self.tantivy.Query, self.tantivy.Occur
        if isinstance(node, Term):
            w_title, w_title_stems, w_body, w_body_stems = WEIGHTS[1:]
            if node.completions or node.prefix:
                words = list(node.completions or node.tokens)
                parts = [self._field(name, [mark + w], weight) for w in words
                         for name, mark, weight in (("title", "^", w_title), ("body", "", w_body))]
            else:
                parts = [self._field("title", ["^" + t for t in node.tokens], w_title),
                         self._field("body", list(node.tokens), w_body),
                         self._field("title_stems", ["^_" + s for s in node.stems], w_title_stems),
                         self._field("body_stems", ["_" + s for s in node.stems], w_body_stems)]
            return query.boolean_query([(occur.Should, p) for p in parts])
        if isinstance(node, Or):
            return query.boolean_query([(occur.Should, self._query(o)) for o in node.options])
        return query.boolean_query([(occur.Must, self._query(i)) for i in node.include]
                                   + [(occur.MustNot, self._query(e)) for e in node.exclude])

    def search(self, query: Query) -> int:
        """The words only (filters are not applied; no words: nothing to measure)."""
        words, _ = split(query)
        if not words:
            return 0
        with self.store.engine.connect() as conn:
            node = complete_prefixes(parse_query(words), conn)
        return int(self.searcher.search(self._query(node), 20, count=True).count)  # type: ignore[attr-defined]


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.1f} / {p95:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--like-runs", type=int, default=2)
    parser.add_argument("--tantivy", action="store_true", help="measure tantivy too (pip install -e '.[bench]')")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "recueil-bench")
    parser.add_argument("--pg-max", type=int, default=100_000, help="largest store measured on PostgreSQL")
    args = parser.parse_args()
    paths = sorted(CORPUS.glob("*.txt"))
    if not paths:
        print("Aucun document : placez ../shared/corpus à côté du projet.")
        return 2
    args.dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(paths)
    console = Console(width=None if sys.stdout.isatty() else 160)  # whole tables in a log too
    cluster = postgres_cluster() if min(args.sizes) <= args.pg_max else None
    methods = (["recueil", "fts5 bm25", "LIKE"] + (["tantivy"] if args.tantivy else [])
               + (["postgresql", "pg ts_rank_cd"] if cluster else []))
    summary = Table(title="Latence de recherche, p50 / p95 en ms (toutes requêtes)")
    for column in ("actes", *methods):
        summary.add_column(column, justify="right")
    try:
        for size in args.sizes:
            store = build(f"sqlite:///{args.dir / f'search-{size}.db'}", size, corpus)
            assert store.search is not None
            calls = {"recueil": (partial(recueil, store.search), args.runs),
                     "fts5 bm25": (partial(plain_bm25, store), args.runs),
                     "LIKE": (partial(like_scan, store), args.like_runs)}
            if args.tantivy:
                calls["tantivy"] = (Tantivy(store, args.dir / f"tantivy-{size}").search, args.runs)
            server = build(cluster.url(f"search_{size}"), size, corpus) if cluster and size <= args.pg_max else None
            if server and server.search:
                calls["postgresql"] = (partial(recueil, server.search), args.runs)
                calls["pg ts_rank_cd"] = (partial(pg_rank, server), args.runs)
            detail = Table(title=f"{size} actes : p50 / p95 en ms par requête")
            for column in ("famille", "requête", "résultats", *methods, "top 10 gardés", "pg = sqlite"):
                detail.add_column(column, justify="right")
            totals: dict[str, list[float]] = {method: [] for method in methods}
            for family, queries in QUERIES.items():
                for query in queries:
                    cells, results = [], {}
                    for method in methods:
                        if method not in calls:
                            cells.append("—")
                            continue
                        call, runs = calls[method]
                        times, results[method] = timed(partial(call, query), runs)
                        totals[method] += times
                        cells.append(percentiles(times))
                    found = results["recueil"]
                    assert isinstance(found, SearchResults)
                    reference = {h.id for h in exhaustive(store, query).results[:10]}
                    overlap = f"{len({h.id for h in found.results[:10]} & reference)}/{len(reference)}"
                    total = f"{found.total}{'' if found.total_exact else '+'}"
                    same = "—" if "postgresql" not in results else "oui" if results["postgresql"] == found else "non"
                    detail.add_row(family, shown(query), total, *cells, overlap, same)
            console.print(detail)
            summary.add_row(str(size), *(percentiles(totals[m]) if totals[m] else "—" for m in methods))
            store.close()
            if server:
                server.close()
    finally:
        if cluster:
            cluster.stop()
    console.print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
