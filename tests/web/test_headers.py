"""What every answer says whoever asks: addresses from the configuration, never from the Host
header (a feed's ids are permanent), and `X-Content-Type-Options: nosniff` on each answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recueil.store.browse import Browser
from recueil.web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://actes.exemple.fr"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def configured(corpus_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The site over the corpus with its address configured (and a final slash, left out)."""
    settings = tmp_path / "recueil.toml"
    settings.write_text(f'[collectivite]\nsite = "{SITE}/"\n', encoding="utf-8")
    monkeypatch.setenv("RECUEIL_CONFIG", str(settings))
    return TestClient(create_app(corpus_db, publications=tmp_path / "publications"))


@pytest.mark.parametrize("url", ["/feeds/deliberations.atom", "/feeds/search.atom?q=logement&type=deliberation",
                                 "/feeds/search.atom?commune=Etaples"])
def test_feeds_take_their_addresses_from_the_configuration(configured: TestClient, url: str) -> None:
    response = configured.get(url, headers=EVIL)
    assert response.status_code == 200 and "evil.example" not in response.text
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}id") == SITE + url
    assert feed.find(f"{ATOM}link[@rel='self']").attrib["href"] == feed.findtext(f"{ATOM}id")
    assert feed.find(f"{ATOM}link[@rel='alternate']").attrib["href"].startswith(SITE + "/")
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith(f"{SITE}/")
        assert entry.find(f"{ATOM}link").attrib["href"] == entry.findtext(f"{ATOM}id")


def test_the_same_feed_whatever_the_host(configured: TestClient) -> None:
    """The ids of an entry do not change with the address the site was reached by."""
    plain = configured.get("/feeds/deliberations.atom").text
    assert configured.get("/feeds/deliberations.atom", headers={"Host": "127.0.0.1:8000"}).text == plain
    assert configured.get("/feeds/deliberations.atom", headers=EVIL).text == plain


def test_the_calendar_takes_its_addresses_from_the_configuration(configured: TestClient) -> None:
    response = configured.get("/feeds/road-orders.ics", headers=EVIL)
    assert response.status_code == 200 and "evil.example" not in response.text
    urls = [line for line in response.text.split("\r\n") if line.startswith("URL:")]
    assert urls and all(line.startswith(f"URL:{SITE}/documents/") for line in urls)


ANSWERS = [  # (method, url, status): pages, API, twins, feeds, static, published files, errors
    ("GET", "/", 200), ("GET", "/deliberations/2025-361", 200), ("GET", "/api/search?q=logement", 200),
    ("GET", "/recherche.csv?q=logement", 200), ("GET", "/recherche.json?q=logement", 200),
    ("GET", "/api/deliberations/2025-361", 200), ("GET", "/feeds/deliberations.atom", 200),
    ("GET", "/feeds/road-orders.ics", 200), ("GET", "/static/site.css", 200), ("HEAD", "/deliberations/2025-361", 200),
    ("GET", "/api/search?q=(logement", 400), ("GET", "/api/search?limit=x", 400), ("GET", "/recherche?q=(", 400),
    ("GET", "/deliberations/1999-1", 404), ("GET", "/api/nulle-part", 404), ("GET", "/publications/x.pdf", 404),
    ("POST", "/api/search", 405),
]


@pytest.mark.parametrize(("method", "url", "status"), ANSWERS)
def test_every_answer_says_nosniff(client: TestClient, method: str, url: str, status: int) -> None:
    for _ in range(2):  # computed, then (for a 200) from the cache of whole answers
        response = client.request(method, url)
        assert response.status_code == status
        assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_a_crash_says_nosniff_too(corpus_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne")

    monkeypatch.setattr(Browser, "deliberation", broken)
    monkeypatch.setattr(Browser, "deliberation_record", broken)
    with TestClient(create_app(corpus_db, publications=tmp_path), raise_server_exceptions=False) as site:
        for url in ("/deliberations/2025-361", "/api/deliberations/2025-361"):
            response = site.get(url)
            assert response.status_code == 500
            assert response.headers.get_list("x-content-type-options") == ["nosniff"]
