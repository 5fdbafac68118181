"""A read séance written back as a séance file (DESIGN.md §4): its members with the groups the
documents give, the roll call, the proxies, and item by item the rapport, the movements between
two acts, the members with an interest, and the vote as the act prints it (each group's position,
the members named apart). Replaying that file through the rules checks the printed record; the
documents generated from it can be compared with the originals.

What the printed record cannot say is left as the rules' default and reported: a member no list
names a group for is a "Non-inscrit"; a vote printed for a "donne acte" is not entered (a donne
acte has no vote).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from recueil.seance.members import NON_INSCRITS, load_members
from recueil.seance.rules import Refused
from recueil.seance.seeding import close_names
from recueil.store import schema
from recueil.text.names import name_key

POSITIONS = ("pour", "contre", "abstention")


def _latest(conn: Connection, sitting_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The sitting's fullest reading (the one with a roll call), its acts (latest reading of each
    number, in number order) and their rapports by deliberation number."""
    s, d, r = schema.sittings, schema.deliberations, schema.reports
    readings = [row.data for row in conn.execute(select(s.c.data).where(s.c.id == sitting_id).order_by(s.c.pk))]
    if not readings:
        raise Refused([f"séance inconnue dans les documents lus : {sitting_id}"])
    sitting = max(readings, key=lambda x: len(x.get("present") or []))
    acts = {row.number: row.data for row in conn.execute(
        select(d.c.number, d.c.data).where(d.c.pk.in_(schema.latest(d, d.c.number, where=d.c.sitting_id == sitting_id))))}
    numbers = sorted(acts)
    reports = {row.deliberation: row.data for row in conn.execute(
        select(r.c.deliberation, r.c.data).where(r.c.deliberation.in_(numbers)).order_by(r.c.pk))}
    return sitting, [acts[n] for n in numbers], reports


def _vote(printed: Mapping[str, Any]) -> dict[str, Any]:
    """The vote entered by group: each group at the position it is named at bare, the members
    named in brackets at theirs, "pour" for a group named nowhere."""
    groups: dict[str, str] = {}
    members: dict[str, str] = {}
    named = printed.get("members") or {}
    for position in POSITIONS:
        for group in printed["groups"].get(position) or []:
            if group in (named.get(position) or {}):
                members.update(dict.fromkeys(named[position][group], position))
            else:
                groups.setdefault(group, position)
    return {"mode": "main_levee", "groups": groups, "default": "pour", "members": members}


def sitting_file(conn: Connection, sitting_id: str) -> dict[str, Any]:
    """The séance file of a read sitting (see the module docstring)."""
    sitting, acts, reports = _latest(conn, sitting_id)
    body, day = sitting["body"], sitting["date"]
    lists = [sitting.get(k) or [] for k in ("present", "excused", "absent")] + [
        act["attendance"].get(k) or [] for act in acts for k in ("present", "excused", "absent")]
    printed = Counter(name_key(name) for names in lists for name in names)
    spelling = {name_key(name): name for names in reversed(lists) for name in names}  # first printed
    alias = {}  # a name printed one letter apart from a more frequent one is that one misprinted
    for a, b in close_names(list(spelling.values())):
        rare, usual = sorted((name_key(a), name_key(b)), key=lambda k: printed[k])
        alias[rare] = usual

    def one(names: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(spelling[alias.get(name_key(n), name_key(n))] for n in names))

    sitting = {**sitting, **{k: one(sitting.get(k) or []) for k in ("present", "excused", "absent")}}
    acts = [{**act, "attendance": {k: one(v or []) for k, v in act["attendance"].items()},
             "conflicts": [{**c, "name": one([c["name"]])[0]} for c in act.get("conflicts") or []]}
            for act in acts]
    seen: dict[str, str] = {}  # name key → name as first printed
    for names in [sitting[k] for k in ("present", "excused", "absent")] + [
            act["attendance"].get(k) or [] for act in acts for k in ("present", "excused", "absent")]:
        for name in names:
            seen.setdefault(name_key(name), name)
    known = {name_key(m.name): m for m in load_members(conn, body) if m.holds_on(day)}
    members = [{"name": name, "civility": known[key].civility if key in known else None,
                "group": known[key].group if key in known else NON_INSCRITS,
                "voting": known[key].voting if key in known else True} for key, name in seen.items()]
    printed_groups = [g for act in acts for names in ((act.get("vote") or {}).get("groups") or {}).values()
                      for g in names]
    order = {g: n for n, g in enumerate(dict.fromkeys(printed_groups))}  # groups as vote blocks list them
    members.sort(key=lambda m: order.get(m["group"], len(order)))
    present = list(sitting.get("present") or [])
    excused_later = [n for act in acts for n in act["attendance"].get("excused") or []]
    excused = list(dict.fromkeys([*(sitting.get("excused") or []),
                                  *(n for n in excused_later if name_key(n) not in map(name_key, present))]))
    listed = {name_key(n) for n in present + excused}
    roll = {"present": present, "excused": excused, "absent": [n for k, n in seen.items() if k not in listed]}
    room = {name_key(n): n for n in present}
    items: list[dict[str, Any]] = []
    for act in acts:
        interest = [c["name"] for c in act.get("conflicts") or []]
        now = {name_key(n): n for n in act["attendance"].get("present") or []}
        now |= {name_key(n): n for n in interest if name_key(n) in room}
        report = reports.get(act["number"]) or {}
        item: dict[str, Any] = {
            "report": act.get("report_number") or report.get("number") or len(items) + 1,
            "title": act["title"], "decision": "DONNE ACTE" if act["decision"] == "DONNE ACTE" else "DECIDE",
            "visas": [v["text"] for v in act.get("visas") or []],
            "articles": [a["text"] for a in act.get("articles") or []],
            "arrivals": [n for k, n in now.items() if k not in room],
            "departures": [n for k, n in room.items() if k not in now],
            "not_taking_part": interest,
        }
        for key in ("pole", "direction", "service"):
            if report.get(key):
                item[key] = report[key]
        if act.get("commission"):
            item["commission"] = {k: v for k, v in act["commission"].items() if v is not None}
        if item["decision"] == "DECIDE" and act.get("vote"):
            item["vote"] = _vote(act["vote"])
        items.append(item)
        room = now
    return {"body": body, "date": day, "opened_at": sitting.get("opened_at"), "closed_at": sitting.get("closed_at"),
            "president": sitting["president"], "secretary": sitting.get("secretary"), "members": members,
            "roll_call": roll, "proxies": [dict(p) for p in sitting.get("proxies") or []], "items": items}
