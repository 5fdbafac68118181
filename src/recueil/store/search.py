"""Full-text search of the acts: the interface, the search flow every backend shares, and SQLite's.

Three modules, one flow:
- here: `SearchIndex` (what the command line and the web layer call), `IndexedSearch` (the steps
  that are the same on any database: parse the query, the act-number shortcut, check the filters,
  pick the candidates, score them, count the facets, cut the page, build the hits), and
  `SqliteSearch`, its FTS5 backend;
- store/search_pg.py: `PostgresSearch`, the same flow over tsvector and GIN;
- store/ranking.py: BM25F scoring and snippets, in Python, so hits and their order are the same
  whatever the database.
A backend gives its query `Syntax` (operators, how a phrase of stems and a marker are written: the
query tree and the type/filter markers are translated by `query_text` and `restriction`) and the
database steps `IndexedSearch` declares abstract: write and forget the entries of a document, find
the newest hits (ids), count hits, keep the ids a query matches, read the kind and the analysed
columns of given ids.
The entries of a publication and their analysed columns come from `entries.py` (made in the parse
workers when ingesting), their filter values from `facets.py`.

Both backends keep, per searchable record, a row of `search_entries` (what a hit shows, and the
text its snippet is cut from) under an id `day << 20 | n` (the newest first is the highest id, a
date range an id range), the indexed words in `search_terms` (to complete prefixes) and the filter
values seen, with their labels, in `search_facets` (to check a filter and show a facet), all
written in the transaction of the document. SQLite adds a row of the FTS5 table `search_fts`:
  kind                     "__deliberation", "__report"… and the filter markers of the record
                           ("__commune__samer"): type and filters run inside FTS5, as words
  title_stems, body_stems  stems, "_"-marked, "^_" in titles — what FTS5 indexes and matches
  title, body              the folded words ("^"-marked in titles), stored, not indexed: read by
                           the ranking, where a word as typed weighs more than its stem
(tokens come from `analysis.py`; SQLite only splits them on spaces). Titles and bodies have their
own vocabularies, so that titles are searched without an FTS5 column filter (which reads positions).

Ranking never scores every hit. FTS5's bm25() cannot be used for it: its IDF walks the whole
doclist of every phrase, whatever the LIMIT (about 15 ms a common word at 1M entries). Stage one
in the database: the newest `CANDIDATES` hits, and when there are more, the newest `CANDIDATES` of
those holding the query in their title, plus a count that stops at `COUNT_CAP`. Stage two in
Python (`ranking.score`): BM25F over the analysed columns of these candidates. Up to `CANDIDATES`
hits — most queries on a few years of one Département — every hit is ranked; beyond, a strong hit
that is neither recent nor titled can be missed. `total` is exact up to `COUNT_CAP`, a lower bound
above it (`total_exact` says which). Facets count the kind column of the newest `CANDIDATES` hits,
read with the candidates: exact up to `CANDIDATES` hits, at no cost (counting the kinds of
`COUNT_CAP` hits, read apart, cost 2 to 7 ms at 1M entries).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, text

from recueil.model import Publication
from recueil.store import schema
from recueil.store.analysis import stems
from recueil.store.entries import Analysed, analyse
from recueil.store.facets import FEMININE, FILTERS, NAMES, check_filters, marker, parse_marker
from recueil.store.query import And, Node, NothingToSearch, Or, QueryError, Term, act_number, parse_query
from recueil.store.ranking import SNIPPET_SPAN, Fragment, Highlighter, idf, positive_terms, score
from recueil.urls import record_url
from recueil.vocabulary import SEARCH_TYPES

COUNT_CAP = 1000
FACET_VALUES = 100  # values of a facet kept, the most frequent
COMPLETIONS = 64
MAX_WORDS = 64  # words of the index a query may read, prefixes counted by their completions (`complete_prefixes`)
MAX_EXCLUDED = 4  # of those, words excluded (NOT, SAUF, -): when they exclude most hits, each is read to its end
CANDIDATES = 250
SORTS = ("", "-date", "date")  # relevance, newest first, oldest first
DAY_BITS = 20  # the low bits of an entry id: its rank among the entries of its day
SELECT = ("_", "^_")  # stems, in bodies and titles: what selects hits
IN_TITLES = ("^_",)
_EPOCH = Date(1800, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KNOWN = text("SELECT 1 FROM search_facets WHERE facet = :facet AND slug = :slug")
_VALUES = text("SELECT facet, label FROM search_facets ORDER BY facet, label")
_LABELS = text("SELECT slug, label FROM search_facets WHERE facet = :facet AND slug IN :slugs").bindparams(
    bindparam("slugs", expanding=True))
_ENTRIES = schema.search_entries
# the entries a page shows, their texts cut to what a snippet looks at (an act can be 600 KB)
_PAGE = select(_ENTRIES.c.id, _ENTRIES.c.type, _ENTRIES.c.key, _ENTRIES.c.number, _ENTRIES.c.act, _ENTRIES.c.title,
               _ENTRIES.c.date, func.substr(_ENTRIES.c.text, 1, SNIPPET_SPAN).label("text")).where(
    _ENTRIES.c.id.in_(bindparam("ids", expanding=True)))
_TERMS = text("SELECT term FROM search_terms WHERE term >= :start AND term < :end ORDER BY term LIMIT :n")


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
    equals `total`, else the newest `CANDIDATES`; a value is what its filter takes back."""

    total: int
    results: list[Hit]
    total_exact: bool = True
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facet_hits: int = 0
    notice: str | None = None  # why nothing was searched (a query of stop words only)

    def to_dict(self) -> dict[str, Any]:
        """The API shape: `{"total", "total_exact", "results": [...], "facets": {...}, "facet_hits",
        "notice"}`."""
        return asdict(self)


class SearchIndex(Protocol):
    """What any backend offers: index a publication in the caller's transaction, forget a
    document, answer a query (raising `QueryError` with a French reason when it is malformed)."""

    def index(self, publication: Publication, conn: Connection | None = None,
              analysed: Analysed | None = None) -> None: ...

    def remove(self, document_id: str, conn: Connection | None = None) -> None: ...

    tables: tuple[str, ...]  # what `create` makes: a store that has them all is ready

    def create(self, conn: Connection) -> None: ...

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0,
               filters: Mapping[str, str] | None = None, sort: str = "") -> SearchResults: ...

    def among(self, ids: Sequence[int], query: str, type: str | Iterable[str] | None = None,
              date_from: str | None = None, date_to: str | None = None,
              filters: Mapping[str, str] | None = None) -> list[Hit]: ...

    def known_values(self) -> dict[str, list[str]]: ...


def day(iso: str | None) -> int:
    """Days since 1800 (0 when undated): the high bits of an entry id."""
    if not iso:
        return 0
    try:
        return max(0, (Date.fromisoformat(iso) - _EPOCH).days)
    except ValueError:
        return 0


def _check_date(value: str | None, name: str) -> str | None:
    """`value` when it is a date (one before 1800 stands for the first dated day)."""
    if value is not None:
        try:
            Date.fromisoformat(value if _ISO_DATE.match(value) else "")
        except ValueError:
            raise QueryError(f"date {name} invalide : {value} (attendu AAAA-MM-JJ)") from None
    return value


def _types(type: str | Iterable[str] | None) -> list[str]:
    wanted = [type] if isinstance(type, str) else list(type or [])
    unknown = [t for t in wanted if t not in SEARCH_TYPES]
    if unknown:
        raise QueryError(f"type inconnu : {', '.join(unknown)} (types : {', '.join(SEARCH_TYPES)})")
    return wanted


def facet_values(analysed: Analysed) -> list[tuple[str, str, str]]:
    """The (key, value, label) filter values of analysed entries, for `search_facets` (where the
    first label stored of a value stays)."""
    return sorted({(key, value, label) for e in analysed.entries for key, found in e.values.items()
                   for value, label in found.items()})


def complete_prefixes(node: Node, conn: Connection) -> Node:
    """Prefix words replaced by the indexed words they begin: the index then walks their hits
    lazily, newest first, where a native prefix query merges every hit upfront (a prefix of a
    phrase stays native, its words counted all the same).

    Raises QueryError for a prefix that begins more than `COMPLETIONS` words, and when the query
    would read more than `MAX_WORDS` words of the index (each word of a term, each word a prefix
    begins), or more than `MAX_EXCLUDED` to exclude: every one is a list of hits the database walks,
    and the cost of a search grows with their number (a 3-letter prefix of 90 words, merged
    natively, cost 220 to 360 ms at 1M acts; "departement -dep*", 41 words excluded, 120 ms)."""
    searched = excluded = 0

    def complete(node: Node, negated: bool) -> Node:
        nonlocal searched, excluded
        if isinstance(node, Or):
            return Or(tuple(complete(o, negated) for o in node.options))
        if isinstance(node, And):
            return And(tuple(complete(i, negated) for i in node.include), tuple(complete(e, True) for e in node.exclude))
        found: Sequence[str] = ()
        if node.prefix:
            start = node.tokens[-1]
            found = conn.execute(_TERMS, {"start": start, "end": start[:-1] + chr(ord(start[-1]) + 1),
                                          "n": COMPLETIONS + 1}).scalars().all()
            if len(found) > COMPLETIONS:
                raise QueryError(f"préfixe trop large : {start}* commence plus de {COMPLETIONS} mots "
                                 "(ajoutez des lettres)")
        read = len(node.tokens) - node.prefix + len(found)
        searched += read
        excluded += read if negated else 0
        if searched > MAX_WORDS:
            raise QueryError(f"requête trop large : plus de {MAX_WORDS} mots de l'index à lire (un préfixe compte "
                             "chacun des mots qu'il commence) ; retirez des termes ou allongez les préfixes")
        if excluded > MAX_EXCLUDED:
            raise QueryError(f"trop d'exclusions : au plus {MAX_EXCLUDED} mots exclus (un préfixe compte chacun des "
                             "mots qu'il commence)")
        return replace(node, completions=tuple(found)) if found and len(node.tokens) == 1 else node

    return complete(node, False)


@dataclass(frozen=True)
class Syntax:
    """How a backend writes a query over its index: its operators, a marker word, and a phrase of
    marked stems (`prefix`: its last stem may go on)."""

    or_: str
    and_: str
    and_not: str  # between what is kept and what is excluded
    word: Callable[[str], str]
    phrase: Callable[[Sequence[str], str, bool], str]


def query_text(node: Node, syntax: Syntax, marks: tuple[str, ...] = SELECT) -> str:
    """A query tree over the stems of `marks` ("_" bodies, "^_" titles), in a backend's syntax.
    A prefix looks for the stems of the words it completes, or else for the prefix of a stem."""
    if isinstance(node, Term):
        if node.completions:
            found = dict.fromkeys(stems(list(node.completions)))
            return "(" + syntax.or_.join(syntax.phrase([s], m, False) for m in marks for s in found) + ")"
        return "(" + syntax.or_.join(syntax.phrase(node.stems, m, node.prefix) for m in marks) + ")"
    if isinstance(node, Or):
        return "(" + syntax.or_.join(query_text(o, syntax, marks) for o in node.options) + ")"
    written = "(" + syntax.and_.join(query_text(i, syntax, marks) for i in node.include) + ")"
    if node.exclude:
        written += syntax.and_not + "(" + syntax.or_.join(query_text(e, syntax) for e in node.exclude) + ")"
    return written


def restriction(types: list[str], wanted: dict[str, str], syntax: Syntax) -> str:
    """The query of the types (any) and filter values (all) asked, "" when there are none: the
    markers of the kind column."""
    return syntax.and_.join(([f"({syntax.or_.join(syntax.word('__' + t) for t in types)})"] if types else [])
                            + [syntax.word(marker(key, value)) for key, value in wanted.items()])


class IndexedSearch(ABC):
    """The search flow of every backend (see the module docstring); a subclass gives the database
    steps, declared abstract below, and its `syntax`, in which `query` and `restrict` are written."""

    syntax: Syntax

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._labels: dict[tuple[str, str], str] = {}  # a value's label never changes once stored

    def index(self, publication: Publication, conn: Connection | None = None,
              analysed: Analysed | None = None) -> None:
        """Index the searchable records of a publication (`analysed`: its entries, when they were
        analysed beforehand, as the parse workers do); call it inside the document's transaction."""
        if conn is None:
            with self.engine.begin() as own:
                return self.index(publication, own, analysed)
        analysed = analysed or analyse(publication)
        if analysed.entries:
            self._write(conn, analysed)

    def remove(self, document_id: str, conn: Connection | None = None) -> None:
        """Forget every entry of a document (before its records are replaced)."""
        if conn is None:
            with self.engine.begin() as own:
                return self.remove(document_id, own)
        self._forget(conn, document_id)
        conn.execute(delete(schema.search_entries).where(schema.search_entries.c.document_id == document_id))

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0,
               filters: Mapping[str, str] | None = None, sort: str = "") -> SearchResults:
        """Records matching `query` and the filters, best first, with their facets (see the module
        docstring); an empty query lists the records of a type or filter, newest first, and with
        neither every record, newest first. `sort`: "-date" for the newest first, "date" the oldest
        first (the undated left out of both)."""
        types = _types(type)
        wanted = check_filters(filters)
        if not query.strip() and not types and not wanted:
            types = list(SEARCH_TYPES)
        if limit < 1 or offset < 0:
            raise QueryError("le nombre de résultats doit être positif et le décalage ne peut pas être négatif")
        if sort not in SORTS:
            raise QueryError(f"tri invalide : {sort} (attendu : {' ou '.join(s for s in SORTS if s)}, ou rien pour "
                             "la pertinence)")
        if date_from and date_to and _check_date(date_from, "de début") and _check_date(date_to, "de fin") \
                and date_from > date_to:  # said, not refused: nothing can match
            return SearchResults(0, [], notice=f"période inversée : du {date_from} au {date_to} (la date de début "
                                               "doit précéder celle de fin)")
        dated = date_from or date_to or sort
        low = max(1, day(_check_date(date_from, "de début"))) << DAY_BITS if date_from else (1 << DAY_BITS if dated else 0)
        high = ((day(_check_date(date_to, "de fin")) + 1) << DAY_BITS) - 1 if date_to else 1 << 62
        number = act_number(query)
        try:
            node, nothing = parse_query(f'"{number}"' if number else query) if query.strip() else None, None
        except NothingToSearch as said:  # as a search engine answers a query of stop words: no hit
            node, nothing = None, str(said)
        restrict = restriction(types, wanted, self.syntax)
        with self._connect(query) as conn:
            _check_values(conn, wanted, filters or {})
            if nothing:
                return SearchResults(0, [], notice=nothing)
            node = complete_prefixes(node, conn) if node else None
            direct = self._direct(conn, number, types, restrict if wanted else "", low, high) if number else []
            shown = min(limit, max(0, len(direct) - offset))  # direct hits on this page
            hits = self._ranked(conn, node, restrict, direct, low, high, limit - shown, max(0, offset - len(direct)),
                                sort)
            ids = direct[offset:offset + limit] + hits.ids
            found = {row.id: row for row in conn.execute(_PAGE, {"ids": ids})}
            kinds = hits.kinds + (self._kinds(conn, direct) if direct else [])
            facets = self._facets(conn, kinds)
        highlighter = Highlighter(node, number)
        results = [Hit(r.type, r.key, r.number, r.title, r.date, record_url(r.type, r.key, r.act),
                       highlighter.snippet(r.text or r.title)) for r in (found[i] for i in ids)]
        return SearchResults(len(direct) + hits.total, results, total_exact=hits.total <= COUNT_CAP, facets=facets,
                             facet_hits=len(kinds))

    def among(self, ids: Sequence[int], query: str, type: str | Iterable[str] | None = None,
              date_from: str | None = None, date_to: str | None = None,
              filters: Mapping[str, str] | None = None) -> list[Hit]:
        """Those of the entries `ids` that `search` finds with the same arguments, newest first:
        what a saved search finds among the entries of newly stored documents (store/alerts.py)."""
        types = _types(type)
        wanted = check_filters(filters)
        low = max(1, day(_check_date(date_from, "de début"))) << DAY_BITS if date_from else (
            1 << DAY_BITS if date_to else 0)  # as `search`: a date range leaves out the undated
        high = ((day(_check_date(date_to, "de fin")) + 1) << DAY_BITS) - 1 if date_to else 1 << 62
        number = act_number(query)
        node = parse_query(f'"{number}"' if number else query) if query.strip() or not (types or wanted) else None
        restrict = restriction(types, wanted, self.syntax)
        kept: set[int] = set()
        with self._connect(query) as conn:
            _check_values(conn, wanted, filters or {})
            node = complete_prefixes(node, conn) if node else None
            searched = self.syntax.and_.join(x for x in (query_text(node, self.syntax) if node else "", restrict) if x)
            within = sorted(i for i in set(ids) if low <= i <= high)
            for start in range(0, len(within), 500):
                chunk = within[start:start + 500]
                kept |= self._matching(conn, searched, chunk)
                if number:
                    direct = self._direct(conn, number, types, restrict if wanted else "", chunk[0], chunk[-1])
                    kept |= set(direct) & set(chunk)
            found = {row.id: row for row in conn.execute(_PAGE, {"ids": sorted(kept)})}
        highlighter = Highlighter(node, number)
        return [Hit(r.type, r.key, r.number, r.title, r.date, record_url(r.type, r.key, r.act),
                    highlighter.snippet(r.text or r.title)) for r in (found[i] for i in sorted(found, reverse=True))]

    def known_values(self) -> dict[str, list[str]]:
        """The label of every value the store has seen, per filter: what a filter may name (any
        other value is refused by `search`, but for the assemblies and vote patterns, fixed)."""
        found: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for facet, label in conn.execute(_VALUES):
                found.setdefault(facet, []).append(label)
        return found

    def _ranked(self, conn: Connection, node: Node | None, restrict: str, direct: list[int], low: int, high: int,
                limit: int, offset: int, sort: str = "") -> _Ranked:
        """Stage one in the database (the newest candidates, the newest title hits, a count that
        stops at `COUNT_CAP` + 1), stage two in `ranking.score`; the kinds of the newest
        `CANDIDATES` for the facets, taken from the rows read to score when there are any."""
        both = self.syntax.and_
        query = both.join(x for x in (query_text(node, self.syntax) if node else "", restrict) if x)
        wanted = -(-(offset + limit) // CANDIDATES) * CANDIDATES  # whole blocks: pages do not reshuffle
        deep = wanted > CANDIDATES  # a deep page: its hits read up to the count's cap, not walked twice
        found = self._newest(conn, query, direct, low, high, max(wanted, COUNT_CAP + 1) if deep else wanted)
        newest = found[:wanted]
        candidates, total = newest, len(newest)
        if total == wanted:  # more hits than candidates: count them, and add the newest title hits
            total = (min(len(found), COUNT_CAP + 1) if deep
                     else self._count(conn, query, direct, low, high, COUNT_CAP + 1))
            if node:
                in_titles = both.join(x for x in (query_text(node, self.syntax, IN_TITLES), restrict) if x)  # implies it
                candidates = sorted({*candidates, *self._newest(conn, in_titles, direct, low, high, wanted)})
        faceted = newest[:CANDIDATES]  # the newest: the hits the facets count
        if not limit or offset >= total:
            return _Ranked(total, [], self._kinds(conn, faceted) if faceted else [])
        if sort:  # by date: the hits in the order of their ids, which begin with their day
            ordered = self._by_id(conn, query, direct, low, high, offset + limit, sort == "date")
            return _Ranked(total, ordered[offset:offset + limit], self._kinds(conn, faceted))
        rows = self._analysed(conn, candidates)
        counted = set(faceted)
        terms = positive_terms(node)
        rarity = [idf(total if node == term and not restrict else self._term_hits(conn, term)) for term in terms]
        return _Ranked(total, score(rows, terms, rarity)[offset:offset + limit],
                       [row[1] for row in rows if row[0] in counted])

    def _direct(self, conn: Connection, number: str, types: list[str], restrict: str, low: int,
                high: int) -> list[int]:
        """Entries of the act with this number (the deliberation, then its rapport), within the
        filters of `restrict` when there are any."""
        table = schema.search_entries
        query = (select(table.c.id).where(table.c.act == number, table.c.id.between(low, high))
                 .order_by(table.c.type != "deliberation", table.c.id))
        if types:
            query = query.where(table.c.type.in_(types))
        found = list(conn.execute(query).scalars())
        if found and restrict:
            kept = self._matching(conn, restrict, found)
            found = [i for i in found if i in kept]
        return found

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
            found = conn.execute(_LABELS, {"facet": key, "slugs": missing}).all()
            if len(self._labels) > 100_000:
                self._labels.clear()
            self._labels.update(((key, value), label) for value, label in found)
        return {value: self._labels.get((key, value), value) for value in values}

    @abstractmethod
    def _write(self, conn: Connection, analysed: Analysed) -> None:
        """Store the entries of a publication (at least one): `search_entries`, the backend's
        index, `search_terms` and `search_facets`."""

    @abstractmethod
    def _forget(self, conn: Connection, document_id: str) -> None:
        """Drop the backend's index rows of a document (its `search_entries` rows still there)."""

    @abstractmethod
    def _connect(self, query: str) -> AbstractContextManager[Connection]:
        """A connection for one search (a context manager); SQLite's also turns FTS5's complaints
        about the query into a `QueryError`."""

    @abstractmethod
    def _newest(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int) -> list[int]:
        """The ids of the `needed` newest hits of `query` between ids `low` and `high`, but `direct`."""

    @abstractmethod
    def _by_id(self, conn: Connection, query: str, direct: list[int], low: int, high: int, needed: int,
               oldest: bool) -> list[int]:
        """The ids of the first `needed` hits of `query` between ids `low` and `high`, but `direct`,
        oldest or newest first, read by id (no ranking)."""

    @abstractmethod
    def _count(self, conn: Connection, query: str, direct: list[int], low: int, high: int, cap: int) -> int:
        """The hits of `query` between ids `low` and `high`, but `direct`, counted up to `cap`."""

    @abstractmethod
    def _term_hits(self, conn: Connection, term: Term) -> int:
        """Hits of a term in the whole index, up to `IDF_CAP` (for its rarity)."""

    @abstractmethod
    def _matching(self, conn: Connection, query: str, ids: list[int]) -> set[int]:
        """Those of `ids` that `query` matches."""

    @abstractmethod
    def _kinds(self, conn: Connection, ids: list[int]) -> list[str]:
        """The kind column of entries (type and filter markers)."""

    @abstractmethod
    def _analysed(self, conn: Connection, ids: list[int]) -> Sequence[Any]:
        """Rows (id, kind, title words, title stems, body words, body stems) of entries, to score."""


def _check_values(conn: Connection, wanted: dict[str, str], asked: Mapping[str, str]) -> None:
    """A filter on a value the store has never seen is a mistake (a misspelt commune…): say so."""
    for key, value in wanted.items():
        if key in ("body", "vote"):
            continue
        if conn.execute(_KNOWN, {"facet": key, "slug": value}).first() is None:
            raise QueryError(f"{NAMES[key]} inconnu{'e' if key in FEMININE else ''} : {asked[key]}")
