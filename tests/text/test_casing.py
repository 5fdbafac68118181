"""Titles printed in capitals, written as sentences from the document's own running text."""

from __future__ import annotations

from pathlib import Path

import pytest

from recueil.text.casing import Casing, in_capitals

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RUNNING = ["Vu la convention signée avec l'État et le Département du Pas-de-Calais le 3 mars ;",
           "le régime indemnitaire RIFSEEP des agents, la Fédération départementale d'énergie ;",
           "Section d'Investissement", "les dépenses d'investissement de l'exercice sont inscrites ;",
           "LE CONSEIL DÉPARTEMENTAL DU PAS-DE-CALAIS"]


@pytest.mark.parametrize(("printed", "written"), [
    ("CONVENTION AVEC L'ETAT - RIFSEEP", "Convention avec l'État - RIFSEEP"),
    ("DÉPENSES D'INVESTISSEMENT DU DÉPARTEMENT", "Dépenses d'investissement du Département"),
    ("FÉDÉRATION DÉPARTEMENTALE D'ÉNERGIE (FDE) - RD 939 ET A26", "Fédération départementale d'énergie (FDE) - RD 939 et A26"),
    ("POINT III-D-1 : BILAN", "Point III-D-1 : bilan"),
    ("Titre déjà en casse mixte", "Titre déjà en casse mixte"),
])
def test_titles_take_the_casing_of_the_running_text(printed: str, written: str) -> None:
    assert Casing(RUNNING).title(printed) == written


def test_a_heading_in_capitals_teaches_nothing() -> None:
    assert Casing(["LE CONSEIL DÉPARTEMENTAL DU PAS-DE-CALAIS"]).forms == {}
    assert in_capitals("AIDE À L'ÉTAT 2025") and not in_capitals("2025") and not in_capitals("Aide")


@pytest.mark.parametrize(("document", "printed", "written"), [
    ("003_e61d4ed207638a45.txt",
     "CONTRACTUALISATION AVEC L'ETAT RELATIVE AU CONTRAT LOCAL DES SOLIDARITÉS (AVENANT 2025)",
     "Contractualisation avec l'État relative au contrat local des solidarités (avenant 2025)"),
    ("003_e61d4ed207638a45.txt", "RAPPORT MODIFICATIF DU POINT III-D-1 PORTANT APPLICATION DU RIFSEEP",
     "Rapport modificatif du point III-D-1 portant application du RIFSEEP"),
    ("000_45492b4b56f19b50.txt", "\"PAS-DE-CALAIS ACTIF\" - PARTENARIAT 2021", "\"Pas-de-Calais Actif\" - partenariat 2021"),
    ("000_45492b4b56f19b50.txt", "RD 939 - A26 PROJET D'AMÉNAGEMENT D'UN GIRATOIRE À MARQUION",
     "RD 939 - A26 projet d'aménagement d'un giratoire à Marquion"),
])
def test_real_titles(document: str, printed: str, written: str) -> None:
    path = CORPUS / document
    if not path.exists():
        pytest.skip(f"corpus absent : {path}")
    assert Casing(path.read_text(encoding="utf-8").splitlines()).title(printed) == written
