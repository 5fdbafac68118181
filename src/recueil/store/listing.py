"""The list of deliberations: one row per act with its vote, filtered and sorted in memory.

The list mixes columns (date, body, séance) with the vote block's JSON (each group's positions),
and it is read far more often than the store changes: its rows are built once per version of the
store, with the browser's `Catalog`, and a request filters a list of dicts (bench/listing.py:
about 20 ms for ten thousand acts, near the cost of sorting them once; the same on SQLite and
PostgreSQL). A number printed by two séances (the item order of two communes) gives two rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from functools import cache
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, select

from recueil.store import ledger, schema
from recueil.store.facets import check_filters
from recueil.store.groups import derived_counts, membership_on
from recueil.store.groups import slug as group_slug
from recueil.store.query import QueryError
from recueil.text.clean import fold
from recueil.vocabulary import RESULTS, assembly, capitalised, nomenclature

POSITIONS = ("pour", "contre", "abstention", "ne_prend_pas_part", "absent_sans_delegation")
VOTED = {"pour", "contre", "abstention", "ne_prend_pas_part"}  # a group split between two of these is "divided"
COUNTS = ("pour", "contre", "abstention", "ne_prend_pas_part", "absent_sans_delegation")
SORTS = {"-date": "les plus récentes d'abord", "date": "les plus anciennes d'abord",
         "number": "par numéro croissant", "-number": "par numéro décroissant"}
PATTERNS = {"unanimous": "à l'unanimité", "abstentions": "avec abstentions", "against": "avec votes contre",
            "divided": "un groupe partagé"}
PARAMETERS = ("from", "to", "body", "sitting", "matiere", "vote", "group", "position", "result", "q", "sort")
_MATIERE = re.compile(r"^\d(\.\d{1,2})?$")
_PARTS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Criteria:
    """What a list of deliberations is asked for, checked: dates ISO, `body` and `sitting` as the
    search's filters, `matiere` an ACTES code or its first figure ("7" or "7.4"), `group` a
    group's slug (accents, case and plurals folded) with an optional `position` (alone: some group
    held it), `q` folded words that every title must hold."""

    date_from: str | None = None
    date_to: str | None = None
    body: str | None = None
    sitting: str | None = None
    matiere: str | None = None
    vote: str | None = None
    group: str | None = None
    position: str | None = None
    result: str | None = None
    words: tuple[str, ...] = ()
    sort: str = "-date"
    given: tuple[tuple[str, str], ...] = ()  # the parameters as asked, for messages

    def inverted(self) -> str | None:
        """Why nothing can match when the period ends before it starts (said, not refused)."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            return (f"période inversée : du {self.date_from} au {self.date_to} (la date de début doit précéder "
                    "celle de fin)")
        return None


def criteria(params: Mapping[str, str | None]) -> Criteria:
    """The criteria of a request's parameters (empty ones ignored); QueryError, in French and naming
    the parameter, for an unknown parameter or value."""
    given = {key: str(value).strip() for key, value in params.items() if value is not None and str(value).strip()}
    unknown = sorted(given.keys() - set(PARAMETERS))
    if unknown:
        raise QueryError(f"paramètre inconnu : {unknown[0]} (paramètres : {', '.join(PARAMETERS)})")
    dates = {key: _date(key, given.get(key)) for key in ("from", "to")}
    slugs = check_filters({key: given[key] for key in ("body", "sitting", "group") if key in given})
    matiere = given.get("matiere")
    if matiere and not _MATIERE.match(matiere):
        raise QueryError(f"matière invalide : {matiere} (attendu : un code ACTES, par exemple 7 ou 7.4)")
    for key, allowed in (("vote", PATTERNS), ("position", POSITIONS), ("sort", SORTS),
                         ("result", RESULTS)):
        if key in given and given[key] not in allowed:
            raise QueryError(f"{key} invalide : {given[key]} (attendu : {' ou '.join(allowed)})")
    return Criteria(dates["from"], dates["to"], slugs.get("body"), given.get("sitting", "").lower() or None, matiere,
                    given.get("vote"), slugs.get("group"), given.get("position"), given.get("result"),
                    tuple(fold(given.get("q", "")).split()), given.get("sort", "-date"), tuple(given.items()))


def _date(key: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return Date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"date invalide pour {key} : {value} (attendu : AAAA-MM-JJ, une date qui existe)") from None


def rows(conn: Connection, group_name: Mapping[str, str], periods: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every deliberation (its last reading per number and séance) as a row of the list; `group_name`
    maps a group's slug to the one spelling shown. `group_counts` are the ledger's when the séance
    was held here (`group_counts_source` "ledger"), else what the vote block and the membership
    of that date (from the `member` records `periods`) fix ("derived", store/groups.py)."""
    d = schema.deliberations
    latest = schema.latest(d, d.c.number, d.c.sitting_id)
    labels = nomenclature()
    held = ledger.group_counts(conn)
    membership = cache(lambda body, day: membership_on(periods, body, day) if day else None)  # one a séance

    def spelled(counts: Mapping[str, Any]) -> dict[str, Any]:
        return {group_name.get(group_slug(g), g): by_position for g, by_position in counts.items()}

    found = []
    for row in conn.execute(select(d.c.number, d.c.sitting_id, d.c.sitting_date, d.c.body, d.c.title, d.c.decision,
                                   d.c.data).where(d.c.pk.in_(latest))):
        data, vote = row.data, row.data.get("vote") or {}
        groups: dict[str, list[str]] = {}
        for position in POSITIONS:
            for printed in vote.get("groups", {}).get(position, []):
                key = group_slug(printed)
                positions = groups.setdefault(group_name.get(key, printed), [])
                if position not in positions:
                    positions.append(position)
        code = data.get("matiere_code")
        counts, source = held.get((row.number, row.sitting_date)), "ledger"
        if counts is None:
            counts, source = derived_counts(vote, membership(row.body, row.sitting_date), data.get("attendance")), \
                "derived"
        found.append({
            "number": row.number, "date": row.sitting_date, "body": row.body, "sitting": row.sitting_id,
            "title": row.title, "display_title": data.get("display_title") or row.title,
            "decision": row.decision, "result": data.get("result") or vote.get("result"),
            "matiere_code": code, "matiere": capitalised(labels[code][1]) if code in labels else None,
            **{count: vote.get(count) if vote else None for count in COUNTS},
            "unanimous": bool(vote.get("unanimous")) or (bool(vote) and not vote.get("contre")
                                                        and not vote.get("abstention") and bool(vote.get("pour"))),
            "derived": bool(vote.get("derived")), "groups": groups,
            "group_counts": spelled(counts), "group_counts_source": source if counts else None,
            "published": data.get("published"),
            "url": f"/deliberations/{quote(row.number)}",
            "_body": _short(row.body),
            "_slugs": {group_slug(g): p for g, p in groups.items()},
            "_words": fold(f"{row.number} {row.title}"),
            "_number": tuple(int(p) if p.isdigit() else p for p in _PARTS.split(row.number)),
        })
    return found


def _matches(row: dict[str, Any], asked: Criteria) -> bool:
    date = row["date"] or ""
    groups: dict[str, list[str]] = row["_slugs"]
    return all((
        not asked.date_from or date >= asked.date_from,
        not asked.date_to or (bool(date) and date <= asked.date_to),
        not asked.body or row["_body"] == asked.body,
        not asked.sitting or row["sitting"] == asked.sitting,
        not asked.matiere or (row["matiere_code"] or "") == asked.matiere
        or (row["matiere_code"] or "").startswith(asked.matiere + "."),
        not asked.vote or _pattern(row, asked.vote),
        not asked.group or (asked.group in groups and (not asked.position or asked.position in groups[asked.group])),
        not asked.position or bool(asked.group) or any(asked.position in held for held in groups.values()),
        not asked.result or row["result"] == asked.result,
        all(word in row["_words"] for word in asked.words),
    ))


def _short(body: str) -> str | None:
    found = assembly(body)
    return found.short if found else None


def _pattern(row: dict[str, Any], pattern: str) -> bool:
    if pattern == "unanimous":
        return bool(row["unanimous"])
    if pattern == "abstentions":
        return (row["abstention"] or 0) > 0
    if pattern == "against":
        return (row["contre"] or 0) > 0
    return any(len(set(positions) & VOTED) > 1 for positions in row["groups"].values())


def _sort_key(sort: str) -> Any:
    if sort.endswith("date"):
        return lambda row: (row["date"] or "", row["_number"])
    return lambda row: row["_number"]


def select_rows(every: Iterable[dict[str, Any]], asked: Criteria, limit: int | None,
                offset: int = 0) -> dict[str, Any]:
    """The rows that match, sorted, from `offset` (all of them when `limit` is None), and their total;
    `notice` says why none can (an inverted period). A group or séance that no row holds is refused,
    as the search refuses an unknown value."""
    every = list(every)
    given = dict(asked.given)
    if asked.group and not any(asked.group in r["_slugs"] for r in every):
        raise QueryError(f"groupe inconnu : {given.get('group', asked.group)}")
    if asked.sitting and not any(r["sitting"] == asked.sitting for r in every):
        raise QueryError(f"séance inconnue : {given.get('sitting', asked.sitting)}")
    notice = asked.inverted()
    if notice:
        return {"total": 0, "offset": offset, "limit": limit, "results": [], "notice": notice}
    matching = sorted((r for r in every if _matches(r, asked)), key=_sort_key(asked.sort),
                      reverse=asked.sort.startswith("-"))
    page = matching[offset:] if limit is None else matching[offset:offset + limit]
    return {"total": len(matching), "offset": offset, "limit": limit,
            "results": [{k: v for k, v in r.items() if not k.startswith("_")} for r in page], "notice": None}


def choices(every: Iterable[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """What the list's filters may be set to, as (value, label) pairs: the assemblies, séances,
    matières and groups of the stored acts."""
    every = list(every)
    matieres = {code.split(".")[0]: capitalised(matiere) for code, (matiere, _) in nomenclature().items()}
    return {
        "body": sorted({(r["_body"], r["_body"]) for r in every if r["_body"]}),
        "sitting": sorted({(r["sitting"], r["date"] or "") for r in every if r["sitting"]}, key=lambda s: s[1],
                          reverse=True),
        "matiere": sorted({(m, matieres[m]) for r in every if r["matiere_code"]
                           and (m := r["matiere_code"].split(".")[0]) in matieres}),
        "group": sorted({(g, g) for r in every for g in r["groups"]}, key=lambda g: fold(g[0])),
    }
