"""Road-traffic orders as the sommaires list them, read back from a store or from JSONL records,
and filtered the way readers ask: by commune (case, accents and hyphens folded: "saint etienne au
mont" finds "Saint-Etienne-au-Mont"), by road ("RD 939", "D939" and "939" are one road) and by the
day they are in force. The site, the feeds and the calendar export all read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from recueil.store import schema
from recueil.store.database import Store
from recueil.text.clean import fold
from recueil.text.roads import road_key
from recueil.urls import record_url


@dataclass(frozen=True)
class RoadOrder:
    """A road-traffic order as listed in a sommaire, with where to read it (`path` on the site)."""

    document: str
    line: int
    title: str
    roads: str
    communes: str
    object: str
    start: date | None
    end: date | None
    road_codes: tuple[str, ...]
    commune_names: tuple[str, ...]
    page: int | None

    @property
    def path(self) -> str:
        """The act's place on the site, as the search links to it."""
        return record_url("road_order", f"{self.document}/ligne-{self.line}") or ""

    @property
    def uid(self) -> str:
        period = f"{self.start:%Y%m%d}" if self.start else "permanent"
        return f"arrete-voirie-{self.document}-{self.line}-{period}@recueil"

    def in_force(self, day: date) -> bool:
        return self.start is not None and self.start <= day <= (self.end or self.start)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _order(document: str, data: dict[str, Any]) -> RoadOrder:
    period = data.get("period") or {}
    return RoadOrder(
        document=document,
        line=data["source"]["first_line"],
        title=data["title"],
        roads=data.get("roads") or "",
        communes=data.get("communes") or "",
        object=data.get("object") or "",
        start=_day(period.get("start")),
        end=_day(period.get("end")),
        road_codes=tuple(data.get("road_codes") or ()),
        commune_names=tuple(data.get("commune_names") or ()),
        page=data.get("page"),
    )


def _stored(source: Store | Iterable[dict[str, Any]]) -> list[RoadOrder]:
    """Road orders from a store (one query) or from JSONL records (documents first, as
    Store.records() yields them: the document id is read from its record)."""
    if isinstance(source, Store):
        table = schema.listed_acts
        query = select(table.c.document_id, table.c.data).where(table.c.kind == "road_order").order_by(table.c.pk)
        with source.engine.connect() as conn:
            return [_order(row.document_id, row.data) for row in conn.execute(query)]
    documents: dict[str, str] = {}
    orders = []
    for record in source:
        if record.get("type") == "document":
            documents[record["source"]] = record["id"]
        elif record.get("type") == "listed_act" and record.get("kind") == "road_order":
            name = record["source"]["document"]
            orders.append(_order(documents.get(name, name), record))
    return orders


def road_orders(source: Store | Iterable[dict[str, Any]], commune: str | None = None, road: str | None = None,
                on: date | str | None = None) -> list[RoadOrder]:
    """The road orders of a store or of records, by start date, those of `commune` and on `road`
    only when given, and only those in force on the day `on` when given. A commune or a road that
    no order names is refused, as the search refuses an unknown filter value: a misspelt name
    must not read as "no works there"."""
    every = orders = _stored(source)
    if commune and commune.strip():
        wanted = fold(commune)
        orders = [o for o in orders if any(fold(name) == wanted for name in o.commune_names)]
        if not orders:
            raise ValueError(f"commune inconnue : {commune.strip()}")
    if road and road.strip():
        key = road_key(road)
        if key is None:
            raise ValueError(f"route invalide : « {road} » (attendu : un code de route, par exemple D939)")
        if not any(road_key(code) == key for o in every for code in o.road_codes):
            raise ValueError(f"route inconnue : {road.strip()}")
        orders = [o for o in orders if any(road_key(code) == key for code in o.road_codes)]
    if on:
        day = _on(on) if isinstance(on, str) else on
        orders = [o for o in orders if o.in_force(day)]
    return sorted(orders, key=lambda o: (o.start or date.max, o.document, o.line))


def _on(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"date invalide : « {value} » (attendu AAAA-MM-JJ)") from None
