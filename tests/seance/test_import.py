"""`recueil seance import`: a séance file replayed through the rules in one transaction — exit 0 and
the numbers given, or exit 2 with one line per broken rule and nothing stored — through the real
command line, and through the library on both databases."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from recueil import jobs
from recueil.cli import app
from recueil.seance.importer import import_sitting, schema, validate
from recueil.seance.rules import Refused
from recueil.seance.storage import load_ledger
from recueil.store import schema as tables
from recueil.store.database import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = EXAMPLES / "seance-exemple.json"
WRITTEN = (tables.recorded_sittings, tables.recorded_items, tables.vote_casts, tables.deliberation_numbers)
runner = CliRunner()


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def run(tmp_path: Path, data: dict[str, Any] | str, *options: str, db: str | None = None):
    path = tmp_path / "seance.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["seance", "import", str(path), "--db", db or f"sqlite:///{tmp_path / 'store.db'}",
                                 *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def stored_rows(url: str) -> list[int]:
    with Store(url) as store, store.engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in WRITTEN]


def test_the_example_is_imported_with_its_numbers(tmp_path: Path) -> None:
    result = run(tmp_path, example(), "--premier-numero", "2025-031")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "séance cd-2025-03-03 enregistrée, 2 délibérations : 2025-031 à 2025-032",
        "2025-031\trapport n° 1\tadoptée (10 pour, 0 contre, 0 abstention)",
        "2025-032\trapport n° 2\tadoptée (8 pour, 0 contre, 2 abstentions)",
        "—\trapport n° 3\tretiré"]
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.engine.connect() as conn:
        ledger = load_ledger(conn, "2025-032")
    assert [(c.member, c.position, c.by_proxy, c.proxy_holder) for c in ledger if c.by_proxy or c.position != "pour"] \
        == [("Claire ROUSSEL", "pour", True, "Karim BELHADJ"), ("Bernard NOWAK", "pour", True, "Inès FOURNIER"),
            ("Sarah DUCROCQ", "abstention", False, None), ("Julien TESSIER", "abstention", False, None)]
    again = run(tmp_path, example())
    assert (again.exit_code, again.stderr) == (2, "séance déjà enregistrée : cd-2025-03-03\n")


def test_every_broken_rule_is_one_line_and_nothing_is_stored(tmp_path: Path) -> None:
    data = example()
    data["proxies"].append({"giver": "Sarah DUCROCQ", "holder": "Karim BELHADJ"})  # present, and Belhadj holds one
    data["items"][0]["departures"] = ["Hélène VASSEUR", "Thomas GRANDEL", "Inès FOURNIER", "Karim BELHADJ"]
    data["items"][1]["arrivals"] = ["Hélène VASSEUR", "Thomas GRANDEL"]
    data["items"][1]["vote"] = {"mode": "public", "members": {"Hélène VASSEUR": "pour"}}
    data["items"][2] = {"report": 2, "title": "Doublon", "decision": "DONNE ACTE"}
    result = run(tmp_path, data)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "délégation de vote de Sarah DUCROCQ, présent (CGCT L3121-16 : seul un membre empêché d'assister peut la "
        "donner)",
        "Karim BELHADJ détient déjà la délégation de vote de Claire ROUSSEL (CGCT L3121-16 : nul ne peut recevoir plus "
        "d'une délégation)",
        "quorum non atteint (CGCT L3121-14) : 4 présents sur 10 en exercice, 6 requis — rapport n° 1 non délibéré",
        "rapport n° 2 : scrutin public incomplet (CGCT L3121-15 : le nom des votants et le sens de leur vote) : aucun "
        "vote pour Thomas GRANDEL, Pierre-Yves LECOQ, Sarah DUCROCQ, Julien TESSIER, Odile MARCHAND",
        "rapport n° 2 déjà examiné à cette séance (numérotation propre à la séance)"]
    assert stored_rows(f"sqlite:///{tmp_path / 'store.db'}") == [0, 0, 0, 0]


def test_the_file_is_checked_against_its_schema_first(tmp_path: Path) -> None:
    data = example()
    del data["president"]
    data["date"] = "3 mars 2025"
    data["colour"] = "bleu"
    data["items"][0]["vote"] = {"mode": "levée", "default": "pour"}
    data["items"][1]["vote"]["default"] = "oui"
    data["items"][1]["report"] = 0
    data["items"].append({"report": 4, "title": "Désignation", "vote": {"mode": "secret", "totals": {"pour": -1},
                                                                         "members": {}}})
    result = run(tmp_path, data)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "fichier : champ obligatoire absent : president",
        "fichier : champ inconnu : colour",
        "date : « 3 mars 2025 » : format attendu AAAA-MM-JJ",
        "items/0/vote/mode : valeur « levée » non permise (permises : main_levee, public, secret)",
        "items/1/report : 0 : au moins 1",
        "items/1/vote/default : valeur « oui » non permise (permises : pour, contre, abstention, ne_prend_pas_part)",
        "items/3/vote : champ inconnu : members",
        "items/3/vote/totals/pour : -1 : au moins 0"]
    assert run(tmp_path, "{ pas du JSON").stderr.startswith(f"{tmp_path / 'seance.json'} : JSON invalide, ligne 1")
    assert run(tmp_path, "[]").stderr == "fichier : type attendu : objet\n"


def test_without_members_in_the_file_the_store_gives_them(tmp_path: Path) -> None:
    data = example()
    members = data.pop("members")
    assert run(tmp_path, data).stderr == ("aucun membre en exercice au Conseil départemental le 3 mars 2025 "
                                          "(importez la liste des membres, ou donnez-la dans le fichier)\n")
    listed = tmp_path / "membres.csv"
    listed.write_text("nom;civilite;organe;groupe;du\n" + "".join(
        f"{m['name']};{m['civility']};cd;{m['group']};2021-07-01\n" for m in members), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert runner.invoke(app, ["membres", "import", str(listed), "--db", db]).exit_code == 0
    assert run(tmp_path, data, db=db).exit_code == 0


def test_numbers_follow_those_read_from_documents_and_are_never_reused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(db) as store:
        jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)  # 2025-031 and 2025-032
    refused = run(tmp_path, example(), "--premier-numero", "2025-031", db=db)
    assert (refused.exit_code, refused.stderr) == (2, "numéro déjà passé : 2025-031 (la série de 2025 est à 2025-032 ; "
                                                      "un numéro n'est jamais réutilisé, premier libre : 2025-033)\n")
    done = run(tmp_path, example(), db=db)
    assert done.stdout.splitlines()[0] == "séance cd-2025-03-03 enregistrée, 2 délibérations : 2025-033 à 2025-034"
    commission = example() | {"body": "commission_permanente", "date": "2025-03-10", "convocation_sent": "2025-03-01"}
    assert run(tmp_path, commission, db=db).stdout.splitlines()[0] == (
        "séance cp-2025-03-10 enregistrée, 2 délibérations : 2025-035 à 2025-036")  # one series for both assemblies


def test_a_refused_import_stores_nothing_on_either_database(store_url: str) -> None:
    broken = example()
    broken["items"][1]["not_taking_part"] = ["Inconnu TOTAL"]
    with Store(store_url) as store:
        with pytest.raises(Refused) as refused, store.writing() as conn:
            import_sitting(conn, broken, "2025-031")
        assert refused.value.reasons == ["rapport n° 2 : Inconnu TOTAL n'est pas membre du Conseil départemental le "
                                         "3 mars 2025"]
        assert stored_rows(store_url) == [0, 0, 0, 0]
        with store.writing() as conn:
            sitting = import_sitting(conn, example(), "2025-031")
        assert sitting.numbers == ["2025-031", "2025-032"]
        assert stored_rows(store_url) == [1, 3, 20, 2]


def test_the_schema_is_a_valid_json_schema_and_the_example_follows_it() -> None:
    Draft202012Validator.check_schema(schema())
    assert validate(example()) == []
    reported = copy.deepcopy(example())
    reported["items"][0]["vote"] = {"mode": "secret", "totals": {"pour": 10}}
    assert validate(reported) == []


def test_the_commands_are_documented() -> None:
    for group in ("seance", "membres"):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0 and "import" in result.output
    assert "--premier-numero" in runner.invoke(app, ["seance", "import", "--help"]).output
