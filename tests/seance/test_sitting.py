"""The sitting step by step: each rule of the CGCT broken on purpose gives its refusal, naming the
rule, and the refused step changes nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from recueil.seance.ledger import ByGroup, ByMember, Totals
from recueil.seance.numbering import Series
from recueil.seance.rules import Refused
from recueil.seance.sitting import DONNE_ACTE, Sitting

_spec = importlib.util.spec_from_file_location("recueil_tests_seance_helpers", Path(__file__).parent / "helpers.py")
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

N = helpers.names(12)  # N[0] presides; groups: N[0], N[3], N[6] socialists; N[1], N[4], N[7] RN; the rest NI


def opened(count: int = 9, body: str = "conseil_departemental", present: int = 9, **options) -> Sitting:
    """A sitting of `count` members in office, the first `present` present and the others excused."""
    sitting = Sitting.open(helpers.roster(count, body), N[0], Series(2025, 360), secretary=N[1], opened_at="10:00",
                           **options)
    sitting.roll_call(N[:present], excused=N[present:count])
    return sitting


def refusal(step, *args, **kwargs) -> list[str]:
    with pytest.raises(Refused) as refused:
        step(*args, **kwargs)
    return refused.value.reasons


# -- quorum -------------------------------------------------------------------------------------

def test_the_conseil_departemental_counts_the_members_present_only() -> None:
    sitting = opened(present=4)  # 9 in office: 5 required
    for giver, holder in zip(N[4:7], N[:3]):
        sitting.give_proxy(giver, holder)
    item = sitting.take_up(1, "Partenariat éducatif")
    assert refusal(sitting.vote, ByGroup(default="pour")) == [
        "quorum non atteint (CGCT L3121-14) : 4 présents sur 9 en exercice, 5 requis — rapport n° 1 non délibéré"]
    assert (item.outcome, item.number, item.ballot, sitting.series.given) == (None, None, None, [])  # nothing changed
    sitting.arrive([N[4]])  # the proxy of N[4] ends; 5 present
    assert sitting.vote(ByGroup(default="pour")).number == "2025-360"


def test_the_commission_permanente_counts_the_members_present_or_represented() -> None:
    sitting = opened(body="commission_permanente", present=3)
    sitting.take_up(1, "Subventions")
    assert refusal(sitting.vote, ByGroup(default="pour")) == [
        "quorum non atteint (CGCT L3122-6) : 3 présents ou représentés sur 9 en exercice, 5 requis — "
        "rapport n° 1 non délibéré"]
    sitting.give_proxy(N[3], N[0])
    sitting.give_proxy(N[4], N[1])
    assert sitting.vote(ByGroup(default="pour")).ballot.tally.delegations == 2


def test_the_quorum_is_checked_before_each_vote_with_the_movements_so_far() -> None:
    sitting = opened(present=5)
    sitting.take_up(1, "Premier")
    sitting.vote(ByGroup(default="pour"))
    sitting.take_up(2, "Second")
    sitting.depart([N[4]])
    assert refusal(sitting.vote, ByGroup(default="pour"))[0].startswith(
        "quorum non atteint (CGCT L3121-14) : 4 présents sur 9 en exercice")
    sitting.arrive([N[5]])
    assert sitting.vote(ByGroup(default="pour")).quorum.describe() == "5 présents sur 9 en exercice, 5 requis"


def test_members_with_an_interest_do_not_count_towards_the_quorum() -> None:
    sitting = opened(present=5)
    sitting.take_up(1, "Subvention à une association que préside N[2]")
    sitting.not_taking_part([N[2]])
    assert "4 présents sur 9 en exercice, 5 requis" in refusal(sitting.vote, ByGroup(default="pour"))[0]


def test_a_sitting_reconvened_three_days_later_deliberates_whatever_the_number() -> None:
    assert refusal(opened, present=2, reconvened_from="2025-09-20") == [
        "séance reconvoquée trop tôt (CGCT L3121-14 : trois jours au moins après la séance sans quorum) : "
        "2 jour(s) après celle du 20 septembre 2025"]
    sitting = opened(present=2, reconvened_from="2025-09-19")
    sitting.take_up(1, "Rapport renvoyé faute de quorum")
    item = sitting.vote(ByGroup(default="pour"))
    assert item.quorum.reconvened and item.ballot.tally.pour == 2 and item.ballot.tally.result == "adopte"


# -- proxies ------------------------------------------------------------------------------------

def test_nobody_holds_more_than_one_proxy() -> None:
    sitting = opened(present=6)
    sitting.give_proxy(N[6], N[0])
    assert refusal(sitting.give_proxy, N[7], N[0]) == [
        f"{N[0]} détient déjà la délégation de vote de {N[6]} (CGCT L3121-16 : nul ne peut recevoir plus "
        "d'une délégation)"]
    assert refusal(sitting.give_proxy, N[6], N[1]) == [
        f"{N[6]} a déjà donné délégation de vote à {N[0]} (CGCT L3121-16)"]
    assert refusal(sitting.give_proxy, N[1], N[2]) == [
        f"délégation de vote de {N[1]}, présent (CGCT L3121-16 : seul un membre empêché d'assister peut la donner)"]
    assert refusal(sitting.give_proxy, "Jean INCONNU", N[2]) == ["Jean INCONNU n'est pas membre du Conseil "
                                                                 "départemental le 22 septembre 2025"]
    assert sitting.proxies == {N[6]: N[0]}


def test_a_proxy_ends_when_its_giver_arrives() -> None:
    sitting = opened(present=6)
    sitting.give_proxy(N[6], N[0])
    sitting.take_up(1, "Premier")
    first = sitting.vote(ByGroup(default="pour"))
    assert [(c.member, c.by_proxy, c.proxy_holder) for c in first.ballot.casts if c.by_proxy] == [(N[6], True, N[0])]
    sitting.take_up(2, "Second")
    sitting.arrive([N[6]])
    second = sitting.vote(ByGroup(default="pour"))
    assert not any(c.by_proxy for c in second.ballot.casts) and sitting.proxies == {}
    sitting.take_up(3, "Troisième")
    sitting.depart([N[6]])  # leaving again does not bring the proxy back
    third = sitting.vote(ByGroup(default="pour"))
    assert next(c for c in third.ballot.casts if c.member == N[6]).position == "absent"
    sitting.give_proxy(N[6], N[1])  # a new one may be given
    assert sitting.proxies == {N[6]: N[1]}


def test_a_proxy_is_exercised_only_while_its_holder_is_in_the_room() -> None:
    sitting = opened(present=7)
    sitting.give_proxy(N[8], N[6])
    sitting.take_up(1, "Premier")
    sitting.depart([N[6]])
    casts = {c.member: c for c in sitting.vote(ByGroup(default="pour")).ballot.casts}
    assert casts[N[8]].position == casts[N[6]].position == "absent"


# -- interests ----------------------------------------------------------------------------------

def test_a_member_with_an_interest_takes_no_part_nor_does_their_proxy() -> None:
    sitting = opened(present=7)
    sitting.give_proxy(N[7], N[1])
    sitting.give_proxy(N[8], N[2])
    sitting.take_up(1, "Subvention")
    sitting.not_taking_part([N[1], N[8]])  # the holder of N[7]'s proxy, and the giver N[8]
    assert refusal(sitting.vote, ByGroup(default="pour", members={N[1]: "contre"})) == [
        f"rapport n° 1 : vote de {N[1]}, qui ne peut pas voter sur ce rapport (intéressé à l'affaire, ne prend pas "
        "part au vote)"]
    item = sitting.vote(ByGroup(default="pour"))
    casts = {c.member: c for c in item.ballot.casts}
    assert (casts[N[1]].position, casts[N[1]].interest) == ("ne_prend_pas_part", True)
    assert (casts[N[8]].position, casts[N[8]].by_proxy) == ("ne_prend_pas_part", False)
    assert casts[N[7]].position == "absent"  # its holder left the room
    assert N[1] in item.attendance.absent and N[8] in item.attendance.absent
    assert N[7] in item.attendance.excused
    tally = item.ballot.tally
    assert (tally.pour, tally.ne_prend_pas_part, tally.absent_sans_delegation, tally.presents, tally.delegations) \
        == (6, 2, 1, 6, 0)
    sitting.take_up(2, "Suivant")  # back in the room for the next item
    assert sitting.vote(ByGroup(default="pour")).ballot.tally.pour == 9


# -- majority -----------------------------------------------------------------------------------

def test_the_majority_of_votes_cast_decides_and_abstentions_are_none() -> None:
    sitting = opened(present=9)
    sitting.take_up(1, "Premier")
    groups = {helpers.GROUPS[0]: "contre", helpers.GROUPS[1]: "abstention", helpers.GROUPS[2]: "pour"}
    tally = sitting.vote(ByGroup(groups)).ballot.tally
    assert (tally.pour, tally.contre, tally.abstention, tally.result) == (3, 3, 3, "rejete")  # N[0], socialist, contre
    assert tally.casting_vote


def test_on_a_tie_the_presidents_vote_decides() -> None:
    sitting = opened(present=9)
    sitting.take_up(1, "Premier")
    groups = {helpers.GROUPS[0]: "pour", helpers.GROUPS[1]: "contre", helpers.GROUPS[2]: "abstention"}
    assert sitting.vote(ByGroup(groups)).ballot.tally.result == "adopte"
    sitting.take_up(2, "Second")  # the president abstains: a tie is not a majority
    tally = sitting.vote(ByGroup(groups, members={N[0]: "abstention", N[2]: "pour"})).ballot.tally
    assert (tally.pour, tally.contre, tally.result, tally.casting_vote) == (3, 3, "rejete", True)


def test_no_casting_vote_in_a_secret_ballot() -> None:
    sitting = opened(present=9)
    sitting.take_up(1, "Désignation")
    item = sitting.vote(Totals(pour=4, contre=4, blancs=1))
    assert (item.ballot.tally.result, item.ballot.tally.casting_vote) == ("rejete", False)
    assert {c.position for c in item.ballot.casts} == {None}  # who voted, not how


def test_the_counts_add_up_to_the_members_in_office() -> None:
    sitting = opened(present=6)
    sitting.give_proxy(N[6], N[0])
    sitting.take_up(1, "Premier")
    sitting.not_taking_part([N[5]])
    entry = ByGroup({helpers.GROUPS[1]: "contre"}, default="pour", members={N[3]: "abstention"})
    tally = sitting.vote(entry).ballot.tally
    assert (tally.pour, tally.contre, tally.abstention, tally.ne_prend_pas_part, tally.absent_sans_delegation) \
        == (3, 2, 1, 1, 2)
    assert tally.pour + tally.contre + tally.abstention + tally.ne_prend_pas_part + tally.absent_sans_delegation \
        == tally.en_exercice == 9


# -- entering the vote --------------------------------------------------------------------------

def test_a_vote_by_group_must_give_every_voter_a_position() -> None:
    sitting = opened()
    sitting.take_up(1, "Premier")
    assert refusal(sitting.vote, ByGroup({helpers.GROUPS[0]: "pour", "Groupe Inconnu": "contre"},
                                         members={N[1]: "peut-être"})) == [
        f"rapport n° 1 : position inconnue pour {N[1]} : « peut-être » (pour, contre, abstention, ne_prend_pas_part)",
        "rapport n° 1 : groupe inconnu dans le vote : « Groupe Inconnu » (groupes : Groupe Rassemblement National ; "
        "Groupe Socialiste, Républicain et Citoyen ; Non-inscrits)",
        "rapport n° 1 : vote incomplet : aucune position pour le groupe « Groupe Rassemblement National » "
        "(ni consigne, ni position par défaut)",
        "rapport n° 1 : vote incomplet : aucune position pour le groupe « Non-inscrits » (ni consigne, ni position "
        "par défaut)"]


def test_a_public_vote_names_every_voter() -> None:
    sitting = opened(present=4)
    sitting.arrive(N[4:5])
    sitting.take_up(1, "Premier")
    assert refusal(sitting.vote, ByMember({N[0]: "pour", N[1]: "contre", N[5]: "pour"})) == [
        f"rapport n° 1 : vote de {N[5]}, qui ne peut pas voter sur ce rapport (absent sans délégation de vote)",
        f"rapport n° 1 : scrutin public incomplet (CGCT L3121-15 : le nom des votants et le sens de leur vote) : "
        f"aucun vote pour {N[2]}, {N[3]}, {N[4]}"]
    item = sitting.vote(ByMember({N[0]: "pour", N[1]: "contre", N[2]: "pour", N[3]: "abstention", N[4]: "pour"}))
    assert [(c.position, c.derived) for c in item.ballot.casts[:5]] == [
        ("pour", False), ("contre", False), ("pour", False), ("abstention", False), ("pour", False)]


def test_a_secret_ballot_accounts_for_every_voter() -> None:
    sitting = opened(present=8)
    sitting.take_up(1, "Désignation")
    assert refusal(sitting.vote, Totals(pour=5, contre=1, nuls=1)) == [
        "rapport n° 1 : scrutin secret : 7 bulletins et abstentions pour 8 votants (présents et représentés)"]


def test_a_donne_acte_has_no_vote_but_the_same_quorum() -> None:
    sitting = opened(present=4)
    sitting.take_up(1, "Rapport d'activité", decision=DONNE_ACTE)
    assert refusal(sitting.vote, ByGroup(default="pour")) == ["rapport n° 1 : DONNE ACTE, sans vote"]
    assert refusal(sitting.give_act)[0].startswith("quorum non atteint (CGCT L3121-14) : 4 présents")
    sitting.arrive([N[4]])
    assert (sitting.give_act().number, sitting.items[0].ballot) == ("2025-360", None)


# -- numbers, rapports and the course of the sitting ----------------------------------------------

def test_a_withdrawn_item_gets_no_number_and_numbers_follow_each_other() -> None:
    sitting = opened()
    for report in (2, 3, 4):
        sitting.take_up(report, f"Rapport {report}")
        if report == 3:
            sitting.withdraw()
        else:
            sitting.vote(ByGroup(default="pour"))
    assert [(i.report, i.outcome, i.number) for i in sitting.items] == [
        (2, "vote", "2025-360"), (3, "retire", None), (4, "vote", "2025-361")]
    assert refusal(sitting.take_up, 3, "Encore") == ["rapport n° 3 déjà examiné à cette séance (numérotation propre "
                                                      "à la séance)"]


def test_an_item_is_finished_before_the_next_and_before_the_close() -> None:
    sitting = opened()
    sitting.take_up(1, "Premier")
    assert refusal(sitting.take_up, 2, "Second") == ["le rapport n° 1 n'est pas terminé (ni voté, ni retiré)"]
    assert refusal(sitting.close, "12:00") == ["le rapport n° 1 n'est pas terminé (ni voté, ni retiré)"]
    sitting.vote(ByGroup(default="pour"))
    assert refusal(sitting.close, "09:00") == ["clôture à 09:00, avant l'ouverture à 10:00"]
    sitting.close("12:00")
    assert refusal(sitting.take_up, 2, "Second") == ["séance close"]
    assert [s["step"] for s in sitting.steps] == ["open", "roll_call", "take_up", "vote", "close"]


def test_a_refused_movement_changes_nothing() -> None:
    sitting = opened(present=5)
    assert refusal(sitting.arrive, [N[5], "Jean INCONNU", N[0]]) == [
        "Jean INCONNU n'est pas membre du Conseil départemental le 22 septembre 2025",
        f"arrivée de {N[0]}, déjà présent"]
    assert refusal(sitting.depart, [N[1], N[8]]) == [f"départ de {N[8]}, qui n'est pas présent"]
    assert sitting.in_room == set(N[:5])


def test_the_roll_call_names_every_member_in_office_once() -> None:
    sitting = Sitting.open(helpers.roster(9), N[0], Series(2025, 1), secretary=N[1])
    assert refusal(sitting.roll_call, [*N[1:5], N[4]], excused=N[5:7]) == [
        f"{N[4]} figure deux fois à l'appel",
        f"appel incomplet (CGCT L3121-13 : le procès-verbal nomme les présents) : {N[0]}, {N[7]}, {N[8]} ni "
        "présent(s), ni excusé(s), ni absent(s)"]
    assert refusal(sitting.roll_call, N[1:9], excused=[N[0]]) == [
        f"le président de séance, {N[0]}, n'est pas présent à l'appel"]
    sitting.roll_call(N[:9])
    assert refusal(sitting.roll_call, N[:9]) == ["appel déjà fait : les mouvements se notent en arrivées et départs"]


def test_opening_checks_the_assembly_the_president_and_the_dates() -> None:
    assert refusal(Sitting.open, helpers.roster(9), "Jean INCONNU", Series(2025, 1), convocation_sent="2025-09-30",
                   opened_at="25:00") == [
        "ouverture : heure invalide « 25:00 » (attendu HH:MM)",
        "président de séance inconnu : Jean INCONNU n'est pas membre du Conseil départemental le 22 septembre 2025",
        "convocation envoyée le 30 septembre 2025, après la séance du 22 septembre 2025"]
    assert refusal(Sitting.open, helpers.roster(9, body="conseil_de_quartier"), N[0], Series(2025, 1)) == [
        "organe sans règles de séance : conseil_de_quartier (connus : conseil_departemental, commission_permanente)"]
    assert refusal(Sitting.open, helpers.roster(9), N[0], Series(2024, 1)) == [
        "numéros de 2024 pour une séance de 2025 : la numérotation est annuelle"]


def test_members_without_a_vote_attend_but_neither_vote_nor_count() -> None:
    cp = helpers.roster(5, body="commission_permanente", day="2021-06-07", non_voting=2)
    sitting = Sitting.open(cp, N[0], Series(2021, 232))
    sitting.roll_call([*N[:3], N[5]], excused=[*N[3:5], N[6]])
    assert refusal(sitting.give_proxy, N[6], N[0]) == [f"{N[6]} siège sans voix délibérative"]
    sitting.take_up(45, "Subventions")
    item = sitting.vote(ByGroup(default="pour"))
    assert (item.ballot.tally.en_exercice, item.ballot.tally.pour, len(item.ballot.casts)) == (5, 3, 5)
    assert (item.attendance.non_voting_present, item.attendance.non_voting_excused) == ([N[5]], [N[6]])
    assert item.number == "2021-232"
