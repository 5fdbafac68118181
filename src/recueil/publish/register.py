"""The publication register: an append-only file whose entries are chained by their hashes.

`registre.jsonl` in the publication folder holds one JSON object a line, one per published file:
sequence number, act, file path and address, the file's SHA-256, publication date, when the entry
was written, the entry it corrects (if any) and the hash of the previous entry. An entry's own hash
is the SHA-256 of its canonical serialisation (every field but `hash`, keys sorted, no spaces,
UTF-8), so changing, removing or moving any entry breaks the chain after it (see verify.py).

Files are written before their entry and never replaced: a correction is a new file and a new
entry that points at the one it corrects. A file left without its entry by a publication cut short
is taken up by the next one (publisher.py), which adds nothing to a register verify.py finds
broken. One writer at a time: while one holds the lock on the register, another is refused rather
than left waiting.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

REGISTER = "registre.jsonl"
GENESIS = "0" * 64  # the "previous hash" of the first entry


class RegisterError(Exception):
    """The register cannot be read or written; the message (in French) says why."""


@dataclass(frozen=True)
class Entry:
    """One published file. `kind`: deliberation, liste (of a séance's deliberations) or proces_verbal."""

    seq: int
    act: str
    kind: str
    title: str
    file: str  # path inside the publication folder, with "/"
    url: str
    sha256: str
    size: int
    date: str  # publication date printed on the file (YYYY-MM-DD)
    recorded_at: str  # when the entry was written (ISO date-time, UTC)
    corrects: int | None  # seq of the entry this one corrects
    previous: str  # hash of the previous entry
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(f.name for f in fields(Entry))


def entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 of the canonical serialisation of an entry's fields, `hash` left out."""
    canonical = json.dumps({k: v for k, v in values.items() if k != "hash"}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


MAX_LINE = 64 * 1024  # bytes; an entry takes less than a kilobyte: a longer line is damage, never held whole


def register_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | str, bytes]]:
    r"""Each non-blank line of the register file at `path`: its number, its fields or why it
    cannot be read (in French), and how it ends (b"\n", b"\r\n", or b"" for a last line cut short),
    so that verify.py can hold the file to its "\n" line ends. Lines end at "\n" only:
    str.splitlines() would also cut at the U+2028, U+0085 or \x1c that json.dumps(ensure_ascii=False)
    leaves in a title. The file is read one line at a time, each decoded on its own, so one stray
    byte spoils that line and not the whole register, and memory does not grow with the file."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise RegisterError(f"{path} : lecture impossible ({error.strerror})") from error
    with handle:
        try:
            yield from _lines(handle)
        except OSError as error:
            raise RegisterError(f"{path} : lecture impossible ({error.strerror})") from error


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, Any] | str, bytes]]:
    number = 0
    while raw := handle.readline(MAX_LINE + 1):
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # the rest of the line, a piece at a time
                raw = handle.readline(MAX_LINE)
            yield number, f"ligne {number} du registre illisible (plus de {MAX_LINE} octets)", raw[-1:]
            continue
        end = b"\r\n" if raw.endswith(b"\r\n") else b"\n" if raw.endswith(b"\n") else b""
        line = raw[:len(raw) - len(end)]
        if line.strip():
            yield number, _fields(number, line), end


def _fields(number: int, line: bytes) -> dict[str, Any] | str:
    try:
        values = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return f"ligne {number} du registre illisible (octets qui ne sont pas de l'UTF-8)"
    except ValueError:
        return f"ligne {number} du registre illisible (JSON invalide)"
    if not isinstance(values, dict):
        return f"ligne {number} du registre illisible (pas un objet JSON)"
    missing = [name for name in FIELDS if name not in values]
    return f"ligne {number} du registre : champ manquant « {missing[0]} »" if missing else values


def read_entries(folder: Path) -> list[Entry]:
    """The entries of the register in `folder`, in file order ([] when there is no register yet)."""
    path = folder / REGISTER
    if not path.exists():
        return []
    entries = []
    for number, values, _end in register_lines(path):
        if isinstance(values, str):
            raise RegisterError(f"{path} : ligne {number} illisible ; lancer « recueil verify »")
        entries.append(Entry(**{name: values[name] for name in FIELDS}))
    return entries


def publications(folder: Path) -> dict[str, Entry]:
    """The latest entry of each act (a correction replaces the entry it corrects), for the site:
    `publications(Path("publications"))["2021-232"].date`, `.sha256`, `.url`; {} without a
    register; RegisterError when a line cannot be read."""
    latest: dict[str, Entry] = {}
    for entry in read_entries(Path(folder)):
        latest[entry.act] = entry
    return latest


class Register:
    """The register of `folder`, open for appending: `with Register(folder) as register: register.add(…)`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.entries: list[Entry] = []
        self._handle: IO[str] | None = None

    def __enter__(self) -> Register:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle = (self.folder / REGISTER).open("a", encoding="utf-8")
        except OSError as error:
            raise RegisterError(f"{self.folder} : dossier de publication inaccessible ({error.strerror})") from error
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self._close()
            raise RegisterError(f"{self.folder / REGISTER} : une autre publication est en cours ; "
                                "réessayer quand elle sera finie") from error
        try:
            self.entries = read_entries(self.folder)
        except RegisterError:
            self._close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._close()

    def _close(self) -> None:
        if self._handle:
            self._handle.close()  # which releases the lock
            self._handle = None

    def add(self, act: str, kind: str, title: str, file: str, url: str, content: bytes, day: str,
            corrects: int | None = None) -> Entry:
        """Write `content` at `file` (never over another file) and append its entry."""
        assert self._handle is not None, "Register.add outside its with block"
        if self.entries and day < self.entries[-1].date:
            raise RegisterError(f"date de publication {day} antérieure à celle de la dernière entrée du registre "
                                f"({self.entries[-1].date}) : le registre ne s'écrit qu'en avançant")
        _write_new(self.folder / file, content)
        values: dict[str, Any] = {
            "seq": len(self.entries) + 1, "act": act, "kind": kind, "title": title, "file": file, "url": url,
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content), "date": day,
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"), "corrects": corrects,
            "previous": self.entries[-1].hash if self.entries else GENESIS,
        }
        entry = Entry(**values, hash=entry_hash(values))
        self._handle.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.entries.append(entry)
        return entry

    def latest(self, act: str) -> Entry | None:
        """The current entry of `act`, or None when it was never published."""
        return next((e for e in reversed(self.entries) if e.act == act), None)


def temporary_name(name: str) -> str:
    """The name a file is written under, beside its own, until it is whole on disk."""
    return f".{name}.tmp"


def _write_new(path: Path, content: bytes) -> None:
    """Write a file that must not exist yet; the same bytes already there (a publication cut short
    before its entry was written, recognised by publisher.py) are kept as they are."""
    if path.exists():
        if path.read_bytes() == content:
            return
        raise RegisterError(f"{path} existe déjà avec un autre contenu : rien de publié n'est remplacé")
    temporary = path.with_name(temporary_name(path.name))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:  # on disk before the entry that vouches for it
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise RegisterError(f"{path} : écriture impossible ({error.strerror})") from error
