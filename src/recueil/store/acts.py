"""The history of an act after its sitting (the `act_events` table): what `recueil acte statut`
shows, what the publisher asks before publishing an act of a recorded sitting. Rows are only ever
added, numbered per act; the rules of which event may follow which are recueil.seance.transmission's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from recueil.store import schema

SIGNATURE, TRANSMISSION, ACK, MESSAGE, PUBLICATION = "signature", "transmission", "accuse", "message", "publication"


@dataclass(frozen=True)
class Event:
    """One dated step of an act's history; `data` holds what the step records (signatory, ACTES
    identifier, acknowledgement number, message, register entry)."""

    seq: int
    kind: str
    date: str
    recorded_at: str
    data: dict[str, Any]


def events(conn: Connection, act: str) -> list[Event]:
    """The history of `act`, in the order it was recorded."""
    table = schema.act_events
    rows = conn.execute(select(table.c.seq, table.c.event, table.c.date, table.c.recorded_at, table.c.data)
                        .where(table.c.act == act).order_by(table.c.seq))
    return [Event(r.seq, r.event, r.date, r.recorded_at, dict(r.data)) for r in rows]


def append(conn: Connection, act: str, kind: str, day: str, data: dict[str, Any]) -> Event:
    """Adds one event after the last of `act` (on `conn`, a writing transaction)."""
    table = schema.act_events
    seq = (conn.execute(select(func.max(table.c.seq)).where(table.c.act == act)).scalar() or 0) + 1
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(table.insert().values(act=act, seq=seq, event=kind, date=day, recorded_at=now, data=data))
    return Event(seq, kind, day, now, data)


def version(conn: Connection) -> tuple[Any, ...]:
    """Changes when an event is added to any act's history."""
    table = schema.act_events
    return tuple(conn.execute(select(func.count(), func.max(table.c.pk))).one())


def publication(seq: int, file: str, url: str, sha256: str) -> dict[str, Any]:
    """What a publication event records: the register entry the act was published under."""
    return {"register_seq": seq, "file": file, "url": url, "sha256": sha256}


def awaiting_signature(conn: Connection) -> set[str]:
    """The numbers given by recorded sittings whose act is not signed yet: not to be published."""
    given = set(conn.execute(select(schema.deliberation_numbers.c.number)).scalars())
    table = schema.act_events
    signed = set(conn.execute(select(table.c.act).where(table.c.event == SIGNATURE)).scalars())
    return given - signed


def numbered(conn: Connection, numbers: set[str]) -> set[str]:
    """Those of `numbers` given by a recorded sitting: the acts whose history the publisher keeps."""
    table = schema.deliberation_numbers
    return set(conn.execute(select(table.c.number).where(table.c.number.in_(numbers))).scalars()) if numbers else set()


def record_fields(conn: Connection, numbers: list[str] | None = None) -> dict[str, dict[str, str]]:
    """What the history of each act (of `numbers`, else all) gives of the fields of its JSONL
    record: `sent_to_prefecture` (the transmission), `received_by_prefecture` and `ack` (the
    acknowledgement), `published` (the first publication)."""
    table = schema.act_events
    query = (select(table.c.act, table.c.event, table.c.date, table.c.data)
             .where(table.c.event.in_((TRANSMISSION, ACK, PUBLICATION))).order_by(table.c.act, table.c.seq))
    if numbers is not None:
        query = query.where(table.c.act.in_(numbers))
    found: dict[str, dict[str, str]] = {}
    for row in conn.execute(query):
        fields = found.setdefault(row.act, {})
        if row.event == TRANSMISSION:
            fields.setdefault("sent_to_prefecture", row.date)
        elif row.event == ACK:
            fields.setdefault("received_by_prefecture", row.date)
            fields.setdefault("ack", row.data["ack"])
        else:
            fields.setdefault("published", row.date)
    return found


def completed(record: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """A deliberation record with what its history says where its document prints nothing."""
    missing = {key: value for key, value in fields.items() if not record.get(key)}
    return {**record, **missing} if missing else record
