"""E-mail alerts end to end, through a real SMTP server (aiosmtpd) and both databases: sign-up on
the site, confirmation mail, confirmation, new acts stored, `recueil alertes envoyer`, the mail
read back, a second run, unsubscription; and what the sign-up refuses."""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from recueil import jobs
from recueil.cli import app as cli
from recueil.store import schema
from recueil.store.database import Store
from recueil.web import create_app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RAA_2021 = CORPUS / "000_45492b4b56f19b50.txt"
SEANCE_2025 = CORPUS / "003_e61d4ed207638a45.txt"
ORIGIN = {"origin": "http://testserver"}
_spec = importlib.util.spec_from_file_location("recueil_tests_mailbox", Path(__file__).parents[1] / "mailbox.py")
assert _spec and _spec.loader
mailbox = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mailbox)


@pytest.fixture
def smtp() -> Iterator[mailbox.Mailbox]:
    with mailbox.smtp_server() as box:
        yield box


@pytest.fixture(params=("sqlite", "postgresql"))
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store holding the RAA of 2021 only, on each database."""
    for path in (RAA_2021, SEANCE_2025):
        if not path.exists():
            pytest.skip(f"corpus absent: {path}")
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres").url()
    with Store(url) as store:
        assert [o.status for o in jobs.ingest(store, [RAA_2021], workers=1)] == ["nouveau"]
    return url


@pytest.fixture
def site(store_url: str, smtp: mailbox.Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RECUEIL_CONFIG", str(smtp.config(tmp_path)))
    with TestClient(create_app(store_url, publications=tmp_path / "publications")) as client:
        yield client


def send(store_url: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["alertes", "envoyer", "--db", store_url])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def subscriptions(store_url: str) -> list[tuple[str, str | None]]:
    with Store(store_url) as store, store.engine.connect() as conn:
        s = schema.alert_subscriptions
        return [(r.email, r.confirmed_at) for r in conn.execute(select(s.c.email, s.c.confirmed_at).order_by(s.c.id))]


def test_sign_up_confirm_receive_the_new_acts_once_and_unsubscribe(site, smtp, store_url, tmp_path):
    page = site.get("/recherche", params={"q": "logement", "type": "deliberation"})
    assert 'action="/alertes"' in page.text and 'name="courriel"' in page.text
    asked = site.post("/alertes", data={"courriel": "Lecteur@Exemple.FR", "q": "logement", "type": "deliberation"},
                      headers=ORIGIN)
    assert asked.status_code == 200, asked.text
    assert "un courriel\nde confirmation vient de lui être envoyé" in asked.text
    [mail] = smtp.wait(1)
    assert smtp.recipients == [["Lecteur@exemple.fr"]]
    assert mail["Subject"] == "Confirmez votre alerte : « logement » · délibérations"
    assert mail["From"] == "Recueil des actes <alertes@actes.example.org>"
    confirm_link = mailbox.link(mail, "/alertes/confirmation")
    assert mail["List-Unsubscribe"] == f"<https://actes.example.org{mailbox.link(mail, '/alertes/desabonnement')}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert confirm_link in mailbox.html_of(mail).replace("&amp;", "&")
    assert subscriptions(store_url) == [("Lecteur@exemple.fr", None)]

    assert send(store_url) == (0, "0 alerte confirmée : 0 courriel envoyé.\n", "")  # not confirmed: nothing

    shown = site.get(confirm_link)  # a link scanner opening it confirms nothing
    assert shown.status_code == 200 and "Confirmer l'alerte</button>" in shown.text
    assert shown.headers["cache-control"] == "no-store" and shown.headers["referrer-policy"] == "no-referrer"
    assert subscriptions(store_url)[0][1] is None
    done = site.post(confirm_link, headers=ORIGIN)
    assert done.status_code == 200 and "Alerte confirmée pour la recherche <strong>« logement » · délibérations" in done.text
    assert subscriptions(store_url)[0][1] is not None

    time.sleep(1.1)  # the store's instants are to the second: the séance is stored after the confirmation
    with Store(store_url) as store:
        assert [o.status for o in jobs.ingest(store, [SEANCE_2025], workers=1)] == ["nouveau"]
    assert send(store_url) == (0, "1 alerte confirmée : 1 courriel envoyé (4 résultats).\n", "")
    alert = smtp.wait(2)[1]
    assert smtp.recipients[1] == ["Lecteur@exemple.fr"]
    assert alert["Subject"] == "4 nouveaux résultats : « logement » · délibérations"
    text = mailbox.text_of(alert)
    # the deliberations of the séance that hold "logement", newest first; not 2021-252, stored before
    assert re.findall(r"^- (.+?) :", text, re.M) == [
        "Délibération n° 2025-368 du 22 septembre 2025", "Délibération n° 2025-365 du 22 septembre 2025",
        "Délibération n° 2025-364 du 22 septembre 2025", "Délibération n° 2025-363 du 22 septembre 2025"]
    assert "https://actes.example.org/deliberations/2025-368\n" in text
    assert "https://actes.example.org/recherche?q=logement&type=deliberation" in text
    unsubscribe = mailbox.link(alert, "/alertes/desabonnement")
    assert alert["List-Unsubscribe"] == f"<https://actes.example.org{unsubscribe}>"
    assert unsubscribe in text and unsubscribe.replace("&", "&amp;") in mailbox.html_of(alert)
    with Store(store_url) as store:  # the same acts as the site's search over the séance's day
        found = store.search.search("logement", "deliberation", "2025-09-22", "2025-09-22", limit=50)
        assert sorted(h.number for h in found.results) == ["2025-363", "2025-364", "2025-365", "2025-368"]

    assert send(store_url) == (0, "1 alerte confirmée : 0 courriel envoyé.\n", "")  # again: nothing new
    copy = tmp_path / "seance_corrigee.txt"  # a corrected copy of the séance: the same acts, already sent
    copy.write_text(SEANCE_2025.read_text(encoding="utf-8") + "\n(copie corrigée)\n", encoding="utf-8")
    time.sleep(1.1)
    with Store(store_url) as store:
        assert [o.status for o in jobs.ingest(store, [copy], workers=1)] == ["nouveau"]
    assert send(store_url) == (0, "1 alerte confirmée : 0 courriel envoyé.\n", "")
    assert len(smtp.messages) == 2

    # one click from the mail reader (RFC 8058): no origin, the token is the proof
    left = site.post(unsubscribe, content=b"List-Unsubscribe=One-Click",
                     headers={"content-type": "application/x-www-form-urlencoded"})
    assert left.status_code == 200 and "l'alerte et votre adresse ont été effacées" in left.text
    assert subscriptions(store_url) == []
    with Store(store_url) as store, store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.alert_sent)).scalar_one() == 0
    assert site.post(unsubscribe).status_code == 404
    assert send(store_url) == (0, "0 alerte confirmée : 0 courriel envoyé.\n", "")
