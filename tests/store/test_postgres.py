"""The store on a real PostgreSQL server, held to SQLite's answers on the real corpus: the JSONL
export byte for byte, counts and warnings, the command line, and a search index whose hits, order
and snippets are those of the FTS5 one. (save, replacement and one transaction per document run
on both databases in test_store.py.)"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, event, text

from recueil import jobs
from recueil.cli import app
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.store import search as search_module
from recueil.store import search_pg
from recueil.store.browse import Browser
from recueil.store.database import Store, StoreError, database_url
from recueil.store.entries import Entry, analyse
from recueil.store.query import QueryError
from recueil.store.search_pg import MAX_POSITION, MAX_POSITIONS, PostgresSearch, tsvector


@pytest.fixture(scope="module")
def stores(postgres, tmp_path_factory, raa_2021, seance_2025) -> Iterator[tuple[Store, Store]]:
    """The corpus in a SQLite store and in a PostgreSQL one, saved in the same order."""
    lite = Store(f"sqlite:///{tmp_path_factory.mktemp('pg') / 'corpus.db'}")
    server = Store(postgres.url("corpus"))
    for store in (lite, server):
        store.save(parse(raa_2021))
        store.save(parse(seance_2025))
    yield lite, server
    lite.close()
    server.close()


def test_without_postgresql_the_tests_say_why(pg_tools, monkeypatch):
    monkeypatch.setattr(pg_tools, "binaries", lambda: None)
    with pytest.raises(pg_tools.PostgresUnavailable, match=r"initdb introuvable.*make postgresql"):
        pg_tools.start_cluster()


def test_postgresql_urls_use_psycopg(monkeypatch):
    assert database_url("postgresql://recueil@/actes?host=/run/postgresql") == \
        "postgresql+psycopg://recueil@/actes?host=/run/postgresql"
    assert database_url("postgres://recueil:secret@db:5432/actes") == "postgresql+psycopg://recueil:secret@db:5432/actes"
    assert database_url("postgresql+psycopg://recueil@db/actes") == "postgresql+psycopg://recueil@db/actes"
    monkeypatch.setenv("RECUEIL_DB", "postgresql://recueil@db/actes")
    assert database_url(None) == "postgresql+psycopg://recueil@db/actes"


def test_the_search_index_is_postgresql_s_own(stores):
    assert isinstance(stores[1].search, PostgresSearch)


def test_jsonl_export_is_sqlite_s_byte_for_byte(stores):
    lite, server = (io.StringIO(), io.StringIO())
    assert jobs.export(stores[0], "jsonl", lite) == jobs.export(stores[1], "jsonl", server) == 342
    assert server.getvalue() == lite.getvalue()


def test_counts_and_warnings_are_sqlite_s(stores):
    lite, server = stores
    assert server.counts() == lite.counts() == {
        "documents": 2, "sittings": 2, "deliberations": 33, "reports": 33, "listed_acts": 177,
        "interventions": 90, "motions": 5}
    assert server.warnings() == lite.warnings() and len(server.warnings()) == 1


def test_the_pages_read_the_same_data(stores):
    """What the web site shows (store/browse.py) does not depend on the database."""
    lite, server = (Browser(store) for store in stores)
    for page, arguments in [("latest", ()), ("deliberations", ()), ("deliberation", ("2025-361",)),
                            ("sittings", ()), ("sitting", ("cd-2025-09-22",)), ("councillors", ()),
                            ("road_orders", ()), ("document", ("1f2d693039373eba",))]:
        shown, expected = getattr(server, page)(*arguments), getattr(lite, page)(*arguments)
        if page == "document":  # saved a second apart
            assert shown.pop("ingested_at") >= expected.pop("ingested_at")
        assert shown == expected, page
    assert len(server.councillors()) == 101


def test_the_command_line_takes_a_postgresql_url(postgres, tmp_path, seance_2025, monkeypatch):
    url = postgres.url("cli").replace("postgresql+psycopg://", "postgresql://")  # as a person types it
    source = tmp_path / "seance.txt"
    source.write_text("\n".join(seance_2025.lines), encoding="utf-8")
    runner = CliRunner()
    stored = runner.invoke(app, ["ingest", "--db", url, str(source)])
    assert stored.exit_code == 0, stored.output
    monkeypatch.setenv("RECUEIL_DB", url)
    found = runner.invoke(app, ["search", "téléassistance", "--type", "deliberation", "--limit", "1"])
    assert found.exit_code == 0, found.output
    assert "délibération 2025-369 2025-09-22" in found.output


def test_an_unreachable_server_is_one_french_line(tmp_path):
    url = f"postgresql://recueil@/actes?host={tmp_path}"  # no server listens there
    with pytest.raises(StoreError) as error:
        Store(url)
    message = str(error.value)
    assert message.startswith("base de données inaccessible : postgresql+psycopg://recueil@/actes?host=")
    assert "\n" not in message
    result = CliRunner().invoke(app, ["export", "--db", url])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "base de données inaccessible" in result.stderr


def test_a_role_without_rights_is_one_french_line(postgres):
    url = postgres.url("locked")  # empty: opening it creates the tables, which this role may not
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text("CREATE ROLE lecteur LOGIN"))
    admin.dispose()
    with pytest.raises(StoreError) as error:
        Store(url.replace("postgres@", "lecteur@"))
    assert str(error.value).startswith("base de données inaccessible : postgresql+psycopg://lecteur@/locked")
    assert "permission denied" in str(error.value) and "\n" not in str(error.value)


def test_a_read_only_role_searches(stores, postgres):
    with stores[1].engine.begin() as conn:  # what a web site's role needs, and no more
        conn.execute(text("CREATE ROLE lecture LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO lecture"))
    reader = Store(stores[1].url.replace("postgres@", "lecture@"))
    assert [h.id for h in reader.search.search("téléassistance", type="deliberation").results] == ["2025-369"]
    assert reader.counts() == stores[1].counts()
    reader.close()


QUERIES = [
    "bourses initiatives jeunes", "logement d'abord", '"logement d\'abord"', "logements", "voirie",
    "voirie NOT travaux", "voirie -travaux", "eurostar OR téléassistance", "eurostar ET calais",
    "bibliothèq*", "départementa* activité", "conse*", "proj* NOT collège", '"route départementale"',
    "(collège OR collèges) AND travaux", "vœu", "Teleassistance", "représentation établissements",
    "n°2021-232", "2025-361", "conseil départemental", "pas-de-cal*", '"conseil départemental" OR voirie',
]


def same(lite: Store, server: Store, query: str, **options: object) -> None:
    expected = lite.search.search(query, **options)  # type: ignore[union-attr, arg-type]
    found = server.search.search(query, **options)  # type: ignore[union-attr, arg-type]
    assert expected.total > 0, query
    assert {h.id for h in found.results} == {h.id for h in expected.results}
    assert found.results[0] == expected.results[0]  # the top hit, snippet included
    assert found == expected  # and, with the same ranking, everything else


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_hits_as_sqlite(stores, query):
    same(*stores, query, limit=500)


@pytest.mark.parametrize("options", [
    {"type": "road_order", "limit": 100}, {"type": ["deliberation", "report"]},
    {"type": "road_order", "date_from": "2021-07-01", "date_to": "2021-07-31", "limit": 100},
    {"date_from": "2025-01-01"}, {"limit": 15, "offset": 15},
    {"sort": "date", "limit": 30}, {"sort": "-date", "limit": 15, "offset": 15},
])
def test_the_same_hits_as_sqlite_with_filters(stores, options):
    same(*stores, "travaux" if options.get("type") == "road_order" else "département", **options)


@pytest.mark.parametrize(("query", "options"), [
    ("travaux", {"filters": {"body": "cp"}}),
    ("département", {"filters": {"vote": "abstentions"}}),
    ("département", {"filters": {"group": "Rassemblement National", "body": "cd"}}),
    ("travaux", {"filters": {"commune": "saint-martin-boulogne"}}),
    ("", {"type": "road_order", "filters": {"road": "RD 940"}}),
    ("", {"type": "road_order", "limit": 50}),
    ("2021-232", {"filters": {"territory": "boulonnais"}}),
])
def test_the_same_filters_and_facets_as_sqlite(stores, query, options):
    same(*stores, query, **options)
    facets = stores[1].search.search(query, **options).facets  # type: ignore[union-attr]
    assert facets and facets == stores[0].search.search(query, **options).facets  # type: ignore[union-attr]


def test_known_facets(stores):
    found = stores[1].search.search("travaux", limit=1)  # type: ignore[union-attr]
    assert found.facets["type"] == [("road_order", 103), ("report", 14), ("intervention", 10), ("deliberation", 5)]
    assert found.facets["road"][0] == ("D940", 5)
    roads = stores[1].search.search("", type="road_order", filters={"road": "D940"})  # type: ignore[union-attr]
    assert roads.total == 5 and {h.type for h in roads.results} == {"road_order"}


@pytest.mark.parametrize(("filters", "reason"), [({"commune": "Atlantis"}, "commune inconnue : Atlantis"),
                                                 ({"colour": "red"}, "filtre inconnu : colour"),
                                                 ({"body": "senat"}, "organe invalide : senat")])
def test_a_bad_filter_raises_a_french_reason(stores, filters, reason):
    with pytest.raises(QueryError, match=reason):
        stores[1].search.search("travaux", filters=filters)  # type: ignore[union-attr]


def test_the_two_stages_give_the_same_candidates(stores, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)  # "voirie" has 119 hits
    same(*stores, "voirie", limit=5)
    same(*stores, "voirie", limit=2, offset=3)
    assert stores[1].search.search("voirie", limit=5).total == 119  # type: ignore[union-attr]


@pytest.mark.parametrize("window", [0, 1])  # the GIN way only; the newest rows first, then the GIN way
def test_both_ways_to_the_newest_hits_agree(stores, monkeypatch, window):
    monkeypatch.setattr(search_pg, "WINDOW", window)
    monkeypatch.setattr(search_pg, "_estimate", lambda *_: 60)  # as if hits were dense: walk 60 rows first
    monkeypatch.setattr(search_module, "CANDIDATES", 5)  # more hits than candidates: title hits too
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)  # and a count that stops early
    statements: list[str] = []

    def record(*call: object) -> None:
        statements.append(str(call[2]))

    event.listen(stores[1].engine, "before_cursor_execute", record)
    try:  # dense and sparse words: the window of the newest acts holds all, some or none
        for query in ["département", "voirie", '"route départementale"', "eurostar", "logement d'abord"]:
            same(*stores, query, limit=20)
    finally:
        event.remove(stores[1].engine, "before_cursor_execute", record)
    assert any(") AS recent WHERE" in s for s in statements) == bool(window)


def test_known_answers(stores):
    search = stores[1].search
    assert search is not None
    found = search.search("bourses initiatives jeunes")
    assert found.total == 3
    assert [(h.type, h.id) for h in found.results[:2]] == [("deliberation", "2021-232"), ("report", "2021-232/rapport")]
    assert [(h.type, h.id) for h in search.search("2025-361").results[:2]] == [
        ("deliberation", "2025-361"), ("report", "2025-361/rapport")]


@pytest.mark.parametrize("query", ['"logement', "(voirie", "voirie)", "NOT voirie", "voirie AND", "OR voirie",
                                   "de*", "()", "vo*rie"])
def test_a_malformed_query_raises_a_french_reason(stores, query):
    with pytest.raises(QueryError) as error:
        stores[1].search.search(query)  # type: ignore[union-attr]
    assert str(error.value) and "\n" not in str(error.value) and "psycopg" not in str(error.value).lower()


def test_nothing_asked_lists_every_record_and_stop_words_find_nothing_on_both(stores):
    everything = [store.search.search("", limit=30) for store in stores]  # type: ignore[union-attr]
    assert everything[0].total == everything[1].total > 0
    assert [h.date for h in everything[0].results] == [h.date for h in everything[1].results]
    for store in stores:
        found = store.search.search("le la les")  # type: ignore[union-attr]
        assert (found.total, found.notice) == (0, "rien à chercher dans « le la les » (seulement des mots trop courants)")


def test_a_new_version_leaves_no_stale_rows(postgres, seance_2025):
    store = Store(postgres.url())
    data = "\n".join(seance_2025.lines).encode("utf-8")
    first = parse(read_bytes("seance.txt", data))
    store.save(first)
    second = parse(read_bytes("seance.txt", data.replace(b"(N\xc2\xb02025-371)", b"")))
    assert store.save(second).status == "remplacé"
    assert ("deliberation", "2025-371") not in [(h.type, h.id) for h in store.search.search("2025-371").results]
    with store.engine.connect() as conn:
        entries = conn.execute(text("SELECT count(*), count(DISTINCT document_id), max(document_id) "
                                    "FROM search_entries")).one()
        assert entries == (len(analyse(second).entries), 1, second.document.id)
        for table in ("search_vectors", "search_texts"):
            joined = conn.execute(text(f"SELECT count(*) FROM {table} JOIN search_entries USING (id)")).scalar_one()
            assert joined == conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == entries[0]
    store.close()


def test_two_writers_at_once(postgres, seance_2025):
    """Two processes ingesting at the same time (a service): entry ids are max + 1 per day, taken
    under a lock, so that two documents of the same séance do not collide."""
    url = postgres.url()
    Store(url).close()  # the tables, once
    data = "\n".join(seance_2025.lines).encode("utf-8")
    copies = [parse(read_bytes(f"seance-{n}.txt", data + f"\ncopie {n}".encode())) for n in range(4)]
    stores = [Store(url) for _ in copies]
    start = threading.Barrier(len(copies))

    def save(store: Store, publication: object) -> str:
        start.wait()
        return store.save(publication).status  # type: ignore[arg-type]

    with ThreadPoolExecutor(len(copies)) as pool:
        assert list(pool.map(save, stores, copies)) == ["nouveau"] * len(copies)
    with stores[0].engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT id), count(*) FROM search_vectors")).one() == \
            (4 * len(analyse(copies[0]).entries),) * 2
    for store in stores:
        store.close()


def test_a_failing_save_leaves_no_index_rows(postgres, seance_2025):
    store = Store(postgres.url())
    publication = parse(seance_2025)
    publication.warnings.append(None)  # type: ignore[arg-type]  # fails after the index is written
    with pytest.raises(AttributeError):  # None has no `code`
        store.save(publication)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT (SELECT count(*) FROM search_vectors) + (SELECT count(*) FROM search_texts)"
                                 " + (SELECT count(*) FROM search_terms) + (SELECT count(*) FROM search_facets)"
                                 " + (SELECT count(*) FROM search_entries)")).scalar_one() == 0
    store.close()


def test_a_stray_nul_in_a_text_does_not_stop_postgresql(postgres, seance_2025):
    data = "\n".join(seance_2025.lines).encode("utf-8")
    at = data.index("téléassistance".encode(), 100_000)  # in the text of a deliberation
    store = Store(postgres.url())
    assert store.save(parse(read_bytes("seance.txt", data[:at] + b"\x00" + data[at:]))).status == "nouveau"
    assert [h.id for h in store.search.search("téléassistance", type="deliberation").results] == ["2025-369"]
    store.close()


def test_tsvector_keeps_within_postgresql_s_limits(stores):
    body = " ".join(f"_w{i % 40}" for i in range(MAX_POSITION + 100)) + " _late"
    entry = Entry("deliberation", "2099-1", "2099-1", "2099-1", "t", None, "", "d", {}, kind="__deliberation",
                  title_stems="^_titr", body_stems=body)
    literal = tsvector(entry)
    assert "'__deliberation' " in literal and "'^_titr':1 " in literal and "'_late'" in literal.split()
    positions = {lexeme.split(":")[0]: lexeme.split(":")[1].split(",") for lexeme in literal.split() if ":" in lexeme}
    assert max(len(p) for p in positions.values()) == MAX_POSITIONS
    assert max(int(x) for p in positions.values() for x in p) <= MAX_POSITION
    with stores[1].engine.connect() as conn:  # PostgreSQL reads every position back
        kept = conn.execute(text("SELECT count(*) FROM unnest(CAST(:v AS tsvector)) AS u, unnest(u.positions)"),
                            {"v": literal}).scalar_one()
        assert kept == sum(map(len, positions.values()))
        late = "CAST(:v AS tsvector) @@ CAST(:q AS tsquery)"
        assert conn.execute(text(f"SELECT {late}"), {"v": literal, "q": "'_late'"}).scalar_one()
        assert conn.execute(text(f"SELECT {late}"), {"v": literal, "q": "'^_titr' <-> '_w0'"}).scalar_one()
