"""`recueil serve`: the address printed, the site answered by every worker, Ctrl-C and SIGTERM
stopping it cleanly, keep-alive answers that do not wait for a delayed ACK, and one French line
(exit 2) for a port in use, a missing database or a bad option."""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import signal
import socket
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from recueil.cli import app
from recueil.serve import listen

_spec = importlib.util.spec_from_file_location("recueil_tests_serving", Path(__file__).parent / "serving.py")
assert _spec and _spec.loader
serving = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serving)


def get_json(url: str, path: str) -> dict:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path)
    answer = connection.getresponse()
    assert answer.status == 200
    data = json.loads(answer.read())
    connection.close()
    return data


def refused(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_serves_the_corpus_on_two_workers_and_stops_on_ctrl_c(corpus_db: str) -> None:
    with serving.serving(corpus_db, "--workers", "2") as served:
        assert served.url.startswith("http://127.0.0.1:")
        found = get_json(served.url, "/api/search?q=2025-361")
        assert found["total"] == 2
        assert found["results"][0]["number"] == "2025-361"
        assert found["results"][0]["url"] == "/deliberations/2025-361"
        code, out, err = served.stop(signal.SIGINT)
    assert code == 0, err
    assert "Serveur arrêté." in out
    assert "Traceback" not in err
    assert refused(served.url)  # no worker left listening


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_to_the_parent_alone_stops_every_worker(corpus_db: str, workers: str) -> None:
    with serving.serving(corpus_db, "--workers", workers) as served:
        get_json(served.url, "/api/search?q=logement")
        code, out, err = served.stop(signal.SIGTERM, group=False)
    assert code == 0, err
    assert "Serveur arrêté." in out
    assert refused(served.url)


def worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_a_worker_that_dies_stops_the_server_with_one_french_line(corpus_db: str) -> None:
    with serving.serving(corpus_db, "--workers", "2") as served:
        get_json(served.url, "/api/search?q=logement")
        workers = worker_pids(served.process.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        _, err = served.process.communicate(timeout=30)
    assert served.process.returncode == 2
    assert err.strip() == "Erreur : un processus du serveur s'est arrêté (code -9) : serveur arrêté"
    assert refused(served.url)


def test_accepted_connections_inherit_tcp_nodelay() -> None:
    listener = listen("127.0.0.1", 0)
    with listener, socket.create_connection(listener.getsockname()[:2]):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.proto == socket.IPPROTO_TCP  # what asyncio checks before setting TCP_NODELAY
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_keep_alive_answers_do_not_wait_for_a_delayed_ack(corpus_db: str) -> None:
    """With Nagle's algorithm left on (uvicorn issue 3149) each answer after the first on a
    connection waits ~40 ms for the client's delayed ACK; here they come at once."""
    with serving.serving(corpus_db, "--workers", "2") as served:
        parts = urlsplit(served.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        times = []
        for _ in range(30):
            start = time.perf_counter()
            connection.request("GET", "/api/search?q=2025-361")
            answer = connection.getresponse()
            answer.read()
            times.append(time.perf_counter() - start)
            assert answer.status == 200
        connection.close()
        served.stop()
    assert statistics.median(times[1:]) < 0.02, times


runner = CliRunner()


def refusal(*args: str) -> str:
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_port_in_use_is_one_french_line(corpus_db: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = refusal("--db", corpus_db, "--port", str(port))
    assert line == f"Erreur : le port {port} est déjà utilisé sur 127.0.0.1 : choisissez-en un autre avec --port"


def test_a_missing_database_is_refused_before_serving(tmp_path: Path) -> None:
    missing = tmp_path / "absente.db"
    assert refusal("--db", str(missing), "--port", "0") == (
        f"Erreur : base absente : {missing} (lisez d'abord des documents avec « recueil ingest »)")
    assert not missing.exists()


@pytest.mark.parametrize(("option", "message"), [
    (["--workers", "0"], "Erreur : nombre de processus invalide : 0 (au moins 1)"),
    (["--port", "70000"], "Erreur : port invalide : 70000 (de 1 à 65535, ou 0 pour un port libre)"),
    (["--host", "nom-inconnu.invalid"], "Erreur : adresse d'écoute inconnue : nom-inconnu.invalid"),
    (["--host", "192.0.2.1"], "Erreur : l'adresse 192.0.2.1 n'est pas celle d'une interface de cette machine"),
])
def test_bad_options_are_one_french_line(corpus_db: str, option: list[str], message: str) -> None:
    assert refusal("--db", corpus_db, *option) == message


def test_a_bad_configuration_is_refused_before_serving(corpus_db: str, tmp_path: Path, monkeypatch) -> None:
    """The workers load ./recueil.toml too: checked first, it is one line, not "Site servi" then a
    traceback per worker."""
    monkeypatch.delenv("RECUEIL_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "recueil.toml").write_text("[collectivite]\nsiret = 123\n", encoding="utf-8")
    line = refusal("--db", corpus_db, "--port", "0", "--workers", "2")
    assert line == "Erreur : recueil.toml : « siret » doit être un texte non vide"
    (tmp_path / "recueil.toml").write_text("[collectivite\n", encoding="utf-8")
    assert refusal("--db", corpus_db, "--port", "0") == "Erreur : recueil.toml : syntaxe TOML invalide ligne 1, colonne 14"
