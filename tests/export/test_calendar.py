"""Road orders as a calendar: the 112 arrêtés de voirie of the RAA of June 2021, as iCalendar and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from recueil import jobs
from recueil.cli import app
from recueil.export.calendar import CSV_HEADER, RoadOrder, road_orders, to_csv, to_ics
from recueil.ingest.pipeline import parse
from recueil.store.database import Store

SITE = "https://recueil.example.fr/"
STAMP = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DOCUMENT = "1f2d693039373eba"  # the RAA's id (its SHA-256, shortened)


@pytest.fixture(scope="module")
def db(tmp_path_factory, raa_2021) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('calendar') / 'raa.db'}"
    with Store(url) as store:
        store.save(parse(raa_2021))
    return url


@pytest.fixture
def store(db):
    with Store(db) as opened:
        yield opened


def events(ics: str) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")


def test_every_order_with_a_period_is_one_event(store):
    orders = road_orders(store)
    assert len(orders) == 112
    assert [o.title for o in orders if o.start is None] == [
        "RD D119 au territoire des communes de Condette et Saint-Etienne-au-Mont – Limitation de vitesse à 70 Km/h",
        "RD D943 au territoire de la commune de Chocques – Limitation de la vitesse à 70 Km/h – 50 Km/h",
    ]
    found = events(to_ics(orders, SITE, STAMP))
    assert len(found) == 110
    assert len({str(e["UID"]) for e in found}) == 110
    assert [e.decoded("DTSTART") for e in found] == sorted(e.decoded("DTSTART") for e in found)


def test_one_event_as_a_calendar_shows_it(store):
    (etaples,) = road_orders(store, commune="Etaples")
    (event,) = events(to_ics([etaples], SITE, STAMP))
    assert event.decoded("DTSTART") == date(2021, 6, 14)
    assert event.decoded("DTEND") == date(2021, 6, 19)  # the 18th included: the end is exclusive
    assert str(event["SUMMARY"]) == "RD D939 – Etaples"
    assert str(event["DESCRIPTION"]) == (
        "RD D939 au territoire de la commune de Etaples – Travaux de réfection de chaussée durant 1 nuit "
        "du 14 juin 2021 au 18 juin 2021\nRecueil des actes administratifs, page 1523")
    assert str(event["URL"]) == f"https://recueil.example.fr/documents/{DOCUMENT}#ligne-181"
    assert str(event["UID"]) == f"arrete-voirie-{DOCUMENT}-181-20210614@recueil"
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["LOCATION"]) == "Etaples"


@pytest.mark.parametrize("commune, road, on, count", [
    ("samer", None, None, 3),
    ("SAINT ETIENNE AU MONT", None, None, 3),  # "Saint-Etienne-au-Mont", folded
    (None, "RD 901", None, 4),
    (None, "D901", None, 4),
    (None, "901", None, 4),
    ("Samer", "D901", None, 1),
    (None, None, "2021-06-15", 56),
    ("Condette", None, date(2021, 6, 15), 2),
    ("Condette", None, date(2020, 1, 1), 0),
])
def test_filters_by_commune_road_and_day(store, commune, road, on, count):
    assert len(road_orders(store, commune=commune, road=road, on=on)) == count


def test_the_samer_orders(store):
    orders = road_orders(store, commune="samer")
    assert [(o.start, o.end, o.road_codes, o.line) for o in orders] == [
        (date(2021, 5, 31), date(2021, 7, 2), ("D901",), 196),
        (date(2021, 6, 14), date(2021, 8, 20), ("D127E4", "D52"), 228),
        (date(2021, 6, 14), date(2021, 8, 20), ("D238",), 233),
    ]
    assert [e.decoded("DTEND") for e in events(to_ics(orders, SITE, STAMP))] == [
        date(2021, 7, 3), date(2021, 8, 21), date(2021, 8, 21)]


def test_the_lines_follow_rfc_5545(store):
    ics = to_ics(road_orders(store), SITE, STAMP)
    assert ics.endswith("END:VCALENDAR\r\n")
    lines = ics.split("\r\n")[:-1]
    assert "\n" not in "".join(lines) and "\r" not in "".join(lines)
    assert max(len(line.encode("utf-8")) for line in lines) == 75  # long descriptions were folded
    unfolded = ics.replace("\r\n ", "")
    assert all(line.startswith(("BEGIN:", "END:", "VERSION:", "PRODID:", "CALSCALE:", "METHOD:", "X-WR-CALNAME:",
                                "UID:", "DTSTAMP:", "DTSTART;", "DTEND;", "SUMMARY:", "DESCRIPTION:", "LOCATION:",
                                "URL:", "CATEGORIES:", "TRANSP:")) for line in unfolded.split("\r\n")[:-1])
    assert "SUMMARY:RD D901 – Carly\\, Hesdin-L-Abbe\\, Samer\r\n" in unfolded


def test_an_empty_selection_is_an_empty_calendar(store):
    calendar = icalendar.Calendar.from_ical(to_ics(road_orders(store, commune="Condette", on="2020-01-01"), SITE, STAMP))
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_csv_has_one_row_per_order(store):
    out = io.StringIO()
    assert to_csv(road_orders(store), out, SITE) == 112
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == CSV_HEADER == ["début", "fin", "routes", "communes", "objet", "intitulé", "page", "adresse"]
    assert len(rows) == 113
    assert rows[1] == ["2021-05-25", "2021-06-02", "RD D191", "Audinghen",
                       "Travaux sur Ouvrages Existants Eau Potable du 25 mai 2021 au 2 juin 2021",
                       "RD D191 au territoire de la commune de Audinghen – Travaux sur Ouvrages Existants Eau "
                       "Potable du 25 mai 2021 au 2 juin 2021", "1525",
                       f"https://recueil.example.fr/documents/{DOCUMENT}#ligne-186"]
    assert sum(1 for row in rows[1:] if not row[0]) == 2  # the two permanent speed limits, undated


def test_records_give_the_same_orders_as_the_store(store):
    assert road_orders(list(store.records()), commune="samer") == road_orders(store, commune="samer")


@pytest.mark.parametrize(("commune", "road", "message"), [
    ("Arras", None, "commune inconnue : Arras"),  # no order of the sommaire names it
    (None, "D99", "route inconnue : D99"),
    ("Samer", "D99", "route inconnue : D99"),
])
def test_an_unknown_commune_or_road_is_refused_as_the_search_does(store, commune, road, message):
    with pytest.raises(ValueError) as refused:
        road_orders(store, commune=commune, road=road)
    assert str(refused.value) == message


def test_a_bad_day_is_a_french_error(store):
    with pytest.raises(ValueError, match="date invalide : « 15/06/2021 » \\(attendu AAAA-MM-JJ\\)"):
        road_orders(store, on="15/06/2021")
    with pytest.raises(ValueError, match="format inconnu : pdf"):
        jobs.agenda(store, "pdf", io.StringIO())


def test_the_agenda_command(db, tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "samer.ics"
    result = runner.invoke(app, ["agenda", "--db", db, "--commune", "Samer", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(events(out.read_text(encoding="utf-8"))) == 3
    assert out.read_bytes().count(b"\r\n") == out.read_bytes().count(b"\n")  # CRLF kept as written
    result = runner.invoke(app, ["agenda", "--db", db, "--route", "RD 901", "--format", "csv"])
    assert result.exit_code == 0 and len(result.stdout.strip().split("\n")) == 5
    result = runner.invoke(app, ["agenda", "--db", db, "--date", "demain"])
    assert result.exit_code == 2
    assert "date invalide : « demain »" in result.output and "Traceback" not in result.output


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), min_size=1, max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_title_is_folded_and_read_back(title):
    order = RoadOrder(DOCUMENT, 1, title, "RD D1", "Arras", "", date(2021, 6, 1), None, ("D1",), ("Arras",), None)
    ics = to_ics([order], SITE, STAMP)
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    (event,) = events(ics)
    assert str(event["DESCRIPTION"]) == title
    assert event.decoded("DTEND") == date(2021, 6, 2)  # no end: the one day of its start
