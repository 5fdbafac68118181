"""The library behind each command of `recueil` (one function per command, same name).

The command line only parses arguments, calls these and prints; tests call them directly.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from recueil.config import Config
from recueil.text.clean import printable

if TYPE_CHECKING:  # each command loads only what it uses: `recueil --help` starts at once
    from recueil.model import Warning
    from recueil.publish.compile import Recueil
    from recueil.publish.register import Entry
    from recueil.publish.verify import Verification
    from recueil.store.database import Store
    from recueil.store.rows import Prepared
    from recueil.store.search import SearchResults

INPUT_SUFFIXES = (".txt", ".md", ".pdf")
PUBLICATIONS = Path("publications")


@dataclass
class Outcome:
    """What became of one input."""

    name: str
    status: str  # nouveau | inchangé | remplacé | refusé
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    reason: str | None = None


def collect_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files given, and the text and PDF files found in the folders given (sorted), each once; a
    path that cannot be read (missing, special, too long, a folder it may not enter) is refused
    in one line, and the others are kept."""
    files: list[Path] = []
    refused: list[Outcome] = []

    def refuse(path: Path | str, reason: str) -> None:
        refused.append(Outcome(printable(str(path)), "refusé", reason=f"{printable(str(path))} : {reason}"))

    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as error:
            refuse(path, "fichier ou dossier introuvable" if isinstance(error, FileNotFoundError)
                   else f"inaccessible ({error.strerror})")
            continue
        if stat.S_ISDIR(mode):
            found: list[Path] = []
            for folder, _, names in os.walk(path, onerror=lambda e: refuse(e.filename, f"dossier illisible ({e.strerror})")):
                found.extend(Path(folder, n) for n in names if Path(n).suffix.lower() in INPUT_SUFFIXES)
            files.extend(sorted(p for p in found if p.is_file()))
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            refuse(path, "ni fichier ni dossier (fichier spécial)")
    return list(dict.fromkeys(files)), refused


def store_one(store: Store, path: Path, read: Prepared | BaseException) -> Outcome:
    """Store what was read from one file; a refused input stores nothing."""
    from recueil.ingest.read import RefusedInput

    name = printable(path.name)
    if isinstance(read, RefusedInput):
        return Outcome(name, "refusé", reason=str(read))
    if isinstance(read, BaseException):  # one bad document must not stop the others
        return Outcome(name, "refusé", reason=f"{name} : lecture impossible ({type(read).__name__}: {read})")
    publication = read.publication
    if not (publication.deliberations or publication.listed_acts or publication.interventions
            or publication.sittings):
        return Outcome(name, "refusé", reason=f"{name} : aucun acte lisible dans ce document",
                       warnings=publication.warnings)
    saved = store.save(publication, read.analysed, read.rows)
    return Outcome(name, saved.status, publication.counts(), publication.warnings)


def ingest(store: Store, paths: Iterable[Path], progress: Callable[[Path, int], None] | None = None,
           workers: int | None = None) -> list[Outcome]:
    """Ingest files and folders, read and parsed on `workers` processes (default: all cores) and
    stored here as each is ready; `progress(path, size)` is called after each file."""
    from recueil.ingest.batch import prepare_all
    from recueil.store.rows import prepared

    files, missing = collect_inputs(paths)
    outcomes: dict[Path, Outcome] = {}
    for path, read in prepare_all(files, prepared, workers):
        outcomes[path] = store_one(store, path, read)
        if progress:
            progress(path, path.stat().st_size)
    return missing + [outcomes[path] for path in files]


def export(store: Store, fmt: str, out: IO[str], config: Config = Config(),
           public: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> int:
    """Write the records in `fmt`: jsonl (all of them) or scdl (one CSV row per deliberation, with
    the collectivité of `config`); returns the number of records or rows written. `public`: each
    JSONL record as it may be published (the site masks private persons' names with it)."""
    from recueil.export import jsonl, scdl

    if fmt == "scdl":
        return scdl.write(store.records(latest=True), config.collectivite, out)
    if fmt != "jsonl":
        raise ValueError(f"format inconnu : {fmt} (formats : jsonl, scdl)")
    return jsonl.write(store.records(), out, public)


def agenda(store: Store, fmt: str, out: IO[str], commune: str | None = None, road: str | None = None,
           on: str | None = None, config: Config = Config()) -> int:
    """Write the road orders (of `commune`, on `road`, in force on the day `on`, when given) as an
    iCalendar (fmt "ics", one event per order with a period) or as CSV (fmt "csv", one row per
    order), linked to the acts on the collectivité's site; returns the orders written."""
    from recueil.export import calendar

    if fmt not in ("ics", "csv"):
        raise ValueError(f"format inconnu : {fmt} (formats : ics, csv)")
    orders = calendar.road_orders(store, commune, road, on)
    if fmt == "csv":
        return calendar.to_csv(orders, out, config.collectivite.site)
    out.write(calendar.to_ics(orders, config.collectivite.site))
    return sum(1 for order in orders if order.start)


def check(store: Store) -> list[dict[str, Any]]:
    """The warnings of the cross-checks, for every stored document, with their lines."""
    return store.warnings()


def checkable(store: Store) -> dict[str, int]:
    """What the stored documents give the cross-checks to work on: votes with printed counts,
    roll calls, numbered acts. A document that prints none of them passes no check: it was not
    checked (minutes that say only "à l'unanimité" and print no roll call)."""
    counted = {"votes": 0, "appels": 0, "actes": 0}
    for record in store.records():
        if record["type"] == "deliberation":
            counted["actes"] += 1
            vote = record.get("vote") or {}
            if not vote.get("derived") and any(vote.get(choice) for choice in ("pour", "contre", "abstention")):
                counted["votes"] += 1
        elif record["type"] == "sitting" and record.get("present"):
            counted["appels"] += 1
    return counted


def search(store: Store, query: str, type: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int = 20, offset: int = 0,
           filters: Mapping[str, str] | None = None) -> SearchResults:
    """The full-text search of the store, with its filters (keys of `recueil.store.facets.FILTERS`)
    and facets; raises QueryError with a French reason."""
    from recueil.store.query import QueryError

    if store.search is None:
        raise QueryError("la recherche plein texte n'est disponible que sur une base SQLite ou PostgreSQL")
    return store.search.search(query, type, date_from, date_to, limit, offset, filters)


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve the site and the API over the store at `db` on `workers` processes (default: one per
    core) until Ctrl-C; raises ServeError with a French reason (port in use, database missing…);
    `ready(url)` is called once the socket listens. The configuration (RECUEIL_CONFIG or
    ./recueil.toml) is checked here, so that a bad one raises ConfigError before anything listens
    rather than in each worker that loads it."""
    from recueil import serve as server  # the web stack loads only for this command
    from recueil.config import load as load_config

    load_config()
    server.serve(db, host, port, (os.cpu_count() or 1) if workers is None else workers, ready)


def publish(store: Store, folder: Path = PUBLICATIONS, config: Config = Config(), day: str | None = None,
            corrige: str | None = None, workers: int | None = None,
            notify: Callable[[str], None] | None = None) -> list[Entry]:
    """Publish in `folder` every act of the store not yet in its register, dated `day` (default
    today), rendered on `workers` processes (default: all cores), or with `corrige` a corrected
    version of one act; returns the new register entries. What a publication cut short left is
    taken up first, each file told in one French line to `notify` (default: logged). Raises
    PublishError or RegisterError with a French reason."""
    from recueil.publish import publisher

    if corrige:
        return [publisher.correct(store, folder, corrige, config.collectivite, day, public=_public_text(store, config),
                                  notify=notify)]
    return publisher.publish(store, folder, config.collectivite, day, public=_public_text(store, config),
                             workers=workers, notify=notify)


def verify(folder: Path = PUBLICATIONS) -> Verification:
    """Check every published file of `folder` against its register entry, and the whole chain."""
    from recueil.publish.verify import verify as verify_folder

    return verify_folder(folder)


def recueil(store: Store, date_from: str, date_to: str, out: Path, config: Config = Config(),
            day: str | None = None) -> Recueil:
    """Write to `out` the recueil of the acts of the period (cover, sommaire, deliberations, acts of
    the President); raises RecueilError, and writes nothing, when the period holds no act."""
    from recueil.publish.compile import recueil as compile_recueil
    from recueil.publish.fonts import fonts

    made = compile_recueil(store, date_from, date_to, config.collectivite, fonts(), day, _public_text(store, config))
    out.write_bytes(made.pdf)
    return made


def _public_text(store: Store, config: Config) -> Callable[[str], str]:
    """Text as it may be published: unless the configuration says otherwise, the names of private
    persons masked (councillors and signatories of the store are public)."""
    from recueil.publish.masking import public_text

    return public_text(store, config.publication.masquer_personnes)
