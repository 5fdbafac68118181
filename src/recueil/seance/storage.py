"""A closed sitting into the store: the sitting and its steps, each item with its counts and vote
block, the vote ledger, and the numbers given — in the caller's transaction (`Store.writing()`),
so that a sitting is stored whole or not at all.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from recueil.seance.ledger import VoteCast, vote_block
from recueil.seance.numbering import parse_number
from recueil.seance.rules import Quorum, Refused
from recueil.seance.sitting import Item, Sitting
from recueil.store import schema


def _quorum(quorum: Quorum | None) -> dict[str, Any] | None:
    if quorum is None:
        return None
    return {**asdict(quorum), "required": quorum.required, "reached": quorum.reached, "text": quorum.describe()}


def sitting_record(sitting: Sitting) -> dict[str, Any]:
    """The sitting as stored: the fields of the JSONL `sitting` record (roll call and proxies as
    given), what opened it, its members on the day, and its steps in order."""
    roll = {s: [name for name, status in sitting.roll.items() if status == s] for s in ("present", "excused", "absent")}
    return {"id": sitting.id, "body": sitting.body, "date": sitting.date, "president": sitting.president,
            "secretary": sitting.secretary, "opened_at": sitting.opened_at, "closed_at": sitting.closed_at,
            **roll, "proxies": [asdict(p) for p in sitting.proxies_given], "place": sitting.place,
            "convocation_sent": sitting.convocation_sent, "reconvened_from": sitting.reconvened_from,
            "members": [m.record() for m in sitting.roster.members], "steps": sitting.steps}


def item_record(item: Item, groups: list[str]) -> dict[str, Any]:
    """One item as stored: its rapport, movements, outcome, number, quorum and attendance, and for
    a vote its mode, counts and vote block (`vote`, the shape of the JSONL deliberation's)."""
    data = asdict(replace(item, ballot=None))  # the ledger is stored row by row, not copied here
    del data["ballot"]
    data["quorum"] = _quorum(item.quorum)
    if item.ballot:
        data["mode"] = item.ballot.mode
        data["tally"] = asdict(item.ballot.tally)
        block = asdict(vote_block(item.ballot, groups))
        del block["first_line"]
        data["vote"] = block
    return data


def recorded(conn: Connection, sitting_id: str) -> bool:
    found = conn.execute(select(schema.recorded_sittings.c.id).where(schema.recorded_sittings.c.id == sitting_id))
    return found.first() is not None


def save_sitting(conn: Connection, sitting: Sitting) -> None:
    """Stores a closed sitting; one already recorded is refused (a recorded sitting is not
    rewritten)."""
    if not sitting.closed:
        raise Refused([f"séance {sitting.id} pas close : rien n'est enregistré"])
    if recorded(conn, sitting.id):
        raise Refused([f"séance déjà enregistrée : {sitting.id}"])
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(schema.recorded_sittings.insert().values(id=sitting.id, body=sitting.body, date=sitting.date,
                                                          recorded_at=now, data=sitting_record(sitting)))
    groups = sitting.roster.groups
    conn.execute(schema.recorded_items.insert(), [
        {"sitting_id": sitting.id, "seq": i.seq, "report": i.report, "number": i.number, "outcome": i.outcome,
         "title": i.title, "data": item_record(i, groups)} for i in sitting.items])
    casts = [{"sitting_id": sitting.id, "deliberation": i.number, "date": sitting.date, "member": c.member,
              "group_name": c.group, "position": c.position, "by_proxy": c.by_proxy, "proxy_holder": c.proxy_holder,
              "derived": c.derived, "interest": c.interest}
             for i in sitting.items if i.ballot for c in i.ballot.casts]
    if casts:
        conn.execute(schema.vote_casts.insert(), casts)
    numbers = [(i, parse_number(i.number)) for i in sitting.items if i.number]
    if numbers:
        conn.execute(schema.deliberation_numbers.insert(), [
            {"number": i.number, "year": parsed[0], "seq": parsed[1], "sitting_id": sitting.id, "report": i.report,
             "given_at": now} for i, parsed in numbers if parsed])


def load_ledger(conn: Connection, number: str) -> list[VoteCast]:
    """The ledger of one deliberation, in the roster's order."""
    table = schema.vote_casts
    rows = conn.execute(select(table).where(table.c.deliberation == number).order_by(table.c.pk))
    return [VoteCast(r.member, r.group_name, r.position, r.by_proxy, r.proxy_holder, r.derived, r.interest)
            for r in rows]
