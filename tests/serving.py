"""`recueil serve` run as a user runs it, in its own process group, for the tests that need a
live site (tests/test_serve.py, the browser tests). Loaded by file path, like tests/pg.py."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

COMMAND = [sys.executable, "-c", "from recueil.cli import app; app()", "serve"]
ADDRESS = re.compile(r"Site servi sur (http://\S+)")
START_TIMEOUT = 60.0


class Served:
    """A running `recueil serve` and the address it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def stop(self, sig: signal.Signals = signal.SIGINT, group: bool = True) -> tuple[int, str, str]:
        """Send `sig` (to the whole group, as Ctrl-C in a terminal does) and wait: (code, out, err)."""
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def read_address(process: subprocess.Popen[str]) -> str:
    """The address `recueil serve` prints once its socket listens."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            found = ADDRESS.search(line)
            if found:
                return found.group(1)
            if not line and process.poll() is not None:
                break
    raise RuntimeError(f"recueil serve n'a pas donné son adresse (code {process.poll()})")


@contextmanager
def serving(db: str, *options: str) -> Iterator[Served]:
    """`recueil serve --db DB --port 0 OPTIONS`; killed at the end if a test did not stop it."""
    process = subprocess.Popen([*COMMAND, "--db", db, "--port", "0", *options], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield Served(process, read_address(process))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
