"""The site in a real browser (Debian's chromium, driven by Playwright) over `recueil serve` on
the real corpus: the journey of issue 3 (search "logement d'abord", open the deliberation, see its
vote chart and its rapport, open a councillor from the attendance list), what is closed on a road
on a date, a malformed query answered on the page, no horizontal scroll on a phone, and a
screenshot of each main page.

The screenshots go to a temporary folder; `make screenshots` runs this file with
RECUEIL_SCREENSHOTS=docs/screenshots to refresh the ones in the repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

TITLE_2021_252 = "RAPPORT RELATIF À LA CONVENTION PLURIANNUELLE D'OBJECTIF 2021 - 2022 LOGEMENT D'ABORD ETAT-DÉPARTEMENT"
PHONE = {"width": 390, "height": 844}

# name → path, the main pages of the site (desktop screenshots)
PAGES = {
    "accueil": "/",
    "recherche": "/recherche?q=logement+d%27abord",
    "deliberation": "/deliberations/2021-252",
    "seance": "/seances/cd-2025-09-22",
    "conseiller": "/conseillers/jean-claude-leroy",
    "routes": "/routes",
    "donnees": "/donnees",
}


def test_search_open_the_deliberation_its_vote_its_rapport_then_a_councillor(page: Page, live_site: str) -> None:
    page.goto("/")
    form = page.locator('form[role="search"][action="/recherche"]')
    form.locator('input[name="q"]#q').fill("logement d'abord")
    form.locator('input[name="q"]#q').press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche\?q=logement\+d%27abord$"))

    first = page.locator("li.result a.result-link").first
    expect(first).to_have_text(f"N° 2021-252 — {TITLE_2021_252}")
    first.click()

    expect(page).to_have_url(f"{live_site}/deliberations/2021-252")
    expect(page.locator("h1")).to_have_text(TITLE_2021_252)
    chart = page.locator("figure.vote-chart svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50, box
    expect(chart.locator(".bar-label")).to_have_text(["Pour", "Absent sans délégation"])
    expect(chart.locator(".bar-value")).to_have_text(["41", "2"])
    expect(chart.locator(".group-name")).to_have_count(7)  # 6 groups for, 1 of them partly absent, and the non-inscrits

    rapport = page.locator("section#rapport")
    expect(rapport).to_be_visible()
    expect(rapport.locator("h2")).to_have_text("Rapport n° 65")
    expect(rapport.locator(".text")).to_contain_text("LOGEMENT D'ABORD")

    expect(page.locator("section#presences h3")).to_have_text([
        "Présents (31)", "Excusés (11)", "Absents (1)", "Présents sans voix délibérative (3)",
        "Excusés sans voix délibérative (3)"])
    councillors = page.locator("section#presences a.councillor")
    expect(councillors).to_have_count(31 + 11 + 1 + 3 + 3)
    leroy = councillors.first
    expect(leroy).to_have_text("Jean-Claude LEROY")
    expect(leroy).to_have_attribute("href", "/conseillers/jean-claude-leroy")
    leroy.click()

    expect(page).to_have_url(f"{live_site}/conseillers/jean-claude-leroy")
    expect(page.locator("h1")).to_have_text("Jean-Claude LEROY")
    expect(page.locator("section#presence .rate")).to_have_text(
        "100,0 % : présence à 33 actes sur 33 (0 excusé, 0 absent).")


def test_a_malformed_query_is_answered_on_the_page(page: Page) -> None:
    page.goto("/")
    page.locator("#q").fill('"logement')
    page.locator("#q").press("Enter")
    expect(page.locator('[role="alert"]')).to_contain_text("Requête invalide")


def test_what_is_closed_on_the_d939_on_a_date_then_its_sommaire_line(page: Page, live_site: str) -> None:
    page.goto("/routes")
    page.get_by_label("Route").fill("D939")
    page.get_by_label("En vigueur le").fill("2021-06-20")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{live_site}/routes?route=D939&commune=&le=2021-06-20")
    rows = page.locator("table.roads tbody tr")
    expect(rows).to_have_count(1)  # the other order on the D939 (Etaples) ended on 18 June
    expect(rows.locator("th")).to_have_text("D939")
    expect(rows.locator("td").first).to_have_text("Averdoingt, Tincques")
    expect(rows.locator("td").nth(1)).to_have_text("du 17 juin 2021 au 16 juillet 2021")
    rows.locator("a").click()
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f]+#ligne-586$"))
    expect(page.locator("#ligne-586")).to_contain_text("Averdoingt")


@pytest.mark.parametrize("path", ["/deliberations/2021-252", "/deliberations/2025-361", "/recherche?q=logement",
                                  "/seances/cd-2025-09-22", "/conseillers/jean-claude-leroy", "/routes", "/"])
def test_no_horizontal_scroll_on_a_phone(browser: Browser, live_site: str, path: str) -> None:
    context = browser.new_context(base_url=live_site, locale="fr-FR", viewport=PHONE, is_mobile=True,
                                  device_scale_factor=2, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(path)
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} : {widths[0]} px de large pour un écran de {widths[1]} px"
    finally:
        context.close()


def screenshot_folder(tmp_path: Path) -> Path:
    wanted = os.environ.get("RECUEIL_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshots_of_the_main_pages(browser: Browser, live_site: str, tmp_path: Path) -> None:
    folder = screenshot_folder(tmp_path)
    desktop = browser.new_context(base_url=live_site, locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        page = desktop.new_page()
        for name, path in PAGES.items():
            answer = page.goto(path)
            assert answer and answer.status == 200, path
            expect(page.locator("h1")).to_have_count(1)
            page.screenshot(path=folder / f"{name}.png")
        page.goto(PAGES["deliberation"])
        page.locator("figure.vote-chart").scroll_into_view_if_needed()
        page.screenshot(path=folder / "deliberation-vote.png")
    finally:
        desktop.close()
    phone = browser.new_context(base_url=live_site, locale="fr-FR", viewport=PHONE, is_mobile=True,
                                device_scale_factor=2, has_touch=True)
    try:
        page = phone.new_page()
        page.goto(PAGES["deliberation"])
        page.screenshot(path=folder / "telephone-deliberation.png")
    finally:
        phone.close()
    for name in [*PAGES, "deliberation-vote", "telephone-deliberation"]:
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG"), name
