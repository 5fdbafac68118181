"""Full-text search on SQLite: `SqliteSearch`, the database steps of `search.IndexedSearch` over an
FTS5 table (the flow, the ranking and the snippets are shared with PostgreSQL: see store/search.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from recueil.store.entries import Analysed
from recueil.store.query import Node, QueryError, Term
from recueil.store.ranking import IDF_CAP
from recueil.store.search import DAY_BITS, SELECT, IndexedSearch, Syntax, day, facet_values, query_text


def _fts_phrase(tokens: Sequence[str], mark: str, prefix: bool) -> str:
    return '"' + " ".join(mark + t for t in tokens) + '"' + ("*" if prefix else "")


FTS5 = Syntax(" OR ", " AND ", " NOT ", lambda word: f'"{word}"', _fts_phrase)


def fts_expression(node: Node, marks: tuple[str, ...] = SELECT) -> str:
    """The FTS5 expression of a query tree (see `query_text`)."""
    return query_text(node, FTS5, marks)


def _id_list(ids: Iterable[int]) -> str:
    return ",".join(map(str, ids))


class SqliteSearch(IndexedSearch):
    """`SearchIndex` over SQLite FTS5 (see the module docstring). Driver-level SQL: this runs inside
    every ingest and every search. The analysed columns are read from the FTS5 content table
    (`search_fts_content`, c0 to c4), without FTS5."""

    syntax = FTS5
    tables: tuple[str, ...] = ("search_fts", "search_terms", "search_facets")

    def create(self, conn: Connection) -> None:
        """The index's tables, in the caller's transaction (which holds the store's write lock)."""
        conn.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                             "kind, title UNINDEXED, title_stems, body UNINDEXED, body_stems, "
                             "tokenize=\"unicode61 tokenchars '_^'\")")
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS search_facets (facet TEXT, slug TEXT, "
                             "label TEXT NOT NULL, PRIMARY KEY (facet, slug)) WITHOUT ROWID")

    def _write(self, conn: Connection, analysed: Analysed) -> None:
        next_id: dict[int, int] = {}
        ids = []
        for entry in analysed.entries:
            entry_day = day(entry.date)
            if entry_day not in next_id:
                low = entry_day << DAY_BITS
                top = conn.exec_driver_sql("SELECT max(id) FROM search_entries WHERE id BETWEEN ? AND ?",
                                           (low, low | (1 << DAY_BITS) - 1)).scalar()
                next_id[entry_day] = (top if top is not None else low - 1) + 1
            ids.append(next_id[entry_day])
            next_id[entry_day] += 1
        conn.exec_driver_sql("INSERT INTO search_entries(id, document_id, type, key, number, act, title, date, text) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(i, e.document_id, e.type, e.key, e.number, e.act, e.title, e.date, e.text)
                              for i, e in zip(ids, analysed.entries)])
        conn.exec_driver_sql("INSERT INTO search_fts(rowid, kind, title, title_stems, body, body_stems) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             [(i, e.kind, e.title_words, e.title_stems, e.body_words, e.body_stems)
                              for i, e in zip(ids, analysed.entries)])
        conn.exec_driver_sql("INSERT OR IGNORE INTO search_terms VALUES (?)", [(w,) for w in analysed.vocabulary])
        values = facet_values(analysed)
        if values:
            conn.exec_driver_sql("INSERT OR IGNORE INTO search_facets VALUES (?, ?, ?)", values)

    def _forget(self, conn: Connection, document_id: str) -> None:
        conn.execute(text("DELETE FROM search_fts WHERE rowid IN "
                          "(SELECT id FROM search_entries WHERE document_id = :d)"), {"d": document_id})

    @contextmanager
    def _connect(self, query: str) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            try:
                yield conn
            except OperationalError as error:
                if "fts5" not in str(error.orig):
                    raise
                raise QueryError(f"requête illisible : {query}") from error  # let through by the parser

    @staticmethod
    def _hits(direct: list[int]) -> str:
        found = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
        return f"{found} AND rowid NOT IN ({_id_list(direct)})" if direct else found

    def _newest(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int) -> list[int]:
        return list(conn.exec_driver_sql(f"{self._hits(direct)} ORDER BY rowid DESC LIMIT ?",
                                         (query, low, high, needed)).scalars())

    def _by_id(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int,
               oldest: bool) -> list[int]:
        return list(conn.exec_driver_sql(f"{self._hits(direct)} ORDER BY rowid {'ASC' if oldest else 'DESC'} LIMIT ?",
                                         (query, low, high, needed)).scalars())

    def _count(self, conn: Connection, query: str, direct: list[int], low: int, high: int, cap: int) -> int:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM ({self._hits(direct)} LIMIT ?)",
                                        (query, low, high, cap)).scalar_one())

    def _term_hits(self, conn: Connection, term: Term) -> int:
        return int(conn.exec_driver_sql("SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
                                        "LIMIT ?)", (fts_expression(term), IDF_CAP)).scalar_one())

    def _matching(self, conn: Connection, query: str, ids: list[int]) -> set[int]:
        return set(conn.exec_driver_sql(f"SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid IN "
                                        f"({_id_list(ids)})", (query,)).scalars())

    def _kinds(self, conn: Connection, ids: list[int]) -> list[str]:
        return list(conn.exec_driver_sql(
            f"SELECT c0 FROM search_fts_content WHERE id IN ({_id_list(ids)})").scalars())

    def _analysed(self, conn: Connection, ids: list[int]) -> Sequence[Any]:
        return conn.exec_driver_sql(
            f"SELECT id, c0, c1, c2, c3, c4 FROM search_fts_content WHERE id IN ({_id_list(ids)})").fetchall()
