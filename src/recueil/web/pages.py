"""The HTML pages, in French, and their twins: one route, one data builder, one template per page.

Each page asks `store/browse.py` for its data once and renders it as HTML or, at the same address
followed by `.json` (`/deliberations/2021-233.json`, `/index.json` for the home page) and, for a
list, `.csv`, as data (Datasette's habit); the page links to its twins with its own parameters.
Where the API gives the same record, the twin's JSON is the API's answer: api.py renders it with
the functions below. Templates render with the application's Jinja2 environment (autoescape on,
`public` for document text).
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from recueil.export import jsonl, scdl
from recueil.model import list_id, transcript_id
from recueil.store import listing
from recueil.store.browse import Browser
from recueil.store.facets import FILTERS
from recueil.store.query import QueryError
from recueil.store.search import SearchResults
from recueil.vocabulary import SEARCH_TYPES, VOTE_CHOICES, assembly_name
from recueil.web.chart import CHART_WIDTH, LINE_HEIGHT, ROW_HEIGHT, group_rows, vote_bars
from recueil.web.format import KINDS, sitting_name

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_QUERY = 500  # characters of a search: beyond, each distinct query is a costly miss of every cache
MAX_ANNEX = 10_000  # annexes of one act: more than any recueil prints, and an int every database holds
SEARCH_COLUMNS = ("type", "id", "number", "title", "date", "url", "snippet")
SITTING_COLUMNS = ("id", "body", "date", "president", "present", "excused", "proxies", "deliberations",
                   "interventions")
COUNCILLOR_COLUMNS = ("id", "name", "group", "group_source", "acts_listed", "acts_present", "acts_excused", "acts_absent",
                      "presence_rate", "sittings_listed", "sittings_present", "proxies_given", "proxies_received",
                      "interventions")
DELIBERATION_COLUMNS = ("number", "date", "body", "sitting", "title", "display_title", "decision", "result",
                        "matiere_code", "matiere", *listing.COUNTS, "unanimous", "derived",
                        *(f"groups_{p}" for p in listing.POSITIONS), "group_counts", "group_counts_source",
                        "published", "url")
LIST_SIZE = 50  # deliberations a page of the list
ROAD_COLUMNS = ("id", "road_codes", "commune_names", "start", "end", "object", "title", "url")
# Each route's path → (the format it answers, the twin formats of its page).
_ROUTES: dict[str, tuple[str, tuple[str, ...]]] = {}
Endpoint = Callable[..., Any]


def twinned(path: str, *formats: str) -> Callable[[Endpoint], Endpoint]:
    """Registers a page at `path` and its twins in `formats` ("json", "csv") at `path.json`…; the
    handler learns which was asked from `asked`."""

    def register(endpoint: Endpoint) -> Endpoint:
        for fmt in (*formats, "html"):  # twins first: "/seances/{id}" would take "/seances/x.json"
            route = f"{path.rstrip('/') or '/index'}.{fmt}" if fmt != "html" else path
            _ROUTES[route] = (fmt, formats)
            router.add_api_route(route, endpoint, methods=["GET"])
        return endpoint

    return register


def asked(request: Request) -> str:
    """The format of the route that answers: "html", "json" or "csv"."""
    return _ROUTES[request.scope["route"].path][0]


def twins(request: Request) -> dict[str, str]:
    """The addresses of the page's twins, by format, with the page's query parameters."""
    query = urlencode([(key, value) for key, value in request.query_params.multi_items() if value])
    base = quote(request.url.path.rstrip("/") or "/index")
    return {fmt: f"{base}.{fmt}" + (f"?{query}" if query else "") for fmt in _ROUTES[request.scope["route"].path][1]}


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    page = request.app.state.templates.get_template(template)
    return HTMLResponse(page.render(request_path=request.url.path, **context), status_code=status)


def show(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page, linked to its twins (in its head and where its template says)."""
    return render(request, template, {**context, "twins": twins(request)}, status)


def browser(request: Request) -> Browser:
    """The application's `Browser` (the API and the feeds use it too)."""
    found: Browser = request.app.state.browser
    return found


def as_json(request: Request, data: Any) -> JSONResponse:
    """Data as JSON, every `text` in it as the public site may show it."""
    return JSONResponse(request.app.state.public.record(data))


def _cell(value: Any) -> Any:
    """A CSV cell: a list of names or codes joined by "; ", other nested values as JSON."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def as_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> Response:
    """A list as CSV: a header, then one line a row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


def as_data(request: Request, data: Any, columns: Sequence[str] = ()) -> Response:
    """A page's data as its twin asks: CSV (`data` a list of rows) or JSON."""
    return as_csv(data, columns) if asked(request) == "csv" else as_json(request, data)


def search_answer(request: Request, found: SearchResults, fmt: str) -> Response:
    """Search results as data: JSON, or CSV (one line a hit); snippets masked as one text each."""
    public = request.app.state.public
    for hit in found.results:
        hit.snippet = public.snippet(hit.snippet)
    if fmt == "csv":
        return as_csv(({**h.to_dict(), "snippet": "".join(f.text for f in h.snippet)} for h in found.results),
                      SEARCH_COLUMNS)
    return JSONResponse(found.to_dict())


def deliberations_answer(request: Request, found: dict[str, Any], fmt: str) -> Response:
    """The list of deliberations as data: JSON (the page of rows and the total) or CSV (each group's
    positions as one column a position, the groups joined by "; ")."""
    if fmt != "csv":
        return as_json(request, found)
    return as_csv(({**row, **{f"groups_{p}": [g for g, ps in row["groups"].items() if p in ps]
                              for p in listing.POSITIONS}} for row in found["results"]), DELIBERATION_COLUMNS)


def road_orders_csv(orders: list[dict[str, Any]]) -> Response:
    """Road orders as CSV, their period in two columns."""
    return as_csv(({**o, "start": (o.get("period") or {}).get("start"), "end": (o.get("period") or {}).get("end")}
                   for o in orders), ROAD_COLUMNS)


@twinned("/", "json")
async def home(request: Request) -> Response:
    latest = browser(request).latest()
    return as_data(request, latest) if asked(request) != "html" else show(request, "home.html", latest)


@twinned("/recherche", "json", "csv")
async def search_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY)] = "", type: str = "",
                      from_: Annotated[str, Query(alias="from")] = "", to: str = "",
                      page: Annotated[int, Query(ge=1, le=500)] = 1, sort: str = "") -> Response:
    """The search form and its results (best first, or by date with `sort`); a malformed query is explained on the page (status 400).
    Its twins give the same page of results as /api/search; the empty form has none (an empty
    search is refused as data)."""
    filters = {name: request.query_params[name] for name in FILTERS if request.query_params.get(name)}
    fmt = asked(request)
    if fmt != "html":
        found = browser(request).search(q, type, from_, to, PAGE_SIZE, (page - 1) * PAGE_SIZE, filters, sort)
        return search_answer(request, found, fmt)
    asked_for = {k: v for k, v in {"q": q, "type": type, "from": from_, "to": to, **filters, "sort": sort}.items()
                 if v}
    context: dict[str, Any] = {"q": q, "type": type, "date_from": from_, "date_to": to, "types": SEARCH_TYPES, "kinds": KINDS,
                               "sort": sort,
                               "filters": filters, "results": None, "error": None, "page": page,
                               "feed": "/feeds/search.atom?" + urlencode({k: v for k, v in asked_for.items()
                                                                          if k != "sort"})}
    status, searched = 200, bool(q.strip() or filters or type)
    if searched:
        try:
            found = browser(request).search(q, type, from_, to, PAGE_SIZE, (page - 1) * PAGE_SIZE, filters, sort)
        except QueryError as error:
            context["error"], status = str(error), 400
        else:
            context.update(results=found, facets=found.facets,
                           link=lambda **change: "/recherche?" + urlencode(
                               {k: v for k, v in {**asked_for, **change}.items() if v}),
                           pages=-(-found.total // PAGE_SIZE))
    return show(request, "search.html", context, status) if searched else render(request, "search.html", context)


@twinned("/deliberations", "json", "csv")
async def deliberations_page(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    """Every deliberation with its vote, filtered and sorted (store/listing.py's parameters); the
    CSV twin gives every matching row, the JSON twin the page shown. A bad parameter: the page says
    why (status 400), its twins answer 400."""
    fmt = asked(request)
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    if fmt != "html":
        found = browser(request).deliberations(listing.criteria(params), None if fmt == "csv" else LIST_SIZE,
                                               (page - 1) * LIST_SIZE)
        return deliberations_answer(request, found, fmt)
    choices = browser(request).deliberation_choices()
    choices.update(body=[(short, assembly_name(short)) for short, _ in choices["body"]],
                   sitting=[(id, sitting_name(id)) for id, _ in choices["sitting"]],
                   position=list(VOTE_CHOICES.items()), vote=list(listing.PATTERNS.items()),
                   sort=list(listing.SORTS.items()))
    context: dict[str, Any] = {"params": params, "choices": choices, "error": None, "found": None, "page": page}
    try:
        found = browser(request).deliberations(listing.criteria(params), LIST_SIZE, (page - 1) * LIST_SIZE)
    except QueryError as error:
        context["error"] = str(error)
        return show(request, "deliberations.html", context, 400)
    context.update(found=found, pages=-(-found["total"] // LIST_SIZE),
                   link=lambda page: "/deliberations?" + urlencode({**params, "page": page}))
    return show(request, "deliberations.html", context)


@twinned("/deliberations/{number}", "json")
async def deliberation_page(request: Request, number: str) -> Response:
    """The act and what surrounds it; its JSON is the act's record alone, as /api/deliberations/…."""
    if asked(request) != "html":
        return as_data(request, browser(request).deliberation_record(number))
    data = browser(request).deliberation(number)
    vote = data["deliberation"].get("vote") or {}
    bars = vote_bars(vote, data["group_counts"]) if vote else []
    groups = group_rows(vote, len(bars) * ROW_HEIGHT + 12)
    height = groups[-1].y + groups[-1].height if groups else len(bars) * ROW_HEIGHT + 4
    known = any(n is not None for by in (data["group_counts"] or {}).values() for n in by.values())
    return show(request, "deliberation.html", {**data, "published": request.app.state.published.get(number),
                                               "counted": data["group_counts_source"] if known else None,
                                               "bars": bars, "groups": groups, "chart_height": height,
                                               "chart_width": CHART_WIDTH, "line_height": LINE_HEIGHT})


@twinned("/seances", "json", "csv")
async def sittings_page(request: Request) -> Response:
    sittings = browser(request).sittings()
    if asked(request) != "html":
        return as_data(request, sittings, SITTING_COLUMNS)
    return show(request, "sittings.html", {"sittings": sittings})


@twinned("/seances/{id}", "json")
async def sitting_page(request: Request, id: str) -> Response:
    sitting = browser(request).sitting(id)
    if asked(request) != "html":
        return as_data(request, sitting)
    published = request.app.state.published
    return show(request, "sitting.html", {"sitting": sitting, "published_list": published.get(list_id(id)),
                                          "published_transcript": published.get(transcript_id(id))})


@twinned("/conseillers", "json", "csv")
async def councillors_page(request: Request) -> Response:
    councillors = browser(request).councillors()
    if asked(request) != "html":
        return as_data(request, councillors, COUNCILLOR_COLUMNS)
    return show(request, "councillors.html", {"councillors": councillors})


@twinned("/conseillers/{id}", "json")
async def councillor_page(request: Request, id: str) -> Response:
    """A councillor's presence, proxies and speeches; sittings named by body and date, not by id."""
    councillor = browser(request).councillor(id)
    if asked(request) != "html":
        return as_data(request, councillor)
    sittings = {s["id"]: s for s in browser(request).sittings()}
    return show(request, "councillor.html", {"councillor": councillor, "sittings": sittings})


@twinned("/routes", "json", "csv")
async def roads_page(request: Request, route: str = "", commune: str = "", le: str = "",
                     page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    """Road orders by road and commune; `le` keeps those in force on that day (a bad date or road:
    the page says why, its twins answer 400). The page shows them `LIST_SIZE` at a time; its twins
    give them all."""
    fmt = asked(request)
    if fmt != "html":
        orders = browser(request).road_orders(route or None, commune or None, le or None)
        return road_orders_csv(orders) if fmt == "csv" else as_json(request, orders)
    try:
        orders, error = browser(request).road_orders(route or None, commune or None, le or None), None
    except QueryError as problem:
        orders, error = [], str(problem)
    asked_for = {k: v for k, v in {"route": route, "commune": commune, "le": le}.items() if v}
    return show(request, "roads.html", {"orders": orders[(page - 1) * LIST_SIZE:page * LIST_SIZE],
                                        "total": len(orders), "route": route, "commune": commune, "le": le,
                                        "error": error, "page": page, "pages": -(-len(orders) // LIST_SIZE),
                                        "link": lambda page: "/routes?" + urlencode({**asked_for, "page": page})},
                400 if error else 200)


class AnnexTexts:
    """The public text of the last annexes shown, by (number, seq, store version): a long annex
    (2025-371/1, 600 KB) outgrows the response cache, and masking it again costs 130 ms of the
    event loop on every request."""

    def __init__(self, public: Callable[[str | None], str], size: int = 16) -> None:
        self.public = public
        self.size = size
        self._texts: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def get(self, browser: Browser, annex: dict[str, Any]) -> str:
        key = (annex["number"], annex["seq"], browser.version())
        if key in self._texts:
            self._texts.move_to_end(key)
        else:
            self._texts[key] = self.public(annex["text"])
            if len(self._texts) > self.size:
                self._texts.popitem(last=False)
        return self._texts[key]


@twinned("/deliberations/{number}/annexes/{seq}", "json")
async def annex_page(request: Request, number: str, seq: Annotated[int, Path(ge=1, le=MAX_ANNEX)]) -> Response:
    annex = browser(request).annex(number, seq)
    text = request.app.state.annex_texts.get(browser(request), annex)
    if asked(request) != "html":
        return JSONResponse({**annex, "text": text})  # masked already, and kept so
    return show(request, "annex.html", {"annex": annex, "text": text,
                                        "masked": request.app.state.config.publication.masquer_personnes})


@twinned("/documents/{id}", "json")
async def document_page(request: Request, id: str) -> Response:
    document = browser(request).document(id)
    return as_data(request, document) if asked(request) != "html" else show(request, "document.html",
                                                                            {"document": document})


@twinned("/donnees", "json")
async def data_page(request: Request) -> Response:
    counts = {"counts": request.app.state.store.counts()}
    return as_data(request, counts) if asked(request) != "html" else show(request, "data.html", counts)


@router.get("/donnees/deliberations.csv")
def scdl_csv(request: Request) -> Response:
    """The deliberations in the SCDL "Délibérations" table schema."""
    out = io.StringIO()
    scdl.write(request.app.state.store.records(), request.app.state.config.collectivite, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="deliberations.csv"'})


@router.get("/donnees/recueil.jsonl")
def jsonl_download(request: Request) -> Response:
    """Every record, one JSON object a line (DESIGN.md's contract)."""
    out = io.StringIO()
    jsonl.write(request.app.state.store.records(), out, request.app.state.public.record)
    return Response(out.getvalue(), media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="recueil.jsonl"'})
