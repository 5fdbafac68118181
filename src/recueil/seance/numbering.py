"""Deliberation numbers: one series `YYYY-NNN` per year across all assemblies (as 2021-232…252 of
the Commission permanente and 2025-360…371 of the Conseil départemental show), never reused.

The numbers already used in a year are those given by recorded sittings (the
`deliberation_numbers` table, never emptied) and those of the deliberations read from documents:
a series only goes forward from the highest of them. A withdrawn item takes no number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from recueil.seance.rules import Refused
from recueil.store import schema

_NUMBER = re.compile(r"^(\d{4})-(\d{1,4})$")


def parse_number(number: str) -> tuple[int, int] | None:
    """ "2025-360" → (2025, 360); None for anything else."""
    found = _NUMBER.match(number.strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:03d}"


@dataclass
class Series:
    """The numbers a sitting gives, in the order its items are deliberated, from `first` on."""

    year: int
    first: int
    given: list[str] = field(default_factory=list)

    def take(self) -> str:
        number = format_number(self.year, self.first + len(self.given))
        self.given.append(number)
        return number


def last_used(conn: Connection, year: int) -> int:
    """The highest number of the year given by a recorded sitting or read from a document (0 if
    none)."""
    given = conn.execute(select(schema.deliberation_numbers.c.seq)
                         .where(schema.deliberation_numbers.c.year == year)).scalars().all()
    read = conn.execute(select(schema.deliberations.c.number)
                        .where(schema.deliberations.c.number.like(f"{year}-%"))).scalars().all()
    return max([*given, *(parsed[1] for n in read if (parsed := parse_number(n)))], default=0)


def series_for(conn: Connection, year: int, first: str | None = None) -> Series:
    """The series a sitting of `year` numbers its deliberations from: after the last number used,
    or from `first` (`--premier-numero`) if that number is still ahead. Raises `Refused`."""
    last = last_used(conn, year)
    if first is None:
        return Series(year, last + 1)
    parsed = parse_number(first)
    if parsed is None:
        raise Refused([f"premier numéro illisible : « {first} » (attendu AAAA-NNN, par exemple {year}-001)"])
    if parsed[0] != year:
        raise Refused([f"premier numéro {first} d'une autre année que la séance ({year}) : "
                       "la numérotation des délibérations est annuelle"])
    if parsed[1] <= last:
        raise Refused([f"numéro déjà passé : {first} (la série de {year} est à {format_number(year, last)} ; "
                       f"un numéro n'est jamais réutilisé, premier libre : {format_number(year, last + 1)})"])
    return Series(year, parsed[1])
