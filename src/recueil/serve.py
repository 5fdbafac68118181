"""Serving the site: N uvicorn worker processes sharing one listening socket bound here.

Why the socket is bound here rather than by `uvicorn --workers N`: uvicorn creates it with
protocol 0, the connections accepted on it inherit that, and asyncio then leaves Nagle's algorithm
on (uvicorn issue 3149): every keep-alive response after the first waits ~40 ms for the client's
delayed ACK, which caps two workers at ~1,100 req/s here instead of thousands (bench/web.py). Bound as IPPROTO_TCP with
TCP_NODELAY (which accepted sockets inherit on Linux), every worker answers at once, whatever its
event loop. The supervisor is a few lines on uvicorn's public `Config` and `Server`.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import signal
import socket
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import wait
from pathlib import Path
from types import FrameType

import uvicorn

from recueil.store.database import Store, database_url, sqlite_file
from recueil.web.app import create_app

BACKLOG = 2048
STOP_TIMEOUT = 10.0  # seconds a worker has to finish its requests once asked to stop


class ServeError(Exception):
    """The site cannot be served; the message (in French) says why."""


def url_of(sock: socket.socket) -> str:
    """The address a browser opens for this listening socket (its real port when 0 was asked)."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket with TCP_NODELAY, inheritable by the worker processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"le port {port} est déjà utilisé sur {host} : choisissez-en un autre avec --port") from error
        if error.errno == errno.EACCES:
            raise ServeError(f"le port {port} est réservé à l'administrateur : choisissez-en un au-dessus de 1023") from error
        if error.errno == errno.EADDRNOTAVAIL:
            raise ServeError(f"l'adresse {host} n'est pas celle d'une interface de cette machine") from error
        if isinstance(error, socket.gaierror):
            raise ServeError(f"adresse d'écoute inconnue : {host}") from error
        raise ServeError(f"impossible d'écouter sur {host}:{port} (erreur système {error.errno})") from error
    sock.set_inheritable(True)
    return sock


def check_store(db: str | None) -> None:
    """Refuse, before any worker starts, a database that is missing or cannot be opened."""
    path = sqlite_file(database_url(db))
    if path and not Path(path).is_file():
        raise ServeError(f"base absente : {path} (lisez d'abord des documents avec « recueil ingest »)")
    Store(db, create=False).close()  # raises StoreError with its French reason


def server_config(db: str | None) -> uvicorn.Config:
    """One worker's settings: the app built in the worker itself (one store per process), uvloop
    and httptools when installed, no access log (a line in English for every request)."""
    return uvicorn.Config(partial(create_app, db), factory=True, log_level="warning", access_log=False,
                          server_header=False)


def _work(config: uvicorn.Config, sock: socket.socket) -> None:
    """A worker process: serve on the shared socket until told to stop."""
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches every process of the terminal: stop quietly
        uvicorn.Server(config).run(sockets=[sock])


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(db: str | None, host: str, port: int, workers: int,
          ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve the site over the store at `db` on `workers` processes until Ctrl-C or SIGTERM;
    `ready(url)` is called once the socket listens (port 0 picks a free port, the url tells it)."""
    if workers < 1:
        raise ServeError(f"nombre de processus invalide : {workers} (au moins 1)")
    if not 0 <= port <= 65535:
        raise ServeError(f"port invalide : {port} (de 1 à 65535, ou 0 pour un port libre)")
    check_store(db)
    sock = listen(host, port)
    config = server_config(db)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if workers == 1:
            ready(url_of(sock))
            _work(config, sock)
            return
        _supervise(config, sock, workers, ready)
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _supervise(config: uvicorn.Config, sock: socket.socket, workers: int, ready: Callable[[str], None]) -> None:
    """Start the workers, wait; stop them all on Ctrl-C or SIGTERM, or when one of them dies."""
    spawn = multiprocessing.get_context("spawn")
    processes = [spawn.Process(target=_work, args=(config, sock), name=f"recueil-web-{n}") for n in range(workers)]
    # Started with Ctrl-C ignored, which they inherit until uvicorn takes it over: a Ctrl-C while
    # they still import would print their tracebacks; they are then stopped by SIGTERM from here.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for process in processes:
            process.start()
    finally:
        signal.signal(signal.SIGINT, previous)
    ready(url_of(sock))
    try:
        ended = wait([p.sentinel for p in processes])
    except KeyboardInterrupt:
        return
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(STOP_TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
    code = next(p.exitcode for p in processes if p.sentinel in ended)
    if code != 0:  # 0: a worker stopped by a signal (Ctrl-C reaches it too), a stop asked for
        raise ServeError(f"un processus du serveur s'est arrêté (code {code}) : serveur arrêté")
