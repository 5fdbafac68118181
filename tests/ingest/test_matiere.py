"""The ACTES matière of the 33 real deliberations against labels set by reading each act."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from recueil.ingest.matiere import FALLBACK, classify
from recueil.ingest.pipeline import parse
from recueil.model import Article, BudgetLine, Deliberation, Source
from recueil.vocabulary import matiere_name, nomenclature

LABELS = Path(__file__).with_name("matiere_labels.csv")
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "actes-nomenclature.csv"
# The level reached when the rules were written (33 of 33); a change to the rules must not lower it.
# The rules were written from these same acts, so this is not an estimate for unseen ones.
MIN_ACCURACY = 1.0


@pytest.fixture(scope="module")
def labels() -> dict[str, dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {row["number"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def deliberations(raa_2021, seance_2025):
    return [d for text in (raa_2021, seance_2025) for d in parse(text).deliberations]


def test_labels_cover_every_deliberation_with_a_code_and_a_reason(labels, deliberations):
    assert sorted(labels) == sorted(d.number for d in deliberations) and len(labels) == 33
    for number, label in labels.items():
        assert label["code"] in nomenclature(), number
        assert len(label["reason"]) > 30, number


def test_accuracy_against_the_labels(labels, deliberations, capsys):
    misses = [(d.number, labels[d.number]["code"], d.matiere_code, d.matiere_reason)
              for d in deliberations if d.matiere_code != labels[d.number]["code"]]
    accuracy = 1 - len(misses) / len(deliberations)
    with capsys.disabled():
        print(f"\nmatière ACTES : {len(deliberations) - len(misses)}/{len(deliberations)} "
              f"délibérations bien classées ({accuracy:.0%})")
        for miss in misses:
            print("  écart", *miss)
    assert accuracy >= MIN_ACCURACY, misses


def test_every_deliberation_says_why(deliberations):
    for d in deliberations:
        assert d.matiere_reason, d.number
    reasons = {d.number: d.matiere_reason for d in deliberations}
    assert reasons["2021-239"] == "subventions accordées — dispositif « D'ATTRIBUER LES SUBVENTIONS »"
    assert reasons["2021-233"] == "intervention économique — rapport « Mission Economie Sociale et Solidaire »"
    assert reasons["2021-244"] == FALLBACK.reason


def _act(title: str, articles: tuple[str, ...] = (), amounts: tuple[BudgetLine, ...] = ()) -> Deliberation:
    return Deliberation("2025-001", title, "conseil_departemental", "2025-01-01", "DECIDE", Source("t", 1, 1),
                        articles=[Article(str(i), t) for i, t in enumerate(articles, 1)], amounts=list(amounts))


def test_what_the_act_does_comes_before_its_field():
    roads = _act("AIDE À LA VOIRIE COMMUNALE", ("D'attribuer aux communes les subventions reprises en annexe.",))
    assert classify(roads).code == "7.5"
    assert classify(_act("RD 939 - AMÉNAGEMENT D'UN CARREFOUR")).code == "8.3"


def test_a_spending_imputation_on_a_subsidy_account_is_a_subsidy_and_a_receipt_is_not():
    spent = BudgetLine("C03-321A17", "2041421//9132", "Matériels sportifs", {"ap": 100, "depense": 50})
    received = BudgetLine("C02-585Q01", "65734/9358", "Fonds", {"recette": 50})
    matiere = classify(_act("PROGRAMME 2025", amounts=(spent,)))
    assert matiere.code == "7.5" and matiere.reason.endswith("imputation « 2041421//9132 »")
    assert classify(_act("PROGRAMME 2025", amounts=(received,))) == FALLBACK


def test_the_shipped_nomenclature_is_the_reference():
    if not REFERENCE.exists():
        pytest.skip(f"nomenclature absente : {REFERENCE}")
    shipped = Path(__file__).resolve().parents[2] / "src" / "recueil" / "actes-nomenclature.csv"
    assert shipped.read_bytes() == REFERENCE.read_bytes()
    assert len(nomenclature()) == 57
    assert nomenclature()["7.5"] == ("finances locales", "subventions")
    assert matiere_name("7.5") == "finances locales/subventions"
