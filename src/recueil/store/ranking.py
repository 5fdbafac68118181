"""Ranking and snippets of search hits: the part of search done in Python, the same for every backend.

A backend (store/search.py for SQLite, store/search_pg.py for PostgreSQL) picks the candidates of
a query and reads their analysed columns (the strings of `entries.py`: kind, title words, title
stems, body words, body stems); `score` orders them by BM25F and `Highlighter` cuts the snippet
of each hit shown. Nothing here reads a database, so the hits and their order cannot depend on it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recueil.store.analysis import fold, stems, words
from recueil.store.entries import marked
from recueil.store.query import Node, Or, Term

IDF_CAP = 1000
WEIGHTS = (0.0, 8.0, 4.0, 2.0, 1.0)  # kind, title, title_stems, body, body_stems
PRIORS = {"deliberation": 1.25}  # score × prior: the act before its rapport and the debate about it
K1, B = 1.2, 0.75  # BM25's usual saturation and length normalisation


@dataclass
class Fragment:
    """A piece of a snippet; `match` when it is a word of the query (to highlight)."""

    text: str
    match: bool = False


def positive_terms(node: Node | None) -> list[Term]:
    """The terms of a query that a hit holds (those under NOT excepted): what is scored and shown."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Or):
        return [t for o in node.options for t in positive_terms(o)]
    return [t for i in node.include for t in positive_terms(i)]


def idf(hits: int) -> float:
    """BM25's inverse document frequency, with hits counted up to `IDF_CAP` (the index is not
    counted either): words more frequent than that all weigh the same, the least there is."""
    return math.log(1 + IDF_CAP / (min(hits, IDF_CAP) + 0.5))


def score(rows: Sequence[Any], terms: list[Term], rarity: list[float]) -> list[int]:
    """Candidate ids, best first, by BM25F over rows (id, kind, title words, title stems, body
    words, body stems): each term's occurrences counted in the analysed columns, titles weighted
    above bodies, saturated by document length; exact words and stems are saturated apart, so that
    an exact match adds to a stemmed one; the deliberation prior on top, and the newest first
    among equals."""
    patterns = []  # per term: the exact and the stemmed forms, each as (in title, in body)
    for term in terms:
        if term.completions:
            exact = [(f" ^{c} ", f" {c} ") for c in term.completions]
        else:
            end = "" if term.prefix else " "
            exact = [(" " + marked(list(term.tokens), "^") + end, " " + " ".join(term.tokens) + end)]
        stems_in = (f" {marked(list(term.stems), '^_')} ", f" {marked(list(term.stems), '_')} ")
        stemmed = [] if term.prefix else [stems_in]
        patterns.append((exact, stemmed))
    lengths = [title.count(" ") + body.count(" ") + 2 for _, _, title, _, body, _ in rows]
    average = sum(lengths) / len(lengths) if lengths else 1.0
    w_title, w_title_stems, w_body, w_body_stems = WEIGHTS[1:]
    scored = []
    for (rowid, kind, title, title_stems, body, body_stems), length in zip(rows, lengths):
        title, title_stems, body, body_stems = f" {title} ", f" {title_stems} ", f" {body} ", f" {body_stems} "
        norm = K1 * (1 - B + B * length / average)
        total = 0.0
        for (exact, stemmed), weight in zip(patterns, rarity):
            tf = 0.0
            for in_title, in_body in exact:
                tf += w_title * title.count(in_title) + w_body * body.count(in_body)
            total += weight * tf * (K1 + 1) / (tf + norm)
            tf = 0.0
            for in_title, in_body in stemmed:
                tf += w_title_stems * title_stems.count(in_title) + w_body_stems * body_stems.count(in_body)
            total += weight * tf * (K1 + 1) / (tf + norm)
        scored.append((total * PRIORS.get(kind.split(" ", 1)[0][2:], 1.0), rowid))
    scored.sort(reverse=True)
    return [rowid for _, rowid in scored]


_LETTERS = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ"}


def _pattern(token: str) -> str:
    """A regex finding a folded token in printed text, accents and œ included."""
    token = re.escape(token).replace("oe", "\0")
    out = "".join(f"[{_LETTERS[c]}]" if c in _LETTERS else c for c in token)
    return out.replace("\0", "(?:oe|œ)")


def _head(term_token: str, stem: str) -> str:
    """The regex of a word of the query and its inflections: the folded word, or its stem less
    its last letter (Snowball may rewrite the ending: "départementaux" → "departemental")."""
    return f"(?:{_pattern(term_token)}|{_pattern(stem[:-1] if len(stem) > 3 else stem)})\\w*"


# between two words of a phrase: signs, and up to two short (stop) words ("Pas-de-Calais")
_PHRASE_GAP = r"\W+(?:\w{1,3}\W+){0,2}?"


class Highlighter:
    """Finds the words of a query in printed text and cuts a snippet around the first one.

    A regex built from the query finds candidates fast (a word, its stem less one letter, or the
    words of a phrase in a row); each candidate is confirmed by analysing it like the index does.
    """

    def __init__(self, node: Node | None, number: str | None = None, width: int = 240) -> None:
        terms = [] if number else positive_terms(node)
        singles = [t for t in terms if len(t.tokens) == 1]
        self.exact = {term.tokens[0] for term in singles if not term.prefix}
        self.stems = {term.stems[0] for term in singles if not term.prefix}
        self.prefixes = tuple(term.tokens[0] for term in singles if term.prefix)
        self.phrases = {term.stems for term in terms if len(term.tokens) > 1}
        patterns = [_PHRASE_GAP.join(_head(t, s) for t, s in zip(term.tokens, term.stems))
                    for term in terms if len(term.tokens) > 1]
        patterns += sorted((_head(t, t) for t in self.prefixes), key=len, reverse=True)
        patterns += sorted((_head(t, s) for t, s in zip(self.exact, stems(list(self.exact)))), key=len, reverse=True)
        if number:  # an act number is highlighted whole, not as two numbers
            self.exact.add(number)
            patterns.append(re.escape(number).replace("\\-", r"\s*-\s*") + r"(?!\d)")
        self.regex = re.compile(r"\b(?:" + "|".join(patterns) + ")", re.IGNORECASE) if patterns else None
        self.width = width

    def _matches(self, found: str) -> bool:
        tokens = words(found)
        if len(tokens) > 1:
            return tuple(stems(tokens)) in self.phrases or fold(found).replace(" ", "") in self.exact
        if not tokens:
            return False
        word = tokens[0]
        return word in self.exact or word.startswith(self.prefixes or ("\0",)) or stems(tokens)[0] in self.stems

    def snippet(self, text: str) -> list[Fragment]:
        """About `width` characters around the first word of the query, its matches marked
        (within the first 20,000 characters, so that a long act costs no more than a short one)."""
        text = " ".join(text[:20_000].split())
        found: list[re.Match[str]] = []
        start, end = 0, self.width
        for m in self.regex.finditer(text) if self.regex else ():
            if found and m.start() >= end:
                break
            if self._matches(m[0]):
                if not found and m.start() > self.width // 3:
                    start = text.find(" ", m.start() - self.width // 3) + 1
                    end = start + self.width
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
        return [f for f in fragments if f.text]
