"""Parallel ingest: rows and index entries made in the parse workers are those the store would make."""

from __future__ import annotations

from sqlalchemy import text

from recueil import jobs
from recueil.ingest.batch import prepare_all
from recueil.ingest.pipeline import parse
from recueil.store.database import Store
from recueil.store.entries import analyse
from recueil.store.rows import prepared as prepare_rows, table_rows
from tests.conftest import RAA_2021, SEANCE_2025

TABLES = ("sittings", "deliberations", "reports", "listed_acts", "interventions", "motions", "attendance",
          "proxies", "warnings")


def contents(store: Store) -> dict[str, list[tuple]]:
    """Every stored row but the keys that depend on the order documents arrive in."""
    with store.engine.connect() as conn:
        found = {table: sorted((tuple(row)[1:] for row in conn.execute(text(f"SELECT * FROM {table}"))), key=repr)
                 for table in TABLES}  # without `pk`, first
        found["search"] = sorted(map(tuple, conn.execute(text(
            "SELECT e.type, e.key, e.title, e.date, f.kind, f.title_stems, f.body_stems, f.body FROM search_entries e "
            "JOIN search_fts f ON f.rowid = e.id")).all()))
        found["facets"] = sorted(map(tuple, conn.execute(text("SELECT * FROM search_facets")).all()))
    return found


def test_workers_make_what_the_store_would(tmp_path, raa_2021, seance_2025):
    here = Store(f"sqlite:///{tmp_path / 'here.db'}")
    for read in (seance_2025, raa_2021):  # the order the workers finish in, usually
        here.save(parse(read))
    workers = Store(f"sqlite:///{tmp_path / 'workers.db'}")
    outcomes = jobs.ingest(workers, [SEANCE_2025, RAA_2021], workers=2)
    assert [o.status for o in outcomes] == ["nouveau", "nouveau"]
    assert contents(workers) == contents(here)
    assert len(contents(workers)["search"]) == 33 + 33 + 177 + 90 + 5


def test_a_worker_hands_back_rows_and_entries(raa_2021):
    [(path, prepared)] = list(prepare_all([RAA_2021], prepare_rows, workers=1))
    publication = parse(raa_2021)
    assert path == RAA_2021 and prepared.rows == table_rows(publication)
    assert prepared.analysed == analyse(publication)
    listed = next(e for e in prepared.analysed.entries if e.type == "listed_act")
    assert listed.kind == "__listed_act" and listed.values == {}
    act = next(e for e in prepared.analysed.entries if e.key == "2021-232")
    assert act.kind.split() == ["__deliberation", "__body__cp", "__sitting__cp_2021_06_07", "__vote__unanimous",
                                "__territory__arrageois", "__territory__boulonnais", "__canton__arras_2",
                                "__canton__arras_3", "__canton__desvres", "__epci__c_urbaine_d_arras",
                                "__epci__c_de_com_desvres_samer"]
