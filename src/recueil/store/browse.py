"""What the web pages and the API show, read from a store as plain dicts.

Pages and API are two renderings of the same data (Datasette's habit), so both call these functions.
One record is read by its indexed key (number, sitting id). What needs the whole store — the
councillors with their presence, which deliberations cite which — is computed once into a
`Catalog` and kept until a document is stored or replaced: a page is then a few dictionary
lookups, not an aggregate over every act. Road orders are filtered by `store.roads`, which
the agenda command shares. Councillors are merged under `councillor_id`,
a slug of `name_key`, so that "Mireille HINGREZ CEREDA" and "Mireille HINGREZ-CÉRÉDA" are one person.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cached_property
from typing import Any, overload

from sqlalchemy import Connection, Row, and_, bindparam, func, select

from recueil.store import acts, ledger, listing, roads, schema
from recueil.store.database import Store
from recueil.store.groups import Statement, act_statements, motion_statements
from recueil.store.groups import slug as group_slug
from recueil.store.query import QueryError
from recueil.store.search import SearchResults
from recueil.text.clean import fold
from recueil.text.names import name_key, surname

STATUSES = ("present", "excused", "absent")
VOTER_POSITIONS = ("pour", "contre", "abstention", "ne_prend_pas_part", "absent")  # those of the ledger
RECHECK = 1.0  # seconds between two looks at whether the store changed


def councillor_id(name: str) -> str:
    """The URL id of a person: "Jean-Claude LEROY" → "jean-claude-leroy" (spellings merged)."""
    return re.sub(r"[^a-z0-9]+", "-", name_key(name).lower()).strip("-")


@dataclass
class Councillor:
    id: str
    name: str
    group: str | None = None
    group_source: str | None = None  # where the group was read: GROUP_SOURCES
    acts_present: int = 0
    acts_excused: int = 0
    acts_absent: int = 0
    sittings: set[str] = field(default_factory=set)  # sittings where listed (roll call or an act)
    sittings_present: set[str] = field(default_factory=set)
    proxies_given: list[dict[str, str]] = field(default_factory=list)
    proxies_received: list[dict[str, str]] = field(default_factory=list)
    interventions: int = 0

    @property
    def acts_listed(self) -> int:
        return self.acts_present + self.acts_excused + self.acts_absent

    def summary(self) -> dict[str, Any]:
        """The councillor as the list and the API give it; `presence_rate` over the acts where the
        person is listed (present, excused or absent), in percent with one decimal."""
        rate = round(100 * self.acts_present / self.acts_listed, 1) if self.acts_listed else None
        return {"id": self.id, "name": self.name, "group": self.group, "group_source": self.group_source,
                "acts_listed": self.acts_listed,
                "acts_present": self.acts_present, "acts_excused": self.acts_excused, "acts_absent": self.acts_absent,
                "presence_rate": rate, "sittings_listed": len(self.sittings),
                "sittings_present": len(self.sittings_present), "proxies_given": len(self.proxies_given),
                "proxies_received": len(self.proxies_received), "interventions": self.interventions}


@dataclass
class Catalog:
    """Derived views of the whole store, rebuilt when its documents change."""

    signature: tuple[Any, ...]
    councillors: dict[str, Councillor]
    spellings: dict[str, str]  # name as printed → councillor id
    cited_by: dict[str, list[str]]  # deliberation number → numbers of the stored acts citing it
    titles: dict[str, tuple[str, str | None]]  # number → (title, sitting date) of stored deliberations
    groups: dict[str, str]  # a group's slug → its one spelling shown (the most printed)
    deliberations: list[dict[str, Any]]  # the rows of the list of deliberations (store/listing.py)

    @cached_property
    def listed(self) -> dict[tuple[str, str | None], dict[str, Any]]:
        """A row of the list by its number and séance."""
        return {(row["number"], row["sitting"]): row for row in self.deliberations}


def _signature(conn: Connection) -> tuple[Any, ...]:
    """Changes when a document is stored or replaced (each gets a new `ingested_at`), a sitting
    recorded (the vote ledger grows) or a step added to an act's history."""
    d = schema.documents
    return (*conn.execute(select(func.count(), func.max(d.c.ingested_at))).one(), *ledger.version(conn),
            *acts.version(conn))


def _preferred(spellings: Counter[str]) -> str:
    """The most printed spelling of a name; among equals, the one with most accents and hyphens."""
    return max(spellings, key=lambda n: (spellings[n], sum(not c.isascii() for c in n) + n.count("-"), n))


def _surname_key(who: Councillor) -> tuple[str, str]:
    return (fold(surname(who.name)), who.id)


def _build(conn: Connection, signature: tuple[Any, ...]) -> Catalog:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)  # (person, group) → where it was read
    people: dict[str, Councillor] = {}

    def person(name: str) -> Councillor:
        key = councillor_id(name)
        names[key][name] += 1
        if key not in people:
            people[key] = Councillor(key, name)
        return people[key]

    a = schema.attendance
    for row in conn.execute(select(a.c.name, a.c.status, a.c.sitting_id, a.c.deliberation)):
        who = person(row.name)
        if row.sitting_id:
            who.sittings.add(row.sitting_id)
            if row.status == "present":
                who.sittings_present.add(row.sitting_id)
        if row.deliberation:
            setattr(who, f"acts_{row.status}", getattr(who, f"acts_{row.status}") + 1)
    p = schema.proxies
    for proxy in conn.execute(select(p.c.sitting_id, p.c.giver, p.c.holder).order_by(p.c.pk)):
        given = {"sitting": proxy.sitting_id, "giver": proxy.giver, "holder": proxy.holder}
        person(proxy.giver).proxies_given.append(given)
        if proxy.holder:  # minutes may name only who voted by proxy
            person(proxy.holder).proxies_received.append(given)
    i = schema.interventions
    for name, spoken in conn.execute(select(i.c.speaker_name, func.count()).where(i.c.speaker_name.is_not(None))
                                     .group_by(i.c.speaker_name)):
        person(name).interventions += spoken
    spellings_of_groups: Counter[str] = Counter()

    def stated(said: Statement) -> None:
        key = person(said.name).id
        groups[key][said.group] += 1
        sources[key, said.group].add(said.source)
        spellings_of_groups[said.group] += 1

    for said in motion_statements(conn):
        stated(said)
    cited_by: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, tuple[str, str | None]] = {}
    d = schema.deliberations
    for act in conn.execute(select(d.c.number, d.c.title, d.c.body, d.c.sitting_date, d.c.data)
                            .order_by(d.c.sitting_date, d.c.number)):
        for said in act_statements(act.body, act.sitting_date, act.data):
            stated(said)
        titles[act.number] = (act.data.get("display_title") or act.title, act.sitting_date)
        for visa in act.data.get("visas", []):
            for cited in visa.get("deliberations", []):
                if act.number not in cited_by[cited["number"]]:
                    cited_by[cited["number"]].append(act.number)
        vote = act.data.get("vote") or {}
        spellings_of_groups.update(g for printed in (vote.get("groups") or {}).values() for g in printed)
    periods = list(ledger.member_records(conn))
    listed = {key: m["group"] for m in sorted(periods, key=lambda m: m["from"] or "")
              if m["group"] and (key := councillor_id(m["name"])) in people}  # the list adds nobody
    voted = {person(name).id: group for name, group in ledger.latest_groups(conn).items()}
    spellings_of_groups.update([*voted.values(), *listed.values()])
    group_names = _group_names(spellings_of_groups)
    spellings = {name: key for key, counter in names.items() for name in counter}
    for key, who in people.items():
        who.name = _preferred(names[key])
        # the group of the last vote recorded, else the members list's, else the one the documents
        # tie the name to most
        group = voted.get(key) or listed.get(key) or (max(groups[key], key=lambda g: groups[key][g])
                                                      if groups.get(key) else None)
        who.group = group_names.get(group_slug(group), group) if group else None
        who.group_source = ("ledger" if key in voted else "members" if key in listed else
                            "+".join(sorted(sources[key, group])) if group else None)
    return Catalog(signature, dict(sorted(people.items(), key=lambda kv: _surname_key(kv[1]))),
                   spellings, dict(cited_by), titles, group_names, listing.rows(conn, group_names, periods))


def _group_names(printed: Counter[str]) -> dict[str, str]:
    """Each group's one spelling: the most printed of those that fold to its slug."""
    by_slug: dict[str, Counter[str]] = defaultdict(Counter)
    for name, count in printed.items():
        if name:
            by_slug[group_slug(name)][name] += count
    return {key: max(names, key=lambda n: (names[n], n)) for key, names in by_slug.items()}


# The queries of a deliberation page, built once: the hot path of the site.
_d, _r, _p, _i, _doc = (schema.deliberations, schema.reports, schema.proxies, schema.interventions,
                        schema.documents)
_ACT = (select(_d.c.data, _d.c.text, _d.c.sitting_id, _d.c.document_id, _doc.c.source,
               _doc.c.title.label("document_title"))
        .join(_doc, _doc.c.id == _d.c.document_id)
        .where(_d.c.number == bindparam("number")).order_by(_d.c.pk.desc()).limit(1))
_REPORT = (select(_r.c.number, _r.c.data, _r.c.text).where(_r.c.deliberation == bindparam("number"))
           .order_by(_r.c.pk.desc()).limit(1))
_PROXIES = select(_p.c.giver, _p.c.holder).where(_p.c.sitting_id == bindparam("sitting")).order_by(_p.c.pk)
_ANNEXES = (select(schema.annexes.c.seq, schema.annexes.c.of, schema.annexes.c.first_line, schema.annexes.c.last_line,
                   schema.annexes.c.first_page, schema.annexes.c.last_page,
                   func.length(schema.annexes.c.text).label("size"))
            .where(schema.annexes.c.deliberation == bindparam("number"),
                   schema.annexes.c.document_id == bindparam("document")).order_by(schema.annexes.c.seq))
_ANNEX = (select(schema.annexes.c.of, schema.annexes.c.text, schema.annexes.c.first_line, schema.annexes.c.last_line,
                 schema.annexes.c.first_page, schema.annexes.c.last_page)
          .where(schema.annexes.c.deliberation == bindparam("number"), schema.annexes.c.seq == bindparam("seq"),
                 schema.annexes.c.document_id == bindparam("document")))
_TURNS = select(func.count()).where(_i.c.sitting_id == bindparam("sitting"), _i.c.agenda_item == bindparam("item"))


class NotFound(LookupError):
    """No such record; the message (in French) says which."""


ActRow = Row[*tuple[Any, ...]]  # a deliberation with its document, as _ACT selects it


def _act(conn: Connection, number: str) -> ActRow:
    """The row of the newest deliberation stored under `number`, with its document."""
    row = conn.execute(_ACT, {"number": number}).first()
    if row is None:
        raise NotFound(f"aucune délibération n° {number}")
    return row


def _record(conn: Connection, act: ActRow) -> dict[str, Any]:
    """A deliberation's JSONL record (DESIGN.md §4), with its text, completed by its history."""
    history = acts.record_fields(conn, [act.data["number"]]).get(act.data["number"], {})
    return {"type": "deliberation", **acts.completed(act.data, history), "text": act.text}


class Browser:
    """Read-only views of a store for the pages and the API (thread-safe: a web server's worker
    threads share one)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._catalog: Catalog | None = None
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def version(self, conn: Connection | None = None) -> tuple[Any, ...]:
        """What changes when a document is stored or replaced, looked up at most once every
        `RECHECK` seconds (so that a busy site does not query for it on every request)."""
        now = time.monotonic()
        if self._version is None or now - self._checked >= RECHECK:
            if conn is None:
                with self.store.engine.connect() as own:
                    self._version = _signature(own)
            else:
                self._version = _signature(conn)
            self._checked = now
        return self._version

    def catalog(self, conn: Connection) -> Catalog:
        """The derived views, rebuilt when the store's documents changed."""
        version = self.version(conn)
        catalog = self._catalog
        if catalog is None or catalog.signature != version:
            with self._lock:
                if self._catalog is None or self._catalog.signature != version:
                    self._catalog = _build(conn, version)
                catalog = self._catalog
        return catalog

    @overload
    def person(self, catalog: Catalog, name: str) -> dict[str, str]: ...
    @overload
    def person(self, catalog: Catalog, name: None) -> None: ...

    def person(self, catalog: Catalog, name: str | None) -> dict[str, str] | None:
        """A name as printed, with the id of the councillor page it links to (None: a proxy's
        holder the minutes do not name)."""
        if name is None:
            return None
        return {"name": name, "id": catalog.spellings.get(name) or councillor_id(name)}

    # search ------------------------------------------------------------------------------------

    def search(self, query: str, type: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int = 20, offset: int = 0, filters: dict[str, str] | None = None,
               sort: str = "") -> SearchResults:
        """The store's full-text search, `filters` among `facets.FILTERS` (QueryError, in French,
        when the query or a filter is malformed)."""
        if self.store.search is None:
            raise QueryError("la recherche plein texte n'est pas disponible sur cette base de données")
        return self.store.search.search(query, type or None, date_from or None, date_to or None, limit, offset,
                                        filters or None, sort)

    def filter_values(self) -> dict[str, list[str]]:
        """What each filter of the search may name in this store (store/search.py `known_values`)."""
        return self.store.search.known_values() if self.store.search is not None else {}

    # home --------------------------------------------------------------------------------------

    def latest(self, limit: int = 10) -> dict[str, Any]:
        """The newest sittings and deliberations, for the home page."""
        d = schema.deliberations
        with self.store.engine.connect() as conn:
            acts = [dict(row) for row in conn.execute(
                select(d.c.number, d.c.title, d.c.data["display_title"].as_string().label("display_title"),
                       d.c.sitting_date, d.c.body, d.c.decision)
                .order_by(d.c.sitting_date.desc(), d.c.number.desc()).limit(limit)).mappings()]
            counts = {row.kind: row.n for row in conn.execute(
                select(schema.listed_acts.c.kind, func.count().label("n")).group_by(schema.listed_acts.c.kind))}
        return {"sittings": self.sittings()[:limit], "deliberations": acts, "listed_acts": counts}

    # deliberations -----------------------------------------------------------------------------

    def deliberation_record(self, number: str) -> dict[str, Any]:
        """The JSONL record of a deliberation (the newest stored under that number): the API's
        answer and the page's JSON, without the page's surroundings."""
        with self.store.engine.connect() as conn:
            return _record(conn, _act(conn, number))

    def deliberation(self, number: str) -> dict[str, Any]:
        """A deliberation's page: its record (`deliberation`, the same dict as
        `deliberation_record`) and around it its rapport, its sitting's proxies, the debate on its
        agenda item (the item bears the rapport's number), the acts it cites and those citing it,
        its document, names linked to councillors, each group's votes as the list gives them
        (`group_counts`, `group_counts_source`); for a scrutin public recorded in the ledger,
        `voters` by position."""
        with self.store.engine.connect() as conn:
            row = _act(conn, number)
            catalog = self.catalog(conn)
            report = conn.execute(_REPORT, {"number": number}).first()
            proxies = conn.execute(_PROXIES, {"sitting": row.sitting_id}).all()
            turns = conn.execute(_TURNS, {"sitting": row.sitting_id, "item": report.number}).scalar_one() \
                if report else 0
            annexes = [dict(a._mapping, url=f"/deliberations/{number}/annexes/{a.seq}")
                       for a in conn.execute(_ANNEXES, {"number": number, "document": row.document_id})]
            public_vote = ledger.public_vote(conn, number)
            act = _record(conn, row)
        listed = catalog.listed.get((number, row.sitting_id), {})
        cited = []
        for visa in act.get("visas", []):
            for c in visa.get("deliberations", []):
                stored = catalog.titles.get(c["number"])
                cited.append({**c, "title": stored[0] if stored else None,
                              "url": f"/deliberations/{c['number']}" if stored else None})
        attendance = {status: [self.person(catalog, n) for n in act["attendance"].get(status, [])]
                      for status in (*STATUSES, "non_voting_present", "non_voting_excused")}
        document = {"id": row.document_id, "source": row.source, "title": row.document_title}
        return {"deliberation": act, "sitting_id": row.sitting_id, "document": document,
                "report": {**report.data, "text": report.text} if report else None,
                "debate": {"turns": turns, "url": f"/seances/{row.sitting_id}#point-{report.number}"}
                if turns and report else None,
                "attendance": attendance,
                "proxies": [{"giver": self.person(catalog, p.giver), "holder": self.person(catalog, p.holder)}
                            for p in proxies],
                "cites": cited,
                "cited_by": [{"number": n, "title": catalog.titles[n][0], "date": catalog.titles[n][1],
                              "url": f"/deliberations/{n}"} for n in catalog.cited_by.get(number, [])],
                "conflicts": [{**c, **self.person(catalog, c["name"])} for c in act.get("conflicts", [])],
                **{key: listed.get(key) for key in ("group_counts", "group_counts_source")},
                "budget": _budget(act.get("amounts", []) + (report.data.get("amounts", []) if report else [])),
                "annexes": annexes,
                "voters": {position: [{**self.person(catalog, c["member"]), "group": c["group"],
                                       "proxy_holder": c["proxy_holder"]}
                                      for c in public_vote if c["position"] == position]
                           for position in VOTER_POSITIONS} if public_vote else None}

    def annex(self, number: str, seq: int) -> dict[str, Any]:
        """One annex of a deliberation, whole (its page masks the private persons it names)."""
        with self.store.engine.connect() as conn:
            act = conn.execute(_ACT, {"number": number}).first()
            annex = conn.execute(_ANNEX, {"number": number, "seq": seq, "document": act.document_id}).first() \
                if act else None
        if act is None or annex is None:
            raise NotFound(f"aucune annexe n° {seq} à la délibération n° {number}")
        return {"number": number, "title": act.data["title"], "seq": seq, **annex._mapping}

    def deliberations(self, asked: listing.Criteria | None = None, limit: int | None = 50,
                      offset: int = 0) -> dict[str, Any]:
        """The list of deliberations: those `asked` for (all, newest first, by default), from
        `offset`, `limit` of them (None: all), with their total."""
        with self.store.engine.connect() as conn:
            every = self.catalog(conn).deliberations
        return listing.select_rows(every, asked or listing.Criteria(), limit, offset)

    def deliberation_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The values the list's filters may take in this store (its form's menus)."""
        with self.store.engine.connect() as conn:
            return listing.choices(self.catalog(conn).deliberations)

    # sittings ----------------------------------------------------------------------------------

    def sittings(self) -> list[dict[str, Any]]:
        """Every stored sitting, newest first, with its counts of acts and speaking turns; a sitting
        stored from two documents (a recueil and its corrected copy) is listed once, as last stored,
        and an act or a turn it holds twice is counted once."""
        s, d, i = schema.sittings, schema.deliberations, schema.interventions
        acts = select(func.count(d.c.number.distinct())).where(d.c.sitting_id == s.c.id).scalar_subquery()
        turns = select(func.count(i.c.seq.distinct())).where(i.c.sitting_id == s.c.id).scalar_subquery()
        latest = schema.latest(s, s.c.id)
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(s.c.id, s.c.body, s.c.date, s.c.data, acts.label("deliberations"),
                                       turns.label("interventions")).where(s.c.pk.in_(latest))
                                .order_by(s.c.date.desc(), s.c.id)).all()
        return [{"id": r.id, "body": r.body, "date": r.date, "president": r.data.get("president"),
                 "present": len(r.data.get("present", [])), "excused": len(r.data.get("excused", [])),
                 "proxies": len(r.data.get("proxies", [])), "deliberations": r.deliberations,
                 "interventions": r.interventions} for r in rows]

    def sitting(self, id: str) -> dict[str, Any]:
        """A sitting: roll call, proxies, and per agenda item its deliberation (with the vote) and
        the speaking turns about it; turns outside any item, and the vœux, apart."""
        s, d, r, i = schema.sittings, schema.deliberations, schema.reports, schema.interventions
        with self.store.engine.connect() as conn:
            row = conn.execute(select(s.c.data, s.c.document_id, schema.documents.c.title.label("document_title"))
                               .join(schema.documents, schema.documents.c.id == s.c.document_id)
                               .where(s.c.id == id).order_by(s.c.pk.desc()).limit(1)).first()
            if row is None:
                raise NotFound(f"aucune séance « {id} »")
            catalog = self.catalog(conn)
            # An act, a rapport or a turn stored from two documents: the last stored only.
            latest_acts = schema.latest(d, d.c.number, where=d.c.sitting_id == id)
            newer_report = r.alias("newer_report")
            latest_report = select(func.max(newer_report.c.pk)).where(
                newer_report.c.deliberation == d.c.number).correlate(d).scalar_subquery()
            acts = conn.execute(select(d.c.number, d.c.title, d.c.data["display_title"].as_string().label("display_title"),
                                       d.c.decision, d.c.data["vote"].label("vote"),
                                       r.c.number.label("item"))
                                .select_from(d.outerjoin(r, and_(r.c.deliberation == d.c.number,
                                                                 r.c.pk == latest_report)))
                                .where(d.c.pk.in_(latest_acts)).order_by(d.c.number)).mappings().all()
            latest_turns = schema.latest(i, i.c.seq, where=i.c.sitting_id == id)
            turns = conn.execute(select(i.c.seq, i.c.speaker, i.c.speaker_name, i.c.agenda_item, i.c.text)
                                 .where(i.c.pk.in_(latest_turns)).order_by(i.c.seq)).mappings().all()
            motions = conn.execute(select(schema.motions.c.title, schema.motions.c.filed_by,
                                          schema.motions.c.text, schema.motions.c.data)
                                   .where(schema.motions.c.document_id == row.document_id)
                                   .order_by(schema.motions.c.pk)).mappings().all()
        data = row.data
        speeches = [{"seq": t["seq"], "speaker": t["speaker"], "speaker_name": t["speaker_name"],
                     "printed_as": _printed_as(t["speaker"], t["speaker_name"]),
                     "speaker_id": catalog.spellings.get(t["speaker_name"] or ""), "agenda_item": t["agenda_item"],
                     "text": t["text"], "anchor": f"intervention-{t['seq']}"} for t in turns]
        by_item: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for speech in speeches:
            by_item[speech["agenda_item"]].append(speech)
        deliberations = [{"number": a["number"], "title": a["title"], "display_title": a["display_title"],
                          "decision": a["decision"], "vote": a["vote"], "item": a["item"]} for a in acts]
        items = []
        for item in data.get("agenda", []):
            decided = [x for x in deliberations if x["item"] == item["number"]]
            title = (decided[0]["display_title"] or decided[0]["title"]) if decided else item.get("display_title")
            items.append({**item, "display_title": title or item["title"], "deliberations": decided,
                          "interventions": by_item.get(item["number"], [])})
        listed = {x["item"] for x in items for x in x["deliberations"]} if items else set()
        return {"id": id, "body": data["body"], "date": data["date"], "president": data.get("president"),
                "secretary": data.get("secretary"), "opened_at": data.get("opened_at"),
                "closed_at": data.get("closed_at"), "source": data["source"], "document_id": row.document_id,
                "document_title": row.document_title,
                "attendance": {st: [self.person(catalog, n) for n in data.get(st, [])] for st in STATUSES},
                "proxies": [{"giver": self.person(catalog, p["giver"]), "holder": self.person(catalog, p["holder"])}
                            for p in data.get("proxies", [])],
                "agenda": items,
                "other_deliberations": [x for x in deliberations if not items or x["item"] not in listed],
                "other_interventions": [t for t in speeches if t["agenda_item"] is None
                                        or t["agenda_item"] not in {x["number"] for x in items}],
                "interventions": len(speeches),
                "motions": [{"title": m["title"], "filed_by": m["filed_by"], "text": m["text"],
                             "signatories": [self.person(catalog, n) for n in m["data"].get("signatories", [])],
                             "anchor": f"voeu-{n}"} for n, m in enumerate(motions, 1)]}

    # councillors -------------------------------------------------------------------------------

    def councillors(self) -> list[dict[str, Any]]:
        """Every person named in attendance, proxies, speaking turns or vœux, by surname."""
        with self.store.engine.connect() as conn:
            return [c.summary() for c in self.catalog(conn).councillors.values()]

    def councillor(self, id: str) -> dict[str, Any]:
        """A councillor: presence, proxies given and received, speaking turns (with their anchors),
        and from the vote ledger their vote on each item with their group that day."""
        i = schema.interventions
        with self.store.engine.connect() as conn:
            catalog = self.catalog(conn)
            who = catalog.councillors.get(id)
            if who is None:
                raise NotFound(f"aucun conseiller « {id} »")
            spellings = [name for name, key in catalog.spellings.items() if key == id]
            turns = conn.execute(select(i.c.sitting_id, i.c.seq, i.c.agenda_item, i.c.text)
                                 .where(i.c.speaker_name.in_(spellings)).order_by(i.c.sitting_id, i.c.seq)).all()
            votes = ledger.votes_of(conn, spellings)
        for vote in votes:
            stored = catalog.titles.get(vote["deliberation"])
            vote["url"] = f"/deliberations/{vote['deliberation']}" if stored else None
            if vote["proxy_holder"]:
                vote["proxy_holder"] = self.person(catalog, vote["proxy_holder"])
        return {**who.summary(), "spellings": sorted(spellings),
                "sittings": sorted(who.sittings, reverse=True),
                "proxies_given": [{**p, "holder_id": catalog.spellings.get(p["holder"])} for p in who.proxies_given],
                "proxies_received": [{**p, "giver_id": catalog.spellings.get(p["giver"])}
                                     for p in who.proxies_received],
                "speeches": [{"sitting": t.sitting_id, "seq": t.seq, "agenda_item": t.agenda_item,
                              "text": t.text,
                              "url": f"/seances/{t.sitting_id}#intervention-{t.seq}"} for t in turns],
                "votes": votes}

    # road orders -------------------------------------------------------------------------------

    def road_orders(self, road: str | None = None, commune: str | None = None,
                    on: str | None = None) -> list[dict[str, Any]]:
        """Road-traffic orders (filtered as `store.roads` does: "D939", "RD 939" or "939";
        communes without accents or case; `on` keeps those in force that day), by road, commune
        and start (QueryError when `on` is not a date)."""
        try:
            orders = roads.road_orders(self.store, commune=commune, road=road, on=on or None)
        except ValueError as error:
            raise QueryError(str(error)) from None
        return [{"id": f"{o.document}/ligne-{o.line}", "url": o.path, "title": o.title, "roads": o.roads,
                 "communes": o.communes, "object": o.object, "road_codes": list(o.road_codes),
                 "commune_names": list(o.commune_names), "page": o.page,
                 "period": {"start": o.start.isoformat(), "end": o.end.isoformat() if o.end else None}
                 if o.start else None}
                for o in sorted(orders, key=lambda o: (_road_sort(o.road_codes), fold(" ".join(o.commune_names)),
                                                       o.start or Date.max))]

    def road_values(self) -> dict[str, list[str]]:
        """The communes and roads that road orders name: what their filters may name."""
        orders = roads.road_orders(self.store)
        return {"commune": sorted({n for o in orders for n in o.commune_names}, key=fold),
                "road": sorted({c for o in orders for c in o.road_codes}, key=lambda code: _road_sort((code,)))}

    # documents ---------------------------------------------------------------------------------

    def document(self, id: str) -> dict[str, Any]:
        """A source document: what it is, its sitting(s), its deliberations and its sommaire
        (the listed acts, by part and section, anchored by their line)."""
        doc, d, s, la = schema.documents, schema.deliberations, schema.sittings, schema.listed_acts
        with self.store.engine.connect() as conn:
            row = conn.execute(select(doc.c.id, doc.c.source, doc.c.kind, doc.c.title, doc.c.ingested_at)
                               .where(doc.c.id == id)).mappings().first()
            if row is None:
                raise NotFound(f"aucun document « {id} »")
            sittings = conn.execute(select(s.c.id, s.c.date, s.c.body).where(s.c.document_id == id)
                                    .order_by(s.c.date)).mappings().all()
            acts = conn.execute(select(d.c.number, d.c.title, d.c.sitting_date, d.c.data["source"].label("source"))
                                .where(d.c.document_id == id).order_by(d.c.number)).mappings().all()
            listed = conn.execute(select(la.c.data).where(la.c.document_id == id).order_by(la.c.pk)).scalars().all()
        return {**row, "sittings": [dict(x) for x in sittings], "deliberations": [dict(x) for x in acts],
                "sommaire": [{**x, "anchor": f"ligne-{x['source']['first_line']}"} for x in listed]}


def _budget(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The budget lines of an act and its rapport as one table: one row per operation, imputation
    and label (the act and its rapport print the same line with different columns: their amounts
    are merged), and the amount columns that any line fills, in printed order."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for line in lines:
        key = (line["operation"], line["imputation"], line["label"])
        row = rows.setdefault(key, {**line, "amounts": {}})
        row["amounts"].update(line.get("amounts", {}))
    columns = list(dict.fromkeys(name for row in rows.values() for name in row["amounts"]))
    return {"columns": columns, "lines": list(rows.values())}


def _printed_as(speaker: str, name: str | None) -> str | None:
    """How the procès-verbal names a speaker, when it does not by the name ("M. LE PRÉSIDENT")."""
    return speaker if name and fold(surname(name)) not in fold(speaker) else None


def _road_sort(codes: tuple[str, ...]) -> tuple[int, str]:
    """D939 before D1001: roads in numeric order, then by suffix."""
    code = codes[0] if codes else ""
    digits = re.search(r"\d+", code)
    return (int(digits[0]) if digits else 1 << 30, code)
