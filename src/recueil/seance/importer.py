"""`recueil seance import`: a whole sitting, described in the séance file of DESIGN.md §4, replayed
through the steps of `Sitting` — so under the same rules as one recorded live — and stored in one
transaction, or refused with one French line per broken rule and nothing stored.

The file is first checked against its JSON Schema (seance.schema.json, in the package). Then the
replay goes on after a refused step (the item is set aside), so that one run lists every broken
rule rather than the first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from recueil.model import sitting_id
from recueil.seance.ledger import ByGroup, ByMember, Entry, Totals
from recueil.seance.members import NON_INSCRITS, Membership, Roster, load_members
from recueil.seance.numbering import Series, series_for
from recueil.seance.rules import Refused
from recueil.seance.sitting import DECIDE, DONNE_ACTE, Commission, Sitting
from recueil.seance.storage import recorded, save_sitting
from recueil.text.names import name_key

SCHEMA = Path(__file__).with_name("seance.schema.json")
_TYPES = {"string": "texte", "integer": "entier", "number": "nombre", "array": "liste", "object": "objet",
          "boolean": "booléen (true ou false)", "null": "null"}
_DETAILS = ("pole", "direction", "service", "territories", "cantons", "epci", "visas", "articles")


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


def _french(error: Any) -> str:
    """A jsonschema error in French."""
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        return f"champ obligatoire absent : {', '.join(v for v in value if v not in instance)}"
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return f"champ inconnu : {', '.join(sorted(k for k in instance if k not in known))}"
    if kind == "type":
        wanted: list[str] = value if isinstance(value, list) else [value]
        return f"type attendu : {' ou '.join(_TYPES.get(v, v) for v in wanted)}"
    if kind in ("enum", "const"):
        allowed = value if kind == "enum" else [value]
        return f"valeur « {instance} » non permise (permises : {', '.join(str(v) for v in allowed)})"
    if kind == "pattern":
        return f"« {instance} » : format attendu {error.schema.get('description', value)}"
    if kind == "minimum":
        return f"{instance} : au moins {value}"
    if kind == "minLength":
        return "texte vide"
    return f"valeur invalide ({error.message})"


def validate(data: Any) -> list[str]:
    """The file's departures from its JSON Schema, one French line each, with where they are
    ("items/3/vote/mode : …")."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema()).iter_errors(data),
                    key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path])
    return [f"{'/'.join(str(p) for p in e.absolute_path) or 'fichier'} : {_french(e)}" for e in errors]


def _roster(data: Mapping[str, Any]) -> tuple[Roster, list[str]]:
    """The members the file lists, as the roster of its assembly on its date."""
    members, reasons, seen = [], [], set()
    for entry in data["members"]:
        key = name_key(entry["name"])
        if key in seen:
            reasons.append(f"membre listé deux fois : {entry['name']}")
        seen.add(key)
        group = entry.get("group") or NON_INSCRITS
        members.append(Membership(entry["name"], entry.get("civility"), data["body"], group, entry.get("canton"),
                                  entry.get("voting", True)))
    return Roster(data["body"], data["date"], tuple(members)), reasons


def _entry(vote: Mapping[str, Any]) -> Entry:
    if vote["mode"] == "public":
        return ByMember(vote["members"])
    if vote["mode"] == "secret":
        return Totals(**vote.get("totals", {}))
    return ByGroup(vote.get("groups", {}), vote.get("default"), vote.get("members", {}))


def _step(reasons: list[str], action: Callable[..., object], *args: Any, context: str = "") -> bool:
    """Runs one step; a refusal adds its reasons (with `context` where they do not say it)."""
    try:
        action(*args)
    except Refused as refused:
        reasons.extend(r if not context or context in r else f"{context} : {r}" for r in refused.reasons)
        return False
    return True


def _item(sitting: Sitting, item: Mapping[str, Any], reasons: list[str]) -> None:
    """One item of the file through its steps; a refused step sets the item aside."""
    context = f"rapport n° {item['report']}"
    decision = item.get("decision", DECIDE)
    vote = item.get("vote")
    withdrawn = item.get("withdrawn", False)
    problems = []
    if withdrawn and vote:
        problems.append("retiré, il n'a pas de vote")
    elif decision == DONNE_ACTE and vote:
        problems.append(f"{DONNE_ACTE} : pas de vote")
    elif decision == DECIDE and not vote and not withdrawn:
        problems.append(f"{DECIDE} sans vote (ou « withdrawn » s'il est retiré)")
    reasons.extend(f"{context} : {p}" for p in problems)
    commission = Commission(**item["commission"]) if item.get("commission") else None
    details = {key: item[key] for key in _DETAILS if item.get(key) is not None}
    if not _step(reasons, lambda: sitting.take_up(item["report"], item["title"], decision, commission=commission,
                                                  **details), context=context):
        return
    done = not problems and all(_step(reasons, action, names, context=context) for action, names in (
        (sitting.arrive, item.get("arrivals", [])), (sitting.depart, item.get("departures", [])),
        (sitting.not_taking_part, item.get("not_taking_part", []))) if names)
    if done and not withdrawn:
        deliberate = sitting.give_act if decision == DONNE_ACTE else lambda: sitting.vote(_entry(item["vote"]))
        done = _step(reasons, deliberate, context=context)
    if withdrawn or not done:
        sitting.withdraw()


def replay(data: Mapping[str, Any], roster: Roster, series: Series) -> tuple[Sitting | None, list[str]]:
    """The sitting of a (valid) séance file, step by step, and the rules it broke."""
    reasons: list[str] = []
    try:
        sitting = Sitting.open(roster, data["president"], series, secretary=data.get("secretary"),
                               opened_at=data.get("opened_at"), place=data.get("place"),
                               convocation_sent=data.get("convocation_sent"),
                               reconvened_from=data.get("reconvened_from"))
    except Refused as refused:
        return None, refused.reasons
    roll = data["roll_call"]
    if not _step(reasons, sitting.roll_call, roll["present"], roll.get("excused", []), roll.get("absent", [])):
        return None, reasons
    for proxy in data.get("proxies", []):
        _step(reasons, sitting.give_proxy, proxy["giver"], proxy["holder"])
    for item in data["items"]:
        _item(sitting, item, reasons)
    _step(reasons, sitting.close, data.get("closed_at"))
    return sitting, reasons


def import_sitting(conn: Connection, data: Any, first_number: str | None = None) -> Sitting:
    """Replays a séance file's data and stores the sitting on `conn` (a writing transaction).
    Raises `Refused` with every broken rule, having stored nothing."""
    reasons = validate(data)
    if reasons:
        raise Refused(reasons)
    body, day = data["body"], data["date"]
    if "members" in data:
        roster, reasons = _roster(data)
    else:
        roster = Roster.on(load_members(conn, body), body, day)
    if recorded(conn, sitting_id(body, day)):
        reasons.append(f"séance déjà enregistrée : {sitting_id(body, day)}")
    year = int(day[:4])
    try:
        series = series_for(conn, year, first_number)
    except Refused as refused:
        reasons.extend(refused.reasons)
        series = Series(year, 1)
    sitting, broken = replay(data, roster, series)
    reasons.extend(broken)
    if reasons or sitting is None:
        raise Refused(reasons)
    save_sitting(conn, sitting)
    return sitting


def read_file(path: Path) -> Any:
    """The JSON of a séance file; `Refused` in one line when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise Refused([f"{path} : illisible ({error.strerror})"]) from error
    except UnicodeDecodeError as error:
        raise Refused([f"{path} : pas en UTF-8 (octet {error.start})"]) from error
    except json.JSONDecodeError as error:
        raise Refused([f"{path} : JSON invalide, ligne {error.lineno}, colonne {error.colno} ({error.msg})"]) from error
