"""The vote ledger: one row per member in office and item, with the group of the day and the proxy;
counts, result and the vote block's groups derived from it; stored on both databases."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from recueil.seance.ledger import ByGroup, ByMember, Totals, VoteCast, vote_block
from recueil.seance.members import Membership, Roster
from recueil.seance.numbering import Series, series_for
from recueil.seance.rules import Refused
from recueil.seance.sitting import DONNE_ACTE, Sitting
from recueil.seance.storage import load_ledger, save_sitting
from recueil.store import schema
from recueil.store.database import Store

_spec = importlib.util.spec_from_file_location("recueil_tests_seance_helpers", Path(__file__).parent / "helpers.py")
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

N = helpers.names(9)
PS, RN, NI = helpers.GROUPS  # N[0], N[3], N[6] | N[1], N[4], N[7] | N[2], N[5], N[8]


def held() -> Sitting:
    """A closed sitting of 9: N[7] and N[8] excused, N[8]'s proxy held by N[0]; item 1 voted by
    group with an exception, N[5] not taking part; item 2 withdrawn; item 3 a public vote after
    N[4] left; item 4 a donne acte; item 5 a secret ballot."""
    sitting = Sitting.open(helpers.roster(9), N[0], Series(2025, 360), secretary=N[1], opened_at="10:03")
    sitting.roll_call(N[:7], excused=N[7:])
    sitting.give_proxy(N[8], N[0])
    sitting.take_up(1, "Partenariat éducatif", pole="Réussites citoyennes", visas=["Vu le CGCT"],
                    articles=["D'attribuer"])
    sitting.not_taking_part([N[5]])
    sitting.vote(ByGroup({RN: "abstention"}, default="pour", members={N[4]: "pour"}))
    sitting.take_up(2, "Retiré")
    sitting.withdraw()
    sitting.take_up(3, "Motion")
    sitting.depart([N[4]])
    sitting.vote(ByMember({N[0]: "pour", N[1]: "contre", N[2]: "pour", N[3]: "contre", N[5]: "abstention",
                           N[6]: "pour", N[8]: "contre"}))
    sitting.take_up(4, "Rapport d'activité", decision=DONNE_ACTE)
    sitting.give_act()
    sitting.take_up(5, "Désignation au conseil d'administration")
    sitting.vote(Totals(pour=4, contre=1, blancs=1, nuls=1))
    sitting.close("12:00")
    return sitting


def test_one_row_per_member_in_office_with_group_and_proxy() -> None:
    first = held().items[0]
    assert first.ballot.casts == (
        VoteCast(N[0], PS, "pour", derived=True),
        VoteCast(N[1], RN, "abstention", derived=True),
        VoteCast(N[2], NI, "pour", derived=True),
        VoteCast(N[3], PS, "pour", derived=True),
        VoteCast(N[4], RN, "pour"),  # the exception, entered by name
        VoteCast(N[5], NI, "ne_prend_pas_part", interest=True),
        VoteCast(N[6], PS, "pour", derived=True),
        VoteCast(N[7], RN, "absent"),
        VoteCast(N[8], NI, "pour", by_proxy=True, proxy_holder=N[0], derived=True),
    )
    t = first.ballot.tally
    assert (t.en_exercice, t.presents, t.delegations, t.pour, t.contre, t.abstention, t.ne_prend_pas_part,
            t.absent_sans_delegation, t.result) == (9, 6, 1, 6, 0, 1, 1, 1, "adopte")


def test_counts_and_result_of_each_kind_of_vote() -> None:
    sitting = held()
    assert [(i.report, i.outcome, i.number) for i in sitting.items] == [
        (1, "vote", "2025-360"), (2, "retire", None), (3, "vote", "2025-361"), (4, "donne_acte", "2025-362"),
        (5, "vote", "2025-363")]
    public = sitting.items[2].ballot.tally
    assert (public.pour, public.contre, public.abstention, public.absent_sans_delegation, public.result) == \
        (3, 3, 1, 2, "adopte")  # a tie: the President voted pour
    assert public.casting_vote
    secret = sitting.items[4].ballot
    assert (secret.tally.pour, secret.tally.contre, secret.tally.blancs, secret.tally.nuls,
            secret.tally.absent_sans_delegation, secret.tally.result) == (4, 1, 1, 1, 2, "adopte")
    assert [c.position for c in secret.casts] == [None, None, None, None, "absent", None, None, "absent", None]
    assert sitting.items[3].ballot is None


def test_the_vote_block_names_the_groups_and_the_members_apart_from_theirs() -> None:
    sitting = held()
    block = vote_block(sitting.items[0].ballot, sitting.roster.groups)
    assert block.groups == {"pour": [PS, RN, NI], "contre": [], "abstention": [RN],
                            "ne_prend_pas_part": [NI], "absent_sans_delegation": [RN]}
    assert block.members == {"pour": {RN: [N[4]]}, "ne_prend_pas_part": {NI: [N[5]]}}
    assert (block.pour, block.abstention, block.en_exercice, block.presents, block.delegations, block.result) == \
        (6, 1, 9, 6, 1, "adopte")
    secret = vote_block(sitting.items[4].ballot, sitting.roster.groups)
    assert secret.abstention == 2 and not any(secret.groups.values())  # blank and void ballots are not cast
    assert secret.pour + secret.contre + secret.abstention + secret.absent_sans_delegation == 9


def test_the_group_is_the_one_of_the_day_of_the_vote() -> None:
    periods = [Membership(n, None, "conseil_departemental", PS) for n in N[:4]] + [
        Membership(N[4], None, "conseil_departemental", RN, end="2025-06-30"),
        Membership(N[4], None, "conseil_departemental", NI, start="2025-07-01")]
    groups = []
    for day in ("2025-06-16", "2025-09-22"):
        sitting = Sitting.open(Roster.on(periods, "conseil_departemental", day), N[0], Series(2025, 1))
        sitting.roll_call(N[:5])
        sitting.take_up(1, "Budget")
        sitting.vote(ByGroup({PS: "pour"}, default="contre"))
        groups.append(sitting.items[0].ballot.casts[4])
    assert groups == [VoteCast(N[4], RN, "contre", derived=True), VoteCast(N[4], NI, "contre", derived=True)]


def test_the_sitting_its_ledger_and_its_numbers_are_stored_once(store_url: str) -> None:
    sitting = held()
    with Store(store_url) as store:
        with store.writing() as conn:
            save_sitting(conn, sitting)
        with store.writing() as conn:
            with pytest.raises(Refused) as refused:
                save_sitting(conn, sitting)
            assert refused.value.reasons == ["séance déjà enregistrée : cd-2025-09-22"]
            assert series_for(conn, 2025).first == 364  # the numbers given are used
        with store.engine.connect() as conn:
            assert load_ledger(conn, "2025-360") == list(sitting.items[0].ballot.casts)
            assert load_ledger(conn, "2025-363")[0] == VoteCast(N[0], PS, None)
            items = conn.execute(schema.recorded_items.select().order_by(schema.recorded_items.c.seq)).mappings().all()
            stored = conn.execute(schema.recorded_sittings.select()).mappings().one()
    assert [(i["report"], i["number"], i["outcome"]) for i in items] == [
        (1, "2025-360", "vote"), (2, None, "retire"), (3, "2025-361", "vote"), (4, "2025-362", "donne_acte"),
        (5, "2025-363", "vote")]
    first = items[0]["data"]
    assert first["vote"]["groups"]["abstention"] == [RN] and first["tally"]["pour"] == 6
    assert first["quorum"]["text"] == "6 présents sur 9 en exercice, 5 requis"
    assert first["attendance"]["excused"] == [N[7], N[8]] and first["attendance"]["absent"] == [N[5]]
    assert first["proxies"] == [{"giver": N[8], "holder": N[0]}] and first["visas"] == ["Vu le CGCT"]
    data = stored["data"]
    assert (data["present"], data["excused"], data["proxies"]) == (N[:7], N[7:], [{"giver": N[8], "holder": N[0]}])
    assert [s["step"] for s in data["steps"]][:4] == ["open", "roll_call", "proxy", "take_up"]
