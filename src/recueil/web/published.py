"""The publication register (publish/register.py) as the site shows it: for each act, séance list
and procès-verbal, the date it was put online, its file and the file's SHA-256.

The register is read again when its file changes, so `recueil publish` shows on a running site;
a register that cannot be read shows nothing (and is logged): `recueil verify` says why.
"""

from __future__ import annotations

import logging
from pathlib import Path

from recueil.publish.register import REGISTER, Entry, RegisterError, publications

log = logging.getLogger(__name__)


class Published:
    """The latest register entry of each published item of `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._entries: dict[str, Entry] = {}
        self._read: tuple[int, int] | None = None

    def version(self) -> tuple[int, int] | None:
        """The register file's modification time and size: what changes when an entry is added."""
        try:
            stat = (self.folder / REGISTER).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def get(self, item: str) -> Entry | None:
        version = self.version()
        if version != self._read:
            try:
                self._entries = publications(self.folder) if version else {}
            except RegisterError as error:
                log.error("registre des publications illisible : %s", error)
                self._entries = {}
            self._read = version
        return self._entries.get(item)
