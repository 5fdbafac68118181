"""What robots and browsers ask of every site: /robots.txt, /sitemap.xml (every act and séance
page, so that a search engine finds each act), and the icon.

Robots are kept off the searches, the feeds and the API: their answers are built on demand and
say nothing the act pages do not.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from recueil.web.feeds import site
from recueil.web.pages import browser

router = APIRouter(include_in_schema=False)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
LISTS = ("/", "/deliberations", "/seances", "/conseillers", "/routes", "/donnees")


@router.get("/robots.txt")
async def robots(request: Request) -> Response:
    lines = ["User-agent: *", "Disallow: /recherche", "Disallow: /api/", "Disallow: /feeds/", "Disallow: /alertes",
             "Allow: /", f"Sitemap: {site(request)}/sitemap.xml"]
    return Response("\n".join(lines) + "\n", media_type="text/plain; charset=utf-8")


@router.get("/sitemap.xml")
async def sitemap(request: Request) -> Response:
    """Every deliberation and séance page, with the day of its séance as its last change."""
    root = ET.Element("urlset", xmlns=SITEMAP)

    def add(path: str, day: str | None = None) -> None:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = site(request) + path
        if day:
            ET.SubElement(url, "lastmod").text = day

    for path in LISTS:
        add(path)
    for sitting in browser(request).sittings():
        add(f"/seances/{sitting['id']}", sitting["date"])
    acts = {act["url"]: act["date"] for act in browser(request).deliberations(limit=None)["results"]}
    for path, day in acts.items():  # a number two séances printed has one page
        add(path, day)
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body, media_type="application/xml; charset=utf-8")


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the pages say: the icon is an SVG."""
    return RedirectResponse("/static/favicon.svg", status_code=301)
