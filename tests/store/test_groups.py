"""Each group's votes derived from a vote block (store/groups.py): what the sums fix, nothing they
do not, and a members list that disagrees with the block left aside."""

from __future__ import annotations

from typing import Any

from recueil.store.groups import derived_counts, slug, unrepresented
from recueil.text.names import name_key

A, B, C = "Groupe Avenir", "Groupe Bocage", "Non-inscrits"


def block(**counts: Any) -> dict[str, Any]:
    """A vote block: counts by position, `groups` and `members` as the ingest gives them."""
    vote = {"pour": 0, "contre": 0, "abstention": 0, "ne_prend_pas_part": 0, "absent_sans_delegation": 0,
            "groups": {}, "members": {}}
    vote.update(counts)
    return vote


SPLIT = block(pour=6, abstention=3, absent_sans_delegation=1, delegations=0,
              groups={"pour": [A, B], "abstention": [B, C], "absent_sans_delegation": [A]},
              members={"pour": {B: ["Jean NOM", "Anne AUTRE"]}})


def membership(**groups: list[str]) -> dict[str, str]:
    """Name keys → group slugs, as `membership_on` gives them: membership(A=[…], B=[…])."""
    return {name_key(name): slug({"A": A, "B": B, "C": C}[g]) for g, names in groups.items() for name in names}


MEMBERS = membership(A=["P1", "P2", "P3", "P4", "P5"], B=["Jean NOM", "Anne AUTRE", "P8"], C=["P9", "P10"])


def test_the_block_alone_fixes_one_group_positions_and_named_members() -> None:
    assert derived_counts(SPLIT) == {A: {"pour": 4, "absent_sans_delegation": 1}, B: {"pour": 2, "abstention": None},
                                     C: {"abstention": None}}


def test_the_members_list_fixes_the_rest() -> None:
    assert derived_counts(SPLIT, MEMBERS) == {A: {"pour": 4, "absent_sans_delegation": 1},
                                              B: {"pour": 2, "abstention": 1}, C: {"abstention": 2}}


def test_a_members_list_that_cannot_be_the_blocks_is_left_aside() -> None:
    one_more = {**MEMBERS, **membership(C=["P11"])}  # 11 members for a block of 10
    assert derived_counts(SPLIT, one_more) == derived_counts(SPLIT)
    moved = {**MEMBERS, **membership(B=["P5"])}  # Avenir then holds 4 members, for 5 votes and absents
    assert derived_counts(SPLIT, moved) == derived_counts(SPLIT)


def test_each_listed_group_holds_a_vote() -> None:
    two = block(pour=5, absent_sans_delegation=2, groups={"pour": [A], "absent_sans_delegation": [A, C]})
    assert derived_counts(two) == {A: {"pour": 5, "absent_sans_delegation": 1}, C: {"absent_sans_delegation": 1}}
    assert derived_counts(block(pour=1, groups={"pour": [A, C]})) == {}  # two groups cannot share one vote


def test_the_absents_an_act_names_count_only_when_no_delegation_was_given() -> None:
    members = membership(A=["P1", "P2", "P3", "P4"], B=["P5", "P6", "P7"])
    unknown = {A: {"pour": None, "absent_sans_delegation": None}, B: {"pour": None, "absent_sans_delegation": None}}
    vote = block(pour=4, absent_sans_delegation=3, delegations=0,
                 groups={"pour": [A, B], "absent_sans_delegation": [A, B]})
    assert derived_counts(vote, members) == unknown  # 2 and 1 absent, or 1 and 2
    away = {"present": ["P1", "P2", "P5", "P6"], "excused": ["P3"], "absent": ["P4", "P7"]}
    assert unrepresented(vote, away) == (["P3", "P4", "P7"], True)
    assert derived_counts(vote, members, away) == {A: {"pour": 2, "absent_sans_delegation": 2},
                                                   B: {"pour": 2, "absent_sans_delegation": 1}}
    # With a delegation given, the absents named may not be those without one: P3 may have given
    # it and the excused P6 none (A 3 and 1, B 1 and 2). A guess, never a count.
    vote = {**vote, "delegations": 1}
    away = {"present": ["P1", "P2", "P5"], "excused": ["P6"], "absent": ["P3", "P4", "P7"]}
    assert unrepresented(vote, away) == (["P3", "P4", "P7"], False)
    assert derived_counts(vote, members, away) == unknown
    assert unrepresented(vote, {**away, "absent": ["P3", "P4"]}) == ([], False)  # two named for three


def test_an_interested_member_named_in_the_block_is_not_an_absent() -> None:
    vote = block(pour=2, ne_prend_pas_part=1, absent_sans_delegation=1, delegations=0,
                 groups={"pour": [A], "ne_prend_pas_part": [A], "absent_sans_delegation": [A]},
                 members={"ne_prend_pas_part": {A: ["P3"]}})
    assert unrepresented(vote, {"present": ["P1", "P2"], "excused": ["P4"], "absent": ["P3"]}) == (["P4"], True)
