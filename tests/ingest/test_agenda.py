"""The ordre du jour of a séance record."""

from recueil.ingest.agenda import read_agenda
from recueil.ingest.segment import Block

SOMMAIRE = """Sommaire

<u>1^{re} partie</u> - Procès-verbal de séance\t1
--\t---

Ordre du jour

1 - Partenariat éducatif avec les collèges\t9
2 - Rapport modificatif de la délibération n°2023-521
portant application du RIFSEEP\t11
3 - Propositions de modifications d'emplois

<u>2^{ème} partie</u> - Vœux\t57
"""


def _agenda(text: str):
    lines = text.split("\n")
    return read_agenda(lines, Block("agenda", 1, len(lines))).records


def test_items_with_pages_wrapped_titles_and_no_page():
    items = _agenda(SOMMAIRE)
    assert [(i.number, i.title, i.page) for i in items] == [
        (1, "Partenariat éducatif avec les collèges", 9),
        (2, "Rapport modificatif de la délibération n°2023-521 portant application du RIFSEEP", 11),
        (3, "Propositions de modifications d'emplois", None),
    ]


def test_the_parts_of_the_sommaire_are_not_items():
    assert all("partie" not in item.title for item in _agenda(SOMMAIRE))


def test_without_heading_the_whole_range_is_the_list():
    assert [i.number for i in _agenda("1 - Un\t3\n2 - Deux\t4\n")] == [1, 2]


def test_real_agenda(seance_2025):
    items = read_agenda(seance_2025.lines, Block("agenda", 1, 40)).records
    assert [item.number for item in items] == list(range(1, 13))
    assert items[0].title == "Partenariat éducatif avec les collèges publics du Pas-de-Calais"
    assert items[0].page == 9
    assert items[6].title.startswith("Rapport modificatif du point III-D-1 de la délibération")
    assert items[11].title == (
        "Rapports d'activité des Établissements Publics et Organismes Associés (EPOA) - Année 2024")
    assert [item.page for item in items] == [9, 11, 19, 21, 23, 24, 25, 25, 26, 28, 44, 47]
