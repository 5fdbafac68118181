"""The data of the pages and the API, read from a store of the real corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recueil import jobs
from recueil.store import browse
from recueil.store.browse import Browser, NotFound, councillor_id
from recueil.store.database import Store
from recueil.store.query import QueryError

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def browser(corpus_db: str) -> Iterator[Browser]:
    with Store(corpus_db) as store:
        yield Browser(store)


def test_councillor_id_merges_spellings() -> None:
    assert councillor_id("Jean-Claude LEROY") == "jean-claude-leroy"
    assert councillor_id("Mireille HINGREZ CEREDA") == councillor_id("Mme Mireille HINGREZ-CÉRÉDA") \
        == "mireille-hingrez-cereda"


def test_deliberation_2025_361(browser: Browser) -> None:
    page = browser.deliberation("2025-361")
    act = page["deliberation"]
    assert act["title"] == "BUDGET SUPPLÉMENTAIRE DE L'EXERCICE 2025 - AFFECTATION DU RÉSULTAT"
    vote = act["vote"]
    assert (vote["pour"], vote["contre"], vote["abstention"], vote["en_exercice"], vote["presents"],
            vote["delegations"]) == (54, 0, 24, 78, 71, 7)
    assert vote["groups"]["abstention"] == ["Groupe Union pour le Pas-de-Calais", "Groupe Rassemblement National"]
    assert {k: len(v) for k, v in page["attendance"].items()} == {
        "present": 71, "excused": 7, "absent": 0, "non_voting_present": 0, "non_voting_excused": 0}
    assert page["attendance"]["present"][1] == {"name": "Mireille HINGREZ-CÉRÉDA", "id": "mireille-hingrez-cereda"}
    assert page["sitting_id"] == "cd-2025-09-22"
    assert len(page["proxies"]) == 7
    assert page["proxies"][0] == {"giver": {"name": "François LEMAIRE", "id": "francois-lemaire"},
                                  "holder": {"name": "André KUCHCINSKI", "id": "andre-kuchcinski"}}
    assert page["report"]["number"] == 2 and page["report"]["text"]
    assert page["document"]["source"] == "003_e61d4ed207638a45.txt"
    assert (act["source"]["first_line"], act["source"]["last_line"]) == (2510, 2638)


def test_deliberation_2021_232_cites_and_budget(browser: Browser) -> None:
    page = browser.deliberation("2021-232")
    assert [(c["number"], c["date"], c["url"]) for c in page["cites"]] == [
        ("2018-603", "2018-12-17", None), ("2017-520", "2017-11-14", None), ("23", "2016-06-20", None)]
    assert page["cited_by"] == []
    assert page["budget"] == {  # the act's line and its rapport's, merged
        "columns": ["cp", "depense", "disponible", "proposition", "solde"],
        "lines": [{"operation": "C03-333F02", "imputation": "6568/9333", "label": "Bourses initiatives Jeune",
                   "amounts": {"cp": 5500000, "depense": 275000, "disponible": 5160000, "proposition": 275000,
                               "solde": 4885000}}]}
    assert len(page["attendance"]["non_voting_present"]) == 3


def test_deliberation_record_is_the_jsonl_record(browser: Browser) -> None:
    record = browser.deliberation_record("2025-361")
    assert record["type"] == "deliberation" and record["number"] == "2025-361"
    assert record["ack"] == "062-226200012-20250922-lmc1526535-DE-1-1"
    assert record["text"].startswith("Accusé de réception en préfecture : 062-226200012-20250922-lmc1526535")
    assert record["text"].endswith("Maryline VINCLAIRE")


def test_unknown_records_raise_not_found(browser: Browser) -> None:
    for call, key in ((browser.deliberation, "2099-001"), (browser.deliberation_record, "x"),
                      (browser.sitting, "cd-1999-01-01"), (browser.councillor, "personne"),
                      (browser.document, "0000")):
        with pytest.raises(NotFound):
            call(key)


def test_sittings(browser: Browser) -> None:
    assert browser.sittings() == [
        {"id": "cd-2025-09-22", "body": "conseil_departemental", "date": "2025-09-22", "president": "Jean-Claude LEROY",
         "present": 68, "excused": 7, "proxies": 7, "deliberations": 12, "interventions": 90},
        {"id": "cp-2021-06-07", "body": "commission_permanente", "date": "2021-06-07", "president": "Jean-Claude LEROY",
         "present": 0, "excused": 0, "proxies": 0, "deliberations": 21, "interventions": 0}]


def test_sitting_agenda_with_votes_and_turns(browser: Browser) -> None:
    sitting = browser.sitting("cd-2025-09-22")
    assert len(sitting["agenda"]) == 12
    budget = sitting["agenda"][1]
    assert budget["title"] == "Budget supplémentaire de l'exercice 2025 - Affectation du résultat"
    assert [d["number"] for d in budget["deliberations"]] == ["2025-361"]
    assert budget["deliberations"][0]["vote"]["abstention"] == 24
    assert [t["seq"] for t in budget["interventions"]] == list(range(13, 33))
    assert budget["interventions"][0]["speaker_id"] == "daniel-maciejasz"
    assert [t["seq"] for t in sitting["other_interventions"]] == [*range(1, 10), *range(54, 71)]
    assert [m["anchor"] for m in sitting["motions"]] == [f"voeu-{n}" for n in range(1, 6)]
    assert sitting["motions"][4]["filed_by"] == "Groupe Rassemblement National"
    assert len(sitting["attendance"]["present"]) == 68 and len(sitting["proxies"]) == 7
    assert sitting["other_deliberations"] == []


def test_sitting_without_agenda_lists_its_deliberations(browser: Browser) -> None:
    sitting = browser.sitting("cp-2021-06-07")
    assert sitting["agenda"] == []
    assert [d["number"] for d in sitting["other_deliberations"]] == [f"2021-{n}" for n in range(232, 253)]


def test_councillors_presence_and_proxies(browser: Browser) -> None:
    people = {c["id"]: c for c in browser.councillors()}
    assert len(people) == 101
    assert people["laurent-duporge"] == {
        "id": "laurent-duporge", "name": "Laurent DUPORGE", "group": "Groupe Socialiste, Républicain et Citoyen",
        "group_source": "motion",
        "acts_listed": 33, "acts_present": 8, "acts_excused": 25, "acts_absent": 0, "presence_rate": 24.2,
        "sittings_listed": 2, "sittings_present": 1, "proxies_given": 0, "proxies_received": 0, "interventions": 0}
    drain = people["blandine-drain"]
    assert (drain["acts_present"], drain["acts_excused"], drain["acts_absent"]) == (21, 11, 1)
    assert drain["presence_rate"] == 63.6
    assert people["jean-claude-leroy"]["interventions"] == 47


def test_councillor_page_merges_spellings(browser: Browser) -> None:
    person = browser.councillor("mireille-hingrez-cereda")
    assert person["name"] == "Mireille HINGREZ-CÉRÉDA"
    assert person["spellings"] == ["Mireille HINGREZ CEREDA", "Mireille HINGREZ-CEREDA", "Mireille HINGREZ-CÉRÉDA"]
    assert person["proxies_received"] == [{"sitting": "cd-2025-09-22", "giver": "Sébastien CHOCHOIS",
                                           "holder": "Mireille HINGREZ CEREDA", "giver_id": "sebastien-chochois"}]
    assert [s["seq"] for s in person["speeches"]] == [9, 29]
    assert person["speeches"][0]["url"] == "/seances/cd-2025-09-22#intervention-9"


def test_road_orders_by_road_commune_and_day(browser: Browser) -> None:
    assert len(browser.road_orders()) == 112
    on_939 = browser.road_orders(road="RD 939")
    assert [(o["commune_names"], o["period"]) for o in on_939] == [
        (["Averdoingt", "Tincques"], {"start": "2021-06-17", "end": "2021-07-16"}),
        (["Etaples"], {"start": "2021-06-14", "end": "2021-06-18"})]
    assert browser.road_orders(road="d939") == on_939
    assert [o["id"] for o in browser.road_orders(commune="étaples")] == ["1f2d693039373eba/ligne-181"]
    assert on_939[1]["url"] == "/documents/1f2d693039373eba#ligne-181"
    closed = browser.road_orders(on="2021-06-15")
    assert len(closed) == 56
    assert all(o["period"]["start"] <= "2021-06-15" <= o["period"]["end"] for o in closed)
    with pytest.raises(QueryError, match="date invalide"):
        browser.road_orders(on="15/06/2021")


def test_document_sommaire(browser: Browser) -> None:
    document = browser.document("1f2d693039373eba")
    assert document["kind"] == "recueil" and document["sittings"][0]["id"] == "cp-2021-06-07"
    assert len(document["sommaire"]) == 177 and len(document["deliberations"]) == 21
    assert document["sommaire"][0]["anchor"] == "ligne-35"


def test_latest(browser: Browser) -> None:
    latest = browser.latest(limit=2)
    assert [d["number"] for d in latest["deliberations"]] == ["2025-371", "2025-370"]
    assert latest["listed_acts"] == {"decision": 15, "order": 48, "other": 2, "road_order": 112}


def test_catalog_follows_new_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      corpus_files: tuple[Path, Path]) -> None:
    """A store that grows under a running site: the derived views are rebuilt."""
    monkeypatch.setattr(browse, "RECHECK", 0.0)
    raa, seance = corpus_files
    with Store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        jobs.ingest(store, [seance], workers=1)
        browser = Browser(store)
        assert browser.councillor("laurent-duporge")["acts_listed"] == 12
        jobs.ingest(store, [raa], workers=1)
        assert browser.councillor("laurent-duporge")["acts_listed"] == 33


def test_same_pages_on_postgresql(postgres, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL gives the pages what SQLite gives them."""
    with Store(postgres.url()) as store:
        jobs.ingest(store, [CORPUS / "000_45492b4b56f19b50.txt", CORPUS / "003_e61d4ed207638a45.txt"], workers=1)
        on_postgres = Browser(store)
        assert on_postgres.deliberation("2025-361") == browser.deliberation("2025-361")
        assert on_postgres.sittings() == browser.sittings()
        assert on_postgres.sitting("cd-2025-09-22") == browser.sitting("cd-2025-09-22")
        assert on_postgres.councillors() == browser.councillors()
        assert on_postgres.road_orders(on="2021-06-15") == browser.road_orders(on="2021-06-15")
        here, there = on_postgres.document("1f2d693039373eba"), browser.document("1f2d693039373eba")
        assert {**here, "ingested_at": None} == {**there, "ingested_at": None}


def test_deliberation_links_its_debate(browser: Browser) -> None:
    assert browser.deliberation("2025-361")["debate"] == {"turns": 20, "url": "/seances/cd-2025-09-22#point-2"}
    assert browser.deliberation("2021-232")["debate"] is None


def test_speakers_printed_by_their_role(browser: Browser) -> None:
    turns = browser.sitting("cd-2025-09-22")["other_interventions"]
    assert [(t["speaker_name"], t["printed_as"]) for t in turns[:3]] == [
        ("Jean-Claude LEROY", "M. LE PRÉSIDENT"), ("Alexandre MALFAIT", None),
        ("Jean-Claude LEROY", "M. LE PRÉSIDENT")]
    assert turns[5]["speaker_name"] is None and turns[5]["printed_as"] is None  # "M. WINCKLER", not resolved


@pytest.fixture(scope="module")
def stored_twice(tmp_path_factory: pytest.TempPathFactory, corrected_raa: Path) -> Iterator[Browser]:
    """The RAA and its corrected copy: every act of June 2021 stored from two documents."""
    with Store(f"sqlite:///{tmp_path_factory.mktemp('twice') / 'r.db'}") as store:
        outcomes = jobs.ingest(store, [CORPUS / "000_45492b4b56f19b50.txt", corrected_raa], workers=1)
        assert [o.status for o in outcomes] == ["nouveau", "nouveau"]
        yield Browser(store)


def test_acts_stored_twice_listed_once(stored_twice: Browser) -> None:
    page = stored_twice.deliberation("2021-232")
    assert [(a["seq"], a["of"], a["first_line"]) for a in page["annexes"]] == [
        (1, "deliberation", 969), (2, "report", 1078)]
    assert page["document"]["source"] == "raa_corrige.txt"  # the last stored
    assert [(s["id"], s["deliberations"]) for s in stored_twice.sittings()] == [("cp-2021-06-07", 21)]
    sitting = stored_twice.sitting("cp-2021-06-07")
    numbers = [a["number"] for a in sitting["other_deliberations"]]
    assert len(numbers) == len(set(numbers)) == 21 and numbers[0] == "2021-232"


def test_annex_read_from_the_acts_last_document(stored_twice: Browser) -> None:
    annex = stored_twice.annex("2021-232", 2)
    assert (annex["of"], annex["first_line"], annex["last_line"]) == ("report", 1078, 1482)
    with pytest.raises(NotFound):
        stored_twice.annex("2021-232", 3)
