"""Check a publication folder against its register: every file, every entry, the whole chain.

Each problem is one French line naming what happened and where:
- altered: a file's bytes no longer match its entry (« fichier modifié ») ;
- removed: a file is missing (« fichier retiré »), an entry is missing (a gap in the sequence) ;
- reordered: an entry comes after a later one (« entrée déplacée ») ;
- forged: an entry's content no longer matches its own hash (« entrée falsifiée »), or the chain
  breaks where an entry was rewritten with a fresh hash or inserted (« chaînage rompu ») ;
- a PDF in the folder that no entry publishes (the trace of entries cut off the end).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recueil.publish.register import GENESIS, REGISTER, RegisterError, entry_hash, register_lines


@dataclass(frozen=True)
class Problem:
    kind: str  # illisible | falsifiée | retirée | déplacée | en double | chaînage | fichier modifié | …
    message: str


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
    problems: list[Problem] = []
    entries: list[dict[str, Any]] = []
    try:
        for _number, values in register_lines(path):
            if isinstance(values, str):
                problems.append(Problem("illisible", values))
            else:
                entries.append(values)
    except RegisterError as error:
        return Verification(0, None, [Problem("illisible", str(error))])
    problems += _chain(entries)
    problems += _files(folder, entries)
    return Verification(len(entries), entries[-1]["hash"] if entries else None, problems)


def _name(entry: dict[str, Any]) -> str:
    return f"entrée n° {entry['seq']} ({entry['act']})"


def _chain(entries: list[dict[str, Any]]) -> list[Problem]:
    """Hashes, sequence and links. A broken link between two consecutive numbers is named as such;
    between numbers that do not follow, the gap, duplicate or move that explains it is named."""
    problems: list[Problem] = []
    numbers = {e["seq"] for e in entries if type(e["seq"]) is int}
    for first, last in _runs(sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)):
        which = f"entrée n° {first} retirée" if first == last else f"entrées n° {first} à {last} retirées"
        problems.append(Problem("retirée", f"{which} du registre (trou dans la séquence)"))
    seen: set[int] = set()
    highest = 0
    for position, entry in enumerate(entries):
        seq = entry["seq"]
        before = entries[position - 1] if position else None
        if entry_hash(entry) != entry["hash"]:
            problems.append(Problem("falsifiée", f"{_name(entry)} falsifiée : son contenu ne correspond plus "
                                                 "à son empreinte"))
        if type(seq) is not int:
            problems.append(Problem("illisible", f"entrée en position {position + 1} : numéro de séquence "
                                                 f"invalide ({seq!r})"))
            continue
        if seq in seen:
            problems.append(Problem("en double", f"{_name(entry)} en double dans le registre"))
        elif seq < highest:
            problems.append(Problem("déplacée", f"{_name(entry)} déplacée : elle suit l'entrée n° {highest}"))
        seen.add(seq)
        highest = max(highest, seq)
        follows = seq == 1 if before is None else before["seq"] == seq - 1
        if follows and entry["previous"] != (before["hash"] if before else GENESIS):
            after = f"l'entrée n° {before['seq']}" if before else "le début du registre"
            problems.append(Problem("chaînage", f"chaînage rompu : l'{_name(entry)} ne suit pas {after} "
                                                "(entrée réécrite ou insérée)"))
        if before and str(entry["date"]) < str(before["date"]):
            problems.append(Problem("date", f"{_name(entry)} : date de publication {entry['date']} antérieure "
                                            f"à celle de l'entrée précédente ({before['date']})"))
        if entry["corrects"] is not None and not any(
                e["seq"] == entry["corrects"] and e["act"] == entry["act"] for e in entries[:position]):
            problems.append(Problem("chaînage", f"{_name(entry)} corrige l'entrée n° {entry['corrects']}, "
                                                "absente avant elle pour cet acte"))
    return problems


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """[5, 6, 7, 9] → [(5, 7), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _files(folder: Path, entries: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    owners: dict[str, dict[str, Any]] = {}
    for entry in entries:
        file = str(entry["file"])
        if file in owners:
            problems.append(Problem("fichier réutilisé", f"{_name(entry)} publie de nouveau {file}, déjà publié "
                                                         f"par l'entrée n° {owners[file]['seq']}"))
            continue
        owners[file] = entry
        path = folder / file
        if Path(file).is_absolute() or ".." in Path(file).parts:
            problems.append(Problem("falsifiée", f"{_name(entry)} désigne un fichier hors du dossier : {file}"))
        elif not path.is_file():
            problems.append(Problem("fichier retiré", f"fichier retiré : {file} ({_name(entry)})"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            problems.append(Problem("fichier modifié", f"fichier modifié : {file} ({_name(entry)}) ; "
                                                       "son SHA-256 ne correspond plus au registre"))
    for path in sorted(folder.rglob("*.pdf")):
        file = path.relative_to(folder).as_posix()
        if file not in owners:
            problems.append(Problem("hors registre", f"fichier hors registre : {file} (aucune entrée ne le publie)"))
    return problems
