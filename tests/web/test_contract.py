"""The API does what its OpenAPI document says (web/contract.py): schemathesis draws requests from
the document, valid ones and invalid ones, sends them to the application over the real corpus and
runs every one of its checks on the answers: no server error, status codes, media types and
bodies as documented, invalid requests refused, valid ones answered."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from recueil.store.query import NothingToSearch, QueryError, parse_query

EXAMPLES = 40  # per operation and mode: about 650 requests, 40 s on this machine
SEARCHES = ("/api/search", "/feeds/search.atom")


def grammatical(case: schemathesis.Case) -> bool:
    """A search's `q` follows a grammar that a schema cannot state (closed quotes and parentheses,
    operators between words, store/query.py): a valid request holds a query that it parses."""
    q = (case.query or {}).get("q")
    if case.path not in SEARCHES or not isinstance(q, str) or not q.strip():
        return True
    try:
        parse_query(q)
    except NothingToSearch:  # answered: no hit, and why
        return True
    except QueryError:
        return False
    return True


def test_every_answer_is_as_documented(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures, sent = [], 0
    for operation in (result.ok() for result in schema.get_all_operations()):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases = operation.as_strategy(generation_mode=mode)

            @given(case=cases.filter(grammatical) if mode == GenerationMode.POSITIVE else cases)
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                      derandomize=True, database=None)
            def check(case: schemathesis.Case) -> None:
                nonlocal sent
                sent += 1
                case.call_and_validate()  # every check of schemathesis

            try:
                check()
            except Unsatisfiable:  # no invalid request exists (a path that takes any id, no parameter)
                assert mode == GenerationMode.NEGATIVE, operation.label
            except Exception as failure:
                failures.append(f"{operation.label} ({mode.value}) : {failure}")
    assert sent > 500
    assert failures == []


def test_the_document_lists_this_stores_values_and_every_answer(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    search = {p["name"]: p["schema"] for p in paths["/api/search"]["get"]["parameters"]}
    assert search["group"]["enum"] == ["", "Groupe Communiste et Républicain", "Groupe Rassemblement National",
                                       "Groupe Socialiste, Républicain et Citoyen", "Groupe Union pour le Pas-de-Calais"]
    assert search["sitting"]["enum"] == ["", "cd-2025-09-22", "cp-2021-06-07"]
    assert search["type"]["enum"][1:4] == ["deliberation", "report", "road_order"]
    assert search["from"] == {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
    roads = {p["name"]: p["schema"] for p in paths["/api/road-orders"]["get"]["parameters"]}
    assert len(roads["commune"]["enum"]) == 146 and roads["road"]["enum"][:4] == ["", "D1", "D3", "D7"]
    for path, media in (("/api/search", {"application/json", "text/csv"}),
                        ("/feeds/search.atom", {"application/atom+xml"}),
                        ("/feeds/road-orders.ics", {"text/calendar"})):
        responses = paths[path]["get"]["responses"]
        assert set(responses["200"]["content"]) == media and "422" not in responses
        assert set(responses["400"]["content"]) == {"text/plain" if path.startswith("/feeds") else "application/json"}
    number = next(p for p in paths["/api/deliberations/{number}"]["get"]["parameters"])
    assert number["schema"]["pattern"] and number["schema"]["examples"] == ["2025-361"]


def test_the_api_page_is_built_from_the_document_without_scripts(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "<script" not in page.text
    assert "<code>GET /api/deliberations</code>" in page.text and "date AAAA-MM-JJ ou vide" in page.text
    assert client.get("/redoc").status_code == 404
