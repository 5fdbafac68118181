"""The export of what the write side records: the `member` and `vote_cast` records of the JSONL
export with exactly the fields of DESIGN.md §4, and the SCDL vote columns taken from the ledger,
on the example sitting (examples/seance-exemple.json) replayed through `recueil seance import`."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest
from click.testing import CliRunner

from recueil import jobs
from recueil.cli import app
from recueil.config import Collectivite
from recueil.export.scdl import row
from recueil.store.database import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "scdl-deliberations-2.1.5.schema.json"
MEMBER = {"type", "name", "civility", "body", "group", "canton", "voting", "from", "to"}
VOTE_CAST = {"type", "deliberation", "member", "group", "position", "by_proxy", "proxy_holder", "derived"}
AVENIR, ECOLOGIE = "Groupe Avenir du Val-de-Lys", "Groupe Écologie et Solidarités"
runner = CliRunner()


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / "seance-exemple.json").read_text(encoding="utf-8"))
    return loaded


def cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def import_example(tmp_path: Path, db: str, data: dict[str, Any]) -> None:
    path = tmp_path / "seance.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli("seance", "import", str(path), "--premier-numero", "2025-031", "--db", db)


def exported(db: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in cli("export", "--format", "jsonl", "--db", db).stdout.splitlines()]


def test_members_and_votes_of_a_sitting_file(tmp_path: Path) -> None:
    """The members the file lists, known to no members list: one period each, from and to the
    date of the sitting; every member's vote on each deliberation, with the group of the day."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    import_example(tmp_path, db, example())
    records = exported(db)
    members = [r for r in records if r["type"] == "member"]
    casts = [r for r in records if r["type"] == "vote_cast"]
    assert {frozenset(r) for r in members} == {frozenset(MEMBER)}
    assert {frozenset(r) for r in casts} == {frozenset(VOTE_CAST)}
    assert len(members) == 10 and len(casts) == 20
    assert members[0] == {"type": "member", "name": "Hélène VASSEUR", "civility": "Mme",
                          "body": "conseil_departemental", "group": AVENIR, "canton": None, "voting": True,
                          "from": "2025-03-03", "to": "2025-03-03"}
    by = {(c["deliberation"], c["member"]): c for c in casts}
    assert by["2025-032", "Claire ROUSSEL"] == {
        "type": "vote_cast", "deliberation": "2025-032", "member": "Claire ROUSSEL", "group": AVENIR,
        "position": "pour", "by_proxy": True, "proxy_holder": "Karim BELHADJ", "derived": True}
    assert by["2025-032", "Sarah DUCROCQ"] == {
        "type": "vote_cast", "deliberation": "2025-032", "member": "Sarah DUCROCQ", "group": ECOLOGIE,
        "position": "abstention", "by_proxy": False, "proxy_holder": None, "derived": True}
    assert [c["position"] for c in casts if c["deliberation"] == "2025-032"] == [
        "pour"] * 7 + ["abstention"] * 2 + ["pour"]
    assert {c["deliberation"] for c in casts} == {"2025-031", "2025-032"}  # the withdrawn item has none


def test_members_by_period_and_the_group_of_the_day(tmp_path: Path) -> None:
    """With a members list, its periods are the `member` records (a change of group is a new one),
    and a vote names the group the member belonged to on the day of the sitting."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    data = example()
    members = data.pop("members")
    lines = ["nom;civilite;organe;groupe;canton;votant;du;au"]
    for m in members:
        if m["name"] == "Odile MARCHAND":
            lines += ["Odile MARCHAND;Mme;cd;Non-inscrits;Lys-Sud;oui;2021-07-01;2025-02-28",
                      f"Odile MARCHAND;Mme;cd;{ECOLOGIE};Lys-Sud;oui;2025-03-01;"]
        else:
            lines.append(f"{m['name']};{m['civility']};cd;{m['group']};;oui;2021-07-01;")
    (tmp_path / "membres.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("membres", "import", str(tmp_path / "membres.csv"), "--db", db)
    data["items"][1]["vote"]["members"] = {"Odile MARCHAND": "contre"}
    import_example(tmp_path, db, data)
    records = exported(db)
    assert [r for r in records if r["type"] == "member" and r["name"] == "Odile MARCHAND"] == [
        {"type": "member", "name": "Odile MARCHAND", "civility": "Mme", "body": "conseil_departemental",
         "group": "Non-inscrits", "canton": "Lys-Sud", "voting": True, "from": "2021-07-01", "to": "2025-02-28"},
        {"type": "member", "name": "Odile MARCHAND", "civility": "Mme", "body": "conseil_departemental",
         "group": ECOLOGIE, "canton": "Lys-Sud", "voting": True, "from": "2025-03-01", "to": None}]
    assert sum(1 for r in records if r["type"] == "member") == 11  # the list's periods, none added from the sitting
    assert [(r["deliberation"], r["group"], r["position"], r["derived"]) for r in records
            if r["type"] == "vote_cast" and r["member"] == "Odile MARCHAND"] == [
        ("2025-031", ECOLOGIE, "pour", True), ("2025-032", ECOLOGIE, "contre", False)]


def _validate(path: Path) -> frictionless.Report:
    if not SCHEMA.exists():
        pytest.skip(f"schéma absent : {SCHEMA}")
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


def test_the_scdl_vote_columns_come_from_the_ledger(tmp_path: Path) -> None:
    """The example's acts as published (examples/seance-exemple.md) print 8 pour and 2 abstentions
    on 2025-032; the ledger, where Odile MARCHAND voted against her group's line, gives the columns."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    data = example()
    data["items"][1]["vote"]["members"] = {"Odile MARCHAND": "contre"}
    import_example(tmp_path, db, data)
    with Store(db) as store:
        jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)
    out = tmp_path / "deliberations.csv"
    cli("export", "--format", "scdl", "--out", str(out), "--db", db)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["DELIB_ID"]: r for r in csv.DictReader(handle)}
    columns = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")
    assert [rows["2025-031"][c] for c in columns] == ["10", "10", "10", "0", "0"]
    assert [rows["2025-032"][c] for c in columns] == ["10", "10", "7", "1", "2"]
    report = _validate(out)
    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid


def test_a_secret_ballot_gives_the_voters_not_their_votes() -> None:
    """A secret ballot's ledger names who voted, not how: the number voting comes from it, the
    votes from the act's vote block."""
    record = {"number": "2025-040", "sitting_date": "2025-03-03", "matiere_code": "5.3", "title": "Désignation",
              "vote": {"pour": 6, "contre": 2, "abstention": 1, "en_exercice": 10}, "attendance": {}}
    casts = [{"position": None}] * 9 + [{"position": "absent"}]
    got = row(copy.deepcopy(record), Collectivite(), casts)
    assert [got[c] for c in ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")] == \
        [10, 9, 6, 2, 1]
    public = [{"position": p} for p in ["pour"] * 5 + ["contre", "abstention", "ne_prend_pas_part", "absent",
                                                           "absent"]]
    got = row(copy.deepcopy(record), Collectivite(), public)
    assert [got[c] for c in ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")] == \
        [10, 7, 5, 1, 1]
