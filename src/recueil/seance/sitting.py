"""A sitting as a sequence of recorded steps: open, roll call, proxies, then item by item (the
rapport, arrivals and departures, members not taking part, the vote or the "donne acte"), close.

Each step checks the rules that apply to it (rules.py: quorum, proxies, interests, majority) and
is either recorded whole, in `steps`, or refused with one French line per broken rule, naming
the rule — a refused step changes nothing, so that the step can be entered again, corrected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from recueil.model import Attendance, Proxy, sitting_id
from recueil.seance.ledger import Ballot, Entry, Presence, cast, tally
from recueil.seance.members import Membership, Roster
from recueil.seance.numbering import Series
from recueil.seance.rules import RECONVENED_AFTER_DAYS, Quorum, Refused, rules_for
from recueil.text.dates import date_fr
from recueil.vocabulary import assembly_name

DECIDE, DONNE_ACTE = "DECIDE", "DONNE ACTE"
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
Outcome = Literal["vote", "donne_acte", "retire"]


@dataclass(frozen=True)
class Commission:
    """The thematic commission that examined the rapport, and its opinion."""

    number: int | None
    name: str
    date: str | None = None
    opinion: str | None = None


@dataclass
class Item:
    """One affair of the agenda: its rapport, what happened before its vote, and its outcome
    (`None` while it is under discussion). Only a deliberated item has a `number`."""

    seq: int
    report: int
    title: str
    decision: str = DECIDE
    pole: str | None = None
    direction: str | None = None
    service: str | None = None
    territories: list[str] = field(default_factory=list)
    cantons: list[str] = field(default_factory=list)
    epci: list[str] = field(default_factory=list)
    commission: Commission | None = None
    visas: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    arrivals: list[str] = field(default_factory=list)
    departures: list[str] = field(default_factory=list)
    not_taking_part: list[str] = field(default_factory=list)
    outcome: Outcome | None = None
    number: str | None = None
    quorum: Quorum | None = None
    attendance: Attendance | None = None
    proxies: list[Proxy] = field(default_factory=list)  # those exercised at its vote
    ballot: Ballot | None = None


def _iso(value: str | None, what: str, reasons: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        reasons.append(f"{what} : date invalide « {value} » (attendu AAAA-MM-JJ)")
        return None


def _time(value: str | None, what: str, reasons: list[str]) -> None:
    if value is not None and not _TIME.match(value):
        reasons.append(f"{what} : heure invalide « {value} » (attendu HH:MM)")


def _refuse_if(reasons: list[str]) -> None:
    if reasons:
        raise Refused(reasons)


class Sitting:
    """One séance of one assembly, recorded as it is held. `Sitting.open` is its first step."""

    def __init__(self, roster: Roster, president: Membership, secretary: Membership | None, series: Series,
                 opening: dict[str, Any]) -> None:
        self.roster = roster
        self.body = roster.body
        self.date = roster.date
        self.id = sitting_id(self.body, self.date)
        self.rules = rules_for(self.body)
        self.president = president.name
        self.secretary = secretary.name if secretary else None
        self.opened_at: str | None = opening["opened_at"]
        self.place: str | None = opening["place"]
        self.convocation_sent: str | None = opening["convocation_sent"]
        self.reconvened_from: str | None = opening["reconvened_from"]
        self.closed_at: str | None = None
        self.closed = False
        self.series = series
        self.roll: dict[str, str] = {}  # member → present | excused | absent, at the roll call
        self.in_room: set[str] = set()
        self.departed: set[str] = set()
        self.proxies: dict[str, str] = {}  # giver → holder, the proxies in force
        self.proxies_given: list[Proxy] = []
        self.items: list[Item] = []
        self.steps: list[dict[str, Any]] = [{"step": "open", **opening, "president": self.president,
                                             "secretary": self.secretary}]

    # -- opening and roll call ------------------------------------------------------------------

    @classmethod
    def open(cls, roster: Roster, president: str, series: Series, secretary: str | None = None,
             opened_at: str | None = None, place: str | None = None, convocation_sent: str | None = None,
             reconvened_from: str | None = None) -> Sitting:
        """Opens the sitting of `roster`'s assembly on `roster`'s date. A sitting reconvened for want
        of quorum names the date of the one that lacked it (`reconvened_from`)."""
        reasons: list[str] = []
        try:
            article = f"CGCT {rules_for(roster.body).quorum_article}"
        except Refused as refused:
            reasons.extend(refused.reasons)
            article = "CGCT"
        day = _iso(roster.date, "date de la séance", reasons)
        sent = _iso(convocation_sent, "envoi de la convocation", reasons)
        earlier = _iso(reconvened_from, "séance sans quorum", reasons)
        _time(opened_at, "ouverture", reasons)
        if not roster.in_office:
            reasons.append(f"aucun membre en exercice au {assembly_name(roster.body)} le {date_fr(roster.date)} "
                           "(importez la liste des membres, ou donnez-la dans le fichier)")
        chair = roster.find(president)
        if chair is None and roster.in_office:
            reasons.append(f"président de séance inconnu : {president} n'est pas membre du "
                           f"{assembly_name(roster.body)} le {date_fr(roster.date)}")
        clerk = roster.find(secretary) if secretary else None
        if secretary and clerk is None and roster.in_office:
            reasons.append(f"secrétaire de séance inconnu : {secretary} n'est pas membre du "
                           f"{assembly_name(roster.body)} le {date_fr(roster.date)}")
        if day and sent and sent > day:
            reasons.append(f"convocation envoyée le {date_fr(convocation_sent)}, "
                           f"après la séance du {date_fr(roster.date)}")
        if day and earlier and (day - earlier).days < RECONVENED_AFTER_DAYS:
            reasons.append(f"séance reconvoquée trop tôt ({article} : trois jours au moins après "
                           f"la séance sans quorum) : {(day - earlier).days} jour(s) après celle du "
                           f"{date_fr(reconvened_from)}")
        if day and series.year != day.year:
            reasons.append(f"numéros de {series.year} pour une séance de {day.year} : la numérotation est annuelle")
        _refuse_if(reasons)
        assert chair is not None  # found, or refused above for want of members
        return cls(roster, chair, clerk, series, {"opened_at": opened_at, "place": place,
                                                   "convocation_sent": convocation_sent,
                                                   "reconvened_from": reconvened_from})

    def roll_call(self, present: Sequence[str], excused: Sequence[str] = (), absent: Sequence[str] = ()) -> None:
        """Who is present, excused or absent at the opening: every member in office once."""
        reasons: list[str] = []
        if self.roll:
            reasons.append("appel déjà fait : les mouvements se notent en arrivées et départs")
        roll: dict[str, str] = {}
        for status, names in (("present", present), ("excused", excused), ("absent", absent)):
            for member in self._members(names, reasons, voting_only=False):
                if member.name in roll:
                    reasons.append(f"{member.name} figure deux fois à l'appel")
                roll[member.name] = status
        missing = [m.name for m in self.roster.in_office if m.name not in roll]
        if missing:
            reasons.append(f"appel incomplet (CGCT L3121-13 : le procès-verbal nomme les présents) : "
                           f"{', '.join(missing)} ni présent(s), ni excusé(s), ni absent(s)")
        for role, name in (("président", self.president), ("secrétaire", self.secretary)):
            if name and name in roll and roll[name] != "present":
                reasons.append(f"le {role} de séance, {name}, n'est pas présent à l'appel")
        _refuse_if(reasons)
        self.roll = roll
        self.in_room = {name for name, status in roll.items() if status == "present"}
        self.steps.append({"step": "roll_call", **{s: [n for n, v in roll.items() if v == s]
                                                    for s in ("present", "excused", "absent")},
                           "quorum": self.quorum().describe()})

    # -- proxies and movements ------------------------------------------------------------------

    def give_proxy(self, giver: str, holder: str) -> None:
        """A member unable to attend gives their vote for this sitting to another member; nobody
        holds more than one proxy (CGCT L3121-16). It ends when the giver arrives."""
        reasons: list[str] = []
        self._check_under_way(reasons)
        article = f"CGCT {self.rules.proxy_article}"
        found = self._members([giver, holder], reasons)
        if len(found) < 2:
            raise Refused(reasons)
        g, h = found[0].name, found[1].name
        if g == h:
            reasons.append(f"délégation de vote de {g} à lui-même")
        if g in self.in_room:
            reasons.append(f"délégation de vote de {g}, présent ({article} : seul un membre empêché d'assister "
                           "peut la donner)")
        if g in self.proxies:
            reasons.append(f"{g} a déjà donné délégation de vote à {self.proxies[g]} ({article})")
        held = next((other for other, by in self.proxies.items() if by == h), None)
        if held:
            reasons.append(f"{h} détient déjà la délégation de vote de {held} ({article} : "
                           "nul ne peut recevoir plus d'une délégation)")
        _refuse_if(reasons)
        self.proxies[g] = h
        self.proxies_given.append(Proxy(g, h))
        self.steps.append({"step": "proxy", "giver": g, "holder": h, "item": self._current_report()})

    def arrive(self, names: Iterable[str]) -> None:
        """Members come in; a proxy given by one of them ends."""
        reasons: list[str] = []
        self._check_under_way(reasons)
        found = self._members(names, reasons, voting_only=False)
        reasons.extend(f"arrivée de {m.name}, déjà présent" for m in found if m.name in self.in_room)
        _refuse_if(reasons)
        for m in found:
            self.in_room.add(m.name)
            self.departed.discard(m.name)
            ended = self.proxies.pop(m.name, None)
            self.steps.append({"step": "arrival", "member": m.name, "proxy_ended": ended,
                               "item": self._current_report()})
            if (item := self._open_item()) is not None:
                item.arrivals.append(m.name)

    def depart(self, names: Iterable[str]) -> None:
        """Members leave the sitting (a proxy they hold can no longer be exercised)."""
        reasons: list[str] = []
        self._check_under_way(reasons)
        found = self._members(names, reasons, voting_only=False)
        reasons.extend(f"départ de {m.name}, qui n'est pas présent" for m in found if m.name not in self.in_room)
        _refuse_if(reasons)
        for m in found:
            self.in_room.discard(m.name)
            self.departed.add(m.name)
            self.steps.append({"step": "departure", "member": m.name, "item": self._current_report()})
            if (item := self._open_item()) is not None:
                item.departures.append(m.name)

    # -- items ----------------------------------------------------------------------------------

    def take_up(self, report: int, title: str, decision: str = DECIDE, **details: Any) -> Item:
        """The assembly takes up a rapport (numbered within the sitting); `details` are the other
        fields of `Item` that describe it (direction, commission, visas, articles…)."""
        reasons: list[str] = []
        self._check_under_way(reasons)
        if (current := self._open_item()) is not None:
            reasons.append(f"le rapport n° {current.report} n'est pas terminé (ni voté, ni retiré)")
        if any(i.report == report for i in self.items):
            reasons.append(f"rapport n° {report} déjà examiné à cette séance (numérotation propre à la séance)")
        if not title.strip():
            reasons.append(f"rapport n° {report} sans titre")
        if decision not in (DECIDE, DONNE_ACTE):
            reasons.append(f"rapport n° {report} : décision « {decision} » inconnue ({DECIDE} ou {DONNE_ACTE})")
        _refuse_if(reasons)
        item = Item(seq=len(self.items) + 1, report=report, title=title, decision=decision, **details)
        self.items.append(item)
        self.steps.append({"step": "take_up", "item": report})
        return item

    def not_taking_part(self, names: Iterable[str]) -> None:
        """Members with an interest in the affair leave the room for it and take no part in its
        vote; a proxy they give or hold is not exercised on it."""
        reasons: list[str] = []
        item = self._item_under_way(reasons)
        found = self._members(names, reasons)
        if item:
            reasons.extend(f"{m.name} est déjà noté comme ne prenant pas part au rapport n° {item.report}"
                           for m in found if m.name in item.not_taking_part)
        _refuse_if(reasons)
        assert item is not None
        item.not_taking_part.extend(m.name for m in found)
        self.steps.extend({"step": "not_taking_part", "member": m.name, "item": item.report} for m in found)

    def vote(self, entry: Entry) -> Item:
        """The vote on the item under discussion: with the quorum reached, it gives the ledger,
        the counts, the result and the deliberation's number."""
        reasons: list[str] = []
        item = self._item_under_way(reasons)
        if item and item.decision != DECIDE:
            reasons.append(f"rapport n° {item.report} : {item.decision}, sans vote")
        if item and reasons == []:
            self._check_quorum(item, reasons)
            casts, broken = cast(entry, self.presence(item), self.rules.public_vote_article)
            reasons.extend(f"rapport n° {item.report} : {reason}" for reason in broken)
        _refuse_if(reasons)
        assert item is not None
        ballot = Ballot(entry.mode, tuple(casts), tally(entry, casts, self.president))
        self._deliberate(item, "vote", ballot)
        return item

    def give_act(self) -> Item:
        """The "donne acte" of the item under discussion: the assembly deliberates without a vote,
        under the same quorum."""
        reasons: list[str] = []
        item = self._item_under_way(reasons)
        if item and item.decision != DONNE_ACTE:
            reasons.append(f"rapport n° {item.report} : {item.decision}, il faut un vote")
        if item and reasons == []:
            self._check_quorum(item, reasons)
        _refuse_if(reasons)
        assert item is not None
        self._deliberate(item, "donne_acte", None)
        return item

    def withdraw(self) -> Item:
        """The item under discussion is withdrawn: no vote, no number."""
        reasons: list[str] = []
        item = self._item_under_way(reasons)
        _refuse_if(reasons)
        assert item is not None
        item.outcome = "retire"
        self.steps.append({"step": "withdraw", "item": item.report})
        return item

    def close(self, closed_at: str | None = None) -> None:
        reasons: list[str] = []
        self._check_under_way(reasons)
        if (current := self._open_item()) is not None:
            reasons.append(f"le rapport n° {current.report} n'est pas terminé (ni voté, ni retiré)")
        _time(closed_at, "clôture", reasons)
        if closed_at and self.opened_at and closed_at < self.opened_at:
            reasons.append(f"clôture à {closed_at}, avant l'ouverture à {self.opened_at}")
        _refuse_if(reasons)
        self.closed_at = closed_at
        self.closed = True
        self.steps.append({"step": "close", "closed_at": closed_at})

    # -- what each step reads -------------------------------------------------------------------

    def presence(self, item: Item | None = None) -> Presence:
        """Who may vote now (on `item`: without the members with an interest in it)."""
        interest = frozenset(item.not_taking_part if item else ())
        present = frozenset(m.name for m in self.roster.in_office if m.name in self.in_room and m.name not in interest)
        represented = {giver: holder for giver, holder in self.proxies.items()
                       if holder in present and giver not in interest}
        return Presence(self.roster.in_office, present, represented, interest)

    def quorum(self, item: Item | None = None) -> Quorum:
        presence = self.presence(item)
        return Quorum(len(presence.in_office), len(presence.present), len(presence.represented),
                      self.rules.represented, reconvened=self.reconvened_from is not None)

    def attendance(self, item: Item) -> Attendance:
        """Présents, excusés, absents for one act, as the Département prints them: a member who left
        for an interest is absent, one who left the sitting is excused, and one excused at the roll
        call stays excused until they arrive."""
        seen = Attendance()
        for m in self.roster.members:
            if m.name in item.not_taking_part:
                status = "absent"
            elif m.name in self.departed:
                status = "excused"
            elif m.name in self.in_room:
                status = "present"
            else:
                status = "excused" if self.roll.get(m.name) == "excused" else "absent"
            if m.voting:
                getattr(seen, status).append(m.name)
            elif status != "absent":
                getattr(seen, f"non_voting_{status}").append(m.name)
        return seen

    @property
    def numbers(self) -> list[str]:
        return [i.number for i in self.items if i.number]

    def _deliberate(self, item: Item, outcome: Outcome, ballot: Ballot | None) -> None:
        presence = self.presence(item)
        item.quorum = self.quorum(item)
        item.attendance = self.attendance(item)
        item.proxies = [Proxy(giver, holder) for giver, holder in presence.represented.items()]
        item.ballot = ballot
        item.outcome = outcome
        item.number = self.series.take()
        step: dict[str, Any] = {"step": outcome, "item": item.report, "number": item.number,
                                "quorum": item.quorum.describe()}
        if ballot:
            step |= {"mode": ballot.mode, "result": ballot.tally.result}
        self.steps.append(step)

    def _check_quorum(self, item: Item, reasons: list[str]) -> None:
        quorum = self.quorum(item)
        if not quorum.reached:
            reasons.append(f"quorum non atteint (CGCT {self.rules.quorum_article}) : {quorum.describe()} — "
                           f"rapport n° {item.report} non délibéré")

    def _members(self, names: Iterable[str], reasons: list[str], voting_only: bool = True) -> list[Membership]:
        """The members named, in order; an unknown name, or (`voting_only`) a member without a vote,
        is a broken rule."""
        found = []
        for name in names:
            member = self.roster.find(name)
            if member is None:
                reasons.append(f"{name} n'est pas membre du {assembly_name(self.body)} le {date_fr(self.date)}")
            elif voting_only and not member.voting:
                reasons.append(f"{member.name} siège sans voix délibérative")
            else:
                found.append(member)
        return found

    def _check_under_way(self, reasons: list[str]) -> None:
        if not self.roll:
            reasons.append("appel pas encore fait")
        if self.closed:
            reasons.append("séance close")

    def _open_item(self) -> Item | None:
        return self.items[-1] if self.items and self.items[-1].outcome is None else None

    def _current_report(self) -> int | None:
        item = self._open_item()
        return item.report if item else None

    def _item_under_way(self, reasons: list[str]) -> Item | None:
        self._check_under_way(reasons)
        item = self._open_item()
        if item is None:
            reasons.append("aucun rapport en discussion")
        return item
