"""The séance tests on both databases of the store: the fixtures of tests/store (a SQLite file and
a throwaway PostgreSQL server), loaded by path as tests/web does."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("recueil_tests_seance_store",
                                               Path(__file__).parents[1] / "store" / "conftest.py")
assert _spec and _spec.loader
_store_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store_conftest)
postgres = _store_conftest.postgres
store_url = _store_conftest.store_url
