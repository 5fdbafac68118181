"""A throwaway PostgreSQL server for the tests and the benchmarks.

`initdb` in a fresh temporary folder, then the server itself as a child process, listening on a
Unix socket only (no port to find free, nothing reachable from outside), without fsync (a test
cluster is thrown away, not recovered). The server is told to stop when the process that started
it dies (`setpriv --pdeathsig`): a test run killed by a timeout leaves no server behind.
PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system user.
`PostgresUnavailable` says, in one line, why no server could be started (binaries missing, no
`postgres` user), so that callers can skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SEARCHED = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")
READY_WITHIN = 60.0  # seconds


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


NEEDED = ("initdb", "postgres", "pg_isready")


def binaries() -> Path | None:
    """The folder of PostgreSQL's programs: that of `initdb` on the PATH (links followed), else the
    newest packaged version."""
    found = shutil.which("initdb")
    folders = [Path(found).resolve().parent] if found else []
    folders += [p for pattern in SEARCHED for p in Path("/").glob(pattern.lstrip("/"))]
    candidates = [p for p in folders if all((p / name).exists() for name in NEEDED)]
    if found and candidates and candidates[0] == Path(found).resolve().parent:
        return candidates[0]
    return max(candidates, key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
               default=None)


class Cluster:
    """A running throwaway cluster; `url(name)` creates a database on it and returns its URL."""

    def __init__(self, bin_dir: Path, root: Path, owner: str | None) -> None:
        self.bin_dir, self.root, self.owner = bin_dir, root, owner
        self.data = root / "data"
        self.log = root / "server.log"
        self.server: subprocess.Popen[bytes] | None = None
        self.created = 0

    def _as_owner(self, *command: str) -> list[str]:
        """The command run as the cluster's owner, and stopped (SIGINT: a fast shutdown) when its
        parent dies."""
        user = ["--reuid", self.owner, "--regid", self.owner, "--init-groups"] if self.owner else []
        return ["setpriv", *user, "--pdeathsig", "INT", "--", *command]

    def _failed(self, what: str, detail: str) -> PostgresUnavailable:
        log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        return PostgresUnavailable(" ".join(f"{what} a échoué : {detail} {log}".split()))

    def start(self) -> Cluster:
        done = subprocess.run(self._as_owner(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                                             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
                              capture_output=True, text=True)
        if done.returncode:
            raise self._failed("initdb", done.stderr)
        with self.log.open("wb") as log:
            self.server = subprocess.Popen(
                self._as_owner(str(self.bin_dir / "postgres"), "-D", str(self.data), "-k", str(self.root),
                               "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                               "-c", "full_page_writes=off", "-c", "max_connections=40"),
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_WITHIN
        while subprocess.run([str(self.bin_dir / "pg_isready"), "-q", "-h", str(self.root)]).returncode:
            if self.server.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise self._failed("postgres", "le serveur ne répond pas")
            time.sleep(0.1)
        return self

    def url(self, name: str | None = None) -> str:
        """A new, empty database (named `name`, else numbered) as a SQLAlchemy URL."""
        self.created += 1
        name = name or f"test_{self.created}"
        admin = create_engine(self._url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self._url(name)

    def _url(self, name: str) -> str:
        return make_url(f"postgresql+psycopg://postgres@/{name}").update_query_dict(
            {"host": str(self.root)}).render_as_string(hide_password=False)

    def stop(self) -> None:
        try:
            if self.server and self.server.poll() is None:
                self.server.send_signal(signal.SIGINT)
                try:
                    self.server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.server.kill()
                    self.server.wait()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """Start a cluster in a new temporary folder (raises `PostgresUnavailable`)."""
    try:
        import psycopg  # noqa: F401  (the driver of the URLs handed out)
    except ImportError as error:
        raise PostgresUnavailable("pilote psycopg absent (pip install -e '.[test]')") from error
    bin_dir = binaries()
    if bin_dir is None:
        raise PostgresUnavailable("PostgreSQL absent (initdb introuvable) : `make postgresql` en root l'installe")
    if shutil.which("setpriv") is None:
        raise PostgresUnavailable("setpriv (util-linux) introuvable : il lance le serveur et l'arrête avec les tests")
    owner = None
    root = Path(tempfile.mkdtemp(prefix="recueil-pg-"))
    if os.geteuid() == 0:
        owner = "postgres"
        try:
            user = pwd.getpwnam(owner)
        except KeyError as error:
            shutil.rmtree(root)
            raise PostgresUnavailable("pas d'utilisateur système « postgres » pour faire tourner le serveur") from error
        os.chown(root, user.pw_uid, user.pw_gid)
    try:
        return Cluster(bin_dir, root, owner).start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
