"""Reading registre.jsonl: lines end at "\\n" only, and a line that is not UTF-8 is named, never a traceback."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from recueil import jobs
from recueil.cli import app
from recueil.publish.register import REGISTER, read_entries
from recueil.publish.verify import verify
from recueil.store.database import Store

runner = CliRunner()
ODD_TITLE = "Rapport\u2028sur la voirie\x85 départementale\x1c"  # characters str.splitlines() cuts at


def run(*args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_a_title_with_line_separators_publishes_republishes_and_verifies(corpus_db, tmp_path):
    database = tmp_path / "corpus.db"
    shutil.copy(corpus_db.removeprefix("sqlite:///"), database)
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE deliberations SET title = :title, data = json_set(data, '$.title', :title) "
                                "WHERE number = '2021-232'"),
                           {"title": ODD_TITLE})
    engine.dispose()
    folder = tmp_path / "publications"
    with Store(f"sqlite:///{database}") as store:
        assert len(jobs.publish(store, folder, day="2026-11-24")) == 36
        assert jobs.publish(store, folder, day="2026-11-25") == []
    assert len((folder / REGISTER).read_bytes().split(b"\n")) == 37  # 36 lines and the final "\n"
    assert [e.title for e in read_entries(folder) if e.act == "2021-232"] == [ODD_TITLE]
    checked = verify(folder)
    assert (checked.entries, checked.problems) == (36, [])


def test_verify_names_a_line_that_is_not_utf8(copy):
    with (copy / REGISTER).open("ab") as register:
        register.write(b'{"seq": 37, "title": "D\xe9lib\xe9ration"}\n')  # cp1252, not UTF-8
    result = run("verify", "--dir", str(copy))
    assert (result.exit_code, result.output) == (
        1, "ligne 37 du registre illisible (octets qui ne sont pas de l'UTF-8)\n")


def test_publish_refuses_a_register_that_is_not_utf8(copy, corpus_db):
    with (copy / REGISTER).open("ab") as register:
        register.write(b"\xff\xfe\n")
    result = run("publish", "--db", corpus_db, "--dir", str(copy), "--date", "2026-11-25")
    assert (result.exit_code, result.output.strip()) == (
        2, f"Erreur : {copy / REGISTER} : ligne 37 illisible ; lancer « recueil verify »")


def test_the_site_shows_nothing_rather_than_failing_on_such_a_register(copy):
    from recueil.web.published import Published

    assert Published(copy).get("2021-232") is not None
    with (copy / REGISTER).open("ab") as register:
        register.write(b"\xff\n")
    assert Published(copy).get("2021-232") is None


def test_publish_and_verify_read_the_folder_from_the_environment(copy, corpus_db, tmp_path):
    env = {"RECUEIL_PUBLICATIONS": str(copy)}
    result = run("verify", env=env)
    assert result.exit_code == 0 and result.output.startswith("Registre intact : 36 entrées"), result.output
    result = run("publish", "--db", corpus_db, "--date", "2026-11-25", env=env)
    assert (result.exit_code, result.output.strip()) == (
        0, f"Rien de nouveau à publier : tout est déjà au registre de {copy}.")
    elsewhere = tmp_path / "ailleurs"
    result = run("verify", "--dir", str(elsewhere), env=env)  # --dir still wins
    assert (result.exit_code, result.output.strip()) == (1, f"registre introuvable : {elsewhere / REGISTER}")
