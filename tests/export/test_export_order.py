"""Exports are byte-identical whatever order the documents were stored in (parallel ingest stores
them as they finish): records come by document, then in their document's order."""

from __future__ import annotations

import io
from pathlib import Path

from recueil import jobs
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.store.database import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seance-exemple.md"


def _exports(url: str, names: list[str]) -> tuple[str, str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    with Store(url) as store:
        for name in names:
            store.save(parse(read_bytes(f"{name}.md", f"{text}\n{name}\n".encode())))
        jsonl, scdl = io.StringIO(), io.StringIO()
        jobs.export(store, "jsonl", jsonl)
        jobs.export(store, "scdl", scdl)
    return jsonl.getvalue(), scdl.getvalue()


def test_the_order_of_storing_does_not_change_the_exports(tmp_path: Path) -> None:
    first = _exports(f"sqlite:///{tmp_path / 'a.db'}", ["mars", "avril", "mai"])
    second = _exports(f"sqlite:///{tmp_path / 'b.db'}", ["mai", "mars", "avril"])
    assert first == second and first[0].count("\n") > 3 * 10
