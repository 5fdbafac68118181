"""Political groups: who belongs to which, as the documents state it, and each vote's counts by group.

A Département's acts rarely print its members' groups. They say it in three places, and only
these are read (a group is never guessed from how a person votes):
- a vote block that names the members of a split group ("Groupe Union pour le Pas-de-Calais
  (M. Bruno COUSEIN, …)"): source `vote`;
- the signatories of a vœu, members of the group that filed it: source `motion`;
- the absents without delegation, when the act names as many members neither present nor
  represented as the block counts (`unrepresented`) and the block gives them one group
  ("Absents sans délégation de vote : 2 (Groupe Rassemblement National)" under "Absent(s) :
  M. Ludovic PAJOT, Mme Marine LE PEN"): source `absence`. An inference when delegations were
  given, since acts do not say who gave one; on the corpus the vœux confirm three of its four
  people. Seeding a members list leaves it out.
The members list (imported, or seeded from these statements) and the ledger of the séances held
here are read by their own modules.

Counts by group come from the ledger when the séance was held here. Otherwise they are derived
from the vote block: each group it lists under a position holds at least one vote there, a
position's total is the sum of its groups, and a split group's named members are its votes there.
With the members list of that date, each group's members in office are the sum of its positions,
and, when no delegation was given, the excused and absents an act names give each group's absents. `derived_counts` fixes
the counts these sums determine and leaves the others null. A members list that contradicts the
block is left aside. On random séances replayed and read back, every derived count equals the
ledger's (tests/seance/test_generate.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from recueil.store import facets, schema
from recueil.text.names import name_key

POSITIONS = ("pour", "contre", "abstention", "ne_prend_pas_part", "absent_sans_delegation")
ABSENT = "absent_sans_delegation"
Counts = dict[str, dict[str, int | None]]  # group → position → votes (None: not fixed by the block)


class Statement(NamedTuple):
    """One document's word that `name` sat in `group` on `date` (ISO, None when the document gives no
    séance date)."""

    name: str
    body: str | None
    date: str | None
    group: str
    source: str  # vote | motion | absence


@lru_cache(maxsize=4096)
def slug(printed: str) -> str:
    """What two spellings of one group share ("Non-inscrit", "Non-inscrits": "non_inscrit"); kept,
    as an assembly prints a few groups on every act."""
    return facets.slug("group", printed) or printed


def act_statements(body: str | None, day: str | None, data: Mapping[str, Any]) -> Iterator[Statement]:
    """What one act (its JSONL record's `data`) states of its members' groups: the names of a vote
    block, the absents of the one group it gives them."""
    vote = data.get("vote") or {}
    for by_group in (vote.get("members") or {}).values():
        for group, names in by_group.items():
            yield from (Statement(name, body, day, group, "vote") for name in names)
    listed = (vote.get("groups") or {}).get(ABSENT) or []
    if len(listed) == 1:
        yield from (Statement(name, body, day, listed[0], "absence")
                    for name in unrepresented(vote, data.get("attendance") or {})[0])


def motion_statements(conn: Connection) -> Iterator[Statement]:
    """The signatories of the stored vœux, members of the group that filed each, at its séance."""
    s, m = schema.sittings, schema.motions
    sitting_of = {row.document_id: (row.body, row.date) for row in conn.execute(select(s.c.document_id, s.c.body,
                                                                                       s.c.date))}
    for motion in conn.execute(select(m.c.document_id, m.c.filed_by, m.c.data).order_by(m.c.pk)):
        if motion.filed_by:
            body, day = sitting_of.get(motion.document_id, (None, None))
            yield from (Statement(name, body, day, motion.filed_by, "motion")
                        for name in motion.data.get("signatories") or [])


def unrepresented(vote: Mapping[str, Any], attendance: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The members an act names as neither present nor represented, when it names as many as its
    vote block counts, and whether that is sure. With no delegation given, they are its excused and
    absents (sure); else its absents are taken for them, a guess, since an act does not say who gave
    a delegation. Members the block names elsewhere (one who left the room, interested in the
    affair) are not among them. None found: `([], False)`."""
    named = {name_key(n) for by_group in (vote.get("members") or {}).values() for names in by_group.values()
             for n in names}
    absent, excused = ([n for n in attendance.get(key) or [] if name_key(n) not in named]
                       for key in ("absent", "excused"))
    count = vote.get(ABSENT)
    away = [*excused, *absent]
    if away and vote.get("delegations") == 0 and len(away) == count:
        return away, True
    return (absent, False) if absent and len(absent) == count else ([], False)


def membership_on(periods: Iterable[Mapping[str, Any]], body: str, day: str) -> dict[str, str] | None:
    """The members in office (with a vote) of `body` on `day`, from `member` records: name key →
    group slug; None when no period of that assembly holds on that day, or when a member's group is
    not stated (the membership is unknown)."""
    members: dict[str, str] = {}
    for period in periods:
        if period["body"] == body and (period["from"] or "") <= day and (not period["to"] or day <= period["to"]):
            if period["voting"] and not period["group"]:
                return None
            if period["voting"]:
                members[name_key(period["name"])] = slug(period["group"])
    return members or None


def derived_counts(vote: Mapping[str, Any], membership: Mapping[str, str] | None = None,
                   attendance: Mapping[str, Any] | None = None) -> Counts:
    """The votes of each group the block lists, as far as its sums fix them (see the module's
    docstring). With the `membership` of that date (name key → group slug) when it agrees with the
    block: each group's total, and the groups of the members the act's `attendance` names as
    neither present nor represented. Groups are keyed as the block first prints them."""
    printed: dict[str, str] = {}
    cells: dict[tuple[str, str], int | None] = {}
    for position in POSITIONS:
        for group in (vote.get("groups") or {}).get(position) or []:
            printed.setdefault(slug(group), group)
            cells[slug(group), position] = None
    if not cells:
        return {}
    for position, by_group in (vote.get("members") or {}).items():
        for group, names in by_group.items():
            if (slug(group), position) in cells:
                cells[slug(group), position] = len(names)
    totals = {p: vote[p] for p in POSITIONS if isinstance(vote.get(p), int)}
    sums = [([c for c in cells if c[1] == p], total) for p, total in totals.items()]
    tries = [(cells, sums)]  # the last is the block alone; those before it also read the membership
    if membership is not None and _fits(cells, totals, membership):
        rows = [([c for c in cells if c[0] == key], total) for key, total in Counter(membership.values()).items()]
        tries.insert(0, (cells, sums + rows))
        away, sure = unrepresented(vote, attendance or {})
        if sure and (known := _away(cells, membership, away)) is not None:
            tries.insert(0, (known, sums + rows))
    solved = next((found for start, constraints in tries if (found := _solve(dict(start), constraints))), {})
    counts: Counts = {}
    for (key, position), value in solved.items():
        counts.setdefault(printed[key], {})[position] = value
    return counts


def _fits(cells: Mapping[tuple[str, str], int | None], totals: Mapping[str, int], membership: Mapping[str, str]) -> bool:
    """Whether a membership can be the block's: as many members as the block counts, every group
    with members listed, every position with votes giving its groups."""
    return (sum(totals.values()) == len(membership) and set(membership.values()) <= {key for key, _ in cells}
            and all(any(c[1] == p for c in cells) for p, total in totals.items() if total))


def _away(cells: Mapping[tuple[str, str], int | None], membership: Mapping[str, str],
          away: Sequence[str]) -> dict[tuple[str, str], int | None] | None:
    """The cells with each group's count of those `away` (neither present nor represented); None
    when the block does not list their groups among its absents."""
    groups = Counter(membership.get(name_key(name), "") for name in away)
    if any((key, ABSENT) not in cells for key in groups):
        return None
    return {**cells, **{(key, ABSENT): count for key, count in groups.items()}}


def _solve(cells: dict[tuple[str, str], int | None],
           sums: list[tuple[list[tuple[str, str]], int]]) -> dict[tuple[str, str], int | None] | None:
    """Fills the cells that the sums fix, one unknown at a time; None when a sum cannot hold (a
    listed group with fewer than one vote, a sum missed)."""
    progress = True
    while progress:
        progress = False
        for members, total in sums:
            unknown = [c for c in members if cells[c] is None]
            rest = total - sum(cells[c] or 0 for c in members)
            if unknown and rest == len(unknown):  # each listed group holds at least one vote
                cells.update(dict.fromkeys(unknown, 1))
                progress = True
            elif len(unknown) == 1:
                cells[unknown[0]] = rest
                progress = True
            elif (not unknown and rest != 0) or rest < len(unknown):
                return None
    return None if any(v is not None and v < 1 for v in cells.values()) else cells


# Where a councillor's group was read (browse.Councillor.group_source): the ledger, the members
# list, or the statements above, several joined by "+" in alphabetical order.
SOURCE_PATTERN = r"^(ledger|members|absence(\+motion)?(\+vote)?|motion(\+vote)?|vote)$"
