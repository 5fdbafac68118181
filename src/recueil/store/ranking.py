"""Ranking and snippets of search hits: the part of search done in Python, the same for every backend.

A backend (store/search.py for SQLite, store/search_pg.py for PostgreSQL) picks the candidates of
a query and reads their analysed columns (the strings of `entries.py`: kind, title words, title
stems, body words, body stems); `score` orders them by BM25F and `Highlighter` cuts the snippet
of each hit shown. Nothing here reads a database, so the hits and their order cannot depend on it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from recueil.store.analysis import ascii_lower, stems, words
from recueil.store.entries import marked
from recueil.store.query import Node, Or, Term

IDF_CAP = 1000
WEIGHTS = (0.0, 8.0, 4.0, 2.0, 1.0)  # kind, title, title_stems, body, body_stems
PRIORS = {"deliberation": 1.25}  # score × prior: the act before its rapport and the debate about it
K1, B = 1.2, 0.75  # BM25's usual saturation and length normalisation
SNIPPET_SPAN = 20_000  # characters of a text a snippet is looked for in: a long act costs no more than a short one


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
    for term in terms:  # a prefix is counted at the start of words, not per completion: one pass, not 64
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


_NON_WORD = re.compile(r"\W")
# Where an act's own words begin, after its heading, roll call and proxies: its first visa,
# "considérant", or the decision itself ("Après en avoir délibéré", "DÉCIDE").
_ACT_OPENING = re.compile(r"^[ \t]*(?:Vu|VU|Considérant|CONSIDÉRANT|Après en avoir délibéré|D[ÉE]CIDE)\b", re.M)
_NON_SPACE = re.compile(r"\S")
# between two words of a phrase: signs, and up to two short (stop) words ("Pas-de-Calais")
_PHRASE_GAP = r"\W+(?:\w{1,3}\W+){0,2}?"


class Highlighter:
    """Finds the words of a query in printed text and cuts a snippet around the first one.

    A regex built from the query finds candidates fast (a word, its stem less one letter, or the
    words of a phrase in a row); each candidate is confirmed by analysing it like the index does.
    A hit's text is long and its snippet short: the spaces of the text are made single only as far
    as the snippet needs, and the regex skips ahead to a possible first letter when it can.
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
        # one pattern without its leading \b, which keeps re from skipping ahead to a possible first
        # letter: a word is found 1.5 times as fast, a number 20 times; not with several patterns
        # or a first "œ" (no single first letter to skip to: slower than `regex`)
        fast = len(patterns) == 1 and not patterns[0].startswith(f"(?:{_pattern('oe')}")
        self._candidates = re.compile(patterns[0], re.IGNORECASE) if fast else None
        self.width = width
        # no match of a word holds a space (those of a phrase or a number may)
        self._within_words = not number and not self.phrases
        self._verdicts: dict[str, bool] = {}  # of `_matches`: a page shows the same few words again and again

    def _matches(self, found: str) -> bool:
        if (verdict := self._verdicts.get(found)) is None:
            verdict = self._verdicts[found] = self._analyse(found)
        return verdict

    def _analyse(self, found: str) -> bool:
        """Whether a candidate is a word of the query, analysed like the index does."""
        tokens = words(found)
        if len(tokens) > 1:
            return tuple(stems(tokens)) in self.phrases or ascii_lower(found).replace(" ", "") in self.exact
        if not tokens:
            return False
        word = tokens[0]
        return word in self.exact or word.startswith(self.prefixes or ("\0",)) or stems(tokens)[0] in self.stems

    def _finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What `regex.finditer(text)` finds (a match is never empty), faster: each match of
        `regex` is a match of `_candidates` at a word boundary; as each starts with a letter or a
        digit, a candidate inside a word means none before that word ends."""
        if self.regex is None or self._candidates is None:
            yield from self.regex.finditer(text) if self.regex else ()
            return
        at = 0
        while (candidate := self._candidates.search(text, at)) is not None:
            match = self.regex.match(text, candidate.start())
            if match is not None:
                yield match
                at = match.end()
            elif (word_end := _NON_WORD.search(text, candidate.start())) is not None:
                at = word_end.start()
            else:
                return

    def snippet(self, text: str) -> list[Fragment]:
        """About `width` characters around the first word of the query, its matches marked
        (within the first `SNIPPET_SPAN` characters); an act's heading and roll call are skipped
        unless the query matches in them (a councillor's name)."""
        text = text[:SNIPPET_SPAN]
        opening = _ACT_OPENING.search(text)
        if opening and opening.start() and not any(self._matches(m[0]) for m in self._finditer(text[:opening.start()])):
            return [Fragment("… "), *self.snippet(text[opening.start():])]
        if self._within_words:
            # the matches of words are the same in the printed text and with its spaces made single
            # (they hold none): where the first is tells how much of the text the snippet needs, made
            # single only up to there (the space after the last word kept: the start of the whole's)
            first = next((m for m in self._finditer(text) if self._matches(m[0])), None)
            cut = text.find(" ", (first.end() if first else 0) + 2 * self.width)
            if cut > 0 and _NON_SPACE.search(text, cut) is not None:
                lead = " ".join(text[:cut].split()) + " "
                found, start, end = self._window(lead)
                if (found or first is None) and end < len(lead):
                    return self._fragments(lead, found, start, end)
        text = " ".join(text.split())
        return self._fragments(text, *self._window(text))

    def _window(self, text: str) -> tuple[list[re.Match[str]], int, int]:
        """The matches of the query in the snippet and its bounds, before it is cut at a space."""
        found: list[re.Match[str]] = []
        start, end = 0, self.width
        for m in self._finditer(text):
            if found and m.start() >= end:
                break
            if self._matches(m[0]):
                if not found and m.start() > self.width // 3:
                    start = text.find(" ", m.start() - self.width // 3) + 1
                    end = start + self.width
                found.append(m)
        return found, start, end

    def _fragments(self, text: str, found: list[re.Match[str]], start: int, end: int) -> list[Fragment]:
        """The snippet: the window cut after a whole word, its matches marked."""
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
