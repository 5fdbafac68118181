"""robots.txt, the sitemap of every act page, and the icon, on the real corpus."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_keep_off_searches_and_point_to_the_sitemap(client: TestClient) -> None:
    answer = client.get("/robots.txt")
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    lines = answer.text.splitlines()
    assert {"User-agent: *", "Disallow: /recherche", "Disallow: /api/", "Disallow: /feeds/"} <= set(lines)
    assert lines[-1].startswith("Sitemap: http") and lines[-1].endswith("/sitemap.xml")


def test_the_sitemap_lists_every_act_and_sitting(client: TestClient) -> None:
    answer = client.get("/sitemap.xml")
    assert answer.headers["content-type"] == "application/xml; charset=utf-8"
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in ET.fromstring(answer.content)}
    acts = {loc.rsplit("/", 1)[1]: day for loc, day in urls.items() if "/deliberations/" in loc}
    assert len(acts) == 33 and acts["2025-361"] == "2025-09-22" and acts["2021-232"] == "2021-06-07"
    assert sorted(day for loc, day in urls.items() if "/seances/" in loc) == ["2021-06-07", "2025-09-22"]
    for loc in list(urls)[:8]:  # the lists and the séances answer
        path = "/" + loc.split("/", 3)[3]
        assert client.get(path).status_code == 200, path


def test_the_icon(client: TestClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
    assert answer.history[0].status_code == 301
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get("/").text
