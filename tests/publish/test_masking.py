"""Masking private persons: the two annexes of the RAA of June 2021 that name them, exactly, and
the whole corpus, where no councillor may be masked.

The expected lists below were written by reading the documents (lines of
../shared/corpus/000_45492b4b56f19b50.txt). `MASKED_*` is what the masking does; `PRIVATE_*` is
what a careful reader masks; the difference is the measured precision and recall.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from recueil.ingest.pipeline import parse
from recueil.publish.masking import MAIL_MARKER, MARKER, mask, officials, public_names
from recueil.store.database import Store
from recueil.text.clean import fold
from recueil.text.names import surname

# Annex of 2021-232 (Bourse Initiatives Jeunes): the two "fiche synthèse" of the applicants,
# lines 969-1482 (up to the next deliberation). PDF extraction glued or split the table cells.
BIJ = (969, 1482)
MASKED_BIJ = [
    (1212, "RaphaëlCLARET"), (1214, "LANNOY Benjamin"), (1244, "BEN Marie"), (1250, "RIBERY Hugo"),
    (1252, "BEN Clarisse"), (1451, "Estelle"), (1463, "ClémenceDE CARVALHO"), (1465, "PERSON Maud"),
    (1482, "GALLEGO-RYCKAERT Axelle"),
]
# "BROUSSE" (line 1459), the surname of Estelle, stands alone on its line: no civility, no given
# name next to it, nothing says it is a person. It is the one name the rules miss.
PRIVATE_BIJ = sorted([*MASKED_BIJ, (1459, "BROUSSE")])

# Annex of 2021-238 (Tilloy-lès-Mofflaines consultation), lines 9165-13169: the Département's
# answers, the minutes of two public meetings, the e-mails and the online forms of residents.
# Kept as public: the councillors, the mayors and officials on the platform, the facilitator,
# and the contributors who signed with an elected mandate (the mayors of Boiry-Sainte-Rictrude
# and Boisleux-Saint-Marc, a deputy mayor of Tilloy, the four councillors of "Beaurains Demain").
CONSULTATION = (9165, 13169)
MASKED_CONSULTATION = [
    (10455, 'DUMONT Jean-Pierre'), (10471, 'TETU Eric'), (10478, 'BUFFARD Manuel'), (10488, 'DAUPHIN Luc'),
    (10497, 'Poillon Marc'), (10508, 'CAPON Benoit'), (10515, 'MARTIN Jean-Paul'),
    (10527, 'MASQUELIER Fabien'), (10534, 'DELCOURT Jérôme'), (10566, 'LAMERAND Sophie'),
    (10573, 'DELCOURT Jérôme'), (10582, 'LARRETGERE Laurent'), (10592, 'KRAJEWSKI Dominique'),
    (10597, 'MANIERE Anne Marie'), (10609, 'COILLIOT Hugo'), (10620, 'MOREL Didier'),
    (10629, 'LHULLIER Fabrice'), (10644, 'HUMEZ Sébastien'), (10663, 'GUIMART Jacqueline'),
    (10681, 'GALLET Sylvain'), (10704, 'Pannequin Catherine'), (10709, 'DEMARQUER Hervé'),
    (10714, 'CAMIER Yves'), (10722, 'Debarbieux Hervé'), (10731, 'Becu'), (10762, 'DELGORGUE'),
    (10769, 'SINGER'), (10786, 'GUFFROY'), (10794, 'DRELON'), (10802, 'CEURSTEMONT'), (10822, 'PERU'),
    (12017, 'Guy Mollet'), (12069, 'Thierry SPAS'), (12182, 'Yves Camier'), (12210, 'Vandoren Cedric'),
    (12212, 'Daniel Salmon'), (12264, 'Fabrice Lhullier'), (12299, 'Fabrice Lhullier'),
    (12327, 'Didier Morel'), (12367, 'Anne-Marie MANIÈRE'), (12379, 'KARASIAK Patrick'),
    (12387, 'Patrick KARASIAK'), (12431, 'Jérome Delcourt'), (12466, 'Marc POILLON'), (12478, 'BECU'),
    (12479, 'Romain'), (12488, 'BECU Romain'), (12508, 'Romain BECU'), (12517, 'DELGORGUE'), (12518, 'Amélie'),
    (12525, 'ameliedu62@hotmail.com'),  # her personal mailbox, in the same form
    (12533, 'SINGER'), (12534, 'Olivier'), (12546, 'Olivier \nSinger'), (12556, 'GUFFROY'), (12557, 'Nicolas'),
    (12577, 'DRELON'), (12578, 'Jean-Rémi'), (12604, 'Ceurstemont'), (12605, 'Nicolas'), (12648, 'Dominique'),
    (12649, 'PERU'), (12671, 'Dominique Peru'), (12680, 'debarbieux'), (12681, 'herve'), (12705, 'DEMARQUET'),
    (12706, 'HERVE'), (12728, 'Pannequin'), (12729, 'Catherine'), (12786, 'GALLET'), (12787, 'Sylvain'),
    (12788, 'Sylvain GALLET'), (12833, 'Vandoren Cedric'), (12835, 'Daniel Salmon'), (12850, 'GUIMART'),
    (12851, 'Jacqueline'), (12892, 'HUMEZ'), (12893, 'Sébastien'), (12914, 'COILLIOT'), (12915, 'Hugo'),
    (12937, 'Krajewski'), (12938, 'Dominique'), (12958, 'Larretgère'), (12959, 'Laurent'), (12984, 'lamerand'),
    (12985, 'sophie'), (13007, 'Masquelier'), (13008, 'Fabien'), (13033, 'CAPON'), (13034, 'BENOIT'),
    (13056, 'martin'), (13057, 'jean paul'), (13080, 'Dauphin'), (13081, 'Luc'), (13103, 'BUFFARD'),
    (13104, 'Manuel'), (13128, 'TETU'), (13129, 'Eric'), (13148, 'Dumont'), (13149, 'Jean pierre'),
]
# "entre François / Mitterrand et Guy Mollet" (line 12017) names two roundabouts, not persons.
PRIVATE_CONSULTATION = [x for x in MASKED_CONSULTATION if x != (12017, "Guy Mollet")]

# Outside those annexes, every name masked in the corpus, and what it really is: a private person
# (rightly masked), an elected or public official, a professional named for their work, or a
# place or organisation. No councillor is among them.
ELSEWHERE = [
    ("000", 5846, "CATRY Ludivine", "privée"), ("000", 5857, "KONIGS Morgan", "privée"),
    ("000", 5872, "LORRAIN Alexis", "privée"), ("000", 5882, "HAUDIQUET", "privée"),
    ("000", 5882, "LAHAYE", "privée"), ("000", 5892, "MILLE Johan", "privée"), ("000", 5892, "FAVIER", "privée"),
    ("000", 5893, "Kelly", "privée"), ("000", 5903, "VERMEL Zoé", "privée"),  # entrepreneurs financed
    ("000", 6371, "Pitch", "organisation"),  # "Madame Pitch", a company
    ("003", 534, "Emmanuel MACRON", "officiel"), ("003", 550, "Fabien GAY", "officiel"),
    ("003", 4117, "Jean Macé-Agrandissement", "lieu"), ("003", 8499, "Vincent Lemaitre", "professionnel"),
    ("003", 8501, "Guillaume Crivier", "professionnel"), ("003", 10157, "Cornu", "officiel"),
    ("003", 14306, "Bernard Chochoy", "lieu"), ("003", 14784, "Léon Keer", "professionnel"),
    ("003", 14789, "Vincent Helly", "privée"), ("003", 15463, "Eric DESAUNOIS", "professionnel"),
    ("003", 15467, "Eric DESAUNOIS", "professionnel"), ("003", 15471, "Eric DESAUNOIS", "professionnel"),
    ("003", 15675, "David Kelder", "professionnel"), ("003", 18831, "Patrick Buel", "professionnel"),
    ("003", 18842, "Patrick Buel", "professionnel"), ("003", 19331, "Antoine BAGUENIER", "officiel"),
    ("003", 19976, "Clovis Quindroit", "professionnel"), ("003", 21373, "Michel Demarle", "privée"),
    ("003", 21713, "Jean-Louis Dauchy", "officiel"), ("003", 21727, "Julien LEONARD", "officiel"),
    ("003", 21727, "Julie RATTEL", "officiel"), ("003", 22549, "Dominique Libault", "officiel"),
    ("003", 23489, "Guillaume LEVEL", "privée"), ("003", 23490, "Séverine BULTEZ", "privée"),
    ("003", 23490, "Karine BULTEZ", "privée"), ("003", 23490, "Stéphanie FONTES", "privée"),
]


@pytest.fixture(scope="module")
def councillors(corpus_db) -> set[str]:
    with Store(corpus_db) as store:
        return public_names(store)


def masked_lines(lines: list[str], first: int, last: int, public: set[str]) -> list[tuple[int, str]]:
    text = "\n".join(lines[first - 1:last])
    return [(first + text.count("\n", 0, span.start), span.text) for span in mask(text, public).spans]


def precision_recall(masked: list, private: list) -> tuple[Fraction, Fraction]:
    right = len(set(masked) & set(private))
    return Fraction(right, len(masked)), Fraction(right, len(private))


def test_the_applicants_to_the_bourse_initiatives_jeunes_are_masked(raa_2021, councillors):
    assert masked_lines(raa_2021.lines, *BIJ, councillors) == MASKED_BIJ
    assert precision_recall(MASKED_BIJ, PRIVATE_BIJ) == (1, Fraction(9, 10))


def test_the_residents_who_wrote_to_the_consultation_are_masked(raa_2021, councillors):
    assert masked_lines(raa_2021.lines, *CONSULTATION, councillors) == MASKED_CONSULTATION
    assert precision_recall(MASKED_CONSULTATION, PRIVATE_CONSULTATION) == (Fraction(99, 100), 1)


def test_officials_are_read_in_the_annex_itself(raa_2021):
    """Without the store, the annex still says who holds an office."""
    text = "\n".join(raa_2021.lines[CONSULTATION[0] - 1:CONSULTATION[1]])
    found = officials(text)
    assert {"Didier MICHEL", "Jean Louis COTTIGNY", "Matthieu BIELFELD", "Stephanie ALLEMAND", "Pierre ANSART",
            "Jean Claude PLU", "Stephane LEIGNEZ", "Frederic LHEUREUX", "Michel EVRARD", "Cedric DUPOND",
            "Philippe RAPENEAU", "LETURQUE", "Jean Yves DERUYTER"} <= found
    assert [x for x in masked_lines(raa_2021.lines, *CONSULTATION, set()) if x not in MASKED_CONSULTATION] == []
    # a piece of the annex masked alone keeps the mayor when given the officials of the whole annex
    piece = "Réponse à Monsieur MICHEL Didier : 1B\nMonsieur le Maire,\nRéponse à Monsieur TETU Eric : 2"
    assert [s.text for s in mask(piece, found).spans] == ["TETU Eric"]
    assert [s.text for s in mask(piece).spans] == ["MICHEL Didier", "TETU Eric"]


def test_the_rest_of_the_text_is_unchanged(raa_2021, councillors):
    text = "\n".join(raa_2021.lines[CONSULTATION[0] - 1:CONSULTATION[1]])
    result = mask(text, councillors)
    pieces = re.split(f"{re.escape(MARKER)}|{re.escape(MAIL_MARKER)}", result.text)
    assert len(pieces) == len(result.spans) + 1
    assert result.text.count(MAIL_MARKER) == 1  # ameliedu62@hotmail.com; the Département's addresses stay
    restored = pieces[0] + "".join(span.text + piece for span, piece in zip(result.spans, pieces[1:]))
    assert restored == text
    assert all(text[span.start:span.end] == span.text for span in result.spans)


@pytest.mark.parametrize("fixture, key", [("raa_2021", "000"), ("seance_2025", "003")])
def test_no_councillor_is_masked_in_the_whole_corpus(request, councillors, fixture, key):
    text = "\n".join(request.getfixturevalue(fixture).lines)
    spans = mask(text, councillors).spans
    annexes = [BIJ, CONSULTATION] if key == "000" else []
    elsewhere = [(key, text.count("\n", 0, s.start) + 1, s.text) for s in spans
                 if not any(a <= text.count("\n", 0, s.start) + 1 <= b for a, b in annexes)]
    assert elsewhere == [(k, line, name) for k, line, name, _ in ELSEWHERE if k == key]
    full_names = {fold(name) for name in councillors}
    surnames = {fold(surname(name)): fold(name) for name in councillors}
    for span in spans:
        assert fold(span.text) not in full_names
        shared = [surnames[w] for w in fold(span.text).split() if w in surnames]
        assert shared in ([], ["SANDRA MILLE"]), span  # M. Johan MILLE, entrepreneur, is not Mme Sandra MILLE


def test_what_is_masked_elsewhere_is_counted_honestly():
    kinds = [kind for *_, kind in ELSEWHERE]
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {
        "privée": 15, "officiel": 8, "professionnel": 10, "lieu": 2, "organisation": 1}


def test_public_names_come_from_a_publication_or_a_store(raa_2021, councillors):
    names = public_names(parse(raa_2021))
    assert {"Jean-Claude LEROY", "Maïté MULOT-FRISCOURT", "Frédéric MELCHIOR"} <= names
    assert names <= councillors


@pytest.mark.parametrize("text, masked", [
    ("Réponse à Monsieur DUMONT Jean-Pierre : 1A", ["DUMONT Jean-Pierre"]),
    ("propos de Mr Vandoren Cedric au conseil", ["Vandoren Cedric"]),
    ("M.KARASIAK Patrick", ["KARASIAK Patrick"]),
    ("Civilité : Madame\nNom : lamerand\nPrénom : sophie\nOrganisme/profession : retraitée", ["lamerand", "sophie"]),
    ("Nom : LEIGNEZ\nPrénom : Stephane\nOrganisme/profession : Maire Boisleux Saint Marc", []),
    ("Didier MICHEL, maire de Tilloy, accueille M. Romain BECU.", ["Romain BECU"]),
    ("Monsieur MICHEL remercie Monsieur MICHEL Didier (Maire de TILLOY).", []),
    ("Cordialement Olivier\nSinger\n", ["Olivier\nSinger"]),
    ("RaphaëlCLARET\n\nLANNOY Benjamin\n", ["RaphaëlCLARET", "LANNOY Benjamin"]),
    ("Estelle\n", ["Estelle"]),
    ("rue Jean Jaurès, lycée Guy Mollet, « Louise Michel », Saint-Laurent", []),
    ("l'association Ferk'Ados de la commune de Ferques", []),
    ("Photo : Maxime Dherbomez ; l'architecte du patrimoine Hugues Dewerdt", []),
    ("La Directrice Générale des Services,\nSigné\nMaryline VINCLAIRE\n", []),
])
def test_rules_on_short_texts(text, masked):
    result = mask(text, ["Jean-Claude LEROY"])
    assert [span.text for span in result.spans] == masked
    assert result.text.count(MARKER) == len(masked)
