"""The site over the real corpus (ingested once per session), over a crafted hostile document, and
live (`recueil serve` on a free port) for a real browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from recueil import jobs
from recueil.store.database import Store
from recueil.web import create_app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
_store_spec = importlib.util.spec_from_file_location("recueil_tests_store_conftest",
                                                     Path(__file__).parents[1] / "store" / "conftest.py")
assert _store_spec and _store_spec.loader
_store_conftest = importlib.util.module_from_spec(_store_spec)
_store_spec.loader.exec_module(_store_conftest)
postgres = _store_conftest.postgres  # the throwaway PostgreSQL server of tests/store, for the site on it
HOSTILE_TITLE = '<script>alert("titre")</script> SUBVENTION À L\'ASSOCIATION <b>X</b>'
HOSTILE_TEXT = "<img src=x onerror=alert(1)> & </section>"


@pytest.fixture(scope="session")
def client(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The site over the corpus, nothing published yet."""
    with TestClient(create_app(corpus_db, publications=tmp_path_factory.mktemp("unpublished"))) as test_client:
        yield test_client


def hostile_copy(seance: Path, out: Path) -> Path:
    """Deliberation 2025-361 of the real séance record, re-dated and renumbered 2025-900, with
    markup in its title and text, and a visa citing the real 2025-361."""
    lines = seance.read_text(encoding="utf-8").splitlines()[2509:2638]
    text = "\n".join(lines)
    replacements = [
        ("REUNION DU 22 SEPTEMBRE 2025", "REUNION DU 13 OCTOBRE 2025"),
        ("BUDGET SUPPLÉMENTAIRE DE L'EXERCICE 2025 - AFFECTATION DU RÉSULTAT", HOSTILE_TITLE),
        ("(N°2025-361)", "(N°2025-900)"),
        ("Vu le rapport du Président du Conseil départemental, ci-annexé ;",
         "Vu la délibération n°2025-361 du Conseil départemental en date du 22/09/2025 ;\n\n"
         "Vu le rapport du Président du Conseil départemental, ci-annexé ;"),
        ("D'affecter le résultat cumulé", f"{HOSTILE_TEXT} D'affecter le résultat cumulé"),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    out.write_text(text + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real séance record and the hostile copy of one of its deliberations."""
    seance = CORPUS / "003_e61d4ed207638a45.txt"
    if not seance.exists():
        pytest.skip(f"corpus absent: {seance}")
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'r.db'}"
    with Store(url) as store:
        outcomes = jobs.ingest(store, [seance, hostile_copy(seance, folder / "hostile.txt")], workers=1)
    assert [o.status for o in outcomes] == ["nouveau", "nouveau"]
    with TestClient(create_app(url)) as test_client:
        yield test_client


# --- A live site and a real browser (tests/web/test_browser.py) ---------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# The machine's closed network refuses Chromium's background connections: turn them off.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_spec = importlib.util.spec_from_file_location("recueil_tests_serving", Path(__file__).parents[1] / "serving.py")
assert _spec and _spec.loader
serving = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serving)


@pytest.fixture(scope="session")
def live_site(corpus_db: str) -> Iterator[str]:
    """The address of `recueil serve` over the corpus store, on a free port, for the session."""
    with serving.serving(corpus_db, "--workers", "1") as served:
        yield served.url
        served.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless; skipped only where it cannot be installed (not root)."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0:
            pytest.skip(f"chromium absent ({CHROMIUM}), sans droits root pour l'installer (make chromium)")
        pytest.fail(f"chromium absent ({CHROMIUM}) : lancez « make chromium » (make test le fait)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_site: str) -> Iterator[Page]:
    """A desktop-sized page of a fresh browser context on the live site, in French."""
    context = browser.new_context(base_url=live_site, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
