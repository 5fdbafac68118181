"""French full-text search on the real corpus: stemming, exact ranking, operators, act numbers,
snippets, filters, malformed queries, and an index that follows re-ingests."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from recueil.cli import app
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.store import search as search_module
from recueil.store.analysis import ascii_lower, stems, words
from recueil.store.database import Store
from recueil.store.query import QueryError


@pytest.fixture(scope="module")
def store(corpus_db):
    """The session's store of the corpus (tests/conftest.py), read only."""
    with Store(corpus_db) as opened:
        yield opened


def ids(results):
    return [(hit.type, hit.id) for hit in results.results]


def test_analyser_folds_elides_and_stems():
    exact = words("Vœux : Logement d’abord, VOIRIE — n°2021-232 Pas-de-Calais")
    assert exact == ["voeux", "logement", "abord", "voirie", "2021", "232", "pas", "calais"]
    assert stems(exact) == ["voeu", "log", "abord", "voiri", "2021", "232", "pas", "calais"]  # not "voir"
    assert stems(words("bourses initiatives jeunes")) == stems(words("BOURSE INITIATIVE JEUNE"))


def test_plurals_find_the_title_and_the_act_comes_first(store):
    found = store.search.search("bourses initiatives jeunes")
    assert found.total == 3 and found.total_exact
    assert ids(found)[:2] == [("deliberation", "2021-232"), ("report", "2021-232/rapport")]
    first = found.results[0]
    assert first.number == "2021-232" and first.date == "2021-06-07" and first.url == "/deliberations/2021-232"
    marked = {ascii_lower(f.text) for f in first.snippet if f.match}
    assert marked == {"bourse", "initiatives", "jeunes"}
    shape = found.to_dict()
    assert set(shape) == {"total", "total_exact", "results", "facets", "facet_hits", "notice"}
    assert set(shape["results"][0]) == {"type", "id", "number", "title", "date", "url", "snippet"}
    assert "".join(f["text"] for f in shape["results"][0]["snippet"]).count("BOURSE INITIATIVES JEUNES") == 1


def test_words_and_phrase(store):
    loose = ids(store.search.search("logement d'abord"))
    assert ("deliberation", "2021-252") in loose[:2]
    found = store.search.search('"logement d\'abord"')
    phrase = ids(found)
    assert ("deliberation", "2021-252") in phrase[:2] and set(phrase) < set(loose)
    act = next(hit for hit in found.results if hit.id == "2021-252")
    assert [f.text for f in act.snippet if f.match] == ["LOGEMENT D'ABORD"]  # the phrase, marked whole
    # "tout d'abord … logement" holds both words, not the phrase
    assert ("intervention", "cd-2025-09-22/intervention-29") in loose
    assert ("intervention", "cd-2025-09-22/intervention-29") not in phrase


def test_boolean_operators(store):
    voirie = store.search.search("voirie", limit=200)
    without = store.search.search("voirie NOT travaux", limit=200)
    assert 0 < without.total < voirie.total
    assert store.search.search("voirie -travaux", limit=200).total == without.total
    either = store.search.search("eurostar OR téléassistance")
    assert either.total == store.search.search("eurostar").total + store.search.search("téléassistance").total
    assert store.search.search("eurostar ET calais").total == store.search.search("eurostar AND calais").total


def test_exact_ranks_first_and_stem_collisions_do_not_match(store):
    voirie = store.search.search("voirie", limit=500)
    for hit in voirie.results:  # "voirie" is stemmed apart from "voir" (to see)
        fragments = " ".join(f.text for f in hit.snippet if f.match)
        assert "voiri" in ascii_lower(fragments), hit
    with store.engine.connect() as conn:
        exact = {key for key, title, body in conn.execute(text("SELECT key, title, text FROM search_entries"))
                 if "logements" in words(f"{title} {body}")}
    logements = store.search.search("logements", limit=50)
    assert logements.total > len(exact) == 6  # "logement", "loger"… match by their stem "log"
    # an exact match is a boost, not a wall: the first five hold "logements" as typed, then
    # 2021-252 ("LOGEMENT D'ABORD", "logement" 9 times) comes before a rapport that has it once
    assert {hit.id for hit in logements.results[:5]} < exact


def test_prefix(store):
    found = ids(store.search.search("bibliothèq*"))
    assert ("deliberation", "2021-246") in found
    services = ids(store.search.search("départementa* activité", type="deliberation"))
    assert ("deliberation", "2025-370") in services  # "SERVICES DÉPARTEMENTAUX"


@pytest.mark.parametrize("query", ["n°2021-232", "N° 2021-232", "2021-232"])
def test_act_number_goes_straight_to_the_act(store, query):
    found = store.search.search(query)
    assert ids(found)[:2] == [("deliberation", "2021-232"), ("report", "2021-232/rapport")]
    assert any(f.match and f.text == "2021-232" for f in found.results[0].snippet)


def test_accents_and_case_are_folded(store):
    for a, b in [("représentation établissements", "REPRESENTATION ETABLISSEMENTS"), ("vœu", "voeu"),
                 ("téléassistance", "Teleassistance")]:
        assert ids(store.search.search(a)) == ids(store.search.search(b))


def test_filters_and_paging(store):
    roads = store.search.search("travaux", type="road_order", limit=100)
    assert roads.total > 10 and {h.type for h in roads.results} == {"road_order"}
    july = store.search.search("travaux", type="road_order", date_from="2021-07-01", date_to="2021-07-31", limit=100)
    assert 0 < july.total < roads.total and all("2021-07-01" <= h.date <= "2021-07-31" for h in july.results)
    everything = ids(store.search.search("département", limit=30))
    pages = [*ids(store.search.search("département", limit=15)),
             *ids(store.search.search("département", limit=15, offset=15))]
    assert pages == everything


def test_sorted_by_date(store):
    """By date, the hits in the order of their days (the undated left out), the same total either way."""
    oldest = store.search.search("logement", sort="date", limit=100)
    newest = store.search.search("logement", sort="-date", limit=100)
    dates = [hit.date for hit in oldest.results]
    assert oldest.total == newest.total == len(dates) == 18
    assert dates == sorted(dates) and [h.date for h in newest.results] == sorted(dates, reverse=True)
    assert (dates[0], dates[-1]) == ("2021-06-07", "2025-09-22")
    assert ids(store.search.search("logement", sort="date", limit=5, offset=5)) == ids(oldest)[5:10]
    with pytest.raises(QueryError, match="tri invalide : titre"):
        store.search.search("logement", sort="titre")
    inverted = store.search.search("logement", date_from="2025-10-01", date_to="2025-01-01")
    assert (inverted.total, inverted.results) == (0, [])  # said, not refused
    assert inverted.notice == "période inversée : du 2025-10-01 au 2025-01-01 (la date de début doit précéder celle de fin)"
    stop_words = store.search.search("le la")
    assert (stop_words.total, stop_words.notice) == (0, "rien à chercher dans « le la » (seulement des mots trop courants)")
    assert store.search.search("logement", date_from="1700-01-01").total == 18  # before the first dated day


def test_beyond_the_candidates_counts_stay_exact_and_pages_stable(store, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)  # "voirie" has 119 hits
    found = store.search.search("voirie", limit=5)
    assert found.total == 119 and found.total_exact
    pages = [*ids(store.search.search("voirie", limit=3)), *ids(store.search.search("voirie", limit=2, offset=3))]
    assert pages == ids(found)
    titled = [h for h in found.results if "voiri" in ascii_lower(h.title)]
    assert titled and titled[0] is found.results[0]  # the newest title hits are candidates too


@pytest.mark.parametrize("query", ['"logement', "(voirie", "voirie)", "NOT voirie", "voirie AND", "OR voirie",
                                   "de*", "()", "vo*rie"])  # empty: every record; stop words: a notice
def test_malformed_query_raises_a_french_reason(store, query):
    with pytest.raises(QueryError) as error:
        store.search.search(query)
    assert str(error.value) and "\n" not in str(error.value) and "sqlite" not in str(error.value).lower()


def test_bad_filters_raise_a_french_reason(store):
    with pytest.raises(QueryError, match="type inconnu"):
        store.search.search("voirie", type="arrete")
    with pytest.raises(QueryError, match="date de début invalide"):
        store.search.search("voirie", date_from="07/06/2021")


def test_a_new_version_leaves_no_stale_rows(tmp_path, seance_2025):
    store = Store(f"sqlite:///{tmp_path / 'v.db'}")
    data = "\n".join(seance_2025.lines).encode("utf-8")
    store.save(parse(read_bytes("seance.txt", data)))
    assert ids(store.search.search("2025-371"))[0] == ("deliberation", "2025-371")
    second = parse(read_bytes("seance.txt", data.replace(b"(N\xc2\xb02025-371)", b"")))
    assert store.save(second).status == "remplacé"
    assert ("deliberation", "2025-371") not in ids(store.search.search("2025-371"))
    with store.engine.connect() as conn:
        entries = conn.execute(text("SELECT count(*), count(DISTINCT document_id), max(document_id) "
                                    "FROM search_entries")).one()
        assert entries == (len(second.deliberations) + len(second.reports) + len(second.listed_acts)
                           + len(second.interventions) + len(second.motions), 1, second.document.id)
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar_one() == entries[0]
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')"))


def test_the_command_line_searches_and_explains_errors(tmp_path, seance_2025):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    Store(db).save(parse(seance_2025))
    runner = CliRunner()
    result = runner.invoke(app, ["search", "--db", db, "téléassistance", "--type", "deliberation", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "délibération 2025-369 2025-09-22" in result.output
    bad = runner.invoke(app, ["search", "--db", db, '"téléassistance'])
    assert bad.exit_code == 2 and "Requête invalide : guillemet non fermé" in bad.stderr


def test_a_snippet_skips_the_roll_call_unless_the_query_is_in_it(store):
    newest = store.search.search("", type="deliberation", limit=1).results[0]
    shown = "".join(f.text for f in newest.snippet)
    assert shown.startswith("… Vu le Code Général des Collectivités Territoriales") and "présents" not in shown
    named = store.search.search("Leroy", type="deliberation", limit=1).results[0]
    assert [f.text for f in named.snippet if f.match][:2] == ["LEROY", "LEROY"]  # the heading holds the name
