"""Random sittings (members, groups, proxies, movements, interests, votes by group with exceptions,
public votes, secret ballots, some rules broken on purpose) replayed as séance files: every one
that is accepted satisfies the rules, checked here from what was recorded, not from the library's
own reckoning."""

from __future__ import annotations

import importlib.util
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recueil.seance.importer import replay, validate
from recueil.seance.ledger import ABSENT, POSITIONS
from recueil.seance.numbering import Series
from recueil.seance.sitting import Sitting

_spec = importlib.util.spec_from_file_location("recueil_tests_seance_helpers", Path(__file__).parent / "helpers.py")
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

BODIES = ("conseil_departemental", "commission_permanente")


@st.composite
def sittings(draw: st.DrawFn) -> tuple[dict[str, Any], Any]:
    """A séance file and its roster. The file follows what a clerk would enter, as far as a rough
    reckoning of who is in the room goes, and now and then strays from it (a proxy to a member who
    holds one, an absentee's vote, a voter left out, a ballot too many)."""
    body = draw(st.sampled_from(BODIES))
    roster = helpers.roster(draw(st.integers(3, 10)), body, non_voting=draw(st.integers(0, 2)))
    names = [m.name for m in roster.members]
    voting = [m.name for m in roster.in_office]
    status = {n: draw(st.sampled_from(("present", "present", "present", "excused", "absent"))) for n in names}
    status[names[0]] = "present"  # the president
    room = {n for n, s in status.items() if s == "present"}
    stray = st.integers(0, 9).map(lambda n: n == 0)  # one time in ten
    proxies = draw(st.lists(st.tuples(st.sampled_from(voting), st.sampled_from(voting)), max_size=4))
    held: dict[str, str] = {}
    for giver, holder in proxies:
        if giver not in room and giver != holder and giver not in held and holder not in held.values():
            held[giver] = holder
    if not draw(stray):
        proxies = list(held.items())
    items = []
    for report in range(1, draw(st.integers(1, 4)) + 1):
        arrivals = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        departures = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        if not draw(stray):
            arrivals = [n for n in arrivals if n not in room]
            departures = [n for n in departures if n in room | set(arrivals) and n not in arrivals]
        room |= set(arrivals)
        room -= set(departures)
        for n in arrivals:
            held.pop(n, None)
        interest = draw(st.lists(st.sampled_from(voting), max_size=1))
        voters = [n for n in voting if n not in interest and (n in room or held.get(n) in room - set(interest))]
        item: dict[str, Any] = {"report": report, "title": f"Rapport {report}", "arrivals": arrivals,
                                "departures": departures, "not_taking_part": interest}
        kind = draw(st.sampled_from(("main_levee", "main_levee", "public", "secret", "donne_acte", "withdrawn")))
        if kind == "donne_acte":
            item["decision"] = "DONNE ACTE"
        elif kind == "withdrawn":
            item["withdrawn"] = True
        elif kind == "main_levee":
            position = st.sampled_from(POSITIONS)
            item["vote"] = {"mode": "main_levee", "default": draw(position),
                            "groups": draw(st.dictionaries(st.sampled_from(helpers.GROUPS), position)),
                            "members": draw(st.dictionaries(st.sampled_from(voters or voting), position, max_size=2))}
        elif kind == "public":
            entered = {n: draw(st.sampled_from(POSITIONS)) for n in voters}
            if draw(stray):
                entered[draw(st.sampled_from(voting))] = "pour"
            item["vote"] = {"mode": "public", "members": entered}
        else:
            shares = draw(st.lists(st.integers(0, len(voters)), min_size=4, max_size=4).map(sorted))
            bounds = [0, *shares, len(voters) + (1 if draw(stray) else 0)]
            totals = [b - a for a, b in pairwise(bounds)]
            item["vote"] = {"mode": "secret", "totals": dict(zip(("pour", "contre", "abstention", "blancs", "nuls"),
                                                                 totals))}
        items.append(item)
    data = {"body": body, "date": roster.date, "opened_at": "10:00", "closed_at": "12:00", "president": names[0],
            "roll_call": {s: [n for n in names if status[n] == s] for s in ("present", "excused", "absent")},
            "proxies": [{"giver": g, "holder": h} for g, h in proxies],
            "reconvened_from": draw(st.sampled_from((None, None, None, "2025-09-18"))), "items": items}
    if data["reconvened_from"] is None:
        del data["reconvened_from"]
    return data, roster


def check(sitting: Sitting, first: int) -> None:
    """The rules, from what the sitting recorded."""
    in_office = [m.name for m in sitting.roster.in_office]
    required = len(in_office) // 2 + 1
    deliberated = [i for i in sitting.items if i.outcome in ("vote", "donne_acte")]
    assert [i.number for i in deliberated] == [f"2025-{n:03d}" for n in range(first, first + len(deliberated))]
    assert all(i.number is None and i.ballot is None for i in sitting.items if i.outcome == "retire")
    for proxy in sitting.proxies_given:  # given after the roll call, by members unable to attend
        assert proxy.giver != proxy.holder and sitting.roll[proxy.giver] != "present"
    for item in deliberated:
        attendance = item.attendance
        assert sorted(attendance.present + attendance.excused + attendance.absent) == sorted(in_office)
        assert not set(item.not_taking_part) & set(attendance.present)
        present = [n for n in attendance.present if n in in_office]
        represented = [p for p in item.proxies if p.holder in attendance.present and p.giver not in attendance.present]
        assert len({p.holder for p in item.proxies}) == len(item.proxies)  # one proxy each (L3121-16)
        assert len(represented) == len(item.proxies)
        counted = len(present) + (len(represented) if sitting.body == "commission_permanente" else 0)
        assert sitting.reconvened_from or counted >= required  # quorum (L3121-14, L3122-6)
        if item.outcome == "donne_acte":
            assert item.ballot is None
            continue
        ballot = item.ballot
        casts = {c.member: c for c in ballot.casts}
        assert list(casts) == in_office
        assert all(casts[n].position == "ne_prend_pas_part" and casts[n].interest for n in item.not_taking_part)
        by_proxy = {c.member: c.proxy_holder for c in ballot.casts if c.by_proxy}
        assert by_proxy == {p.giver: p.holder for p in represented}
        assert all(casts[n].position != ABSENT and not casts[n].by_proxy for n in present)
        t = ballot.tally
        assert t.pour + t.contre + t.abstention + t.blancs + t.nuls + t.ne_prend_pas_part + t.absent_sans_delegation \
            == t.en_exercice == len(in_office)
        assert t.absent_sans_delegation == sum(1 for c in ballot.casts if c.position == ABSENT)
        if ballot.mode != "secret":
            assert (t.pour, t.contre, t.abstention) == tuple(
                sum(1 for c in ballot.casts if c.position == p) for p in ("pour", "contre", "abstention"))
        chair = casts.get(sitting.president)
        adopted = t.pour > t.contre or (t.pour == t.contre > 0 and ballot.mode != "secret"
                                        and chair is not None and chair.position == "pour")
        assert t.result == ("adopte" if adopted else "rejete")  # majority of votes cast, casting vote


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sittings())
def test_every_accepted_sitting_satisfies_the_rules(drawn: tuple[dict[str, Any], Any]) -> None:
    data, roster = drawn
    assert validate(data) == []
    sitting, reasons = replay(data, roster, Series(2025, 360))
    if reasons:
        assert all(isinstance(r, str) and "\n" not in r for r in reasons)
        return
    assert sitting is not None and sitting.closed
    check(sitting, 360)
