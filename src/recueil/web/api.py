"""The JSON API under /api: the data of the pages, typed for OpenAPI; every list also as CSV.

Each path answers as a page's twin, with the same builder of `store/browse.py` and the same
rendering of pages.py: /api/search as /recherche.json (.csv; pages by `limit` and `offset` rather
than `page`), /api/deliberations/{number} as /deliberations/{number}.json, /api/sittings[/{id}] as
/seances[/{id}].json, /api/councillors[/{id}] as /conseillers[/{id}].json, /api/road-orders as
/routes.json (`road` and `on` for `route` and `le`); `?format=csv` as the lists' `.csv`. The dicts
are returned directly (no second validation pass on the hot path); the response models below
document their shape and the tests check it on real data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from recueil.store import listing
from recueil.store.groups import SOURCE_PATTERN
from recueil.web.pages import (
    COUNCILLOR_COLUMNS,
    MAX_QUERY,
    SITTING_COLUMNS,
    as_csv,
    as_json,
    browser,
    deliberations_answer,
    road_orders_csv,
    search_answer,
)

router = APIRouter(prefix="/api", tags=["API"])
Format = Annotated[Literal["json", "csv"], Query(description="json (défaut) ou csv")]
Position = Literal["pour", "contre", "abstention", "ne_prend_pas_part", "absent_sans_delegation"]  # in a vote block


class SearchFilters(BaseModel):
    """The filters of a search (store/facets.py): each a value of the facet of that name, its label
    or a spelling of it (accents and case folded); empty for none."""

    body: str | None = Field(default=None, description="organe : cd, cp…")
    sitting: str | None = Field(default=None, description="séance : cd-2025-09-22")
    vote: str | None = Field(default=None, description="unanimous, abstentions ou against")
    group: str | None = Field(default=None, description="groupe qui a voté contre ou s'est abstenu, ou qui a déposé le vœu")
    territory: str | None = Field(default=None, description="territoire nommé par le rapport")
    canton: str | None = Field(default=None, description="canton nommé par le rapport")
    epci: str | None = Field(default=None, description="EPCI nommé par le rapport")
    commune: str | None = Field(default=None, description="commune d'un arrêté de voirie")
    road: str | None = Field(default=None, description="route d'un arrêté de voirie")

    def asked(self) -> dict[str, str]:
        return {key: value for key, value in self.model_dump().items() if value}


class Problem(BaseModel):
    """An error: `detail` says why, in French."""

    detail: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "enregistrement introuvable"}}


class Fragment(BaseModel):
    """A piece of a snippet; `match` marks a word of the query (to highlight). Joined, the
    fragments give the snippet as plain text; nothing in them is HTML."""

    text: str
    match: bool


class Hit(BaseModel):
    type: str
    id: str
    number: str | None
    title: str
    date: str | None
    url: str | None
    snippet: list[Fragment]


class SearchPage(BaseModel):
    """`total` is exact when `total_exact`, a lower bound otherwise; `facets`: per key, the
    (value, count) pairs over the hits, to pass back as that key's filter."""

    total: int
    total_exact: bool
    results: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    facet_hits: int
    notice: str | None = None  # why nothing was searched: a query of stop words only


class Record(BaseModel):
    """A JSONL record of DESIGN.md; nested values as there."""

    model_config = ConfigDict(extra="allow")
    type: str


class Deliberation(Record):
    number: str
    title: str
    body: str
    sitting_date: str | None
    decision: str | None
    sent_to_prefecture: str | None
    received_by_prefecture: str | None
    published: str | None
    ack: str | None
    articles: list[dict[str, Any]]
    attendance: dict[str, list[str]]
    vote: dict[str, Any] | None
    source: dict[str, Any]
    text: str


class SittingSummary(BaseModel):
    id: str
    body: str
    date: str
    president: str | None
    present: int
    excused: int
    proxies: int
    deliberations: int
    interventions: int


class Person(BaseModel):
    name: str
    id: str


class PersonProxy(BaseModel):
    giver: Person
    holder: Person | None  # None: the minutes name only who voted by proxy


class Sitting(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    body: str
    date: str
    president: str | None
    attendance: dict[str, list[Person]]
    proxies: list[PersonProxy]
    agenda: list[dict[str, Any]]
    interventions: int
    motions: list[dict[str, Any]]


class CouncillorSummary(BaseModel):
    """`group_source` says where the group was read: "ledger" (the séance held here, recorded
    votes), "members" (the members list, imported or seeded), else what the documents state,
    joined by "+" when several do: "absence" (absent without delegation, of the one group a vote
    block gives them), "motion" (signed a vœu for the group), "vote" (named in a vote block);
    None when nothing states it."""

    id: str
    name: str
    group: str | None
    group_source: Annotated[str | None, Field(pattern=SOURCE_PATTERN)]
    acts_listed: int
    acts_present: int
    acts_excused: int
    acts_absent: int
    presence_rate: float | None
    sittings_listed: int
    sittings_present: int
    proxies_given: int
    proxies_received: int
    interventions: int


class Councillor(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    group: str | None
    presence_rate: float | None
    spellings: list[str]
    proxies_given: list[dict[str, Any]]
    proxies_received: list[dict[str, Any]]
    speeches: list[dict[str, Any]]


class RoadOrder(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    url: str
    title: str
    roads: str | None
    communes: str | None
    object: str | None
    period: dict[str, str | None] | None
    road_codes: list[str]
    commune_names: list[str]
    page: int | None


@router.get("/search", summary='Recherche plein texte',
            description="Les enregistrements qui répondent à la requête, les meilleurs d'abord (ou par date avec sort) ; l'extrait est une liste de fragments de texte brut, match marquant les mots de la requête. Sans mot ni filtre : les plus récents. Une requête de mots trop courants ou une période inversée : aucun résultat et notice dit pourquoi.", response_model=SearchPage)
async def search(request: Request,
           q: Annotated[str, Query(description="mots, \"phrase\", ET/OU/SAUF, préfixe*, n° d'acte (2025-361)",
                                   max_length=MAX_QUERY)] = "",
           type: Annotated[str | None, Query(description="deliberation, report, road_order, decision, order, "
                                                         "listed_act, intervention, motion")] = None,
           from_: Annotated[str | None, Query(alias="from", description="date de début AAAA-MM-JJ")] = None,
           to: Annotated[str | None, Query(description="date de fin AAAA-MM-JJ")] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
           filters: Annotated[SearchFilters, Query()] = SearchFilters(),
           sort: Annotated[Literal["", "-date", "date"], Query(description="vide : les meilleurs d'abord ; -date : les "
                                                                          "plus récents ; date : les plus anciens")] = "",
           format: Format = "json") -> Response:
    """Full-text search, best first. `snippet` is a list of fragments: plain text, with `match`
    on the words of the query (to highlight); joined, they give the snippet. Filters: `body` (cd,
    cp), `sitting` (cd-2025-09-22), `vote` (unanimous, abstentions, against), `group`, `territory`,
    `canton`, `epci`, `commune`, `road` — the values of `facets`. With filters or a type, `q` may
    be empty: the newest records are listed (all of them, with neither)."""
    found = browser(request).search(q, type, from_, to, limit, offset, filters.asked(), sort)
    return search_answer(request, found, format)


class ListedDeliberation(BaseModel):
    """A row of the list of deliberations: `groups` gives each group's position(s) on the vote
    (two when the group split); counts are None where no vote was printed. `group_counts` gives
    each group's votes by position: from the ledger of the séance held here
    (`group_counts_source` "ledger"), else "derived" from the vote block and the members list of
    that date, a count left null where they do not fix it."""

    number: str
    date: str | None
    body: str
    sitting: str | None
    title: str
    display_title: str
    decision: str | None
    result: Literal["adopte", "rejete", "prend_acte", "retire", "reporte"] | None
    matiere_code: str | None
    matiere: str | None
    pour: int | None
    contre: int | None
    abstention: int | None
    ne_prend_pas_part: int | None
    absent_sans_delegation: int | None
    unanimous: bool
    derived: bool
    groups: dict[str, list[Position]]
    group_counts: dict[str, dict[Position, int | None]]
    group_counts_source: Literal["ledger", "derived"] | None
    published: str | None
    url: str


class DeliberationList(BaseModel):
    """`total` rows match; `results` holds `limit` of them from `offset` (all when `limit` is null)."""

    total: int
    offset: int
    limit: int | None
    results: list[ListedDeliberation]
    notice: str | None = None  # why no row can match: an inverted period


@router.get("/deliberations", summary='Liste des délibérations',
            description="Chaque délibération avec sa date, son instance, son titre, sa décision, son résultat, son décompte et la position de chaque groupe ; filtrée, triée, paginée avec le total. En CSV, toutes les lignes sauf limit, les groupes d'une position dans une colonne.", response_model=DeliberationList)
async def deliberations(
        request: Request,
        from_: Annotated[str | None, Query(alias="from", description="séances à partir de ce jour (AAAA-MM-JJ)")] = None,
        to: Annotated[str | None, Query(description="séances jusqu'à ce jour (AAAA-MM-JJ)")] = None,
        body: Annotated[str | None, Query(description="instance : cd, cp, cm…")] = None,
        sitting: Annotated[str | None, Query(description="séance : cd-2025-09-22 (une séance de la base)")] = None,
        matiere: Annotated[str | None, Query(description="code ACTES ou sa matière : 7 ou 7.4",
                                             pattern=r"^\d(\.\d{1,2})?$")] = None,
        vote: Annotated[Literal["unanimous", "abstentions", "against", "divided"] | None,
                        Query(description="à l'unanimité, avec abstentions, avec votes contre, un groupe partagé")] = None,
        group: Annotated[str | None, Query(description="un groupe politique, sans souci d'accents ni de casse")] = None,
        position: Annotated[Position | None, Query(description="la position du groupe (avec group) ; seule : celle d'au moins un groupe")] = None,
        result: Annotated[Literal["adopte", "rejete", "prend_acte", "retire", "reporte"] | None, Query()] = None,
        q: Annotated[str | None, Query(description="mots que le titre (ou le numéro) contient", max_length=MAX_QUERY)] = None,
        sort: Annotated[Literal["-date", "date", "number", "-number"], Query(description="tri")] = "-date",
        limit: Annotated[int | None, Query(ge=1, le=1000, description="50 par défaut en JSON ; tout en CSV")] = None,
        offset: Annotated[int, Query(ge=0)] = 0, format: Format = "json") -> Response:
    """Every deliberation with its date, assembly, title, decision, result, counts and each group's
    position(s); filtered, sorted, paginated with the total. CSV gives every matching row unless
    `limit` is set, each position's groups in a column of their own."""
    params = {"from": from_, "to": to, "body": body, "sitting": sitting, "matiere": matiere, "vote": vote,
              "group": group, "position": position, "result": result, "q": q, "sort": sort}
    found = browser(request).deliberations(listing.criteria(params), limit or (None if format == "csv" else 50),
                                           offset)
    return deliberations_answer(request, found, format)


@router.get("/deliberations/{number}", summary='Une délibération',
            description="La délibération telle que l'export JSONL l'écrit.", response_model=Deliberation, responses=NOT_FOUND)
async def deliberation(request: Request, number: Annotated[str, Path(
        pattern=r"^[0-9A-Za-z][0-9A-Za-z ._-]{0,39}$", examples=["2025-361"],
        description="numéro tel qu'imprimé : 2025-361, D2024-12, DEL 2023-07")]) -> Response:
    """A deliberation as its JSONL record."""
    return as_json(request, browser(request).deliberation_record(number))


@router.get("/sittings", summary='Séances',
            description="Chaque séance enregistrée, la plus récente d'abord.", response_model=list[SittingSummary])
async def sittings(request: Request, format: Format = "json") -> Response:
    """Every stored sitting, newest first (as a JSON array, or CSV)."""
    rows = browser(request).sittings()
    return as_csv(rows, SITTING_COLUMNS) if format == "csv" else as_json(request, rows)


@router.get("/sittings/{id}", summary='Une séance',
            description="L'appel, les délégations, l'ordre du jour avec les votes et les prises de parole, les vœux.", response_model=Sitting, responses=NOT_FOUND)
async def sitting(request: Request, id: str) -> Response:
    """A sitting: roll call, proxies, agenda with votes and speaking turns, vœux."""
    return as_json(request, browser(request).sitting(id))


@router.get("/councillors", summary='Conseillers',
            description="Chaque personne nommée dans les présences, délégations, prises de parole ou vœux, avec son groupe, d'où il vient, et sa présence.", response_model=list[CouncillorSummary])
async def councillors(request: Request, format: Format = "json") -> Response:
    """Every person named in attendance, proxies, speaking turns or vœux, with presence figures."""
    rows = browser(request).councillors()
    return as_csv(rows, COUNCILLOR_COLUMNS) if format == "csv" else as_json(request, rows)


@router.get("/councillors/{id}", summary='Un conseiller',
            description='Son groupe, sa présence, les délégations données et reçues, ses prises de parole.', response_model=Councillor, responses=NOT_FOUND)
async def councillor(request: Request, id: str) -> Response:
    """A councillor: group, presence, proxies given and received, speaking turns."""
    return as_json(request, browser(request).councillor(id))


@router.get("/road-orders", summary='Arrêtés de voirie',
            description="Les arrêtés de voirie, par route puis commune, avec leurs périodes ; une commune ou une route qu'aucun arrêté ne nomme est refusée.", response_model=list[RoadOrder])
async def road_orders(request: Request,
                commune: Annotated[str | None, Query(description="commune, sans souci d'accents ni de casse")] = None,
                road: Annotated[str | None, Query(description="route : D939, RD 939 ou 939")] = None,
                on: Annotated[str | None, Query(description="en vigueur ce jour-là (AAAA-MM-JJ)")] = None,
                format: Format = "json") -> Response:
    """Road-traffic orders, by road then commune, with their periods."""
    rows = browser(request).road_orders(road, commune, on)
    return road_orders_csv(rows) if format == "csv" else as_json(request, rows)
