"""E-mail alerts end to end, through a real SMTP server (aiosmtpd) and both databases: sign-up on
the site, confirmation mail, confirmation, new acts stored, `recueil alertes envoyer`, the mail
read back, a second run, unsubscription; and what the sign-up refuses."""

from __future__ import annotations

import html
import importlib.util
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

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
    time.sleep(1.1)  # the store's instants are to the second: an alert confirmed now comes after the RAA
    return url


@pytest.fixture
def site(store_url: str, smtp: mailbox.Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RECUEIL_CONFIG", str(smtp.config(tmp_path)))
    with TestClient(create_app(store_url, publications=tmp_path / "publications")) as client:
        yield client


def shown(response: httpx.Response) -> str:
    """A page's text as read (entities decoded)."""
    return html.unescape(response.text)


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

    opened = site.get(confirm_link)  # a link scanner opening it confirms nothing
    assert opened.status_code == 200 and "Confirmer l'alerte</button>" in shown(opened)
    assert opened.headers["cache-control"] == "no-store" and opened.headers["referrer-policy"] == "same-origin"
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
    assert left.status_code == 200 and "l'alerte et votre adresse ont été effacées" in shown(left)
    assert subscriptions(store_url) == []
    with Store(store_url) as store, store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.alert_sent)).scalar_one() == 0
    assert site.post(unsubscribe).status_code == 404
    assert send(store_url) == (0, "0 alerte confirmée : 0 courriel envoyé.\n", "")


# --- What the sign-up refuses, and what it never tells ------------------------------------------

@pytest.fixture(scope="module")
def seance_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the séance of 2025, ingested once; each test works on a copy."""
    if not SEANCE_2025.exists():
        pytest.skip(f"corpus absent: {SEANCE_2025}")
    path = tmp_path_factory.mktemp("alerts") / "seance.db"
    with Store(f"sqlite:///{path}") as store:
        jobs.ingest(store, [SEANCE_2025], workers=1)
    time.sleep(1.1)  # the store's instants are to the second: an alert confirmed now comes after the séance
    return path


@pytest.fixture
def copy_url(seance_store: Path, tmp_path: Path) -> str:
    target = tmp_path / "copy.db"
    with sqlite3.connect(seance_store) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture
def alert_site(copy_url: str, smtp: mailbox.Mailbox, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RECUEIL_CONFIG", str(smtp.config(tmp_path)))
    with TestClient(create_app(copy_url, publications=tmp_path / "publications")) as client:
        yield client


def sign_up(client: TestClient, email: str = "lecteur@exemple.fr", headers: dict[str, str] | None = None,
            **search: str) -> httpx.Response:
    return client.post("/alertes", data={"courriel": email, **(search or {"q": "collège"})},
                       headers=ORIGIN if headers is None else headers)


@pytest.mark.parametrize("headers", [
    {},  # no Origin, no Referer: not a form of this site
    {"origin": "https://attaquant.example"},
    {"referer": "https://attaquant.example/page"},
    {"origin": "null"},
    {"origin": "http://testserver", "sec-fetch-site": "cross-site"},
])
def test_a_sign_up_or_a_confirmation_from_another_site_is_refused(alert_site, smtp, copy_url, headers):
    refused = sign_up(alert_site, headers=headers)
    assert refused.status_code == 403
    assert "demande refusée : elle doit venir d'un formulaire de ce site" in shown(refused)
    assert subscriptions(copy_url) == [] and smtp.messages == []
    assert sign_up(alert_site, headers={"referer": "http://testserver/recherche?q=coll%C3%A8ge"}).status_code == 200
    [mail] = smtp.wait(1)
    confirm = alert_site.post(mailbox.link(mail, "/alertes/confirmation"), headers=headers)
    assert confirm.status_code == 403 and subscriptions(copy_url)[0][1] is None


def test_the_answer_is_the_same_whoever_is_subscribed_and_an_address_gets_three_mails_a_day(alert_site, smtp,
                                                                                             copy_url):
    answers = [sign_up(alert_site, "voisin@exemple.fr") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert len({a.text for a in answers}) == 1  # already subscribed or not, limited or not: the same page
    assert smtp.recipients == [["voisin@exemple.fr"]] * 3  # the 4th and 5th sent nothing (each was sent in its request)
    assert len(subscriptions(copy_url)) == 3


def test_one_client_signs_up_ten_times_an_hour_at_most(alert_site, smtp):
    assert [sign_up(alert_site, f"personne{n}@exemple.fr").status_code for n in range(10)] == [200] * 10
    refused = sign_up(alert_site, "onzieme@exemple.fr")
    assert refused.status_code == 429
    assert "trop d'inscriptions depuis votre connexion : réessayez dans une heure" in shown(refused)
    assert len(smtp.wait(10)) == 10


@pytest.mark.parametrize("form, message", [
    ({"courriel": "pas-une-adresse", "q": "collège"}, "adresse de courriel invalide"),
    ({"courriel": "a@b.fr\r\nBcc: autre@exemple.fr", "q": "collège"}, "adresse de courriel invalide"),
    ({"courriel": "Nom <a@exemple.fr>", "q": "collège"}, "adresse de courriel invalide"),
    ({"courriel": "lecteur@exemple.fr"}, "recherche vide"),
    ({"courriel": "lecteur@exemple.fr", "q": "collège", "from": "2025-02-30"}, "date de début invalide"),
    ({"courriel": "lecteur@exemple.fr", "q": "collège", "commune": "atlantide"}, "commune inconnue : atlantide"),
    ({"courriel": "lecteur@exemple.fr", "q": "con*"}, "préfixe trop large"),
])
def test_bad_sign_ups_are_refused_in_one_french_line(alert_site, smtp, copy_url, form, message):
    refused = alert_site.post("/alertes", data=form, headers=ORIGIN)
    assert refused.status_code == 400 and message in shown(refused)
    assert subscriptions(copy_url) == [] and smtp.messages == []


def test_the_mails_escape_the_search_and_never_break_a_header(alert_site, smtp):
    hostile = '<script>alert("x")</script>\r\nBcc: autre@exemple.fr collège'
    assert sign_up(alert_site, q=hostile).status_code == 200
    [mail] = smtp.wait(1)
    assert smtp.recipients == [["lecteur@exemple.fr"]]
    assert mail["Bcc"] is None
    assert mail["Subject"] == ('Confirmez votre alerte : « <script>alert("x")</script> Bcc: autre@exemple.fr '
                               'collège »')
    page = mailbox.html_of(mail)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_unknown_or_malformed_tokens_change_nothing(alert_site):
    for token in ("", "court", "x" * 43, "../../etc/passwd" * 3):
        assert alert_site.post("/alertes/confirmation", params={"jeton": token}, headers=ORIGIN).status_code == 404
        assert alert_site.post("/alertes/desabonnement", params={"jeton": token}).status_code == 404


def test_addresses_are_in_no_page_nor_export(alert_site, smtp, copy_url):
    assert sign_up(alert_site, "secret.lecteur@exemple.fr").status_code == 200
    [mail] = smtp.wait(1)
    confirmed = alert_site.post(mailbox.link(mail, "/alertes/confirmation"), headers=ORIGIN)
    assert "secret.lecteur" not in confirmed.text
    for url in ("/", "/recherche?q=coll%C3%A8ge", "/donnees/recueil.jsonl", "/donnees/deliberations.csv",
                "/donnees.json", "/api/search?q=coll%C3%A8ge"):
        answer = alert_site.get(url)
        assert answer.status_code == 200 and "secret.lecteur" not in answer.text, url
    result = CliRunner().invoke(cli, ["export", "--db", copy_url])
    assert result.exit_code == 0 and "secret.lecteur" not in result.stdout and "@exemple.fr" not in result.stdout


def test_an_unconfirmed_sign_up_is_deleted_after_seven_days(alert_site, smtp, copy_url):
    assert sign_up(alert_site).status_code == 200
    [mail] = smtp.wait(1)
    with Store(copy_url) as store, store.writing() as conn:
        conn.execute(schema.alert_subscriptions.update().values(created_at="2020-01-01T00:00:00+00:00"))
    assert alert_site.post(mailbox.link(mail, "/alertes/confirmation"), headers=ORIGIN).status_code == 404
    assert send(copy_url)[1] == "0 alerte confirmée : 0 courriel envoyé.\n"
    assert subscriptions(copy_url) == []


def test_without_an_alertes_section_the_site_offers_no_alert(copy_url, tmp_path, monkeypatch):
    monkeypatch.setenv("RECUEIL_CONFIG", str(tmp_path / "recueil.toml"))
    (tmp_path / "recueil.toml").write_text('[collectivite]\nnom = "Ici"\n', encoding="utf-8")
    with TestClient(create_app(copy_url, publications=tmp_path / "publications")) as client:
        assert 'action="/alertes"' not in client.get("/recherche", params={"q": "collège"}).text
        assert sign_up(client).status_code == 404
        assert client.get("/alertes/confirmation", params={"jeton": "x" * 43}).status_code == 404
    result = CliRunner().invoke(cli, ["alertes", "envoyer", "--db", copy_url])
    assert result.exit_code == 2
    assert result.stderr == ("Erreur : alertes par courriel non configurées : ajoutez une section [alertes] à "
                             "recueil.toml (serveur, expediteur, site)\n")


def test_an_smtp_server_that_cannot_be_reached_is_one_french_line(copy_url, tmp_path, monkeypatch):
    port = mailbox.free_port()  # nothing listens there
    box = mailbox.Mailbox()
    box.port = port
    monkeypatch.setenv("RECUEIL_CONFIG", str(box.config(tmp_path)))
    with TestClient(create_app(copy_url, publications=tmp_path / "publications")) as client:
        failed = sign_up(client)
    assert failed.status_code == 503 and "rien n'a été enregistré" in shown(failed)
    assert subscriptions(copy_url) == []


def test_the_same_search_confirmed_twice_is_one_alert(alert_site, smtp, copy_url):
    for _ in range(2):
        assert sign_up(alert_site, q="collège", type="deliberation").status_code == 200
    assert sign_up(alert_site, q="collège").status_code == 200  # another search of the same address
    first, second, other = smtp.wait(3)
    for mail in (first, second, other):
        assert alert_site.post(mailbox.link(mail, "/alertes/confirmation"), headers=ORIGIN).status_code == 200
    assert [confirmed is not None for _, confirmed in subscriptions(copy_url)] == [True, True], subscriptions(copy_url)
    assert alert_site.post(mailbox.link(first, "/alertes/desabonnement")).status_code == 404  # replaced
    assert alert_site.post(mailbox.link(second, "/alertes/desabonnement")).status_code == 200
    assert alert_site.post(mailbox.link(other, "/alertes/desabonnement")).status_code == 200
    assert subscriptions(copy_url) == []


def test_a_run_that_cannot_reach_the_server_loses_nothing(alert_site, smtp, copy_url, tmp_path, monkeypatch):
    assert sign_up(alert_site, q="logement", type="deliberation").status_code == 200
    [mail] = smtp.wait(1)
    assert alert_site.post(mailbox.link(mail, "/alertes/confirmation"), headers=ORIGIN).status_code == 200
    time.sleep(1.1)
    with Store(copy_url) as store:
        assert [o.status for o in jobs.ingest(store, [RAA_2021], workers=1)] == ["nouveau"]
    down = mailbox.Mailbox()
    down.port = mailbox.free_port()  # nothing listens there
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.setenv("RECUEIL_CONFIG", str(down.config(elsewhere)))
    code, out, err = send(copy_url)
    assert (code, out) == (1, "")
    assert err == f"Erreur : serveur SMTP injoignable : 127.0.0.1:{down.port} (Connection refused)\n"
    monkeypatch.setenv("RECUEIL_CONFIG", str(smtp.config(tmp_path)))
    assert send(copy_url) == (0, "1 alerte confirmée : 1 courriel envoyé (1 résultat).\n", "")
    assert re.findall(r"^- (.+?) :", mailbox.text_of(smtp.wait(2)[1]), re.M) == [
        "Délibération n° 2021-252 du 7 juin 2021"]
