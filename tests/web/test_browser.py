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

TITLE_2021_252 = "Rapport relatif à la convention pluriannuelle d'objectif 2021 - 2022 logement d'abord Etat-Département"
PHONE = {"width": 390, "height": 844}

# name → path, the main pages of the site (desktop screenshots)
PAGES = {
    "accueil": "/",
    "recherche": "/recherche?q=logement+d%27abord",
    "deliberation": "/deliberations/2021-252",
    "deliberations": "/deliberations?vote=abstentions",
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


def test_the_deliberation_reads_on_a_phone(browser: Browser, live_site: str) -> None:
    """The title printed in capitals shown as a sentence (built at ingest), a gap under the header rule, and the vote chart
    drawn at its own size: no text of it under 12 px once the SVG is fitted to the screen."""
    context = browser.new_context(base_url=live_site, locale="fr-FR", viewport=PHONE, is_mobile=True,
                                  device_scale_factor=2, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto("/deliberations/2021-252")
        title = phone.locator("h1")
        expect(title).to_have_text(TITLE_2021_252)
        expect(phone.locator("dd.printed")).to_have_text(TITLE_2021_252.upper())  # as printed, below
        assert title.evaluate("h => parseFloat(getComputedStyle(h).fontSize)") <= 24
        gap = phone.evaluate("document.querySelector('.act > .kind').getBoundingClientRect().top"
                             " - document.querySelector('header.site').getBoundingClientRect().bottom")
        assert gap >= 12, gap
        sizes = phone.locator("figure.vote-chart svg").evaluate(
            """svg => [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)
                       * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)""")
        assert len(sizes) == 2 * 2 + 7 + 8 and min(sizes) >= 12, sizes  # 2 bars and figures, 7 groups, 8 marks
        text_right = phone.locator("figure.vote-chart svg").evaluate(
            "svg => Math.max(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().right))")
        assert text_right <= PHONE["width"], text_right
    finally:
        context.close()


# The contrast of a text element against the first opaque background behind it (WCAG 2 formula).
CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const paper = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || !box.width || el.closest('svg, .skip')) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(paper(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push(el.tagName + ' ' + ratio.toFixed(2) + ' ' + el.textContent.trim().slice(0, 40));
  }
  return worst;
}"""


@pytest.mark.parametrize("path", list(PAGES.values()))
def test_text_contrast_is_at_least_4_5_to_1(page: Page, path: str) -> None:
    page.goto(path)
    assert page.evaluate(CONTRAST) == []


def test_the_skip_link_shows_on_focus_and_the_focus_is_visible(page: Page) -> None:
    page.goto("/deliberations/2021-252")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, box  # on screen, not parked off it
    assert skip.evaluate("a => getComputedStyle(a).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    page.keyboard.press("Tab")  # the first link of the page content
    focused = page.evaluate("[document.activeElement.closest('main') !== null,"
                            " getComputedStyle(document.activeElement).outlineWidth]")
    assert focused == [True, "3px"], focused


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
        page.locator("figure.vote-chart").scroll_into_view_if_needed()
        page.screenshot(path=folder / "telephone-vote.png")
        page.goto(PAGES["accueil"])
        page.screenshot(path=folder / "telephone-accueil.png")
    finally:
        phone.close()
    for name in [*PAGES, "deliberation-vote", "telephone-deliberation", "telephone-vote", "telephone-accueil"]:
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG"), name


def test_the_sitting_folds_its_debates_and_a_link_to_a_speech_unfolds_it(page: Page, live_site: str) -> None:
    """Each item's speeches are folded under it: the page is a table of contents to read down, and a
    speech's address (the councillor page links to it) opens its item's debate."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/seances/cd-2025-09-22")
    expect(page.locator("nav.breadcrumb li")).to_have_text(["Accueil", "Séances",
                                                            "Conseil départemental du 22 septembre 2025"])
    folded = page.locator("section.item details.debate")
    assert folded.count() > 0 and folded.evaluate_all("ds => ds.every(d => !d.open)")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 10_000, height  # 56,000 px with every speech unfolded
    page.goto("/seances/cd-2025-09-22#intervention-40")
    expect(page.locator("#intervention-40")).to_be_visible()
    expect(page.locator("details.debate:has(#intervention-40)")).to_have_attribute("open", "")


def test_the_list_of_deliberations_filters_by_group(page: Page, live_site: str) -> None:
    page.goto("/deliberations")
    page.locator("select#group").select_option("Groupe Rassemblement National")
    page.locator("select#position").select_option("abstention")
    page.locator("form.filters button").click()
    expect(page).to_have_url(re.compile(r"group=Groupe\+Rassemblement\+National&position=abstention"))
    expect(page.locator("table.list tbody th a")).to_have_text(["2025-361"])
    expect(page.locator("p.alt").first).to_contain_text("1 délibération")
