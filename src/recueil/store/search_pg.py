"""Full-text search on PostgreSQL: the `SearchIndex` of store/search.py over tsvector and GIN.

Same analysis, same query language, filters, facets and ranking as the SQLite index, so that a
store answers the same whatever its database. Per searchable record, a row of `search_entries`
(shared with SQLite), of `search_vectors` and of `search_texts`, under the same id (`day << 20 |
n`: the newest first is the highest id, a date range an id range), plus the indexed words in
`search_terms` (to complete prefixes) and the labels of filter values in `search_facets`, all
written in the transaction of the document.

`search_vectors` holds the kind column (type and filter markers, "__deliberation __commune__samer")
and `vector`, the tsvector of the tokens FTS5 indexes, given as a literal (no PostgreSQL dictionary
or parser touches them; 'simple' would re-split them): the markers without positions, then the
"^_"-marked title stems and the "_"-marked body stems in order. Its rows stay small and whole in
the table, so that testing a tsvector reads no TOAST. `search_texts` holds the analysed strings of
store/entries.py, read by the same BM25F (`search._score`) over the same candidates. A query term
is a tsquery phrase (`<->`) of marked stems, `:*` for a prefix, its title and body forms OR-ed as
in `search.fts_expression`; AND/OR/NOT are `&`, `|`, `!`. The hits and their order are SQLite's;
only the way to the newest hits differs (`_newest`).

Limits of tsvector, on bodies of a size no act reaches: positions stop at 16,383 (a stem seen only
beyond still matches as a word, not in a phrase), 256 positions are kept per stem, and a "word" of
more than 2,046 bytes (a run of digits, never a word) is not indexed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, select, text

from recueil.model import Publication
from recueil.store import schema
from recueil.store import search as base
from recueil.store.analysis import stems
from recueil.store.entries import Analysed, Entry, analyse
from recueil.store.facets import FEMININE, FILTERS, NAMES, check_filters, marker, parse_marker
from recueil.store.query import And, Node, Or, QueryError, Term, act_number, parse_query
from recueil.store.search import (
    COMPLETIONS,
    FACET_VALUES,
    IDF_CAP,
    IN_TITLES,
    SELECT,
    Highlighter,
    Hit,
    SearchResults,
    _check_date,
    _day,
    _DAY_BITS,
    _idf,
    _positive,
    _Ranked,
    _score,
    _types,
    url_of,
)

MAX_POSITION = 16383  # tsvector's
MAX_POSITIONS = 256  # per lexeme
MAX_LEXEME = 2046  # bytes
_LOCK = 0x72656375  # advisory lock of the writers of the index: ids are max + 1 per day
_CODES = ("type", "body", "vote", "sitting")  # facet values shown as their code
WINDOW = 1.0  # × the hits expected: the newest rows walked, at most, before GIN is asked (`_newest`)
# For this transaction (a search): a table scan would read every tsvector (see `_newest`).
_NO_TABLE_SCANS = "SELECT set_config('enable_seqscan', 'off', true)"
_MATCH = "vector @@ %s::tsquery AND id BETWEEN %s AND %s"
_IN_RANGE = "id BETWEEN %s AND %s"

_TABLES = {  # rows of up to 8 kB kept whole in the table: a tsvector is tested without reading TOAST
    "search_vectors": """CREATE TABLE search_vectors (id bigint PRIMARY KEY, kind text NOT NULL,
        vector tsvector NOT NULL) WITH (toast_tuple_target = 8160)""",
    "search_texts": """CREATE TABLE search_texts (id bigint PRIMARY KEY, title_words text NOT NULL,
        title_stems text NOT NULL, body_words text NOT NULL, body_stems text NOT NULL)""",
    "search_vectors_vector": "CREATE INDEX search_vectors_vector ON search_vectors USING gin (vector)",
    "search_terms": 'CREATE TABLE search_terms (term text COLLATE "C" PRIMARY KEY)',
    "search_facets": "CREATE TABLE search_facets (facet text, slug text, label text NOT NULL, PRIMARY KEY (facet, slug))",
}


def tsvector(entry: Entry) -> str:
    """The tsvector literal of an analysed entry (see the module docstring)."""
    positions: dict[str, list[int]] = {marker: [] for marker in entry.kind.split()}
    for at, token in enumerate([*entry.title_stems.split(), *entry.body_stems.split()], 1):
        kept = positions.setdefault(token, [])
        if at <= MAX_POSITION and len(kept) < MAX_POSITIONS:
            kept.append(at)
    return " ".join(f"'{token}'" + (":" + ",".join(map(str, at)) if at else "")
                    for token, at in positions.items() if len(token) <= MAX_LEXEME)


def _lexeme(token: str) -> str:
    return f"'{token}'"  # analysed tokens and markers hold neither quotes nor backslashes


def _phrase(tokens: Iterable[str], mark: str, prefix: bool = False) -> str:
    return "(" + " <-> ".join(_lexeme(mark + t) for t in tokens) + (":*" if prefix else "") + ")"


def tsquery(node: Node, marks: tuple[str, ...] = SELECT) -> str:
    """The tsquery of a query tree over the stems of `marks`, as `search.fts_expression`."""
    if isinstance(node, Term):
        if node.completions:
            found = dict.fromkeys(stems(list(node.completions)))
            return "(" + " | ".join(_phrase([s], m) for m in marks for s in found) + ")"
        return "(" + " | ".join(_phrase(node.stems, m, node.prefix) for m in marks) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(tsquery(o, marks) for o in node.options) + ")"
    expression = "(" + " & ".join(tsquery(i, marks) for i in node.include) + ")"
    if node.exclude:
        expression += " & !(" + " | ".join(tsquery(e) for e in node.exclude) + ")"
    return expression


class PostgresSearch:
    """`SearchIndex` over PostgreSQL full-text search (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._labels: dict[tuple[str, str], str] = {}
        with engine.begin() as conn:  # only what is missing: a read-only role opens a store too
            for name, statement in _TABLES.items():
                if conn.exec_driver_sql("SELECT to_regclass(%s)", (name,)).scalar() is None:
                    conn.exec_driver_sql(statement)

    def index(self, publication: Publication, conn: Connection | None = None,
              analysed: Analysed | None = None) -> None:
        """Index the searchable records of a publication (`analysed`: its entries, when the parse
        workers analysed them); call it inside the document's transaction."""
        if conn is None:
            with self.engine.begin() as own:
                return self.index(publication, own, analysed)
        analysed = analysed or analyse(publication)
        if not analysed.entries:
            return
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        days = sorted({_day(entry.date) for entry in analysed.entries})
        top = dict(conn.exec_driver_sql(
            "SELECT day, (SELECT max(id) FROM search_entries WHERE id BETWEEN day << %s AND ((day + 1) << %s) - 1) "
            "FROM unnest(%s::bigint[]) AS day", (_DAY_BITS, _DAY_BITS, days)).all())
        next_id = {day: (top[day] + 1 if top[day] is not None else day << _DAY_BITS) for day in days}
        ids = []
        for entry in analysed.entries:
            ids.append(next_id[_day(entry.date)])
            next_id[_day(entry.date)] += 1
        driver = conn.connection.driver_connection  # COPY: the fastest way in, inside this transaction
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy("COPY search_entries (id, document_id, type, key, number, act, title, date, text) "
                             "FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.document_id, e.type, e.key, e.number, e.act, e.title, e.date, e.text))
            with cursor.copy("COPY search_vectors (id, kind, vector) FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.kind, tsvector(e)))
            with cursor.copy("COPY search_texts (id, title_words, title_stems, body_words, body_stems) FROM STDIN") as copy:
                for i, e in zip(ids, analysed.entries):
                    copy.write_row((i, e.title_words, e.title_stems, e.body_words, e.body_stems))
        conn.exec_driver_sql("INSERT INTO search_terms SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                             (analysed.vocabulary,))
        values = sorted({(key, value_slug, label) for e in analysed.entries for key, found in e.values.items()
                         for value_slug, label in found.items()})  # the first label of a value stays
        if values:
            conn.exec_driver_sql("INSERT INTO search_facets SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) "
                                 "ON CONFLICT DO NOTHING", tuple(map(list, zip(*values))))

    def remove(self, document_id: str, conn: Connection | None = None) -> None:
        """Forget every entry of a document (before its records are replaced)."""
        if conn is None:
            with self.engine.begin() as own:
                return self.remove(document_id, own)
        for table in ("search_vectors", "search_texts"):
            conn.execute(text(f"DELETE FROM {table} WHERE id IN (SELECT id FROM search_entries WHERE document_id = :d)"),
                         {"d": document_id})
        conn.execute(delete(schema.search_entries).where(schema.search_entries.c.document_id == document_id))

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0,
               filters: Mapping[str, str] | None = None) -> SearchResults:
        """Records matching `query` and the filters, best first, with their facets: the steps of
        `SqliteSearch.search`, over tsquery."""
        types = _types(type)
        wanted = check_filters(filters)
        if limit < 1 or offset < 0:
            raise QueryError("le nombre de résultats doit être positif et le décalage ne peut pas être négatif")
        dated = date_from or date_to
        low = _day(_check_date(date_from, "de début")) << _DAY_BITS if date_from else (1 << _DAY_BITS if dated else 0)
        high = ((_day(_check_date(date_to, "de fin")) + 1) << _DAY_BITS) - 1 if date_to else 1 << 62
        number = act_number(query)
        node = parse_query(f'"{number}"' if number else query) if query.strip() or not (types or wanted) else None
        restrict = " & ".join(([f"({' | '.join(_lexeme('__' + t) for t in types)})"] if types else [])
                              + [_lexeme(marker(key, value)) for key, value in wanted.items()])
        with self.engine.connect() as conn:
            _check_values(conn, wanted, filters or {})
            node = complete_prefixes(node, conn) if node else None
            conn.exec_driver_sql(_NO_TABLE_SCANS)
            direct = self._direct(conn, number, types, restrict if wanted else "", low, high) if number else []
            shown = min(limit, max(0, len(direct) - offset))  # direct hits on this page
            hits = self._ranked(conn, node, restrict, direct, low, high, limit - shown, max(0, offset - len(direct)))
            ids = direct[offset:offset + limit] + hits.ids
            found = {row.id: row for row in conn.execute(
                select(schema.search_entries).where(schema.search_entries.c.id.in_(ids)))}
            kinds = hits.kinds + (self._kinds(conn, direct) if direct else [])
            facets = self._facets(conn, kinds)
        highlighter = Highlighter(node, number)
        results = [Hit(r.type, r.key, r.number, r.title, r.date, url_of(r.type, r.key, r.act),
                       highlighter.snippet(r.text or r.title)) for r in (found[i] for i in ids)]
        return SearchResults(len(direct) + hits.total, results, total_exact=hits.total <= base.COUNT_CAP,
                             facets=facets, facet_hits=len(kinds))

    def _ranked(self, conn: Connection, node: Node | None, restrict: str, direct: list[int], low: int, high: int,
                limit: int, offset: int) -> _Ranked:
        """The stages of `SqliteSearch._ranked`: the newest candidates (and, when there are more, a
        count that stops at `COUNT_CAP` + 1 and the newest title hits), then `_score` over the
        candidates' analysed columns; the kinds of the newest `CANDIDATES` for the facets."""
        where = _MATCH
        if direct:
            where += f" AND id NOT IN ({','.join(map(str, direct))})"
        query = " & ".join(x for x in (tsquery(node) if node else "", restrict) if x)
        wanted = -(-(offset + limit) // base.CANDIDATES) * base.CANDIDATES  # whole blocks: pages do not reshuffle
        rows_in_range = _estimate(conn, _IN_RANGE, (low, high))
        hits = _newest(conn, where, (query, low, high), wanted, rows_in_range)
        kinds = [kind for _, kind in hits[:base.CANDIDATES]]  # the newest: the hits the facets count
        candidates = [i for i, _ in hits]
        total = len(candidates)
        if total == wanted:  # more hits than candidates: count them, and add the newest title hits
            total = conn.exec_driver_sql(f"SELECT count(*) FROM (SELECT 1 FROM search_vectors WHERE {where} LIMIT %s) "
                                         "AS hits", (query, low, high, base.COUNT_CAP + 1)).scalar_one()
            if node:
                in_titles = " & ".join(x for x in (tsquery(node, IN_TITLES), restrict) if x)  # implies the query
                titled = _newest(conn, where, (in_titles, low, high), wanted, rows_in_range)
                candidates = sorted({*candidates, *(i for i, _ in titled)})
        if not limit or offset >= total:
            return _Ranked(total, [], kinds)
        rows = conn.exec_driver_sql("SELECT id, v.kind, t.title_words, t.title_stems, t.body_words, t.body_stems "
                                    "FROM search_vectors AS v JOIN search_texts AS t USING (id) WHERE id = ANY(%s)",
                                    (candidates,)).all()
        terms = _positive(node) if node else []
        rarity = [_idf(total if node == term and not restrict else self._count(conn, term)) for term in terms]
        return _Ranked(total, _score(rows, terms, rarity)[offset:offset + limit], kinds)

    @staticmethod
    def _kinds(conn: Connection, ids: list[int]) -> list[str]:
        return list(conn.exec_driver_sql("SELECT kind FROM search_vectors WHERE id = ANY(%s)", (ids,)).scalars())

    @staticmethod
    def _count(conn: Connection, term: Term) -> int:
        """Hits of a term in the whole index, up to `IDF_CAP`: any of them, the first read from GIN."""
        return int(conn.exec_driver_sql("SELECT count(*) FROM (SELECT 1 FROM search_vectors WHERE vector @@ %s::tsquery "
                                        "LIMIT %s) AS hits", (tsquery(term), IDF_CAP)).scalar_one())

    @staticmethod
    def _direct(conn: Connection, number: str, types: list[str], restrict: str, low: int, high: int) -> list[int]:
        """Entries of the act with this number (the deliberation, then its rapport), within the
        filters of `restrict` (a tsquery) when there are any."""
        table = schema.search_entries
        query = (select(table.c.id).where(table.c.act == number, table.c.id.between(low, high))
                 .order_by(table.c.type != "deliberation", table.c.id))
        if types:
            query = query.where(table.c.type.in_(types))
        found = list(conn.execute(query).scalars())
        if found and restrict:
            kept = set(conn.exec_driver_sql("SELECT id FROM search_vectors WHERE vector @@ %s::tsquery AND id = ANY(%s)",
                                            (restrict, found)).scalars())
            found = [i for i in found if i in kept]
        return found

    def _facets(self, conn: Connection, kinds: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        """Type and filter values of the hits whose kinds are given, as `SqliteSearch._facets`."""
        counts: dict[str, dict[str, int]] = {}
        for token, n in Counter(" ".join(kinds).split()).items():  # each distinct token split once
            key, value = parse_marker(token) or ("type", token[2:])
            counts.setdefault(key, {})[value] = n
        tops = {key: sorted(counts[key].items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]
                for key in ("type", *FILTERS) if key in counts}
        labels = self._labels_of(conn, [(key, value) for key, top in tops.items() for value, _ in top])
        return {key: sorted(((labels[key, value], n) for value, n in top), key=lambda item: (-item[1], item[0]))
                for key, top in tops.items()}

    def _labels_of(self, conn: Connection, values: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Labels of (key, value) pairs: codes as they are; the others from `search_facets`, in
        one query, and kept (a value's label never changes once stored)."""
        missing = [(key, value) for key, value in values if key not in _CODES and (key, value) not in self._labels]
        if missing:
            found = conn.exec_driver_sql("SELECT facet, slug, label FROM search_facets "
                                         "WHERE (facet, slug) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
                                         tuple(map(list, zip(*missing)))).all()
            if len(self._labels) > 100_000:
                self._labels.clear()
            self._labels.update(((key, value), label) for key, value, label in found)
        return {(key, value): value.replace("_", "-") if key == "sitting" else value if key in _CODES
                else self._labels.get((key, value), value) for key, value in values}


def _estimate(conn: Connection, where: str, parameters: tuple[Any, ...]) -> float:
    """The planner's estimate of the rows of search_vectors that `where` keeps (from ANALYZE)."""
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_vectors WHERE {where}", parameters).scalar()
    return float(plan[0]["Plan"]["Plan Rows"])


def _newest(conn: Connection, where: str, parameters: tuple[Any, ...], needed: int,
            rows_in_range: float) -> list[Row[Any]]:
    """The `needed` newest hits (id, kind) of `where` (`parameters`: its tsquery, low and high ids,
    between which the planner expects `rows_in_range` rows).

    GIN gives hits in no order: the newest need every hit read from the table, then sorted (90 ms
    for 34,000 hits of 100,000 acts). When hits are many and dense, the newest rows are walked by
    id instead, testing each tsvector, until `needed` hits (10 ms): when the planner expects them
    within half as many rows as there are hits. Hits are not spread evenly (undated acts come
    first, subjects come and go): if the newest `WINDOW` × hits rows hold too few, the GIN way
    follows, having cost about as much again. Left to itself, the planner may walk the ids for
    rare words too (0.9 s for two words that 342 acts hold): the GIN way sorts by `id + 0`, which
    no index gives.
    """
    _, low, high = parameters
    hits = _estimate(conn, where, parameters)
    window = int(WINDOW * hits)
    if needed * rows_in_range / max(hits, 1.0) <= window / 2:
        found = conn.exec_driver_sql(
            f"SELECT id, kind FROM (SELECT id, kind, vector FROM search_vectors WHERE id BETWEEN %s AND %s "
            f"ORDER BY id DESC LIMIT %s) AS recent WHERE {where} ORDER BY id DESC LIMIT %s",
            (low, high, window, *parameters, needed)).all()
        if len(found) == needed:  # every row newer than the last hit was tested: the newest hits
            return list(found)
    return list(conn.exec_driver_sql(f"SELECT id, kind FROM search_vectors WHERE {where} ORDER BY id + 0 DESC LIMIT %s",
                                     (*parameters, needed)).all())


def _check_values(conn: Connection, wanted: dict[str, str], asked: Mapping[str, str]) -> None:
    """A filter on a value the store has never seen is a mistake (a misspelt commune…): say so."""
    for key, value in wanted.items():
        if key in ("body", "vote"):
            continue
        if conn.exec_driver_sql("SELECT 1 FROM search_facets WHERE facet = %s AND slug = %s", (key, value)).first() is None:
            raise QueryError(f"{NAMES[key]} inconnu{'e' if key in FEMININE else ''} : {asked[key]}")


def complete_prefixes(node: Node, conn: Connection) -> Node:
    """Prefix words replaced by the indexed words they begin, as `search.complete_prefixes` does."""
    if isinstance(node, Or):
        return Or(tuple(complete_prefixes(o, conn) for o in node.options))
    if isinstance(node, And):
        return And(tuple(complete_prefixes(i, conn) for i in node.include),
                   tuple(complete_prefixes(e, conn) for e in node.exclude))
    if not node.prefix or len(node.tokens) > 1:
        return node
    start = node.tokens[0]
    found = conn.exec_driver_sql("SELECT term FROM search_terms WHERE term >= %s AND term < %s ORDER BY term LIMIT %s",
                                 (start, start[:-1] + chr(ord(start[-1]) + 1), COMPLETIONS + 1)).scalars().all()
    return Term(node.tokens, node.stems, node.prefix, tuple(found)) if 0 < len(found) <= COMPLETIONS else node
