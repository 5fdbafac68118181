"""The site reads the vote ledger: a councillor's page lists their votes item by item with their
group on the day, the deliberation page names the voters of a scrutin public. On the example
sitting (examples/seance-exemple.json, its first item voted by scrutin public) recorded with
`recueil seance import`, and its published acts (examples/seance-exemple.md) read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from recueil import jobs
from recueil.seance.importer import import_sitting
from recueil.seance.members import read_csv, replace_members
from recueil.store import browse, ledger
from recueil.store.database import Store
from recueil.web import create_app
from tests.web.test_pages import levels_in_order, page

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AVENIR, ECOLOGIE = "Groupe Avenir du Val-de-Lys", "Groupe Écologie et Solidarités"


def sitting() -> dict[str, Any]:
    """The example, its first item voted by scrutin public: every voter named, all for (as the
    published act prints it)."""
    data: dict[str, Any] = json.loads((EXAMPLES / "seance-exemple.json").read_text(encoding="utf-8"))
    data["items"][0]["vote"] = {"mode": "public", "members": {m["name"]: "pour" for m in data["members"]}}
    return data


def record(url: str) -> None:
    with Store(url) as store, store.writing() as conn:
        import_sitting(conn, sitting(), "2025-031")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'r.db'}"
    record(url)
    with Store(url) as store:
        jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)
    with TestClient(create_app(url)) as test_client:
        yield test_client


def test_a_councillors_votes_item_by_item(client: TestClient) -> None:
    html = page(client, "/conseillers/claire-roussel")
    votes = html.one("section", id="votes")
    assert votes.one("h2").text == "Votes (2)"
    assert [[td.text for td in tr.all("td")] for tr in votes.one("tbody").all("tr")] == [
        ["N° 2025-031 — Aide départementale aux bibliothèques rurales", "Conseil départemental du 3 mars 2025, rapport n° 1",
         AVENIR, "Pour (par délégation, voix portée par Karim BELHADJ)"],
        ["N° 2025-032 — Entretien des routes départementales - programme 2025",
         "Conseil départemental du 3 mars 2025, rapport n° 2", AVENIR,
         "Pour (par délégation, voix portée par Karim BELHADJ) (vote du groupe)"]]
    assert [a.attrs["href"] for a in votes.all("a")] == [
        "/deliberations/2025-031", "/conseillers/karim-belhadj", "/deliberations/2025-032", "/conseillers/karim-belhadj"]
    assert html.one("dl", class_="facts").all("dd")[0].text == f"{AVENIR} (membres de la séance tenue)"
    assert levels_in_order(html)
    ducrocq = page(client, "/conseillers/sarah-ducrocq").one("section", id="votes").one("tbody").all("tr")
    assert [tr.all("td")[2].text + " : " + tr.all("td")[3].text for tr in ducrocq] == [
        f"{ECOLOGIE} : Pour", f"{ECOLOGIE} : Abstention (vote du groupe)"]


def test_a_councillors_votes_as_data(client: TestClient) -> None:
    votes = client.get("/conseillers/claire-roussel.json").json()["votes"]
    assert votes[1] == {"deliberation": "2025-032", "date": "2025-03-03", "sitting": "cd-2025-03-03",
                        "body": "conseil_departemental", "report": 2,
                        "title": "Entretien des routes départementales - programme 2025", "group": AVENIR,
                        "position": "pour", "by_proxy": True,
                        "proxy_holder": {"name": "Karim BELHADJ", "id": "karim-belhadj"}, "derived": True,
                        "url": "/deliberations/2025-032"}
    assert [(v["deliberation"], v["derived"]) for v in votes] == [("2025-031", False), ("2025-032", True)]


def test_the_voters_of_a_public_vote_by_name(client: TestClient) -> None:
    html = page(client, "/deliberations/2025-031")
    voters = html.one("section", id="votants")
    assert voters.one("h3").text == "Scrutin public : les votants et le sens de leur vote"
    assert [h.text for h in voters.all("h4")] == ["Pour (10)"]
    names = [li.text for li in voters.all("li")]
    assert names[:2] == [f"Hélène VASSEUR ({AVENIR})", f"Thomas GRANDEL ({AVENIR})"]
    assert f"Claire ROUSSEL ({AVENIR}), par délégation à Karim BELHADJ" in names
    assert names[-3:] == [f"Sarah DUCROCQ ({ECOLOGIE})", f"Julien TESSIER ({ECOLOGIE})", "Odile MARCHAND (Non-inscrits)"]
    assert voters.all("a")[0].attrs["href"] == "/conseillers/helene-vasseur"
    assert levels_in_order(html)
    assert page(client, "/deliberations/2025-032").all("section", id="votants") == []  # à main levée: by group


def test_pages_follow_a_sitting_recorded_while_the_site_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A councillor known from the ledger alone has a page, from the moment the sitting is recorded."""
    monkeypatch.setattr(browse, "RECHECK", 0.0)
    url = f"sqlite:///{tmp_path / 'r.db'}"
    Store(url).close()
    with TestClient(create_app(url)) as client:
        page(client, "/conseillers/claire-roussel", status=404)
        record(url)
        votes = page(client, "/conseillers/claire-roussel").one("section", id="votes")
        assert [tr.all("td")[0].text for tr in votes.one("tbody").all("tr")] == [
            "N° 2025-031 — Aide départementale aux bibliothèques rurales",
            "N° 2025-032 — Entretien des routes départementales - programme 2025"]
        assert votes.all("a", href="/deliberations/2025-031") == []  # no text of the act read yet


def test_group_counts_from_the_ledger_then_derived_alike(client: TestClient, tmp_path: Path) -> None:
    """Each group's votes: the ledger's for the séance held here; and, in a store holding only the
    published acts and the members list, the same counts derived from the acts' vote blocks."""
    held = {row["number"]: row for row in client.get("/api/deliberations").json()["results"]}
    assert held["2025-032"]["group_counts"] == {AVENIR: {"pour": 7}, "Non-inscrits": {"pour": 1},
                                                ECOLOGIE: {"abstention": 2}}
    assert {row["group_counts_source"] for row in held.values()} == {"ledger"}
    with client.app.state.store.engine.connect() as conn:
        # by number and date: an act of another collectivité numbered 2025-032 is not this one
        assert set(ledger.group_counts(conn)) == {("2025-031", "2025-03-03"), ("2025-032", "2025-03-03")}
    table = page(client, "/deliberations/2025-032").one("table", class_="vote-table")
    assert [tr.all("td")[1].text for tr in table.one("tbody").all("tr")] == [
        f"{AVENIR} (7) ; Non-inscrits (1)", f"{ECOLOGIE} (2)"]
    assert table.one("caption").text.endswith("; voix de chaque groupe entre parenthèses, d'après le registre des "
                                              "votes de la séance")
    members = json.loads((EXAMPLES / "seance-exemple.json").read_text(encoding="utf-8"))["members"]
    listing = "nom,civilite,organe,groupe\n" + "".join(
        f"{m['name']},{m['civility']},cd,{m['group']}\n" for m in members)
    url = f"sqlite:///{tmp_path / 'lu.db'}"
    with Store(url) as store:
        with store.writing() as conn:
            replace_members(conn, read_csv(listing.encode()))
        jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)
    with TestClient(create_app(url)) as reader:
        derived = {row["number"]: row for row in reader.get("/api/deliberations").json()["results"]}
    assert {row["group_counts_source"] for row in derived.values()} == {"derived"}
    assert {n: row["group_counts"] for n, row in derived.items()} == {n: row["group_counts"] for n, row in held.items()}
