"""The OpenAPI document exact to what the server answers, and /docs, the page that presents it.

FastAPI writes the document from the routes' signatures; what a signature cannot say is set here,
and `tests/web/test_contract.py` runs schemathesis against the live application to hold both to it:
- refusals: a request the server refuses gets a 400 and its reason (app.py turns FastAPI's
  validation errors into 400s too), as JSON `{"detail"}` under /api and a line of text under
  /feeds; FastAPI's 422, never sent, is dropped;
- values: a filter that must name something the store holds (a commune, a group, a séance…)
  lists this store's values (read when the document is asked for; the answer cache keeps it until
  the store changes), with "" for no filter; record types, assemblies and vote patterns are fixed;
- dates: `from`, `to` and `on` are dates (AAAA-MM-JJ) or empty;
- formats: an operation with `format=csv` also answers text/csv.
/docs is rendered here from the same document, without scripts (no Swagger UI fetched elsewhere).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from recueil.store.facets import VOTES
from recueil.vocabulary import ASSEMBLIES, SEARCH_TYPES
from recueil.web.api import Problem
from recueil.web.pages import render

router = APIRouter(include_in_schema=False)
SEARCHES = ("/api/search", "/feeds/search.atom")
ROAD_ORDERS = ("/api/road-orders", "/feeds/road-orders.ics")
DATES = ("from", "to", "on")
DATE_OR_EMPTY = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
TEXT = {"schema": {"type": "string"}}
REFUSED = "requête refusée : la raison, en français"
PROBLEM = {"$ref": "#/components/schemas/Problem"}


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of `app`, over the values of its store."""
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    stored = app.state.browser
    search_values = {**stored.filter_values(), "type": list(SEARCH_TYPES), "vote": sorted(set(VOTES.values())),
                     "body": [a.short for a in ASSEMBLIES.values()]}
    listed = stored.deliberation_choices()
    values = {**dict.fromkeys(SEARCHES, search_values), **dict.fromkeys(ROAD_ORDERS, stored.road_values()),
              "/api/deliberations": {"body": search_values["body"],
                                     **{key: [value for value, _ in listed[key]] for key in ("sitting", "group")}}}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                _narrow(parameter, values.get(path, {}))
            responses = operation["responses"]
            responses.pop("422", None)
            if parameters:
                responses["400"] = ({"description": REFUSED, "content": {"text/plain": TEXT}}
                                    if path.startswith("/feeds/") else
                                    {"description": REFUSED, "content": {"application/json": {"schema": PROBLEM}}})
            if any(p["name"] == "format" for p in parameters):
                responses["200"]["content"]["text/csv"] = TEXT
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.setdefault("Problem", Problem.model_json_schema())
    return spec


def _narrow(parameter: dict[str, Any], values: dict[str, list[str]]) -> None:
    name = parameter["name"]
    if name in DATES:
        parameter["schema"] = DATE_OR_EMPTY
    elif name in values and parameter["in"] == "query":
        parameter["schema"] = {"type": "string", "enum": ["", *values[name]]}


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    """The API described from its OpenAPI document: each operation, its parameters and answers."""
    spec = request.app.openapi()
    operations = [{"method": method.upper(), "path": path, **operation}
                  for path, methods in spec["paths"].items() for method, operation in methods.items()]
    return render(request, "api.html", {"spec": spec, "operations": operations})
