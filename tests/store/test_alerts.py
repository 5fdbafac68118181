"""What an alert finds among new entries is what the search finds (`IndexedSearch.among`), on both
databases, for every shape of query: words, phrase, OR, exclusion, prefix, act number, type,
filters, dates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from recueil import jobs
from recueil.store import schema
from recueil.store.database import Store
from recueil.store.query import QueryError

SEARCHES = [
    ("logement", None, None, None, None),
    ("logement", "deliberation", None, None, None),
    ('"fonds de solidarité"', None, None, None, None),
    ("collège OU routes", None, None, None, None),
    ("logement -habitat", None, None, None, None),
    ("solida*", None, None, None, None),
    ("2025-361", None, None, None, None),
    ("2021-232", "deliberation", None, None, None),
    ("", "deliberation", None, None, {"vote": "unanimous"}),
    ("subvention", None, "2021-06-07", "2021-06-07", None),
    ("département", "report", None, "2022-12-31", {"body": "cp"}),
]


@pytest.fixture
def corpus_store(store_url: str, corpus_files) -> Store:
    with Store(store_url) as store:
        assert [o.status for o in jobs.ingest(store, list(corpus_files), workers=1)] == ["nouveau", "nouveau"]
        yield store


def test_among_every_entry_is_what_the_search_finds(corpus_store: Store):
    assert corpus_store.search is not None
    with corpus_store.engine.connect() as conn:
        ids = list(conn.execute(select(schema.search_entries.c.id)).scalars())
    assert len(ids) > 300
    sizes = []
    for query, type, date_from, date_to, filters in SEARCHES:
        found = corpus_store.search.search(query, type, date_from, date_to, limit=1000, filters=filters)
        assert found.total == len(found.results)
        among = corpus_store.search.among(ids, query, type, date_from, date_to, filters)
        assert sorted((h.type, h.id) for h in among) == sorted((h.type, h.id) for h in found.results), query
        assert [h.date for h in among] == sorted((h.date for h in among), reverse=True)  # newest first
        sizes.append(len(among))
    assert all(sizes) and len(set(sizes)) > 5  # every search finds something, and not the same


def test_among_keeps_only_the_given_entries(corpus_store: Store):
    assert corpus_store.search is not None
    e = schema.search_entries
    with corpus_store.engine.connect() as conn:
        seance = list(conn.execute(select(e.c.id).where(e.c.date == "2025-09-22")).scalars())
    hits = corpus_store.search.among(seance, "logement", "deliberation")
    assert [h.number for h in hits] == ["2025-368", "2025-365", "2025-364", "2025-363"]
    assert corpus_store.search.among([], "logement") == []
    with pytest.raises(QueryError, match="commune inconnue : atlantide"):
        corpus_store.search.among(seance, "logement", filters={"commune": "atlantide"})
