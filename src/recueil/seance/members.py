"""Members of the assemblies and their groups, by dated period.

A change of group is a new period, so that a vote can name the group a member belonged to on the
day it was taken. Periods come from a CSV file (`recueil membres import`), one row per period, or
from the `members` of a séance file; in the store they are the `members` table, one row per
period (the `member` record of DESIGN.md §4).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from recueil.seance.rules import Refused
from recueil.store import schema
from recueil.text.clean import fold, squash
from recueil.text.dates import parse_date
from recueil.text.names import name_key
from recueil.vocabulary import assembly, assembly_name

NON_INSCRITS = "Non-inscrits"  # the group of a member in none, as vote blocks print it
_CIVILITIES = {"M": "M.", "MONSIEUR": "M.", "MME": "Mme", "MADAME": "Mme", "MLLE": "Mme", "MADEMOISELLE": "Mme"}
_YES = {"OUI", "O", "VRAI", "TRUE", "1", "X"}
_NO = {"NON", "N", "FAUX", "FALSE", "0"}
# The columns of the CSV file: French headers, or the field names of the JSONL `member` record.
_COLUMNS = {
    "name": ("NOM", "NAME"),
    "civility": ("CIVILITE", "CIVILITY"),
    "body": ("ORGANE", "ASSEMBLEE", "BODY"),
    "group": ("GROUPE", "GROUP"),
    "canton": ("CANTON",),
    "voting": ("VOTANT", "VOIX DELIBERATIVE", "VOTING"),
    "start": ("DU", "DEBUT", "FROM"),
    "end": ("AU", "FIN", "TO"),
}
HEADERS = "nom, civilite, organe, groupe, canton, votant, du, au"


@dataclass(frozen=True)
class Membership:
    """One period of a member in an assembly and a group; `start`/`end` (ISO, inclusive) are
    open when None. `voting` is false for a member "sans voix délibérative", who is not counted
    among the members in office."""

    name: str
    civility: str | None
    body: str
    group: str
    canton: str | None = None
    voting: bool = True
    start: str | None = None
    end: str | None = None

    def holds_on(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def record(self) -> dict[str, Any]:
        """The `member` record of the JSONL export."""
        return {"name": self.name, "civility": self.civility, "body": self.body, "group": self.group,
                "canton": self.canton, "voting": self.voting, "from": self.start, "to": self.end}


@dataclass(frozen=True)
class Roster:
    """The members of one assembly on one date, in their listed order."""

    body: str
    date: str
    members: tuple[Membership, ...]

    @classmethod
    def on(cls, periods: Iterable[Membership], body: str, day: str) -> Roster:
        return cls(body, day, tuple(p for p in periods if p.body == body and p.holds_on(day)))

    def find(self, name: str) -> Membership | None:
        """The member a name designates, however it is accented or hyphenated."""
        key = name_key(name)
        return next((m for m in self.members if name_key(m.name) == key), None)

    @property
    def in_office(self) -> tuple[Membership, ...]:
        """The members with a vote: those the quorum and the vote counts are taken over."""
        return tuple(m for m in self.members if m.voting)

    @property
    def groups(self) -> list[str]:
        """The groups of the members in office, in the order their first member is listed."""
        return list(dict.fromkeys(m.group for m in self.in_office))


def civility(value: str) -> str | None:
    """ "Monsieur", "M", "M." → "M."; "Madame", "Mme" → "Mme"; None for anything else."""
    return _CIVILITIES.get(fold(value).rstrip("."))


def check_periods(periods: Sequence[Membership], where: Sequence[str]) -> list[str]:
    """The broken rules of a list of periods, one line each, `where` naming each period's origin:
    a period that ends before it starts; two periods of one member in one assembly that overlap
    (a member is in one group at a time)."""
    reasons = []
    seen: dict[tuple[str, str], list[tuple[str, Membership]]] = {}
    for label, period in zip(where, periods):
        if period.start and period.end and period.end < period.start:
            reasons.append(f"{label} : période qui finit ({period.end}) avant de commencer ({period.start})")
        key = (name_key(period.name), period.body)
        for other_label, other in seen.get(key, []):
            if (other.start or "") <= (period.end or "9999") and (period.start or "") <= (other.end or "9999"):
                reasons.append(f"{label} : {period.name} a déjà, au {assembly_name(period.body)}, une période "
                               f"qui chevauche celle-ci ({other_label})")
                break
        seen.setdefault(key, []).append((label, period))
    return reasons


def _date(value: str) -> str | None:
    """An ISO date, or a date as French writes it ("22/09/2025", "1er juillet 2021")."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return parse_date(value)


def _header(row: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    unknown = []
    for index, cell in enumerate(row):
        key = fold(cell).replace("_", " ").strip()
        column = next((f for f, names in _COLUMNS.items() if key in names), None)
        if column is None:
            unknown.append(cell)
        else:
            found[column] = index
    return found, unknown


def _period(cell: dict[str, str]) -> tuple[Membership | None, list[str]]:
    """One row of the CSV file as a period, or what is wrong with it."""
    errors = []
    if not cell["name"]:
        errors.append("nom absent")
    found = assembly(cell["body"])
    if found is None:
        errors.append(f"organe inconnu : « {cell['body']} »")
    title = civility(cell["civility"]) if cell.get("civility") else None
    if cell.get("civility") and title is None:
        errors.append(f"civilité inconnue : « {cell['civility']} » (M. ou Mme)")
    voting = fold(cell.get("voting", "")) or "OUI"
    if voting not in _YES | _NO:
        errors.append(f"votant : « {cell['voting']} » n'est ni oui ni non")
    days: dict[str, str | None] = {}
    for column in ("start", "end"):
        value = cell.get(column, "")
        days[column] = _date(value) if value else None
        if value and days[column] is None:
            errors.append(f"date illisible : « {value} »")
    if errors or found is None:
        return None, errors
    return Membership(cell["name"], title, found.body, cell.get("group") or NON_INSCRITS, cell.get("canton") or None,
                      voting in _YES, days["start"], days["end"]), []


def read_csv(data: bytes, source: str = "membres.csv") -> list[Membership]:
    """The periods of a CSV file of members (UTF-8, else Windows-1252; comma or semicolon):
    columns nom, civilite, organe, groupe, canton, votant (oui/non), du, au — one row per period;
    the JSONL field names are accepted as headers too. Raises `Refused` with one line per error,
    each giving its line number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))
    if not rows:
        raise Refused([f"{source} : fichier vide"])
    columns, unknown = _header(rows[0])
    missing = [_COLUMNS[c][0].lower() for c in ("name", "body") if c not in columns]
    problems = ([f"colonne obligatoire absente : {', '.join(missing)}"] if missing else []) + \
               ([f"colonne inconnue : {', '.join(unknown)}"] if unknown else [])
    if problems:
        raise Refused([f"{source} : {p} (colonnes : {HEADERS})" for p in problems])
    periods: list[Membership] = []
    where: list[str] = []
    reasons: list[str] = []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        period, errors = _period({column: squash(row[i]) if i < len(row) else "" for column, i in columns.items()})
        reasons.extend(f"{source}, ligne {line} : {e}" for e in errors)
        if period:
            periods.append(period)
            where.append(f"{source}, ligne {line}")
    reasons.extend(check_periods(periods, where))
    if reasons:
        raise Refused(reasons)
    return periods


def replace_members(conn: Connection, periods: Sequence[Membership]) -> None:
    """The periods become the whole membership of the assemblies they name: importing one file
    twice changes nothing, and a period left out of a new file is gone."""
    bodies = {p.body for p in periods}
    conn.execute(delete(schema.members).where(schema.members.c.body.in_(bodies)))
    if periods:
        conn.execute(schema.members.insert(), [
            {"name": p.name, "civility": p.civility, "body": p.body, "group_name": p.group, "canton": p.canton,
             "voting": p.voting, "valid_from": p.start, "valid_to": p.end} for p in periods])


def load_members(conn: Connection, body: str | None = None) -> list[Membership]:
    """The stored periods (of one assembly), in the order they were listed."""
    table = schema.members
    query = select(table).order_by(table.c.pk)
    if body is not None:
        query = query.where(table.c.body == body)
    return [Membership(r.name, r.civility, r.body, r.group_name, r.canton, r.voting, r.valid_from, r.valid_to)
            for r in conn.execute(query)]


def import_csv(conn: Connection, path: Path) -> dict[str, int]:
    """Reads a CSV file of members into the store (on `conn`, a writing transaction): the number
    of members of each assembly it names. Raises `Refused`, storing nothing, on any error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Refused([f"{path} : illisible ({error.strerror})"]) from error
    periods = read_csv(data, path.name)
    replace_members(conn, periods)
    counts: dict[str, set[str]] = {}
    for p in periods:
        counts.setdefault(p.body, set()).add(name_key(p.name))
    return {body: len(names) for body, names in counts.items()}
