"""The library behind each command of `recueil` (one function per command, same name).

The command line only parses arguments, calls these and prints; tests call them directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from recueil.config import Config
from recueil.export import scdl
from recueil.ingest.batch import prepare_all
from recueil.ingest.read import RefusedInput
from recueil.model import Publication, Warning
from recueil.store.database import Store
from recueil.store.query import QueryError
from recueil.store.search import SearchResults

INPUT_SUFFIXES = (".txt", ".md", ".pdf")


@dataclass
class Outcome:
    """What became of one input."""

    name: str
    status: str  # nouveau | inchangé | remplacé | refusé
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    reason: str | None = None


def collect_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files given, and the text and PDF files found in the folders given (sorted), each once."""
    files: list[Path] = []
    missing: list[Outcome] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Outcome(str(path), "refusé", reason=f"{path} : fichier ou dossier introuvable"))
    return list(dict.fromkeys(files)), missing


def store_one(store: Store, path: Path, read: Publication | BaseException) -> Outcome:
    """Store what was read from one file; a refused input stores nothing."""
    if isinstance(read, RefusedInput):
        return Outcome(path.name, "refusé", reason=str(read))
    if isinstance(read, BaseException):  # one bad document must not stop the others
        return Outcome(path.name, "refusé", reason=f"{path.name} : lecture impossible ({type(read).__name__}: {read})")
    if not (read.deliberations or read.listed_acts or read.interventions):
        return Outcome(path.name, "refusé", reason=f"{path.name} : aucun acte lisible dans ce document",
                       warnings=read.warnings)
    saved = store.save(read)
    return Outcome(path.name, saved.status, read.counts(), read.warnings)


def ingest(store: Store, paths: Iterable[Path], progress: Callable[[Path, int], None] | None = None,
           workers: int | None = None) -> list[Outcome]:
    """Ingest files and folders, read and parsed on `workers` processes (default: all cores) and
    stored here as each is ready; `progress(path, size)` is called after each file."""
    files, missing = collect_inputs(paths)
    outcomes: dict[Path, Outcome] = {}
    for path, read in prepare_all(files, workers):
        outcomes[path] = store_one(store, path, read)
        if progress:
            progress(path, path.stat().st_size)
    return missing + [outcomes[path] for path in files]


def export(store: Store, fmt: str, out: IO[str], config: Config = Config()) -> int:
    """Write the records in `fmt`: jsonl (all of them) or scdl (one CSV row per deliberation, with
    the collectivité of `config`); returns the number of records or rows written."""
    if fmt == "scdl":
        return scdl.write(store.records(), config.collectivite, out)
    if fmt != "jsonl":
        raise ValueError(f"format inconnu : {fmt} (formats : jsonl, scdl)")
    count = 0
    for record in store.records():
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def check(store: Store) -> list[dict[str, Any]]:
    """The warnings of the cross-checks, for every stored document, with their lines."""
    return store.warnings()


def search(store: Store, query: str, type: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int = 20, offset: int = 0) -> SearchResults:
    """The full-text search of the store (raises QueryError with a French reason)."""
    if store.search is None:
        raise QueryError("la recherche plein texte n'est disponible que sur une base SQLite pour l'instant")
    return store.search.search(query, type, date_from, date_to, limit, offset)
