"""The JSON API on the real corpus: exact values, CSV, errors in French, OpenAPI, read-only."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from recueil.web import api


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_search_goes_straight_to_the_act(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "n°2025-361"}).json()
    assert found["total"] == 2
    assert [(h["type"], h["id"], h["url"]) for h in found["results"]] == [
        ("deliberation", "2025-361", "/deliberations/2025-361"),
        ("report", "2025-361/rapport", "/deliberations/2025-361#rapport")]
    api.SearchPage.model_validate(found)


def test_search_in_french_with_snippets(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "logement d'abord", "limit": 2}).json()
    assert found["total"] == 5 and found["total_exact"] is True
    first = found["results"][0]
    assert (first["type"], first["number"], first["date"]) == ("deliberation", "2021-252", "2021-06-07")
    # printed in capitals, written as the document's running text writes its words
    assert first["title"] == "Rapport relatif à la convention pluriannuelle d'objectif 2021 - 2022 logement d'abord " \
                             "Etat-Département"
    assert [f["text"] for f in first["snippet"] if f["match"]] == ["LOGEMENT", "ABORD"]
    assert found["facets"]["type"] == [["report", 3], ["deliberation", 1], ["intervention", 1]]
    assert found["facets"]["sitting"] == [["cp-2021-06-07", 3], ["cd-2025-09-22", 2]]
    api.SearchPage.model_validate(found)


def test_search_filters_and_pages(client: TestClient) -> None:
    etaples = client.get("/api/search", params={"commune": "étaples"}).json()
    assert [h["id"] for h in etaples["results"]] == ["1f2d693039373eba/ligne-181"]
    second = client.get("/api/search", params={"q": "logement d'abord", "limit": 2, "offset": 2}).json()
    assert len(second["results"]) == 2 and second["total"] == 5


def test_search_as_csv(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "logement d'abord", "limit": 1, "format": "csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    table = rows(response.text)
    assert table[0] == ["type", "id", "number", "title", "date", "url", "snippet"]
    assert table[1][:3] == ["deliberation", "2021-252", "2021-252"] and len(table) == 2
    assert "LOGEMENT D'ABORD" in table[1][6]


@pytest.mark.parametrize(("params", "reason"), [
    ({"q": '"logement'}, "guillemet non fermé"),
    ({"q": "logement", "from": "2021-13-01"}, "date de début invalide : 2021-13-01"),
    ({"q": "logement", "type": "tract"}, "type inconnu : tract"),
    ({"q": "logement", "limit": "beaucoup"}, "paramètre invalide — limit : nombre entier attendu"),
    ({"q": "logement", "limit": "0"}, "paramètre invalide — limit : trop petit"),
    ({"q": "logement", "commune": "Atlantis"}, "commune inconnue : Atlantis"),
    ({"q": "logement", "format": "xml"}, "paramètre invalide — format : valeur non prévue"),
])
def test_malformed_search_is_a_400_in_french(client: TestClient, params: dict[str, str], reason: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"].startswith(reason)


def test_deliberation_record(client: TestClient) -> None:
    record = client.get("/api/deliberations/2025-361").json()
    assert record["type"] == "deliberation"
    assert (record["vote"]["pour"], record["vote"]["contre"], record["vote"]["abstention"]) == (54, 0, 24)
    assert record["sent_to_prefecture"] == "2025-10-08" and record["report_number"] == 2
    assert len(record["attendance"]["present"]) == 71
    api.Deliberation.model_validate(record)


def test_unknown_records_are_404_json(client: TestClient) -> None:
    for url, detail in (("/api/deliberations/2099-001", "aucune délibération n° 2099-001"),
                        ("/api/sittings/cd-1999-01-01", "aucune séance « cd-1999-01-01 »"),
                        ("/api/councillors/personne", "aucun conseiller « personne »"),
                        ("/api/rien", "page introuvable")):
        response = client.get(url)
        assert (response.status_code, response.json()) == (404, {"detail": detail})


def test_sittings_json_and_csv(client: TestClient) -> None:
    sittings = client.get("/api/sittings").json()
    assert [s["id"] for s in sittings] == ["cd-2025-09-22", "cp-2021-06-07"]
    for sitting in sittings:
        api.SittingSummary.model_validate(sitting)
    table = rows(client.get("/api/sittings", params={"format": "csv"}).text)
    assert table == [
        ["id", "body", "date", "president", "present", "excused", "proxies", "deliberations", "interventions"],
        ["cd-2025-09-22", "conseil_departemental", "2025-09-22", "Jean-Claude LEROY", "68", "7", "7", "12", "90"],
        ["cp-2021-06-07", "commission_permanente", "2021-06-07", "Jean-Claude LEROY", "0", "0", "0", "21", "0"]]


def test_sitting(client: TestClient) -> None:
    sitting = client.get("/api/sittings/cd-2025-09-22").json()
    api.Sitting.model_validate(sitting)
    assert (sitting["opened_at"], sitting["closed_at"], sitting["interventions"]) == ("10:03", "15:26", 90)
    assert sitting["agenda"][1]["deliberations"][0]["number"] == "2025-361"


def test_councillors_json_and_csv(client: TestClient) -> None:
    people = client.get("/api/councillors").json()
    assert len(people) == 101
    for person in people:
        api.CouncillorSummary.model_validate(person)
    table = rows(client.get("/api/councillors", params={"format": "csv"}).text)
    assert table[0] == list(api.CouncillorSummary.model_fields)
    duporge = next(row for row in table if row[0] == "laurent-duporge")
    assert duporge == ["laurent-duporge", "Laurent DUPORGE", "Groupe Socialiste, Républicain et Citoyen", "motion",
                       "33", "8", "25", "0", "24.2", "2", "1", "0", "0", "0"]
    # where each group was read: vœux signed for a group, the names of a vote block, the absents
    # of a block giving them one group (Blandine DRAIN and Karine GAUTHIER also signed the vœux of
    # theirs, Ludovic PAJOT the vœu of his); none for 48
    assert Counter(p["group_source"] for p in people) == {"motion": 45, "absence+motion": 3, "vote": 4, "absence": 1,
                                                          None: 48}
    assert {p["name"]: p["group"] for p in people if "absence" in (p["group_source"] or "")} == {
        "Blandine DRAIN": "Groupe Socialiste, Républicain et Citoyen",
        "Karine GAUTHIER": "Groupe Socialiste, Républicain et Citoyen",
        "Ludovic PAJOT": "Groupe Rassemblement National", "Marine LE PEN": "Groupe Rassemblement National"}
    assert all((p["group"] is None) == (p["group_source"] is None) for p in people)


def test_councillor(client: TestClient) -> None:
    leroy = client.get("/api/councillors/jean-claude-leroy").json()
    api.Councillor.model_validate(leroy)
    assert (leroy["presence_rate"], leroy["acts_present"], len(leroy["speeches"])) == (100.0, 33, 47)
    assert leroy["proxies_received"][0]["giver"] == "Blandine DRAIN"


def test_road_orders(client: TestClient) -> None:
    orders = client.get("/api/road-orders", params={"road": "RD 939", "on": "2021-06-15"}).json()
    assert [(o["commune_names"], o["period"]["start"], o["period"]["end"]) for o in orders] == [
        (["Etaples"], "2021-06-14", "2021-06-18")]
    for order in client.get("/api/road-orders").json():
        api.RoadOrder.model_validate(order)
    table = rows(client.get("/api/road-orders", params={"road": "D939", "format": "csv"}).text)
    assert table[0] == ["id", "road_codes", "commune_names", "start", "end", "object", "title", "url"]
    assert table[1][:5] == ["1f2d693039373eba/ligne-586", "D939", "Averdoingt; Tincques", "2021-06-17", "2021-07-16"]
    assert len(table) == 3
    bad = client.get("/api/road-orders", params={"on": "demain"})
    assert (bad.status_code, bad.json()) == (400, {"detail": "date invalide : « demain » (attendu AAAA-MM-JJ)"})


def test_openapi_documents_typed_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/search", "/api/deliberations/{number}", "/api/sittings", "/api/sittings/{id}", "/api/councillors",
            "/api/councillors/{id}", "/api/road-orders"} <= set(paths)
    search = paths["/api/search"]["get"]
    assert search["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SearchPage"}
    assert search["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}
    assert {p["name"] for p in search["parameters"]} >= {
        "q", "type", "from", "to", "limit", "offset", "commune", "format"}
    assert set(spec["components"]["schemas"]["Hit"]["properties"]) == {
        "type", "id", "number", "title", "date", "url", "snippet"}
    assert not any(path.startswith(("/recherche", "/deliberations")) for path in paths)  # pages stay out


def test_read_only(client: TestClient) -> None:
    for method in ("post", "put", "delete", "patch"):
        response = client.request(method, "/api/search", params={"q": "logement"})
        assert response.status_code == 405
        assert response.json() == {"detail": "méthode non autorisée : ce site est en lecture seule"}
    head = client.head("/api/deliberations/2025-361")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 1000
    writable = [(path, method) for path, item in client.get("/openapi.json").json()["paths"].items()
                for method in item if method not in ("get", "head")]
    assert writable == []
