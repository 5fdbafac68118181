"""The command line speaks French, help and errors included, and gives one exit code per kind of
outcome: 2 for any refused input, whichever command refuses it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from recueil import cli_common
from recueil.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def click_messages() -> set[tuple[str, str]]:
    """("_" or "ngettext", message) of every message that click's modules ask gettext for."""
    found = set()
    for module in cli_common._MODULES:
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add((node.func.id, first.value))
    return found


def test_every_message_of_click_is_translated():
    messages = click_messages()
    assert len(messages) > 60  # the sources were read
    missing = [m for kind, m in messages if m not in (cli_common.MESSAGES if kind == "_" else cli_common.PLURALS)]
    assert missing == []


def test_translations_keep_the_fields_click_fills():
    """A French message may drop a field (the Python type of a number) but never ask for one that
    click does not give."""
    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", text))

    for english, french in cli_common.MESSAGES.items():
        assert fields(french) <= fields(english), english
    for english, (one, many) in cli_common.PLURALS.items():
        assert fields(one) | fields(many) <= fields(english) | {"nargs", "len", "possibilities", "choices",
                                                                "formats"}, english


def every_command(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += every_command(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", every_command(app), ids=lambda path: " ".join(path) or "recueil")
def test_every_help_is_in_french(path):
    code, shown = run(*path, "--help")
    assert code == 0
    assert shown.startswith(f"Utilisation : recueil {' '.join(path)}".replace("  ", " ").rstrip())
    assert "Afficher cette aide et quitter." in shown
    for english in ("Usage", "Show this", "Options:", "Commands", "Arguments:", "default:", "[required]"):
        assert english not in shown, english
    for tag in ("TEXT ", "INTEGER", "PATH", "<str>", "<int>", "list[", "FILENAME"):  # the Python types
        assert tag not in shown, tag


@pytest.mark.parametrize(("args", "message"), [
    (["search", "--bogus"], "Erreur : Option inconnue : --bogus."),
    (["ingest"], "Erreur : Argument manquant : 'CHEMIN...'."),
    (["search", "--limit", "abc"], "Erreur : Valeur invalide pour '--limit' : « abc » n'est pas un nombre."),
    (["search", "--limit"], "Erreur : L'option --limit demande une valeur."),
    (["serch"], "Erreur : Commande inconnue : serch. (Vouliez-vous dire l'une de : 'search', 'serve' ?)"),
    (["recueil", "--from", "2021-06-01"], "Erreur : Option manquante : '--to'."),
    (["acte", "signer", "2021-001"], "Erreur : Option manquante : '--signataire'."),
    (["export", "a", "b"], "Erreur : Arguments en trop : a b"),
])
def test_bad_usage_is_refused_in_french_with_code_2(args, message):
    code, shown = run(*args)
    assert code == 2
    assert shown.splitlines()[-1] == message
    assert "Usage" not in shown and "Try" not in shown


def test_a_usage_error_shows_the_usage_and_where_to_find_help():
    assert run("acte", "signer", "2021-001")[1].splitlines()[:2] == [
        "Utilisation : recueil acte signer [OPTIONS] NUMÉRO", "Aide : recueil acte signer --help"]


def test_a_bad_date_is_code_2_for_every_command(tmp_path):
    db = f"sqlite:///{tmp_path / 'vide.db'}"
    assert run("ingest", "--db", db, str(Path(__file__).resolve().parents[1] / "examples"))[0] == 0
    for args in (["recueil", "--from", "2021-06-31", "--to", "2021-07-01", "--out", str(tmp_path / "r.pdf")],
                 ["agenda", "--date", "2021-02-30"],
                 ["search", "x", "--from", "2021-06-31"],
                 ["recueil", "--from", "2021-07-01", "--to", "2021-06-01", "--out", str(tmp_path / "r.pdf")],
                 ["agenda", "--commune", "Atlantide"],  # an unknown value, as the search refuses it
                 ["search", "x", "--commune", "Atlantide"]):
        code, shown = run(*args, "--db", db)
        assert code == 2, (args, shown)
        assert len(shown.strip().splitlines()) == 1 and shown.startswith(("Erreur", "Requête invalide")), shown


def test_an_inverted_period_or_stop_words_are_a_warning_and_no_result(tmp_path):
    db = f"sqlite:///{tmp_path / 'vide.db'}"
    assert run("ingest", "--db", db, str(Path(__file__).resolve().parents[1] / "examples"))[0] == 0
    result = runner.invoke(app, ["search", "bibliothèques", "--from", "2021-07-01", "--to", "2021-06-01", "--db", db])
    assert result.exit_code == 0 and result.stdout == "Aucun résultat pour « bibliothèques ».\n"
    assert result.stderr == ("avertissement période inversée : du 2021-07-01 au 2021-06-01 (la date de début doit "
                             "précéder celle de fin)\n")
    result = runner.invoke(app, ["search", "le", "--db", db])
    assert result.exit_code == 0 and "rien à chercher dans « le »" in result.stderr
