"""What `recueil ingest` is given on the command line: every path gets one line, and one bad path
never keeps the others from being stored (real files, a real FIFO, a real process)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from recueil.jobs import collect_inputs

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seance-exemple.md"
RECUEIL = str(Path(sys.executable).parent / "recueil")
# Root reads any folder: as root, the command runs without the capabilities that bypass permissions.
AS_A_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.getuid() == 0 else []


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def _ingest(db: Path, *paths: str | bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*AS_A_USER, RECUEIL, "ingest", "--db", str(db), *paths], capture_output=True)


def test_a_file_name_that_is_not_utf8_is_stored(folder: Path) -> None:
    shutil.copy(EXAMPLE, os.fsencode(folder) + b"/s\xe9ance.md")
    run = _ingest(folder / "store.db", str(folder))
    assert (run.returncode, b"Traceback" in run.stderr) == (0, False), run.stderr
    assert "s\ufffdance.md" in run.stdout.decode()


def test_special_missing_and_too_long_paths_are_refused_one_line_each(folder: Path) -> None:
    os.mkfifo(folder / "tube")
    kept = folder / "seance.md"
    shutil.copy(EXAMPLE, kept)
    too_long = folder / ("x" * 300)
    files, refused = collect_inputs([folder / "tube", Path("/dev/zero"), folder / "absent.md", too_long, kept])
    assert files == [kept]
    assert [o.reason for o in refused] == [f"{folder}/tube : ni fichier ni dossier (fichier spécial)",
                                           "/dev/zero : ni fichier ni dossier (fichier spécial)",
                                           f"{folder}/absent.md : fichier ou dossier introuvable",
                                           f"{too_long} : inaccessible (File name too long)"]


def test_an_unreadable_folder_is_reported_and_the_rest_stored(folder: Path) -> None:
    shutil.copy(EXAMPLE, folder / "seance.md")
    (folder / "ferme").mkdir()
    shutil.copy(EXAMPLE, folder / "ferme" / "autre.md")
    (folder / "ferme").chmod(0)
    try:
        run = _ingest(folder / "store.db", str(folder))
    finally:
        (folder / "ferme").chmod(stat.S_IRWXU)
    assert run.returncode == 2 and b"Traceback" not in run.stderr
    assert run.stderr.decode().splitlines() == [f"refusé {folder}/ferme : dossier illisible (Permission denied)"]
    assert "seance.md" in run.stdout.decode()
