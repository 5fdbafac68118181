"""What the collectivité must publish, and publishing it: each deliberation, and for each séance the
list of its deliberations and its procès-verbal (ordonnance and décret of 7 October 2021).

Every publishable item has a stable identifier (the act number, or "<séance>/liste" and
"<séance>/proces-verbal"), a stable path in the folder ("2021/2021-232.pdf") and an address on the
site ("<site>/publications/2021/2021-232.pdf"). Publishing renders the items the register does not
hold yet; a correction renders an item again as a new file ("2021/2021-232-v2.pdf") whose entry
points at the one it corrects.

Nothing is added to a register that verify.py finds broken, but for the traces of a publication
cut short, which the next one takes up (`_resume`): a file written without its entry is entered
with its own publication date when it is what its item renders for that date, else set aside
(renamed `<name>.orphelin-<date>`); a temporary file is removed; each is reported in one line.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from recueil.config import Collectivite
from recueil.model import LIST, TRANSCRIPT, list_id, sitting_id, transcript_id
from recueil.publish import render
from recueil.publish.fonts import Fonts
from recueil.publish.fonts import fonts as default_fonts
from recueil.publish.register import REGISTER, Entry, Register, RegisterError, temporary_name
from recueil.publish.verify import verify
from recueil.store import acts, schema
from recueil.store.database import Store
from recueil.text.dates import date_fr
from recueil.vocabulary import assembly_heading
from recueil.workers import forked_map

log = logging.getLogger(__name__)


class PublishError(Exception):
    """Nothing can be published as asked; the message (in French) says why."""


Renderer = Callable[[str, str, str | None], bytes]  # (day, url, correction note) -> PDF bytes
Notify = Callable[[str], None]  # takes one French line on what was found and done in the folder
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
            fonts: Fonts | None = None, public: TextFilter = unchanged, workers: int | None = None,
            notify: Notify | None = None) -> list[Entry]:
    """Publish every item the register of `folder` does not hold yet, dated `day` (default today),
    rendered on `workers` processes, after taking up what a publication cut short left (told to
    `notify`, default logged); returns the new entries ([] when all is already published)."""
    day = _day(day)
    fonts = fonts or default_fonts()
    with store.engine.connect() as conn:
        unsigned = acts.awaiting_signature(conn)
    with Register(folder) as register:
        publishable = list(items(store, collectivite, fonts, public))
        leftovers = _leftovers(register, publishable, collectivite)
        _check_dates([item for item in publishable if register.latest(item.act) is None], day)
        taken_up = _resume(register, leftovers, day, notify or log.warning)
        pending = [item for item in publishable if register.latest(item.act) is None and item.act not in unsigned]
        waiting = sorted(item.act for item in publishable if item.act in unsigned and register.latest(item.act) is None)
        if waiting:
            (notify or log.warning)(f"Pas encore signé{'s' if len(waiting) > 1 else ''}, donc pas publié"
                                    f"{'s' if len(waiting) > 1 else ''} : {', '.join(waiting)} (recueil acte signer)")
        tasks = [(item, day, _url(collectivite, item.file)) for item in pending]
        added = taken_up + [register.add(item.act, item.kind, item.title, item.file, url, content, day)
                            for (item, day, url), content in zip(tasks, render_all(tasks, workers))]
    _into_history(store, added)
    return added


def publish_act(store: Store, folder: Path, act: str, collectivite: Collectivite, day: str | None = None,
                fonts: Fonts | None = None, public: TextFilter = unchanged, notify: Notify | None = None) -> Entry:
    """Publish one act now (`recueil acte publier`, once it is signed): its new entry, or the one
    the register already holds for it. The caller records it in the act's history."""
    day = _day(day)
    fonts = fonts or default_fonts()
    with Register(folder) as register:
        publishable = list(items(store, collectivite, fonts, public))
        leftovers = _leftovers(register, publishable, collectivite)
        item = next((i for i in publishable if i.act == act), None)
        if item is None:
            raise PublishError(f"{act} : pas de texte de l'acte dans la base à publier (le générer, recueil seance "
                               "generer, puis le lire, recueil ingest)")
        _check_dates([item], day)
        _resume(register, leftovers, day, notify or log.warning)
        already = register.latest(act)
        if already is not None:
            return already
        url = _url(collectivite, item.file)
        return register.add(item.act, item.kind, item.title, item.file, url, item.render(day, url, None), day)


def _into_history(store: Store, entries: list[Entry]) -> None:
    """The first publication of an act of a recorded sitting, added to its history (store/acts.py)."""
    firsts = {e.act: e for e in entries if e.corrects is None}
    if not firsts:
        return
    with store.writing() as conn:
        for number in sorted(acts.numbered(conn, set(firsts))):
            if not any(e.kind == acts.PUBLICATION for e in acts.events(conn, number)):
                entry = firsts[number]
                acts.append(conn, number, acts.PUBLICATION, entry.date,
                            acts.publication(entry.seq, entry.file, entry.url, entry.sha256))


def render_all(tasks: list[tuple[Item, str, str]], workers: int | None = None) -> Iterator[bytes]:
    """The PDF of each (item, day, url), in order, as each is ready, rendered on `workers` forked
    processes (default: all cores); the bytes are those rendered here (reproducible rendering)."""
    return forked_map([partial(item.render, day, url, None) for item, day, url in tasks], workers)


def correct(store: Store, folder: Path, act: str, collectivite: Collectivite, day: str | None = None,
            fonts: Fonts | None = None, public: TextFilter = unchanged, notify: Notify | None = None) -> Entry:
    """Publish `act` again, from the store as it is now, as a new file whose entry points at the
    entry it corrects; the corrected file stays as it was. A correction of `act` cut short before
    its entry and taken up (see `publish`) is the one returned."""
    day = _day(day)
    fonts = fonts or default_fonts()
    with Register(folder) as register:
        publishable = list(items(store, collectivite, fonts, public))
        leftovers = _leftovers(register, publishable, collectivite)
        item = next((i for i in publishable if i.act == act), None)
        if item is None:
            raise PublishError(f"{act} : acte inconnu de la base (numéro de délibération, "
                               "ou <séance>/liste, <séance>/proces-verbal)")
        _check_dates([item], day)
        taken_up = _resume(register, leftovers, day, notify or log.warning)
        correction = next((e for e in taken_up if e.act == act and e.corrects is not None), None)
        if correction:
            return correction
        if register.latest(act) is None:
            raise PublishError(f"{act} n'a pas encore été publié : rien à corriger (lancer « recueil publish »)")
        version = _next(register, item, collectivite)
        return register.add(item.act, item.kind, item.title, version.file, version.url,
                            item.render(day, version.url, version.note), day, corrects=version.corrects)


@dataclass(frozen=True)
class _Version:
    """The file an item is published in next: the first one, or a correction of the latest."""

    item: Item
    file: str
    url: str
    note: str | None  # printed on a correction
    corrects: int | None


def _next(register: Register, item: Item, collectivite: Collectivite) -> _Version:
    previous = register.latest(item.act)
    if previous is None:
        return _Version(item, item.file, _url(collectivite, item.file), None, None)
    version = sum(1 for e in register.entries if e.act == item.act) + 1
    file = item.file.removesuffix(".pdf") + f"-v{version}.pdf"
    note = (f"Version rectifiée n° {version} : elle remplace la version publiée le "
            f"{date_fr(previous.date)} (registre, entrée n° {previous.seq}).")
    return _Version(item, file, _url(collectivite, file), note, previous.seq)


@dataclass(frozen=True)
class _Leftovers:
    """What a publication cut short left in the folder: temporary files, files without their entry."""

    temporary: list[str]
    written: list[_Version]


def _leftovers(register: Register, publishable: list[Item], collectivite: Collectivite) -> _Leftovers:
    """What `verify` finds in the folder that a publication cut short explains: a file outside the
    register where an item is published next, or the temporary file it is written to first. Any
    other problem means a broken register, which nothing is added to: RegisterError naming the
    first one."""
    expected = {version.file: version for version in (_next(register, item, collectivite) for item in publishable)}
    temporaries = {Path(file).with_name(temporary_name(Path(file).name)).as_posix() for file in expected}
    problems = verify(register.folder).problems
    leftover = (set(expected) | temporaries) & {p.file for p in problems if p.kind in ("temporaire", "hors registre")}
    broken = [p for p in problems if p.file not in leftover]
    if broken:
        count = f"{len(broken)} problème{'s' if len(broken) > 1 else ''}"
        raise RegisterError(f"{register.folder / REGISTER} : registre rompu ({count} selon « recueil verify », "
                            f"dont « {broken[0].message} ») : rien n'est ajouté à un registre rompu")
    return _Leftovers(sorted(leftover & temporaries),
                      [version for file, version in expected.items() if file in leftover])


def _resume(register: Register, leftovers: _Leftovers, day: str, notify: Notify) -> list[Entry]:
    """Take up what a publication cut short left: a temporary file is removed; a file that is,
    byte for byte, what its item renders for the publication date printed in it is entered with
    that date, when the register may still take that date (files in date order, then in the order
    of their items); any other is set aside. Returns the entries added."""
    entries: list[Entry] = []
    try:
        for file in leftovers.temporary:
            (register.folder / file).unlink()
            notify(f"{file} : fichier temporaire d'une écriture interrompue, supprimé")
        found = [(version, content, _printed_day(content)) for version in leftovers.written
                 for content in [(register.folder / version.file).read_bytes()]]
        for version, content, printed in sorted(found, key=lambda leftover: leftover[2]):
            unfit = _unfit(register, version, content, printed, day)
            if unfit:
                aside = _set_aside(register.folder / version.file, day)
                notify(f"{version.file} : hors registre, {unfit} : mis de côté sous le nom {aside}")
                continue
            item = version.item
            entries.append(register.add(item.act, item.kind, item.title, version.file, version.url, content,
                                        printed, version.corrects))
            notify(f"{version.file} : hors registre, identique à sa publication du {date_fr(printed)} interrompue "
                   f"avant son inscription : inscrit au registre à cette date (entrée n° {entries[-1].seq})")
    except OSError as error:
        raise RegisterError(f"{error.filename} : reprise de la publication interrompue impossible "
                            f"({error.strerror})") from error
    return entries


def _unfit(register: Register, version: _Version, content: bytes, printed: str, day: str) -> str | None:
    """Why a file found without its entry cannot be entered now, or None."""
    last = register.entries[-1].date if register.entries else ""
    if not printed:
        return "sans date de publication lisible"
    if printed < last:
        return f"daté du {date_fr(printed)}, avant la dernière entrée du registre ({date_fr(last)})"
    if printed > day:
        return f"daté du {date_fr(printed)}, après la date de publication demandée ({date_fr(day)})"
    if version.item.render(printed, version.url, version.note) != content:
        return f"différent de ce que la base donne à publier pour le {date_fr(printed)}"
    return None


_CREATED = re.compile(rb"/CreationDate \(D:(\d{4})(\d{2})(\d{2})")  # layout.py dates a file so


def _printed_day(content: bytes) -> str:
    """The publication date a PDF of ours records as its creation date ("" when there is none)."""
    found = _CREATED.search(content)
    try:
        return date(*map(int, found.groups())).isoformat() if found else ""
    except ValueError:
        return ""


def _set_aside(path: Path, day: str) -> str:
    """Rename `path` to `<name>.orphelin-<day>` (then `-2`, `-3`… when taken); returns the new name."""
    names = (f"{path.name}.orphelin-{day}" + (f"-{n}" if n > 1 else "") for n in itertools.count(1))
    target = next(path.with_name(name) for name in names if not path.with_name(name).exists())
    path.rename(target)
    return target.name


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
