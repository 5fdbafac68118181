"""Read and parse many inputs on all cores; the caller stores each publication as it comes.

Reading and parsing are pure, so they run in worker processes, followed by what the caller hands in
to `finish` each publication with (the store's rows and search entries: `store.rows.prepared`), a
top-level function so that it travels to the workers by name; the store stays with the caller
(one transaction per document), which then only writes rows. A PDF is cut into runs of pages read side by side, since a single recueil is often
the whole job; its pages are then put together, OCR'd, parsed and analysed in one task.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TypeVar, cast

from recueil.ingest import pdf
from recueil.ingest.layout import Page
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_file
from recueil.model import Publication
from recueil.workers import die_with_parent

RUN = 64  # pages of a PDF read in one task: enough to outweigh the cost of a task
T = TypeVar("T")
Finish = Callable[[Publication], T]


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf"


def prepare(path: Path, finish: Finish[T]) -> T:
    """One input read, parsed and finished, here; raises `RefusedInput`."""
    return finish(parse(pdf.read_pdf(path) if is_pdf(path) else read_file(path)))


def prepare_all(paths: list[Path], finish: Finish[T],
                workers: int | None = None) -> Iterator[tuple[Path, T | BaseException]]:
    """Each input with its finished publication, or the exception that stopped it, as they are
    ready; in this process when there is only one task (a text, or a PDF of one run of pages)."""
    workers = workers or os.cpu_count() or 1
    runs = {path: _runs(path) for path in paths}
    if workers == 1 or sum(len(r) if isinstance(r, list) else 1 for r in runs.values()) <= 1:
        for path in paths:
            yield path, _attempt(path, finish)
        return
    with ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        tasks: dict[Future[T | list[Page]], tuple[Path, int | None]] = {}
        pages: dict[Path, dict[int, list[Page]]] = {}
        for path, found in runs.items():
            if isinstance(found, Exception):
                yield path, found
            elif found is None:
                tasks[pool.submit(prepare, path, finish)] = (path, None)
            else:
                pages[path] = {}
                for first, last in found:
                    tasks[pool.submit(_read_run, path, first, last)] = (path, first)
        while tasks:
            done, _ = wait(tasks, return_when=FIRST_COMPLETED)
            for future in done:
                path, run = tasks.pop(future)
                error = future.exception()
                if run is None:  # a whole document, prepared or finished
                    yield path, error or future.result()  # type: ignore[misc]
                elif path not in pages:  # another run of this PDF has failed
                    continue
                elif error is not None:
                    del pages[path]
                    yield path, error
                else:
                    pages[path][run] = cast(list[Page], future.result())
                    if len(pages[path]) == len(runs[path]):  # type: ignore[arg-type]
                        read = [page for _, found in sorted(pages.pop(path).items()) for page in found]
                        tasks[pool.submit(_finish, path, read, finish)] = (path, None)


def _attempt(path: Path, finish: Finish[T]) -> T | Exception:
    try:
        return prepare(path, finish)
    except Exception as error:  # one bad document must not stop the others
        return error


def _runs(path: Path) -> list[tuple[int, int]] | Exception | None:
    """The runs of pages of a PDF (None for a text file, the refusal for a damaged PDF)."""
    if not is_pdf(path):
        return None
    try:
        _, document = pdf.load(path)
    except Exception as error:
        return error
    with document:
        count = len(document)
    return [(first, min(first + RUN - 1, count)) for first in range(1, count + 1, RUN)]


def _read_run(path: Path, first: int, last: int) -> list[Page]:
    _, document = pdf.load(path)
    with document:
        return pdf.read_pages(document, first, last)


def _finish(path: Path, pages: list[Page], finish: Finish[T]) -> T:
    data, document = pdf.load(path)
    with document:
        pdf.read_scans(document, pages)
    return finish(parse(pdf.to_text(path.name, hashlib.sha256(data).hexdigest(), pages)))
