"""Two `recueil ingest` processes at once, on both backends: nothing lost, nothing stored twice, no
traceback. Same files (both try to store each document: one stores it, the other finds it
"inchangé"), different files (each keeps its own) and a store that neither has created yet (both
create its tables at once)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recueil.store import schema
from recueil.store.database import Store

from .conftest import BACKENDS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seance-exemple.md"
TRIALS = 5
INGEST = [str(Path(sys.executable).parent / "recueil"), "ingest"]


@pytest.fixture(params=BACKENDS)
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes the URL of another empty store (not yet created) on one backend."""
    made = iter(range(1000))
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'store-{next(made)}.db'}"
    return request.getfixturevalue("postgres").url


def _documents(folder: Path, names: list[str]) -> list[Path]:
    """Distinct documents (other bytes, other names), each the project's example séance."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for name in names:
        (folder / f"{name}.md").write_text(f"{text}\n{name}\n", encoding="utf-8")
    return [folder / f"{name}.md" for name in names]


def _ingest_at_once(url: str, *batches: list[Path]) -> list[tuple[int, str]]:
    runs = [subprocess.Popen([*INGEST, "--db", url, *map(str, files)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for files in batches]
    return [(run.wait(120), run.communicate()[1]) for run in runs]


def _stored(url: str) -> tuple[list[str], int]:
    """The stored documents' sources, and how many deliberations they hold."""
    with Store(url) as store, store.engine.connect() as conn:
        sources = sorted(conn.execute(select(schema.documents.c.source)).scalars())
        return sources, conn.execute(select(func.count()).select_from(schema.deliberations)).scalar_one()


@pytest.mark.parametrize("case", ["same files", "different files", "fresh store"])
def test_two_ingests_at_once_lose_nothing(new_store: Callable[[], str], tmp_path: Path, case: str) -> None:
    alone = new_store()
    assert _ingest_at_once(alone, *[_documents(tmp_path, ["seul"])]) == [(0, "")]
    per_document = _stored(alone)[1]
    for trial in range(TRIALS):
        url = new_store()
        files = _documents(tmp_path, [f"{name}-{trial}" for name in "abc"])
        if case != "fresh store":
            Store(url).close()
        runs = _ingest_at_once(url, files, files) if case == "same files" else _ingest_at_once(url, files[:2], files[2:])
        assert runs == [(0, ""), (0, "")], f"essai {trial}"
        assert _stored(url) == (sorted(p.name for p in files), 3 * per_document), f"essai {trial}"
