"""A publication cut short is taken up by the next one; a broken register gets no new entry.

A real process is killed with SIGKILL at the moment it has written a file and not yet its entry
(or its temporary file and not yet renamed it): it kills itself there, as no outside signal could be
timed to land between two system calls. The run that takes up is a real `recueil publish`.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from recueil import jobs
from recueil.cli import app
from recueil.publish.register import REGISTER, entry_hash, read_entries
from recueil.publish.verify import verify
from recueil.store.database import Store

RECUEIL = str(Path(sys.executable).with_name("recueil"))
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("RECUEIL_")}, "COLUMNS": "200"}

CRASH = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from recueil import jobs
    from recueil.publish import register
    from recueil.store.database import Store

    db, folder, day, victim, moment, corrige = sys.argv[1:]
    write, rename = register._write_new, os.replace

    def write_then_die(path, content):  # the file whole on disk, its entry not written
        write(path, content)
        if path.name == victim:
            os.kill(os.getpid(), signal.SIGKILL)

    def die_before_rename(source, target):  # the temporary file whole on disk, not renamed
        if Path(target).name == victim:
            os.kill(os.getpid(), signal.SIGKILL)
        rename(source, target)

    if moment == "written":
        register._write_new = write_then_die
    else:
        os.replace = die_before_rename
    with Store(db) as store:
        jobs.publish(store, Path(folder), day=day, corrige=corrige or None, workers=1)
""")


def crash(db: str, folder: Path, day: str, victim: str, moment: str = "written", corrige: str = "") -> None:
    """Run a publication that SIGKILLs itself at `moment` of writing the file named `victim`."""
    done = subprocess.run([sys.executable, "-c", CRASH, db, str(folder), day, victim, moment, corrige],
                          capture_output=True, text=True, timeout=600, env=ENV)
    assert done.returncode == -signal.SIGKILL, done.stderr


def recueil(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([RECUEIL, *args], capture_output=True, text=True, timeout=600, env=ENV)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_a_file_written_before_its_entry_is_entered_with_its_own_date_by_the_next_run(corpus_db, tmp_path):
    folder = tmp_path / "publications"
    crash(corpus_db, folder, "2026-11-24", "2021-234.pdf")
    assert [e.act for e in read_entries(folder)] == ["2021-232", "2021-233"]
    written = (folder / "2021/2021-234.pdf").read_bytes()
    done = recueil("verify", "--dir", str(folder))
    assert (done.returncode, done.stdout) == (
        1, "fichier hors registre : 2021/2021-234.pdf (aucune entrée ne le publie)\n")

    done = recueil("publish", "--db", corpus_db, "--dir", str(folder), "--date", "2026-11-25")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("2021/2021-234.pdf : hors registre, identique à sa publication du 24 novembre 2026 "
                           "interrompue avant son inscription : inscrit au registre à cette date (entrée n° 3)\n")
    entries = read_entries(folder)
    assert len(entries) == 36
    assert (entries[2].act, entries[2].date, entries[2].sha256) == (
        "2021-234", "2026-11-24", hashlib.sha256(written).hexdigest())
    assert {e.date for e in entries[3:]} == {"2026-11-25"}
    done = recueil("verify", "--dir", str(folder))
    assert done.returncode == 0 and done.stdout.startswith("Registre intact : 36 entrées"), done.stdout


def test_a_temporary_file_left_by_a_killed_write_is_named_then_removed(corpus_db, tmp_path):
    folder = tmp_path / "publications"
    crash(corpus_db, folder, "2026-11-24", "2021-233.pdf", moment="temporary")
    assert (folder / "2021/.2021-233.pdf.tmp").is_file() and not (folder / "2021/2021-233.pdf").exists()
    done = recueil("verify", "--dir", str(folder))
    assert (done.returncode, done.stdout) == (
        1, "fichier temporaire laissé par une écriture interrompue : 2021/.2021-233.pdf.tmp\n")

    done = recueil("publish", "--db", corpus_db, "--dir", str(folder), "--date", "2026-11-25")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "2021/.2021-233.pdf.tmp : fichier temporaire d'une écriture interrompue, supprimé\n"
    assert [e.date for e in read_entries(folder)[:2]] == ["2026-11-24", "2026-11-25"]
    done = recueil("verify", "--dir", str(folder))
    assert done.returncode == 0 and done.stdout.startswith("Registre intact : 36 entrées"), done.stdout


def test_a_correction_killed_before_its_entry_is_the_one_the_next_correction_enters(corpus_db, copy):
    crash(corpus_db, copy, "2026-11-30", "2021-232-v2.pdf", corrige="2021-232")
    written = (copy / "2021/2021-232-v2.pdf").read_bytes()
    done = recueil("publish", "--db", corpus_db, "--dir", str(copy), "--date", "2026-12-01", "--corrige", "2021-232")
    assert done.returncode == 0, done.stderr
    assert "2021/2021-232-v2.pdf : hors registre, identique à sa publication du 30 novembre 2026" in done.stderr
    entries = read_entries(copy)
    assert len(entries) == 37
    assert (entries[-1].file, entries[-1].date, entries[-1].corrects, entries[-1].sha256) == (
        "2021/2021-232-v2.pdf", "2026-11-30", 1, hashlib.sha256(written).hexdigest())
    assert verify(copy).problems == []


def test_a_file_that_is_not_what_its_item_renders_is_set_aside_and_reported(corpus_db, copy):
    """Entries cut off the end: the procès-verbal is what it was and is entered again; the list was
    altered, so it is set aside and published anew."""
    rows = (copy / REGISTER).read_bytes().split(b"\n")
    (copy / REGISTER).write_bytes(b"\n".join(rows[:34]) + b"\n")
    liste = copy / "2025/cd-2025-09-22-liste.pdf"
    altered = liste.read_bytes() + b"\n% ajout"
    liste.write_bytes(altered)
    told: list[str] = []
    with Store(corpus_db) as store:
        entries = jobs.publish(store, copy, day="2026-11-25", notify=told.append)
    assert told == [
        "2025/cd-2025-09-22-liste.pdf : hors registre, différent de ce que la base donne à publier pour le "
        "24 novembre 2026 : mis de côté sous le nom cd-2025-09-22-liste.pdf.orphelin-2026-11-25",
        "2025/cd-2025-09-22-proces-verbal.pdf : hors registre, identique à sa publication du 24 novembre 2026 "
        "interrompue avant son inscription : inscrit au registre à cette date (entrée n° 35)"]
    assert [(e.seq, e.act, e.date) for e in entries] == [(35, "cd-2025-09-22/proces-verbal", "2026-11-24"),
                                                          (36, "cd-2025-09-22/liste", "2026-11-25")]
    assert (copy / "2025/cd-2025-09-22-liste.pdf.orphelin-2026-11-25").read_bytes() == altered
    assert verify(copy).problems == []


def test_a_foreign_file_where_a_correction_goes_is_set_aside_not_overwritten(copy, corpus_db):
    (copy / "2021/2021-232-v2.pdf").write_bytes(b"autre chose")
    told: list[str] = []
    with Store(corpus_db) as store:
        [entry] = jobs.publish(store, copy, day="2026-11-30", corrige="2021-232", notify=told.append)
    assert told == ["2021/2021-232-v2.pdf : hors registre, sans date de publication lisible : mis de côté sous "
                    "le nom 2021-232-v2.pdf.orphelin-2026-11-30"]
    assert (copy / "2021/2021-232-v2.pdf.orphelin-2026-11-30").read_bytes() == b"autre chose"
    assert (entry.file, entry.corrects) == ("2021/2021-232-v2.pdf", 1)
    assert verify(copy).problems == []


def _rewrite(folder: Path, change) -> None:
    """Apply `change` to the list of the register's lines."""
    rows = (folder / REGISTER).read_text(encoding="utf-8").splitlines()
    (folder / REGISTER).write_bytes("".join(line + "\n" for line in change(rows)).encode("utf-8"))


def _null_date(rows: list[str]) -> list[str]:
    last = json.loads(rows[-1])
    last["date"] = None
    last["hash"] = entry_hash(last)
    return [*rows[:-1], json.dumps(last, ensure_ascii=False)]


def _tampered_altered_removed(folder: Path) -> None:
    """As in issue 10: a tampered entry, an altered file and a removed one."""
    entry = json.loads((folder / REGISTER).read_text(encoding="utf-8").splitlines()[4])
    entry["title"] += " (modifié)"
    _rewrite(folder, lambda rows: [*rows[:4], json.dumps(entry, ensure_ascii=False), *rows[5:]])
    path = folder / "2021/2021-240.pdf"
    path.write_bytes(path.read_bytes() + b"%")
    (folder / "2025/cd-2025-09-22-liste.pdf").unlink()


@pytest.mark.parametrize("damage, count, first", [
    (_tampered_altered_removed, 3,
     "entrée n° 5 (2021-236) falsifiée : son contenu ne correspond plus à son empreinte"),
    (lambda folder: _rewrite(folder, lambda rows: [row + "\r" for row in rows]), 1,
     "36 lignes du registre terminées (la première : ligne 1) par CR LF : le registre termine ses lignes "
     "par LF seul"),
    (lambda folder: _rewrite(folder, _null_date), 1,
     "entrée n° 36 (cd-2025-09-22/proces-verbal) : date de publication invalide (null) ; AAAA-MM-JJ attendu"),
    (lambda folder: (folder / "notes.txt").write_text("à publier"), 1,
     "fichier hors registre : notes.txt (aucune entrée ne le publie)"),
], ids=["tampered-altered-removed", "crlf", "null-date", "stray-file"])
def test_nothing_is_added_to_a_register_verify_finds_broken(copy, corpus_db, damage, count, first):
    damage(copy)
    assert len(verify(copy).problems) == count
    before = sorted((path, path.read_bytes()) for path in copy.rglob("*") if path.is_file())
    runner = CliRunner()
    for extra in ((), ("--corrige", "2021-232")):
        result = runner.invoke(app, ["publish", "--db", corpus_db, "--dir", str(copy), "--date", "2026-11-25", *extra],
                               env={"COLUMNS": "200"})
        assert (result.exit_code, result.output) == (
            2, f"Erreur : {copy / REGISTER} : registre rompu ({count} problème{'s' if count > 1 else ''} selon "
               f"« recueil verify », dont « {first} ») : rien n'est ajouté à un registre rompu\n")
    assert sorted((path, path.read_bytes()) for path in copy.rglob("*") if path.is_file()) == before
