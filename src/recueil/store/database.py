"""The store: one transaction per document, into SQLite (default) or PostgreSQL.

A document is identified by the SHA-256 of its bytes: storing the same bytes again changes
nothing (unless pages of that PDF were left unread for want of OCR: the new reading replaces it);
a new version of a file (same name, other bytes) replaces the records of the old one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Inspector,
    Table,
    create_engine,
    delete,
    event,
    func,
    inspect,
    make_url,
    or_,
    select,
)
from sqlalchemy.exc import ArgumentError, DBAPIError

from recueil.model import Publication, to_dict
from recueil.store import acts, schema
from recueil.store.entries import Analysed
from recueil.store.ledger import member_records, vote_cast_records
from recueil.store.rows import table_rows
from recueil.store.search import SearchIndex

DEFAULT_URL = "sqlite:///recueil.db"
WRITE_LOCK = 0x72657772  # PostgreSQL advisory lock held by a transaction that writes the store
BUSY_TIMEOUT = 60  # seconds a SQLite writer waits for another to finish before it gives up
WAL_ATTEMPTS = 200  # 10 s of tries to switch a new SQLite store to WAL while another process opens it


class StoreError(Exception):
    """The database cannot be opened or written; the message (in French) says why."""


def database_url(url: str | None = None) -> str:
    """`--db`, else `RECUEIL_DB`, else `recueil.db` here; a bare path means a SQLite file, and a
    bare `postgresql://` the driver of `recueil[postgresql]` (psycopg 3, not SQLAlchemy's psycopg2)."""
    url = url or os.environ.get("RECUEIL_DB") or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, _, rest = url.partition("://")
    return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    _write_ahead_log(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _write_ahead_log(cursor: Any) -> None:
    """WAL, set once by the first process to open a new store: switching needs the file to itself,
    so a process opening the store at that very moment is told "locked" and tries again."""
    for _ in range(WAL_ATTEMPTS):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA journal_mode=WAL")  # the last attempt's error is the caller's


def _shown(url: str) -> str:
    """The URL as messages print it: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for another database, or one in memory)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    return parsed.database if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") else None


@dataclass
class Saved:
    status: Literal["nouveau", "inchangé", "remplacé"]
    document_id: str


def search_index(engine: Engine) -> SearchIndex | None:
    """The search index of a store: FTS5 on SQLite, tsvector on PostgreSQL, none elsewhere (each
    backend loads only where it is used)."""
    if engine.dialect.name == "postgresql":
        from recueil.store.search_pg import PostgresSearch

        return PostgresSearch(engine)
    if engine.dialect.name == "sqlite":
        from recueil.store.search_sqlite import SqliteSearch

        return SqliteSearch(engine)
    return None


def _missing_columns(seen: Inspector, tables: set[str]) -> list[tuple[Table, Column[Any]]]:
    """The columns the schema marks as added to an existing table (`info={"added": True}`, nullable)
    that the store's table still lacks; only those tables are inspected, opening stays cheap."""
    missing = []
    for table in schema.metadata.tables.values():
        added = [c for c in table.columns if c.info.get("added")]
        if added and table.name in tables:
            have = {c["name"] for c in seen.get_columns(table.name)}
            missing += [(table, c) for c in added if c.name not in have]
    return missing


class Store:
    """A database of publications, opened from a SQLAlchemy URL; `create=False` for the commands
    that only read it: a SQLite file that does not exist is then refused, not made empty."""

    def __init__(self, url: str | None = None, create: bool = True) -> None:
        self.url = database_url(url)
        shown = _shown(self.url)
        if not create and (path := sqlite_file(self.url)) and not os.path.exists(path):
            raise StoreError(f"base de données introuvable : {path} (créez-la avec recueil ingest)")
        try:
            sqlite = make_url(self.url).get_backend_name() == "sqlite"
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT} if sqlite else {})
        except ModuleNotFoundError as error:
            hint = " : installez l'option postgresql de recueil" if self.url.startswith("postgresql") else ""
            raise StoreError(f"pilote absent pour {shown} (module {error.name}){hint}") from error
        except (ArgumentError, ImportError) as error:
            raise StoreError(f"adresse de base de données invalide : {shown} ({error})") from error
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self.search = search_index(self.engine)
            self._create_tables()
        except DBAPIError as error:  # unreachable, or not allowed to create the tables
            reason = " ".join(str(error.orig).split())  # psycopg's messages span lines
            raise StoreError(f"base de données inaccessible : {shown} ({reason})") from error

    def _create_tables(self) -> None:
        """The missing tables, and the nullable columns added to a table since the store was
        made, under the write lock: two processes opening a new store at once take turns (a store
        that has every table and column is opened without waiting for a writer)."""
        wanted = set(schema.metadata.tables) | set(self.search.tables if self.search else ())
        with self.engine.connect() as conn:
            seen = inspect(conn)
            tables = set(seen.get_table_names())
            if wanted <= tables and not _missing_columns(seen, tables):
                return
        with self.writing() as conn:
            schema.metadata.create_all(conn)
            for table, column in _missing_columns(inspect(conn), tables):
                quote, kind = conn.dialect.identifier_preparer.quote, column.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}")
            if self.search:
                self.search.create(conn)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that holds the store's write lock from its first statement, so that two
        processes writing at once take turns and the second sees what the first stored: SQLite's
        BEGIN IMMEDIATE (the driver has not begun one yet), a PostgreSQL advisory lock."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, publication: Publication, analysed: Analysed | None = None,
             rows: dict[str, list[dict[str, Any]]] | None = None) -> Saved:
        """Store a publication in one transaction (see the module docstring); `analysed` and
        `rows` (`table_rows`): its index entries and rows when a parse worker has made them."""
        doc = publication.document
        with self.writing() as conn:
            stored = conn.execute(select(schema.documents.c.data).where(schema.documents.c.sha256 == doc.sha256)).first()
            if stored and not stored.data.get("unread_pages"):  # pages left for OCR: read them now
                return Saved("inchangé", doc.id)
            older = conn.execute(select(schema.documents.c.id).where(
                or_(schema.documents.c.source == doc.source, schema.documents.c.sha256 == doc.sha256))).scalars().all()
            for old in older:
                if self.search:
                    self.search.remove(old, conn)
                for table in schema.CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.document_id == old))
                conn.execute(delete(schema.documents).where(schema.documents.c.id == old))
            conn.execute(schema.documents.insert().values(
                id=doc.id, sha256=doc.sha256, source=doc.source, kind=doc.kind, title=doc.title,
                ingested_at=datetime.now(UTC).isoformat(timespec="seconds"), data=to_dict(doc),
            ))
            written = rows if rows is not None else table_rows(publication)
            for table in schema.CHILD_TABLES:
                if written.get(table.name):
                    conn.execute(table.insert(), written[table.name])
            if self.search:
                self.search.index(publication, conn, analysed)
        return Saved("remplacé" if older else "nouveau", doc.id)

    def records(self, latest: bool = False) -> Iterator[dict[str, Any]]:
        """Every stored record as its JSONL object, documents first; each kind by document id, then
        in its document's order: the same store content exports the same bytes, whichever order
        its documents were stored in. `latest`: one deliberation per number and séance (minutes
        number their items from 1 at every séance), its last stored
        reading (an act read from two documents — a corrected recueil, an act's text and its PDF —
        is one row of an open-data file). A deliberation's dates of transmission, acknowledgement
        and publication its document does not print come from its history (store/acts.py). Then
        what the write side recorded: the members by period of group, and the vote ledger
        (store/ledger.py)."""
        kinds = [
            ("document", schema.documents, ()),
            ("sitting", schema.sittings, (schema.sittings.c.pk,)),
            ("deliberation", schema.deliberations, (schema.deliberations.c.pk,)),
            ("report", schema.reports, (schema.reports.c.pk,)),
            ("listed_act", schema.listed_acts, (schema.listed_acts.c.pk,)),
            ("intervention", schema.interventions, (schema.interventions.c.pk,)),
            ("motion", schema.motions, (schema.motions.c.pk,)),
        ]
        with self.engine.connect() as conn:
            history = acts.record_fields(conn)
            for kind, table, then in kinds:
                key = table.c.id if kind == "document" else table.c.document_id
                query = select(table).order_by(key, *then)
                if latest and kind == "deliberation":
                    query = query.where(table.c.pk.in_(schema.latest(table, table.c.number, table.c.sitting_id)))
                for row in conn.execute(query).mappings():
                    data = dict(row["data"])
                    if "text" in table.c and kind in ("deliberation", "report"):
                        data["text"] = row["text"]
                    if kind == "deliberation" and data["number"] in history:
                        data = acts.completed(data, history[data["number"]])
                    yield {"type": kind, **data}
            yield from member_records(conn)
            yield from vote_cast_records(conn)

    def warnings(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            query = (select(schema.warnings, schema.documents.c.source)
                     .join(schema.documents, schema.documents.c.id == schema.warnings.c.document_id)
                     .order_by(schema.warnings.c.pk))
            return [dict(row) for row in conn.execute(query).mappings()]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (schema.documents, *schema.RECORD_TABLES)}
