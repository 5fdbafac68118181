"""Read an input file into a `Text`: its lines, decoded and normalised, with its identity."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from recueil.model import Warning
from recueil.text.clean import printable


class RefusedInput(Exception):
    """An input that cannot be ingested; the message (in French) says why, in one line."""


@dataclass(frozen=True)
class Text:
    """The lines of one input file. Line numbers are 1-based: line n is `lines[n - 1]`.

    A PDF also gives the page of each line (line n is on page `pages[n - 1]`), the pages read by
    OCR, those left unread, and the warnings of its reading; a text file has none of these.
    """

    name: str
    sha256: str
    lines: list[str]
    pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    unread_pages: list[int] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


# The C0 controls but tab and "\n" (form feeds between pages, vertical tabs…; "\r" is made "\n"
# first), U+0085 and the Unicode line and paragraph separators: XML (the Atom feeds) refuses the
# controls, and the separators cut lines where the text has none. Each becomes a space. (A regular
# expression: str.translate with a table is ~9 times slower on a 1.4 MB recueil.)
_CONTROLS = re.compile("[\x01-\x08\x0b-\x1f\x85\u2028\u2029]")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252, the two encodings French offices produce."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_bytes(name: str, data: bytes) -> Text:
    if not data.strip():
        raise RefusedInput(f"{name} : fichier vide")
    if b"\x00" in data[:4096]:
        raise RefusedInput(f"{name} : fichier binaire, pas un texte")
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    # pypdfium2 and some exports use U+FFFE for a line-end hyphen; a stray NUL means nothing in a
    # text, and PostgreSQL refuses it.
    text = _CONTROLS.sub(" ", text.replace("\ufffe", "-").replace("\x00", ""))
    return Text(name=name, sha256=hashlib.sha256(data).hexdigest(), lines=text.split("\n"))


def read_file(path: Path) -> Text:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RefusedInput(f"{printable(path.name)} : illisible ({error.strerror})") from error
    return read_bytes(printable(path.name), data)
