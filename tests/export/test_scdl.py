"""The SCDL export of the real corpus: valid against the schema, one row per deliberation, exact values."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import frictionless
import pytest
from click.testing import CliRunner

from recueil import jobs
from recueil.cli import app
from recueil.config import Collectivite, Config
from recueil.export.scdl import COLUMNS, ScdlError, row
from recueil.ingest.pipeline import parse
from recueil.store.database import Store

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "scdl-deliberations-2.1.5.schema.json"
VALIDATA = Path(__file__).resolve().parents[2] / ".venv-validata" / "bin" / "python"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, raa_2021, seance_2025) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('scdl') / 'scdl.db'}"
    with Store(url) as store:
        store.save(parse(raa_2021))
        store.save(parse(seance_2025))
    return url


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "deliberations.csv"
    with Store(db) as store, path.open("w", encoding="utf-8") as out:
        assert jobs.export(store, "scdl", out) == 33
    return path


@pytest.fixture(scope="module")
def rows(exported) -> dict[str, dict[str, str]]:
    with exported.open(encoding="utf-8", newline="") as handle:
        return {r["DELIB_ID"]: r for r in csv.DictReader(handle)}


def _schema() -> dict:
    if not SCHEMA.exists():
        pytest.skip(f"schéma absent : {SCHEMA}")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _validate(path: Path) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(_schema())
    return frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


def _validata(path: Path) -> dict:
    """The report of validata-core, the validator of the French open-data schemas (validata.fr),
    run from its own environment (`make validata`: it pins an older frictionless, and is AGPL, a
    tool of the tests only): {"valid", "errors": [[row, field, code, name in French]], "rows"}."""
    if not VALIDATA.exists():
        pytest.skip(f"validata-core absent ({VALIDATA}) : make validata l'installe")
    script = ("import json, sys, warnings; warnings.simplefilter('ignore'); import validata_core\n"
              "report = validata_core.validate(sys.argv[1], sys.argv[2]).to_dict()\n"
              "task = report['tasks'][0]\n"
              "print(json.dumps({'valid': report['valid'], 'rows': task['resource']['stats']['rows'],"
              " 'errors': [[e.get('rowNumber'), e.get('fieldName'), e['code'], e['name']] for e in task['errors']]}))")
    ran = subprocess.run([str(VALIDATA), "-c", script, str(path), str(SCHEMA)], capture_output=True, text=True,
                         check=True)
    return json.loads(ran.stdout)


@pytest.mark.parametrize("validator", ["frictionless", "validata"])
def test_the_corpus_export_validates_against_the_schema(exported, validator):
    if validator == "validata":
        _schema()
        assert _validata(exported) == {"valid": True, "rows": 33, "errors": []}
        return
    report = _validate(exported)
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert errors == [] and report.valid
    assert report.tasks[0].stats["rows"] == 33


def test_the_validation_catches_a_broken_row(exported, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text(exported.read_text(encoding="utf-8").replace(",7.5,", ",75,", 1), encoding="utf-8")
    errors = _validate(broken).flatten(["fieldName", "type"])
    assert errors == [["DELIB_MATIERE_CODE", "constraint-error"]]
    found = _validata(broken)
    assert not found["valid"] and [error[1:] for error in found["errors"]] == [
        ["DELIB_MATIERE_CODE", "constraint-error", "Format incorrect"]]  # its reason in French


def test_header_is_the_schema_columns_in_order(exported):
    header = exported.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(COLUMNS) == [f["name"] for f in _schema()["fields"]]


def test_one_row_per_deliberation(rows):
    assert len(rows) == 33
    assert sorted(rows)[0] == "2021-232" and sorted(rows)[-1] == "2025-371"


def test_exact_values(rows):
    bs = rows["2025-361"]
    assert (bs["VOTE_EFFECTIF"], bs["VOTE_REEL"], bs["VOTE_POUR"], bs["VOTE_CONTRE"], bs["VOTE_ABSTENTION"]) == (
        "78", "78", "54", "0", "24")
    assert (bs["DELIB_DATE"], bs["PREF_DATE"], bs["PREF_ID"]) == ("2025-09-22", "2025-10-08", "PREF062")
    assert (bs["DELIB_MATIERE_CODE"], bs["DELIB_MATIERE_NOM"]) == ("7.1", "finances locales/décisions budgétaires")
    assert (bs["BUDGET_ANNEE"], bs["BUDGET_NOM"]) == ("2025", "Budget principal")
    bij = rows["2021-232"]
    assert (bij["DELIB_DATE"], bij["PREF_DATE"]) == ("2021-06-07", "2021-07-05")
    assert (bij["VOTE_EFFECTIF"], bij["VOTE_REEL"], bij["VOTE_POUR"]) == ("43", "42", "42")
    assert (bij["COLL_NOM"], bij["COLL_SIRET"]) == ("Département du Pas-de-Calais", "22620001200012")
    assert bij["DELIB_URL"] == "https://www.pasdecalais.fr/deliberations/2021-232"
    assert bij["DELIB_OBJET"] == "BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS"
    assert rows["2021-233"]["DELIB_OBJET"] == '"PAS-DE-CALAIS ACTIF" - PARTENARIAT 2021'
    assert (rows["2021-233"]["VOTE_REEL"], rows["2021-233"]["VOTE_ABSTENTION"]) == ("41", "1")
    assert rows["2021-240"]["PREF_DATE"] == "2021-06-29"
    assert rows["2025-360"]["VOTE_EFFECTIF"] == "78"  # 68 present, 8 excused, 2 absent: no count printed
    assert (rows["2025-367"]["BUDGET_ANNEE"], rows["2025-367"]["BUDGET_NOM"]) == ("", "")


def test_votes_add_up(rows):
    for number, r in rows.items():
        pour, contre, abstention = int(r["VOTE_POUR"]), int(r["VOTE_CONTRE"]), int(r["VOTE_ABSTENTION"])
        assert int(r["VOTE_REEL"]) == pour + contre + abstention <= int(r["VOTE_EFFECTIF"]), number
        assert int(r["VOTE_EFFECTIF"]) == (43 if number.startswith("2021") else 78), number


def test_a_deliberation_without_matiere_is_refused_by_name():
    record = {"type": "deliberation", "number": "2021-999", "title": "X", "sitting_date": "2021-06-07",
              "matiere_code": None}
    with pytest.raises(ScdlError, match="2021-999"):
        row(record, Collectivite())


def test_the_command_writes_the_file(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RECUEIL_CONFIG", raising=False)
    out = tmp_path / "deliberations.csv"
    result = runner.invoke(app, ["export", "--format", "scdl", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert "33 enregistrements écrits" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 34 and lines[0].startswith("COLL_NOM,COLL_SIRET,DELIB_ID")


def test_the_configuration_file_overrides_the_defaults(db, tmp_path):
    settings = tmp_path / "recueil.toml"
    settings.write_text('[collectivite]\nnom = "Conseil départemental du Pas-de-Calais"\nsiret = "226 200 012 00012"\n'
                        'prefecture = "SPREF0621"\nsite = "https://actes.example.org/"\n', encoding="utf-8")
    out = tmp_path / "deliberations.csv"
    result = runner.invoke(app, ["export", "--format", "scdl", "--out", str(out), "--db", db, "--config", str(settings)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert (first["COLL_NOM"], first["COLL_SIRET"], first["PREF_ID"]) == (
        "Conseil départemental du Pas-de-Calais", "22620001200012", "SPREF0621")
    assert first["DELIB_URL"] == "https://actes.example.org/deliberations/2021-232"
    assert _validate(out).valid


def test_a_bad_configuration_is_one_line_and_writes_nothing(db, tmp_path):
    settings = tmp_path / "recueil.toml"
    settings.write_text('[collectivite]\nsiret = "2262"\n', encoding="utf-8")
    out = tmp_path / "deliberations.csv"
    result = runner.invoke(app, ["export", "--format", "scdl", "--out", str(out), "--db", db, "--config", str(settings)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "siret « 2262 » invalide" in result.output
    assert not out.exists()


def test_the_library_takes_the_configuration(db):
    import io

    out = io.StringIO()
    with Store(db) as store:
        jobs.export(store, "scdl", out, Config(Collectivite(nom="Autre", site="http://localhost:8000")))
    first = out.getvalue().splitlines()[1]
    assert first.startswith("Autre,22620001200012,2021-232,")
    assert first.endswith(",http://localhost:8000/deliberations/2021-232")
