"""The list of deliberations (/deliberations, its twins and /api/deliberations) on the real corpus:
33 deliberations, 21 of the Commission permanente of 2021 and 12 of the Conseil départemental of
22 September 2025."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from recueil.store.listing import criteria
from recueil.store.query import QueryError


def numbers(client: TestClient, query: str) -> tuple[int, list[str]]:
    answer = client.get(f"/api/deliberations?{query}")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    return found["total"], [row["number"] for row in found["results"]]


def test_every_deliberation_newest_first_with_total(client: TestClient) -> None:
    total, first = numbers(client, "limit=3")
    assert (total, first) == (33, ["2025-371", "2025-370", "2025-369"])
    assert numbers(client, "limit=3&offset=31") == (33, ["2021-233", "2021-232"])
    assert numbers(client, "sort=number&limit=2") == (33, ["2021-232", "2021-233"])
    assert numbers(client, "sort=-number&limit=2") == (33, ["2025-371", "2025-370"])


def test_a_row_holds_the_vote_and_each_groups_positions(client: TestClient) -> None:
    row = client.get("/api/deliberations?q=affectation resultat").json()["results"][0]
    assert {k: row[k] for k in ("number", "date", "body", "sitting", "result", "matiere_code", "matiere", "pour",
                                "contre", "abstention", "unanimous", "derived")} == {
        "number": "2025-361", "date": "2025-09-22", "body": "conseil_departemental", "sitting": "cd-2025-09-22",
        "result": "adopte", "matiere_code": "7.1", "matiere": "Décisions budgétaires", "pour": 54, "contre": 0,
        "abstention": 24, "unanimous": False, "derived": False}
    assert row["groups"] == {"Groupe Socialiste, Républicain et Citoyen": ["pour"],
                             "Groupe Communiste et Républicain": ["pour"],
                             "Groupe Union pour le Pas-de-Calais": ["pour", "abstention"],
                             "Non-inscrit": ["pour"], "Groupe Rassemblement National": ["abstention"]}


def test_group_counts_derived_from_the_blocks(client: TestClient) -> None:
    """Without a members list, a group's votes are what the block fixes: a position with one group
    (its total), a split group's named members; null elsewhere."""
    rows = {row["number"]: row for row in client.get("/api/deliberations?limit=1000").json()["results"]}
    upc, src, rn, ni = ("Groupe Union pour le Pas-de-Calais", "Groupe Socialiste, Républicain et Citoyen",
                        "Groupe Rassemblement National", "Non-inscrit")
    assert rows["2025-361"]["group_counts"] == {
        src: {"pour": None}, "Groupe Communiste et Républicain": {"pour": None}, upc: {"pour": 4, "abstention": None},
        ni: {"pour": None}, rn: {"abstention": None}}  # "(M. Bruno COUSEIN, Mme Maryse JUMEZ, …)": 4
    assert rows["2025-360"]["group_counts"][src] == {"pour": None, "absent_sans_delegation": 2}
    assert rows["2025-371"]["group_counts"][rn] == {"pour": None, "absent_sans_delegation": 2}
    # "Abstention : 1 voix (Groupe Socialiste, …)", "Absents sans délégation de vote : 2 (Groupe
    # Socialiste, … ; Non-inscrit)": two groups listed for two absents, one each
    assert rows["2021-233"]["group_counts"][src] == {"pour": None, "abstention": 1, "absent_sans_delegation": 1}
    assert rows["2021-233"]["group_counts"][ni] == {"absent_sans_delegation": 1}
    assert {row["group_counts_source"] for row in rows.values()} == {"derived"}


@pytest.mark.parametrize(("query", "expected"), [
    ("vote=abstentions", ["2025-361", "2021-237", "2021-233"]),
    ("vote=divided", ["2025-361", "2021-237", "2021-233"]),
    ("vote=against", []),
    ("group=rassemblement national&position=abstention", ["2025-361"]),
    ("group=Groupe+Socialiste,+R%C3%A9publicain+et+Citoyen&position=abstention", ["2021-237", "2021-233"]),
    ("q=COLLÈGE", ["2025-360"]),
    ("sitting=cd-2025-09-22&matiere=7", ["2025-361"]),
    ("body=cd&vote=abstentions", ["2025-361"]),
    ("from=2025-01-01&to=2025-12-31&sort=date&limit=2", ["2025-360", "2025-361"]),
])
def test_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert numbers(client, query + ("" if "limit" in query else "&limit=100"))[1] == expected


def test_one_spelling_per_group(client: TestClient) -> None:
    """"Non-inscrit" (2021) and "Non-inscrits" (2025) are one group, under its most printed name."""
    groups = {g for row in client.get("/api/deliberations?limit=1000").json()["results"] for g in row["groups"]}
    assert [g for g in groups if g.lower().startswith("non")] == ["Non-inscrit"]
    assert numbers(client, "group=non-inscrits&limit=100")[0] == 33


def test_csv_has_every_row_and_a_column_per_position(client: TestClient) -> None:
    for url in ("/deliberations.csv", "/api/deliberations?format=csv"):
        rows = list(csv.DictReader(io.StringIO(client.get(url).text)))
        assert len(rows) == 33
        row = next(r for r in rows if r["number"] == "2025-361")
        assert row["groups_abstention"] == "Groupe Union pour le Pas-de-Calais; Groupe Rassemblement National"
        assert row["url"] == "/deliberations/2025-361"
    assert len(list(csv.DictReader(io.StringIO(client.get("/api/deliberations?format=csv&limit=5").text)))) == 5


def test_page_and_json_twin(client: TestClient) -> None:
    page = client.get("/deliberations?vote=abstentions")
    assert page.status_code == 200
    assert "3 délibérations" in page.text
    assert '<a href="/deliberations/2021-237">2021-237</a>' in page.text
    # a group's votes beside its position where the block fixes them
    assert "Groupe Union pour le Pas-de-Calais : pour (4), abstention<br>" in page.text
    assert 'href="/deliberations.csv?vote=abstentions"' in page.text
    assert client.get("/deliberations.json?vote=abstentions").json()["total"] == 3
    assert client.get("/deliberations.json?page=2").json()["results"] == []  # 33 rows fit the first page of 50


def test_an_inverted_period_is_said_and_matches_nothing(client: TestClient) -> None:
    found = client.get("/api/deliberations?from=2025-10-01&to=2025-01-01").json()
    assert (found["total"], found["results"]) == (0, [])
    assert found["notice"].startswith("période inversée : du 2025-10-01 au 2025-01-01")
    page = client.get("/deliberations?from=2025-10-01&to=2025-01-01")
    assert page.status_code == 200 and "période inversée" in page.text


def test_a_position_alone_is_held_by_some_group(client: TestClient) -> None:
    every = client.get("/api/deliberations?limit=1000").json()["results"]
    abstained = client.get("/api/deliberations?position=abstention&limit=1000").json()
    expected = [row["number"] for row in every if any("abstention" in held for held in row["groups"].values())]
    assert [row["number"] for row in abstained["results"]] == expected and abstained["total"] == len(expected) == 3


@pytest.mark.parametrize(("query", "reason"), [
    ("group=Les+Verts", "groupe inconnu : Les Verts"),
    ("sitting=cd-2030-01-01", "séance inconnue : cd-2030-01-01"),
    ("from=2021-02-30", "date invalide pour from : 2021-02-30"),
    ("body=zz", "organe invalide : zz"),
    ("vote=mixed", "vote invalide : mixed"),
    ("matiere=12", "matière invalide : 12"),
    ("colour=red", "paramètre inconnu : colour"),
])
def test_bad_parameters_are_refused_in_french(client: TestClient, query: str, reason: str) -> None:
    assert reason in client.get(f"/deliberations.json?{query}").json()["detail"]
    page = client.get(f"/deliberations?{query}")
    assert page.status_code == 400 and reason.replace("'", "&#39;") in page.text


def test_api_declares_its_enums(client: TestClient) -> None:
    assert client.get("/api/deliberations?vote=mixed").status_code == 400
    assert client.get("/api/deliberations?matiere=7.4.1").status_code == 400


def test_criteria_fold_what_is_typed() -> None:
    asked = criteria({"q": "  Collège  d'abord ", "body": "Conseil départemental", "group": "Non-Inscrits"})
    assert (asked.words, asked.body, asked.group) == (("COLLEGE", "D'ABORD"), "cd", "non_inscrit")
    with pytest.raises(QueryError, match="sort invalide : titre"):
        criteria({"sort": "titre"})
