"""Shared fixtures. Real-document tests read ../shared/corpus and never copy it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from recueil.ingest.read import Text, read_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
RAA_2021 = CORPUS / "000_45492b4b56f19b50.txt"
SEANCE_2025 = CORPUS / "003_e61d4ed207638a45.txt"


def _corpus_text(path: Path) -> Text:
    if not path.exists():
        pytest.skip(f"corpus absent: {path}")
    return read_file(path)


@pytest.fixture(scope="session")
def raa_2021() -> Text:
    return _corpus_text(RAA_2021)


@pytest.fixture(scope="session")
def seance_2025() -> Text:
    return _corpus_text(SEANCE_2025)


@pytest.fixture(scope="session")
def corpus_files() -> tuple[Path, Path]:
    """The paths of the two corpus documents (RAA 2021, séance 2025), for the tests that ingest
    them themselves; skipped when ../shared is absent."""
    for path in (RAA_2021, SEANCE_2025):
        if not path.exists():
            pytest.skip(f"corpus absent: {path}")
    return RAA_2021, SEANCE_2025


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite store holding both corpus documents, ingested once per session
    (read-only for the tests that share it)."""
    from recueil import jobs
    from recueil.store.database import Store

    for path in (RAA_2021, SEANCE_2025):
        if not path.exists():
            pytest.skip(f"corpus absent: {path}")
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.db'}"
    with Store(url) as store:
        outcomes = jobs.ingest(store, [RAA_2021, SEANCE_2025], workers=1)
    assert [o.status for o in outcomes] == ["nouveau", "nouveau"]
    return url


@pytest.fixture(scope="session")
def corrected_raa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the RAA with one line changed, under another name: a second document holding
    the same acts (a corrected recueil ingested beside the first)."""
    if not RAA_2021.exists():
        pytest.skip(f"corpus absent: {RAA_2021}")
    text = RAA_2021.read_text(encoding="utf-8")
    line = "N° 5 MAI 2021 - 1/11"
    assert text.count(line) == 1
    copy = tmp_path_factory.mktemp("corrected") / "raa_corrige.txt"
    copy.write_text(text.replace(line, f"{line} (copie corrigée)"), encoding="utf-8")
    return copy


PUBLICATION_DAY = "2026-11-24"


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory, corpus_db: str) -> Path:
    """The corpus published on PUBLICATION_DAY (through jobs.publish, as the command does); never
    modify it."""
    from recueil import jobs
    from recueil.store.database import Store

    folder = tmp_path_factory.mktemp("published") / "publications"
    with Store(corpus_db) as store:
        jobs.publish(store, folder, day=PUBLICATION_DAY)
    return folder


_STAND_INS = {"Pd": "-", "Zs": " ", "Co": "•", "So": "•", "Sm": "•"}  # by Unicode category
# A monospaced font with a ToUnicode map, as office suites embed; Courier where it is missing.
_MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def _font() -> tuple[str, set[int] | None]:
    """The font to print with, and the characters it has (None: Courier's Windows-1252)."""
    if not _MONO.exists():
        return "Courier", None
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Mono" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Mono", str(_MONO)))
    return "Mono", set(pdfmetrics.getFont("Mono").face.charToGlyph)


def printable(line: str, chars: set[int] | None) -> str:
    """The line as the font can draw it: a dash, space or symbol it lacks becomes its nearest
    ("-", " ", "•", a sommaire's bullet), any other character "?"."""
    if line.isascii():
        return line
    return "".join(c if (ord(c) in chars if chars is not None else c.encode("cp1252", "ignore"))
                   else _STAND_INS.get(unicodedata.category(c), "?") for c in line)


@pytest.fixture(scope="session")
def print_pdf():
    """`write_pdf`, for the tests that make their own PDFs."""
    return write_pdf


def write_pdf(lines: list[str], path: Path, title: str, per_page: int = 80) -> list[str]:
    """Print text lines as a collectivité prints its recueil, `per_page` lines a page: a running
    header (title and page number), a footer and "Page N / M" under it. Each run of words is set
    at its column, as a layout text shows it. Returns the lines as printed (see `printable`).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    font, chars = _font()
    size = 6.0
    advance, pitch = stringWidth("M", font, size), size * 1.2
    printed = [printable(line.expandtabs(8), chars) for line in lines]
    width = max(map(len, printed), default=0) * advance + 100
    height = per_page * pitch + 110
    pages = [printed[i:i + per_page] for i in range(0, len(printed), per_page)]
    canvas = Canvas(str(path), pagesize=(width, height))
    for number, page in enumerate(pages, 1):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, height - 30, title)
        canvas.drawRightString(width - 50, height - 30, str(number))
        canvas.drawString(50, 36, "Département du Pas-de-Calais — recueil publié en ligne, certifié conforme")
        canvas.drawCentredString(width / 2, 24, f"Page {number} / {len(pages)}")
        canvas.setFont(font, size)
        y = height - 60
        for line in page:
            end = 0.0
            for run in re.finditer(r"\S+(?: \S+)*", line):
                x = max(50 + run.start() * advance, end + advance)
                canvas.drawString(x, y, run.group())
                end = x + stringWidth(run.group(), font, size)
            y -= pitch
        canvas.showPage()
    canvas.save()
    return printed
