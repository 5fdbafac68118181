"""Each page's twins on the real corpus: `.json` (and `.csv` for a list) at the page's address with
its parameters, equal to the API where the API has the same data; the pages' links to them; errors
in French; and a site that loads neither the commands nor the PDF stack."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from recueil import jobs
from recueil.store.browse import Browser
from recueil.store.database import Store
from recueil.web import api, pages

JSON = "application/json"
CSV = "text/csv; charset=utf-8"


class Links(HTMLParser):
    """The page's `<link rel="alternate">` of the head and `<a type=…>` of the body, by type;
    and the text of its error paragraph."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.head: dict[str, str] = {}
        self.body: dict[str, list[str]] = {}
        self.atom: list[str] = []
        self.error = ""
        self._in_error = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "link" and found.get("rel") == "alternate":
            if found["type"] == "application/atom+xml":
                self.atom.append(found["href"])
            else:
                assert found["type"] not in self.head
                self.head[found["type"]] = found["href"]
        elif tag == "a" and "type" in found:
            self.body.setdefault(found["type"], []).append(found["href"])
        elif tag == "a" and found.get("href", "").startswith("/feeds/search.atom"):
            self.atom.append(found["href"])
        self._in_error = "error" in found.get("class", "").split() or found.get("role") == "alert"

    def handle_endtag(self, tag: str) -> None:
        self._in_error = False

    def handle_data(self, data: str) -> None:
        if self._in_error:
            self.error += data


def links(client: TestClient, url: str, status: int = 200) -> Links:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    return Links(response.text)


def twin(client: TestClient, url: str, content_type: str = JSON, status: int = 200) -> object:
    response = client.get(url)
    answer = (response.status_code, response.headers["content-type"])
    assert answer == (status, content_type), (url, response.text[:300])
    return response.json() if content_type == JSON else list(csv.reader(io.StringIO(response.text)))


# --- one builder, two renderings ------------------------------------------------------------------


@pytest.mark.parametrize("number", ["2021-233", "2025-361"])
def test_the_page_shows_the_record_the_api_gives(corpus_db: str, number: str) -> None:
    with Store(corpus_db) as store:
        browser = Browser(store)
        assert browser.deliberation(number)["deliberation"] == browser.deliberation_record(number)


@pytest.mark.parametrize("number", ["2021-233", "2025-361"])
def test_deliberation_json_is_the_api_record(client: TestClient, number: str) -> None:
    record = twin(client, f"/deliberations/{number}.json")
    assert record == twin(client, f"/api/deliberations/{number}")
    assert isinstance(record, dict) and (record["type"], record["number"]) == ("deliberation", number)
    api.Deliberation.model_validate(record)


def test_deliberation_json_values(client: TestClient) -> None:
    record = twin(client, "/deliberations/2025-361.json")
    assert isinstance(record, dict)
    assert (record["vote"]["pour"], record["vote"]["abstention"], record["report_number"]) == (54, 24, 2)
    assert record["title"] == "BUDGET SUPPLÉMENTAIRE DE L'EXERCICE 2025 - AFFECTATION DU RÉSULTAT"


@pytest.mark.parametrize(("page", "alias"), [
    ("/seances/cd-2025-09-22.json", "/api/sittings/cd-2025-09-22"),
    ("/seances/cp-2021-06-07.json", "/api/sittings/cp-2021-06-07"),
    ("/seances.json", "/api/sittings"),
    ("/conseillers.json", "/api/councillors"),
    ("/conseillers/jean-claude-leroy.json", "/api/councillors/jean-claude-leroy"),
    ("/routes.json", "/api/road-orders"),
    ("/routes.json?route=RD+939&commune=etaples&le=2021-06-15",
     "/api/road-orders?road=RD+939&commune=etaples&on=2021-06-15"),
])
def test_page_json_is_the_api_answer(client: TestClient, page: str, alias: str) -> None:
    assert twin(client, page) == twin(client, alias)


def test_sitting_and_councillor_json_values(client: TestClient) -> None:
    sitting = twin(client, "/seances/cd-2025-09-22.json")
    assert isinstance(sitting, dict)
    assert (sitting["opened_at"], sitting["interventions"], sitting["agenda"][1]["deliberations"][0]["number"]) == (
        "10:03", 90, "2025-361")
    leroy = twin(client, "/conseillers/jean-claude-leroy.json")
    assert isinstance(leroy, dict) and (leroy["acts_present"], len(leroy["speeches"])) == (33, 47)
    orders = twin(client, "/routes.json?route=RD+939&le=2021-06-15")
    assert isinstance(orders, list)
    assert [(o["commune_names"], o["period"]) for o in orders] == [
        (["Etaples"], {"start": "2021-06-14", "end": "2021-06-18"})]


@pytest.mark.parametrize(("page", "alias"), [
    ("/recherche.json?q=logement", "/api/search?q=logement&limit=20&offset=0"),
    ("/recherche.json?q=logement&type=report&from=2021-01-01&to=2021-12-31&sitting=cp-2021-06-07",
     "/api/search?q=logement&type=report&from=2021-01-01&to=2021-12-31&sitting=cp-2021-06-07&limit=20"),
    ("/recherche.json?commune=%C3%A9taples", "/api/search?commune=%C3%A9taples"),
    ("/recherche.json?type=road_order&page=2", "/api/search?type=road_order&limit=20&offset=20"),
])
def test_search_json_is_the_api_search_with_the_same_filters(client: TestClient, page: str, alias: str) -> None:
    assert twin(client, page) == twin(client, alias)


def test_search_json_values(client: TestClient) -> None:
    found = twin(client, "/recherche.json?q=logement&type=report&from=2021-01-01&to=2021-12-31"
                         "&sitting=cp-2021-06-07")
    assert isinstance(found, dict) and found["total"] == 3
    assert [h["id"] for h in found["results"]] == ["2021-252/rapport", "2021-249/rapport", "2021-250/rapport"]
    second = twin(client, "/recherche.json?type=road_order&page=2")
    assert isinstance(second, dict) and (second["total"], len(second["results"])) == (112, 20)
    assert second["results"][0]["id"] == "1f2d693039373eba/ligne-671"
    dated = twin(client, "/recherche.json?q=logement&from=2025-01-01")
    assert isinstance(dated, dict) and dated["total"] == 14
    assert {h["date"] for h in dated["results"]} == {"2025-09-22"}
    api.SearchPage.model_validate(found)


def test_other_pages_json(client: TestClient) -> None:
    home = twin(client, "/index.json")
    assert isinstance(home, dict)
    assert [s["id"] for s in home["sittings"]] == ["cd-2025-09-22", "cp-2021-06-07"]
    assert len(home["deliberations"]) == 10 and home["deliberations"][0]["number"] == "2025-371"
    assert home["listed_acts"]["road_order"] == 112
    document = twin(client, "/documents/1f2d693039373eba.json")
    assert isinstance(document, dict)
    assert document["title"] == "Recueil des Actes Administratifs du Département du Pas-de-Calais N° 6 de JUIN 2021"
    assert (len(document["deliberations"]), len(document["sommaire"])) == (21, 177)
    assert [s["id"] for s in document["sittings"]] == ["cp-2021-06-07"]
    assert twin(client, "/donnees.json") == {"counts": {
        "documents": 2, "sittings": 2, "deliberations": 33, "reports": 33, "listed_acts": 177, "interventions": 90,
        "motions": 5}}


def test_annex_json_is_masked_as_its_page(client: TestClient) -> None:
    annex = twin(client, "/deliberations/2021-232/annexes/2.json")
    assert isinstance(annex, dict)
    assert (annex["number"], annex["seq"], annex["of"], annex["first_line"], annex["last_line"]) == (
        "2021-232", 2, "report", 1078, 1482)
    assert annex["text"].count("[personne privée]") == 9 and "LANNOY" not in annex["text"]


# --- CSV twins ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "alias", "header", "lines"), [
    ("/seances.csv", "/api/sittings?format=csv", list(pages.SITTING_COLUMNS), 3),
    ("/conseillers.csv", "/api/councillors?format=csv", list(api.CouncillorSummary.model_fields), 102),
    ("/routes.csv", "/api/road-orders?format=csv", list(pages.ROAD_COLUMNS), 113),
    ("/routes.csv?route=D939", "/api/road-orders?road=D939&format=csv", list(pages.ROAD_COLUMNS), 3),
    ("/recherche.csv?q=logement", "/api/search?q=logement&format=csv", list(pages.SEARCH_COLUMNS), 19),
    ("/recherche.csv?type=road_order&page=6", "/api/search?type=road_order&offset=100&format=csv",
     list(pages.SEARCH_COLUMNS), 13),
])
def test_csv_twins(client: TestClient, page: str, alias: str, header: list[str], lines: int) -> None:
    table = twin(client, page, CSV)
    assert isinstance(table, list) and table[0] == header and len(table) == lines
    assert table == twin(client, alias, CSV)


def test_csv_columns_are_the_api_models(client: TestClient) -> None:
    assert list(pages.SITTING_COLUMNS) == list(api.SittingSummary.model_fields)
    assert list(pages.COUNCILLOR_COLUMNS) == list(api.CouncillorSummary.model_fields)
    assert list(pages.SEARCH_COLUMNS) == list(api.Hit.model_fields)
    assert twin(client, "/seances.csv", CSV)[1] == [  # type: ignore[index]
        "cd-2025-09-22", "conseil_departemental", "2025-09-22", "Jean-Claude LEROY", "68", "7", "7", "12", "90"]


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "status", "detail"), [
    ("/deliberations/2099-001", 404, "aucune délibération n° 2099-001"),
    ("/seances/cd-1999-01-01", 404, "aucune séance « cd-1999-01-01 »"),
    ("/conseillers/personne", 404, "aucun conseiller « personne »"),
    ("/documents/0", 404, "aucun document « 0 »"),
    ("/deliberations/2021-232/annexes/3", 404, "aucune annexe n° 3 à la délibération n° 2021-232"),
])
def test_unknown_ids_are_404_with_the_pages_french_error(client: TestClient, url: str, status: int,
                                                         detail: str) -> None:
    assert links(client, url, status).error == detail
    assert twin(client, f"{url}.json", status=status) == {"detail": detail}


def test_malformed_parameters_are_400_with_the_pages_french_error(client: TestClient) -> None:
    road = links(client, "/routes?le=hier", 400).error
    assert twin(client, "/routes.json?le=hier", status=400) == {"detail": road}
    assert road == "date invalide : « hier » (attendu AAAA-MM-JJ)"
    assert twin(client, "/routes.csv?le=hier", status=400) == {"detail": road}
    search = links(client, "/recherche?q=%22logement", 400).error
    assert search == 'Requête invalide : guillemet non fermé : "logement'
    assert twin(client, "/recherche.json?q=%22logement", status=400) == {"detail": 'guillemet non fermé : "logement'}
    assert twin(client, "/recherche.csv?page=0&q=x", status=400) == {
        "detail": "paramètre invalide — page : trop petit"}


# --- the pages' links -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "json_url", "csv_url"), [
    ("/", "/index.json", None),
    ("/deliberations/2025-361", "/deliberations/2025-361.json", None),
    ("/deliberations/2021-232/annexes/1", "/deliberations/2021-232/annexes/1.json", None),
    ("/seances", "/seances.json", "/seances.csv"),
    ("/seances/cd-2025-09-22", "/seances/cd-2025-09-22.json", None),
    ("/conseillers", "/conseillers.json", "/conseillers.csv"),
    ("/conseillers/jean-claude-leroy", "/conseillers/jean-claude-leroy.json", None),
    ("/routes?route=D939&commune=&le=2021-06-20", "/routes.json?route=D939&le=2021-06-20",
     "/routes.csv?route=D939&le=2021-06-20"),
    ("/documents/1f2d693039373eba", "/documents/1f2d693039373eba.json", None),
    ("/donnees", "/donnees.json", None),
])
def test_each_page_links_to_its_twins(client: TestClient, url: str, json_url: str, csv_url: str | None) -> None:
    found = links(client, url)
    expected = {"application/json": json_url, **({"text/csv": csv_url} if csv_url else {})}
    assert found.head == expected
    assert dict(found.body) == {kind: [href] for kind, href in expected.items()}
    twin(client, json_url)
    if csv_url:
        twin(client, csv_url, CSV)


SEARCH = "q=logement&type=report&from=2021-01-01&to=2021-12-31&sitting=cp-2021-06-07&vote=unanimous"


def test_search_page_links_keep_every_parameter(client: TestClient) -> None:
    found = links(client, f"/recherche?{SEARCH}&page=1")
    assert found.head == {"application/json": f"/recherche.json?{SEARCH}&page=1",
                          "text/csv": f"/recherche.csv?{SEARCH}&page=1"}
    assert found.body == {"application/json": [f"/recherche.json?{SEARCH}&page=1"],
                          "text/csv": [f"/recherche.csv?{SEARCH}&page=1"]}
    # the site's feed, then this search's (in the head and below the results), without the page
    assert found.atom == ["/feeds/deliberations.atom"] + [f"/feeds/search.atom?{SEARCH}"] * 2
    assert twin(client, found.head["application/json"]) == twin(client, f"/api/search?{SEARCH}&limit=20&offset=0")
    assert len(twin(client, found.head["text/csv"], CSV)) == 1 + 3  # type: ignore[arg-type]


def test_search_feed_keeps_the_dates(client: TestClient) -> None:
    feed = client.get(f"/feeds/search.atom?{SEARCH}")
    assert feed.status_code == 200 and feed.text.count("<entry>") == 3
    assert client.get("/feeds/search.atom?q=logement&from=2025-01-01").text.count("<updated>2021-") == 0
    assert client.get("/feeds/search.atom?q=logement&to=2024-12-31").text.count("<entry>") == 4


def test_search_links_are_escaped(client: TestClient) -> None:
    body = client.get("/recherche", params={"q": '<b>"x" & y', "commune": "étaples"}).text
    twin_url = "/recherche.json?q=%3Cb%3E%22x%22+%26+y&amp;commune=%C3%A9taples"
    assert f'<link rel="alternate" type="application/json" href="{twin_url}">' in body
    assert '<b>"x"' not in body


def test_the_empty_search_form_has_no_twins(client: TestClient) -> None:
    assert links(client, "/recherche").head == {}
    newest = twin(client, "/recherche.json")  # asked as data, nothing asked is every record, newest first
    assert newest["total"] == twin(client, "/api/search")["total"] == 338  # 33 deliberations, 112 road orders…


# --- the download and the layers ------------------------------------------------------------------


def test_the_download_is_the_export_of_the_command(client: TestClient, corpus_db: str) -> None:
    out = io.StringIO()
    with Store(corpus_db) as store:
        count = jobs.export(store, "jsonl", out, public=client.app.state.public.record)  # type: ignore[attr-defined]
    assert client.get("/donnees/recueil.jsonl").text == out.getvalue()
    assert count == 2 + 2 + 33 + 33 + 177 + 90 + 5
