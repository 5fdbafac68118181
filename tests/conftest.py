"""Shared fixtures. Real-document tests read ../shared/corpus and never copy it."""

from __future__ import annotations

from pathlib import Path

import pytest

from recueil.ingest.read import Text, read_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
RAA_2021 = CORPUS / "000_45492b4b56f19b50.txt"
SEANCE_2025 = CORPUS / "003_e61d4ed207638a45.txt"


def _corpus_text(path: Path) -> Text:
    if not path.exists():
        pytest.skip(f"corpus absent: {path}")
    return read_file(path)


@pytest.fixture(scope="session")
def raa_2021() -> Text:
    return _corpus_text(RAA_2021)


@pytest.fixture(scope="session")
def seance_2025() -> Text:
    return _corpus_text(SEANCE_2025)
