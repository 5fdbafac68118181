"""Read an input file into a `Text`: its lines, decoded and normalised, with its identity."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
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


def _escape(error: UnicodeError) -> tuple[str, int]:
    """Each invalid byte becomes the lone surrogate U+DC00 + its value, which no valid decoding gives,
    for `read_bytes` to find by line, replace and report (Python's "surrogateescape" refuses the
    bytes below 0x80, which a broken UTF-16 code unit can hold)."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(chr(0xDC00 + byte) for byte in error.object[error.start:error.end]), error.end


codecs.register_error("recueil.escape", _escape)
_ESCAPED = re.compile("[\udc00-\udcff]+")


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data`, and the encoding in which some bytes were invalid ("" when none was):
    those bytes are then left as lone surrogates (see `_escape`).

    UTF-16 when the data starts with its byte order mark; else UTF-8 (with or without BOM) unless
    the file as a whole is cp1252, the other encoding French offices produce: a few bad bytes in a
    UTF-8 file must cost a few characters, not the document. The rule: cp1252 when the lines holding
    a byte invalid in UTF-8 outnumber the lines holding valid multi-byte sequences only (a cp1252
    text makes a valid sequence only by chance, "Ã©"; a damaged UTF-8 text has a few bad lines
    among many good ones). The clean file, the common case, costs one `bytes.decode`.
    """
    codec = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        return data.decode(codec), ""
    except UnicodeDecodeError:
        text = data.decode(codec, errors="recueil.escape")
    if codec == "utf-16":
        return text, "UTF-16"
    lines = text.splitlines()
    invalid = sum(1 for line in lines if _ESCAPED.search(line))
    if invalid > sum(1 for line in lines if not line.isascii()) - invalid:
        return data.decode("cp1252", errors="recueil.escape"), "cp1252"
    return text, "UTF-8"


def _replace_invalid(lines: list[str], encoding: str) -> list[Warning]:
    """Replace the escaped bytes of each line by one U+FFFD a run, with a warning naming the line."""
    warnings = []
    for number, line in enumerate(lines, 1):
        runs = _ESCAPED.findall(line)
        if runs:
            lines[number - 1] = _ESCAPED.sub("\ufffd", line)
            count = sum(map(len, runs))
            warnings.append(Warning(
                "octets_invalides",
                f"{count} octet{'s' * (count > 1)} invalide{'s' * (count > 1)} en {encoding}, "
                f"remplacé{'s' * (count > 1)} par « \ufffd »", number))
    return warnings


def read_bytes(name: str, data: bytes) -> Text:
    """The lines of a text file, decoded (see `decode`) and in NFC, the form the parsers' patterns
    are written in: a decomposed "é" (e + U+0301) would match none of them."""
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RefusedInput(f"{name} : fichier binaire, pas un texte")
    text, invalid_in = decode(data)
    if not text or text.isspace():
        raise RefusedInput(f"{name} : fichier vide")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # pypdfium2 and some exports use U+FFFE for a line-end hyphen; a stray NUL means nothing in a
    # text, and PostgreSQL refuses it.
    text = _CONTROLS.sub(" ", text.replace("\ufffe", "-").replace("\x00", ""))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    warnings = _replace_invalid(lines, invalid_in) if invalid_in else []
    return Text(name=name, sha256=hashlib.sha256(data).hexdigest(), lines=lines, warnings=warnings)


def read_file(path: Path) -> Text:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RefusedInput(f"{printable(path.name)} : illisible ({error.strerror})") from error
    return read_bytes(printable(path.name), data)
