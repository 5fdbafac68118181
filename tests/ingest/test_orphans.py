"""Parse workers die with the command that started them, even killed by SIGKILL (which runs no
clean-up): a real process, its real pool, a real kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seance-exemple.md"
# The parent: two workers, each stuck for a minute in what the caller hands in to finish a text.
PARENT = """
import sys, time
from pathlib import Path
from recueil.ingest.batch import prepare_all

def stuck(publication):
    time.sleep(60)

print("prêt", flush=True)
list(prepare_all([Path(p) for p in sys.argv[1:]], stuck, workers=2))
"""


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_workers_die_when_their_parent_is_killed(tmp_path: Path) -> None:
    inputs = []
    for name in ("a", "b"):
        inputs.append(tmp_path / f"{name}.md")
        inputs[-1].write_text(EXAMPLE.read_text(encoding="utf-8") + name, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, *map(str, inputs)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdout.readline() == "prêt\n"
    deadline = time.monotonic() + 30
    while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    time.sleep(0.5)  # the workers are in their task, past their start
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in workers if _alive(pid)] == []
