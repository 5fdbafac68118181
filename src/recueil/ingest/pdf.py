"""Read a PDF into the same `Text` as a text file, with the page of every line.

pypdfium2 reads the text layer (PyMuPDF's AGPL licence does not suit a public web service), page by
page, in the order pdfium reads the page. pdfium gives the characters of each line but joins a line
ending in a hyphen to the next one with U+FFFE, and bridges any gap with a single space: the hyphen
and the line break are put back, and a wide gap becomes as many spaces as it is wide, as a layout
text would show it (see `layout`). Pages without a usable text layer (scans) are read by OCR when
tesseract is installed; otherwise a warning names them and says how to install it.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from recueil.ingest import ocr
from recueil.ingest.layout import Line, Page, assemble, gap_spaces
from recueil.ingest.read import RefusedInput, Text
from recueil.model import Warning

_LINE = re.compile(r"[^\r\n\ufffe]+")
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_MIN_CHARACTERS = 20  # fewer letters and digits than this on a page covered by an image: a scan


def read_pdf(path: Path) -> Text:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RefusedInput(f"{path.name} : illisible ({error.strerror})") from error
    return read_pdf_bytes(path.name, data)


def read_pdf_bytes(name: str, data: bytes) -> Text:
    """The text of every page, OCR'd where needed and possible; refuse a damaged or locked PDF."""
    document = open_pdf(name, data)
    try:
        pages = [read_page(document[i], i + 1) for i in range(len(document))]
        scans = [page.number for page in pages if page.unread]
        if scans and ocr.missing() is None:
            for number, lines in ocr.read_pages(document, scans).items():
                if lines is not None:
                    pages[number - 1] = Page(number, lines, ocr=True)
    finally:
        document.close()
    return to_text(name, hashlib.sha256(data).hexdigest(), pages)


def open_pdf(name: str, data: bytes) -> pdfium.PdfDocument:
    """The document, or a one-line refusal saying what is wrong with the file."""
    if b"%PDF-" not in data[:1024]:
        raise RefusedInput(f"{name} : ce n'est pas un PDF (il ne commence pas par l'en-tête %PDF)")
    if b"%%EOF" not in data[-2048:]:
        raise RefusedInput(f"{name} : PDF incomplet (la fin du fichier manque : téléchargement interrompu ?)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise RefusedInput(f"{name} : PDF protégé par un mot de passe, son texte ne peut pas être lu") from error
        raise RefusedInput(f"{name} : PDF endommagé, illisible") from error
    if len(document) == 0:
        document.close()
        raise RefusedInput(f"{name} : PDF sans aucune page")
    return document


def read_page(page: pdfium.PdfPage, number: int) -> Page:
    """The lines of one page's text layer; `unread` when it has none worth reading but an image."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if not _usable(text) and _scanned(page):
            return Page(number, unread=True)
        return Page(number, _lines(textpage, text))
    finally:
        textpage.close()
        page.close()


def _usable(text: str) -> bool:
    if len(_UNREADABLE.findall(text)) * 3 > len(text):
        return False
    return len(text) > 10 * _MIN_CHARACTERS or sum(c.isalnum() for c in text) >= _MIN_CHARACTERS


def _scanned(page: pdfium.PdfPage) -> bool:
    """An image covers most of the page: a scan (a blank page is not one)."""
    width, height = page.get_size()
    for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = image.get_pos()
        if (right - left) * (top - bottom) >= 0.4 * width * height:
            return True
    return False


def _lines(textpage: pdfium.PdfTextPage, text: str) -> list[Line]:
    same = len(text) == textpage.count_chars()  # else some characters have no text of their own

    def char(index: int) -> int:
        return index if same else raw.FPDFText_GetCharIndexFromTextIndex(textpage, index)

    x, y = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    lines: list[Line] = []
    left = last = -1.0, -1  # where the line before starts, and its last character
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start] == " ":
            start += 1
        if start == end:
            continue
        body = text[start:end].rstrip()
        raw.FPDFText_GetCharOrigin(textpage, char(start), x, y)
        line = Line(body, y.value)
        rects = raw.FPDFText_CountRects(textpage, char(start), end - start)
        pieces = _pieces(textpage, line, start, char, rects) if rects > 1 else [line]
        if lines and abs(lines[-1].y - y.value) < 0.5 and x.value > left[0] and text[left[1] + 1] != "\ufffe":
            # pdfium broke a line at a wide gap: join the two parts again
            raw.FPDFText_GetLooseCharBox(textpage, char(left[1]), box)
            gap = " " * gap_spaces(x.value - box.right, box.right - box.left)
            pieces[0] = Line(lines.pop().text + gap + pieces[0].text, y.value)
        lines.extend(pieces)
        left = x.value, start + len(body) - 1
        if text[end:end + 1] == "\ufffe":
            lines[-1] = Line(lines[-1].text + "-", lines[-1].y)
    return lines


def _pieces(textpage: pdfium.PdfTextPage, line: Line, start: int, char: Callable[[int], int],
            rects: int) -> list[Line]:
    """A line of several pieces (pdfium's rectangles, just counted): where pdfium bridged a gap
    with one generated space, the gap gets as many spaces as it is wide; a piece off the line
    (pdfium sometimes joins a short line to the one above) sends the line to `_rebuild`."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetRect(textpage, 0, left, top, right, bottom)
    low, high = bottom.value, top.value
    for i in range(1, rects):
        raw.FPDFText_GetRect(textpage, i, left, top, right, bottom)
        if not low <= (top.value + bottom.value) / 2 <= high:
            return _rebuild(textpage, line.text, start, char)
    before, after = raw.FS_RECTF(), raw.FS_RECTF()
    text = line.text
    parts, last = [], 0
    for k, c in enumerate(text):
        if c != " " or k == 0 or k + 1 == len(text) or raw.FPDFText_IsGenerated(textpage, char(start + k)) != 1:
            continue
        raw.FPDFText_GetLooseCharBox(textpage, char(start + k - 1), before)
        raw.FPDFText_GetLooseCharBox(textpage, char(start + k + 1), after)
        parts += [text[last:k], " " * gap_spaces(after.left - before.right, before.right - before.left)]
        last = k + 1
    return [Line("".join(parts) + text[last:], line.y)]


def _rebuild(textpage: pdfium.PdfTextPage, text: str, start: int, char: Callable[[int], int]) -> list[Line]:
    """The lines and spaces of a stretch of text from the place of each character (slow, rarely
    needed): a character on another baseline starts a line, a gap between two becomes spaces."""
    box, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    lines: list[Line] = []
    parts: list[str] = []
    base = right = advance = 0.0
    for k, c in enumerate(text):
        if c == " ":
            continue
        raw.FPDFText_GetLooseCharBox(textpage, char(start + k), box)
        raw.FPDFText_GetCharOrigin(textpage, char(start + k), x, y)
        if not parts or abs(y.value - base) > 0.6 * (box.top - box.bottom):
            if parts:
                lines.append(Line("".join(parts), base))
            parts, base = [], y.value
        elif box.left - right > 0.2 * advance:
            parts.append(" " * gap_spaces(box.left - right, advance))
        parts.append(c)
        right, advance = box.right, box.right - box.left
    lines.append(Line("".join(parts), base))
    return lines


def to_text(name: str, sha256: str, pages: list[Page]) -> Text:
    """The `Text` of the pages, with a warning for the pages read by OCR and those left unread."""
    lines, numbers = assemble(pages)
    ocr_pages = [p.number for p in pages if p.ocr]
    unread = [p.number for p in pages if p.unread]
    warnings = []
    if ocr_pages:
        warnings.append(Warning("ocr", f"{_pages(ocr_pages)} lue(s) par reconnaissance de caractères (OCR) : "
                                       "texte à vérifier", numbers.index(ocr_pages[0]) + 1))
    if unread:
        reason = ocr.missing() or "tesseract n'a pas pu les lire"
        if not any(line.strip() for line in lines):
            raise RefusedInput(f"{name} : aucune page n'a de texte lisible et l'OCR est impossible ({reason} ; "
                               f"pour l'installer : {ocr.INSTALL})")
        warnings.append(Warning("ocr_manquant", f"{_pages(unread)} sans texte lisible, non lue(s) : {reason} "
                                                f"(pour l'installer : {ocr.INSTALL}, puis relancer l'ingestion)",
                                numbers.index(unread[0]) + 1))
    return Text(name=name, sha256=sha256, lines=lines, pages=numbers, ocr_pages=ocr_pages, unread_pages=unread,
                warnings=warnings)


def _pages(numbers: list[int]) -> str:
    """ "page 3", "pages 3, 5 à 7" """
    spans: list[list[int]] = []
    for n in numbers:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a} à {b}" for a, b in spans)
    return f"page {text}" if len(numbers) == 1 else f"pages {text}"
