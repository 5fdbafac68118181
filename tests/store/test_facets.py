"""Search filters and facets on the real corpus: exact hits and counts, folded values, bad filters."""

from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from recueil.cli import app
from recueil.ingest.pipeline import parse
from recueil.store import search as search_module
from recueil.store.database import Store
from recueil.store.facets import check_filters, slug
from recueil.store.query import QueryError, parse_query
from recueil.store.search_sqlite import fts_expression
from recueil.vocabulary import SEARCH_TYPES

SITTING_2025 = "cd-2025-09-22"


@pytest.fixture(scope="module")
def store(corpus_db):
    """The session's store of the corpus (tests/conftest.py), read only."""
    with Store(corpus_db) as opened:
        yield opened


def ids(results):
    return [(hit.type, hit.id) for hit in results.results]


def acts(results):
    return sorted(hit.id for hit in results.results if hit.type == "deliberation")


def test_values_are_folded_and_normalised():
    assert slug("commune", "SAINT MARTIN-BOULOGNE") == slug("commune", "Saint-Martin-Boulogne")
    assert slug("commune", "Saint-Martin-Boulogne") == "saint_martin_boulogne"
    assert slug("road", "RD 939") == slug("road", "d939") == slug("road", "939") == "d939"
    assert slug("group", "Groupe Rassemblement National") == slug("group", "rassemblement national")
    assert slug("group", "Non-inscrits") == slug("group", "Non-inscrit")
    assert slug("territory", "Tous les territoires") == slug("territory", "tous les territoires") == "tous"
    assert slug("canton", "Tous les cantons des territoires") == "tous"
    assert check_filters({"vote": "Unanimité", "body": "CP", "commune": None}) == {"vote": "unanimous", "body": "cp"}


def test_road_orders_of_a_commune(store):
    found = store.search.search("", filters={"commune": "samer"}, limit=50)
    assert found.total == 3 and found.total_exact
    assert [h.title.split(" –")[0] for h in found.results] == [
        "RD D238 au territoire de la commune de Samer",
        "RD D127E4 et D52 au territoire de la commune de Samer",
        "RD D901 au territoire des communes de Carly, Hesdin-L-Abbe et Samer",
    ]
    assert found.facets["type"] == [("road_order", 3)]
    assert found.facets["commune"] == [("Samer", 3), ("Carly", 1), ("Hesdin-L-Abbe", 1)]
    assert found.facets["road"] == [("D127E4", 1), ("D238", 1), ("D52", 1), ("D901", 1)]
    # with words: the road orders of Samer about the fibre
    fibre = store.search.search("fibre optique", filters={"commune": "SAMER"})
    assert [h.title.split(" –")[0] for h in fibre.results] == [
        "RD D238 au territoire de la commune de Samer", "RD D127E4 et D52 au territoire de la commune de Samer"]


def test_road_orders_of_a_road(store):
    for typed in ("RD 939", "D939", "d 939"):
        found = store.search.search("", filters={"road": typed})
        assert [h.title.split(" –")[0] for h in found.results] == [
            "RD D939 au territoire des communes de Averdoingt et Tincques",
            "RD D939 au territoire de la commune de Etaples"], typed


def test_unanimous_deliberations_of_the_2025_sitting(store):
    found = store.search.search("", type="deliberation", filters={"sitting": SITTING_2025, "vote": "unanimous"},
                                limit=50)
    assert found.total == 11
    assert acts(found) == [f"2025-{n}" for n in range(360, 372) if n != 361]
    assert found.facets == {"type": [("deliberation", 11)], "body": [("cd", 11)], "sitting": [(SITTING_2025, 11)],
                            "vote": [("unanimous", 11)], "territory": [("Tous les territoires", 2)],
                            "canton": [("Tous les cantons", 2)], "epci": [("Tous les EPCI", 1)]}


def test_votes_with_abstentions_and_the_groups_that_stood_apart(store):
    found = store.search.search("", type="deliberation", filters={"vote": "abstentions"})
    assert acts(found) == ["2021-233", "2021-237", "2025-361"]
    assert found.facets["group"] == [("Groupe Socialiste, Républicain et Citoyen", 2),
                                     ("Groupe Rassemblement National", 1), ("Groupe Union pour le Pas-de-Calais", 1)]
    assert store.search.search("", filters={"vote": "against"}, limit=50).total == 0  # no vote against here
    national = store.search.search("", filters={"group": "rassemblement national"}, limit=50)
    assert sorted(ids(national)) == [("deliberation", "2025-361"), ("motion", f"{SITTING_2025}/voeu-5"),
                                     ("report", "2025-361/rapport")]


def test_a_territory_carries_from_the_rapport_to_its_deliberation(store):
    found = store.search.search("", filters={"territory": "BOULONNAIS"}, limit=50)
    assert found.total == 6
    assert acts(found) == ["2021-232", "2021-234", "2021-252"]
    assert {h.id for h in found.results if h.type == "report"} == {"2021-232/rapport", "2021-234/rapport",
                                                                     "2021-252/rapport"}
    assert acts(store.search.search("", filters={"territory": "lens-henin"})) == ["2021-252"]
    assert acts(store.search.search("", filters={"canton": "arras 2", "epci": "C. de Com. Desvres Samer"})) == [
        "2021-232"]
    every = store.search.search("", type="deliberation", filters={"territory": "tous les territoires"}, limit=50)
    assert every.total == 10


def test_facets_of_a_sitting_count_every_hit(store):
    found = store.search.search("", filters={"sitting": SITTING_2025}, limit=1)
    assert found.total == 119 and found.total_exact
    assert found.facets["type"] == [("intervention", 90), ("deliberation", 12), ("report", 12), ("motion", 5)]
    assert found.facets["body"] == [("cd", 119)]
    assert found.facets["vote"] == [("unanimous", 22), ("abstentions", 2)]
    by_body = store.search.search("subvention", filters={"body": "cp"}, limit=50)
    assert by_body.total == 19 and by_body.facets["type"] == [("report", 10), ("deliberation", 9)]
    assert {h.date for h in by_body.results} == {"2021-06-07"}


def test_a_facet_keeps_its_most_frequent_values(store):
    found = store.search.search("", type="road_order", limit=1)
    assert found.total == 112 and len(found.results) == 1
    assert len(found.facets["commune"]) == search_module.FACET_VALUES == 100  # of 145 communes
    assert found.facets["commune"][:4] == [("Condette", 5), ("Saint-Martin-Boulogne", 5), ("Laventie", 4),
                                           ("Mouriez", 4)]
    assert len(found.facets["road"]) == 84 and found.facets["road"][0] == ("D940", 5)


def test_beyond_the_candidates_facets_count_the_newest(store, monkeypatch):
    full = store.search.search("voirie", limit=5)  # 119 hits, all of them candidates
    assert full.facet_hits == full.total == 119 and sum(n for _, n in full.facets["type"]) == 119
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    newest = store.search.search("voirie", limit=5)
    assert newest.total == 119 and newest.total_exact and newest.facet_hits == 5
    with store.engine.connect() as conn:  # the kinds of the five newest hits, read apart
        kinds = conn.execute(text("SELECT c0 FROM search_fts_content WHERE id IN (SELECT rowid FROM search_fts "
                                  "WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT 5)"),
                             {"q": fts_expression(parse_query("voirie"))}).scalars().all()
    assert dict(newest.facets["type"]) == Counter(kind.split()[0][2:] for kind in kinds)
    assert sum(n for _, n in newest.facets["type"]) == 5


def test_an_act_number_within_filters(store):
    assert ids(store.search.search("2025-361", filters={"body": "cd"}))[:2] == [
        ("deliberation", "2025-361"), ("report", "2025-361/rapport")]
    assert store.search.search("2025-361", filters={"body": "cp"}).total == 0


@pytest.mark.parametrize("filters, reason", [
    ({"colour": "bleu"}, "filtre inconnu : colour"),
    ({"body": "sénat"}, "organe invalide : sénat (attendu : cd ou cp ou cm ou cc ou bu ou cr ou cs)"),
    ({"vote": "peut-être"}, "vote invalide : peut-être"),
    ({"sitting": "22/09/2025"}, "séance invalide : 22/09/2025"),
    ({"sitting": "cd-2030-01-01"}, "séance inconnue : cd-2030-01-01"),
    ({"commune": "Sammer"}, "commune inconnue : Sammer"),
    ({"road": "A16"}, "route invalide : A16"),
    ({"group": "Les Verts"}, "groupe inconnu : Les Verts"),
])
def test_a_bad_filter_raises_a_french_reason(store, filters, reason):
    with pytest.raises(QueryError) as error:
        store.search.search("voirie", filters=filters)
    assert str(error.value).startswith(reason)


def test_an_empty_query_lists_the_newest_records(store):
    assert store.search.search("", type="motion").total == 5
    everything = store.search.search("  ", limit=50)
    by_type = [store.search.search("", type=kind) for kind in SEARCH_TYPES]
    assert everything.total == sum(found.total for found in by_type) and everything.total_exact
    dates = [hit.date or "" for hit in everything.results]
    assert len(dates) == 50 and dates == sorted(dates, reverse=True)


def test_the_command_line_filters_and_prints_facets(tmp_path, raa_2021):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    Store(db).save(parse(raa_2021))
    runner = CliRunner()
    result = runner.invoke(app, ["search", "--db", db, "--commune", "Samer", "--route", "D238", "--facettes"])
    assert result.exit_code == 0, result.output
    assert "1 résultat pour ces filtres" in result.output
    assert "commune (--commune) : Samer (1)" in result.output
    result = runner.invoke(app, ["search", "--db", db, "bibliothèque", "--organe", "cp", "--vote", "unanimous",
                                 "--territoire", "tous les territoires", "--type", "deliberation"])
    assert result.exit_code == 0 and "délibération 2021-246 2021-06-07" in result.output
    bad = runner.invoke(app, ["search", "--db", db, "voirie", "--commune", "Sammer"])
    assert bad.exit_code == 2 and "Requête invalide : commune inconnue : Sammer" in bad.stderr
