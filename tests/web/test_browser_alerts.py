"""The e-mail alert in a real browser (Debian's chromium, driven by Playwright) over `recueil serve`
configured to send through a real SMTP server (aiosmtpd): the sign-up form of the search page,
then the confirmation and the unsubscription pages opened from the mails, each a button that
POSTs (Chromium's own Origin header passes the site's same-origin check)."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from recueil.store import schema
from recueil.store.database import Store, sqlite_file

TESTS = Path(__file__).parents[1]


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"recueil_tests_{name}", TESTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mailbox = _load("mailbox")
serving = _load("serving")


@pytest.fixture(scope="module")
def smtp() -> Iterator[Any]:
    with mailbox.smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def alert_store(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the corpus store (the shared one stays read-only)."""
    target = tmp_path_factory.mktemp("alert-site") / "copy.db"
    source_file = sqlite_file(corpus_db)
    assert source_file
    with sqlite3.connect(source_file) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def alert_site(alert_store: str, smtp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`recueil serve` over the copy, its [alertes] sending through the test's SMTP server."""
    config = smtp.config(tmp_path_factory.mktemp("alert-config"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RECUEIL_CONFIG", str(config))
        with serving.serving(alert_store, "--workers", "1") as served:
            yield served.url
            served.stop()


@pytest.fixture
def alert_page(browser: Browser, alert_site: str) -> Iterator[Page]:
    context = browser.new_context(base_url=alert_site, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def subscribed(store_url: str) -> list[tuple[str, bool]]:
    with Store(store_url) as store, store.engine.connect() as conn:
        s = schema.alert_subscriptions
        return [(r.email, r.confirmed_at is not None)
                for r in conn.execute(select(s.c.email, s.c.confirmed_at).order_by(s.c.id))]


def test_sign_up_on_the_search_page_confirm_then_unsubscribe(alert_page: Page, smtp: Any, alert_store: str) -> None:
    page = alert_page
    page.goto("/recherche?q=logement&type=deliberation")
    form = page.locator("section.alert-signup form")
    expect(form.get_by_role("heading")).to_have_count(0)
    expect(page.get_by_role("heading", name="Recevoir les nouveaux résultats par courriel")).to_be_visible()
    address = page.get_by_label("Votre adresse de courriel")
    address.fill("pas une adresse")
    page.get_by_role("button", name="M'alerter").click()
    assert page.url.endswith("/recherche?q=logement&type=deliberation")  # the browser checks the field first
    assert address.evaluate("field => field.validity.valid") is False
    address.fill("lectrice@exemple.fr")
    page.get_by_role("button", name="M'alerter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerte par courriel")
    expect(page.get_by_role("status")).to_contain_text("Demande enregistrée pour la recherche « logement » · délibérations")
    [mail] = smtp.wait(1)
    assert smtp.recipients == [["lectrice@exemple.fr"]]
    assert subscribed(alert_store) == [("lectrice@exemple.fr", False)]

    page.goto(mailbox.link(mail, "/alertes/confirmation"))
    assert subscribed(alert_store) == [("lectrice@exemple.fr", False)]  # opening the link confirms nothing
    page.get_by_role("button", name="Confirmer l'alerte").click()
    expect(page.get_by_role("status")).to_contain_text("Alerte confirmée pour la recherche « logement » · délibérations")
    assert subscribed(alert_store) == [("lectrice@exemple.fr", True)]

    page.get_by_role("link", name="Se désabonner").click()
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_role("status")).to_have_text("Vous êtes désabonné : l'alerte et votre adresse ont été effacées.")
    assert subscribed(alert_store) == []
