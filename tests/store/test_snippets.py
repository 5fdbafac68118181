"""Snippets cut the fast way (spaces made single only as far as needed, the regex skipping ahead)
are the snippets of the plain way: every match of the whole text, its spaces all made single."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text as sql

from recueil.store.database import Store
from recueil.store.query import act_number, parse_query
from recueil.store.ranking import _ACT_OPENING, SNIPPET_SPAN, Fragment, Highlighter
from recueil.store.search import complete_prefixes

QUERIES = ["logement", "département", "route*", "conseil départemental", "subvention OR aide", "œuvre",
           '"logement d\'abord"', '"pas de calais"', "collège NOT travaux", "handica*", "2025-361", "élu"]


def plain_snippet(highlighter: Highlighter, text: str) -> list[tuple[str, bool]]:
    """The snippet as first written: the whole text's spaces made single, every match in turn; an
    act's heading (before `_ACT_OPENING`) left out when no match is in it."""
    opening = _ACT_OPENING.search(text[:SNIPPET_SPAN])
    heading = highlighter.regex.finditer(text[:opening.start()]) if opening and highlighter.regex else ()
    if opening and opening.start() and not any(highlighter._matches(m[0]) for m in heading):
        return [("… ", False), *plain_snippet(highlighter, text[opening.start():])]
    text = " ".join(text[:SNIPPET_SPAN].split())
    width = highlighter.width
    found: list[re.Match[str]] = []
    start, end = 0, width
    for m in highlighter.regex.finditer(text) if highlighter.regex else ():
        if found and m.start() >= end:
            break
        if highlighter._matches(m[0]):
            if not found and m.start() > width // 3:
                start = text.find(" ", m.start() - width // 3) + 1
                end = start + width
            found.append(m)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    end = min(end, len(text))
    fragments = [Fragment("… ")] if start else []
    at = start
    for m in found:
        if start <= m.start() and m.end() <= end:
            fragments += [Fragment(text[at:m.start()]), Fragment(m[0], True)]
            at = m.end()
    fragments.append(Fragment(text[at:end] + (" …" if end < len(text) else "")))
    return [(f.text, f.match) for f in fragments if f.text]


def highlighter(store: Store, query: str) -> Highlighter:
    number = act_number(query)
    node = parse_query(f'"{number}"' if number else query)
    with store.engine.connect() as conn:
        return Highlighter(complete_prefixes(node, conn), number)


@pytest.fixture(scope="module")
def texts(corpus_db: str) -> list[str]:
    with Store(corpus_db).engine.connect() as conn:
        return list(conn.execute(sql("SELECT CASE WHEN text = '' THEN title ELSE text END FROM search_entries")).scalars())


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_of_every_entry_as_plain(corpus_db: str, texts: list[str], query: str) -> None:
    marker = highlighter(Store(corpus_db), query)
    for text in texts:
        assert [(f.text, f.match) for f in marker.snippet(text)] == plain_snippet(marker, text)


def test_highlights_counted_on_the_corpus(corpus_db: str, texts: list[str]) -> None:
    marker = highlighter(Store(corpus_db), "logement")
    assert sum(f.match for text in texts for f in marker.snippet(text)) == 20


@pytest.mark.parametrize("text", [
    "relogement " * 300 + "\n\n  le   logement\tsocial  " + "mot " * 400,  # first match far, spaces doubled
    "x" * 3000 + " logement" + "   \n  " * 50,  # only spaces after the lead
    "logement " + "y" * 5000 + " logements",  # a word longer than the window
    "   " + "mot " * 600,  # no match
    "mot " * 59 + "mots" + " " * 600,  # no match, the text as long as the window, then spaces only
])
def test_awkward_texts_as_plain(corpus_db: str, text: str) -> None:
    marker = highlighter(Store(corpus_db), "logement")
    assert [(f.text, f.match) for f in marker.snippet(text)] == plain_snippet(marker, text)
