"""French dates and times as printed in acts ("1er juillet 2021", "08/10/2025", "10 heures 03").

Everything returns ISO strings (`YYYY-MM-DD`, `HH:MM`) or None: a date that does not exist
(31 février) is no date, and nothing here raises on arbitrary text.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

_MONTH_NUMBERS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_UNACCENT = str.maketrans("éû", "eu")
_MONTH = (
    r"janvier|f[eé]vrier|mars|avril|mai|juin|juillet|ao[uû]t"
    r"|septembre|octobre|novembre|d[eé]cembre"
)
_YEAR = r"[0-9]{4}(?![0-9])"


def _number(name: str) -> str:
    """One or two digits not preceded by a digit. The lookbehind comes after the first digit so
    that the regex engine skips ahead to digits: several times faster on running text."""
    return rf"(?P<{name}>[0-9](?<![0-9][0-9])[0-9]?)"


def _partial(name: str) -> str:
    """A day whose month and year may be left out when the other end of a period gives them:
    "du 7 juin au 30 juillet 2021", "du 26 au 28 mai 2021" (not the day of a numeric date).
    "1er" is the only ordinal used."""
    return (
        _number(name)
        + r"(?![0-9]|[/.][0-9])(?:\s*er)?"
        + rf"(?:\s*(?P<{name}m>{_MONTH})(?![^\W\d_]))?"
        + rf"(?:\s*(?P<{name}y>{_YEAR}))?"
    )


_DATE = re.compile(
    _number("d")
    + rf"(?:(?:\s*er)?\s*(?P<m>{_MONTH})\s*(?P<y>{_YEAR})"
    + rf"|(?P<sep>[/.])(?P<nm>[0-9][0-9]?)(?P=sep)(?P<ny>{_YEAR}))",
    re.IGNORECASE,
)
_BETWEEN = r"\s*(?:au|et(?:\s+le)?|jusqu['’]au)\s*"
_RANGE = re.compile(_partial("a") + _BETWEEN + _partial("b"), re.IGNORECASE)
_BETWEEN_DATES = re.compile(_BETWEEN, re.IGNORECASE)
_OPEN_START = re.compile(r"(?:compter|partir)\s+du\s*$|d[èe]s\s+le\s*$", re.IGNORECASE)
_OPEN_END = re.compile(r"jusqu['’]au\s*$", re.IGNORECASE)

_TIME = re.compile(
    _number("h") + r"\s*(?:heures?|h)(?:\s*(?P<min>[0-9]{2})(?![0-9]))?(?!\w)",
    re.IGNORECASE,
)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name.lower().translate(_UNACCENT)]


def _match_iso(match: re.Match[str]) -> str | None:
    if match["m"] is not None:
        return _iso(int(match["y"]), _month(match["m"]), int(match["d"]))
    return _iso(int(match["ny"]), int(match["nm"]), int(match["d"]))


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every valid date of a running text, in order, as (iso, start, end) offsets into it."""
    found = []
    for match in _DATE.finditer(text):
        iso = _match_iso(match)
        if iso is not None:
            found.append((iso, match.start(), match.end()))
    return found


def parse_date(text: str) -> str | None:
    """The first valid date of `text` in ISO form, so a caller can pass a whole printed line."""
    for match in _DATE.finditer(text):
        iso = _match_iso(match)
        if iso is not None:
            return iso
    return None


def _range(match: re.Match[str]) -> tuple[str | None, str | None]:
    """Both ends of a matched range, each borrowing the month or year the other one states."""
    month_a = match["am"] or match["bm"]
    month_b = match["bm"] or match["am"]
    year_a = match["ay"] or match["by"]
    year_b = match["by"] or match["ay"]
    if not (month_a and month_b and year_a and year_b):
        return None, None
    start = _iso(int(year_a), _month(month_a), int(match["a"]))
    end = _iso(int(year_b), _month(month_b), int(match["b"]))
    if start is None or end is None:
        return None, None
    return start, end


def parse_period(text: str) -> tuple[str | None, str | None]:
    """(start, end) of the period a road order states: "du … au …", "entre le … et le …",
    "le …" (one day); "à compter du …" leaves the end open; (None, None) when no date is given.
    """
    for match in _RANGE.finditer(text):
        start, end = _range(match)
        if start is not None:
            return start, end
    dates = find_dates(text)
    # Numeric dates ("du 05/07/2021 au 09/07/2021") are not in _RANGE.
    for (start, _, after), (end, before, _) in pairwise(dates):
        if _BETWEEN_DATES.fullmatch(text, after, before):
            return start, end
    if not dates:
        return None, None
    iso, begin, _ = dates[0]
    lead = text[max(0, begin - 20) : begin]
    if _OPEN_START.search(lead):
        return iso, None
    if _OPEN_END.search(lead):
        return None, iso
    return iso, iso


def parse_time(text: str) -> str | None:
    """The first valid time of `text` as HH:MM: "10 heures 03", "10h03", "14 heures"."""
    for match in _TIME.finditer(text):
        hour = int(match["h"])
        minute = int(match["min"] or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    return None


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def date_fr(day: date | str | None) -> str:
    """"2021-07-01" → "1er juillet 2021", as acts print dates (a value that is no ISO date is
    given back as it is, None as "")."""
    if not day:
        return ""
    try:
        value = date.fromisoformat(day) if isinstance(day, str) else day
    except ValueError:
        return str(day)
    return f"{'1er' if value.day == 1 else value.day} {MONTHS[value.month - 1]} {value.year}"
