"""The site over the minutes of communes and intercommunalités (../shared/corpus-other): each
séance and deliberation page answers, with what the documents print; the header names the
collectivité of recueil.toml, never a hard-coded Département."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recueil import jobs
from recueil.store.database import Store
from recueil.web import create_app

OTHER = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-other"


@pytest.fixture(scope="module")
def other_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    pdfs = sorted(OTHER.glob("*.pdf"))
    if not pdfs:
        pytest.skip(f"corpus absent: {OTHER}")
    url = f"sqlite:///{tmp_path_factory.mktemp('other') / 'other.db'}"
    with Store(url) as store:
        outcomes = jobs.ingest(store, pdfs, workers=1)
    assert [o.status for o in outcomes] == ["nouveau"] * 4
    return url


@pytest.fixture(scope="module")
def other_client(other_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(other_db, publications=tmp_path_factory.mktemp("none"))) as client:
        yield client


def test_each_sitting_page_shows_its_assembly_and_attendance(other_client: TestClient) -> None:
    for sitting, body, present in (("cm-2014-04-24", "Conseil municipal", 62), ("cc-2025-09-25", "Conseil communautaire", 27),
                                   ("cm-2024-12-10", "Conseil municipal", 18), ("cm-2023-02-24", "Conseil municipal", 8)):
        page = other_client.get(f"/seances/{sitting}")
        assert page.status_code == 200, sitting
        assert body in page.text
        data = other_client.get(f"/api/sittings/{sitting}").json()
        assert len(data["attendance"]["present"]) == present


def test_a_proxy_without_a_named_holder_is_shown_as_given(other_client: TestClient) -> None:
    data = other_client.get("/api/sittings/cm-2014-04-24").json()
    assert [(p["giver"]["name"], p["holder"]) for p in data["proxies"]] == [
        ("Stéphanie JANNIN", None), ("Bernard TRAVIER", None), ("Dominique MARTIN-PRIVAT", None)]
    assert "Stéphanie JANNIN" in other_client.get("/seances/cm-2014-04-24").text


def test_a_deliberation_read_from_prose_keeps_its_vote_and_result(other_client: TestClient) -> None:
    act = other_client.get("/api/deliberations/D2024-48").json()
    assert (act["vote"]["contre"], act["vote"]["named"], act["result"]) == (1, {"contre": ["DEFOSSEZ"]}, "adopte")
    withdrawn = other_client.get("/deliberations/27")
    assert withdrawn.status_code == 200
    assert "<dt>Résultat</dt><dd>Retirée</dd>" in withdrawn.text


def test_the_header_names_the_collectivite_of_the_configuration(
        other_client: TestClient, other_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "les actes — Département du Pas-de-Calais" in other_client.get("/").text  # the defaults
    (tmp_path / "recueil.toml").write_text('[collectivite]\nnom = "Commune de Pierrefonds"\nsiret = "21600496900010"\n'
                                           'prefecture = "PREF060"\nsite = "https://www.pierrefonds.fr"\n')
    monkeypatch.setenv("RECUEIL_CONFIG", str(tmp_path / "recueil.toml"))
    with TestClient(create_app(other_db, publications=tmp_path)) as client:
        assert "les actes — Commune de Pierrefonds" in client.get("/").text


def test_the_open_data_keeps_one_row_per_number_and_sitting(other_db: str) -> None:
    """Minutes number their items from 1 at every séance: item 1 of Couthenans and item 1 of
    Montpellier are two rows; a number printed twice in one séance (Pierrefonds) is one."""
    import csv
    import io

    out = io.StringIO()
    with Store(other_db) as store:
        rows = jobs.export(store, "scdl", out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == len(table) == 17 + 12 + 45 + 10
    assert sorted(r["DELIB_DATE"] for r in table if r["DELIB_ID"] == "1") == ["2014-04-24", "2023-02-24"]
