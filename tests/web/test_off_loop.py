"""Searches run off the event loop (web/app.py `OffLoop`): a slow search does not hold the other
requests of its process, and what it raises is answered as on the loop."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from recueil.store.browse import Browser
from recueil.web import create_app

SLOW = 2.0  # seconds a search is made to take


def test_a_slow_search_does_not_hold_the_pages(corpus_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usual = Browser.search

    def slow(self: Browser, *args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW)  # as a costly search holds its thread (the GIL is not the point here)
        return usual(self, *args, **kwargs)

    monkeypatch.setattr(Browser, "search", slow)
    with TestClient(create_app(corpus_db, publications=tmp_path)) as site:
        assert site.get("/deliberations/2025-361").status_code == 200  # kept in the cache of whole answers
        answers: dict[str, int] = {}
        searches = [threading.Thread(target=lambda url=url: answers.update({url: site.get(url).status_code}))
                    for url in ("/api/search?q=voirie", "/recherche?q=voirie", "/feeds/search.atom?q=voirie")]
        for search in searches:
            search.start()
        time.sleep(0.2)  # the searches are under way
        started = time.perf_counter()
        page = site.get("/deliberations/2025-361")
        waited = time.perf_counter() - started
        for search in searches:
            search.join()
    assert page.status_code == 200 and waited < SLOW * 0.75, waited  # on the loop: 3 × SLOW less 0.2 s
    assert set(answers.values()) == {200}


def test_errors_of_a_search_are_answered_as_on_the_loop(corpus_db: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(corpus_db, publications=tmp_path), raise_server_exceptions=False) as site:
        refused = site.get("/api/search", params={"q": "(voirie"})
        assert refused.status_code == 400 and refused.json() == {"detail": "parenthèse non fermée"}

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("panne")

        monkeypatch.setattr(Browser, "search", broken)
        crashed = site.get("/api/search", params={"q": "voirie"})
        assert crashed.status_code == 500 and crashed.headers["x-content-type-options"] == "nosniff"
        assert crashed.json() == {"detail": "erreur interne : la page n'a pas pu être construite"}
