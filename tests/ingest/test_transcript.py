"""The procès-verbal of a séance: roll call, proxies, times, speaking turns and their agenda items."""

from collections import Counter

import pytest

from recueil.ingest.agenda import read_agenda
from recueil.ingest.segment import Block
from recueil.ingest.transcript import read_transcript
from recueil.model import AgendaItem, Proxy
from recueil.text.names import name_key

AGENDA = [AgendaItem(1, "Partenariat éducatif avec les collèges", 9),
          AgendaItem(2, "Propositions de modifications d'emplois", 11)]

SITTING = """PROCÈS-VERBAL DE SÉANCE

(La séance débute à 9 heures sous la présidence de Mme Anne DURAND, Présidente du Conseil départemental, M. Paul MARTIN assure la fonction de Secrétaire de séance.)

MME LA PRÉSIDENTE.- Monsieur MARTIN, l'appel.

M. MARTIN.- Merci, Madame la Présidente.

(M. Paul MARTIN procède à l'appel)

Étaient présents : Mme Anne DURAND, M. Paul MARTIN, Mme Lise HINGREZ-CÉRÉDA, M. Jean-Luc DE LA TOUR.

Excusé(s) : M. Guy PETIT, Mme Ève LEROUX.

Absent(s) : néant.

M. Guy PETIT, absent, délégation de vote donnée à M. Paul MARTIN.

Mme Ève LEROUX absente, délégation de vote donnée à Mme Lise HINGREZ CEREDA.

Mme LA PRÉSIDENTE.- Merci. Nous passons au rapport n°1.
Madame HINGREZ-CÉRÉDA, vous avez la parole.

PARTENARIAT ÉDUCATIF
AVEC LES COLLÈGES
(Rapport n°1 du rapport du Président)

Mme HINGREZ-CEREDA.- Merci.

Projection de photos.

Les collèges *(rires)* sont au cœur de nos accompagne-
ments.

**M. DE LA TOUR.-** Une question.

MME LA PRÉSIDENTE.- Pas d'opposition ?

Pour : 4 voix (Groupe Unique)
 Contre : 0 voix

(Adopté)

Je donne la parole à M. Hugo GILARDI, Directeur de l'Agence.

Applaudissements

M. GILARDI. - Bonjour.

M. WINCKLER.- Merci !

MME LA PRÉSIDENTE.- Point suivant.

PROPOSITIONS DE MODIFICATIONS D'EMPLOIS

M. MARTIN.- Le rapport.

MME LA PRÉSIDENTE.- Approuvé.

(Adopté)

La séance est levée à 12 h 05.

LE SECRÉTAIRE,

Paul MARTIN
"""



def _transcript(lines, first, last, sitting, agenda):
    return read_transcript(lines, Block("transcript", first, last, sitting=sitting, agenda=agenda)).records[0]

@pytest.fixture(scope="module")
def sample():
    lines = SITTING.split("\n")
    return _transcript(lines, 1, len(lines), "cd-2025-01-01", AGENDA)


def test_opening_closing_president_and_secretary(sample):
    assert (sample.opened_at, sample.closed_at) == ("09:00", "12:05")
    assert (sample.president, sample.secretary) == ("Anne DURAND", "Paul MARTIN")


def test_roll_call_and_proxies_with_or_without_comma(sample):
    assert sample.present == ["Anne DURAND", "Paul MARTIN", "Lise HINGREZ-CÉRÉDA", "Jean-Luc DE LA TOUR"]
    assert sample.excused == ["Guy PETIT", "Ève LEROUX"]
    assert sample.absent == []
    assert sample.proxies == [Proxy("Guy PETIT", "Paul MARTIN"), Proxy("Ève LEROUX", "Lise HINGREZ CEREDA")]


def test_marker_variants(sample):
    assert [i.speaker for i in sample.interventions] == [
        "MME LA PRÉSIDENTE", "M. MARTIN", "Mme LA PRÉSIDENTE", "Mme HINGREZ-CEREDA", "M. DE LA TOUR",
        "MME LA PRÉSIDENTE", "M. GILARDI", "M. WINCKLER", "MME LA PRÉSIDENTE", "M. MARTIN",
        "MME LA PRÉSIDENTE"]
    assert [i.seq for i in sample.interventions] == list(range(1, 12))


def test_speaker_names(sample):
    names = {i.speaker: i.speaker_name for i in sample.interventions}
    assert names["MME LA PRÉSIDENTE"] == "Anne DURAND"
    assert names["Mme HINGREZ-CEREDA"] == "Lise HINGREZ-CÉRÉDA"  # accents and hyphen folded
    assert names["M. DE LA TOUR"] == "Jean-Luc DE LA TOUR"
    assert names["M. GILARDI"] == "Hugo GILARDI"  # a guest named in the debate
    assert names["M. WINCKLER"] is None
    assert [(w.code, w.line) for w in sample.warnings] == [("pv_intervenant", 50)]


def test_turn_text_leaves_out_directions_votes_headings_and_signatures(sample):
    turns = sample.interventions
    assert turns[2].text == "Merci. Nous passons au rapport n°1. Madame HINGREZ-CÉRÉDA, vous avez la parole."
    assert (turns[2].first_line, turns[2].last_line) == (21, 22)
    assert turns[3].text == "Merci.\nLes collèges (rires) sont au cœur de nos accompagnements."
    assert turns[4].text == "Une question."
    assert turns[5].text == "Pas d'opposition ?\nJe donne la parole à M. Hugo GILARDI, Directeur de l'Agence."
    assert turns[-1].text == "Approuvé."
    assert turns[-1].last_line == turns[-1].first_line


def test_agenda_items_from_headings_and_results(sample):
    items = [i.agenda_item for i in sample.interventions]
    # A turn that starts with no item open takes the item it announces ("Point suivant."); the
    # guests speak between two items; a heading without number is matched by its words.
    assert items == [None, None, 1, 1, 1, 1, None, None, 2, 2, 2]


def test_unknown_rapport_is_reported():
    lines = ["M. LE PRÉSIDENT.- Le rapport n°7.", "", "(Rapport n°7 du rapport du Président)"]
    pv = _transcript(lines, 1, 3, "s", AGENDA)
    assert pv.interventions[0].agenda_item is None
    assert "pv_rapport" in {w.code for w in pv.warnings}


def test_missing_parts_are_reported():
    pv = _transcript(["Rien à lire."], 1, 1, "s", [])
    assert {w.code for w in pv.warnings} == {
        "pv_ouverture", "pv_cloture", "pv_president", "pv_appel", "pv_interventions",
        "pv_hors_intervention"}


# The real séance of 22 September 2025.


def _part(lines, heading):
    return next(n for n, line in enumerate(lines, 1) if line.strip() == heading)


@pytest.fixture(scope="module")
def pv(seance_2025):
    lines = seance_2025.lines
    first, last = _part(lines, "PREMIÈRE PARTIE"), _part(lines, "DEUXIEME PARTIE") - 1
    assert (first, last) == (41, 1883)
    return _transcript(lines, first, last, "cd-2025-09-22", read_agenda(lines, Block("agenda", 1, first - 1)).records)


def test_real_counts(pv):
    assert len(pv.interventions) == 90
    assert len({name_key(i.speaker) for i in pv.interventions}) == 26
    assert [i.seq for i in pv.interventions] == list(range(1, 91))
    assert (len(pv.present), len(pv.excused), pv.absent) == (68, 7, [])


def test_real_sitting(pv):
    assert (pv.president, pv.secretary) == ("Jean-Claude LEROY", "Alexandre MALFAIT")
    assert (pv.opened_at, pv.closed_at) == ("10:03", "15:26")
    assert pv.present[0] == "Jean-Claude LEROY" and pv.present[-1] == "François VIAL"
    assert pv.excused == ["Blandine DRAIN", "Sébastien CHOCHOIS", "Maïté MULOT-FRISCOURT",
                          "François LEMAIRE", "Guy HEDDEBAUX", "Bertrand PETIT", "Cécile YOSBERGUE"]


def test_real_proxies(pv):
    assert pv.proxies == [
        Proxy("François LEMAIRE", "André KUCHCINSKI"),
        Proxy("Guy HEDDEBAUX", "Stéphanie RIGAUX"),
        Proxy("Maïté MULOT-FRISCOURT", "Aline GUILLUY"),
        Proxy("Cécile YOSBERGUE", "Daniel MACIEJASZ"),
        Proxy("Blandine DRAIN", "Jean-Claude LEROY"),
        Proxy("Sébastien CHOCHOIS", "Mireille HINGREZ CEREDA"),
        Proxy("Bertrand PETIT", "Sophie WAROT-LEMAIRE"),
    ]


def test_real_first_turns(pv):
    assert [(i.speaker, i.first_line) for i in pv.interventions[:3]] == [
        ("M. LE PRÉSIDENT", 51), ("M. MALFAIT", 53), ("M. LE PRÉSIDENT", 55)]
    assert pv.interventions[1].text == "Oui."
    last = pv.interventions[-1]
    assert (last.speaker, last.first_line, last.last_line) == ("M. LE PRESIDENT", 1835, 1868)


def test_real_turns_per_agenda_item(pv):
    # Counted by hand: item 1 opens with the President's turn announcing it (l. 277), item 2 holds
    # the groups' debate on the budget, the ARS director's visit (l. 1098-1412) and the opening
    # formalities, tribute and school report belong to no item.
    assert Counter(i.agenda_item for i in pv.interventions) == {
        None: 26, 1: 3, 2: 20, 3: 2, 4: 2, 5: 1, 6: 2, 7: 2, 8: 2, 9: 2, 10: 8, 11: 8, 12: 12}
    by_line = {i.first_line: i.agenda_item for i in pv.interventions}
    assert (by_line[235], by_line[277], by_line[638], by_line[799], by_line[1104], by_line[1424]) == (
        None, 1, 2, 5, None, 11)


def test_real_speaker_names(pv):
    names = {i.speaker: i.speaker_name for i in pv.interventions}
    assert names["M. MACIEJASZ"] == "Daniel MACIEJASZ"
    assert names["M. LE PRESIDENT"] == names["M. LE PRÉSIDENT"] == "Jean-Claude LEROY"
    assert names["MME HINGREZ-CEREDA"] == "Mireille HINGREZ-CÉRÉDA"
    assert names["Mme CAUWET"] == names["MME CAUWET"] == "Maryse CAUWET"
    assert names["M. TELLIER"] == "Jean-Marc TELLIER"
    assert names["M. GILARDI"] == "Hugo GILARDI"
    assert names["M. QUESTE"] == "Philippe QUESTE"
    assert names["M. WINCKLER"] is None
    assert [(w.code, w.line) for w in pv.warnings] == [("pv_intervenant", 211)]


def test_real_texts_hold_only_speech(pv):
    texts = "\n".join(i.text for i in pv.interventions).split("\n")
    for outside in ("(Adopté)", "Applaudissements", "Diffusion d'une vidéo", "Étaient présents"):
        assert not any(paragraph.startswith(outside) for paragraph in texts)
    assert not any(paragraph.startswith("Pour : 7") for paragraph in texts)
    assert not any("séance est levée" in paragraph for paragraph in texts)
    assert not any("(Rapport n°" in paragraph for paragraph in texts)
    firsts = [i.first_line for i in pv.interventions]
    assert firsts == sorted(firsts)
    assert all(i.first_line <= i.last_line for i in pv.interventions)
