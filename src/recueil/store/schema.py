"""Tables of the store (SQLAlchemy Core, so that SQLite and PostgreSQL share one schema).

Each record table keeps the columns that are queried (number, date, body, speaker…) and the whole
record as JSON in `data`, the JSONL shape of DESIGN.md. Attendance and proxies are first-class
rows, one per person and act, so that presence can be counted per councillor.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    func,
    select,
)

metadata = MetaData()
INDEXED_CHARS = 500  # at most 2,000 bytes in UTF-8: PostgreSQL's btree entries hold 2,704


class Indexed(TypeDecorator[str]):
    """An indexed string read from a document: a bounded prefix is stored (and compared), since
    PostgreSQL refuses longer index entries; the whole value stays in the record's `data`."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value[:INDEXED_CHARS] if isinstance(value, str) else value


def _document_fk() -> Column[str]:
    return Column("document_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)


documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("source", Indexed(), nullable=False, index=True),
    Column("kind", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("ingested_at", String, nullable=False),
    Column("data", JSON, nullable=False),
)

sittings = Table(
    "sittings",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("id", Indexed(), nullable=False, index=True),
    Column("body", String, nullable=False),
    Column("date", String, nullable=False, index=True),
    Column("data", JSON, nullable=False),
)

deliberations = Table(
    "deliberations",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("number", Indexed(), nullable=False, index=True),
    Column("sitting_id", Indexed(), index=True),
    Column("title", Text, nullable=False),
    Column("body", String, nullable=False),
    Column("sitting_date", String, index=True),
    Column("decision", String),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("number", Integer, nullable=False),
    Column("deliberation", Indexed(), index=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

listed_acts = Table(
    "listed_acts",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("kind", String, nullable=False, index=True),
    Column("section", Text),
    Column("title", Text, nullable=False),
    Column("page", Integer),
    Column("data", JSON, nullable=False),
)

interventions = Table(
    "interventions",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("sitting_id", Indexed(), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("speaker", String, nullable=False),
    Column("speaker_name", Indexed(), index=True),
    Column("agenda_item", Integer),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

motions = Table(
    "motions",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("title", Text, nullable=False),
    Column("filed_by", String),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

attendance = Table(
    "attendance",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("sitting_id", Indexed(), index=True),
    Column("deliberation", Indexed(), index=True),
    Column("name", Indexed(), nullable=False, index=True),
    Column("status", String, nullable=False),
)

proxies = Table(
    "proxies",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("sitting_id", Indexed(), nullable=False, index=True),
    Column("giver", String, nullable=False),
    Column("holder", String),  # null: the minutes name only who voted by proxy
)

# Annexes are kept beside their act, not in its JSONL record: long (a consultation record runs to
# 4,000 lines) and naming private persons, they are shown and published masked (publish/masking.py).
annexes = Table(
    "annexes",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("deliberation", Indexed(), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("of", String, nullable=False),
    Column("first_line", Integer, nullable=False),
    Column("last_line", Integer, nullable=False),
    Column("first_page", Integer),
    Column("last_page", Integer),
    Column("text", Text, nullable=False),
)

warnings = Table(
    "warnings",
    metadata,
    Column("pk", Integer, primary_key=True),
    _document_fk(),
    Column("code", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("line", Integer),
    Column("record", String),
)

# The entries of the full-text index (store/search.py): one per searchable record, with the
# text its snippets are cut from. `id` is also the rowid of the SQLite FTS5 table and sorts by date
# (64 bits: SQLite's INTEGER is; PostgreSQL's is not).
search_entries = Table(
    "search_entries",
    metadata,
    Column("id", Integer().with_variant(BigInteger(), "postgresql"), primary_key=True, autoincrement=False),
    _document_fk(),
    Column("type", String, nullable=False),
    Column("key", String, nullable=False),
    Column("number", String),
    Column("act", String, index=True),
    Column("title", Text, nullable=False),
    Column("date", String),
    Column("text", Text, nullable=False),
)

RECORD_TABLES = (sittings, deliberations, reports, listed_acts, interventions, motions)
CHILD_TABLES = (*RECORD_TABLES, attendance, proxies, annexes, warnings)


def latest(table: Table, *keys: ColumnElement[object], where: ColumnElement[bool] | None = None) -> Select[tuple[int]]:
    """The pk of the last stored reading of each record, as `keys` identify it: a document stored
    again, or its corrected copy, adds rows rather than replacing them, and the latest reading wins
    (`table.c.pk.in_(latest(table, table.c.number))`)."""
    query = select(func.max(table.c.pk)).group_by(*keys)
    return query if where is None else query.where(where)


# The write side (recueil.seance): what the Département records itself rather than reads. These
# rows belong to no document: storing or replacing a document never touches them.

# Members by period of membership of an assembly and a group (the JSONL `member` record).
members = Table(
    "members",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("name", Indexed(), nullable=False, index=True),
    Column("body", String, nullable=False, index=True),
    Column("civility", String),
    Column("group_name", String, nullable=False),
    # false: seeded from documents that state no group (stored "Non-inscrits"); added to older stores
    Column("group_stated", Boolean, info={"added": True}),
    Column("canton", String),
    Column("voting", Boolean, nullable=False),
    Column("valid_from", String),  # ISO dates, inclusive; null: open
    Column("valid_to", String),
)

# The series of deliberation numbers given by recorded sittings (`YYYY-NNN`, one series a year across
# the assemblies): rows are never deleted, so that a number is never given twice.
deliberation_numbers = Table(
    "deliberation_numbers",
    metadata,
    Column("number", String, primary_key=True),
    Column("year", Integer, nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("sitting_id", String, nullable=False),
    Column("report", Integer),
    Column("given_at", String, nullable=False),
)

# Sittings recorded step by step (recueil.seance), their items and the vote ledger: one row per
# member in office and deliberation voted, with the member's group on that day.
recorded_sittings = Table(
    "recorded_sittings",
    metadata,
    Column("id", String, primary_key=True),
    Column("body", String, nullable=False),
    Column("date", String, nullable=False, index=True),
    Column("recorded_at", String, nullable=False),
    Column("data", JSON, nullable=False),
)

recorded_items = Table(
    "recorded_items",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("sitting_id", String, ForeignKey("recorded_sittings.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("report", Integer, nullable=False),
    Column("number", String, unique=True),  # null for a withdrawn item
    Column("outcome", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

vote_casts = Table(
    "vote_casts",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("sitting_id", String, ForeignKey("recorded_sittings.id"), nullable=False, index=True),
    Column("deliberation", String, nullable=False, index=True),
    Column("date", String, nullable=False),
    Column("member", Indexed(), nullable=False, index=True),
    Column("group_name", String, nullable=False),
    Column("position", String),  # pour | contre | abstention | ne_prend_pas_part | absent; null: a secret ballot
    Column("by_proxy", Boolean, nullable=False),
    Column("proxy_holder", String),
    Column("derived", Boolean, nullable=False),
    Column("interest", Boolean, nullable=False),
)

# What befalls an act after its sitting (recueil.seance.transmission): signature, transmission to
# the préfecture, its acknowledgement and later messages, publication. One row per event, numbered
# per act (`seq`), only ever added: the history of an act is never rewritten.
act_events = Table(
    "act_events",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("act", String, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event", String, nullable=False),  # signature | transmission | accuse | message | publication
    Column("date", String, nullable=False),  # ISO date of the event itself
    Column("recorded_at", String, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("act", "seq"),  # two writers adding the same step: the second is refused
)
# …and the database itself refuses to change or remove a row of it.
_REWRITE = "historique des actes : une étape enregistrée ne se modifie ni ne se supprime"


def _on_create(statement: str, dialect: str) -> None:
    event.listen(act_events, "after_create",
                 DDL(statement).execute_if(dialect=dialect))  # type: ignore[no-untyped-call]


for _change in ("UPDATE", "DELETE"):
    _on_create(f"CREATE TRIGGER act_events_no_{_change.lower()} BEFORE {_change} ON act_events "
               f"BEGIN SELECT RAISE(ABORT, '{_REWRITE}'); END", "sqlite")
_on_create("CREATE OR REPLACE FUNCTION act_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
           f"$$ BEGIN RAISE EXCEPTION '{_REWRITE}'; END $$", "postgresql")
_on_create("CREATE TRIGGER act_events_append_only BEFORE UPDATE OR DELETE ON act_events "
           "FOR EACH ROW EXECUTE FUNCTION act_events_append_only()", "postgresql")

# E-mail alerts on a saved search (store/alerts.py, recueil.alerts). The addresses are personal data,
# kept for this only: a subscription is deleted, not flagged, when its owner unsubscribes or leaves
# it unconfirmed; no page, export or JSONL reads these tables.
alert_subscriptions = Table(
    "alert_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),  # the secret of its links (confirm, unsubscribe)
    Column("email", String, nullable=False, index=True),
    Column("search", JSON, nullable=False),  # the saved search: {"q", "type", "from", "to", "filters"}
    Column("created_at", String, nullable=False),
    Column("confirmed_at", String),  # null until its owner confirms (double opt-in)
    Column("sent_until", String),  # the documents stored before this instant have been looked through
)

# What each subscription was sent (an act is never sent twice, even when its document is stored again).
alert_sent = Table(
    "alert_sent",
    metadata,
    Column("subscription_id", Integer, ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), primary_key=True),
    Column("type", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("sent_at", String, nullable=False),
)

# Sign-ups of the last day, by a digest of the address or of the client, to limit them: the form
# must not serve to flood someone's mailbox.
alert_attempts = Table(
    "alert_attempts",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("digest", String(64), nullable=False, index=True),
    Column("at", String, nullable=False, index=True),
)
