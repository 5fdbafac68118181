"""Full-text search of the acts: a small interface, and its SQLite FTS5 implementation.

`SearchIndex` is what the command line and the web layer call; a PostgreSQL backend implements the
same three methods. The SQLite one keeps, per searchable record, a row of `search_entries` and a
row of the FTS5 table `search_fts` under the same id, written in the transaction of the document.

Layout of `search_fts` (tokens come from `analysis.py`, so SQLite only splits on spaces):
  kind         "__deliberation", "__report"… (type filter inside the index)
  title, body  folded exact words          — an exact match ranks first
  title_stems, body_stems  "_"-marked stems — plurals and inflections
Marked stems never collide with exact words, so no column filter (which reads positions) is
needed. The id (= rowid) is `day << 20 | n`: FTS5 walks hits newest first and a date range is a
rowid range.

Ranking is two-stage, so that a query never scores every hit: stage one takes the newest
`CANDIDATES` hits in rowid order (FTS5 stops early, no positions read), stage two ranks only them
with BM25 (exact columns weighted above stems, titles above bodies). Below `CANDIDATES` hits —
every query on a few years of one Département — this is plain BM25 over all hits. `total` is
exact up to `COUNT_CAP`, a lower bound above (`total_exact` says which).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.exc import OperationalError

from recueil.model import Publication
from recueil.store import schema
from recueil.store.analysis import STOP_WORDS, analyse, fold, stems
from recueil.store.query import And, Node, Or, QueryError, Term, act_number, parse_query

TYPES = ("deliberation", "report", "road_order", "decision", "order", "listed_act", "intervention", "motion")
CANDIDATES = 1000
COUNT_CAP = 10_000
COMPLETIONS = 64
WEIGHTS = (0.0, 8.0, 4.0, 2.0, 1.0)  # kind, title, title_stems, body, body_stems
PRIORS = {"deliberation": 1.25}  # BM25 × prior: the act before its rapport and the debate about it
RANKING = (f"bm25(search_fts, {', '.join(map(str, WEIGHTS))}) * CASE kind "
           + " ".join(f"WHEN '__{t}' THEN {p}" for t, p in PRIORS.items()) + " ELSE 1 END, rowid DESC")
"""ORDER BY of stage two: weighted BM25 (negative, best first) × type prior; newest first among equals."""
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


@dataclass
class SearchResults:
    total: int
    results: list[Hit]
    total_exact: bool = True


class SearchIndex(Protocol):
    """What any backend offers: index a publication in the caller's transaction, forget a
    document, answer a query (raising `QueryError` with a French reason when it is malformed)."""

    def index(self, publication: Publication, conn: Connection | None = None) -> None: ...

    def remove(self, document_id: str, conn: Connection | None = None) -> None: ...

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0) -> SearchResults: ...


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


def entries(publication: Publication) -> list[dict[str, Any]]:
    """The searchable records of a publication as index entries (without ids)."""
    doc = publication.document.id
    acts = {d.number: d for d in publication.deliberations}
    sitting = publication.sittings[0].id if len(publication.sittings) == 1 else None
    sitting_dates = {s.id: s.date for s in publication.sittings}
    rows: list[dict[str, Any]] = []
    for d in publication.deliberations:
        rows.append({"type": "deliberation", "key": d.number, "number": d.number, "act": d.number,
                     "title": d.title, "date": d.sitting_date, "text": d.text})
    for r in publication.reports:
        act = acts.get(r.deliberation or "")
        rows.append({"type": "report", "key": f"{r.deliberation}/rapport" if act else f"{doc}/rapport-{r.number}",
                     "number": str(r.number), "act": r.deliberation, "title": r.title,
                     "date": act.sitting_date if act else None, "text": r.text})
    for a in publication.listed_acts:
        details = " ".join(x for x in (a.section, a.roads, a.communes, a.object) if x)
        rows.append({"type": "listed_act" if a.kind == "other" else a.kind, "key": f"{doc}/ligne-{a.source.first_line}",
                     "number": None, "act": None, "title": a.title,
                     "date": a.period.start if a.period else None, "text": details})
    for i in publication.interventions:
        rows.append({"type": "intervention", "key": f"{i.sitting}/intervention-{i.seq}", "number": None,
                     "act": None, "title": i.speaker_name or i.speaker, "date": sitting_dates.get(i.sitting),
                     "text": i.text})
    for n, m in enumerate(publication.motions, 1):
        signed = " ".join(x for x in (m.filed_by, *m.signatories) if x)
        rows.append({"type": "motion", "key": f"{sitting or doc}/voeu-{n}", "number": None, "act": None,
                     "title": m.title, "date": sitting_dates.get(sitting or ""), "text": f"{m.text}\n{signed}"})
    for row in rows:
        row["document_id"] = doc
    return rows


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


def fts_expression(node: Node, rank: bool) -> str:
    """The FTS5 expression of a query tree: stems to select hits; exact OR stems to rank them."""
    if isinstance(node, Term):
        if node.completions:
            return "(" + " OR ".join(_phrase([c]) for c in node.completions) + ")"
        if node.prefix:
            return _phrase(node.tokens) + "*"
        marked = _phrase(node.stems, "_")
        return f"({_phrase(node.tokens)} OR {marked})" if rank else marked
    if isinstance(node, Or):
        return "(" + " OR ".join(fts_expression(o, rank) for o in node.options) + ")"
    expression = "(" + " AND ".join(fts_expression(i, rank) for i in node.include) + ")"
    if node.exclude:
        expression += " NOT (" + " OR ".join(fts_expression(e, False) for e in node.exclude) + ")"
    return expression


def _complete(node: Node, conn: Connection) -> Node:
    """Prefix words replaced by the indexed words they begin (at most `COMPLETIONS`): FTS5 then
    walks their hits lazily, newest first, where a native prefix query merges every hit upfront."""
    if isinstance(node, Or):
        return Or(tuple(_complete(o, conn) for o in node.options))
    if isinstance(node, And):
        return And(tuple(_complete(i, conn) for i in node.include), tuple(_complete(e, conn) for e in node.exclude))
    if not node.prefix or len(node.tokens) > 1:
        return node
    start = node.tokens[0]
    words = conn.exec_driver_sql("SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?",
                                 (start, start[:-1] + chr(ord(start[-1]) + 1), COMPLETIONS + 1)).scalars().all()
    return replace(node, completions=tuple(words)) if 0 < len(words) <= COMPLETIONS else node


def _positive(node: Node) -> list[Term]:
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


class Highlighter:
    """Finds the words of a query in printed text and cuts a snippet around the first one.

    A regex built from the query finds candidate words fast (folded token, or the stem minus its
    last letter); each candidate is confirmed by analysing it like the index does.
    """

    def __init__(self, node: Node, number: str | None = None, width: int = 240) -> None:
        terms = [] if number else _positive(node)
        self.exact = {t for term in terms if not term.prefix for t in term.tokens}
        self.stems = {s for term in terms if not term.prefix for s in term.stems}
        self.prefixes = tuple(t for term in terms if term.prefix for t in term.tokens)
        heads = {t for t in (*self.exact, *self.prefixes)} | {s[:-1] if len(s) > 3 else s for s in self.stems}
        patterns = sorted(map(_pattern, heads), key=len, reverse=True)
        if number:  # an act number is highlighted whole, not as two numbers
            self.exact.add(number)
            patterns.append(re.escape(number).replace("\\-", r"\s*-\s*") + r"(?!\d)")
        self.regex = re.compile(r"\b(?:" + "|".join(patterns) + r")\w*", re.IGNORECASE) if patterns else None
        self.width = width

    def _matches(self, word: str) -> bool:
        folded = fold(word).replace(" ", "")
        if folded in STOP_WORDS:
            return False
        return folded in self.exact or folded.startswith(self.prefixes or ("\0",)) or stems([folded])[0] in self.stems

    def snippet(self, text: str) -> list[Fragment]:
        """About `width` characters around the first word of the query, its matches marked."""
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
                "kind, title, title_stems, body, body_stems, tokenize=\"unicode61 tokenchars '_'\")"
            )
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID")

    def index(self, publication: Publication, conn: Connection | None = None) -> None:
        """Index the searchable records of a publication; call it inside the document's transaction."""
        if conn is None:
            with self.engine.begin() as own:
                return self.index(publication, own)
        rows = entries(publication)
        next_id: dict[int, int] = {}
        fts_rows = []
        for row in rows:
            day = _day(row["date"])
            if day not in next_id:
                low = day << _DAY_BITS
                top = conn.exec_driver_sql("SELECT max(id) FROM search_entries WHERE id BETWEEN ? AND ?",
                                           (low, low | (1 << _DAY_BITS) - 1)).scalar()
                next_id[day] = (top if top is not None else low - 1) + 1
            row["id"] = next_id[day]
            next_id[day] += 1
            title, title_stems = analyse(row["title"])
            body, body_stems = analyse(row["text"])
            fts_rows.append((row["id"], "__" + row["type"], title, _marked(title_stems), body, _marked(body_stems)))
        if rows:  # driver-level inserts: this runs inside every ingest
            columns = ("id", "document_id", "type", "key", "number", "act", "title", "date", "text")
            conn.exec_driver_sql(f"INSERT INTO search_entries({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                 [tuple(row[c] for c in columns) for row in rows])
            conn.exec_driver_sql("INSERT INTO search_fts(rowid, kind, title, title_stems, body, body_stems) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", fts_rows)
            words = sorted(set(" ".join(f"{r[2]} {r[4]}" for r in fts_rows).split()))
            if words:
                conn.exec_driver_sql("INSERT OR IGNORE INTO search_terms VALUES (?)", [(w,) for w in words])

    def remove(self, document_id: str, conn: Connection | None = None) -> None:
        """Forget every entry of a document (before its records are replaced)."""
        if conn is None:
            with self.engine.begin() as own:
                return self.remove(document_id, own)
        conn.execute(text("DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_entries WHERE document_id = :d)"),
                     {"d": document_id})
        conn.execute(delete(schema.search_entries).where(schema.search_entries.c.document_id == document_id))

    def search(self, query: str, type: str | Iterable[str] | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0) -> SearchResults:
        """Records matching `query`, best first (see the module docstring for the ranking)."""
        types = _types(type)
        if limit < 1 or offset < 0:
            raise QueryError("le nombre de résultats doit être positif et le décalage ne peut pas être négatif")
        dated = date_from or date_to
        low = _day(_check_date(date_from, "de début")) << _DAY_BITS if date_from else (1 << _DAY_BITS if dated else 0)
        high = ((_day(_check_date(date_to, "de fin")) + 1) << _DAY_BITS) - 1 if date_to else 1 << 62
        number = act_number(query)
        node = parse_query(f'"{number}"' if number else query)
        kinds = " OR ".join(_phrase(["__" + t]) for t in types)
        with self.engine.connect() as conn:
            try:
                node = _complete(node, conn)
                direct = self._direct(conn, number, types, low, high) if number else []
                hits = self._ranked(conn, node, kinds, direct, low, high, limit - min(limit, max(0, len(direct) - offset)),
                                    max(0, offset - len(direct)))
            except OperationalError as error:  # a query the compiler let through: still a user error
                raise QueryError(f"requête illisible : {query}") from error
            ids = direct[offset:offset + limit] + hits.ids
            found = {row.id: row for row in conn.execute(
                select(schema.search_entries).where(schema.search_entries.c.id.in_(ids)))}
        highlighter = Highlighter(node, number)
        results = [Hit(r.type, r.key, r.number, r.title, r.date, url_of(r.type, r.key, r.act),
                       highlighter.snippet(r.text or r.title)) for r in (found[i] for i in ids)]
        return SearchResults(len(direct) + hits.total, results, total_exact=hits.total <= COUNT_CAP)

    def _ranked(self, conn: Connection, node: Node, kinds: str, direct: list[int], low: int, high: int,
                limit: int, offset: int) -> _Ranked:
        """The two stages: count (capped) and cut at the newest candidates, then BM25 on them."""
        where = "search_fts MATCH :q AND rowid BETWEEN :low AND :high"
        if direct:
            where += f" AND rowid NOT IN ({','.join(map(str, direct))})"
        restrict = f" AND ({kinds})" if kinds else ""
        params = {"q": fts_expression(node, rank=False) + restrict, "low": low, "high": high}
        total = conn.execute(text(f"SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE {where} LIMIT :cap)"),
                             {**params, "cap": COUNT_CAP + 1}).scalar_one()
        wanted = max(CANDIDATES, offset + limit)
        if total > wanted:
            params["low"] = conn.execute(text(f"SELECT rowid FROM search_fts WHERE {where} ORDER BY rowid DESC "
                                              "LIMIT 1 OFFSET :n"), {**params, "n": wanted - 1}).scalar_one()
        if not limit or offset >= total:
            return _Ranked(total, [])
        ids = conn.execute(text(f"SELECT rowid FROM search_fts WHERE {where} ORDER BY {RANKING} "
                                "LIMIT :limit OFFSET :offset"),
                           {**params, "q": fts_expression(node, rank=True) + restrict, "limit": limit, "offset": offset})
        return _Ranked(total, list(ids.scalars()))

    def _direct(self, conn: Connection, number: str, types: list[str], low: int, high: int) -> list[int]:
        """Entries of the act with this number (the deliberation, then its rapport)."""
        table = schema.search_entries
        query = (select(table.c.id).where(table.c.act == number, table.c.id.between(low, high))
                 .order_by(table.c.type != "deliberation", table.c.id))
        if types:
            query = query.where(table.c.type.in_(types))
        return list(conn.execute(query).scalars())


def _marked(stem_text: str) -> str:
    return "_" + stem_text.replace(" ", " _") if stem_text else ""


def search_index(engine: Engine) -> SqliteSearch | None:
    """The search index of a store: FTS5 on SQLite; none yet on other databases."""
    return SqliteSearch(engine) if engine.dialect.name == "sqlite" else None
