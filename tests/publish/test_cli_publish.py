"""`recueil publish`, `recueil verify` and `recueil recueil` on the real corpus: output and exit codes."""

from __future__ import annotations

from click.testing import CliRunner

from recueil.cli import app
from recueil.publish.register import read_entries

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_publish_then_publish_again_then_correct(corpus_db, tmp_path):
    folder = str(tmp_path / "publications")
    result = run("publish", "--db", corpus_db, "--dir", folder, "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert f"36 publications au registre {folder}/registre.jsonl" in result.output
    assert "2021/2021-232.pdf" in result.output
    result = run("publish", "--db", corpus_db, "--dir", folder, "--date", "2026-11-25")
    assert (result.exit_code, result.output.strip()) == (
        0, f"Rien de nouveau à publier : tout est déjà au registre de {folder}.")
    result = run("publish", "--db", corpus_db, "--dir", folder, "--date", "2026-11-25", "--corrige",
                 "cd-2025-09-22/liste")
    assert result.exit_code == 0, result.output
    assert "2025/cd-2025-09-22-liste-v2.pdf" in result.output and "n° 35" in result.output
    assert read_entries(tmp_path / "publications")[-1].corrects == 35
    result = run("verify", "--dir", folder)
    assert result.exit_code == 0 and result.output.startswith("Registre intact : 37 entrées")


def test_publish_refuses_in_one_french_line(corpus_db, tmp_path):
    folder = str(tmp_path / "publications")
    for args, message in ((("--date", "24/11/2026"), "date de publication invalide : « 24/11/2026 » (AAAA-MM-JJ)"),
                          (("--corrige", "2021-232"), "2021-232 n'a pas encore été publié : rien à corriger "
                                                      "(lancer « recueil publish »)")):
        result = run("publish", "--db", corpus_db, "--dir", folder, *args)
        assert (result.exit_code, result.output.strip()) == (2, f"Erreur : {message}")


def test_recueil_command_reports_pages(corpus_db, tmp_path):
    out = tmp_path / "juin.pdf"
    result = run("recueil", "--db", corpus_db, "--from", "2021-06-01", "--to", "2021-06-30", "--out", str(out),
                 "--date", "2021-07-08")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"{out} : 66 pages, 21 délibérations, 175 actes du Président, "
                                     "206 entrées au sommaire.")
    assert out.read_bytes().startswith(b"%PDF")
