"""The command line on good and bad inputs: exit codes, one-line refusals, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from recueil.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seance-exemple.md"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def export(db: str) -> list[dict]:
    result = run("export", "--db", db)
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def test_every_command_is_documented():
    result = run("--help")
    shown = " ".join(result.output.split())
    for command in app.commands.values():
        assert command.help, command.name
        assert " ".join(command.help.split("\n\n")[0].split()) in shown  # whole, not cut by click
    for name in ("ingest", "export", "check", "search"):
        assert name in result.output


def loaded_modules(code: str) -> set[str]:
    """The modules a fresh Python has loaded after `code`."""
    done = "import sys; print(' '.join(sys.modules), file=sys.stderr)"
    ran = subprocess.run([sys.executable, "-c", f"{code}\n{done}"], capture_output=True, text=True, check=True)
    return set(ran.stderr.split())


def test_the_command_line_loads_what_each_command_uses_only():
    """`recueil --help` starts as fast as click alone: importing the command line loads no rich
    console, no store (SQLAlchemy), no parser, no web or PDF stack; those load in the commands."""
    loaded = loaded_modules("import recueil.cli")
    for heavy in ("sqlalchemy", "rich.console", "recueil.store", "recueil.ingest", "recueil.export",
                  "recueil.publish", "recueil.web", "fastapi", "pypdfium2", "reportlab"):
        assert heavy not in loaded, heavy


def test_search_loads_no_parser_web_nor_pdf_stack(db):
    run("ingest", "--db", db, str(EXAMPLE))
    loaded = loaded_modules(f"from recueil.cli import app\napp(['search', '--db', {db!r}, 'bibliotheques'], "
                            "standalone_mode=False)")
    assert "sqlalchemy" in loaded
    for heavy in ("recueil.ingest", "recueil.publish", "recueil.web", "fastapi", "pypdfium2", "reportlab"):
        assert heavy not in loaded, heavy


def test_example_is_ingested_and_exported(db):
    result = run("ingest", "--db", db, str(EXAMPLE))
    assert result.exit_code == 0, result.output
    records = export(db)
    kinds = [r["type"] for r in records]
    assert kinds.count("deliberation") == 2 and kinds.count("motion") == 1 and kinds.count("sitting") == 1
    items = [r["agenda_item"] for r in records if r["type"] == "intervention"]
    assert items == [None, None, 1, 1, 1, 1, 2, 2, 2, 2, None]
    sitting = next(r for r in records if r["type"] == "sitting")
    assert sitting["proxies"] == [{"giver": "Bernard NOWAK", "holder": "Inès FOURNIER"},
                                  {"giver": "Claire ROUSSEL", "holder": "Karim BELHADJ"}]


def test_refused_inputs_exit_2_and_the_others_are_stored(tmp_path, db):
    empty = tmp_path / "vide.txt"
    empty.write_text("")
    binary = tmp_path / "garbage.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    prose = tmp_path / "lettre.txt"
    prose.write_text("Bonjour,\nvoici une lettre qui n'est pas une publication.\n", encoding="utf-8")
    result = run("ingest", "--db", db, str(empty), str(binary), str(prose), str(EXAMPLE),
                 str(tmp_path / "absent.txt"))
    assert result.exit_code == 2
    refusals = [line for line in result.stderr.splitlines() if line.startswith("refusé")]
    assert len(refusals) == 4
    assert any("vide.txt : fichier vide" in line for line in refusals)
    assert any("garbage.txt : fichier binaire" in line for line in refusals)
    assert any("lettre.txt : ce n'est pas une publication reconnue" in line for line in refusals)
    assert any("absent.txt" in line and "introuvable" in line for line in refusals)
    sources = {r["source"] for r in export(db) if r["type"] == "document"}
    assert sources == {"seance-exemple.md"}


def test_cp1252_and_crlf_give_the_same_records(tmp_path, db):
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "cp1252").mkdir()
    (tmp_path / "crlf").mkdir()
    (tmp_path / "cp1252" / "a.txt").write_bytes(text.replace("œ", "oe").replace("Œ", "OE").encode("cp1252"))
    (tmp_path / "crlf" / "a.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    reference = f"sqlite:///{tmp_path / 'ref.db'}"
    assert run("ingest", "--db", reference, str(EXAMPLE)).exit_code == 0
    expected = [r for r in export(reference) if r["type"] == "deliberation"]
    for folder in ("cp1252", "crlf"):
        target = f"sqlite:///{tmp_path / folder}.db"
        assert run("ingest", "--db", target, str(tmp_path / folder)).exit_code == 0
        got = [r for r in export(target) if r["type"] == "deliberation"]
        for a, b in zip(got, expected, strict=True):
            a, b = dict(a, source=None), dict(b, source=None)
            if folder == "cp1252":
                a, b = json.loads(json.dumps(a).replace("oe", "œ")), json.loads(json.dumps(b).replace("oe", "œ"))
            assert a == b


def test_document_cut_in_the_middle_keeps_what_is_whole(tmp_path, db):
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    cut_at = next(i for i, line in enumerate(lines) if "(N°2025-032)" in line) + 12
    cut = tmp_path / "coupe.md"
    cut.write_text("\n".join(lines[:cut_at]), encoding="utf-8")
    result = run("ingest", "--db", db, str(cut))
    assert result.exit_code == 0
    assert "2025-032 : vote introuvable" in " ".join(result.stdout.split())
    numbers = [r["number"] for r in export(db) if r["type"] == "deliberation"]
    assert numbers == ["2025-031"]


def test_bad_database_url_is_one_line(tmp_path):
    result = run("ingest", "--db", "nosuchdb://x/y", str(EXAMPLE))
    assert result.exit_code == 2
    assert "base de données" in result.stderr and len(result.stderr.strip().splitlines()) <= 2


def test_unknown_export_format(db):
    run("ingest", "--db", db, str(EXAMPLE))
    result = run("export", "--db", db, "--format", "xml")
    assert result.exit_code == 2 and "format inconnu" in result.stderr


def test_search_and_check(db):
    run("ingest", "--db", db, str(EXAMPLE))
    result = run("search", "--db", db, "bibliotheques rurales")
    assert "2025-031" in result.stdout and "2025-032" not in result.stdout
    assert run("check", "--db", db).stdout.strip() == (
        "Aucun écart : tous les contrôles sont satisfaits (2 votes chiffrés, 1 appel).")


@pytest.mark.parametrize("command", [["search", "logement"], ["export"], ["check"], ["agenda"],
                                     ["recueil", "--from", "2021-01-01", "--to", "2021-12-31", "--out", "recueil.pdf"]])
def test_a_command_that_reads_refuses_a_store_that_does_not_exist(tmp_path: Path, command: list[str]):
    missing = tmp_path / "absente.db"
    result = run(*command, "--db", str(missing))
    assert (result.exit_code, result.output.strip()) == (
        2, f"Erreur : base de données introuvable : {missing} (créez-la avec recueil ingest)")
    assert not missing.exists()


def test_check_on_a_store_without_documents_says_there_is_nothing_to_check(db: str):
    assert run("ingest", "--db", db, str(EXAMPLE.parent / "absent.md")).exit_code == 2  # creates the store, stores nothing
    result = run("check", "--db", db)
    assert (result.exit_code, result.output.strip()) == (0, "Aucun document dans la base : rien à contrôler.")
