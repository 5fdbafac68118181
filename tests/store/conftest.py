"""The two databases of the store: a SQLite file, and a throwaway PostgreSQL server (tests/pg.py)
started once per session, stopped at its end, and skipped with its reason where none can run."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("recueil_tests_pg", Path(__file__).parents[1] / "pg.py")
assert _spec and _spec.loader
pg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pg)

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_tools() -> object:
    """tests/pg.py itself (not a package: loaded by path)."""
    return pg


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Cluster]:
    try:
        cluster = pg.start_cluster()
    except pg.PostgresUnavailable as reason:
        pytest.skip(f"PostgreSQL indisponible : {reason}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres").url()
