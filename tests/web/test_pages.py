"""Every kind of page on the real corpus: status, exact content, the contract the browser tests
rely on, landmarks, escaping of hostile text, feeds and downloads."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recueil import jobs
from recueil.config import Collectivite
from recueil.store import browse
from recueil.store.database import Store
from recueil.web import create_app
from recueil.web.cache import ResponseCache
from recueil.web.chart import (
    BAR_WIDTH,
    CHAR_WIDTH,
    CHART_WIDTH,
    GROUP_HEIGHT,
    LINE_HEIGHT,
    MARK_BOX,
    ROW_HEIGHT,
    group_rows,
    name_lines,
    vote_bars,
)
from recueil.web.format import councillor_links, date_fr, euros

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = Collectivite().site  # feeds and calendars write the configured address (no recueil.toml here: the default)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    @property
    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text for c in self.children).split())

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Descendants with this tag and these attributes (`class_` matches one class)."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                wanted = tag is None or child.tag == tag
                for key, value in attrs.items():
                    if key == "class_":
                        wanted = wanted and value in child.attrs.get("class", "").split()
                    else:
                        wanted = wanted and child.attrs.get(key.rstrip("_").replace("_", "-")) == value
                if wanted:
                    found.append(child)
                found.extend(child.all(tag, **attrs))
        return found

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} × {tag} {attrs}"
        return found[0]


class _Tree(HTMLParser):
    """A tree of the page, failing on a closing tag that does not match (ill-formed markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page(client: TestClient, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    tree = _Tree()
    tree.feed(response.text)
    tree.close()
    assert tree.current is tree.root, "unclosed elements"
    html = tree.root.one("html")
    assert html.attrs["lang"] == "fr"
    assert html.one("a", class_="skip").attrs["href"] == "#contenu"
    assert html.one("main").attrs["id"] == "contenu"
    assert len(html.all("h1")) == 1
    return html


def levels_in_order(html: Node) -> bool:
    """Headings never skip a level going down (h2 after h1, h3 after h2…)."""
    levels = [int(n.tag[1]) for n in html.one("main").all() if n.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    return all(b <= a + 1 for a, b in pairwise(levels))


def search_form(html: Node) -> None:
    form = html.one("form", role="search")
    assert form.attrs["action"] == "/recherche"
    field = form.one("input", name="q")
    assert field.attrs["id"] == "q"
    assert form.one("label", for_="q").text == "Rechercher dans les actes"


def test_home(client: TestClient) -> None:
    html = page(client, "/")
    search_form(html)
    assert [a.attrs["href"] for a in html.one("section", aria_labelledby="h-seances").all("a")] == [
        "/seances/cd-2025-09-22", "/seances/cp-2021-06-07"]
    acts = html.one("section", aria_labelledby="h-actes").all("a")
    assert acts[0].text == ("N° 2025-371 — Rapports d'activité des établissements publics et organismes associés "
                            "(EPOA) - année 2024")
    assert acts[0].one("span", class_="act-number").text == "N° 2025-371"
    assert "Arrêtés de voirie : 112" in html.one("section", aria_labelledby="h-actes").text
    sittings = html.one("section", aria_labelledby="h-seances").all("span", class_="counts")
    assert [c.text for c in sittings] == ["12 délibérations · 90 prises de parole · 68 présents", "21 délibérations"]
    examples = html.one("p", class_="examples").all("a")
    assert [a.attrs["href"] for a in examples] == [
        "/recherche?q=logement+d%27abord", "/recherche?q=2025-361", "/recherche?q=fibre+optique", "/routes?route=D939"]
    assert levels_in_order(html)


def test_search_page(client: TestClient) -> None:
    html = page(client, "/recherche?q=logement+d%27abord")
    search_form(html)
    assert html.one("input", name="q").attrs["value"] == "logement d'abord"
    results = html.all("li", class_="result")
    assert len(results) == 5
    first = results[0].one("a", class_="result-link")
    assert first.attrs["href"] == "/deliberations/2021-252"
    assert first.text.startswith("N° 2021-252 — Rapport relatif à la convention pluriannuelle")
    assert [m.text for m in results[0].all("mark")] == ["LOGEMENT", "ABORD"]
    assert html.one("h2", id="h-results").text == "5 résultats"
    facets = html.one("aside", class_="facets")
    assert [a.text for a in facets.all("a")][:3] == ["Rapports", "Délibérations", "Prises de parole"]
    assert facets.all("a")[0].attrs["href"] == "/recherche?q=logement+d%27abord&type=report"
    assert levels_in_order(html)


def test_search_page_filter_and_empty(client: TestClient) -> None:
    html = page(client, "/recherche?q=&commune=%C3%A9taples")
    assert [a.attrs["href"] for a in html.all("a", class_="result-link")] == ["/documents/1f2d693039373eba#ligne-181"]
    assert html.one("a", class_="chip").text.startswith("Commune : étaples")
    blank = page(client, "/recherche")
    assert blank.all("li", class_="result") == [] and not blank.all(class_="error")


def test_search_page_explains_a_malformed_query(client: TestClient) -> None:
    html = page(client, "/recherche?q=%22logement", status=400)
    assert html.one("p", role="alert").text == "Requête invalide : guillemet non fermé : \"logement"
    search_form(html)


def test_deliberation_page(client: TestClient) -> None:
    html = page(client, "/deliberations/2025-361")
    assert html.one("h1").text == "Budget supplémentaire de l'exercice 2025 - affectation du résultat"
    assert html.one("dd", class_="printed").text == "BUDGET SUPPLÉMENTAIRE DE L'EXERCICE 2025 - AFFECTATION DU RÉSULTAT"
    facts = dict(zip((n.text for n in html.all("dt")), (n.text for n in html.all("dd"))))
    assert facts["Séance"] == "22 septembre 2025"
    assert facts["Envoi en préfecture"] == facts["Réception en préfecture"] == "8 octobre 2025"
    assert facts["Publication"] == "8 octobre 2025"
    assert (facts["Résultat"], facts["Matière"]) == ("Adoptée", "Décisions budgétaires (finances locales, 7.1)")
    assert facts["Source"] == "Conseil Départemental — séance du 22 septembre 2025 (003_e61d4ed207638a45.txt), " \
                              "lignes 2510 à 2638"
    assert html.one("a", href="/seances/cd-2025-09-22#point-2").text == "Le débat en séance : 20 prises de parole"
    chart = html.one("figure", class_="vote-chart")
    svg = chart.one("svg")
    assert svg.one("title").text == "Vote : pour 54, abstention 24 (détail par groupe dans le tableau)"
    assert [t.text for t in svg.all("text", class_="bar-value")] == ["54", "24"]
    assert [t.text for t in svg.all("text", class_="group-name")] == [
        "Groupe Socialiste, Républicain et Citoyen", "Groupe Communiste et Républicain",
        "Groupe Union pour le Pas-de-Calais", "Non-inscrits", "Groupe Rassemblement National"]
    table = [[c.text for c in row.all() if c.tag in ("th", "td")] for row in chart.one("tbody").all("tr")]
    assert table == [["Pour", "54", "Groupe Socialiste, Républicain et Citoyen ; Groupe Communiste et Républicain ; "
                                    "Groupe Union pour le Pas-de-Calais (4) ; Non-inscrits"],
                     ["Abstention", "24", "Groupe Union pour le Pas-de-Calais ; Groupe Rassemblement National"]]
    assert chart.one("caption").text == ("Répartition des voix (78 membres en exercice, 71 présents, 7 délégations) ; "
                                         "voix d'un groupe entre parenthèses là où le vote imprimé les fixe")
    presence = html.one("section", id="presences")
    names = presence.all("a", class_="councillor")
    assert len(names) == 71 + 7 + 2 * 7  # present, excused, both ends of each proxy
    assert names[0].text == "Jean-Claude LEROY" and names[0].attrs["href"] == "/conseillers/jean-claude-leroy"
    assert [h.text for h in presence.all("h3")] == ["Présents (71)", "Excusés (7)", "Délégations de vote (séance)"]
    rapport = html.one("section", id="rapport")
    assert rapport.one("h2").text == "Rapport n° 2"
    assert rapport.one("div", class_="text").text.startswith(
        "DEPARTEMENT DU PAS-DE-CALAIS Pôle Ressources et Accompagnement Direction des Finances")
    assert html.one("section", id="texte").one("div", class_="text").text.endswith("Maryline VINCLAIRE")
    assert levels_in_order(html)


def test_deliberation_page_cites_and_budget(client: TestClient) -> None:
    html = page(client, "/deliberations/2021-232")
    cites = html.one("section", id="liens")
    assert [li.text for li in cites.all("li")] == [
        "N° 2018-603 du 17 décembre 2018 (Conseil départemental)",
        "N° 2017-520 du 14 novembre 2017 (Conseil départemental)",
        "N° 23 du 20 juin 2016 (Conseil départemental)"]
    budget = html.one("section", id="budget")
    assert [th.text for th in budget.one("thead").all("th")] == [
        "Libellé", "Opération", "Imputation", "Crédits de paiement", "Dépense", "Disponible", "Proposition", "Solde"]
    rows = budget.one("tbody").all("tr")
    assert len(rows) == 1  # the act and its rapport print the same line: one row
    assert [c.text for c in rows[0].all() if c.tag in ("th", "td")] == [
        "Bourses initiatives Jeune", "C03-333F02", "6568/9333", "55 000,00 €", "2 750,00 €", "51 600,00 €",
        "2 750,00 €", "48 850,00 €"]  # no-break spaces, read as spaces by Node.text
    assert [h.text for h in html.one("section", id="presences").all("h3")] == [
        "Présents (35)", "Excusés (8)", "Présents sans voix délibérative (3)",
        "Excusés sans voix délibérative (3)"]


def test_unknown_pages_are_404_in_french(client: TestClient) -> None:
    for url in ("/deliberations/2099-001", "/seances/cd-1999-01-01", "/conseillers/personne", "/documents/0",
                "/nulle-part"):
        html = page(client, url, status=404)
        assert html.one("h1").text == "Introuvable"
    error = page(client, "/deliberations/2099-001", 404).one("p", class_="error")
    assert error.text == "aucune délibération n° 2099-001"


def test_sittings_page(client: TestClient) -> None:
    html = page(client, "/seances")
    rows = [[c.text for c in tr.all() if c.tag in ("th", "td")] for tr in html.one("tbody").all("tr")]
    assert rows == [["Conseil départemental du 22 septembre 2025", "Jean-Claude LEROY", "68", "7", "12", "90"],
                    ["Commission permanente du 7 juin 2021", "Jean-Claude LEROY", "—", "—", "21", "—"]]


def test_sitting_page(client: TestClient) -> None:
    html = page(client, "/seances/cd-2025-09-22")
    assert html.one("h1").text == "Conseil départemental — séance du 22 septembre 2025"
    agenda = html.one("ol", class_="agenda").all("li")
    assert agenda[1].one("span", class_="meta").text == \
        "n° 2025-361 : pour 54, contre 0, abstention 24 — adoptée · 20 prises de parole"
    item = html.one("section", id="point-2")
    assert item.one("h3").text == "2. Budget supplémentaire de l'exercice 2025 - affectation du résultat"
    assert item.one("a", href="/deliberations/2025-361").parent.text == \
        "Délibération n° 2025-361 : pour 54, contre 0, abstention 24 — adoptée"
    turns = item.all("article", class_="turn")
    assert [t.attrs["id"] for t in turns] == [f"intervention-{n}" for n in range(13, 33)]
    assert turns[0].one("a", class_="councillor").attrs["href"] == "/conseillers/daniel-maciejasz"
    assert len(html.all("article", class_="turn")) == 90
    assert [m.attrs["id"] for m in html.all("article", class_="motion")] == [f"voeu-{n}" for n in range(1, 6)]
    presence = html.one("section", id="presences")
    assert presence.one("p", class_="counts").text == "Présents : 68 · Excusés : 7 · délégations de vote : 7"
    assert presence.one("details").one("summary").text == "Voir les noms"
    assert [h.text for h in presence.one("details").all("h3")] == [
        "Présents (68)", "Excusés (7)", "Délégations de vote (7)"]
    sections = [n.attrs["id"] for n in html.one("main").all("section") if n.parent is html.one("main")]
    assert sections == ["ordre-du-jour", "presences", "debats", "voeux"]  # the agenda before the roll call
    facts = dict(zip((n.text for n in html.all("dt")), (n.text for n in html.all("dd"))))
    assert facts["Source"] == "Conseil Départemental — séance du 22 septembre 2025 (003_e61d4ed207638a45.txt), " \
                              "lignes 41 à 17699"
    assert facts["Appel"] == "68 présents, 7 excusés, 7 délégations de vote"
    assert levels_in_order(html)


def test_sitting_page_without_agenda(client: TestClient) -> None:
    html = page(client, "/seances/cp-2021-06-07")
    assert len(html.one("section", id="deliberations").all("li")) == 21
    assert "les présences sont données acte par acte" in html.one("section", id="presences").text


def test_councillors_page(client: TestClient) -> None:
    html = page(client, "/conseillers")
    rows = {tr.one("a").attrs["href"]: [c.text for c in tr.all() if c.tag in ("th", "td")]
            for tr in html.one("tbody").all("tr")}
    assert len(rows) == 101
    assert rows["/conseillers/laurent-duporge"] == [
        "Laurent DUPORGE", "Groupe Socialiste, Républicain et Citoyenvœu signé", "24,2 % (8/33)", "0", "0", "0"]


def test_councillor_page(client: TestClient) -> None:
    html = page(client, "/conseillers/blandine-drain")
    assert html.one("h1").text == "Blandine DRAIN"
    assert html.one("dl", class_="facts").all("dd")[0].text == (
        "Groupe Socialiste, Républicain et Citoyen (absent sans délégation, groupe donné par le vote ; vœu signé)")
    assert page(client, "/conseillers/marine-le-pen").one("dl", class_="facts").all("dd")[0].text == (
        "Groupe Rassemblement National (absent sans délégation, groupe donné par le vote)")
    assert page(client, "/conseillers/steeve-briois").one("dl", class_="facts").all("dd")[0].text == (
        "non connu : aucun document ne l'énonce")
    presence = html.one("section", id="presence")
    assert presence.one("p", class_="rate").text == "63,6 % : présence à 21 actes sur 33 (11 excusés, 1 absent)."
    given = html.one("section", id="delegations").all("li")
    assert [li.text for li in given] == ["A donné délégation à Jean-Claude LEROY (Conseil départemental du 22 septembre 2025)"]
    assert html.one("section", id="delegations").one("p").text == "Délégations de vote données : 1 · reçues : 0"
    leroy = page(client, "/conseillers/jean-claude-leroy")
    speeches = leroy.one("section", id="interventions")
    assert speeches.one("h2").text == "Prises de parole (47)"
    assert speeches.all("a")[0].attrs["href"] == "/seances/cd-2025-09-22#intervention-1"
    assert speeches.all("a")[0].text == "Conseil départemental du 22 septembre 2025, intervention n° 1"
    assert [a.text for a in leroy.one("section", id="presence").all("a")] == [
        "Commission permanente du 7 juin 2021", "Conseil départemental du 22 septembre 2025"]
    assert levels_in_order(leroy)


def test_roads_page(client: TestClient) -> None:
    html = page(client, "/routes?route=RD+939&le=2021-06-15")
    rows = [[c.text for c in tr.all() if c.tag in ("th", "td")] for tr in html.one("tbody").all("tr")]
    assert rows == [["D939", "Etaples", "du 14 juin 2021 au 18 juin 2021",
                     "Travaux de réfection de chaussée durant 1 nuit du 14 juin 2021 au 18 juin 2021"]]
    assert html.one("tbody").one("a").attrs["href"] == "/documents/1f2d693039373eba#ligne-181"
    first, third = page(client, "/routes"), page(client, "/routes?page=3")
    assert len(first.one("tbody").all("tr")) == 50 and len(third.one("tbody").all("tr")) == 12  # 112 orders
    assert first.one("p", class_="alt").text.startswith("112 arrêtés")
    assert first.one("a", rel="next").attrs["href"] == "/routes?page=2"
    assert len(client.get("/routes.json").json()) == 112  # the twins give them all
    bad = page(client, "/routes?le=hier", status=400)
    assert bad.one("p", role="alert").text == "date invalide : « hier » (attendu AAAA-MM-JJ)"
    bad = page(client, "/routes?route=nationale", status=400)
    assert bad.one("p", role="alert").text == "route invalide : « nationale » (attendu : un code de route, par exemple D939)"
    assert client.get("/feeds/road-orders.ics?road=nationale").status_code == 400
    unknown = page(client, "/routes?commune=Atlantide", status=400)  # refused as the search refuses it
    assert unknown.one("p", role="alert").text == "commune inconnue : Atlantide"
    for url in ("/routes.json?route=D9999", "/api/road-orders?road=D9999", "/feeds/road-orders.ics?road=D9999"):
        answer = client.get(url)
        assert answer.status_code == 400 and "route inconnue : D9999" in answer.text


def test_document_page(client: TestClient) -> None:
    html = page(client, "/documents/1f2d693039373eba")
    assert html.one("h1").text == "Recueil des Actes Administratifs du Département du Pas-de-Calais N° 6 de JUIN 2021"
    sommaire = html.one("section", id="sommaire")
    assert len(sommaire.all("li")) == 177
    assert sommaire.one("li", id="ligne-181").text.startswith("RD D939 au territoire de la commune de Etaples")
    assert len(html.one("section", id="deliberations").all("a")) == 21


def test_open_data_page_and_downloads(client: TestClient) -> None:
    html = page(client, "/donnees")
    links = {a.attrs["href"] for a in html.all("a")}
    assert {"/donnees/deliberations.csv", "/donnees/recueil.jsonl", "/openapi.json",
            "/feeds/deliberations.atom"} <= links
    scdl = client.get("/donnees/deliberations.csv")
    assert scdl.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(scdl.text)))
    assert table[0][:3] == ["COLL_NOM", "COLL_SIRET", "DELIB_ID"] and len(table) == 1 + 33
    records = [json.loads(line) for line in client.get("/donnees/recueil.jsonl").text.splitlines()]
    assert sum(r["type"] == "deliberation" for r in records) == 33
    assert sum(r["type"] == "intervention" for r in records) == 90


def test_deliberations_feed(client: TestClient) -> None:
    response = client.get("/feeds/deliberations.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 33
    assert entries[0].findtext(f"{ATOM}title").startswith("N° 2025-371 — Rapports d'activité")
    assert entries[0].find(f"{ATOM}link").attrib["href"] == f"{SITE}/deliberations/2025-371"
    # published: the séance; updated: the act's publication (2025-371: 14 October 2025)
    assert entries[0].findtext(f"{ATOM}published") == "2025-09-22T00:00:00Z"
    assert entries[0].findtext(f"{ATOM}updated") == "2025-10-14T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries) \
        == "2025-10-17T00:00:00Z"
    summaries = {e.find(f"{ATOM}link").attrib["href"].rsplit("/", 1)[1]: e.findtext(f"{ATOM}summary") for e in entries}
    assert summaries["2025-361"] == (
        "Adoptée (pour 54, abstention 24) — Conseil départemental, séance du 22 septembre 2025. Groupes : "
        "Groupe Union pour le Pas-de-Calais : pour, abstention ; Groupe Rassemblement National : abstention. "
        "Matière : Décisions budgétaires.")
    assert summaries["2021-232"].startswith("Adoptée à l'unanimité (pour 42) — Commission permanente, séance du 7 juin 2021.")
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None


def test_search_feed(client: TestClient) -> None:
    feed = ET.fromstring(client.get("/feeds/search.atom", params={"q": "logement d'abord"}).content)
    assert feed.findtext(f"{ATOM}title") == "Recherche : « logement d'abord »"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").attrib["href"] for e in entries][:2] == [
        f"{SITE}/deliberations/2021-252", f"{SITE}/deliberations/2021-252#rapport"]
    assert "LOGEMENT D'ABORD" in entries[0].findtext(f"{ATOM}summary")
    commune = ET.fromstring(client.get("/feeds/search.atom", params={"commune": "Etaples"}).content)
    assert commune.findtext(f"{ATOM}title") == "Recherche : commune Etaples"
    assert len(commune.findall(f"{ATOM}entry")) == 1
    refused = client.get("/feeds/search.atom", params={"q": "(logement"})
    assert refused.status_code == 400 and refused.headers["content-type"] == "text/plain; charset=utf-8"
    assert refused.text.count("\n") == 1 and "<" not in refused.text
    empty = ET.fromstring(client.get("/feeds/search.atom", params={"q": "zzyzx"}).content)
    assert empty.findall(f"{ATOM}entry") == [] and empty.findtext(f"{ATOM}updated") > "2026"  # read now, not 1970


def test_pages_are_read_only(client: TestClient) -> None:
    for url in ("/", "/recherche", "/deliberations/2025-361", "/donnees/recueil.jsonl", "/feeds/deliberations.atom"):
        assert client.post(url).status_code == 405
    head = client.head("/deliberations/2025-361")
    assert head.status_code == 200 and head.content == b""


def test_static_stylesheet(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and "@media" in css.text


@pytest.mark.parametrize("url", ["/deliberations/2025-900", "/seances/cd-2025-10-13", "/recherche?q=subvention",
                                 "/", "/documents/{document}"])
def test_hostile_text_is_escaped(hostile_client: TestClient, url: str) -> None:
    document = next(d for d in hostile_client.get("/api/sittings").json() if d["id"] == "cd-2025-10-13")
    assert document
    if "{document}" in url:
        sitting = hostile_client.get("/api/sittings/cd-2025-10-13").json()
        url = url.format(document=sitting["document_id"])
    body = hostile_client.get(url).text
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#34;titre&#34;)&lt;/script&gt;" in body


def test_hostile_deliberation_page_shows_the_text_as_text(hostile_client: TestClient) -> None:
    html = page(hostile_client, "/deliberations/2025-900")
    assert html.one("h1").text == '<script>alert("titre")</script> SUBVENTION À L\'ASSOCIATION X'
    assert html.all("script") == [] and html.all("img") == []
    assert "<img src=x onerror=alert(1)> & </section>" in html.one("section", id="articles").text
    assert [li.text for li in html.one("section", id="liens").all("li")] == [
        "N° 2025-361 — Budget supplémentaire de l'exercice 2025 - affectation du résultat du 22 septembre 2025 "
        "(Conseil départemental)"]
    cited = page(hostile_client, "/deliberations/2025-361").one("section", id="liens")
    assert cited.one("a").attrs["href"] == "/deliberations/2025-900"
    feed = hostile_client.get("/feeds/deliberations.atom").content
    assert ET.fromstring(feed).findall(f"{ATOM}entry")[0].findtext(f"{ATOM}title").startswith(
        'N° 2025-900 — <script>alert("titre")</script>')
    assert b"<script>" not in feed


def test_kept_answers_follow_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      corpus_files: tuple[Path, Path]) -> None:
    """Whole answers are kept until a document is stored; errors are never kept."""
    monkeypatch.setattr(browse, "RECHECK", 0.0)
    raa, seance = corpus_files
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with Store(url) as store:
        jobs.ingest(store, [seance], workers=1)
    with TestClient(create_app(url)) as client:
        rate = "/conseillers/laurent-duporge"
        assert page(client, rate).one("p", class_="rate").text.startswith("66,7 % : présence à 8 actes sur 12")
        assert page(client, "/deliberations/2021-232", status=404)
        with Store(url) as store:
            jobs.ingest(store, [raa], workers=1)
        assert page(client, rate).one("p", class_="rate").text.startswith("24,2 % : présence à 8 actes sur 33")
        assert page(client, "/deliberations/2021-232").one("h1").text.startswith("Bourse initiatives jeunes")


def test_french_values() -> None:
    assert date_fr("2021-06-01") == "1er juin 2021" and date_fr("2025-09-22") == "22 septembre 2025"
    assert date_fr("vers 2020") == "vers 2020" and date_fr(None) == ""
    assert euros(6468840798) == "64\u202f688\u202f407,98\u00a0€" and euros(-5) == "-0,05\u00a0€"
    assert str(councillor_links([{"name": "A <b>", "id": "a-b"}, {"name": "C", "id": "c"}])) == \
        ('<a class="councillor" href="/conseillers/a-b">A &lt;b&gt;</a>, '
         '<a class="councillor" href="/conseillers/c">C</a>')


def test_vote_chart_geometry() -> None:
    vote = {"pour": 42, "contre": 0, "abstention": 0, "absent_sans_delegation": 1, "en_exercice": None,
            "groups": {"pour": ["G1", "G2"], "absent_sans_delegation": ["Non-inscrit"], "contre": []}}
    bars = vote_bars(vote)
    assert [(b.choice, b.votes, b.y, b.width) for b in bars] == [
        ("pour", 42, 0, round(BAR_WIDTH * 42 / 43)), ("absent_sans_delegation", 1, ROW_HEIGHT, 7)]
    rows = group_rows(vote, 100)
    assert [(r.name, r.y, [m.choice for m in r.marks]) for r in rows] == [
        ("G1", 100, ["pour"]), ("G2", 100 + GROUP_HEIGHT, ["pour"]),
        ("Non-inscrit", 100 + 2 * GROUP_HEIGHT, ["absent_sans_delegation"])]


def test_vote_chart_fits_a_phone() -> None:
    """Long group names go on two lines and marks that would leave the chart on the next line,
    the rows below moving down accordingly."""
    assert name_lines("Groupe Socialiste, Républicain et Citoyen") == ["Groupe Socialiste, Républicain et", "Citoyen"]
    assert name_lines("Non-inscrits") == ["Non-inscrits"]
    vote = {"pour": 40, "abstention": 20, "ne_prend_pas_part": 1, "absent_sans_delegation": 2,
            "groups": {"pour": ["Groupe Socialiste, Républicain et Citoyen", "G2"],
                       "abstention": ["Groupe Socialiste, Républicain et Citoyen"],
                       "ne_prend_pas_part": ["Groupe Socialiste, Républicain et Citoyen"],
                       "absent_sans_delegation": ["Groupe Socialiste, Républicain et Citoyen"]}}
    split, g2 = group_rows(vote, 0)
    assert [(m.label, m.x, m.y) for m in split.marks] == [
        ("Pour", 0, 24 + LINE_HEIGHT), ("Abstention", 65, 24 + LINE_HEIGHT),
        ("Ne prend pas part", 175, 24 + LINE_HEIGHT), ("Absent sans délégation", 0, 24 + 2 * LINE_HEIGHT)]
    assert split.height == GROUP_HEIGHT + 2 * LINE_HEIGHT and g2.y == split.height
    assert all(m.x + MARK_BOX + 5 + len(m.label) * CHAR_WIDTH <= CHART_WIDTH for m in split.marks)


def test_roads_calendar(client: TestClient) -> None:
    response = client.get("/feeds/road-orders.ics", params={"commune": "Etaples"})
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    lines = response.text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20210614" in lines and "DTEND;VALUE=DATE:20210619" in lines
    assert f"URL:{SITE}/documents/1f2d693039373eba#ligne-181" in lines
    assert client.get("/feeds/road-orders.ics", params={"on": "x"}).status_code == 400


def test_kept_answers_stay_within_their_budget(corpus_db: str) -> None:
    assert any(m.cls is ResponseCache for m in create_app(corpus_db).user_middleware)
    app = create_app(corpus_db, cache=False)
    assert not any(m.cls is ResponseCache for m in app.user_middleware)
    small = ResponseCache(app, app.state.browser.version, budget=60_000)
    with TestClient(small) as client:
        for number in ("2025-361", "2025-362", "2025-363", "2025-364"):
            assert client.get(f"/deliberations/{number}").status_code == 200
        assert 0 < small.size <= 60_000
        assert [path for path, _ in small.kept][-1] == "/deliberations/2025-364"
        assert "/deliberations/2025-361" not in [path for path, _ in small.kept]


def test_another_host_header_is_served_the_kept_answer(corpus_db: str) -> None:
    app = create_app(corpus_db, cache=False)
    kept = ResponseCache(app, app.state.browser.version)
    with TestClient(kept) as client:
        first = client.get("/deliberations/2025-361", headers={"Host": "recueil.example"})
        again = client.get("/deliberations/2025-361", headers={"Host": "evil.example"})
    assert (first.status_code, again.text == first.text, list(kept.kept)) == (
        200, True, [("/deliberations/2025-361", b"")])


def test_annexes_are_listed_and_shown_with_private_persons_masked(client: TestClient) -> None:
    page = client.get("/deliberations/2021-232").text
    assert '<a href="/deliberations/2021-232/annexes/1">Annexe 1</a> — à la délibération, lignes 969 à 1009' in page
    assert '<a href="/deliberations/2021-232/annexes/2">Annexe 2</a> — au rapport, lignes 1078 à 1482' in page
    applicants = client.get("/deliberations/2021-232/annexes/2").text
    assert "LANNOY" not in applicants and "GALLEGO-RYCKAERT" not in applicants
    assert applicants.count("[personne privée]") == 9
    consultation = client.get("/deliberations/2021-238/annexes/1").text
    assert "BILAN DE LA CONCERTATION" in consultation and "Les noms des personnes privées sont masqués." in consultation
    assert "LAMERAND" not in consultation and "ameliedu62@hotmail.com" not in consultation
    assert "[adresse privée]" in consultation
    assert client.get("/deliberations/2021-232/annexes/3").status_code == 404


def test_masking_can_be_turned_off(corpus_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "recueil.toml"
    settings.write_text("[publication]\nmasquer_personnes = false\n", encoding="utf-8")
    monkeypatch.setenv("RECUEIL_CONFIG", str(settings))
    with TestClient(create_app(corpus_db, cache=False)) as unmasked:
        consultation = unmasked.get("/deliberations/2021-238/annexes/1").text
    assert "LAMERAND" in consultation and "[personne privée]" not in consultation
    assert "Les noms des personnes privées sont masqués." not in consultation


def test_publication_date_and_hash_are_shown_and_the_file_served(corpus_db: str, published: Path) -> None:
    entries = {json.loads(line)["act"]: json.loads(line)
               for line in (published / "registre.jsonl").read_text(encoding="utf-8").splitlines()}
    act, pv = entries["2021-232"], entries["cd-2025-09-22/proces-verbal"]
    with TestClient(create_app(corpus_db, publications=published)) as site:
        page = site.get("/deliberations/2021-232").text
        assert (f'<a href="/publications/2021/2021-232.pdf">L&#39;acte (PDF)</a>, publié le 24 novembre 2026 — '
                f'SHA-256 <code class="hash">{act["sha256"]}</code>') in page
        pdf = site.get("/publications/2021/2021-232.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(pdf.content).hexdigest() == act["sha256"]
        sitting = site.get("/seances/cd-2025-09-22").text
        assert f'<code class="hash">{pv["sha256"]}</code>' in sitting
        assert '<a href="/publications/2025/cd-2025-09-22-liste.pdf">La liste (PDF)</a>' in sitting


def test_an_act_not_yet_published_says_so(client: TestClient) -> None:
    page = client.get("/deliberations/2021-232").text
    assert '<dd id="publication">pas encore publié' in page


@pytest.fixture(scope="module")
def private_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Deliberation 2025-361 alone, renumbered 2025-901, naming a private person in an article."""
    seance = CORPUS / "003_e61d4ed207638a45.txt"
    if not seance.exists():
        pytest.skip(f"corpus absent: {seance}")
    text = "\n".join(seance.read_text(encoding="utf-8").splitlines()[2509:2638])
    for old, new in (("(N°2025-361)", "(N°2025-901)"),
                     ("D'affecter le résultat cumulé", "Sur la demande de Madame Kevina DURANDEAU, d'affecter le résultat cumulé")):
        assert old in text, old
        text = text.replace(old, new, 1)
    folder = tmp_path_factory.mktemp("private")
    (folder / "prive.txt").write_text(text + "\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'r.db'}"
    with Store(url) as store:
        assert [o.status for o in jobs.ingest(store, [folder / "prive.txt"], workers=1)] == ["nouveau"]
    with TestClient(create_app(url, cache=False, publications=folder / "none")) as test_client:
        yield test_client


@pytest.mark.parametrize("url", ["/deliberations/2025-901", "/api/search?q=DURANDEAU",
                                 "/api/search?q=DURANDEAU&format=csv", "/api/deliberations/2025-901",
                                 "/donnees/recueil.jsonl"])
def test_a_private_person_is_masked_in_every_answer(private_client: TestClient, url: str) -> None:
    body = private_client.get(url).text
    assert "DURANDEAU" not in body and "Kevina" not in body
    assert "Sur la demande de Madame [personne privée], d" in body


def test_a_private_person_is_masked_in_search_results_and_feeds(private_client: TestClient) -> None:
    """The query itself is echoed back (it is the reader's own); the results never show the name."""
    page = private_client.get("/recherche", params={"q": "DURANDEAU"}).text
    results = [item.split("</li>")[0] for item in page.split('<li class="result"')[1:]]
    assert len(results) == 1 and "Madame [personne privée]" in results[0] and "DURANDEAU" not in results[0]
    feed = ET.fromstring(private_client.get("/feeds/search.atom", params={"q": "DURANDEAU"}).content)
    entries = [ET.tostring(e, encoding="unicode") for e in feed.iter(f"{ATOM}entry")]
    assert len(entries) == 1 and "Madame [personne privée]" in entries[0] and "DURANDEAU" not in entries[0]
