"""Tampering with a published folder: each change is caught and named, in one French line, in memory that
does not grow with the numbers the register holds nor with the length of its lines."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from recueil.cli import app
from recueil.publish.register import MAX_LINE, REGISTER, entry_hash
from recueil.publish.verify import verify

runner = CliRunner()


def lines(folder: Path) -> list[str]:
    return (folder / REGISTER).read_text(encoding="utf-8").splitlines()


def write(folder: Path, rows: list[str]) -> None:
    (folder / REGISTER).write_text("\n".join(rows) + "\n", encoding="utf-8")


def problems(folder: Path) -> list[str]:
    return [p.message for p in verify(folder).problems]


def test_an_altered_file_is_named(copy):
    path = copy / "2021/2021-240.pdf"
    path.write_bytes(path.read_bytes().replace(b"MARQUION", b"MARQUIOM"))
    assert problems(copy) == ["fichier modifié : 2021/2021-240.pdf (entrée n° 9 (2021-240)) ; son SHA-256 ne "
                              "correspond plus au registre"]


def test_a_removed_file_is_named(copy):
    (copy / "2025/cd-2025-09-22-liste.pdf").unlink()
    assert problems(copy) == ["fichier retiré : 2025/cd-2025-09-22-liste.pdf (entrée n° 35 (cd-2025-09-22/liste))"]


def test_an_edited_entry_is_forged(copy):
    rows = lines(copy)
    entry = json.loads(rows[4])
    entry["title"] = "FONDS D'INTERVENTION"
    rows[4] = json.dumps(entry, ensure_ascii=False)
    write(copy, rows)
    assert problems(copy) == ["entrée n° 5 (2021-236) falsifiée : son contenu ne correspond plus à son empreinte"]
    entry["date"] = "2026-11-20"
    rows[4] = json.dumps(entry, ensure_ascii=False)
    write(copy, rows)
    assert problems(copy) == ["entrée n° 5 (2021-236) falsifiée : son contenu ne correspond plus à son empreinte",
                              "entrée n° 5 (2021-236) : date de publication 2026-11-20 antérieure à celle de "
                              "l'entrée précédente (2026-11-24)"]


def test_a_file_replaced_with_its_entry_rewritten_breaks_the_chain(copy):
    """The forger swaps a file and rewrites its entry with the new SHA-256 and a fresh hash."""
    path = copy / "2021/2021-236.pdf"
    forged = path.read_bytes() + b"\n% ajout"
    path.write_bytes(forged)
    rows = lines(copy)
    entry = json.loads(rows[4])
    entry["sha256"], entry["size"] = hashlib.sha256(forged).hexdigest(), len(forged)
    entry["hash"] = entry_hash(entry)
    rows[4] = json.dumps(entry, ensure_ascii=False)
    write(copy, rows)
    assert problems(copy) == ["chaînage rompu : l'entrée n° 6 (2021-237) ne suit pas l'entrée n° 5 "
                              "(entrée réécrite ou insérée)"]


def test_reordered_entries_are_named(copy):
    rows = lines(copy)
    rows[2], rows[3] = rows[3], rows[2]
    write(copy, rows)
    assert problems(copy) == ["entrée n° 3 (2021-234) déplacée : elle suit l'entrée n° 4"]


def test_a_removed_entry_is_named_and_its_file_is_left_without_entry(copy):
    rows = lines(copy)
    del rows[9]
    write(copy, rows)
    assert problems(copy) == ["entrée n° 10 retirée du registre (trou dans la séquence)",
                              "fichier hors registre : 2021/2021-241.pdf (aucune entrée ne le publie)"]


def test_entries_cut_off_the_end_leave_their_files_without_entry(copy):
    write(copy, lines(copy)[:-2])
    assert problems(copy) == [
        "fichier hors registre : 2025/cd-2025-09-22-liste.pdf (aucune entrée ne le publie)",
        "fichier hors registre : 2025/cd-2025-09-22-proces-verbal.pdf (aucune entrée ne le publie)"]


def test_an_unreadable_line_and_a_missing_register(copy, tmp_path):
    rows = lines(copy)
    rows[0] = rows[0][:40]
    write(copy, rows)
    found = problems(copy)
    assert found[0] == "ligne 1 du registre illisible (JSON invalide)"
    assert found[1] == "entrée n° 1 retirée du registre (trou dans la séquence)"
    assert problems(tmp_path) == [f"registre introuvable : {tmp_path / REGISTER}"]


def test_the_command_exits_1_with_one_line_per_problem(copy):
    result = runner.invoke(app, ["verify", "--dir", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Registre intact : 36 entrées")
    (copy / "2021/2021-232.pdf").unlink()
    (copy / "2021/2021-233.pdf").write_bytes(b"%PDF-1.4 faux")
    result = runner.invoke(app, ["verify", "--dir", str(copy)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "fichier retiré : 2021/2021-232.pdf (entrée n° 1 (2021-232))",
        "fichier modifié : 2021/2021-233.pdf (entrée n° 2 (2021-233)) ; son SHA-256 ne correspond plus au registre"]


def test_an_entry_pointing_outside_the_folder_is_named(copy):
    rows = lines(copy)
    entry = json.loads(rows[0])
    entry["file"] = "../../etc/hostname"
    entry["hash"] = entry_hash(entry)
    rows[0] = json.dumps(entry, ensure_ascii=False)
    write(copy, rows)
    assert problems(copy) == [
        "chaînage rompu : l'entrée n° 2 (2021-233) ne suit pas l'entrée n° 1 (entrée réécrite ou insérée)",
        "entrée n° 1 (2021-232) désigne un fichier hors du dossier : ../../etc/hostname",
        "fichier hors registre : 2021/2021-232.pdf (aucune entrée ne le publie)"]


BOUNDED = textwrap.dedent("""
    import resource, sys, tracemalloc
    limit = 512 * 2**20  # an address space where a set of a billion numbers cannot be built
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from recueil.publish.verify import verify
    tracemalloc.start()
    problems = [p.message for p in verify(sys.argv[1]).problems]
    print(tracemalloc.get_traced_memory()[1])
    print(*problems, sep="\\n")
""")


def test_an_entry_numbered_a_billion_is_read_in_bounded_memory(copy):
    rows = lines(copy)
    entry = json.loads(rows[-1])
    content = b"%PDF-1.4 correction"
    (copy / "2025/note.pdf").write_bytes(content)
    entry.update(seq=10**9, file="2025/note.pdf", sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                 previous=entry["hash"])
    entry["hash"] = entry_hash(entry)
    write(copy, [*rows, json.dumps(entry, ensure_ascii=False)])
    done = subprocess.run([sys.executable, "-c", BOUNDED, str(copy)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    peak, *found = done.stdout.splitlines()
    assert found == ["entrées n° 37 à 999999999 retirées du registre (trou dans la séquence)"]
    assert int(peak) < 1_000_000


def test_a_line_of_megabytes_is_named_without_being_held(copy):
    with (copy / REGISTER).open("ab") as register:
        register.write(b"{" + b"x" * 3_000_000 + b"}\n")
    tracemalloc.start()
    try:
        found = problems(copy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [f"ligne 37 du registre illisible (plus de {MAX_LINE} octets)"]
    assert peak < 1_000_000


@pytest.mark.parametrize("field, value, message", [
    ("date", None, "date de publication invalide (null) ; AAAA-MM-JJ attendu"),
    ("date", "24/11/2026", "date de publication invalide (\"24/11/2026\") ; AAAA-MM-JJ attendu"),
    ("date", "2026-02-30", "date de publication invalide (\"2026-02-30\") ; AAAA-MM-JJ attendu"),
    ("date", "20261124", "date de publication invalide (\"20261124\") ; AAAA-MM-JJ attendu"),
    ("recorded_at", "hier", "date d'inscription invalide (\"hier\")"),
    ("size", "12", "champ « size » invalide (\"12\")"),
])
def test_dates_and_types_of_an_entry_are_checked_even_with_its_hash_recomputed(copy, field, value, message):
    rows = lines(copy)
    entry = json.loads(rows[-1])
    entry[field] = value
    entry["hash"] = entry_hash(entry)
    write(copy, [*rows[:-1], json.dumps(entry, ensure_ascii=False)])
    assert problems(copy) == [f"entrée n° 36 (cd-2025-09-22/proces-verbal) : {message}"]


def test_lines_end_with_lf_alone(copy):
    rows = lines(copy)
    (copy / REGISTER).write_bytes("".join(row + "\r\n" for row in rows).encode("utf-8"))
    assert problems(copy) == ["36 lignes du registre terminées (la première : ligne 1) par CR LF : le registre "
                              "termine ses lignes par LF seul"]
    (copy / REGISTER).write_bytes("".join(row + ("\r\n" if n == 9 else "\n") for n, row in enumerate(rows)).encode())
    assert problems(copy) == ["ligne 10 du registre terminée par CR LF : le registre termine ses lignes par LF seul"]
    (copy / REGISTER).write_bytes("\n".join(rows).encode("utf-8"))
    assert problems(copy) == ["ligne 36 du registre sans fin de ligne (écriture interrompue ?) : une entrée ajoutée "
                              "s'y collerait"]


def test_stray_files_are_named_but_those_publish_set_aside(copy):
    (copy / "2021/.2021-240.pdf.tmp").write_bytes(b"%PDF-1.4 moiti")
    (copy / "2025/copie.pdf").write_bytes(b"%PDF-1.4")
    (copy / "notes.txt").write_text("à publier")
    (copy / os.fsdecode(b"r\xe9sum\xe9.pdf")).write_bytes(b"cp1252")
    (copy / "2021/2021-241.pdf.orphelin-2026-11-25").write_bytes(b"mis de c\xf4t\xe9")
    assert problems(copy) == ["fichier temporaire laissé par une écriture interrompue : 2021/.2021-240.pdf.tmp",
                              "fichier hors registre : 2025/copie.pdf (aucune entrée ne le publie)",
                              "fichier hors registre : notes.txt (aucune entrée ne le publie)",
                              "fichier hors registre : r\ufffdsum\ufffd.pdf (aucune entrée ne le publie)"]
    result = runner.invoke(app, ["verify", "--dir", str(copy)])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 4, result.output
