"""The recueil of a period, read back: each sommaire title is on the page the sommaire gives."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner

from recueil import jobs
from recueil.cli import app
from recueil.publish.compile import RecueilError
from recueil.store.database import Store

runner = CliRunner()


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def june(corpus_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("recueil") / "juin-2021.pdf"
    with Store(corpus_db) as store:
        made = jobs.recueil(store, "2021-06-01", "2021-06-30", out, day="2021-07-08")
    return made, out


def read_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [collapsed(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def test_june_2021_holds_the_21_deliberations_and_175_acts_of_the_president(june):
    made, out = june
    assert (made.pages, made.deliberations, made.president_acts, len(made.sommaire)) == (66, 21, 175, 206)
    assert out.read_bytes() == made.pdf
    assert len(read_pages(out)) == 66
    assert [(e.level, e.title, e.page) for e in made.sommaire if e.level < 2] == [
        (0, "1re partie — Réunion de la commission permanente du Conseil départemental du 7 juin 2021", 9),
        (1, "Délibérations n° 2021-232 à n° 2021-252", 9),
        (0, "2e partie — Actes de l'exécutif départemental", 54),
        (1, "Décisions du Président du Conseil départemental", 54),
        (1, "Organisation des services", 54),
        (1, "Voirie Départementale", 54),
        (1, "Organisation et nomination dans les Centres, Conseils et Commissions Consultatifs", 64),
        (1, "Etablissements et Services Médico-Sociaux (ESMS) / Autorisation et habilitation / Enfance", 64),
        (1, "Etablissements et Services Médico-Sociaux (ESMS) / Autorisation et habilitation / Adultes "
            "Handicapés et Personnes Agées", 64),
        (1, "Etablissements et Services Médico-Sociaux (ESMS) / Tarification / Adultes Handicapés et "
            "Personnes Agées", 64),
    ]
    assert made.sommaire[2].title == "N° 2021-232 — BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS"


def test_each_sommaire_title_is_on_the_page_the_sommaire_gives(june):
    made, out = june
    pages = read_pages(out)
    first_act_page = made.sommaire[0].page
    assert (first_act_page, made.sommaire[2].page, made.sommaire[3].page, made.sommaire[-1].page) == (9, 9, 11, 66)
    sommaire = " ".join(pages[1:first_act_page - 1])
    assert sommaire.startswith("SOMMAIRE 1re partie — Réunion de la commission permanente du Conseil "
                               "départemental du 7 juin 2021 9 Délibérations n° 2021-232 à n° 2021-252 9 "
                               "N° 2021-232 — BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS 9")
    for entry in made.sommaire:
        title = collapsed(entry.title)
        assert f"{title} {entry.page}" in sommaire, entry
        assert title in pages[entry.page - 1], entry
    numbers = [e.page for e in made.sommaire]
    assert numbers == sorted(numbers)


def test_the_cover_gives_the_notice_of_availability(june):
    _, out = june
    cover = read_pages(out)[0]
    assert "RECUEIL DES ACTES ADMINISTRATIFS Du 1er juin 2021 au 30 juin 2021 AVIS DE MISE À DISPOSITION" in cover
    assert ("Le Recueil des Actes Administratifs du Département du Pas-de-Calais des actes du 1er juin 2021 au "
            "30 juin 2021 (2 parties) est paru et mis à la disposition du public.") in cover
    assert "https://www.pasdecalais.fr" in cover and "Mis à disposition le 8 juillet 2021." in cover


def test_a_deliberation_gives_its_dispositif_not_its_rapport(june):
    made, out = june
    pages = read_pages(out)
    entry = next(e for e in made.sommaire if e.title.startswith("N° 2021-232"))
    act = " ".join(pages[entry.page - 1:entry.page + 1])
    for printed in ("(N°2021-232)", "Vu le rapport du Président du Conseil départemental, ci-annexé ;", "DECIDE :",
                    "Article 2 :", "Pour : 42 voix", "(Adopté)", "ARRAS, le 7 juin 2021"):
        assert printed in act, printed
    assert "RAPPORT N°45" not in " ".join(pages)


def test_a_road_order_is_listed_with_where_its_text_was_published(june):
    made, out = june
    entry = next(e for e in made.sommaire if e.title.startswith("RD D7 au territoire de la commune de Ayette"))
    page = read_pages(out)[entry.page - 1]
    assert "Route : RD D7 — commune : Ayette" in page
    assert ("Texte intégral : Recueil des Actes Administratifs du Département du Pas-de-Calais N° 6 de JUIN 2021, "
            "page 1633.") in page


def test_the_whole_corpus_period(corpus_db, tmp_path):
    with Store(corpus_db) as store:
        made = jobs.recueil(store, "2021-06-01", "2025-12-31", tmp_path / "tout.pdf", day="2026-01-05")
    assert (made.pages, made.deliberations, made.president_acts) == (97, 33, 175)
    parts = [e.title for e in made.sommaire if e.level == 0]
    assert parts == ["1re partie — Réunion de la commission permanente du Conseil départemental du 7 juin 2021",
                     "2e partie — Réunion du conseil départemental du 22 septembre 2025",
                     "3e partie — Actes de l'exécutif départemental"]


def test_an_empty_period_gives_one_line_exit_2_and_no_file(corpus_db, tmp_path):
    out = tmp_path / "vide.pdf"
    with Store(corpus_db) as store, pytest.raises(RecueilError):
        jobs.recueil(store, "2022-01-01", "2022-12-31", out)
    result = runner.invoke(app, ["recueil", "--db", corpus_db, "--from", "2022-01-01", "--to", "2022-12-31",
                                 "--out", str(out)])
    assert result.exit_code == 2  # refused input, as a bad date is
    assert result.output.strip() == ("Erreur : aucun acte dans la base du 1er janvier 2022 au 31 décembre 2022 : "
                                     "pas de recueil")
    assert not out.exists()
    result = runner.invoke(app, ["recueil", "--db", corpus_db, "--from", "2021-06-01", "--to", "2021-06-30",
                                 "--out", str(out), "--date", "demain"])
    assert (result.exit_code, result.output.strip()) == (2, "Erreur : --date : date invalide « demain » (AAAA-MM-JJ)")
    for dates, message in ((("2022-02-30", "2022-03-01"), "--from : date invalide « 2022-02-30 » (AAAA-MM-JJ)"),
                           (("2022-03-01", "2022-02-01"), "période vide : le 1er mars 2022 est après le 1er février 2022")):
        result = runner.invoke(app, ["recueil", "--db", corpus_db, "--from", dates[0], "--to", dates[1],
                                     "--out", str(out)])
        assert (result.exit_code, result.output.strip()) == (2, f"Erreur : {message}")
    assert not out.exists()
