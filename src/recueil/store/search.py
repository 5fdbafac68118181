"""Full-text search of the acts: a small interface, and its SQLite FTS5 implementation.

`SearchIndex` is what the command line and the web layer call; a PostgreSQL backend implements the
same three methods. The entries of a publication and their analysed columns come from
`entries.py` (made in the parse workers when ingesting), their filter values from `facets.py`.
The SQLite index keeps, per searchable record, a row of `search_entries` (what a hit shows, and
the text its snippet is cut from) and a row of the FTS5 table `search_fts` under the same id, plus
the indexed words in `search_terms` (to complete prefixes) and the filter values seen, with their
labels, in `search_facets` (to check a filter and show a facet), all written in the transaction of
the document.

Layout of `search_fts` (tokens come from `analysis.py`; SQLite only splits them on spaces):
  kind                     "__deliberation", "__report"… and the filter markers of the record
                           ("__commune__samer"): type and filters run inside FTS5, as words
  title_stems, body_stems  stems, "_"-marked, "^_" in titles — what FTS5 indexes and matches
  title, body              the folded words ("^"-marked in titles), stored, not indexed: read by
                           the ranking, where a word as typed weighs more than its stem
Titles and bodies have their own vocabularies, so that titles are searched without an FTS5 column
filter (which reads positions). The id (= rowid) is `day << 20 | n`: FTS5 walks hits newest first
and a date range is a rowid range.

Ranking never scores every hit. FTS5's bm25() cannot be used for it: its IDF walks the whole
doclist of every phrase, whatever the LIMIT (about 15 ms a common word at 1M entries). Stage one
in FTS5: the newest `CANDIDATES` hits, and when there are more, the newest `CANDIDATES` of those
holding the query in their title, plus a count that stops at `COUNT_CAP`. Stage two in Python
(`_score`): BM25F over the analysed columns of these candidates, read from the FTS5 content
table. Up to `CANDIDATES` hits — most queries on a few years of one Département — every hit is
ranked; beyond, a strong hit that is neither recent nor titled can be missed. `total` is exact up
to `COUNT_CAP`, a lower bound above it (`total_exact` says which). Facets count the kind column
of the newest `CANDIDATES` hits, read with the candidates: exact up to `CANDIDATES` hits, at no
cost (counting the kinds of `COUNT_CAP` hits, read apart, cost 2 to 7 ms at 1M entries).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.exc import OperationalError

from recueil.model import Publication
from recueil.store import schema
from recueil.store.analysis import fold, stems, words
from recueil.store.entries import Analysed, analyse, marked
from recueil.store.facets import FEMININE, FILTERS, NAMES, check_filters, marker, parse_marker
from recueil.store.query import And, Node, Or, QueryError, Term, act_number, parse_query

TYPES = ("deliberation", "report", "road_order", "decision", "order", "listed_act", "intervention", "motion")
COUNT_CAP = 1000
FACET_VALUES = 100  # values of a facet kept, the most frequent
COMPLETIONS = 64
CANDIDATES = 250
IDF_CAP = 1000
WEIGHTS = (0.0, 8.0, 4.0, 2.0, 1.0)  # kind, title, title_stems, body, body_stems
PRIORS = {"deliberation": 1.25}  # score × prior: the act before its rapport and the debate about it
K1, B = 1.2, 0.75  # BM25's usual saturation and length normalisation
_DAY_BITS = 20
_EPOCH = Date(1800, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Fragment:
    """A piece of a snippet; `match` when it is a word of the query (to highlight)."""

    text: str
    match: bool = False


@dataclass
class Hit:
    type: str
    id: str
    number: str | None
    title: str
    date: str | None
    url: str | None
    snippet: list[Fragment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The API shape; the snippet stays structured so the web layer escapes it."""
        return asdict(self)


@dataclass
class _Ranked:
    total: int
    ids: list[int]
    kinds: list[str]  # the kind column of the hits the facets count (the newest `CANDIDATES`)


@dataclass
class SearchResults:
    """`facets`: per key ("type" and the keys of `facets.FILTERS`), (value, count) pairs, most
    frequent first (`FACET_VALUES` at most), counted over `facet_hits` hits: all of them when it
    equals `total`, else the newest (`CANDIDATES` in SQLite); a value is what its filter takes back."""

    total: int
    results: list[Hit]
    total_exact: bool = True
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facet_hits: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The API shape: `{"total", "total_exact", "results": [...], "facets": {...}, "facet_hits"}`."""
        return asdict(self)


class SearchIndex(Protocol):
    """What any backend offers: index a publication in the caller's transaction, forget a
    document, answer a query (raising `QueryError` with a French reason when it is malformed)."""

    def index(self, publication: Publication, conn: Connection | None = None,
              analysed: Analysed | None = None) -> None: ...

    def remove(self, document_id: str, conn: Connection | None = None) -> None: ...

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0,
               filters: Mapping[str, str] | None = None) -> SearchResults: ...


def url_of(type: str, key: str, act: str | None) -> str | None:
    """Where the web layer shows a record (issue 3's pages)."""
    if type == "deliberation":
        return f"/deliberations/{key}"
    if type == "report":
        return f"/deliberations/{act}#rapport" if act else None
    if type in ("intervention", "motion"):
        sitting, _, anchor = key.partition("/")
        return f"/seances/{sitting}#{anchor}"
    document, _, anchor = key.partition("/")
    return f"/documents/{document}#{anchor}"


def _day(iso: str | None) -> int:
    """Days since 1800 (0 when undated): the high bits of an entry id."""
    if not iso:
        return 0
    try:
        return max(0, (Date.fromisoformat(iso) - _EPOCH).days)
    except ValueError:
        return 0


def _check_date(value: str | None, name: str) -> str | None:
    if value is not None and not (_ISO_DATE.match(value) and _day(value)):
        raise QueryError(f"date {name} invalide : {value} (attendu AAAA-MM-JJ)")
    return value


def _types(type: str | Iterable[str] | None) -> list[str]:
    wanted = [type] if isinstance(type, str) else list(type or [])
    unknown = [t for t in wanted if t not in TYPES]
    if unknown:
        raise QueryError(f"type inconnu : {', '.join(unknown)} (types : {', '.join(TYPES)})")
    return wanted


def _phrase(tokens: Iterable[str], mark: str = "") -> str:
    return '"' + " ".join(mark + t for t in tokens) + '"'


SELECT = ("_", "^_")  # stems, in bodies and titles: what selects hits
IN_TITLES = ("^_",)


def fts_expression(node: Node, marks: tuple[str, ...] = SELECT) -> str:
    """The FTS5 expression of a query tree over the stems of `marks` ("_" bodies, "^_" titles).
    A prefix looks for the stems of the words it completes, or else for the prefix of a stem."""
    if isinstance(node, Term):
        if node.completions:
            found = dict.fromkeys(stems(list(node.completions)))
            return "(" + " OR ".join(_phrase([s], m) for m in marks for s in found) + ")"
        if node.prefix:
            return "(" + " OR ".join(_phrase(node.stems, m) + "*" for m in marks) + ")"
        return "(" + " OR ".join(_phrase(node.stems, m) for m in marks) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(fts_expression(o, marks) for o in node.options) + ")"
    expression = "(" + " AND ".join(fts_expression(i, marks) for i in node.include) + ")"
    if node.exclude:
        expression += " NOT (" + " OR ".join(fts_expression(e) for e in node.exclude) + ")"
    return expression


def complete_prefixes(node: Node, conn: Connection) -> Node:
    """Prefix words replaced by the indexed words they begin (at most `COMPLETIONS`): FTS5 then
    walks their hits lazily, newest first, where a native prefix query merges every hit upfront."""
    if isinstance(node, Or):
        return Or(tuple(complete_prefixes(o, conn) for o in node.options))
    if isinstance(node, And):
        return And(tuple(complete_prefixes(i, conn) for i in node.include),
                   tuple(complete_prefixes(e, conn) for e in node.exclude))
    if not node.prefix or len(node.tokens) > 1:
        return node
    start = node.tokens[0]
    found = conn.exec_driver_sql("SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?",
                                 (start, start[:-1] + chr(ord(start[-1]) + 1), COMPLETIONS + 1)).scalars().all()
    return replace(node, completions=tuple(found)) if 0 < len(found) <= COMPLETIONS else node


def _positive(node: Node | None) -> list[Term]:
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Or):
        return [t for o in node.options for t in _positive(o)]
    return [t for i in node.include for t in _positive(i)]


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
        terms = [] if number else _positive(node)
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


class SqliteSearch:
    """`SearchIndex` over SQLite FTS5 (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                "kind, title UNINDEXED, title_stems, body UNINDEXED, body_stems, "
                "tokenize=\"unicode61 tokenchars '_^'\")"
            )
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID")
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS search_facets (facet TEXT, slug TEXT, "
                                 "label TEXT NOT NULL, PRIMARY KEY (facet, slug)) WITHOUT ROWID")
        self._labels: dict[tuple[str, str], str] = {}  # a value's label never changes once stored

    def index(self, publication: Publication, conn: Connection | None = None,
              analysed: Analysed | None = None) -> None:
        """Index the searchable records of a publication (`analysed`: its entries, when they were
        analysed beforehand, as the parse workers do); call it inside the document's transaction."""
        if conn is None:
            with self.engine.begin() as own:
                return self.index(publication, own, analysed)
        analysed = analysed or analyse(publication)
        if not analysed.entries:
            return
        next_id: dict[int, int] = {}
        ids = []
        for entry in analysed.entries:
            day = _day(entry.date)
            if day not in next_id:
                low = day << _DAY_BITS
                top = conn.exec_driver_sql("SELECT max(id) FROM search_entries WHERE id BETWEEN ? AND ?",
                                           (low, low | (1 << _DAY_BITS) - 1)).scalar()
                next_id[day] = (top if top is not None else low - 1) + 1
            ids.append(next_id[day])
            next_id[day] += 1
        # driver-level inserts: this runs inside every ingest
        conn.exec_driver_sql("INSERT INTO search_entries(id, document_id, type, key, number, act, title, date, text) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(i, e.document_id, e.type, e.key, e.number, e.act, e.title, e.date, e.text)
                              for i, e in zip(ids, analysed.entries)])
        conn.exec_driver_sql("INSERT INTO search_fts(rowid, kind, title, title_stems, body, body_stems) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             [(i, e.kind, e.title_words, e.title_stems, e.body_words, e.body_stems)
                              for i, e in zip(ids, analysed.entries)])
        conn.exec_driver_sql("INSERT OR IGNORE INTO search_terms VALUES (?)", [(w,) for w in analysed.vocabulary])
        values = {(key, value_slug, label) for e in analysed.entries for key, found in e.values.items()
                  for value_slug, label in found.items()}
        if values:
            conn.exec_driver_sql("INSERT OR IGNORE INTO search_facets VALUES (?, ?, ?)", sorted(values))

    def remove(self, document_id: str, conn: Connection | None = None) -> None:
        """Forget every entry of a document (before its records are replaced)."""
        if conn is None:
            with self.engine.begin() as own:
                return self.remove(document_id, own)
        conn.execute(text("DELETE FROM search_fts WHERE rowid IN "
                          "(SELECT id FROM search_entries WHERE document_id = :d)"), {"d": document_id})
        conn.execute(delete(schema.search_entries).where(schema.search_entries.c.document_id == document_id))

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0,
               filters: Mapping[str, str] | None = None) -> SearchResults:
        """Records matching `query` and the filters, best first, with their facets (see the module
        docstring); an empty query lists the records of a type or filter, newest first."""
        types = _types(type)
        wanted = check_filters(filters)
        if limit < 1 or offset < 0:
            raise QueryError("le nombre de résultats doit être positif et le décalage ne peut pas être négatif")
        dated = date_from or date_to
        low = _day(_check_date(date_from, "de début")) << _DAY_BITS if date_from else (1 << _DAY_BITS if dated else 0)
        high = ((_day(_check_date(date_to, "de fin")) + 1) << _DAY_BITS) - 1 if date_to else 1 << 62
        number = act_number(query)
        node = parse_query(f'"{number}"' if number else query) if query.strip() or not (types or wanted) else None
        restrict = " AND ".join(([f"({' OR '.join(_phrase(['__' + t]) for t in types)})"] if types else [])
                                + [_phrase([marker(key, value)]) for key, value in wanted.items()])
        with self.engine.connect() as conn:
            self._check_values(conn, wanted, filters or {})
            try:
                node = complete_prefixes(node, conn) if node else None
                direct = self._direct(conn, number, types, restrict if wanted else "", low, high) if number else []
                shown = min(limit, max(0, len(direct) - offset))  # direct hits on this page
                hits = self._ranked(conn, node, restrict, direct, low, high, limit - shown,
                                    max(0, offset - len(direct)))
            except OperationalError as error:
                if "fts5" not in str(error.orig):
                    raise
                raise QueryError(f"requête illisible : {query}") from error  # let through by the parser
            ids = direct[offset:offset + limit] + hits.ids
            found = {row.id: row for row in conn.execute(
                select(schema.search_entries).where(schema.search_entries.c.id.in_(ids)))}
            kinds = hits.kinds + (self._kinds(conn, direct) if direct else [])
            facets = self._facets(conn, kinds)
        highlighter = Highlighter(node, number)
        results = [Hit(r.type, r.key, r.number, r.title, r.date, url_of(r.type, r.key, r.act),
                       highlighter.snippet(r.text or r.title)) for r in (found[i] for i in ids)]
        return SearchResults(len(direct) + hits.total, results, total_exact=hits.total <= COUNT_CAP, facets=facets,
                             facet_hits=len(kinds))

    def _ranked(self, conn: Connection, node: Node | None, restrict: str, direct: list[int], low: int, high: int,
                limit: int, offset: int) -> _Ranked:
        """Stage one in FTS5 (the newest candidates, the newest title hits, a count that stops at
        `COUNT_CAP` + 1), stage two in `_score`; the kinds of the newest `CANDIDATES` for the facets.
        Driver-level SQL: this is the hot path."""
        newest = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
        if direct:
            newest += f" AND rowid NOT IN ({','.join(map(str, direct))})"
        query = " AND ".join(x for x in (fts_expression(node) if node else "", restrict) if x)
        wanted = -(-(offset + limit) // CANDIDATES) * CANDIDATES  # whole blocks: pages do not reshuffle
        candidates = conn.exec_driver_sql(f"{newest} ORDER BY rowid DESC LIMIT ?",
                                          (query, low, high, wanted)).scalars().all()
        faceted = set(candidates[:CANDIDATES])  # the newest: the hits the facets count
        total = len(candidates)
        if total == wanted:  # more hits than candidates: count them, and add the newest title hits
            total = conn.exec_driver_sql(f"SELECT count(*) FROM ({newest} LIMIT ?)",
                                         (query, low, high, COUNT_CAP + 1)).scalar_one()
            if node:
                in_titles = " AND ".join(x for x in (fts_expression(node, IN_TITLES), restrict) if x)  # implies it
                candidates = sorted({*candidates, *conn.exec_driver_sql(f"{newest} ORDER BY rowid DESC LIMIT ?",
                                                                        (in_titles, low, high, wanted)).scalars()})
        rows = conn.exec_driver_sql(  # the FTS5 content table: the analysed columns, read without FTS5
            f"SELECT id, c0, c1, c2, c3, c4 FROM search_fts_content WHERE id IN ({','.join(map(str, candidates))})"
        ).fetchall()
        kinds = [row[1] for row in rows if row[0] in faceted]
        if not limit or offset >= total:
            return _Ranked(total, [], kinds)
        terms = _positive(node)
        rarity = [_idf(total if node == term and not restrict else self._count(conn, fts_expression(term)))
                  for term in terms]
        ranked = _score(rows, terms, rarity)
        return _Ranked(total, ranked[offset:offset + limit], kinds)

    @staticmethod
    def _kinds(conn: Connection, ids: list[int]) -> list[str]:
        return conn.exec_driver_sql(
            f"SELECT c0 FROM search_fts_content WHERE id IN ({','.join(map(str, ids))})").scalars().all()

    def _facets(self, conn: Connection, kinds: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        """Type and filter values of the hits whose kind column is given: the `FACET_VALUES` most
        frequent of each key, by their label (as first printed), most frequent first."""
        counts: dict[str, dict[str, int]] = {}
        for token, n in Counter(" ".join(kinds).split()).items():  # each distinct token split once
            key, value = parse_marker(token) or ("type", token[2:])
            counts.setdefault(key, {})[value] = n
        facets: dict[str, list[tuple[str, int]]] = {}
        for key in ("type", *FILTERS):
            if key not in counts:
                continue
            top = sorted(counts[key].items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]
            labels = self._labels_of(conn, key, [value for value, _ in top])
            facets[key] = sorted(((labels[value], n) for value, n in top), key=lambda item: (-item[1], item[0]))
        return facets

    def _labels_of(self, conn: Connection, key: str, values: list[str]) -> dict[str, str]:
        """Labels of the values of a key: codes as they are; the others from `search_facets`."""
        if key in ("type", "body", "vote"):
            return {value: value for value in values}
        if key == "sitting":
            return {value: value.replace("_", "-") for value in values}
        missing = [value for value in values if (key, value) not in self._labels]
        if missing:
            found = conn.exec_driver_sql(f"SELECT slug, label FROM search_facets WHERE facet = ? AND slug IN "
                                         f"({','.join('?' * len(missing))})", (key, *missing)).fetchall()
            if len(self._labels) > 100_000:
                self._labels.clear()
            self._labels.update(((key, value), label) for value, label in found)
        return {value: self._labels.get((key, value), value) for value in values}

    @staticmethod
    def _check_values(conn: Connection, wanted: dict[str, str], asked: Mapping[str, str]) -> None:
        """A filter on a value the store has never seen is a mistake (a misspelt commune…): say so."""
        for key, value in wanted.items():
            if key in ("body", "vote"):
                continue
            known = conn.exec_driver_sql("SELECT 1 FROM search_facets WHERE facet = ? AND slug = ?",
                                         (key, value)).first()
            if known is None:
                raise QueryError(f"{NAMES[key]} inconnu{'e' if key in FEMININE else ''} : {asked[key]}")

    @staticmethod
    def _count(conn: Connection, expression: str) -> int:
        """Hits of an FTS5 expression in the whole index, up to `IDF_CAP`."""
        return int(conn.exec_driver_sql("SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
                                        "LIMIT ?)", (expression, IDF_CAP)).scalar_one())

    def _direct(self, conn: Connection, number: str, types: list[str], restrict: str, low: int,
                high: int) -> list[int]:
        """Entries of the act with this number (the deliberation, then its rapport), within the
        filters of `restrict` (an FTS5 expression) when there are any."""
        table = schema.search_entries
        query = (select(table.c.id).where(table.c.act == number, table.c.id.between(low, high))
                 .order_by(table.c.type != "deliberation", table.c.id))
        if types:
            query = query.where(table.c.type.in_(types))
        found = list(conn.execute(query).scalars())
        if found and restrict:
            kept = set(conn.exec_driver_sql(f"SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid IN "
                                            f"({','.join(map(str, found))})", (restrict,)).scalars())
            found = [i for i in found if i in kept]
        return found


def _idf(hits: int) -> float:
    """BM25's inverse document frequency, with hits counted up to `IDF_CAP` (the index is not
    counted either): words more frequent than that all weigh the same, the least there is."""
    return math.log(1 + IDF_CAP / (min(hits, IDF_CAP) + 0.5))


def _score(rows: Sequence[Any], terms: list[Term], rarity: list[float]) -> list[int]:
    """Candidate ids, best first, by BM25F: each term's occurrences counted in the analysed columns,
    titles weighted above bodies, saturated by document length; exact words and stems are saturated
    apart, so that an exact match adds to a stemmed one; the deliberation prior on top, and the
    newest first among equals."""
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
        score = 0.0
        for (exact, stemmed), idf in zip(patterns, rarity):
            tf = 0.0
            for in_title, in_body in exact:
                tf += w_title * title.count(in_title) + w_body * body.count(in_body)
            score += idf * tf * (K1 + 1) / (tf + norm)
            tf = 0.0
            for in_title, in_body in stemmed:
                tf += w_title_stems * title_stems.count(in_title) + w_body_stems * body_stems.count(in_body)
            score += idf * tf * (K1 + 1) / (tf + norm)
        scored.append((score * PRIORS.get(kind.split(" ", 1)[0][2:], 1.0), rowid))
    scored.sort(reverse=True)
    return [rowid for _, rowid in scored]


def search_index(engine: Engine) -> SearchIndex | None:
    """The search index of a store: FTS5 on SQLite, tsvector on PostgreSQL, none elsewhere."""
    if engine.dialect.name == "postgresql":
        from recueil.store.search_pg import PostgresSearch  # it builds on this module

        return PostgresSearch(engine)
    return SqliteSearch(engine) if engine.dialect.name == "sqlite" else None
