"""The HTML pages, in French: one route and one template per kind of page.

Each page asks `store/browse.py` for its data (the API renders the same data as JSON) and renders
it with the Jinja2 environment of the application (autoescape on, `public` for document text).
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from recueil import jobs
from recueil.publish.publisher import list_id, transcript_id
from recueil.store.browse import Browser
from recueil.store.facets import FILTERS
from recueil.store.query import QueryError
from recueil.store.search import TYPES
from recueil.web.chart import CHART_WIDTH, LINE_HEIGHT, ROW_HEIGHT, group_rows, vote_bars
from recueil.web.format import KINDS

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_QUERY = 500  # characters of a search: beyond, each distinct query is a costly miss of every cache
MAX_ANNEX = 10_000  # annexes of one act: more than any recueil prints, and an int every database holds


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    page = request.app.state.templates.get_template(template)
    return HTMLResponse(page.render(request_path=request.url.path, **context), status_code=status)


def browser(request: Request) -> Browser:
    """The application's `Browser` (the API and the feeds use it too)."""
    found: Browser = request.app.state.browser
    return found


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", browser(request).latest())


@router.get("/recherche", response_class=HTMLResponse)
async def search_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY)] = "", type: str = "",
                      from_: Annotated[str, Query(alias="from")] = "", to: str = "",
                      page: Annotated[int, Query(ge=1, le=500)] = 1) -> HTMLResponse:
    """The search form and its results; a malformed query is explained on the page (status 400)."""
    filters = {name: request.query_params[name] for name in FILTERS if request.query_params.get(name)}
    context: dict[str, Any] = {"q": q, "type": type, "date_from": from_, "date_to": to, "types": TYPES, "kinds": KINDS,
                               "filters": filters, "results": None, "error": None, "page": page}
    status = 200
    if q.strip() or filters or type:
        try:
            found = browser(request).search(q, type, from_, to, PAGE_SIZE, (page - 1) * PAGE_SIZE, filters)
        except QueryError as error:
            context["error"], status = str(error), 400
        else:
            base = {k: v for k, v in {"q": q, "type": type, "from": from_, "to": to, **filters}.items() if v}
            context.update(results=found, facets=found.facets,
                           link=lambda **change: "/recherche?" + urlencode(
                               {k: v for k, v in {**base, **change}.items() if v}),
                           pages=-(-found.total // PAGE_SIZE))
    return render(request, "search.html", context, status)


@router.get("/deliberations/{number}", response_class=HTMLResponse)
async def deliberation_page(request: Request, number: str) -> HTMLResponse:
    data = browser(request).deliberation(number)
    vote = data["deliberation"].get("vote") or {}
    bars = vote_bars(vote) if vote else []
    groups = group_rows(vote, len(bars) * ROW_HEIGHT + 12)
    height = groups[-1].y + groups[-1].height if groups else len(bars) * ROW_HEIGHT + 4
    return render(request, "deliberation.html", {**data, "published": request.app.state.published.get(number),
                                                 "bars": bars, "groups": groups, "chart_height": height,
                                                 "chart_width": CHART_WIDTH, "line_height": LINE_HEIGHT})


@router.get("/seances", response_class=HTMLResponse)
async def sittings_page(request: Request) -> HTMLResponse:
    return render(request, "sittings.html", {"sittings": browser(request).sittings()})


@router.get("/seances/{id}", response_class=HTMLResponse)
async def sitting_page(request: Request, id: str) -> HTMLResponse:
    published = request.app.state.published
    return render(request, "sitting.html", {"sitting": browser(request).sitting(id),
                                            "published_list": published.get(list_id(id)),
                                            "published_transcript": published.get(transcript_id(id))})


@router.get("/conseillers", response_class=HTMLResponse)
async def councillors_page(request: Request) -> HTMLResponse:
    return render(request, "councillors.html", {"councillors": browser(request).councillors()})


@router.get("/conseillers/{id}", response_class=HTMLResponse)
async def councillor_page(request: Request, id: str) -> HTMLResponse:
    """A councillor's presence, proxies and speeches; sittings named by body and date, not by id."""
    sittings = {s["id"]: s for s in browser(request).sittings()}
    return render(request, "councillor.html", {"councillor": browser(request).councillor(id), "sittings": sittings})


@router.get("/routes", response_class=HTMLResponse)
async def roads_page(request: Request, route: str = "", commune: str = "", le: str = "") -> HTMLResponse:
    """Road orders by road and commune; `le` keeps those in force on that day."""
    try:
        orders, error = browser(request).road_orders(route or None, commune or None, le or None), None
    except QueryError as problem:
        orders, error = [], str(problem)
    return render(request, "roads.html", {"orders": orders, "route": route, "commune": commune, "le": le,
                                          "error": error}, 400 if error else 200)


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


@router.get("/deliberations/{number}/annexes/{seq}", response_class=HTMLResponse)
async def annex_page(request: Request, number: str,
                     seq: Annotated[int, Path(ge=1, le=MAX_ANNEX)]) -> HTMLResponse:
    annex = browser(request).annex(number, seq)
    return render(request, "annex.html", {"annex": annex,
                                          "text": request.app.state.annex_texts.get(browser(request), annex),
                                          "masked": request.app.state.config.publication.masquer_personnes})


@router.get("/documents/{id}", response_class=HTMLResponse)
async def document_page(request: Request, id: str) -> HTMLResponse:
    return render(request, "document.html", {"document": browser(request).document(id)})


@router.get("/donnees", response_class=HTMLResponse)
async def data_page(request: Request) -> HTMLResponse:
    return render(request, "data.html", {"counts": request.app.state.store.counts()})


def _export(request: Request, fmt: str) -> str:
    out = io.StringIO()
    jobs.export(request.app.state.store, fmt, out, request.app.state.config, request.app.state.public.record)
    return out.getvalue()


@router.get("/donnees/deliberations.csv")
def scdl_csv(request: Request) -> Response:
    """The deliberations in the SCDL "Délibérations" table schema."""
    return Response(_export(request, "scdl"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="deliberations.csv"'})


@router.get("/donnees/recueil.jsonl")
def jsonl(request: Request) -> Response:
    """Every record, one JSON object a line (DESIGN.md's contract)."""
    return Response(_export(request, "jsonl"), media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="recueil.jsonl"'})
