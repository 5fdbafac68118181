"""`recueil seance generer`: the documents of a recorded sitting written to a folder, each as text and
as PDF — one per deliberation (`2025-360.txt`, `2025-360.pdf`, the act then its rapport), the list
of deliberations, the convocation and the procès-verbal — ready for `recueil ingest` to read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from recueil.config import Collectivite
from recueil.seance.documents import (
    Sitting,
    convocation_text,
    deliberation_text,
    list_text,
    proces_verbal_text,
    report_text,
)
from recueil.seance.rules import Refused
from recueil.seance.sitting import Sitting as LiveSitting
from recueil.seance.storage import item_record, sitting_record
from recueil.store import schema
from recueil.store.ledger import public_vote
from recueil.workers import forked_map


def load(conn: Connection, sitting_id: str) -> Sitting:
    """A recorded sitting and its items; refused when none has that id."""
    found = conn.execute(select(schema.recorded_sittings.c.data)
                         .where(schema.recorded_sittings.c.id == sitting_id)).first()
    if found is None:
        known = [row.id for row in conn.execute(select(schema.recorded_sittings.c.id)
                                                .order_by(schema.recorded_sittings.c.date))]
        hint = f" (séances enregistrées : {', '.join(known)})" if known else " (aucune : recueil seance import d'abord)"
        raise Refused([f"séance inconnue : {sitting_id}{hint}"])
    items = conn.execute(select(schema.recorded_items.c.data).where(schema.recorded_items.c.sitting_id == sitting_id)
                         .order_by(schema.recorded_items.c.seq))
    return Sitting(found.data, [row.data for row in items])


def public_casts(conn: Connection, sitting: Sitting) -> dict[str, list[dict[str, Any]]]:
    """The ledger of each public vote, by deliberation: the procès-verbal names those voters."""
    found = {i["number"]: public_vote(conn, i["number"]) for i in sitting.items if i.get("mode") == "public"}
    return {number: casts for number, casts in found.items() if casts}


def recorded(sitting: LiveSitting) -> Sitting:
    """A sitting just replayed, as the store keeps it (JSON through and through), without storing it."""
    groups = sitting.roster.groups
    return Sitting(json.loads(json.dumps(sitting_record(sitting))),
                   [json.loads(json.dumps(item_record(i, groups))) for i in sitting.items])


def ledgers(sitting: LiveSitting) -> dict[str, list[dict[str, Any]]]:
    """The ledger of each public vote of a sitting just replayed (see `public_casts`)."""
    return {i.number: [{"member": c.member, "position": c.position} for c in i.ballot.casts]
            for i in sitting.items if i.ballot and i.number and i.ballot.mode == "public"}


@dataclass(frozen=True)
class Written:
    name: str  # the file's stem: "2025-360", "proces-verbal"
    text: str
    pdf: bytes


def documents(sitting: Sitting, casts: dict[str, list[dict[str, Any]]], collectivite: Collectivite,
              progress: Callable[[str], None] | None = None, workers: int | None = None) -> list[Written]:
    """Every document of the sitting, text and PDF; the PDFs laid out by the publishing layer on
    `workers` forked processes (default: all cores), `progress(name)` told as each is done."""
    from recueil.publish.fonts import fonts
    from recueil.publish.render import text_pdf
    from recueil.text.dates import date_fr

    faces = fonts()
    record = sitting.record
    day = record["date"]
    when = f"séance du {date_fr(day)}"
    made: list[tuple[str, str, str, str]] = []  # name, title, text, address
    for item in sitting.deliberated:
        number = item["number"]
        text = f"{deliberation_text(sitting, item, collectivite.nom)}\n{report_text(sitting, item, collectivite.nom)}"
        made.append((number, f"Délibération n° {number} — {item['title']}", text, collectivite.act_url(number)))
    made += [
        ("liste-des-deliberations", f"Liste des délibérations — {when}", list_text(sitting, collectivite.nom),
         collectivite.site),
        ("convocation", f"Convocation — {when}", convocation_text(sitting, collectivite.nom), collectivite.site),
        ("proces-verbal", f"Procès-verbal — {when}", proces_verbal_text(sitting, collectivite.nom, casts),
         collectivite.site),
    ]
    tasks = [partial(text_pdf, title, text, collectivite, day, url, faces) for _, title, text, url in made]
    written = []
    for (name, _, text, _), pdf in zip(made, forked_map(tasks, workers), strict=True):
        written.append(Written(name, text, pdf))
        if progress:
            progress(name)
    return written


def write(made: list[Written], out: Path) -> list[Path]:
    """Each document into `out` (created if needed), text then PDF; the paths written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for doc in made:
            text, pdf = out / f"{doc.name}.txt", out / f"{doc.name}.pdf"
            text.write_text(doc.text, encoding="utf-8")
            pdf.write_bytes(doc.pdf)
            paths += [text, pdf]
    except OSError as error:
        raise Refused([f"{out} : écriture impossible ({error.strerror})"]) from error
    return paths


def generate(conn: Connection, sitting_id: str, out: Path, collectivite: Collectivite,
             progress: Callable[[str], None] | None = None) -> list[Path]:
    """Writes the documents of a recorded sitting into `out`; the paths written."""
    sitting = load(conn, sitting_id)
    return write(documents(sitting, public_casts(conn, sitting), collectivite, progress), out)
