"""Check a publication folder against its register: every file, every entry, the whole chain.

Each problem is one French line naming what happened and where:
- unreadable: a line that is no entry, a line ended by CR LF or not ended at all (the register
  ends its lines with LF alone; an entry appended after a line left unended would join it);
- altered: a file's bytes no longer match its entry (« fichier modifié ») ;
- removed: a file is missing (« fichier retiré »), an entry is missing (a gap in the sequence) ;
- reordered: an entry comes after a later one (« entrée déplacée ») ;
- forged: an entry's content no longer matches its own hash (« entrée falsifiée »), or the chain
  breaks where an entry was rewritten with a fresh hash or inserted (« chaînage rompu ») ; a field
  of the wrong type, a publication date that is no ISO date (AAAA-MM-JJ), a recording time that is
  no ISO date-time;
- stray: a file in the folder that no entry publishes (the trace of entries cut off the end, or of
  a publication cut short before its entry), a temporary file left by a write cut short.
Files that `recueil publish` set aside (`<name>.orphelin-<date>`) are not stray: it reported them.

The register is read one line at a time, and what the check keeps grows with the number of
entries, not with the numbers they carry: the sequence is checked against the gaps seen so far.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from recueil.publish.register import GENESIS, REGISTER, RegisterError, entry_hash, register_lines

SET_ASIDE = re.compile(r".+\.orphelin-\d{4}-\d{2}-\d{2}(-\d+)?")  # the name publisher.py gives a file it sets aside
_TEXTS = ("act", "kind", "title", "file", "url", "sha256", "previous", "hash")  # fields that are strings
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Problem:
    kind: str  # illisible | falsifiée | retirée | déplacée | en double | chaînage | date | fichier modifié | …
    message: str
    file: str | None = None  # a stray file, from which `recueil publish` may resume


@dataclass(frozen=True)
class Verification:
    """What was checked: the entries read, the hash of the last one, and every problem found."""

    entries: int
    head: str | None
    problems: list[Problem]


def verify(folder: Path) -> Verification:
    """Check `folder`; `problems` is empty when the register, its chain and its files are intact."""
    folder = Path(folder)
    path = folder / REGISTER
    if not path.exists():
        return Verification(0, None, [Problem("retirée", f"registre introuvable : {path}")])
    check = _Check(folder)
    try:
        for number, values, end in register_lines(path):
            check.line(number, values, end)
    except RegisterError as error:
        return Verification(0, None, [Problem("illisible", str(error))])
    return check.result()


class _Check:
    """The check of one register, fed line by line. Problems are grouped as they are reported:
    lines, gaps in the sequence, entries and their chain, their files, then stray files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lines: list[Problem] = []
        self.entries: list[Problem] = []
        self.files: list[Problem] = []
        self.count = 0
        self.before: dict[str, Any] | None = None
        self.highest = 0
        self.gaps: list[tuple[int, int]] = []  # numbers below `highest` not read yet, as sorted runs
        self.published: set[tuple[int, str]] = set()  # (seq, act) of the entries read, for corrections
        self.owners: dict[str, int] = {}  # file -> seq of the entry that publishes it
        self.crlf_first: int | None = None  # the first line ended by CR LF
        self.crlf_count = 0
        self.unended: int | None = None

    def line(self, number: int, values: dict[str, Any] | str, end: bytes) -> None:
        if end == b"\r\n":
            self.crlf_first = self.crlf_first or number
            self.crlf_count += 1
        elif not end:
            self.unended = number
        if isinstance(values, str):
            self.lines.append(Problem("illisible", values))
        else:
            self.entry(values)

    def entry(self, entry: dict[str, Any]) -> None:
        self.count += 1
        before, self.before = self.before, entry
        if entry_hash(entry) != entry["hash"]:
            self._report(f"{_name(entry)} falsifiée : son contenu ne correspond plus à son empreinte", "falsifiée")
        wrong = _mistyped(entry)
        if wrong:
            self._report(f"{_name(entry)} : champ « {wrong} » invalide ({_shown(entry[wrong])})", "illisible")
        seq = entry["seq"]
        numbered = type(seq) is int and seq >= 1
        if not numbered:
            self._report(f"entrée en position {self.count} : numéro de séquence invalide ({_shown(seq)})",
                         "illisible")
        else:
            self._sequence(entry, seq)
            if (seq == 1 if before is None else before["seq"] == seq - 1) and \
                    entry["previous"] != (before["hash"] if before else GENESIS):
                after = f"l'entrée n° {before['seq']}" if before else "le début du registre"
                self._report(f"chaînage rompu : l'{_name(entry)} ne suit pas {after} "
                             "(entrée réécrite ou insérée)", "chaînage")
        self._dates(entry, before)
        if numbered and not wrong:
            if entry["corrects"] is not None and (entry["corrects"], entry["act"]) not in self.published:
                self._report(f"{_name(entry)} corrige l'entrée n° {entry['corrects']}, absente avant elle pour cet "
                             "acte", "chaînage")
            self.published.add((seq, entry["act"]))
        if type(entry["file"]) is str:
            self._file(entry)

    def _report(self, message: str, kind: str) -> None:
        self.entries.append(Problem(kind, message))

    def _sequence(self, entry: dict[str, Any], seq: int) -> None:
        """A number above the highest read opens a gap below it; one below either fills a gap
        (the entry was moved) or was read already."""
        if seq > self.highest:
            if seq > self.highest + 1:
                self.gaps.append((self.highest + 1, seq - 1))
            self.highest = seq
            return
        at = bisect_right(self.gaps, seq, key=lambda run: run[0]) - 1
        if at < 0 or not self.gaps[at][0] <= seq <= self.gaps[at][1]:
            self._report(f"{_name(entry)} en double dans le registre", "en double")
            return
        first, last = self.gaps[at]
        self.gaps[at:at + 1] = [run for run in ((first, seq - 1), (seq + 1, last)) if run[0] <= run[1]]
        self._report(f"{_name(entry)} déplacée : elle suit l'entrée n° {self.highest}", "déplacée")

    def _dates(self, entry: dict[str, Any], before: dict[str, Any] | None) -> None:
        day = entry["date"]
        if not _is_day(day):
            self._report(f"{_name(entry)} : date de publication invalide ({_shown(day)}) ; AAAA-MM-JJ attendu", "date")
        elif before and _is_day(before["date"]) and day < before["date"]:
            self._report(f"{_name(entry)} : date de publication {day} antérieure à celle de l'entrée précédente "
                         f"({before['date']})", "date")
        if not _is_time(entry["recorded_at"]):
            self._report(f"{_name(entry)} : date d'inscription invalide ({_shown(entry['recorded_at'])})", "date")

    def _file(self, entry: dict[str, Any]) -> None:
        file = entry["file"]
        if file in self.owners:
            self.files.append(Problem("fichier réutilisé", f"{_name(entry)} publie de nouveau {file}, déjà publié "
                                                           f"par l'entrée n° {self.owners[file]}"))
            return
        self.owners[file] = entry["seq"]
        path = self.folder / file
        if Path(file).is_absolute() or ".." in Path(file).parts:
            self.files.append(Problem("falsifiée", f"{_name(entry)} désigne un fichier hors du dossier : {file}"))
        elif not path.is_file():
            self.files.append(Problem("fichier retiré", f"fichier retiré : {file} ({_name(entry)})"))
        else:
            try:
                altered = _sha256(path) != entry["sha256"]
            except OSError as error:
                self.files.append(Problem("fichier illisible", f"fichier illisible : {file} ({error.strerror})"))
                return
            if altered:
                self.files.append(Problem("fichier modifié", f"fichier modifié : {file} ({_name(entry)}) ; "
                                                             "son SHA-256 ne correspond plus au registre"))

    def result(self) -> Verification:
        ends: list[Problem] = []
        if self.crlf_first:
            which = f"ligne {self.crlf_first} du registre terminée" if self.crlf_count == 1 else \
                f"{self.crlf_count} lignes du registre terminées (la première : ligne {self.crlf_first})"
            ends.append(Problem("illisible", f"{which} par CR LF : le registre termine ses lignes par LF seul"))
        if self.unended is not None:
            ends.append(Problem("illisible", f"ligne {self.unended} du registre sans fin de ligne (écriture "
                                             "interrompue ?) : une entrée ajoutée s'y collerait"))
        gaps = [Problem("retirée", f"{_removed(first, last)} du registre (trou dans la séquence)")
                for first, last in self.gaps]
        problems = self.lines + ends + gaps + self.entries + self.files + self._strays()
        return Verification(self.count, self.before["hash"] if self.before else None, problems)

    def _strays(self) -> list[Problem]:
        """Files of the folder that no entry publishes, but the register and what publish set aside."""
        problems = []
        for path in sorted(self.folder.rglob("*")):
            file = path.relative_to(self.folder).as_posix()
            if path.is_dir() or file == REGISTER or file in self.owners or SET_ASIDE.fullmatch(path.name):
                continue
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                problems.append(Problem("temporaire", f"fichier temporaire laissé par une écriture interrompue : "
                                                      f"{_printable(file)}", file))
            else:
                problems.append(Problem("hors registre", f"fichier hors registre : {_printable(file)} "
                                                         "(aucune entrée ne le publie)", file))
        return problems


def _name(entry: dict[str, Any]) -> str:
    return f"entrée n° {_cut(str(entry['seq']))} ({_cut(str(entry['act']))})"


def _shown(value: Any) -> str:
    """A value as the register holds it (JSON), cut short."""
    return _cut(json.dumps(value, ensure_ascii=False))


def _cut(text: str) -> str:
    """`text` made printable and short: a message stays one short line."""
    return _printable(text if len(text) <= 60 else text[:59] + "…")


def _printable(text: str) -> str:
    """`text` fit for one line of a UTF-8 terminal: undecodable bytes of a file name and control
    characters shown as U+FFFD."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def _removed(first: int, last: int) -> str:
    return f"entrée n° {first} retirée" if first == last else f"entrées n° {first} à {last} retirées"


def _mistyped(entry: dict[str, Any]) -> str | None:
    """The first field whose value is not of its type (dates are checked on their own)."""
    wrong = [name for name in _TEXTS if type(entry[name]) is not str]
    wrong += [] if type(entry["size"]) is int else ["size"]
    wrong += [] if entry["corrects"] is None or type(entry["corrects"]) is int else ["corrects"]
    return wrong[0] if wrong else None


def _is_day(value: Any) -> bool:
    """An ISO date as the register writes it: "2026-11-24" (not "20261124", not null)."""
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None \
        and _parses(date.fromisoformat, value)


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and _parses(datetime.fromisoformat, value)


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
