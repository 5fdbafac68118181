"""What the collectivité must publish, and publishing it: each deliberation, and for each séance the
list of its deliberations and its procès-verbal (ordonnance and décret of 7 October 2021).

Every publishable item has a stable identifier (the act number, or "<séance>/liste" and
"<séance>/proces-verbal"), a stable path in the folder ("2021/2021-232.pdf") and an address on the
site ("<site>/publications/2021/2021-232.pdf"). Publishing renders the items the register does not
hold yet; a correction renders an item again as a new file ("2021/2021-232-v2.pdf") whose entry
points at the one it corrects.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from recueil.config import Collectivite
from recueil.model import LIST, TRANSCRIPT, list_id, sitting_id, transcript_id
from recueil.publish import render
from recueil.publish.fonts import Fonts, fonts as default_fonts
from recueil.publish.register import Entry, Register
from recueil.store import schema
from recueil.store.database import Store
from recueil.text.dates import date_fr
from recueil.vocabulary import assembly_heading


class PublishError(Exception):
    """Nothing can be published as asked; the message (in French) says why."""


Renderer = Callable[[str, str, str | None], bytes]  # (day, url, correction note) -> PDF bytes
TextFilter = Callable[[str], str]  # the text as it may be published (names of private persons masked)
_TURN_SEPARATOR = "\n\n§§\n\n"  # between speaking turns, so that a procès-verbal is masked as one text


def unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class Item:
    """Something to publish: its identifier, kind, title, path in the folder and how to render it."""

    act: str
    kind: str  # deliberation | liste | proces_verbal
    title: str
    file: str
    sitting_date: str
    render: Renderer


def items(store: Store, collectivite: Collectivite, fonts: Fonts, public: TextFilter = unchanged) -> Iterator[Item]:
    """Everything publishable in the store, séance by séance (in date order): its deliberations by
    number, then its list, then its procès-verbal when the store holds its speaking turns; texts
    are published as `public` gives them."""
    deliberations = _deliberations(store)
    sittings = _sittings(store)
    turns = _interventions(store)
    by_sitting: dict[str, list[dict[str, Any]]] = {}
    for record in deliberations:
        key = sitting_id(record["body"], record["sitting_date"])
        by_sitting.setdefault(key, []).append(record)
        sittings.setdefault(key, {"id": key, "body": record["body"], "date": record["sitting_date"]})
    for key, sitting in sorted(sittings.items(), key=lambda kv: (kv[1]["date"], kv[0])):
        year = sitting["date"][:4]
        acts = sorted(by_sitting.get(key, []), key=lambda r: _number_key(r["number"]))
        for record in acts:
            yield Item(record["number"], "deliberation", record["title"], f"{record['number'][:4]}/{record['number']}.pdf",
                       sitting["date"], _act_renderer(record, collectivite, fonts, public))
        label = f"{assembly_heading(sitting['body'])}, séance du {date_fr(sitting['date'])}"
        if acts:
            yield Item(list_id(key), "liste", f"Liste des délibérations — {label}", f"{year}/{key}-{LIST}.pdf",
                       sitting["date"], _list_renderer(sitting, acts, collectivite, fonts))
        if turns.get(key):
            yield Item(transcript_id(key), "proces_verbal", f"Procès-verbal — {label}",
                       f"{year}/{key}-{TRANSCRIPT}.pdf", sitting["date"],
                       _transcript_renderer(sitting, turns[key], collectivite, fonts, public))


def publish(store: Store, folder: Path, collectivite: Collectivite, day: str | None = None,
            fonts: Fonts | None = None, public: TextFilter = unchanged, workers: int | None = None) -> list[Entry]:
    """Publish every item the register of `folder` does not hold yet, dated `day` (default today),
    rendered on `workers` processes; returns the new entries ([] when all is already published)."""
    day = _day(day)
    fonts = fonts or default_fonts()
    with Register(folder) as register:
        pending = [item for item in items(store, collectivite, fonts, public) if register.latest(item.act) is None]
        _check_dates(pending, day)
        tasks = [(item, day, _url(collectivite, item.file)) for item in pending]
        return [register.add(item.act, item.kind, item.title, item.file, url, content, day)
                for (item, day, url), content in zip(tasks, render_all(tasks, workers))]


# The tasks of `render_all`, as a forked worker finds them in its copy of this module.
_FORKED: list[tuple[Item, str, str]] = []


def _render_forked(index: int) -> bytes:
    item, day, url = _FORKED[index]
    return item.render(day, url, None)


def render_all(tasks: list[tuple[Item, str, str]], workers: int | None = None) -> Iterator[bytes]:
    """The PDF of each (item, day, url), in order, as each is ready, rendered on `workers` forked
    processes (default: all cores): a renderer is a closure over records, which a forked worker
    shares without pickling them. The bytes are those rendered here (reproducible rendering)."""
    global _FORKED
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (item.render(day, url, None) for item, day, url in tasks)
        return
    _FORKED = tasks
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_render_forked, range(len(tasks)))
    finally:
        _FORKED = []


def correct(store: Store, folder: Path, act: str, collectivite: Collectivite, day: str | None = None,
            fonts: Fonts | None = None, public: TextFilter = unchanged) -> Entry:
    """Publish `act` again, from the store as it is now, as a new file whose entry points at the
    entry it corrects; the corrected file stays as it was."""
    day = _day(day)
    fonts = fonts or default_fonts()
    with Register(folder) as register:
        previous = register.latest(act)
        item = next((i for i in items(store, collectivite, fonts, public) if i.act == act), None)
        if item is None:
            raise PublishError(f"{act} : acte inconnu de la base (numéro de délibération, "
                               "ou <séance>/liste, <séance>/proces-verbal)")
        if previous is None:
            raise PublishError(f"{act} n'a pas encore été publié : rien à corriger (lancer « recueil publish »)")
        _check_dates([item], day)
        version = sum(1 for e in register.entries if e.act == act) + 1
        file = item.file.removesuffix(".pdf") + f"-v{version}.pdf"
        note = (f"Version rectifiée n° {version} : elle remplace la version publiée le "
                f"{date_fr(previous.date)} (registre, entrée n° {previous.seq}).")
        url = _url(collectivite, file)
        return register.add(item.act, item.kind, item.title, file, url, item.render(day, url, note), day,
                            corrects=previous.seq)


def _day(day: str | None) -> str:
    if day is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(day).isoformat()
    except ValueError as error:
        raise PublishError(f"date de publication invalide : « {day} » (AAAA-MM-JJ)") from error


def _check_dates(pending: list[Item], day: str) -> None:
    early = next((item for item in pending if item.sitting_date > day), None)
    if early:
        raise PublishError(f"{early.act} : la séance du {early.sitting_date} est postérieure à la date "
                           f"de publication {day}")


def _url(collectivite: Collectivite, file: str) -> str:
    return f"{collectivite.site.rstrip('/')}/publications/{file}"


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("-"))


def _act_renderer(record: dict[str, Any], collectivite: Collectivite, fonts: Fonts, public: TextFilter) -> Renderer:
    def draw(day: str, url: str, correction: str | None) -> bytes:  # filtered only when published
        annexes = [(_annex_heading(annex), public(annex["text"])) for annex in record["annexes"]]
        return render.deliberation_pdf(record, public(record["text"]), collectivite, day, url, fonts, correction,
                                       annexes)
    return draw


def _list_renderer(sitting: dict[str, Any], acts: list[dict[str, Any]], collectivite: Collectivite,
                   fonts: Fonts) -> Renderer:
    def draw(day: str, url: str, correction: str | None) -> bytes:
        return render.sitting_list_pdf(sitting, acts, collectivite, day, url, fonts, correction)
    return draw


def _transcript_renderer(sitting: dict[str, Any], turns: list[dict[str, Any]], collectivite: Collectivite,
                         fonts: Fonts, public: TextFilter) -> Renderer:
    def draw(day: str, url: str, correction: str | None) -> bytes:
        return render.transcript_pdf(sitting, _public_turns(turns, public), collectivite, day, url, fonts, correction)
    return draw


def _public_turns(turns: list[dict[str, Any]], public: TextFilter) -> list[dict[str, Any]]:
    """The speaking turns with their text filtered as one document (offices named in one turn
    make a name public in all)."""
    texts = public(_TURN_SEPARATOR.join(turn["text"] for turn in turns)).split(_TURN_SEPARATOR)
    if len(texts) != len(turns):  # a filter that ate a separator: filter each turn alone
        texts = [public(turn["text"]) for turn in turns]
    return [{**turn, "text": text} for turn, text in zip(turns, texts)]


def _annex_heading(annex: dict[str, Any]) -> str:
    return f"Annexe {annex['seq']} {'au rapport' if annex['of'] == 'report' else 'à la délibération'}"


def _deliberations(store: Store) -> list[dict[str, Any]]:
    """Each deliberation once (the latest stored reading of a number wins), with its text and the
    annexes of that reading."""
    table, annexes = schema.deliberations, schema.annexes
    dated = schema.latest(table, table.c.number, where=func.coalesce(table.c.sitting_date, "") != "")
    with store.engine.connect() as conn:
        latest = [{**row.data, "text": row.text, "document_id": row.document_id}
                  for row in conn.execute(select(table.c.data, table.c.text, table.c.document_id)
                                          .where(table.c.pk.in_(dated)))]
        annexed: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for annex in conn.execute(select(annexes).order_by(annexes.c.seq)).mappings():
            annexed.setdefault((annex["document_id"], annex["deliberation"]), []).append(dict(annex))
    return [{**record, "annexes": annexed.get((record.pop("document_id"), record["number"]), [])}
            for record in latest]


def _sittings(store: Store) -> dict[str, dict[str, Any]]:
    table = schema.sittings
    with store.engine.connect() as conn:
        return {row.id: row.data for row in conn.execute(select(table.c.id, table.c.data).order_by(table.c.pk))}


def _interventions(store: Store) -> dict[str, list[dict[str, Any]]]:
    table = schema.interventions
    turns: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(select(table.c.sitting_id, table.c.data).order_by(table.c.sitting_id, table.c.seq)):
            turns.setdefault(row.sitting_id, []).append(row.data)
    return turns
