"""Read scanned pages with tesseract, in French: one single-threaded tesseract per page and core.

tesseract's own OpenMP threads make it about 11 times slower on a 2-core machine than one page per
core with `OMP_THREAD_LIMIT=1`. Its TSV output gives every word's box, so an OCR'd page comes back
as positioned lines, like the text layer, and goes through the same running-header and blank-line
handling. tesseract is called directly rather than through ocrmypdf: only the text is wanted, not
a new PDF, and that spares ocrmypdf's second pass.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pypdfium2 as pdfium

from recueil.ingest.layout import Line, gap_spaces

DPI = 300
_MAX_PIXELS = 5000  # longest side of a rendered page: A4 at 300 dpi is 3,508
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-fra"
_TIMEOUT = 300  # seconds for one page: a page that takes longer is left unread
_PDFIUM = threading.Lock()  # pdfium is not thread-safe: pages are rendered one at a time


@functools.cache
def missing() -> str | None:
    """None when tesseract can read French here, else what is missing (in French)."""
    if shutil.which("tesseract") is None:
        return "tesseract n'est pas installé"
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "tesseract ne répond pas"
    if "fra" not in langs.split():
        return "le français de tesseract (tesseract-ocr-fra) n'est pas installé"
    return None


def read_pages(document: pdfium.PdfDocument, numbers: Iterable[int]) -> dict[int, list[Line] | None]:
    """The lines of each page (1-based numbers), None for a page tesseract could not read."""
    numbers = list(numbers)
    with ThreadPoolExecutor(max_workers=max(1, min(len(numbers), os.cpu_count() or 1))) as pool:
        return dict(zip(numbers, pool.map(lambda n: _read_page(document, n), numbers)))


def _read_page(document: pdfium.PdfDocument, number: int) -> list[Line] | None:
    with _PDFIUM:
        page = document[number - 1]
        width, height = page.get_size()
        scale = min(DPI / 72, _MAX_PIXELS / max(width, height, 1))
        image = _pgm(page.render(scale=scale, grayscale=True))
        page.close()
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "fra", "--dpi", str(round(72 * scale)), "tsv"],
            input=image, capture_output=True, timeout=_TIMEOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return tsv_lines(done.stdout.decode("utf-8", errors="replace"), height, scale)


def _pgm(bitmap: pdfium.PdfBitmap) -> bytes:
    """The rendered page as a binary PGM, which tesseract reads from its standard input."""
    buffer = bytes(bitmap.buffer)
    rows = (buffer[row * bitmap.stride: row * bitmap.stride + bitmap.width] for row in range(bitmap.height))
    return b"P5\n%d %d\n255\n" % (bitmap.width, bitmap.height) + b"".join(rows)


def tsv_lines(tsv: str, page_height: float, scale: float) -> list[Line]:
    """tesseract's TSV words (in pixels, `scale` a point), gathered into lines with their baseline
    in PDF points."""
    words: dict[tuple[str, str, str], list[tuple[int, int, str]]] = defaultdict(list)
    bottoms: dict[tuple[str, str, str], int] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        key = (cells[2], cells[3], cells[4])
        left, top, width, height = (int(v) for v in cells[6:10])
        if cells[0] == "4":
            bottoms[key] = top + height
        elif cells[0] == "5" and cells[11].strip():
            words[key].append((left, width, cells[11].strip()))
    lines = []
    for key, found in words.items():
        advance = sum(w for _, w, _ in found) / max(1, sum(len(t) for _, _, t in found))
        text = found[0][2]
        for (left, width, _), (next_left, _, word) in pairwise(found):
            text += " " * gap_spaces(next_left - left - width, advance) + word
        lines.append(Line(text, page_height - bottoms.get(key, 0) / scale))
    return lines
