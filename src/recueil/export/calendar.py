"""Road orders as a calendar: iCalendar (RFC 5545) for a haulier's or a mayor's agenda, and CSV.

The RAA lists the arrêtés de circulation of the month in its sommaire: a departmental road, the
communes it crosses, the works and their period ("RD D939 au territoire de la commune de Etaples
– Travaux … du 14 juin 2021 au 18 juin 2021"). Each order with a known period becomes one all-day
event: DTEND is the day after the last day (RFC 5545 § 3.6.1: the end of an all-day event is
exclusive), and the UID is built from the document and the sommaire line, so that a calendar
that subscribes to the feed updates an event rather than duplicating it.

The orders and their filters are the store's (store/roads.py); this module writes them out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import IO

from recueil.config import Collectivite
from recueil.store.roads import RoadOrder, road_orders

__all__ = ["CSV_HEADER", "RoadOrder", "road_orders", "to_csv", "to_ics"]

CSV_HEADER = ["début", "fin", "routes", "communes", "objet", "intitulé", "page", "adresse"]
PRODID = "-//recueil//Arrêtés de voirie//FR"


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
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
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
