"""The vœux of a séance record."""

import pytest

from recueil.ingest.motion import read_motions
from recueil.ingest.segment import Block

VOEUX = """DEUXIEME PARTIE

VŒUX

**Vœu pour une reprise de la desserte
de la gare de Calais-Fréthun**

Déposé par le groupe socialiste, républicain et citoyen.

La gare est **stratégique** pour le
territoire.

SEANCE DU CONSEIL DEPARTEMENTAL DU 22 SEPTEMBRE 2025

Nous demandons :

- le retour des arrêts ;
- un dialogue avec
l'opérateur.

Anne DURAND, Présidente du groupe socialiste, républicain et citoyen
Paul MARTIN, Président du Conseil Départemental,

Lise HINGREZ CEREDA, Alain DE CARRION,
Jean-Luc DUBAELE.

Two handwritten signatures in blue ink, the first with the name 'CARRION' below it.

Conseil départemental du Pas-de-Calais

Séance du 22 septembre 2025

Vœu présenté par le groupe RN

*

* *

Refusons l'accord !

Ce traité est dangereux.

Monsieur Ludovic PAJOT

A handwritten signature in dark ink, appearing to be 'Ludovic Pajot'.
"""


@pytest.fixture(scope="module")
def sample():
    lines = VOEUX.split("\n")
    return read_motions(lines, Block("motions", 1, len(lines), document="voeux.txt")).records


def test_bold_title_over_two_lines(sample):
    assert len(sample) == 2
    assert sample[0].title == "Vœu pour une reprise de la desserte de la gare de Calais-Fréthun"
    assert sample[0].filed_by == "Groupe Socialiste, Républicain et Citoyen"


def test_body_without_page_headers_and_with_bullets(sample):
    assert sample[0].text == (
        "La gare est stratégique pour le territoire.\nNous demandons :\n"
        "- le retour des arrêts ;\n- un dialogue avec l'opérateur.")


def test_signatories_without_titles_nor_signature_descriptions(sample):
    assert sample[0].signatories == [
        "Anne DURAND", "Paul MARTIN", "Lise HINGREZ CEREDA", "Alain DE CARRION", "Jean-Luc DUBAELE"]
    assert (sample[0].source.first_line, sample[0].source.last_line) == (5, 25)


def test_group_line_before_the_title(sample):
    rn = sample[1]
    assert (rn.title, rn.filed_by) == ("Refusons l'accord !", "Groupe Rassemblement National")
    assert rn.text == "Ce traité est dangereux."
    assert rn.signatories == ["Ludovic PAJOT"]
    assert (rn.source.document, rn.source.first_line, rn.source.last_line) == ("voeux.txt", 33, 43)


def test_a_vœu_title_inside_a_body_opens_no_new_vœu():
    lines = ["Vœu pour la gare", "", "Déposé par le groupe X", "", "Vœu adopté par la commune.", "",
             "Anne DURAND"]
    (motion,) = read_motions(lines, Block("motions", 1, len(lines), document="d")).records
    assert motion.text == "Vœu adopté par la commune."
    assert motion.signatories == ["Anne DURAND"]


# The real séance of 22 September 2025.


@pytest.fixture(scope="module")
def motions(seance_2025):
    lines = seance_2025.lines
    first = next(n for n, line in enumerate(lines, 1) if line.strip() == "DEUXIEME PARTIE")
    last = next(n for n, line in enumerate(lines, 1) if line.strip() == "TROISIEME PARTIE") - 1
    assert (first, last) == (1884, 2079)
    return read_motions(lines, Block("motions", first, last, document=seance_2025.name)).records


def test_real_titles_and_groups(motions):
    assert [(m.title, m.filed_by) for m in motions] == [
        ("Vœu de soutien au Service Civique", "Groupe Socialiste, Républicain et Citoyen"),
        ("Vœu pour une reprise de la desserte par l'EUROSTAR de la gare de Calais-Fréthun",
         "Groupe Socialiste, Républicain et Citoyen"),
        ("Vœu relatif à L'Engagement pour le Renouveau du Bassin Minier",
         "Groupe Communiste et Républicain"),
        ("Vœu relatif à la baisse des heures d'ouverture des gares", "Groupe Communiste et Républicain"),
        ("Refusons l'application du Mercosur !", "Groupe Rassemblement National"),
    ]


def test_real_signatories(motions):
    # Counted by hand: 3 signing with their title then 35 names for the socialist group, its
    # president then 8 names for the communist group.
    assert [len(m.signatories) for m in motions] == [38, 38, 9, 9, 1]
    assert [(m.signatories[0], m.signatories[-1]) for m in motions] == [
        ("Mireille HINGREZ-CEREDA", "Cécile YOSBERGUE"),
        ("Mireille HINGREZ-CEREDA", "Cécile YOSBERGUE"),
        ("Jean-Marc TELLIER", "Brigitte PASSEBOSC"),
        ("Jean-Marc TELLIER", "Brigitte PASSEBOSC"),
        ("Ludovic PAJOT", "Ludovic PAJOT"),
    ]
    assert motions[0].signatories[1:4] == ["André KUCHCINSKI", "Jean-Claude LEROY", "Fatima AIT CHIKHEBBIH"]


def test_real_texts(motions):
    assert motions[0].text.startswith("Depuis sa création en 2010, le Service Civique")
    assert motions[2].text.endswith("qui n'ont pas été retenues lors des précédentes études.")
    assert motions[4].text.split("\n")[0].startswith("La Commission européenne vient de valider")
    for motion in motions:
        assert "SEANCE DU CONSEIL" not in motion.text
        assert "handwritten" not in motion.text
        assert "* *" not in motion.text
        assert "**" not in motion.title


def test_real_sources(motions):
    assert [(m.source.first_line, m.source.last_line) for m in motions] == [
        (1888, 1914), (1920, 1948), (1956, 1998), (2006, 2038), (2046, 2076)]
