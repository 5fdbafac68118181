"""A query over the cost budget of the search (tests/store/test_query_budget.py) is a 400 with
its French reason, on the API, the search page and the search feed; never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from recueil.store.query import MAX_DEPTH, MAX_TERMS

NESTED = "(" * 200 + "voirie" + ")" * 200  # within the 500 characters of a query
REFUSED = {NESTED: f"trop de parenthèses imbriquées : au plus {MAX_DEPTH} niveaux",
           "con*": "préfixe trop large : con*",
           " OR ".join(["voirie"] * (MAX_TERMS + 1)): f"requête trop longue : au plus {MAX_TERMS} mots"}


@pytest.mark.parametrize("query", REFUSED)
def test_a_query_over_budget_is_a_400_in_french(client: TestClient, query: str) -> None:
    found = client.get("/api/search", params={"q": query})
    assert found.status_code == 400 and found.json()["detail"].startswith(REFUSED[query])
    for url in ("/recherche", "/feeds/search.atom"):
        response = client.get(url, params={"q": query})
        assert response.status_code == 400 and REFUSED[query] in response.text
