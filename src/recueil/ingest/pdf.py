"""Read a PDF into the same `Text` as a text file, with the page of every line.

pypdfium2 reads the text layer (PyMuPDF's AGPL licence does not suit a public web service), page by
page, in the order pdfium reads the page. pdfium gives the characters of each line but joins a line
ending in a hyphen to the next one with U+FFFE, and bridges any gap with a single space: the hyphen
and the line break are put back, and a wide gap becomes as many spaces as it is wide, as a layout
text would show it (see `layout`). Pages without a usable text layer (scans) are read by OCR when
tesseract is installed; otherwise a warning names them and says how to install it.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from recueil.ingest import ocr
from recueil.ingest.layout import Line, Page, assemble, gap_spaces
from recueil.ingest.read import RefusedInput, Text
from recueil.model import Warning

_LINE = re.compile(r" *([^\r\n\ufffe ](?:[^\r\n\ufffe]*[^\r\n\ufffe ])?)")  # a line, less its edge spaces
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
# Fewer letters and digits than this on a page covered by an image: a scan, maybe with a stamp
# ("Reçu en préfecture le …") added as text; a page of text has thousands.
_MIN_CHARACTERS = 200


def read_pdf(path: Path) -> Text:
    """The text of every page, OCR'd where needed and possible; refuse a damaged or locked PDF."""
    data, document = load(path)
    with document:
        pages = read_pages(document, 1, len(document))
        read_scans(document, pages)
    return to_text(path.name, hashlib.sha256(data).hexdigest(), pages)


def load(path: Path) -> tuple[bytes, pdfium.PdfDocument]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RefusedInput(f"{path.name} : illisible ({error.strerror})") from error
    return data, open_pdf(path.name, data)


def read_pages(document: pdfium.PdfDocument, first: int, last: int) -> list[Page]:
    """The text layer of pages `first` to `last` (1-based, inclusive)."""
    return [read_page(document[number - 1], number) for number in range(first, last + 1)]


def read_scans(document: pdfium.PdfDocument, pages: list[Page]) -> None:
    """OCR the pages left unread, in place, when tesseract is here."""
    scans = [page.number for page in pages if page.unread]
    if scans and ocr.missing() is None:
        for number, lines in ocr.read_pages(document, scans).items():
            if lines is not None:
                pages[number - pages[0].number] = Page(number, lines, ocr=True)


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
    """The lines of one page's text layer; `unread` when the page is a scan, left to the OCR."""
    textpage = page.get_textpage()
    try:
        layer = _TextLayer(textpage)
        return Page(number, layer.lines(), unread=not _usable(layer.text) and _scanned(page))
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
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) >= 0.4 * width * height:
            return True
    return False


class _TextLayer:
    """One page's text, as pdfium gives it, and the place of its characters, asked only where needed:
    the baseline of each line, and the width of the gaps in lines made of several pieces."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.textpage = textpage  # the handle below lives as long as this object
        self.handle = textpage.raw
        self.text = textpage.get_text_range()
        self.same = len(self.text) == textpage.count_chars()  # else some characters have no text
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._box = raw.FS_RECTF()
        self._rect = tuple(ctypes.c_double() for _ in range(4))

    def char(self, index: int) -> int:
        """The character behind a place in the text."""
        return index if self.same else raw.FPDFText_GetCharIndexFromTextIndex(self.handle, index)

    def origin(self, index: int) -> tuple[float, float]:
        raw.FPDFText_GetCharOrigin(self.handle, self.char(index), self._x, self._y)
        return self._x.value, self._y.value

    def box(self, index: int) -> tuple[float, float, float, float]:
        """left, bottom, right, top of the character's advance, from the font's ascent to descent."""
        raw.FPDFText_GetLooseCharBox(self.handle, self.char(index), self._box)
        return self._box.left, self._box.bottom, self._box.right, self._box.top

    def lines(self) -> list[Line]:
        text, handle, x, y, same = self.text, self.handle, self._x, self._y, self.same
        origin, count_rects = raw.FPDFText_GetCharOrigin, raw.FPDFText_CountRects
        lines: list[Line] = []
        previous = (0.0, -1)  # where the line before starts, and its last character
        for m in _LINE.finditer(text):  # the hot loop: two pdfium calls a line, most often
            start, end = m.span(1)
            index = start if same else self.char(start)
            origin(handle, index, x, y)
            base = y.value
            rects = count_rects(handle, index, end - start)
            pieces = self._pieces(m.group(1), start, base, rects) if rects > 1 else [Line(m.group(1), base)]
            if lines and abs(lines[-1].y - base) < 0.5 and x.value > previous[0] and text[previous[1] + 1] != "\ufffe":
                # pdfium broke a line at a wide gap: join the two parts again
                left, _, right, _ = self.box(previous[1])
                gap = " " * gap_spaces(x.value - right, right - left)
                pieces[0] = Line(lines.pop().text + gap + pieces[0].text, base)
            lines.extend(pieces)
            previous = (x.value, end - 1)
            if text[end:end + 1] == "\ufffe":
                lines[-1] = Line(lines[-1].text + "-", lines[-1].y)
        return lines

    def _pieces(self, text: str, start: int, y: float, rects: int) -> list[Line]:
        """A line in several pieces (pdfium's rectangles, just counted): where pdfium bridged a gap
        with one generated space, the gap gets as many spaces as it is wide; a piece off the line
        (pdfium sometimes joins a short line to the one above) sends the line to `_rebuild`."""
        left, top, right, bottom = self._rect
        raw.FPDFText_GetRect(self.handle, 0, left, top, right, bottom)
        low, high = bottom.value, top.value
        for i in range(1, rects):
            raw.FPDFText_GetRect(self.handle, i, left, top, right, bottom)
            if not low <= (top.value + bottom.value) / 2 <= high:
                return self._rebuild(text, start)
        parts, last, gaps = [], 0, rects - 1  # a generated space is where two pieces meet
        k = text.find(" ", 1)
        while k > 0 and gaps:
            if raw.FPDFText_IsGenerated(self.handle, self.char(start + k)) == 1:
                gaps -= 1
                before_left, _, before_right, _ = self.box(start + k - 1)
                after_left = self.box(start + k + 1)[0]
                parts += [text[last:k], " " * gap_spaces(after_left - before_right, before_right - before_left)]
                last = k + 1
            k = text.find(" ", k + 1)
        return [Line("".join(parts) + text[last:], y)]

    def _rebuild(self, text: str, start: int) -> list[Line]:
        """The lines and spaces of a stretch of text from the place of each character (slow, rarely
        needed): a character on another baseline starts a line, a gap between two becomes spaces."""
        lines: list[Line] = []
        parts: list[str] = []
        base = end = advance = 0.0
        for k, c in enumerate(text):
            if c == " ":
                continue
            left, bottom, right, top = self.box(start + k)
            y = self.origin(start + k)[1]
            if not parts or abs(y - base) > 0.6 * (top - bottom):
                if parts:
                    lines.append(Line("".join(parts), base))
                parts, base = [], y
            elif left - end > 0.2 * advance:
                parts.append(" " * gap_spaces(left - end, advance))
            parts.append(c)
            end, advance = right, right - left
        lines.append(Line("".join(parts), base))
        return lines


def to_text(name: str, sha256: str, pages: list[Page]) -> Text:
    """The `Text` of the pages, with a warning for the pages read by OCR and one for those left
    unread; refuse a PDF of which no page could be read."""
    lines, numbers = assemble(pages)
    ocr_pages = [p.number for p in pages if p.ocr]
    unread = [p.number for p in pages if p.unread]
    warnings = []
    if ocr_pages:
        warnings.append(Warning("ocr", f"{_pages(ocr_pages, 'lue')} par reconnaissance de caractères (OCR) : "
                                       "texte à vérifier", _line_of(numbers, ocr_pages[0])))
    if unread:
        missing = ocr.missing()
        why = (f"{missing} ; pour les lire, installer l'OCR ({ocr.INSTALL}) puis relancer l'ingestion"
               if missing else "tesseract n'a pas pu les lire")
        if not any(line.strip() for line in lines):
            raise RefusedInput(f"{name} : aucune page n'a de texte lisible ({why})")
        warnings.append(Warning("ocr_manquant", f"{_pages(unread, 'sans texte lisible, non lue')} : {why}",
                                _line_of(numbers, unread[0])))
    return Text(name=name, sha256=sha256, lines=lines, pages=numbers, ocr_pages=ocr_pages, unread_pages=unread,
                warnings=warnings)


def _line_of(numbers: list[int], page: int) -> int | None:
    """The first line on or after a page."""
    index = bisect.bisect_left(numbers, page)
    return index + 1 if index < len(numbers) else None


def _pages(numbers: list[int], said: str) -> str:
    """ "page 3 lue", "pages 3, 5 à 7 lues" """
    spans: list[list[int]] = []
    for n in numbers:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a} à {b}" for a, b in spans)
    return f"page {text} {said}" if len(numbers) == 1 else f"pages {text} {said}s"
