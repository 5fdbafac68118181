"""Full-text search on PostgreSQL: `PostgresSearch`, the database steps of `search.IndexedSearch`
over tsvector and GIN.

The flow (query, act numbers, filters, candidates, facets, page, hits) is `IndexedSearch`'s, the
ranking and snippets `ranking.py`'s: the same as SQLite's, so that a store answers the same
whatever its database. Here: the tables, writing and forgetting entries, and the SQL of each step.
Per searchable record, a row of `search_entries` (shared with SQLite), of `search_vectors` and of
`search_texts`, under the same id, plus `search_terms` and `search_facets` (see store/search.py),
all written in the transaction of the document.

`search_vectors` holds the kind column (type and filter markers, "__deliberation __commune__samer")
and `vector`, the tsvector of the tokens FTS5 indexes, given as a literal (no PostgreSQL dictionary
or parser touches them; 'simple' would re-split them): the markers without positions, then the
"^_"-marked title stems and the "_"-marked body stems in order. Its rows stay small and whole in
the table, so that testing a tsvector reads no TOAST. `search_texts` holds the analysed strings of
store/entries.py, read by `ranking.score` for the candidates. A query term is a tsquery phrase
(`<->`) of marked stems, `:*` for a prefix, its title and body forms OR-ed as in
`search_sqlite.fts_expression`; AND/OR/NOT are `&`, `|`, `!`. The hits and their order are SQLite's;
only the way to the newest hits differs (`_newest_ids`).

Limits of tsvector, on bodies of a size no act reaches: positions stop at 16,383 (a stem seen only
beyond still matches as a word, not in a phrase), 256 positions are kept per stem, and a "word" of
more than 2,046 bytes (a run of digits, never a word) is not indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text

from recueil.store.entries import Analysed, Entry
from recueil.store.query import Node, Term
from recueil.store.ranking import IDF_CAP
from recueil.store.search import DAY_BITS, SELECT, IndexedSearch, Syntax, day, facet_values, query_text

MAX_POSITION = 16383  # tsvector's
MAX_POSITIONS = 256  # per lexeme
MAX_LEXEME = 2046  # bytes
_LOCK = 0x72656375  # advisory lock of the writers of the index: ids are max + 1 per day
COMMON = 10 * IDF_CAP  # hits the planner expects of a word beyond which it is not counted (`_term_hits`)
WINDOW = 1.0  # × the hits expected: the newest rows walked, at most, before GIN is asked (`_newest_ids`)
# For this transaction (a search): a table scan would read every tsvector (see `_newest_ids`).
_NO_TABLE_SCANS = "SELECT set_config('enable_seqscan', 'off', true)"
_MATCH = "vector @@ %s::tsquery AND id BETWEEN %s AND %s"
_IN_RANGE = "id BETWEEN %s AND %s"

_TABLES = {  # rows of up to 8 kB kept whole in the table: a tsvector is tested without reading TOAST
    "search_vectors": """CREATE TABLE search_vectors (id bigint PRIMARY KEY, kind text NOT NULL,
        vector tsvector NOT NULL) WITH (toast_tuple_target = 8160)""",
    "search_texts": """CREATE TABLE search_texts (id bigint PRIMARY KEY, title_words text NOT NULL,
        title_stems text NOT NULL, body_words text NOT NULL, body_stems text NOT NULL)""",
    "search_vectors_vector": "CREATE INDEX search_vectors_vector ON search_vectors USING gin (vector)",
    "search_terms": 'CREATE TABLE search_terms (term text COLLATE "C" PRIMARY KEY)',
    "search_facets": "CREATE TABLE search_facets (facet text, slug text, label text NOT NULL, PRIMARY KEY (facet, slug))",
}


def tsvector(entry: Entry) -> str:
    """The tsvector literal of an analysed entry (see the module docstring)."""
    positions: dict[str, list[int]] = {marker: [] for marker in entry.kind.split()}
    for at, token in enumerate([*entry.title_stems.split(), *entry.body_stems.split()], 1):
        kept = positions.setdefault(token, [])
        if at <= MAX_POSITION and len(kept) < MAX_POSITIONS:
            kept.append(at)
    return " ".join(f"'{token}'" + (":" + ",".join(map(str, at)) if at else "")
                    for token, at in positions.items() if len(token) <= MAX_LEXEME)


def _lexeme(token: str) -> str:
    return f"'{token}'"  # analysed tokens and markers hold neither quotes nor backslashes


def _phrase(tokens: Sequence[str], mark: str, prefix: bool) -> str:
    return "(" + " <-> ".join(_lexeme(mark + t) for t in tokens) + (":*" if prefix else "") + ")"


TSQUERY = Syntax(" | ", " & ", " & !", _lexeme, _phrase)


def tsquery(node: Node, marks: tuple[str, ...] = SELECT) -> str:
    """The tsquery of a query tree (see `search.query_text`)."""
    return query_text(node, TSQUERY, marks)


class PostgresSearch(IndexedSearch):
    """`SearchIndex` over PostgreSQL full-text search (see the module docstring)."""

    syntax = TSQUERY
    tables: tuple[str, ...] = ("search_vectors", "search_texts", "search_terms", "search_facets")

    def create(self, conn: Connection) -> None:
        """The index's missing tables (only those: a read-only role opens a store too), in the
        caller's transaction (which holds the store's write lock)."""
        for name, statement in _TABLES.items():
            if conn.exec_driver_sql("SELECT to_regclass(%s)", (name,)).scalar() is None:
                conn.exec_driver_sql(statement)

    def _write(self, conn: Connection, analysed: Analysed) -> None:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        days = sorted({day(entry.date) for entry in analysed.entries})
        top: dict[int, int | None] = dict(conn.exec_driver_sql(
            "SELECT day, (SELECT max(id) FROM search_entries WHERE id BETWEEN day << %s AND ((day + 1) << %s) - 1) "
            "FROM unnest(%s::bigint[]) AS day", (DAY_BITS, DAY_BITS, days)).all())
        next_id = {d: (last + 1 if (last := top[d]) is not None else d << DAY_BITS) for d in days}
        ids = []
        for entry in analysed.entries:
            ids.append(next_id[day(entry.date)])
            next_id[day(entry.date)] += 1
        driver = conn.connection.driver_connection  # COPY: the fastest way in, inside this transaction
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy("COPY search_entries (id, document_id, type, key, number, act, title, date, text) "
                             "FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.document_id, e.type, e.key, e.number, e.act, e.title, e.date, e.text))
            with cursor.copy("COPY search_vectors (id, kind, vector) FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.kind, tsvector(e)))
            with cursor.copy("COPY search_texts (id, title_words, title_stems, body_words, body_stems) FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.title_words, e.title_stems, e.body_words, e.body_stems))
        conn.exec_driver_sql("INSERT INTO search_terms SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                             (analysed.vocabulary,))
        values = facet_values(analysed)
        if values:
            conn.exec_driver_sql("INSERT INTO search_facets SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) "
                                 "ON CONFLICT DO NOTHING", tuple(map(list, zip(*values))))

    def _forget(self, conn: Connection, document_id: str) -> None:
        for table in ("search_vectors", "search_texts"):
            conn.execute(text(f"DELETE FROM {table} WHERE id IN (SELECT id FROM search_entries WHERE document_id = :d)"),
                         {"d": document_id})

    @contextmanager
    def _connect(self, query: str) -> Iterator[Connection]:
        """A connection whose planner reads no table whole (see `_newest_ids`)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql(_NO_TABLE_SCANS)
            yield conn

    def _by_id(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int,
               oldest: bool) -> list[int]:
        return list(conn.exec_driver_sql(f"SELECT id FROM search_vectors WHERE {_where(direct)} "
                                         f"ORDER BY id + 0 {'ASC' if oldest else 'DESC'} LIMIT %s",
                                         (query, low, high, needed)).scalars())

    def _newest(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int) -> list[int]:
        return _newest_ids(conn, _where(direct), (query, low, high), needed, _estimate(conn, _IN_RANGE, (low, high)))

    def _count(self, conn: Connection, query: str, direct: list[int], low: int, high: int, cap: int) -> int:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM (SELECT 1 FROM search_vectors WHERE {_where(direct)} "
                                        "LIMIT %s) AS hits", (query, low, high, cap)).scalar_one())

    def _term_hits(self, conn: Connection, term: Term) -> int:
        """Any hits of the term, the first read from GIN; but a word the planner expects in `COMMON`
        entries or more (ANALYZE counts the frequent words) has `IDF_CAP` without reading: GIN
        gathers every hit of a word before any LIMIT (10 to 20 ms a common word at 100,000 acts,
        16 words in a query). Not a phrase: the planner takes it for its words ANDed."""
        query = tsquery(term)
        if len(term.tokens) == 1 and not term.prefix and _estimate(conn, "vector @@ %s::tsquery", (query,)) >= COMMON:
            return IDF_CAP
        return int(conn.exec_driver_sql("SELECT count(*) FROM (SELECT 1 FROM search_vectors WHERE vector @@ %s::tsquery "
                                        "LIMIT %s) AS hits", (query, IDF_CAP)).scalar_one())

    def _matching(self, conn: Connection, query: str, ids: list[int]) -> set[int]:
        return set(conn.exec_driver_sql("SELECT id FROM search_vectors WHERE vector @@ %s::tsquery AND id = ANY(%s)",
                                        (query, ids)).scalars())

    def _kinds(self, conn: Connection, ids: list[int]) -> list[str]:
        return list(conn.exec_driver_sql("SELECT kind FROM search_vectors WHERE id = ANY(%s)", (ids,)).scalars())

    def _analysed(self, conn: Connection, ids: list[int]) -> Sequence[Any]:
        return conn.exec_driver_sql("SELECT id, v.kind, t.title_words, t.title_stems, t.body_words, t.body_stems "
                                    "FROM search_vectors AS v JOIN search_texts AS t USING (id) WHERE id = ANY(%s)",
                                    (ids,)).all()


def _where(direct: list[int]) -> str:
    """The hits of a tsquery between two ids, but the act-number hits already shown."""
    return _MATCH + f" AND id NOT IN ({','.join(map(str, direct))})" if direct else _MATCH


def _estimate(conn: Connection, where: str, parameters: tuple[Any, ...]) -> float:
    """The planner's estimate of the rows of search_vectors that `where` keeps (from ANALYZE)."""
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_vectors WHERE {where}", parameters).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


def _newest_ids(conn: Connection, where: str, parameters: tuple[Any, ...], needed: int,
                rows_in_range: float) -> list[int]:
    """The ids of the `needed` newest hits of `where` (`parameters`: its tsquery, low and high ids,
    between which the planner expects `rows_in_range` rows).

    GIN gives hits in no order: the newest need every hit read from the table, then sorted (90 ms
    for 34,000 hits of 100,000 acts). When hits are many and dense, the newest rows are walked by
    id instead, testing each tsvector, until `needed` hits (10 ms): when the planner expects them
    within half as many rows as there are hits. Hits are not spread evenly (undated acts come
    first, subjects come and go): if the newest `WINDOW` × hits rows hold too few, the GIN way
    follows, having cost about as much again. Left to itself, the planner may walk the ids for
    rare words too (0.9 s for two words that 342 acts hold): the GIN way sorts by `id + 0`, which
    no index gives.
    """
    _, low, high = parameters
    hits = _estimate(conn, where, parameters)
    window = int(WINDOW * hits)
    if needed * rows_in_range / max(hits, 1.0) <= window / 2:
        found = conn.exec_driver_sql(
            f"SELECT id FROM (SELECT id, vector FROM search_vectors WHERE id BETWEEN %s AND %s "
            f"ORDER BY id DESC LIMIT %s) AS recent WHERE {where} ORDER BY id DESC LIMIT %s",
            (low, high, window, *parameters, needed)).scalars().all()
        if len(found) == needed:  # every row newer than the last hit was tested: the newest hits
            return list(found)
    return list(conn.exec_driver_sql(f"SELECT id FROM search_vectors WHERE {where} ORDER BY id + 0 DESC LIMIT %s",
                                     (*parameters, needed)).scalars())
