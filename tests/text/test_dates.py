"""French dates, periods of road orders and times of séances."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recueil.text.dates import find_dates, parse_date, parse_period, parse_time

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
UNACCENTED = {"février": "fevrier", "août": "aout", "décembre": "decembre"}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("5 juillet 2021", "2021-07-05"),
        ("1er juillet 2021", "2021-07-01"),
        ("1ER JUILLET 2021", "2021-07-01"),
        ("08/10/2025", "2025-10-08"),
        ("14/11/2017", "2017-11-14"),
        ("22 SEPTEMBRE 2025", "2025-09-22"),
        ("8 octobre 2025", "2025-10-08"),
        ("7 JUIN 2021", "2021-06-07"),
        ("3 fevrier 2020", "2020-02-03"),
        ("3 février 2020", "2020-02-03"),
        ("3 FÉVRIER 2020", "2020-02-03"),
        ("15 aout 2021", "2021-08-15"),
        ("15 août 2021", "2021-08-15"),
        ("15 AOÛT 2021", "2021-08-15"),
        ("18 decembre 2023", "2023-12-18"),
        ("18 décembre 2023", "2023-12-18"),
        ("  5   juillet    2021 ", "2021-07-05"),
        ("Envoi au contrôle de légalité le : 5 juillet 2021", "2021-07-05"),
        ("Vu la délibération n°2017-520 du 14/11/2017", "2017-11-14"),
        ("29 février 2024", "2024-02-29"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "",
        "aucune date ici",
        "juillet 2021",
        "31 février 2021",
        "29 février 2023",
        "32 mai 2021",
        "31/13/2021",
        "N° 2021-188",
        "2025 mai",
        "123/10/2025",
    ],
)
def test_parse_date_none(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_gives_offsets_in_running_text() -> None:
    text = "Vu la délibération n°2017-520 du 14/11/2017 et l'arrêté du 1er juin 2024 ; 31/02/2020."
    found = find_dates(text)
    assert [iso for iso, _, _ in found] == ["2017-11-14", "2024-06-01"]
    assert [text[start:end] for _, start, end in found] == ["14/11/2017", "1er juin 2024"]


def test_find_dates_without_space_before_a_word() -> None:
    text = "du 7 juin 2021au 25 juin 2021"
    assert [iso for iso, _, _ in find_dates(text)] == ["2021-06-07", "2021-06-25"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("du 14 juin 2021 au 18 juin 2021", ("2021-06-14", "2021-06-18")),
        ("entre le 31 mai 2021 et le 2 juillet 2021", ("2021-05-31", "2021-07-02")),
        ("le 4 juillet 2021", ("2021-07-04", "2021-07-04")),
        ("du 1er juillet 2021 au 31 août 2021", ("2021-07-01", "2021-08-31")),
        ("du 7 juin au 30 juillet 2021", ("2021-06-07", "2021-07-30")),
        ("du 26 au 28 mai 2021", ("2021-05-26", "2021-05-28")),
        (
            "Travaux de réfection de chaussée durant 1 nuit du 14 juin 2021 au 18 juin 2021",
            ("2021-06-14", "2021-06-18"),
        ),
        # Wordings of the 2021 sommaire: "entre … au …", no "du", no space, a month left out.
        ("5 jours entre le 31 mai 2021 au 2 juillet 2021", ("2021-05-31", "2021-07-02")),
        ("5 jours entre le 7 juin 2021 et 30 juin 2021", ("2021-06-07", "2021-06-30")),
        ("de la fibre optique 14 juin 2021 au 23 juillet 2021", ("2021-06-14", "2021-07-23")),
        ("de la circulation du 7 juin 2021au 25 juin 2021", ("2021-06-07", "2021-06-25")),
        ("Travaux purge chaussée du 26 mai 2021 au 28 2021", ("2021-05-26", "2021-05-28")),
        (
            "sur la RN 42 4 jours entre le 22 juin 2021 et le 9 juillet 2021",
            ("2021-06-22", "2021-07-09"),
        ),
        ("à compter du 5 juillet 2021", ("2021-07-05", None)),
        ("jusqu'au 5 juillet 2021", (None, "2021-07-05")),
        ("du 05/07/2021 au 09/07/2021", ("2021-07-05", "2021-07-09")),
    ],
)
def test_parse_period(text: str, period: tuple[str | None, str | None]) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text", ["Limitation de la vitesse à 70 Km/h – 50 Km/h", "", "du 7 juin au 30 juillet"]
)
def test_parse_period_without_date(text: str) -> None:
    assert parse_period(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("10 heures 03", "10:03"),
        ("(La séance débute à 10 heures 03 sous la présidence", "10:03"),
        ("La séance est levée à 15 heures 26.", "15:26"),
        ("10h03", "10:03"),
        ("10H03", "10:03"),
        ("10 h 03", "10:03"),
        ("14 heures", "14:00"),
        ("vers 14 heures 30. Cela vous convient", "14:30"),
        ("14h", "14:00"),
        ("une heure", None),
        ("24h/24", None),
        ("pour 100 habitants", None),
        ("120 heures", None),
        ("", None),
    ],
)
def test_parse_time(text: str, time: str | None) -> None:
    assert parse_time(text) == time


# Any valid date, in each way a French act prints it.

DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))


def _spelled(day: date, style: int, spaces: str) -> str:
    month = MONTHS[day.month - 1]
    if style == 1:
        month = month.upper()
    elif style == 2:
        month = UNACCENTED.get(month, month)
    elif style == 3:
        month = month.capitalize()
    number = "1er" if day.day == 1 and style != 2 else str(day.day)
    return f"{number}{spaces}{month}{spaces}{day.year}"


@st.composite
def french_dates(draw: st.DrawFn) -> tuple[date, str]:
    day = draw(DATES)
    style = draw(st.integers(0, 5))
    spaces = draw(st.sampled_from([" ", "  ", "\u00a0", " \t "]))
    if style == 4:
        return day, f"{day.day:02d}/{day.month:02d}/{day.year}"
    if style == 5:
        return day, f"{day.day}/{day.month}/{day.year}"
    return day, _spelled(day, style, spaces)


# Running text around a date: no digit, so it cannot extend the date or hold another one.
WORDS = st.text(alphabet="abcdeéèàûç ,;:()'’-LEA", max_size=30)


@given(french_dates())
def test_parse_date_round_trip(case: tuple[date, str]) -> None:
    day, text = case
    assert parse_date(text) == day.isoformat()


@given(french_dates(), WORDS, WORDS)
def test_find_dates_in_running_text(case: tuple[date, str], before: str, after: str) -> None:
    day, text = case
    assert find_dates(before + " " + text + " " + after) == [
        (day.isoformat(), len(before) + 1, len(before) + 1 + len(text))
    ]


@given(french_dates(), french_dates(), st.sampled_from(["du {} au {}", "entre le {} et le {}"]))
def test_parse_period_round_trip(
    first: tuple[date, str], second: tuple[date, str], wording: str
) -> None:
    (start, start_text), (end, end_text) = sorted([first, second])
    assert parse_period("Travaux " + wording.format(start_text, end_text)) == (
        start.isoformat(),
        end.isoformat(),
    )


# Days of a common year: any of them exists in any year once its year is replaced.
DAYS_OF_A_YEAR = st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31))


@given(st.integers(1000, 2999), DAYS_OF_A_YEAR, DAYS_OF_A_YEAR)
def test_parse_period_with_elided_year(year: int, first: date, second: date) -> None:
    start, end = sorted([first.replace(year=year), second.replace(year=year)])
    text = f"du {start.day} {MONTHS[start.month - 1]} au {end.day} {MONTHS[end.month - 1]} {year}"
    assert parse_period(text) == (start.isoformat(), end.isoformat())


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["{} heures {:02d}", "{}h{:02d}"]))
def test_parse_time_round_trip(hour: int, minute: int, wording: str) -> None:
    assert parse_time(wording.format(hour, minute)) == f"{hour:02d}:{minute:02d}"


@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert parse_date(text) is None or len(parse_date(text) or "") == 10
    assert all(len(iso) == 10 and start < end for iso, start, end in find_dates(text))
    start, end = parse_period(text)
    assert start is None or len(start) == 10
    assert end is None or len(end) == 10
    assert parse_time(text) is None or len(parse_time(text) or "") == 5


@given(st.text(alphabet="0123456789 /.erjuinmaiJUINMAIàuetdl", max_size=60))
def test_never_raises_on_date_like_text(text: str) -> None:
    parse_date(text)
    find_dates(text)
    parse_period(text)
    parse_time(text)
