"""A store holding the real corpus, and that corpus published once, for the publishing tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recueil import jobs
from recueil.ingest.pipeline import parse
from recueil.store.database import Store

DAY = "2026-11-24"


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, raa_2021, seance_2025) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('publish') / 'corpus.db'}"
    with Store(url) as store:
        store.save(parse(raa_2021))
        store.save(parse(seance_2025))
    return url


@pytest.fixture(scope="session")
def published(tmp_path_factory, corpus_db) -> Path:
    """The corpus published on DAY (through jobs.publish, as the command does); never modify it."""
    folder = tmp_path_factory.mktemp("published") / "publications"
    with Store(corpus_db) as store:
        jobs.publish(store, folder, day=DAY)
    return folder


@pytest.fixture
def copy(published, tmp_path) -> Path:
    """A copy of the published folder that a test may tamper with."""
    return Path(shutil.copytree(published, tmp_path / "publications"))
