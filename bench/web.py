"""Requests per second of the site, served in the ways compared for `recueil serve`.

A store is ingested from the corpus in a temporary folder; each way of serving runs in its own
processes on a free port of 127.0.0.1, and wrk (Debian's, one thread, 50 keep-alive connections)
loads three URLs in turn:
- a deliberation page (/deliberations/2025-361) and a search (/api/search?q=logement), as a
  visitor asks for them (after the first answer, from the site's cache of whole answers);
- the same search with a parameter that changes on every request (`&n=…`, ignored by the API),
  so that every answer is computed: the cost of the search itself.
Each measure is repeated `--runs` times after a warm-up; the table gives the best and the median
requests per second, the median latency of the best run, and the ratio of the best to the
baseline measured in the same run: `uvicorn --workers 2` as shipped (asyncio and h11, what
`pip install uvicorn` gives), whose listening socket leaves Nagle's algorithm on (uvicorn issue
3149). Every server runs without access log; wrk shares the 2 cores with the server it loads.

Usage: python bench/web.py [--runs 3] [--duration 5] [--only NAME...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from recueil import jobs
from recueil.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
APP = "recueil.web.app:create_app"
CONNECTIONS = 50
QUIET = ["--no-access-log", "--log-level", "warning"]

URLS = {
    "page de délibération": "/deliberations/2025-361",
    "/api/search": "/api/search?q=logement",
    "/api/search hors cache": "/api/search?q=logement&n=",
}
# Each request of wrk gets its own `n`, so no answer comes from the cache.
UNCACHED = """counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/search?q=logement&n=" .. counter)
end
"""


@dataclass(frozen=True)
class Way:
    name: str
    argv: list[str]
    port: int


def ways() -> list[Way]:
    """The ways of serving compared, the baseline first, each on its own free port."""
    def uvicorn(port: int) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "--factory", APP, "--host", "127.0.0.1", "--port", str(port), *QUIET]

    ports = iter(free_ports(6))
    listed = [
        Way("uvicorn --workers 2 tel que livré (asyncio, h11) : référence",
            [*uvicorn(port := next(ports)), "--workers", "2", "--loop", "asyncio", "--http", "h11"], port),
        Way("uvicorn --workers 2 (uvloop, httptools)", [*uvicorn(port := next(ports)), "--workers", "2"], port),
        Way("uvicorn, 1 processus (uvloop, httptools)", uvicorn(port := next(ports)), port),
        Way("recueil serve --workers 2, mais asyncio et h11",
            [sys.executable, __file__, "--serve-asyncio", str(port := next(ports))], port),
        Way("recueil serve --workers 2",
            [str(BIN / "recueil"), "serve", "--port", str(port := next(ports)), "--workers", "2"], port),
    ]
    if (BIN / "granian").exists():
        listed.append(Way("granian --workers 2 (Rust)",
                          [str(BIN / "granian"), "--interface", "asgi", "--factory", "--workers", "2", "--host",
                           "127.0.0.1", "--port", str(port := next(ports)), "--no-ws", "--log-level", "warning", APP],
                          port))
    return listed


def serve_with_asyncio(port: int) -> None:
    """`recueil serve` (its socket, its workers) on asyncio and h11: is the socket enough?"""
    import uvicorn

    from recueil import serve

    usual = serve.server_config

    def plain(db: str | None) -> uvicorn.Config:
        config = usual(db)
        config.loop, config.http = "asyncio", "h11"
        return config

    serve.server_config = plain
    serve.serve(None, "127.0.0.1", port, 2)


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode}) :\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + URLS["/api/search"], timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("le serveur ne répond pas")


@dataclass(frozen=True)
class Measure:
    rate: float
    p50_ms: float


def wrk(base: str, path: str, seconds: int, script: Path | None) -> Measure:
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "20s", "--latency"]
    if script:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, base + path], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if "Non-2xx" in out or (errors and any(int(n) for n in errors.groups())):
        raise RuntimeError(f"réponses en erreur pendant la mesure de {path} :\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return Measure(rate, float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit])


def start(way: Way, env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    log = folder / f"serveur-{way.port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(way.argv, env=env, stdout=output, stderr=output, start_new_session=True)
    wait_until_up(f"http://127.0.0.1:{way.port}", process, log)
    return process


def measure(chosen: list[Way], runs: int, seconds: int, script: Path) -> dict[str, dict[str, list[Measure]]]:
    """Every server is up at once (idle but the one measured): the runs go round the servers, so
    that the load of the shared machine, which drifts, weighs on all of them alike."""
    found: dict[str, dict[str, list[Measure]]] = {way.name: {label: [] for label in URLS} for way in chosen}
    for label, path in URLS.items():
        lua = script if label.endswith("hors cache") else None
        for way in chosen:
            wrk(f"http://127.0.0.1:{way.port}", path, 1, lua)  # warm-up: caches, connections
        for _ in range(runs):
            for way in chosen:
                found[way.name][label].append(wrk(f"http://127.0.0.1:{way.port}", path, seconds, lua))
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server and its workers (its own session), SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="secondes par mesure")
    parser.add_argument("--only", nargs="*", help="ne mesurer que les façons de servir dont le nom contient ce texte")
    parser.add_argument("--serve-asyncio", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_asyncio:
        return serve_with_asyncio(args.serve_asyncio)
    if not shutil.which("wrk"):
        sys.exit("wrk absent : apt-get install wrk (make bench l'installe)")
    if not CORPUS.is_dir():
        sys.exit(f"corpus absent : {CORPUS}")
    console = Console(width=150)
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'web.db'}"
        with Store(db) as store:
            jobs.ingest(store, [CORPUS], workers=1)
        script = Path(folder) / "hors-cache.lua"
        script.write_text(UNCACHED, encoding="utf-8")
        env = {**os.environ, "RECUEIL_DB": db}
        chosen = [way for way in ways() if not args.only or any(word in way.name for word in args.only)]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for way in chosen:
                console.print(f"… {way.name} (port {way.port})", highlight=False)
                processes.append(start(way, env, Path(folder)))
            results = measure(chosen, args.runs, args.duration, script)
        finally:
            for process in processes:
                stop(process)
    print_table(console, results, args)


def print_table(console: Console, results: dict[str, dict[str, list[Measure]]], args: argparse.Namespace) -> None:
    baseline = next(iter(results.values()))
    table = Table(title=f"Requêtes par seconde (meilleure / médiane de {args.runs} × {args.duration:g} s, "
                        f"wrk 1 fil, {CONNECTIONS} connexions ; latence médiane de la meilleure mesure ; "
                        f"× : meilleure ÷ celle de {next(iter(results))[:26]}…)")
    table.add_column("façon de servir")
    for label in URLS:
        table.add_column(label, justify="right")
    for name, found in results.items():
        cells = []
        for label in URLS:
            best = max(found[label], key=lambda m: m.rate)
            median = statistics.median(m.rate for m in found[label])
            ratio = best.rate / max(m.rate for m in baseline[label])
            cells.append(f"{best.rate:,.0f} / {median:,.0f}\n{best.p50_ms:.1f} ms · ×{ratio:.2f}".replace(",", "\u202f"))
        table.add_row(name, *cells)
    console.print(table)


if __name__ == "__main__":
    main()
