"""The vote ledger: one row per member in office and item — pour, contre, abstention, ne prend pas
part, absent — with the member's group on the day, and whether the vote was cast by proxy and by
whom. Counts, result and the groups of the vote block are derived from it, never entered.

Votes are entered three ways: by group with per-member exceptions (`ByGroup`, a vote à main
levée), member by member (`ByMember`, a scrutin public: every voter named, CGCT L3121-15), or as
totals (`Totals`, a secret ballot: no names, blank and void ballots counted apart; each voter's
row then holds no position).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from recueil.model import Vote
from recueil.seance.members import Membership
from recueil.text.names import name_key

POSITIONS = ("pour", "contre", "abstention", "ne_prend_pas_part")
ABSENT = "absent"  # in office, neither present nor represented: "absent sans délégation de vote"


@dataclass(frozen=True)
class ByGroup:
    """A vote à main levée: a position per group, `default` for the groups not named, and the
    members who voted otherwise than their group."""

    groups: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None
    members: Mapping[str, str] = field(default_factory=dict)
    mode: Literal["main_levee"] = "main_levee"


@dataclass(frozen=True)
class ByMember:
    """A scrutin public: the position of every voter, by name."""

    members: Mapping[str, str]
    mode: Literal["public"] = "public"


@dataclass(frozen=True)
class Totals:
    """A secret ballot (nominations): totals only."""

    pour: int = 0
    contre: int = 0
    abstention: int = 0
    blancs: int = 0
    nuls: int = 0
    mode: Literal["secret"] = "secret"


Entry = ByGroup | ByMember | Totals


@dataclass(frozen=True)
class VoteCast:
    """One row of the ledger. `position` is None for a ballot of a secret vote; `derived` when
    the position comes from the member's group rather than from their name; `interest` when the
    member left for an interest in the affair."""

    member: str
    group: str
    position: str | None
    by_proxy: bool = False
    proxy_holder: str | None = None
    derived: bool = False
    interest: bool = False


@dataclass(frozen=True)
class Presence:
    """Who may vote at the moment of a vote: the members in office (in the roster's order), those
    in the room, the givers whose proxy a member in the room holds, and those with an interest."""

    in_office: tuple[Membership, ...]
    present: frozenset[str]
    represented: Mapping[str, str]  # giver → holder
    interest: frozenset[str]

    def voters(self) -> list[Membership]:
        return [m for m in self.in_office
                if m.name not in self.interest and (m.name in self.present or m.name in self.represented)]

    def why_not(self, name: str) -> str:
        return ("intéressé à l'affaire, ne prend pas part au vote" if name in self.interest
                else "absent sans délégation de vote")


@dataclass(frozen=True)
class Tally:
    """The counts of one vote; pour + contre + abstention + blancs + nuls + ne_prend_pas_part +
    absent_sans_delegation = en_exercice. `casting_vote`: a tie the President's vote decided."""

    en_exercice: int
    presents: int
    delegations: int
    pour: int
    contre: int
    abstention: int
    ne_prend_pas_part: int
    absent_sans_delegation: int
    result: Literal["adopte", "rejete"]
    blancs: int = 0
    nuls: int = 0
    casting_vote: bool = False


@dataclass(frozen=True)
class Ballot:
    """The recorded vote of one item: how it was entered, the ledger, its counts."""

    mode: Literal["main_levee", "public", "secret"]
    casts: tuple[VoteCast, ...]
    tally: Tally


def _position(value: str, where: str, reasons: list[str]) -> str | None:
    if value in POSITIONS:
        return value
    reasons.append(f"position inconnue pour {where} : « {value} » (pour, contre, abstention, ne_prend_pas_part)")
    return None


def _named(entered: Mapping[str, str], presence: Presence, reasons: list[str]) -> dict[str, str]:
    """The positions entered by name, keyed by the member's name as listed; a name that is no
    voter is a broken rule."""
    by_key = {name_key(m.name): m for m in presence.in_office}
    voters = {m.name for m in presence.voters()}
    named: dict[str, str] = {}
    for name, value in entered.items():
        member = by_key.get(name_key(name))
        if member is None:
            reasons.append(f"vote de {name}, qui n'est pas membre en exercice")
        elif member.name not in voters:
            why = presence.why_not(member.name)
            reasons.append(f"vote de {member.name}, qui ne peut pas voter sur ce rapport ({why})")
        elif (position := _position(value, member.name, reasons)) is not None:
            named[member.name] = position
    return named


def cast(entry: Entry, presence: Presence, public_article: str = "L3121-15") -> tuple[list[VoteCast], list[str]]:
    """The ledger of one vote, in the roster's order, and the broken rules of the entry (the ledger
    is only meaningful when there are none)."""
    reasons: list[str] = []
    voters = presence.voters()
    positions: dict[str, tuple[str | None, bool]] = {}  # voter → (position, derived)
    if isinstance(entry, ByGroup):
        named = _named(entry.members, presence, reasons)
        groups = {m.group for m in presence.in_office}
        by_group = {}
        for group, value in entry.groups.items():
            if group not in groups:
                reasons.append(f"groupe inconnu dans le vote : « {group} » (groupes : {' ; '.join(sorted(groups))})")
            elif (position := _position(value, group, reasons)) is not None:
                by_group[group] = position
        default = _position(entry.default, "les autres groupes", reasons) if entry.default else None
        lacking = []
        for m in voters:
            if m.name in named:
                positions[m.name] = (named[m.name], False)
            elif (position := by_group.get(m.group, default)) is not None:
                positions[m.name] = (position, True)
            elif m.group not in lacking:
                lacking.append(m.group)
        reasons.extend(f"vote incomplet : aucune position pour le groupe « {g} » (ni consigne, ni position par défaut)"
                       for g in lacking)
    elif isinstance(entry, ByMember):
        named = _named(entry.members, presence, reasons)
        missing = [m.name for m in voters if m.name not in named]
        if missing:
            reasons.append(f"scrutin public incomplet (CGCT {public_article} : le nom des votants et le sens de "
                           f"leur vote) : aucun vote pour {', '.join(missing)}")
        positions = {name: (position, False) for name, position in named.items()}
    else:
        ballots = entry.pour + entry.contre + entry.abstention + entry.blancs + entry.nuls
        if min(entry.pour, entry.contre, entry.abstention, entry.blancs, entry.nuls) < 0:
            reasons.append("scrutin secret : un total est négatif")
        elif ballots != len(voters):
            reasons.append(f"scrutin secret : {ballots} bulletins et abstentions pour {len(voters)} votants "
                           "(présents et représentés)")
        positions = {m.name: (None, False) for m in voters}
    casts = []
    for m in presence.in_office:
        if m.name in presence.interest:
            casts.append(VoteCast(m.name, m.group, "ne_prend_pas_part", interest=True))
        elif m.name in positions:
            position, derived = positions[m.name]
            holder = presence.represented.get(m.name) if m.name not in presence.present else None
            casts.append(VoteCast(m.name, m.group, position, holder is not None, holder, derived))
        else:
            casts.append(VoteCast(m.name, m.group, ABSENT))
    return casts, reasons


def tally(entry: Entry, casts: Sequence[VoteCast], president: str) -> Tally:
    """The counts and result of a vote from its ledger: the majority of votes cast (pour and contre;
    abstentions, blank or void ballots and members not taking part are none), the President's vote
    deciding a tie except in a secret ballot."""
    def count(position: str) -> int:
        return sum(1 for c in casts if c.position == position)

    if isinstance(entry, Totals):
        pour, contre, abstention, blancs, nuls = entry.pour, entry.contre, entry.abstention, entry.blancs, entry.nuls
    else:
        pour, contre, abstention, blancs, nuls = count("pour"), count("contre"), count("abstention"), 0, 0
    casting = not isinstance(entry, Totals) and pour == contre > 0
    chair = next((c.position for c in casts if c.member == president), None)
    adopted = pour > contre or (casting and chair == "pour")
    return Tally(en_exercice=len(casts),
                 presents=sum(1 for c in casts if c.position != ABSENT and not c.interest and not c.by_proxy),
                 delegations=sum(1 for c in casts if c.by_proxy), pour=pour, contre=contre, abstention=abstention,
                 ne_prend_pas_part=count("ne_prend_pas_part"), absent_sans_delegation=count(ABSENT),
                 result="adopte" if adopted else "rejete", blancs=blancs, nuls=nuls, casting_vote=casting)


def vote_block(ballot: Ballot, groups: Sequence[str]) -> Vote:
    """The vote block an act prints, derived from the ledger: each count with the groups that gave
    it, in `groups`' order; a group split between positions is named bare where it stands (the
    position entered for it, else that of most of its members) and, elsewhere, with the names of
    those who stand there ("Groupe Union pour le
    Pas-de-Calais (M. Bruno COUSEIN, …)"). A secret ballot names no group."""
    t = ballot.tally
    vote = Vote(pour=t.pour, contre=t.contre, abstention=t.abstention + t.blancs + t.nuls,
                absent_sans_delegation=t.absent_sans_delegation, ne_prend_pas_part=t.ne_prend_pas_part,
                en_exercice=t.en_exercice, presents=t.presents, delegations=t.delegations, result=t.result)
    keys = {**{p: p for p in POSITIONS}, ABSENT: "absent_sans_delegation"}
    vote.groups = {key: [] for key in keys.values()}
    if ballot.mode == "secret":
        return vote
    for group in groups:
        members = [c for c in ballot.casts if c.group == group]
        by_position = {p: [c.member for c in members if c.position == p] for p in keys}
        followed = [c.position for c in members if c.derived] or [c.position for c in members]  # the group's line
        main = max((p for p in POSITIONS if p in followed), key=followed.count, default=None)
        for position, names in by_position.items():
            if not names:
                continue
            key = keys[position]
            vote.groups[key].append(group)
            if position not in (main, ABSENT):
                vote.members.setdefault(key, {})[group] = names
    return vote
