"""Reading a text file: control characters and Unicode line separators never reach the store."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient
from sqlalchemy import select

from recueil import jobs
from recueil.ingest.read import read_bytes
from recueil.store import schema
from recueil.store.database import Store
from recueil.web.app import create_app
from tests.ingest.test_deliberation import SNIPPET_2021

ATOM = "{http://www.w3.org/2005/Atom}"


def test_controls_and_separators_become_spaces():
    text = read_bytes("a.txt", "a\x0bb\x0cc\x1fd\u2028e\u2029f\x85g\thi\ufffej\r\nk\rl".encode())
    assert text.lines == ["a b c d e f g\thi-j", "k", "l"]


def test_a_title_with_controls_is_stored_clean_and_its_feed_parses(tmp_path):
    source = tmp_path / "cp-2021-06-07.txt"
    source.write_text("\n".join(SNIPPET_2021).replace("AIDE AUX CLUBS SPORTIFS - PREMIÈRE",
                                                      "AIDE AUX\x0bCLUBS SPORTIFS\u2028- PREMIÈRE\x1f"),
                      encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with Store(url) as store:
        assert [o.status for o in jobs.ingest(store, [source], workers=1)] == ["nouveau"]
        with store.engine.connect() as connection:
            titles = connection.execute(select(schema.deliberations.c.title, schema.deliberations.c.data)).all()
    assert [(title, data["title"], data["display_title"]) for title, data in titles] == [
        ("AIDE AUX CLUBS SPORTIFS - PREMIÈRE PROGRAMMATION", "AIDE AUX CLUBS SPORTIFS - PREMIÈRE PROGRAMMATION",
         "Aide aux clubs sportifs - première programmation")]
    with TestClient(create_app(url, publications=tmp_path / "publications")) as client:
        feed = ET.fromstring(client.get("/feeds/deliberations.atom").content)
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "N° 2021-100 — Aide aux clubs sportifs - première programmation"]
