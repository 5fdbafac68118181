"""Cross-checks: silent on the real documents as printed, and each one catches a tampered copy."""

from __future__ import annotations

from recueil.ingest.pipeline import parse
from recueil.ingest.read import Text


def tampered(text: Text, old: str, new: str, count: int = 1) -> Text:
    joined = "\n".join(text.lines)
    assert joined.count(old) >= count, old
    return Text(text.name, "x" * 64, joined.replace(old, new, count).split("\n"))


def codes(text: Text) -> list[tuple[str, str | None, int | None]]:
    return [(w.code, w.record, w.line) for w in parse(text).warnings]


def test_real_documents_pass_their_own_checks(raa_2021, seance_2025):
    assert codes(raa_2021) == []
    assert [c for c, _, _ in codes(seance_2025)] == ["pv_intervenant"]


def test_vote_that_does_not_add_up(raa_2021):
    text = tampered(raa_2021, "Pour  :  42 voix  (Groupe", "Pour  :  41 voix  (Groupe")
    assert ("vote_total", "2021-232", 944) in codes(text)


def test_budget_vote_presents_against_attendance(seance_2025):
    text = tampered(seance_2025, "présents au moment du vote : 71", "présents au moment du vote : 70", count=2)  # the debate quotes the vote first
    assert ("vote_presents", "2025-361", 2613) in codes(text)


def test_delegations_against_the_roll_call(seance_2025):
    text = tampered(seance_2025, "Nombre de délégations de vote : 7", "Nombre de délégations de vote : 6", count=2)  # the debate quotes the vote first
    assert ("vote_delegations", "2025-361", 2613) in codes(text)


def test_sommaire_announces_an_act_the_document_lacks(raa_2021):
    text = tampered(raa_2021, "(N°2021-240)", "")
    found = codes(text)
    assert ("sommaire_manquant", None, None) in found


def test_closing_index_against_the_acts(seance_2025):
    text = tampered(seance_2025, "2025-365\tPropositions de modifications d'emplois", "2025-365\tTout autre titre")
    assert ("index_titre", "2025-365", 24742) in codes(text)


def test_annex_total_against_the_article(raa_2021):
    text = tampered(raa_2021, "11 284 541,60 2 289 545,23", "11 284 541,60 2 289 545,24")
    found = codes(text)
    assert ("annexe_total", "2021-239", 14856) in found
    text = tampered(raa_2021, "2021-02822 AVC\n\nRéfection des voiries, rue du Flôt et \n\nrue d'Arras\n20 093,50 40,00% 8 037,40",
                    "2021-02822 AVC\n\nRéfection des voiries, rue du Flôt et \n\nrue d'Arras\n20 093,50 40,00% 8 037,41")
    assert ("annexe_somme", "2021-239", 13531) in codes(text)
