"""The sommaire of a recueil: parts, sections, entries, pages; snippets, then the RAA of 2021."""

from __future__ import annotations

import pytest

from recueil.ingest.read import Text
from recueil.ingest.segment import Block
from recueil.ingest.sommaire import Sommaire, read_sommaire
from recueil.model import ListedAct, Period, Source

DOTS = " " + "." * 60 + " "


def _read(lines: list[str]) -> Sommaire:
    return read_sommaire(lines, Block("sommaire", 1, len(lines), document="extrait.txt")).records[0]


# Snippets written after the layout of the 2021 recueil.

PARTS = [
    "1ère PARTIE ",
    " ",
    "REUNION DE LA COMMISSION PERMANENTE DU ",
    "CONSEIL DEPARTEMENTAL DU 7 JUIN 2021                                          Page ",
    "Délibérations N° 2021-188 à N° 2021-231 ",
    "",
    "- Procès-verbal des délibérations                                               3 ",
    "3ème PARTIE ",
    "",
    "ACTES DE L’EXECUTIF DEPARTEMENTAL                                      Page ",
    "",
    "♦ Décisions du Président du Conseil départemental ",
    "",
    "- Tarifs du repas HT pour les agents du SGCD" + DOTS + "1415 ",
    "",
    "♦ Arrêtés du Président du Conseil départemental ",
    "♦ Organisation des services ",
    "- Délégation de signature" + DOTS + "1469 ",
    "♦ Voirie Départementale ",
    "- RD D939 au territoire de la commune de Etaples – Travaux de ",
    "  réfection de chaussée durant 1 nuit du 14 juin 2021 au 18 juin 2021" + DOTS + "1523 ",
]


def test_parts_and_kinds() -> None:
    sommaire = _read(PARTS)
    first, third = sommaire.parts
    assert (first.number, first.label, first.page) == (1, "1ère PARTIE", 3)
    assert first.title == (
        "REUNION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL DU 7 JUIN 2021"
    )
    assert (first.body, first.sitting_date) == ("commission_permanente", "2021-06-07")
    assert (first.first_number, first.last_number) == ("2021-188", "2021-231")
    assert (third.number, third.title, third.body, third.page) == (
        3,
        "ACTES DE L’EXECUTIF DEPARTEMENTAL",
        None,
        1415,
    )
    assert third.sitting_date is third.first_number is None
    kinds = [(act.kind, act.part, act.section, act.page) for act in sommaire.entries]
    assert kinds == [
        ("other", "1ère PARTIE", None, 3),
        ("decision", "3ème PARTIE", "Décisions du Président du Conseil départemental", 1415),
        ("order", "3ème PARTIE", "Organisation des services", 1469),
        ("road_order", "3ème PARTIE", "Voirie Départementale", 1523),
    ]
    assert sommaire.entries[0].title == "Procès-verbal des délibérations"
    assert sommaire.unread == []


def test_wrapped_road_order_with_dash_on_the_continuation() -> None:
    lines = [
        "♦ Arrêtés du Président du Conseil départemental ",
        "♦ Voirie Départementale ",
        "",
        "- RD D901 au territoire des communes de Carly, Hesdin-L-Abbe et Samer ",
        "  – Travaux réalisation d’enduits superficiels d’usure 3 jours entre ",
        "  le 31 mai 2021 et le 2 juillet 2021" + DOTS + "1530 ",
        " ",
    ]
    (act,) = _read(lines).entries
    assert act == ListedAct(
        kind="road_order",
        part=None,
        section="Voirie Départementale",
        title="RD D901 au territoire des communes de Carly, Hesdin-L-Abbe et Samer – Travaux "
        "réalisation d’enduits superficiels d’usure 3 jours entre le 31 mai 2021 et le 2 "
        "juillet 2021",
        page=1530,
        source=Source("extrait.txt", 4, 6),
        roads="RD D901",
        communes="Carly, Hesdin-L-Abbe et Samer",
        object="Travaux réalisation d’enduits superficiels d’usure 3 jours entre le 31 mai 2021 "
        "et le 2 juillet 2021",
        period=Period("2021-05-31", "2021-07-02"),
        road_codes=["D901"],
        commune_names=["Carly", "Hesdin-L-Abbe", "Samer"],
    )


VOIRIE = ["♦ Arrêtés du Président du Conseil départemental", "♦ Voirie Départementale"]


@pytest.mark.parametrize(
    ("entry", "roads", "communes", "object_", "codes", "names", "period"),
    [
        (
            ["- RD D341 au territoire de la commune de Saint-Martin-Boulogne - Travaux",
             "  sur la RD 341 du 28 juin 2021 au 20 août 2021" + DOTS + "1624"],
            "RD D341",
            "Saint-Martin-Boulogne",
            "Travaux sur la RD 341 du 28 juin 2021 au 20 août 2021",
            ["D341"],
            ["Saint-Martin-Boulogne"],
            Period("2021-06-28", "2021-08-20"),
        ),
        (
            ["- RD D19E2 au territoire des communes de Ruyaulcourt et Ytres –",
             "Travaux forage géotechnique du 7 juin 2021 au 7 juillet 2021" + DOTS + "1583"],
            "RD D19E2",
            "Ruyaulcourt et Ytres",
            "Travaux forage géotechnique du 7 juin 2021 au 7 juillet 2021",
            ["D19E2"],
            ["Ruyaulcourt", "Ytres"],
            Period("2021-06-07", "2021-07-07"),
        ),
        (
            ["- RD D943 au territoire de la commune de Chocques – Limitation de la vitesse",
             "à 70 Km/h – 50 Km/h" + DOTS + "1801"],
            "RD D943",
            "Chocques",
            "Limitation de la vitesse à 70 Km/h – 50 Km/h",
            ["D943"],
            ["Chocques"],
            None,
        ),
        (
            ["- RD 901 au territoire des communes de Lacres et TIngry – Travaux" + DOTS + "1541"],
            "RD 901",
            "Lacres et TIngry",
            "Travaux",
            ["D901"],
            ["Lacres", "TIngry"],
            None,
        ),
        (
            ["- RD D941D301G1 et D941 au territoire de la commune de Divion",
             "  – Travaux purge chaussée du 26 mai 2021 au 28 2021" + DOTS + "1538"],
            "RD D941D301G1 et D941",
            "Divion",
            "Travaux purge chaussée du 26 mai 2021 au 28 2021",
            ["D941", "D301G1"],
            ["Divion"],
            Period("2021-05-26", "2021-05-28"),
        ),
        (
            ["- RD D941 au territoire des communes de Drouvin-le Marais, Haillicourt,",
             "Houchin, et Vaudricourt – Travaux d’enduit" + DOTS + "1671"],
            "RD D941",
            "Drouvin-le Marais, Haillicourt, Houchin, et Vaudricourt",
            "Travaux d’enduit",
            ["D941"],
            ["Drouvin-le Marais", "Haillicourt", "Houchin", "Vaudricourt"],
            None,
        ),
    ],
)
def test_road_order_fields(
    entry: list[str],
    roads: str,
    communes: str,
    object_: str,
    codes: list[str],
    names: list[str],
    period: Period | None,
) -> None:
    (act,) = _read([*VOIRIE, *entry]).entries
    assert (act.roads, act.communes, act.object) == (roads, communes, object_)
    assert (act.road_codes, act.commune_names, act.period) == (codes, names, period)


def test_page_on_a_later_line_after_a_blank_one() -> None:
    lines = [
        "♦ Arrêtés du Président du Conseil départemental ",
        "♦ Etablissements et Services Médico-Sociaux (ESMS) ",
        "- Autorisation et habilitation :  ",
        "• Enfance : ",
        "o Multi-Accueil « La Planète des enfants » à ",
        "",
        "Saint-Laurent-Blangy" + DOTS + "1825 ",
        "o Micro-Crèche « Les Bambidoux » à Sorrus ..........",
        "1828",
    ]
    first, second = _read(lines).entries
    assert (first.title, first.page) == (
        "Multi-Accueil « La Planète des enfants » à Saint-Laurent-Blangy",
        1825,
    )
    assert (first.source.first_line, first.source.last_line) == (5, 7)
    assert (second.title, second.page) == ("Micro-Crèche « Les Bambidoux » à Sorrus", 1828)
    assert first.kind == second.kind == "order"


def test_sub_headings_make_a_path_that_resets_at_each_level() -> None:
    lines = [
        "♦ Arrêtés du Président du Conseil départemental ",
        "♦ Organisation et nomination dans les Centres, Conseils et ",
        "Commissions Consultatifs ",
        "",
        "- Composition de la Commission Départementale d’Agréments d’Adoption" + DOTS + "1809",
        "♦ Etablissements et Services Médico-Sociaux (ESMS) ",
        "",
        "\uf0b6 Etablissement et services :  ",
        "- Autorisation et habilitation :  ",
        "• Enfance : ",
        "o Crèche parentale « L’Oiseau Bleu » à Cucq-Trepied" + DOTS + "1823 ",
        "• Adultes Handicapés et Personnes Agées : ",
        "o EHPAD « Les Jardins de Liévin » à Liévin" + DOTS + "1830 ",
        "- Tarification :  ",
        "o Tarif repas de l’Aide Sociale" + DOTS + "1842 ",
        "• Adultes Handicapés et Personnes Agées : ",
        "o EHPAD « Les Hortensias » à Calais" + DOTS + "1844 ",
    ]
    sections = [act.section for act in _read(lines).entries]
    esms = "Etablissements et Services Médico-Sociaux (ESMS)"
    assert sections == [
        "Organisation et nomination dans les Centres, Conseils et Commissions Consultatifs",
        f"{esms} / Autorisation et habilitation / Enfance",
        f"{esms} / Autorisation et habilitation / Adultes Handicapés et Personnes Agées",
        f"{esms} / Tarification",
        f"{esms} / Tarification / Adultes Handicapés et Personnes Agées",
    ]


def test_page_headers_and_sidebar_are_skipped() -> None:
    lines = [
        "♦ Décisions du Président du Conseil départemental ",
        "- Régie permanente d’avances et de recettes au Centre Culturel de l’Entente ",
        "Cordiale – Château d’Hardelot" + DOTS + "1420 ",
        "Pôle Ressources ",
        "Humaines et Juridiques ",
        "Tél :  03.21.21.61.51 ",
        "Recueil des Actes Administratifs N° 5 MAI 2021 - 2/11 ",
        "- Remboursement de l’emprunt du Crédit Mutuel suite à la dissolution ",
        "",
        "Recueil des Actes Administratifs N° 5 MAI 2021 - 3/11 ",
        "de l’Institution Interdépartementale de l’Authie" + DOTS + "1426 ",
    ]
    sommaire = _read(lines)
    assert [(act.title, act.page) for act in sommaire.entries] == [
        (
            "Régie permanente d’avances et de recettes au Centre Culturel de l’Entente "
            "Cordiale – Château d’Hardelot",
            1420,
        ),
        (
            "Remboursement de l’emprunt du Crédit Mutuel suite à la dissolution de "
            "l’Institution Interdépartementale de l’Authie",
            1426,
        ),
    ]
    assert sommaire.entries[1].source == Source("extrait.txt", 8, 11)
    assert sommaire.unread == [4, 5, 6]


def test_indented_dash_continues_the_open_entry() -> None:
    lines = [
        "♦ Arrêtés du Président du Conseil départemental",
        "♦ Voirie Départementale",
        "- RD D3 au territoire de la commune de Wailly",
        "  - Travaux le 9 juin 2021" + DOTS + "1580",
    ]
    (act,) = _read(lines).entries
    assert (act.communes, act.object, act.page) == ("Wailly", "Travaux le 9 juin 2021", 1580)


def test_entry_cut_off_by_a_heading_keeps_no_page() -> None:
    lines = ["♦ Décisions du Président", "- Tarifs sans page", "♦ Organisation des services"]
    (act,) = _read(lines).entries
    assert (act.title, act.page, act.source.last_line) == ("Tarifs sans page", None, 2)


# The sommaire of the RAA of June 2021 (lines 1 to 857).

LAST_LINE = 857


@pytest.fixture(scope="module")
def sommaire(raa_2021: Text) -> Sommaire:
    return read_sommaire(raa_2021.lines, Block("sommaire", 1, LAST_LINE, document=raa_2021.name)).records[0]


def _kinds(sommaire: Sommaire, kind: str) -> list[ListedAct]:
    return [act for act in sommaire.entries if act.kind == kind]


def test_raa_counts(sommaire: Sommaire) -> None:
    assert len(sommaire.entries) == 177
    assert len(_kinds(sommaire, "road_order")) == 112
    assert len(_kinds(sommaire, "decision")) == 15
    assert len(_kinds(sommaire, "order")) == 48
    assert len(_kinds(sommaire, "other")) == 2
    assert all(act.page is not None for act in sommaire.entries)
    assert all(act.roads and act.communes and act.object for act in _kinds(sommaire, "road_order"))


def test_raa_parts(sommaire: Sommaire) -> None:
    title = "REUNION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL DU 7 JUIN 2021"
    cp = "commission_permanente"
    rows = [
        (p.number, p.label, p.title, p.body, p.sitting_date, p.first_number, p.last_number, p.page)
        for p in sommaire.parts
    ]
    assert rows == [
        (1, "1ère PARTIE", title, cp, "2021-06-07", "2021-188", "2021-231", 3),
        (2, "2ème PARTIE", title, cp, "2021-06-07", "2021-232", "2021-252", 713),
        (3, "3ème PARTIE", "ACTES DE L’EXECUTIF DEPARTEMENTAL", None, None, None, None, 1415),
    ]
    others = _kinds(sommaire, "other")
    assert [(a.part, a.title, a.page) for a in others] == [
        ("1ère PARTIE", "Procès-verbal des délibérations", 3),
        ("2ème PARTIE", "Procès-verbal des délibérations", 713),
    ]


GOLD_ROAD_ORDERS = [
    # roads, communes, object, page, first line, road codes, commune names, period
    (
        "RD D939",
        "Etaples",
        "Travaux de réfection de chaussée durant 1 nuit du 14 juin 2021 au 18 juin 2021",
        1523,
        181,
        ["D939"],
        ["Etaples"],
        Period("2021-06-14", "2021-06-18"),
    ),
    (
        "RD D191",
        "Audinghen",
        "Travaux sur Ouvrages Existants Eau Potable du 25 mai 2021 au 2 juin 2021",
        1525,
        186,
        ["D191"],
        ["Audinghen"],
        Period("2021-05-25", "2021-06-02"),
    ),
    (
        "RD D19E2",
        "Lechelle et Ytres",
        "Travaux Forage géotechnique du 25 mai 2021 au 28 mai 2021",
        1527,
        191,
        ["D19E2"],
        ["Lechelle", "Ytres"],
        Period("2021-05-25", "2021-05-28"),
    ),
    (
        "RD D943",
        "Chocques",
        "Limitation de la vitesse à 70 Km/h – 50 Km/h",
        1801,
        740,
        ["D943"],
        ["Chocques"],
        None,
    ),
    (
        "RD D75 ET D39",
        "Vermelles",
        "Travaux Sondage pour le compte de GRT Gaz du 1er juillet 2021 au 31 août 2021",
        1803,
        744,
        ["D75", "D39"],
        ["Vermelles"],
        Period("2021-07-01", "2021-08-31"),
    ),
]


@pytest.mark.parametrize("gold", GOLD_ROAD_ORDERS, ids=[str(g[3]) for g in GOLD_ROAD_ORDERS])
def test_raa_gold_road_orders(sommaire: Sommaire, gold: tuple) -> None:
    roads, communes, object_, page, first_line, codes, names, period = gold
    (act,) = [a for a in sommaire.entries if a.page == page]
    assert act.kind == "road_order"
    assert act.part == "3ème PARTIE"
    assert act.section == "Voirie Départementale"
    assert act.roads == roads
    assert act.communes == communes
    assert act.object == object_
    assert act.page == page
    assert act.road_codes == codes
    assert act.commune_names == names
    assert act.period == period
    assert act.source == Source("000_45492b4b56f19b50.txt", first_line, first_line + 1)
    assert act.title.startswith(roads + " au territoire de")
    assert act.title.endswith(object_)


@pytest.mark.parametrize(
    ("page", "period"),
    [
        (1530, Period("2021-05-31", "2021-07-02")),  # entre le … et le …, 3 lines
        (1538, Period("2021-05-26", "2021-05-28")),  # "au 28 2021": the month is left out
        (1574, Period("2021-05-31", "2021-07-02")),  # entre le … au …
        (1595, Period("2021-06-07", "2021-06-25")),  # "7 juin 2021au 25 juin 2021"
        (1673, Period("2021-06-14", "2021-07-23")),  # no "du"
        (1697, Period("2021-07-04", "2021-07-04")),  # le 4 juillet 2021
        (1702, None),  # Limitation de vitesse à 70 Km/h
        (1751, Period("2021-06-22", "2021-07-09")),  # "sur la RN 42 4 jours entre le …"
    ],
)
def test_raa_periods(sommaire: Sommaire, page: int, period: Period | None) -> None:
    (act,) = [a for a in sommaire.entries if a.page == page]
    assert act.period == period


def test_raa_pages_never_go_back_within_a_part(sommaire: Sommaire) -> None:
    for part in sommaire.parts:
        pages = [act.page or 0 for act in sommaire.entries if act.part == part.label]
        assert pages, part.label
        assert pages == sorted(pages), part.label
    assert [act.source.first_line for act in sommaire.entries] == sorted(
        act.source.first_line for act in sommaire.entries
    )


def test_raa_decisions_and_orders(sommaire: Sommaire) -> None:
    decisions = _kinds(sommaire, "decision")
    assert (decisions[0].title, decisions[0].page) == (
        "Tarifs du repas HT pour les agents du SGCD",
        1415,
    )
    assert (decisions[-1].title, decisions[-1].page) == (
        "Régie de recettes à la Direction des Archives Départementales – Site d’Arras",
        1461,
    )
    # The first page's notice and sidebar fall between the 3rd and the 4th decision.
    assert decisions[3].title.startswith("Tarifs de l’exposition les enfants de la Mer")
    orders = _kinds(sommaire, "order")
    esms = "Etablissements et Services Médico-Sociaux (ESMS)"
    assert orders[0].section == "Organisation des services"
    multi_accueil = [a for a in orders if a.page == 1825]
    rows = [(a.title, a.section, a.source.first_line, a.source.last_line) for a in multi_accueil]
    assert rows == [
        (
            "Multi-Accueil « La Planète des enfants » à Saint-Laurent-Blangy",
            f"{esms} / Autorisation et habilitation / Enfance",
            777,
            779,
        )
    ]
    assert (orders[-1].title, orders[-1].page, orders[-1].section) == (
        "Résidence Autonomie « Clos Saint Victor » à Etaples-sur-Mer",
        1910,
        f"{esms} / Tarification / Adultes Handicapés et Personnes Agées",
    )


def test_raa_only_the_cover_notice_and_sidebar_are_left_unread(sommaire: Sommaire) -> None:
    assert sommaire.unread
    assert all(line < 28 or 62 <= line <= 127 for line in sommaire.unread)
