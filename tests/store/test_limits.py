"""Strings longer than any real one (a 20,000-character name, speaker, word) are stored on both
backends: PostgreSQL refuses an index entry over a third of a page, so indexed columns keep a
bounded prefix, while the record itself (its JSON) keeps every character."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.store import schema
from recueil.store.database import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seance-exemple.md"
HUGE = "".join(random.Random(0).choices("abcdefghijklmnopqrstuvwxyzéèêàç", k=20_000)) + " VASSEUR"  # incompressible


def test_a_huge_name_and_word_are_stored_whole_in_the_record(store_url: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("Hélène VASSEUR", HUGE)
    publication = parse(read_bytes("enorme.md", text.encode()))
    assert any(HUGE in s.present for s in publication.sittings)
    with Store(store_url) as store:
        assert store.save(publication).status == "nouveau"
        with store.engine.connect() as conn:
            names = conn.execute(select(schema.attendance.c.name)).scalars().all()
            sittings = conn.execute(select(schema.sittings.c.data)).scalars().all()
        assert HUGE[:schema.INDEXED_CHARS] in names and max(map(len, names)) == schema.INDEXED_CHARS
        assert any(HUGE in data["present"] for data in sittings)
        assert [h.number for h in store.search.search(HUGE[:40]).results] == []  # no such word, no error


def test_a_huge_group_name_is_a_filter_value_on_both_backends(store_url: str) -> None:
    rnd = random.Random(1)
    huge = " ".join("".join(rnd.choices("bcdfghjklmnpqrstvz", k=8)) for _ in range(2500))  # 22,499 characters
    text = EXAMPLE.read_text(encoding="utf-8").replace("Écologie et Solidarités", huge)
    with Store(store_url) as store:
        assert store.save(parse(read_bytes("groupe.md", text.encode()))).status == "nouveau"
        found = store.search.search("", filters={"group": huge})
        assert (found.total, [count for _, count in found.facets["group"]]) == (3, [3])
