"""Budget imputation tables, in every shape the documents print them."""

from __future__ import annotations

from recueil.ingest.budget import read_budget_lines
from recueil.ingest.read import Text
from recueil.model import BudgetLine


def read(snippet: str) -> list[BudgetLine]:
    lines = snippet.split("\n")
    return read_budget_lines(lines, 1, len(lines))


# --- layout text: the header and each row spread over several lines -------------------------

DELIBERATION = """La dépense versée en application de l'article 1 est imputée
sur le budget départemental comme suit :

Code Opération
Imputation
budgétaire

Libellé Opération CP € Dépense €

C03-333F02 6568/9333
Bourses initiatives

Jeune
55 000,00 2 750,00

Dans les conditions de vote ci-dessous : 
"""


def test_layout_deliberation_table() -> None:
    assert read(DELIBERATION) == [
        BudgetLine(
            "C03-333F02",
            "6568/9333",
            "Bourses initiatives Jeune",
            {"cp": 5_500_000, "depense": 275_000},
        )
    ]


REPORT = """Code Opération
Imputation
Budgétaire

Libellé Opération CP Disponible Proposition Solde

C03-333F02 6568/9333
Bourses initiatives

Jeune
55 000,00 51 600,00 2 750,00 48 850,00

La 3ème Commission - Education, Culture, Sport et Citoyenneté a émis un avis
favorable sur ce rapport lors de sa réunion du 11/05/2021. 
"""


def test_layout_report_table() -> None:
    (row,) = read(REPORT)
    assert row.amounts == {
        "cp": 5_500_000,
        "disponible": 5_160_000,
        "proposition": 275_000,
        "solde": 4_885_000,
    }


SUB_CODES_ON_THEIR_OWN_LINES = """Code Opération
Imputation
budgétaire

Libellé Opération CP € Dépense €

C01-020Q02
020Q-EPF-D
6568//930202

Autres
participations

404 172,00 404 172,00

C01-020Q02
020Q-AE21

6568//930202
Autres

participations
130 000,00 130 000,00

Dans les conditions de vote ci-dessous : 
"""


def test_layout_sub_codes_and_several_rows() -> None:
    rows = read(SUB_CODES_ON_THEIR_OWN_LINES)
    assert [(r.operation, r.imputation, r.label) for r in rows] == [
        ("C01-020Q02 020Q-EPF-D", "6568//930202", "Autres participations"),
        ("C01-020Q02 020Q-AE21", "6568//930202", "Autres participations"),
    ]
    assert rows[1].amounts == {"cp": 13_000_000, "depense": 13_000_000}


INLINE_SUB_CODES = """Code Opération
Imputation
budgétaire

Libellé Opération AP € Disponible € Proposition € Solde €

C04-628G04 AP21 2041421//91628
FARDA - Aide à la
Voirie Communale

2 200 000,00 2 128 526,10 2 120 471,23 8 054,87

C04-628G04 AP20 2041421//91628
FARDA- Aide à la
Voirie Communale

6 700 000,00 46 104,82 45 000,00 1 104,82

La 4ème Commission - Equipement et développement des territoires a émis un
"""


def test_layout_inline_sub_codes_and_ap_column() -> None:
    rows = read(INLINE_SUB_CODES)
    assert [r.operation for r in rows] == ["C04-628G04 AP21", "C04-628G04 AP20"]
    assert rows[0].label == "FARDA - Aide à la Voirie Communale"
    assert rows[1].amounts == {
        "ap": 670_000_000,
        "disponible": 4_610_482,
        "proposition": 4_500_000,
        "solde": 110_482,
    }


SPACED_CODE = """Code Opération
Imputation
budgétaire

Libellé Opération AP € Dépense €

C03 - 321 A 17 2041421//9132
Matériels sportifs et
développement des

équipements
1 200 000,00 511 259,00
"""


def test_layout_spaced_operation_code() -> None:
    assert read(SPACED_CODE) == [
        BudgetLine(
            "C03-321A17",
            "2041421//9132",
            "Matériels sportifs et développement des équipements",
            {"ap": 120_000_000, "depense": 51_125_900},
        )
    ]


SPLIT_CODES_AND_SECTIONS = """Section
Code

Opération
Imputation
Budgétaire

Libellé
Opération

AP/AE € CP € Disponible € Proposition € Solde €

Investissemen
t

C04-
738I01
2041411//917

38

Subventions
en matière

environnementale

500 000,00 500 000,00 499 999,00 1,00

Fonctionneme
nt

C04-733C01 6568//93738

Participations
gestion des
espaces de
randonnée

386 000,00 53 950,00 5 482,00 48 468,00

Je vous prie de bien vouloir en délibérer.
"""


def test_layout_split_codes_sections_and_missing_leading_cell() -> None:
    first, second = read(SPLIT_CODES_AND_SECTIONS)
    assert (first.operation, first.imputation) == ("C04-738I01", "2041411//91738")
    assert first.label == "Subventions en matière environnementale"
    # Four figures under five headings: the empty cell is the leading AP/AE one.
    assert first.amounts == {
        "cp": 50_000_000,
        "disponible": 50_000_000,
        "proposition": 49_999_900,
        "solde": 100,
    }
    assert (second.operation, second.label) == (
        "C04-733C01",
        "Participations gestion des espaces de randonnée",
    )
    assert second.amounts["solde"] == 4_846_800


ROWS_WITHOUT_FIGURES = """Section Code Opération Imputation budgétaire Libellé de l'opération Inscrit
Proposition
d'inscription

Fonctionnement C03-313B14 74718/93313

Investissement C03-313B14 1311

Je vous prie de bien vouloir en délibérer.

Le Président du Conseil Départemental

SIGNE

CP20210607-61

1132
"""


def test_layout_rows_without_figures_stop_before_the_prose() -> None:
    assert read(ROWS_WITHOUT_FIGURES) == [
        BudgetLine("C03-313B14", "74718/93313", "", {}),
        BudgetLine("C03-313B14", "1311", "", {}),
    ]


FIGURES_WITHOUT_DECIMALS = """Section Code Opération Imputation budgétaire Libellé de l'opération Inscrit
Proposition
d'inscription

fonctionnement C02-581E04 74718//9358

POLITIQUE
INCLUSIVE EN

FAVEUR DU
LOGEMENT

623 078,00 840 000
"""


def test_layout_figures_without_decimals_and_two_word_heading() -> None:
    (row,) = read(FIGURES_WITHOUT_DECIMALS)
    assert row.label == "POLITIQUE INCLUSIVE EN FAVEUR DU LOGEMENT"
    assert row.amounts == {"inscrit": 62_307_800, "proposition_d_inscription": 84_000_000}


UNKNOWN_HEADINGS = """Code Opération Imputation budgétaire Libellé Opération Crédits Réalisé
C01-945B01 6568/9394
Partenariat
stratégiques-
attractivité
28 000,00 15 400,00 12 000,00
"""


def test_layout_unknown_headings_keep_their_order() -> None:
    (row,) = read(UNKNOWN_HEADINGS)
    assert row.label == "Partenariat stratégiques- attractivité"
    assert row.amounts == {"credits": 2_800_000, "realise": 1_540_000, "montant_3": 1_200_000}


def test_layout_text_that_only_looks_like_a_header() -> None:
    text = "Code de l'action sociale et des familles\nC03-333F02 6568/9333\n55 000,00\n"
    assert read(text) == []


# --- tab-separated rows (séance record of 2025) ---------------------------------------------

TABS = (
    "comme suit :\n\n"
    "Code Opération\tImputation budgétaire\tLibellé Opération\tCP €\tDépense €\n"
    "C03-288E01\t6568//93288\tDotations pour activités pédagogiques périscolaires"
    "\t1 450 125,00\t786 090,70\n"
    "\tTotal\t\t1 450 125,00\t786 090,70\n"
    "\n"
    "Dans les conditions de vote ci-dessous :\n"
)


def test_tab_table() -> None:
    assert read(TABS) == [
        BudgetLine(
            "C03-288E01",
            "6568//93288",
            "Dotations pour activités pédagogiques périscolaires",
            {"cp": 145_012_500, "depense": 78_609_070},
        )
    ]


TABS_WITH_SECTION = (
    "Section\tCode Opération\tImputation budgétaire\tLibellé de l'opération\tInscrit"
    "\tProposition d'inscription\n"
    "FONCTIONNEMENT\tC02-428N01\t74713//93428\t**Fonds d'appui**\t8 603 440 € Inscrits au BP 2025"
    "\t- €\n"
)


def test_tab_table_with_section_and_words_in_cells() -> None:
    (row,) = read(TABS_WITH_SECTION)
    assert (row.operation, row.imputation, row.label) == ("C02-428N01", "74713//93428", "Fonds d'appui")
    assert row.amounts == {"inscrit": 860_344_000, "proposition_d_inscription": 0}


def test_tab_table_without_imputation_is_another_table() -> None:
    text = (
        "CdR opération\tCode opération\tDescription opération\tMt AP Affecté\n"
        "DIMMO/SGT\tC03-221C07\tConstruction et réhabilitation de collèges\t7 070,21\n"
    )
    assert read(text) == []


def test_only_the_given_lines_are_read() -> None:
    lines = (DELIBERATION + TABS).split("\n")
    header = lines.index("Code Opération\tImputation budgétaire\tLibellé Opération\tCP €\tDépense €")
    assert [r.operation for r in read_budget_lines(lines, 1, header)] == ["C03-333F02"]
    assert [r.operation for r in read_budget_lines(lines, 5, len(lines))] == ["C03-288E01"]


# --- the real documents ---------------------------------------------------------------------


def test_raa_2021_deliberation_232(raa_2021: Text) -> None:
    assert read_budget_lines(raa_2021.lines, 897, 960) == [
        BudgetLine(
            "C03-333F02",
            "6568/9333",
            "Bourses initiatives Jeune",
            {"cp": 5_500_000, "depense": 275_000},
        )
    ]


def test_raa_2021_report_45(raa_2021: Text) -> None:
    (row,) = read_budget_lines(raa_2021.lines, 1040, 1075)
    assert row.amounts == {
        "cp": 5_500_000,
        "disponible": 5_160_000,
        "proposition": 275_000,
        "solde": 4_885_000,
    }


def test_raa_2021_split_codes(raa_2021: Text) -> None:
    rows = read_budget_lines(raa_2021.lines, 7730, 7775)
    assert [(r.operation, r.imputation, r.amounts) for r in rows] == [
        ("C04-738I01", "2041411//91738", {"cp": 50_000_000, "depense": 49_999_800}),
        ("C04-733C01", "6568//93738", {"cp": 38_600_000, "depense": 548_200}),
    ]


def test_raa_2021_five_authorisations_of_programme(raa_2021: Text) -> None:
    rows = read_budget_lines(raa_2021.lines, 13450, 13510)
    assert [r.operation for r in rows] == [f"C04-628G04 AP{n}" for n in (21, 20, 19, 18, 17)]
    assert rows[0].amounts == {"ap": 220_000_000, "depense": 212_047_123}
    assert rows[4].amounts == {"ap": 554_538_754, "depense": 3_000_000}


def test_raa_2021_receipts(raa_2021: Text) -> None:
    assert read_budget_lines(raa_2021.lines, 39125, 39145) == [
        BudgetLine(
            "C02-585Q01",
            "74713/9358",
            "fonds d'appui à la lutte contre la pauvreté et l'accès à l'emploi",
            {"inscrit": 507_800_000, "proposition_d_inscription": 223_315_700},
        )
    ]


def test_raa_2021_counts(raa_2021: Text) -> None:
    rows = read_budget_lines(raa_2021.lines, 1, len(raa_2021.lines))
    # 28 tables checked by hand: 11 deliberations and 11 rapports with figures, 2 + 2 tables
    # of receipts, the 2 tables of 2021-246 and its rapport without figures.
    assert len(rows) == 48
    assert sum(1 for r in rows if not r.amounts) == 4
    assert len({r.operation for r in rows}) == 20


def test_seance_2025_deliberation_360(seance_2025: Text) -> None:
    assert read_budget_lines(seance_2025.lines, 2150, 2160) == [
        BudgetLine(
            "C03-288E01",
            "6568//93288",
            "Dotations pour activités pédagogiques périscolaires",
            {"cp": 145_012_500, "depense": 78_609_070},
        )
    ]


def test_seance_2025_counts(seance_2025: Text) -> None:
    rows = read_budget_lines(seance_2025.lines, 1, len(seance_2025.lines))
    assert [(r.operation, sorted(r.amounts)) for r in rows] == [
        ("C03-288E01", ["cp", "depense"]),
        ("C03-288E01", ["cp", "disponible", "proposition", "solde"]),
        ("C02-428N01", ["recette"]),
        ("C02-428N01", ["inscrit", "proposition_d_inscription"]),
    ]
    assert rows[3].amounts == {"inscrit": 860_344_000, "proposition_d_inscription": 846_673_800}
