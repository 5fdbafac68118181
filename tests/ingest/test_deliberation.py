"""Deliberations: inline snippets for each variant, then exact values over the real corpus."""

from __future__ import annotations

import pytest

from recueil.ingest.deliberation import read_deliberation
from recueil.ingest.kinds import KINDS
from recueil.ingest.segment import Block

SNIPPET_2021 = """ Envoi au contrôle de légalité le : 5 juillet 2021
Affichage le : 5 juillet 2021

DEPARTEMENT DU PAS-DE-CALAIS

DELIBERATION DE LA COMMISSION PERMANENTE
DU CONSEIL DEPARTEMENTAL

REUNION DU 7 JUIN 2021

PRESIDENCE DE MONSIEUR JEAN-CLAUDE DUPONT

Secrétaire : Mme Anne MARTIN

Étaient  présents  : M.  Jean-Claude  DUPONT,  Mme  Anne
MARTIN, Mme Léa DURAND-
LEFORT, M. Paul PETIT.

Excusé(s) :  M. Marc BLANC.

Absent(s) : Mme Zoé NOIR.

Assistant également sans voix délibérative : M. Luc GRIS

AIDE AUX CLUBS SPORTIFS - PREMIÈRE
PROGRAMMATION

(N°2021-100)

La Commission Permanente du Conseil départemental ;

Vu  le  Code  Général  des  Collectivités  Territoriales ;
Vu la délibération n°2017-520 du Conseil départemental en date du 14/11/2017 « Délégation
d’attributions à la Commission Permanente » ;
Vu l’avis de la 3ème commission « Education, Culture, Sport et Citoyenneté » rendu lors
de sa réunion en date du 11/05/2021 ;

Madame Zoé NOIR intéressée à l’affaire, n’a pris part ni au débat, ni au vote.

Après en avoir délibéré,

DECIDE :

Article 1 :

D’attribuer une participation de 2 750 € aux clubs.

 Article 2     :

D'autoriser le Président à signer.

Dans les conditions de vote ci-dessous :

Pour  :  4 voix  (Groupe  Alpha ;  Groupe
Beta)
Contre : 0 voix
Abstention : 0 voix
Absent sans délégation de vote : 1 (Non-
inscrit)

(Adopté)

LE PRESIDENT DU CONSEIL DEPARTEMENTAL,

ARRAS, le 7 juin 2021

Signé

Marie LEGRAND
""".split("\n")


def _kind(name: str):
    return next(kind for kind in KINDS if kind.name == name)


def _deliberation(lines: list[str], block: Block):
    """The act of a block and the warnings, as the extractor gives them."""
    found = read_deliberation(lines, block)
    return (found.records[0] if found.records else None), found.warnings


def _read(lines: list[str]):
    blocks = _kind("recueil").segment(lines).of_kind("deliberation")
    assert len(blocks) == 1
    return _deliberation(lines, Block("deliberation", blocks[0].first, blocks[0].last, blocks[0].number,
                                      document="snippet.txt"))


def test_snippet_header_attendance_and_title():
    act, warnings = _read(SNIPPET_2021)
    assert warnings == []
    assert act.number == "2021-100"
    assert act.title == "AIDE AUX CLUBS SPORTIFS - PREMIÈRE PROGRAMMATION"
    assert act.body == "commission_permanente"
    assert (act.sitting_date, act.sent_to_prefecture, act.posted) == ("2021-06-07", "2021-07-05", "2021-07-05")
    assert act.president == "Jean-Claude DUPONT" and act.secretary == "Anne MARTIN"
    assert act.attendance.present == ["Jean-Claude DUPONT", "Anne MARTIN", "Léa DURAND-LEFORT", "Paul PETIT"]
    assert act.attendance.excused == ["Marc BLANC"] and act.attendance.absent == ["Zoé NOIR"]
    assert act.attendance.non_voting_present == ["Luc GRIS"]
    assert act.signed_at == "2021-06-07"


def test_snippet_visas_commission_conflict_articles_vote():
    act, _ = _read(SNIPPET_2021)
    assert len(act.visas) == 3
    cited = act.visas[1].deliberations
    assert [(c.number, c.date, c.body) for c in cited] == [("2017-520", "2017-11-14", "conseil_departemental")]
    assert (act.commission.number, act.commission.name, act.commission.date) == (
        3, "Education, Culture, Sport et Citoyenneté", "2021-05-11")
    assert [c.name for c in act.conflicts] == ["Zoé NOIR"]
    assert act.decision == "DECIDE"
    assert [a.number for a in act.articles] == ["1", "2"]
    assert act.articles[0].text == "D’attribuer une participation de 2 750 € aux clubs."
    assert (act.vote.pour, act.vote.absent_sans_delegation) == (4, 1)
    assert act.vote.groups["absent_sans_delegation"] == ["Non-inscrit"]


def test_snippet_cut_before_the_vote_is_not_stored():
    cut = SNIPPET_2021[: SNIPPET_2021.index("Dans les conditions de vote ci-dessous :")]
    act, warnings = _deliberation(cut, Block("deliberation", 1, len(cut), "2021-100", document="cut.txt"))
    assert act is None
    assert warnings[0].code == "acte_incomplet" and "2021-100" in warnings[0].message


def _acts(text, kind):
    acts = {}
    for block in _kind(kind).segment(text.lines).of_kind("deliberation"):
        block.document = text.name
        act, warnings = _deliberation(text.lines, block)
        assert warnings == []
        acts[act.number] = act
    return acts


@pytest.fixture(scope="module")
def acts_2021(raa_2021):
    return _acts(raa_2021, "recueil")


@pytest.fixture(scope="module")
def acts_2025(seance_2025):
    return _acts(seance_2025, "sitting_record")


def test_2021_all_21_acts_with_43_voting_members(acts_2021):
    assert sorted(acts_2021) == [f"2021-{n}" for n in range(232, 253)]
    for act in acts_2021.values():
        att, vote = act.attendance, act.vote
        assert len(att.present) + len(att.excused) + len(att.absent) == 43, act.number
        assert vote.pour + vote.contre + vote.abstention + vote.absent_sans_delegation == 43, act.number
        assert act.body == "commission_permanente" and act.sitting_date == "2021-06-07"
        assert len(att.non_voting_present) == 3 and len(att.non_voting_excused) == 3


@pytest.mark.parametrize(
    "number, title, sent, decision, present, excused, absent, vote",
    [
        ("2021-232", "BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS", "2021-07-05", "DECIDE", 35, 8, 0, (42, 0, 0, 1)),
        ("2021-233", '"PAS-DE-CALAIS ACTIF" - PARTENARIAT 2021', "2021-07-05", "DECIDE", 35, 7, 1, (40, 0, 1, 2)),
        ("2021-240", "RD 939 - A26 PROJET D'AMÉNAGEMENT D'UN GIRATOIRE À MARQUION", "2021-06-29", "DECIDE",
         32, 10, 1, (41, 0, 0, 2)),
        ("2021-244", "ETUDE OPERATIONNELLE POUR LA MISE EN PLACE D'UNE DOTATION MEDICO-PHARMACEUTIQUE A BORD "
         "DES NAVIRES DE PECHE", "2021-07-05", "INFORME", 32, 11, 0, (42, 0, 0, 1)),
        ("2021-246", "LECTURE PUBLIQUE - BIBLIOTHÈQUE NUMÉRIQUE DÉPARTEMENTALE : 2020-2022 - LABELLISATION "
         "BIBLIOTHÈQUE NUMÉRIQUE DE RÉFÉRENCE - BILAN 2020 ET PROJET 2021", "2021-07-05", "DECIDE",
         30, 11, 2, (40, 0, 0, 3)),
        ("2021-248", "AIDE À L'INVESTISSEMENT AUX ÉTABLISSEMENTS DE PROTECTION DE L'ENFANCE - EPDEF",
         "2021-06-24", "DECIDE", 31, 11, 1, (41, 0, 0, 2)),
    ],
)
def test_2021_exact_values(acts_2021, number, title, sent, decision, present, excused, absent, vote):
    act = acts_2021[number]
    assert act.title == title
    assert (act.sent_to_prefecture, act.posted, act.decision) == (sent, sent, decision)
    assert (len(act.attendance.present), len(act.attendance.excused), len(act.attendance.absent)) == (
        present, excused, absent)
    assert (act.vote.pour, act.vote.contre, act.vote.abstention, act.vote.absent_sans_delegation) == vote
    assert act.vote.result == "adopte"


def test_2021_visas_link_earlier_deliberations(acts_2021):
    cited = [(c.number, c.date) for v in acts_2021["2021-232"].visas for c in v.deliberations]
    assert cited == [("2018-603", "2018-12-17"), ("2017-520", "2017-11-14"), ("23", "2016-06-20")]
    cited_238 = [(c.number, c.date, c.body) for v in acts_2021["2021-238"].visas for c in v.deliberations]
    assert ("2020-91", "2020-03-02", "commission_permanente") in cited_238
    assert ("2018-532", "2018-02-03", "commission_permanente") in cited_238


def test_2021_vote_groups_and_conflicts(acts_2021):
    vote = acts_2021["2021-237"].vote
    assert vote.groups["abstention"] == ["Groupe Socialiste, Républicain et Citoyen"]
    assert vote.groups["absent_sans_delegation"] == ["Groupe Union Action 62", "Non-inscrit"]
    assert len(acts_2021["2021-232"].vote.groups["pour"]) == 6
    assert [c.name for c in acts_2021["2021-233"].conflicts] == ["Caroline MATRAT", "Jean-Claude ETIENNE"]
    assert [c.name for c in acts_2021["2021-236"].conflicts] == ["Nathalie DELBART"]
    assert [c.name for c in acts_2021["2021-237"].conflicts] == ["Florence WOZNY"]


def test_2021_articles(acts_2021):
    assert [a.number for a in acts_2021["2021-244"].articles] == ["unique"]
    assert acts_2021["2021-244"].articles[0].text.startswith("Du cadre d’intervention en faveur de la sécurité")
    first = acts_2021["2021-239"].articles[0].text
    assert "d’un montant total de 2 289 545,23 € correspondant à 176 projets" in first


def test_2025_all_12_acts(acts_2025):
    assert sorted(acts_2025) == [f"2025-{n}" for n in range(360, 372)]
    for act in acts_2025.values():
        att, vote = act.attendance, act.vote
        assert len(att.present) + len(att.excused) + len(att.absent) == 78, act.number
        assert vote.pour + vote.contre + vote.abstention + vote.absent_sans_delegation == 78, act.number
        assert act.ack.startswith("062-226200012-20250922-")
        assert act.body == "conseil_departemental" and act.sitting_date == "2025-09-22"
    decisions = [acts_2025[f"2025-{n}"].decision for n in range(360, 372)]
    assert decisions == ["DECIDE"] * 7 + ["DONNE ACTE"] * 5


def test_2025_budget_vote_in_detail(acts_2025):
    act = acts_2025["2025-361"]
    vote = act.vote
    assert (vote.en_exercice, vote.presents, vote.delegations) == (78, 71, 7)
    assert (vote.pour, vote.contre, vote.abstention, vote.absent_sans_delegation) == (54, 0, 24, 0)
    assert vote.members["pour"]["Groupe Union pour le Pas-de-Calais"] == [
        "Bruno COUSEIN", "Maryse JUMEZ", "Frédéric MELCHIOR", "Nicole CHEVALIER"]
    assert (act.ack, act.sent_to_prefecture, act.received_by_prefecture, act.published) == (
        "062-226200012-20250922-lmc1526535-DE-1-1", "2025-10-08", "2025-10-08", "2025-10-08")
    assert (act.commission.number, act.commission.date) == (6, "2025-09-02")
    assert len(act.articles) == 6


def test_2025_conflicts_of_interest(acts_2025):
    act = acts_2025["2025-360"]
    assert [c.name for c in act.conflicts] == ["Karine GAUTHIER", "Blandine DRAIN"]
    assert act.attendance.absent == ["Blandine DRAIN", "Karine GAUTHIER"]
    assert (len(act.attendance.present), len(act.attendance.excused)) == (68, 8)


def test_2025_title_with_cited_deliberation(acts_2025):
    act = acts_2025["2025-366"]
    assert act.title.startswith("RAPPORT MODIFICATIF DU POINT III-D-1 DE LA DÉLIBÉRATION N°2023-521 DU 04/12/2023")
    assert act.title.endswith("DE LA DIRECTION DE L'ENFANCE ET DE LA FAMILLE")
    assert act.published == "2025-10-13"
