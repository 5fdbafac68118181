"""The vote ledger and the members as the find side reads them (rows written by recueil.seance):
the `member` and `vote_cast` records of the JSONL export, a councillor's votes, the voters of a
public vote. Here rather than in seance/ so that the export and the site read them without the
write side.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, select

from recueil.store import schema
from recueil.store.groups import Counts
from recueil.text.names import name_key


def member_records(conn: Connection) -> Iterator[dict[str, Any]]:
    """One `member` record per period of membership of a group: the periods of the members list,
    then those of the members a recorded sitting named without the list knowing them in that
    assembly — from and to the dates of the first and last sittings that list them in that group.
    The group is null for a member seeded from documents that state none (stored "Non-inscrits"
    so that a séance can be held, but not a fact)."""
    m = schema.members
    listed: set[tuple[str, str]] = set()
    for row in conn.execute(select(m).order_by(m.c.pk)):
        listed.add((name_key(row.name), row.body))
        yield {"type": "member", "name": row.name, "civility": row.civility, "body": row.body,
               "group": row.group_name if row.group_stated is not False else None, "canton": row.canton,
               "voting": row.voting, "from": row.valid_from, "to": row.valid_to}
    s = schema.recorded_sittings
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for sitting in conn.execute(select(s.c.body, s.c.date, s.c.data).order_by(s.c.date, s.c.id)):
        for member in sitting.data.get("members", []):
            if (name_key(member["name"]), sitting.body) in listed:
                continue
            key = (name_key(member["name"]), sitting.body, member["group"])
            if key in seen:
                seen[key]["to"] = sitting.date
            else:
                seen[key] = {"type": "member", "name": member["name"], "civility": member.get("civility"),
                             "body": sitting.body, "group": member["group"], "canton": member.get("canton"),
                             "voting": member.get("voting", True), "from": sitting.date, "to": sitting.date}
    yield from seen.values()


def vote_cast_records(conn: Connection) -> Iterator[dict[str, Any]]:
    """One `vote_cast` record per member and deliberation voted, in the order the ledger holds them
    (a secret ballot's voters with a null position)."""
    v = schema.vote_casts
    for row in conn.execute(select(v.c.deliberation, v.c.member, v.c.group_name, v.c.position, v.c.by_proxy,
                                   v.c.proxy_holder, v.c.derived).order_by(v.c.pk)):
        yield {"type": "vote_cast", "deliberation": row.deliberation, "member": row.member, "group": row.group_name,
               "position": row.position, "by_proxy": row.by_proxy, "proxy_holder": row.proxy_holder,
               "derived": row.derived}


def version(conn: Connection) -> tuple[Any, ...]:
    """Changes when a sitting is recorded: the ledger's size and last row."""
    v = schema.vote_casts
    return tuple(conn.execute(select(func.count(), func.max(v.c.pk))).one())


def votes_of(conn: Connection, names: list[str]) -> list[dict[str, Any]]:
    """The votes of the member printed under `names`, newest sitting first and item by item, with
    the group the member belonged to that day and the item's title."""
    v, i, s = schema.vote_casts, schema.recorded_items, schema.recorded_sittings
    rows = conn.execute(select(v.c.deliberation, v.c.date, v.c.sitting_id, v.c.group_name, v.c.position,
                               v.c.by_proxy, v.c.proxy_holder, v.c.derived, i.c.title, i.c.report, s.c.body)
                        .join(i, i.c.number == v.c.deliberation).join(s, s.c.id == v.c.sitting_id)
                        .where(v.c.member.in_(names)).order_by(v.c.date.desc(), v.c.sitting_id, i.c.seq))
    return [{"deliberation": r.deliberation, "date": r.date, "sitting": r.sitting_id, "body": r.body,
             "report": r.report, "title": r.title, "group": r.group_name, "position": r.position,
             "by_proxy": r.by_proxy, "proxy_holder": r.proxy_holder, "derived": r.derived} for r in rows]


def public_vote(conn: Connection, number: str) -> list[dict[str, Any]] | None:
    """The ledger of a deliberation voted by scrutin public (each voter's name and vote, CGCT
    L3121-15), in the roster's order; None for another vote, or none recorded."""
    i, v = schema.recorded_items, schema.vote_casts
    item = conn.execute(select(i.c.data).where(i.c.number == number)).first()
    if item is None or item.data.get("mode") != "public":
        return None
    rows = conn.execute(select(v.c.member, v.c.group_name, v.c.position, v.c.by_proxy, v.c.proxy_holder)
                        .where(v.c.deliberation == number).order_by(v.c.pk))
    return [{"member": r.member, "group": r.group_name, "position": r.position, "by_proxy": r.by_proxy,
             "proxy_holder": r.proxy_holder} for r in rows]


def latest_groups(conn: Connection) -> dict[str, str]:
    """Each member's group at the last vote the ledger holds for them."""
    v = schema.vote_casts
    groups: dict[str, str] = {}
    for row in conn.execute(select(v.c.member, v.c.group_name).order_by(v.c.date, v.c.pk)):
        groups[row.member] = row.group_name
    return groups


def group_counts(conn: Connection) -> dict[tuple[str, str], Counts]:
    """Each deliberation's votes by group and position as the ledger holds them, by number and date
    of the séance (another collectivité's act may bear the same number), positions named as the
    vote block names them ("absent" is `absent_sans_delegation`); a secret ballot has none."""
    v = schema.vote_casts
    counts: dict[tuple[str, str], Counts] = {}
    secret = set()
    for row in conn.execute(select(v.c.deliberation, v.c.date, v.c.group_name, v.c.position, func.count())
                            .group_by(v.c.deliberation, v.c.date, v.c.group_name, v.c.position)
                            .order_by(v.c.deliberation, v.c.date, func.min(v.c.pk))):
        key = (row.deliberation, row.date)
        if row.position is None:
            secret.add(key)
            continue
        position = "absent_sans_delegation" if row.position == "absent" else row.position
        counts.setdefault(key, {}).setdefault(row.group_name, {})[position] = row[4]
    return {key: by_group for key, by_group in counts.items() if key not in secret}
