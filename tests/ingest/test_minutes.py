"""The minutes of other collectivités (../shared/corpus-other), read against their hand-made gold
(../shared/gold/other): every deliberation by number, its title, result and printed counts, the
sitting's date and attendance. The few facts where the reading differs from the gold are listed
below with the reason, so that any other difference fails."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

import pytest

from recueil.ingest.kinds import minutes
from recueil.ingest.pdf import read_pdf
from recueil.ingest.pipeline import parse
from recueil.model import Publication
from recueil.text.clean import fold

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DOCUMENTS = ("cclo-cc-2025-09-25", "couthenans-cm-2023-02-24", "montpellier-cm-pv-2014-04-24",
             "pierrefonds-cm-2024-12-10")
RESULTS = {"adopte": "adopte", "retirée": "retire"}
# (document, number, fact): what is read instead of the gold, and why.
DIFFERENCES = {
    # A secret ballot elects; it adopts nothing: no result is read (the gold writes "élection").
    ("montpellier-cm-pv-2014-04-24", "2", "result"): None,
    # The heading wraps onto a second line that continues its phrase; the gold keeps the first line.
    ("montpellier-cm-pv-2014-04-24", "21", "title"):
        "Création de la commission de délégation de service public - Conditions de dépôt des listes pour "
        "l'élection de ses membres",
    ("montpellier-cm-pv-2014-04-24", "24", "title"):
        "Comité des Œuvres Sociales et Culturelles du Personnel municipal et du Centre Communal d’Action "
        "Sociale (COSC)",
    ("montpellier-cm-pv-2014-04-24", "35", "title"):
        "Association FESTIVAL RADIO FRANCE et Montpellier Languedoc-Roussillon",
    ("montpellier-cm-pv-2014-04-24", "39", "title"):
        "CREPS - Comité régional d'éducation populaire et de sport de Montpellier - Langedoc-Roussillon",
    ("montpellier-cm-pv-2014-04-24", "40", "title"):
        "Groupement d’Intérêt Public pour le développement social et urbain de l'agglomération de Montpellier",
    # The page prints "Abstentions : 3" under item 40; the gold says 0.
    ("montpellier-cm-pv-2014-04-24", "40", "abstention"): 3,
    # The secretary is named only in the chair's speech ("je vous propose la candidature de…").
    ("montpellier-cm-pv-2014-04-24", "", "secretary"): None,
}


@cache
def _read(name: str) -> Publication:
    pdf = SHARED / "corpus-other" / f"{name}.pdf"
    if not pdf.exists():
        pytest.skip(f"corpus absent: {pdf}")
    return parse(read_pdf(pdf))


def _gold(name: str) -> dict:
    return json.loads((SHARED / "gold" / "other" / f"{name}.gold.json").read_text())


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.85


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_deliberation_of_the_gold_is_read(name: str) -> None:
    publication, gold = _read(name), _gold(name)
    assert publication.document.kind == "minutes"
    assert [" ".join(a.number.split()).replace("DEL 2025", "DEL2025") for a in publication.deliberations] == [
        d["number"] for d in gold["deliberations"]]
    for act, expected in zip(publication.deliberations, gold["deliberations"], strict=True):
        def want(fact: str, value: object, number: str = expected["number"]) -> object:
            return DIFFERENCES.get((name, number, fact), value)

        title = want("title", None)
        assert act.title == title if title else _similar(act.title, expected["title"]), act.title
        if "result" in expected:
            assert act.result == want("result", RESULTS.get(expected["result"], expected["result"]))
        for choice, count in (expected.get("vote") or {}).items():
            assert getattr(act.vote, choice) == want(choice, count), (expected["number"], choice)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_sitting_and_its_attendance_are_read(name: str) -> None:
    publication, gold = _read(name), _gold(name)
    [sitting] = publication.sittings
    attendance = gold["attendance"]
    assert sitting.date == gold["sitting_date"]
    assert sitting.body == gold["body"]
    assert len(sitting.present) == attendance["present"]
    assert len(sitting.proxies) == attendance["proxies"]
    for giver, holder in attendance.get("proxies_detail", []):
        assert any(p.giver == giver and p.holder == holder for p in sitting.proxies), (giver, holder)
    for field in ("opened_at", "closed_at", "secretary"):
        if field in gold:
            assert getattr(sitting, field) == DIFFERENCES.get((name, "", field), gold[field])


def test_a_number_printed_twice_is_kept_twice_with_a_warning() -> None:
    publication = _read("pierrefonds-cm-2024-12-10")
    numbers = [a.number for a in publication.deliberations]
    assert sorted({n for n in numbers if numbers.count(n) > 1}) == ["D2024-52", "D2024-53", "D2024-55"]
    assert sorted(w.record for w in publication.warnings if w.code == "numero_en_double") == [
        "D2024-52", "D2024-53", "D2024-55"]


def test_items_without_vote_are_reported_not_stored() -> None:
    publication = _read("pierrefonds-cm-2024-12-10")
    assert sorted(w.record for w in publication.warnings if w.code == "point_sans_vote") == [
        "DM 2024-10", "DM 2024-11", "DM 2024-12", "DM 2024-13"]


def test_verbatim_minutes_give_speaking_turns_and_narrative_minutes_none() -> None:
    montpellier = _read("montpellier-cm-pv-2014-04-24")
    first = montpellier.interventions[0]
    assert (first.speaker, first.speaker_name, first.agenda_item) == ("Monsieur le Maire", "Philippe Saurel", None)
    assert first.text.startswith("Je déclare ouverte la séance du Conseil municipal de Montpellier")
    levita = montpellier.interventions[1]
    assert (levita.speaker, levita.text.split(".")[0]) == (
        "Max LEVITA", "Mes chers collègues, Monsieur le Maire, c'est l'avantage d'être doyen d'âge")
    assert {t.agenda_item for t in montpellier.interventions} >= {1, 2, 45}
    for name in ("pierrefonds-cm-2024-12-10", "cclo-cc-2025-09-25", "couthenans-cm-2023-02-24"):
        assert _read(name).interventions == []


def test_members_who_come_and_go_are_recorded_with_the_item_under_way() -> None:
    [sitting] = _read("montpellier-cm-pv-2014-04-24").sittings
    assert [(m.name, m.kind, m.item) for m in sitting.movements] == [
        ("DASYLVA", "arrivee", None), ("DOMERGUE", "depart", 22), ("EL KANDOUSSI", "depart", 24)]


EXTRACT = """COMMUNE DE SAINT-EXEMPLE
EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL
Séance du 12 mars 2024

Nombre de membres en exercice : 15
Présents : M. Jean DUPONT, Mme Anne MARTIN, M. Luc PETIT, Mme Eve ROUX, M. Paul BLANC, Mme Léa NOIR,
M. Marc VERT, Mme Zoé GRIS, M. Hugo BRUN, Mme Inès ROSE, M. Tom GRAND
Absents excusés : Mme Julie PETITE, M. Yann HAUT
Pouvoirs : Mme Julie PETITE à M. Jean DUPONT ; M. Yann HAUT à Mme Anne MARTIN
Secrétaire de séance : Mme Anne MARTIN

Délibération n° 2024-015
Objet : Vente d'un terrain communal
rue des Écoles

Le conseil municipal, après en avoir délibéré,
Votants : 13
Pour : 11
Contre : 1
Abstentions : 1

Point 2 : Tarifs de la cantine
Le conseil municipal prend acte du rapport.
"""


def test_an_extract_of_the_register_with_its_number_alone_on_its_line() -> None:
    from recueil.ingest.read import read_bytes

    publication = parse(read_bytes("extrait-2024-015.txt", EXTRACT.encode()))
    assert publication.document.kind == "minutes"
    assert publication.document.collectivite == "Commune de SAINT-EXEMPLE"
    [act] = publication.deliberations
    assert (act.number, act.title, act.body, act.sitting_date, act.result) == (
        "2024-015", "Vente d'un terrain communal rue des Écoles", "conseil_municipal", "2024-03-12", "adopte")
    assert act.vote is not None
    assert (act.vote.pour, act.vote.contre, act.vote.abstention) == (11, 1, 1)
    [sitting] = publication.sittings
    assert (len(sitting.present), sitting.excused, sitting.secretary) == (11, ["Julie PETITE", "Yann HAUT"], "Anne MARTIN")
    assert [(p.giver, p.holder) for p in sitting.proxies] == [("Julie PETITE", "Jean DUPONT"), ("Yann HAUT", "Anne MARTIN")]
    assert [w.code for w in publication.warnings if w.code.startswith("vote")] == []


REGISTER = """Communauté de communes du Val d'Exemple
Registre des délibérations du Conseil communautaire — année 2024

N°          Date          Objet                                                    Suite donnée
2024-001    18/01/2024    Débat d'orientation budgétaire 2024                      Pris acte
2024-002    18/01/2024    Attribution du marché de collecte des déchets            Adopté
2024-003    14/03/2024    Budget primitif 2024                                     Adopté à l'unanimité
2024-004    14/03/2024    Création d'un poste d'animateur                          Retiré
"""


def test_a_register_gives_one_act_a_row_each_dated() -> None:
    from recueil.ingest.read import read_bytes

    publication = parse(read_bytes("registre-2024.txt", REGISTER.encode()))
    assert publication.document.kind == "minutes"
    assert [(a.number, a.sitting_date, a.title, a.result) for a in publication.deliberations] == [
        ("2024-001", "2024-01-18", "Débat d'orientation budgétaire 2024", "prend_acte"),
        ("2024-002", "2024-01-18", "Attribution du marché de collecte des déchets", "adopte"),
        ("2024-003", "2024-03-14", "Budget primitif 2024", "adopte"),
        ("2024-004", "2024-03-14", "Création d'un poste d'animateur", "retire"),
    ]
    assert {a.body for a in publication.deliberations} == {"conseil_communautaire"}
    assert [s.id for s in publication.sittings] == ["cc-2024-01-18", "cc-2024-03-14"]
    vote = publication.deliberations[2].vote
    assert vote is not None and vote.unanimous


def test_a_title_runs_on_to_the_acronym_that_closes_the_name() -> None:
    lines = ["12- Syndicat mixte des transports en commun de l'agglomération", "Grand Sud Hérault (SMTC)",
             "Désignation des représentants de la Ville", "", "Monsieur le Maire :"]
    assert minutes._title(lines, 1, "Syndicat mixte des transports en commun de l'agglomération") == (
        "Syndicat mixte des transports en commun de l'agglomération Grand Sud Hérault (SMTC)")
    lines[1] = "Grand Sud Hérault"  # no acronym: a capitalised line after a complete phrase is a subtitle
    assert minutes._title(lines, 1, "Syndicat mixte des transports en commun de l'agglomération") == (
        "Syndicat mixte des transports en commun de l'agglomération")
