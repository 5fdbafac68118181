"""Members and groups seeded from the documents already ingested (`recueil membres
depuis-documents`), and what they leave unknown.

Names and dates come from the roll calls and proxies of the séances and from the attendance of
each act (members "sans voix délibérative" attend without a vote); groups from what the documents
state of them (`store.groups`: vote blocks naming members, vœux signed for a group; not
the absents of one group, an inference); civilities from the attendance lines as the acts print
them ("M. Jean-Claude LEROY, Mme …"). No document prints cantons.

Documents only show a member on the dates of their séances: a period runs from the first to the
last date it is seen, and the last one stays open when the member is at the assembly's latest
séance. A member whose group no document gives is stored "Non-inscrits", as an imported list
without a group is, so that a séance can be held, but marked as not stated (`group_stated` false: the export, the
site and the derived counts by group do not take it for a fact), and reported as long as nothing
better is stored. A member already stored in an assembly (a list imported, a
séance file, an earlier seeding) is left as it is: seeding only adds the others.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from recueil.seance.members import NON_INSCRITS, Membership, load_members
from recueil.store import schema
from recueil.store.groups import act_statements, motion_statements
from recueil.text.clean import squash
from recueil.text.names import name_key

_CIVILITY = re.compile(r"\b(M\.|Mme|Monsieur|Madame)\s+([^,;:()\n]+?)(?=\s*(?:[,;:()\n]|\.(?:\s|$)|$|\s+et\s))")
_CIVILITIES = {"M.": "M.", "Monsieur": "M.", "Mme": "Mme", "Madame": "Mme"}


@dataclass
class Seeded:
    """What seeding found, stored, and could not tell."""

    members: int = 0  # seen in the documents
    by_body: dict[str, int] = field(default_factory=dict)  # members seen, per assembly
    added: int = 0  # periods stored
    kept: int = 0  # (member, assembly) pairs already stored, left as they are
    without_group: dict[str, list[str]] = field(default_factory=dict)  # voting members, per assembly
    without_civility: list[str] = field(default_factory=list)
    without_canton: int = 0  # members seen whom no stored period gives a canton (no document prints one)
    conflicts: list[str] = field(default_factory=list)  # one member given two groups on one date
    close_names: list[tuple[str, str]] = field(default_factory=list)  # one letter apart: a misprint?


@dataclass
class _Sightings:
    """Everything the documents say of the members, before periods are drawn from it."""

    printed: dict[str, Counter[str]] = field(default_factory=dict)  # key → its printings
    seen: dict[tuple[str, str], dict[str, bool]] = field(default_factory=dict)  # (key, body) → date → voting
    groups: dict[tuple[str, str, str], Counter[str]] = field(default_factory=dict)  # (key, body, date) → groups
    civilities: dict[str, str] = field(default_factory=dict)

    def see(self, name: str, body: str, day: str | None, voting: bool = True) -> str | None:
        name = squash(name)
        key = name_key(name)
        if not day or not key:
            return None
        self.printed.setdefault(key, Counter())[name] += 1
        dates = self.seen.setdefault((key, body), {})
        dates[day] = dates.get(day, False) or voting
        return key

    @property
    def names(self) -> dict[str, str]:
        """Each member as most often printed (a misprint is printed once)."""
        return {key: printings.most_common(1)[0][0] for key, printings in self.printed.items()}

    def group(self, name: str, body: str, day: str | None, group: str | None) -> None:
        key = self.see(name, body, day)
        if key and group and day:
            self.groups.setdefault((key, body, day), Counter())[squash(group)] += 1


def _read_sightings(conn: Connection) -> _Sightings:
    found = _Sightings()
    s, d = schema.sittings, schema.deliberations
    for sitting in conn.execute(select(s.c.body, s.c.date, s.c.data).order_by(s.c.pk)):
        for status in ("present", "excused", "absent"):
            for name in sitting.data.get(status) or []:
                found.see(name, sitting.body, sitting.date)
        for proxy in sitting.data.get("proxies") or []:
            found.see(proxy["giver"], sitting.body, sitting.date)
            found.see(proxy["holder"], sitting.body, sitting.date)
    texts = []
    for row in conn.execute(select(d.c.body, d.c.sitting_date, d.c.data, d.c.text).order_by(d.c.pk)):
        attendance = row.data.get("attendance") or {}
        for status in ("present", "excused", "absent", "non_voting_present", "non_voting_excused"):
            for name in attendance.get(status) or []:
                found.see(name, row.body, row.sitting_date, voting=not status.startswith("non_voting"))
        for said in act_statements(row.body, row.sitting_date, row.data):
            if said.source != "absence":  # an inference, not a statement to seed a list with
                found.group(said.name, row.body, row.sitting_date, said.group)
        texts.append(row.text)
    for said in motion_statements(conn):
        if said.body:
            found.group(said.name, said.body, said.date, said.group)
    for text in texts:
        for title, name in _CIVILITY.findall(text):
            key = name_key(name)
            if key in found.printed:
                found.civilities.setdefault(key, _CIVILITIES[title])
    return found


def _draw_periods(found: _Sightings) -> tuple[list[Membership], list[str]]:
    """Periods from sightings, a new one where the group (when known) or the vote changes; and the
    conflicts (two groups for one member on one date: the most cited is kept). An unknown group is
    left empty here."""
    latest: dict[str, str] = {}
    for (_, body), dates in found.seen.items():
        latest[body] = max(latest.get(body, ""), max(dates))
    periods, conflicts = [], []
    names = found.names
    for (key, body), dates in found.seen.items():
        runs: list[tuple[str, bool, list[str]]] = []
        for day in sorted(dates):
            groups = found.groups.get((key, body, day), Counter())
            if len(groups) > 1:
                conflicts.append(f"{names[key]} : {' et '.join(sorted(groups))} le {day}")
            group = groups.most_common(1)[0][0] if groups else ""
            if runs and runs[-1][1] == dates[day] and (not group or runs[-1][0] in ("", group)):
                runs[-1] = (runs[-1][0] or group, runs[-1][1], [*runs[-1][2], day])
            else:
                runs.append((group, dates[day], [day]))
        for k, (group, voting, days) in enumerate(runs):
            still = k == len(runs) - 1 and days[-1] == latest[body]
            periods.append(Membership(names[key], found.civilities.get(key), body, group, None, voting, days[0],
                                      None if still else days[-1]))
    return periods, conflicts


def seed(conn: Connection) -> Seeded:
    """Seed members and periods from the stored documents (in the caller's writing transaction),
    adding only the members an assembly does not have yet; the report of what stays unknown."""
    periods, conflicts = _draw_periods(_read_sightings(conn))
    stored: dict[tuple[str, str], set[str]] = {}
    for known in load_members(conn):
        stored.setdefault((name_key(known.name), known.body), set()).add(known.group)
    new = [p for p in periods if (name_key(p.name), p.body) not in stored]
    if new:
        conn.execute(schema.members.insert(), [
            {"name": p.name, "civility": p.civility, "body": p.body, "group_name": p.group or NON_INSCRITS,
             "group_stated": bool(p.group),
             "canton": None, "voting": p.voting, "valid_from": p.start, "valid_to": p.end} for p in new])
    report = Seeded(added=len(new), conflicts=conflicts,
                    kept=len({(name_key(p.name), p.body) for p in periods} & stored.keys()))
    people: dict[str, Membership] = {}
    for body in dict.fromkeys(p.body for p in periods):
        report.by_body[body] = len({name_key(p.name) for p in periods if p.body == body})
    for period in periods:
        people.setdefault(name_key(period.name), period)
        if not period.group and period.voting and stored.get((name_key(period.name), period.body),
                                                             {NON_INSCRITS}) == {NON_INSCRITS}:
            names = report.without_group.setdefault(period.body, [])
            if period.name not in names:
                names.append(period.name)
    report.without_civility = [p.name for p in people.values() if not p.civility]
    report.members = len(people)
    report.without_canton = len(people.keys() - {name_key(p.name) for p in load_members(conn) if p.canton})
    report.close_names = close_names([p.name for p in people.values()])
    return report


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter changed, added or dropped turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    k = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[k:] == long[k + 1:]


def close_names(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of names one letter apart ("Séverine GOSSELIN", "Séverine GOSSSELIN"): most likely
    one member misprinted once, left for a person to settle (they are not merged)."""
    keyed = sorted((name_key(n), n) for n in names)
    return [(a, b) for i, (ka, a) in enumerate(keyed) for kb, b in keyed[i + 1:] if _one_edit_apart(ka, kb)]
