"""Filters and facets of the search: the values each searchable record carries, and how a value
typed by someone finds them again (accents and case folded).

A value is kept as a `slug` (what matches) and a `label` (what is shown, as first printed). In the
index a record carries its values as marker tokens, `__commune__samer`, beside its type, so that
a filter is one more word of the full-text query and costs no scan of its own.

What each key means (the same for every backend):
  body       cd | cp (vocabulary.py's short names): the assembly of a deliberation, and of the séance of a rapport, a speaking
             turn or a vœu
  sitting    the séance ("cd-2025-09-22"), for the same records
  vote       from the deliberation's vote block: unanimous (no vote against, no abstention),
             abstentions (at least one), against (at least one vote against)
  group      a political group that stood apart: it voted against or abstained on the
             deliberation (wholly or some of its members), or it filed the vœu. Speaking turns
             carry no group: the procès-verbal does not say to which group a speaker belongs.
  territory, canton, epci   as the rapport prints them; "Tous les territoires" (cantons, EPCI)
             is a value of its own, not every territory
  commune, road             of a road order (its sommaire line); communes named in the text of a
             deliberation are not recognised (no list of communes to check them against)
A rapport carries every value of its deliberation, and the deliberation those of its rapport.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from recueil.model import Deliberation, ListedAct, Motion, Report, sitting_id
from recueil.store.analysis import LONGEST_WORD, stems, tokens, words
from recueil.store.query import QueryError
from recueil.text.roads import road_key
from recueil.vocabulary import ASSEMBLIES, assembly

FILTERS = ("body", "sitting", "vote", "group", "territory", "canton", "epci", "commune", "road")
NAMES = {  # French names of the keys, for messages
    "body": "organe", "sitting": "séance", "vote": "vote", "group": "groupe", "territory": "territoire",
    "canton": "canton", "epci": "EPCI", "commune": "commune", "road": "route",
}
FEMININE = frozenset({"sitting", "commune", "road"})
VOTES = {"unanimous": "unanimous", "unanime": "unanimous", "unanimite": "unanimous",
         "abstentions": "abstentions", "abstention": "abstentions", "against": "against", "contre": "against"}
_EVERY = {"territory": "Tous les territoires", "canton": "Tous les cantons", "epci": "Tous les EPCI"}
_SITTING = re.compile(r"^([a-z]+)-\d{4}-\d{2}-\d{2}$")

Values = dict[str, dict[str, str]]  # key → slug → label


def slug(key: str, value: str) -> str | None:
    """The folded form a value matches by (None when it cannot be one of `key`), at most
    LONGEST_WORD characters: a longer value is matched by that much of it."""
    found = _slug(key, value)
    return found[:LONGEST_WORD] if found else found


def _slug(key: str, value: str) -> str | None:
    folded = tokens(value)
    if key == "body":
        found = assembly(value)
        return found.short if found else None
    if key == "vote":
        return VOTES.get("_".join(folded))
    if key == "sitting":
        match = _SITTING.match(value.strip().lower())
        return "_".join(folded) if match and assembly(match[1]) else None
    if key == "road":
        return road_key(value)
    if key in _EVERY and folded[:2] == ["tous", "les"]:
        return "tous"
    if key == "group":  # "Groupe Rassemblement National" = "rassemblement national"; plurals folded
        meaning = words(value)
        return "_".join(stems(meaning[1:] if meaning[:1] == ["groupe"] else meaning)) or None
    return "_".join(folded) or None


def marker(key: str, value_slug: str) -> str:
    """The index token of a value ("__" + key + "__" + slug; a slug holds no "__")."""
    return f"__{key}__{value_slug}"


def parse_marker(token: str) -> tuple[str, str] | None:
    """(key, slug) of a marker token; None for a type token ("__deliberation")."""
    key, separator, value_slug = token[2:].partition("__")
    return (key, value_slug) if separator else None


def check_filters(filters: Mapping[str, str] | None) -> dict[str, str]:
    """Key → slug of the filters asked for; QueryError for an unknown key or a malformed value
    (whether a value exists in the store is the index's to check)."""
    checked: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if key not in FILTERS:
            raise QueryError(f"filtre inconnu : {key} (filtres : {', '.join(FILTERS)})")
        if value is None or not str(value).strip():
            continue
        found = slug(key, str(value))
        if found is None:
            expected = {"body": " ou ".join(a.short for a in ASSEMBLIES.values()), "vote": "unanimous, abstentions ou against",
                        "sitting": "organe-AAAA-MM-JJ, par exemple cd-2025-09-22",
                        "road": "un code de route, par exemple D939"}.get(key, "une valeur")
            raise QueryError(f"{NAMES[key]} invalide : {value} (attendu : {expected})")
        checked[key] = found
    return checked


def _add(values: Values, key: str, labels: Iterable[str | None]) -> None:
    for label in labels:
        found = slug(key, label) if label else None
        if found:
            values.setdefault(key, {}).setdefault(found, _EVERY[key] if found == "tous" and key in _EVERY
                                                  else label.strip())  # type: ignore[union-attr]


def of_sitting(body: str | None, date: str | None) -> Values:
    """The values of a record of a séance (a speaking turn, a vœu…): its body and séance."""
    values: Values = {}
    found = assembly(body)
    if found:
        _add(values, "body", [found.short])
        if date:
            _add(values, "sitting", [sitting_id(body, date)])  # type: ignore[arg-type]
    return values


def of_deliberation(deliberation: Deliberation, report: Report | None) -> Values:
    """The values of a deliberation and its rapport (which share them)."""
    values = of_sitting(deliberation.body, deliberation.sitting_date)
    vote = deliberation.vote
    if vote is not None:
        if vote.contre == 0 and vote.abstention == 0 and vote.pour > 0:
            _add(values, "vote", ["unanimous"])
        if vote.abstention > 0:
            _add(values, "vote", ["abstentions"])
        if vote.contre > 0:
            _add(values, "vote", ["against"])
        _add(values, "group", [*vote.groups.get("contre", []), *vote.groups.get("abstention", [])])
    if report is not None:
        values.update(of_report(report))
    return values


def of_report(report: Report) -> Values:
    """The values of a rapport without its deliberation."""
    values: Values = {}
    _add(values, "territory", report.territories)
    _add(values, "canton", report.cantons)
    _add(values, "epci", report.epci)
    return values


def of_listed_act(act: ListedAct) -> Values:
    values: Values = {}
    _add(values, "commune", act.commune_names)
    _add(values, "road", act.road_codes)
    return values


def of_motion(motion: Motion, body: str | None, date: str | None) -> Values:
    values = of_sitting(body, date)
    _add(values, "group", [motion.filed_by])
    return values
