"""Hostile or unlucky requests: no publications folder, path traversal, out-of-range and NUL path
values, huge queries, acts stored from two documents, and the cost of showing a long annex."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from recueil import jobs
from recueil.store.database import Store
from recueil.web import create_app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
TRAVERSALS = ("/publications/%2e%2e/secret.txt", "/publications/..%2fsecret.txt", "/publications/%2e%2e%2fsecret.txt",
              "/publications/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/publications/../secret.txt",
              "/publications/2021/../../secret.txt", "/publications/%2e%2e/etc/passwd")


def site(db: str, publications: Path) -> TestClient:
    return TestClient(create_app(db, cache=False, publications=publications))


def french_404(response: Any) -> bool:
    return response.status_code == 404 and "Introuvable" in response.text and "secret" not in response.text


@pytest.fixture
def beside(tmp_path: Path) -> Path:
    """A secret file beside where the publications folder is (or is not)."""
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return tmp_path


def test_publications_served_from_their_folder_only(corpus_db: str, beside: Path) -> None:
    folder = beside / "publications"
    (folder / "2021").mkdir(parents=True)
    (folder / "2021" / "acte.txt").write_text("publié", encoding="utf-8")
    with site(corpus_db, folder) as client:
        assert client.get("/publications/2021/acte.txt").text == "publié"
        for url in TRAVERSALS:
            assert french_404(client.get(url)), url


def test_no_publications_folder_is_a_404(corpus_db: str, beside: Path) -> None:
    with site(corpus_db, beside / "publications") as client:
        for url in ("/publications/2021/2021-232.pdf", "/publications/", *TRAVERSALS):
            assert french_404(client.get(url)), url
        (beside / "publications").mkdir()
        (beside / "publications" / "acte.txt").write_text("publié", encoding="utf-8")
        assert client.get("/publications/acte.txt").text == "publié"  # published while the site runs


def test_publications_path_that_is_a_file_is_a_404(corpus_db: str, beside: Path) -> None:
    with site(corpus_db, beside / "secret.txt") as client:
        for url in ("/publications/", "/publications/.", "/publications/x.pdf", *TRAVERSALS):
            assert french_404(client.get(url)), url


@pytest.mark.parametrize(("seq", "reason"), [("99999999999999999999999", "trop grand"), ("10001", "trop grand"),
                                             ("0", "trop petit"), ("un", "nombre entier attendu")])
def test_annex_number_out_of_range_is_a_400(client: TestClient, seq: str, reason: str) -> None:
    response = client.get(f"/deliberations/2025-371/annexes/{seq}")
    assert response.status_code == 400
    assert f"paramètre invalide — seq : {reason}" in response.text


def test_annex_number_in_range_but_absent_is_a_404(client: TestClient) -> None:
    response = client.get("/deliberations/2025-371/annexes/10000")
    assert response.status_code == 404 and "aucune annexe n° 10000 à la délibération n° 2025-371" in response.text


@pytest.mark.parametrize("url", ["/deliberations/2025-361%00", "/deliberations/2025%00361/annexes/1",
                                 "/seances/cd-2025-09-22%00", "/conseillers/jean-claude-leroy%00", "/documents/%00x",
                                 "/api/deliberations/2025-361%00", "/api/sittings/cd%00", "/api/councillors/a%00b"])
def test_nul_in_a_path_is_a_404_without_reading_the_store(corpus_db: str, tmp_path: Path, url: str) -> None:
    with site(corpus_db, tmp_path) as client:
        statements: list[str] = []
        event.listen(client.app.state.store.engine, "before_cursor_execute",  # type: ignore[attr-defined]
                     lambda *args: statements.append(args[2]))
        response = client.get(url)
        assert response.status_code == 404
        if url.startswith("/api/"):
            assert response.json() == {"detail": "page introuvable"}
        else:
            assert "Introuvable" in response.text
        assert statements == []
        assert client.get(url.replace("%00", "")).status_code in (200, 404)
        assert statements  # the same URL without the NUL does read the store


@pytest.mark.parametrize("url", ["/recherche", "/api/search", "/feeds/search.atom"])
def test_query_longer_than_500_characters_is_a_400(client: TestClient, url: str) -> None:
    assert client.get(url, params={"q": "logement " + "a" * 491}).status_code == 200
    response = client.get(url, params={"q": "logement " + "a" * 492})
    assert response.status_code == 400
    assert "paramètre invalide — q : trop long" in response.text


@pytest.fixture(scope="module")
def twice_client(tmp_path_factory: pytest.TempPathFactory, corrected_raa: Path) -> Iterator[TestClient]:
    """The corpus and a corrected copy of its RAA: the acts of June 2021 stored from two documents."""
    url = f"sqlite:///{tmp_path_factory.mktemp('twice') / 'r.db'}"
    with Store(url) as store:
        outcomes = jobs.ingest(store, [CORPUS / "000_45492b4b56f19b50.txt", CORPUS / "003_e61d4ed207638a45.txt",
                                       corrected_raa], workers=1)
    assert [o.status for o in outcomes] == ["nouveau", "nouveau", "nouveau"]
    with TestClient(create_app(url, publications=tmp_path_factory.mktemp("none") / "publications")) as client:
        yield client


def test_acts_stored_from_two_documents_are_shown_once(twice_client: TestClient) -> None:
    sittings = [(s["id"], s["deliberations"]) for s in twice_client.get("/api/sittings").json()]
    assert sittings == [("cd-2025-09-22", 12), ("cp-2021-06-07", 21)]
    html = twice_client.get("/deliberations/2021-232").text
    assert html.count('href="/deliberations/2021-232/annexes/1"') == 1
    assert html.count('href="/deliberations/2021-232/annexes/2"') == 1
    assert 'href="/deliberations/2021-232/annexes/3"' not in html
    sitting = twice_client.get("/seances/cp-2021-06-07").text
    assert sitting.count('href="/deliberations/2021-232"') == 1


class CountingPublic:
    """The application's `public` filter, counting the texts it masks."""

    def __init__(self, public: Any) -> None:
        self.public = public
        self.calls = 0

    def __call__(self, text: str | None) -> str:
        self.calls += 1
        return self.public(text)  # type: ignore[no-any-return]


def test_long_annex_masked_once_per_store_version(corpus_db: str, tmp_path: Path) -> None:
    with site(corpus_db, tmp_path) as client:
        state = client.app.state  # type: ignore[attr-defined]
        counting = CountingPublic(state.public)
        state.annex_texts.public = counting
        first = client.get("/deliberations/2025-371/annexes/1")
        assert first.status_code == 200 and len(first.content) > 512 * 1024  # beyond the response cache
        assert counting.calls == 1
        assert client.get("/deliberations/2025-371/annexes/1").text == first.text
        assert counting.calls == 1
        client.get("/deliberations/2021-232/annexes/1")
        assert counting.calls == 2
        state.browser._version = ("autre version",)  # what browser.version() says once a document is stored
        state.browser._checked = float("inf")
        assert client.get("/deliberations/2025-371/annexes/1").text == first.text
        assert counting.calls == 3


def test_nul_in_a_path_is_a_404_on_postgresql(postgres: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses a NUL in a string (a 500 if it got there): the guard answers first."""
    with site(postgres.url(), tmp_path) as client:
        assert client.get("/deliberations/2025-361").status_code == 404
        for url in ("/deliberations/2025-361%00", "/api/sittings/cd%00", "/seances/%00"):
            assert client.get(url).status_code == 404, url
