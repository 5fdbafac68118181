"""Road orders as a calendar: iCalendar (RFC 5545) for a haulier's or a mayor's agenda, and CSV.

The RAA lists the arrêtés de circulation of the month in its sommaire: a departmental road, the
communes it crosses, the works and their period ("RD D939 au territoire de la commune de Etaples
– Travaux … du 14 juin 2021 au 18 juin 2021"). Each order with a known period becomes one all-day
event: DTEND is the day after the last day (RFC 5545 § 3.6.1: the end of an all-day event is
exclusive), and the UID is built from the document and the sommaire line, so that a calendar
that subscribes to the feed updates an event rather than duplicating it.

The filters fold case, accents and hyphens: "saint etienne au mont" finds "Saint-Etienne-au-Mont",
and "RD 939", "D939" and "939" are the same road.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any

from sqlalchemy import select

from recueil.config import Collectivite
from recueil.store import schema
from recueil.store.database import Store
from recueil.text.clean import fold

__all__ = ["RoadOrder", "road_orders", "to_csv", "to_ics", "CSV_HEADER"]

CSV_HEADER = ["début", "fin", "routes", "communes", "objet", "intitulé", "page", "adresse"]
PRODID = "-//recueil//Arrêtés de voirie//FR"


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
        """The act's place on the site, as the search links to it (store/search.py, url_of)."""
        return f"/documents/{self.document}#ligne-{self.line}"

    @property
    def uid(self) -> str:
        period = f"{self.start:%Y%m%d}" if self.start else "permanent"
        return f"arrete-voirie-{self.document}-{self.line}-{period}@recueil"

    def in_force(self, day: date) -> bool:
        return self.start is not None and self.start <= day <= (self.end or self.start)


def _road_key(road: str) -> str:
    """ "RD 939", "D939", "rd939", "939" → "939"."""
    return re.sub(r"^R?D", "", fold(road).replace(" ", ""))


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
    only when given, and only those in force on the day `on` when given."""
    orders = _stored(source)
    if commune and commune.strip():
        wanted = fold(commune)
        orders = [o for o in orders if any(fold(name) == wanted for name in o.commune_names)]
    if road and road.strip():
        key = _road_key(road)
        orders = [o for o in orders if any(_road_key(code) == key for code in o.road_codes)]
    if on:
        day = _on(on) if isinstance(on, str) else on
        orders = [o for o in orders if o.in_force(day)]
    return sorted(orders, key=lambda o: (o.start or date.max, o.document, o.line))


def _on(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"date invalide : « {value} » (attendu AAAA-MM-JJ)") from None


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 § 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold_line(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 § 3.1), never inside a UTF-8 character."""
    pieces, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces) + "\r\n"


def summary(order: RoadOrder) -> str:
    """ "RD D939 – Etaples": the road and the communes, what a calendar shows first."""
    return " – ".join(x for x in (order.roads, ", ".join(order.commune_names) or order.communes) if x)


def to_ics(orders: Iterable[RoadOrder], base_url: str = Collectivite().site,
           stamp: datetime | None = None, name: str = "Arrêtés de voirie") -> str:
    """An iCalendar with one all-day VEVENT per order that has a period; `base_url` is where the
    site is served (the act's URL is `base_url` + its path), `stamp` the DTSTAMP (now by default)."""
    stamp = (stamp or datetime.now(timezone.utc)).astimezone(timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(name)}"]
    for order in orders:
        if order.start is None:
            continue
        last = order.end if order.end and order.end >= order.start else order.start
        description = order.title + (f"\nRecueil des actes administratifs, page {order.page}" if order.page else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{order.uid}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{order.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary(order))}",
            f"DESCRIPTION:{_escape(description)}",
            f"LOCATION:{_escape(', '.join(order.commune_names) or order.communes)}",
            f"URL:{base_url.rstrip('/')}{order.path}",
            "CATEGORIES:Arrêté de voirie",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold_line(line) for line in lines)


def to_csv(orders: Iterable[RoadOrder], out: IO[str], base_url: str = Collectivite().site) -> int:
    """One CSV row per order (header `CSV_HEADER`, UTF-8, comma-separated); returns the rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for order in orders:
        writer.writerow([order.start.isoformat() if order.start else "", order.end.isoformat() if order.end else "",
                         order.roads, ", ".join(order.commune_names) or order.communes, order.object, order.title,
                         order.page if order.page is not None else "", f"{base_url.rstrip('/')}{order.path}"])
        count += 1
    return count
