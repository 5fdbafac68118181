"""A real SMTP server for the tests (aiosmtpd, in a thread of the test process), listening on a free
port of the loopback, that keeps every message it accepts so that a test reads them back.
Loaded by file path, like tests/pg.py."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    """The messages the server accepted, with their envelope (sender and recipients)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def wait(self, count: int, within: float = 10.0) -> list[EmailMessage]:
        """The messages once there are `count` of them (the server is in another thread)."""
        deadline = time.monotonic() + within
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def config(self, folder: Path, site: str = "https://actes.example.org") -> Path:
        """A recueil.toml whose [alertes] send through this server."""
        path = folder / "recueil.toml"
        path.write_text(f'[alertes]\nserveur = "127.0.0.1"\nport = {self.port}\nchiffrement = "aucun"\n'
                        f'expediteur = "Recueil des actes <alertes@actes.example.org>"\nsite = "{site}"\n',
                        encoding="utf-8")
        return path


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def link(message: EmailMessage, path: str) -> str:
    """The path and query of the link to `path` in the plain text of a message."""
    found = re.search(r"https://actes\.example\.org(" + re.escape(path) + r"\?jeton=[A-Za-z0-9_-]+)", text_of(message))
    assert found, text_of(message)
    return found[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
