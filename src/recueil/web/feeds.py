"""Atom 1.0 feeds: the newest deliberations, and any search (to follow "fibre optique" or a commune).

Built with ElementTree, which escapes every text and attribute: titles and snippets come from
documents and are untrusted. Every address written (Atom ids and links, iCalendar URLs) is on the
configured site (`Collectivite.site`), never the request's Host header: an Atom id must be
permanent, and a Host sent by anyone must not end up in an answer that is cached and shared.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from recueil.export import calendar
from recueil.store.facets import NAMES
from recueil.store.query import QueryError
from recueil.text.dates import date_fr
from recueil.vocabulary import RESULTS, VOTE_CHOICES, assembly_name, capitalised
from recueil.web.api import SearchFilters
from recueil.web.format import KINDS
from recueil.web.pages import MAX_QUERY, browser

router = APIRouter(prefix="/feeds", tags=["Flux Atom"])


class AtomResponse(Response):
    """An Atom feed: its media type as OpenAPI lists it, the charset said in the header too."""

    media_type = "application/atom+xml"

    def __init__(self, content: str, status_code: int = 200) -> None:
        super().__init__(content, status_code, media_type=f"{self.media_type}; charset=utf-8")


class CalendarResponse(Response):
    media_type = "text/calendar"  # Starlette adds "; charset=utf-8" to a text type
ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def site(request: Request) -> str:
    """The configured site address, without its final slash."""
    return str(request.app.state.config.collectivite.site).rstrip("/")


class Feed:
    """An Atom document under construction; `xml()` serialises it."""

    def __init__(self, request: Request, title: str, alternate: str) -> None:
        self.base = site(request)
        query = request.url.query
        here = self.base + request.url.path + (f"?{query}" if query else "")
        self.root = ET.Element("feed", xmlns=ATOM)
        ET.SubElement(self.root, "title").text = title
        ET.SubElement(self.root, "id").text = here
        ET.SubElement(self.root, "link", rel="self", href=here)
        ET.SubElement(self.root, "link", rel="alternate", type="text/html", href=self.base + alternate)
        ET.SubElement(ET.SubElement(self.root, "author"), "name").text = request.app.state.config.collectivite.nom
        self.updated = ET.SubElement(self.root, "updated")
        self.newest: str | None = None

    def entry(self, title: str, url: str, published: str | None, updated: str | None, summary: str) -> None:
        """An entry; `published` is the day of the act (its séance), `updated` its last known
        step (its publication), either missing for an undated record (then the other, else none)."""
        entry = ET.SubElement(self.root, "entry")
        ET.SubElement(entry, "title").text = title
        ET.SubElement(entry, "id").text = self.base + url
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=self.base + url)
        last = max(d for d in (published, updated) if d) if published or updated else None
        if published:
            ET.SubElement(entry, "published").text = _timestamp(published)
        # Atom asks for `updated`: an undated record is given the feed's own day (when it was read)
        ET.SubElement(entry, "updated").text = _timestamp(last) if last else _now()
        ET.SubElement(entry, "summary").text = summary
        self.newest = max(self.newest or "", last or "") or None

    def response(self) -> Response:
        """The feed; it is as new as its newest entry, and an empty feed as the moment it is read."""
        self.updated.text = _timestamp(self.newest) if self.newest else _now()
        body = ET.tostring(self.root, encoding="unicode", xml_declaration=True)
        return AtomResponse(body)


@router.get("/deliberations.atom", summary='Flux des délibérations',
            description='Les dernières délibérations publiées, en Atom.', response_class=AtomResponse)
async def deliberations_feed(request: Request) -> Response:
    """The newest deliberations."""
    feed, public = Feed(request, "Délibérations — dernières publiées", "/"), request.app.state.public
    for act in browser(request).deliberations(limit=ENTRIES)["results"]:
        feed.entry(f"N° {act['number']} — {public(act['display_title'])}", act["url"],
                   act["date"], act["published"], summary(act))
    return feed.response()


def summary(act: dict[str, Any]) -> str:
    """What was decided and how it was voted, in a sentence: "Adoptée à l'unanimité (pour 76) —
    Conseil départemental, séance du 22 septembre 2025. Matière : Enseignement."."""
    what = capitalised(RESULTS.get(act["result"] or "", "délibération"))
    if act["pour"] is not None:
        counts = ", ".join(f"{VOTE_CHOICES[k]} {act[k]}" for k in ("pour", "contre", "abstention") if act[k])
        what += (" à l'unanimité" if act["unanimous"] else "") + (f" ({counts})" if counts else "")
    against = [f"{group} : {', '.join(VOTE_CHOICES[p] for p in positions)}"
               for group, positions in act["groups"].items() if positions != ["pour"]]
    what += f" — {assembly_name(act['body'])}" + (f", séance du {date_fr(act['date'])}." if act["date"] else ".")
    if against:
        what += " Groupes : " + " ; ".join(against) + "."
    if act["matiere"]:
        what += f" Matière : {act['matiere']}."
    return what


@router.get("/search.atom", summary="Flux d'une recherche",
            description="Les meilleurs résultats d'une recherche, avec les dates et filtres de /api/search, en Atom ; sans rien, les plus récents.", response_class=AtomResponse)
async def search_feed(request: Request, q: Annotated[str, Query(description="la requête, comme sur /api/search",
                                                                 max_length=MAX_QUERY)] = "",
                type: str | None = None,
                from_: Annotated[str | None, Query(alias="from", description="date de début AAAA-MM-JJ")] = None,
                to: Annotated[str | None, Query(description="date de fin AAAA-MM-JJ")] = None,
                asked_filters: Annotated[SearchFilters, Query()] = SearchFilters()) -> Response:
    """The best results of a search, with the dates and filters of /api/search (QueryError → 400,
    in French); with nothing asked, the newest records."""
    filters = asked_filters.asked()
    found = browser(request).search(q, type, from_, to, limit=ENTRIES, filters=filters)
    asked = ([f"« {q} »"] if q else []) + [f"{NAMES[k]} {v}" for k, v in filters.items()] + ([type] if type else [])
    asked += ([f"du {date_fr(from_)}"] if from_ else []) + ([f"au {date_fr(to)}"] if to else [])
    feed = Feed(request, f"Recherche : {', '.join(asked)}", "/recherche?" + str(request.url.query))
    public = request.app.state.public
    for hit in found.results:
        if hit.url:
            feed.entry(f"{KINDS.get(hit.type, hit.type)} — {public(hit.title)}", hit.url, hit.date, None,
                       public("".join(f.text for f in hit.snippet)))
    return feed.response()


@router.get("/road-orders.ics", summary='Calendrier des arrêtés de voirie',
            description="Un événement d'une journée par arrêté et période, à suivre dans un agenda ; par commune, route ou jour en vigueur.", response_class=CalendarResponse)
async def road_orders_calendar(request: Request, commune: str = "", road: str = "", on: str = "") -> Response:
    """The road orders as an iCalendar to subscribe to, one all-day event per order and period;
    filtered by commune, road, or the day they are in force (a bad date → 400, in French)."""
    try:
        orders = calendar.road_orders(request.app.state.store, commune=commune or None, road=road or None,
                                      on=on or None)
    except ValueError as error:
        raise QueryError(str(error)) from None
    return CalendarResponse(calendar.to_ics(orders, base_url=site(request)))
