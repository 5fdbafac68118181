"""Pages of a published file: A4, running header and footer, metadata, reproducible bytes.

A register entry vouches for a file's SHA-256, so the same content and publication date must give
the same bytes: reportlab's invariant mode fixes the document ID and the creation date is the
publication date, not the clock.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from recueil.publish.fonts import Fonts

MARGIN = 2 * cm


@dataclass(frozen=True)
class Metadata:
    """The document information dictionary; `day` is recorded as its creation date."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    day: date


@dataclass(frozen=True)
class Running:
    """The lines every page carries: a header (left, right) and a footer (two lines, left)."""

    header_left: str
    header_right: str
    footer: str
    footer_detail: str = ""
    page_total: bool = True  # "Page 2 / 5" rather than "Page 2"


def styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    """The paragraph styles of acts, lists and the recueil."""
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9.5, leading=12.5, spaceAfter=4,
                          alignment=TA_JUSTIFY)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444"),
                                alignment=0, spaceAfter=1),
        "header": ParagraphStyle("header", parent=body, fontName=fonts.bold, fontSize=9.5, alignment=TA_CENTER,
                                 spaceAfter=2),
        "title": ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=12, leading=15,
                                alignment=TA_CENTER, spaceBefore=8, spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=10, leading=13,
                                  spaceBefore=6, spaceAfter=3, alignment=0, keepWithNext=1),
        "centred": ParagraphStyle("centred", parent=body, alignment=TA_CENTER),
        "signature": ParagraphStyle("signature", parent=body, leftIndent=8 * cm, alignment=0, spaceAfter=1),
        "cover": ParagraphStyle("cover", parent=body, fontName=fonts.bold, fontSize=20, leading=26,
                                alignment=TA_CENTER, spaceAfter=12),
        "part": ParagraphStyle("part", parent=body, fontName=fonts.bold, fontSize=14, leading=18,
                               alignment=TA_CENTER, spaceBefore=12, spaceAfter=8),
    }


class _FinishedCanvas(Canvas):
    """Holds its pages until the document ends, so that each can say "Page n / N"; records the
    publication date as the file's creation date."""

    def __init__(self, *args: Any, furniture: Callable[[Canvas, int, int], None], stamp: str,
                 defer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_: stamp)
        self._furniture = furniture
        self._defer = defer
        self._pending: list[dict[str, Any]] = []

    def showPage(self) -> None:
        if not self._defer:
            self._furniture(self, self.getPageNumber(), 0)
            super().showPage()
            return
        self._pending.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pending:
            self.__dict__.update(state)
            self._furniture(self, self.getPageNumber(), len(self._pending))
            super().showPage()
        super().save()


def _furniture(running: Running, fonts: Fonts) -> Callable[[Canvas, int, int], None]:
    def draw(canvas: Canvas, number: int, total: int) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.setFont(fonts.bold, 8)
        canvas.drawString(MARGIN, height - 1.3 * cm, fonts.text(running.header_left))
        canvas.setFont(fonts.regular, 8)
        canvas.drawRightString(width - MARGIN, height - 1.3 * cm, fonts.text(running.header_right))
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, height - 1.45 * cm, width - MARGIN, height - 1.45 * cm)
        canvas.line(MARGIN, 1.55 * cm, width - MARGIN, 1.55 * cm)
        canvas.setFont(fonts.bold, 8)
        canvas.drawString(MARGIN, 1.15 * cm, fonts.text(running.footer))
        canvas.setFont(fonts.regular, 7)
        if running.footer_detail:
            canvas.drawString(MARGIN, 0.8 * cm, fonts.text(running.footer_detail))
        canvas.setFont(fonts.regular, 8)
        page = f"Page {number} / {total}" if running.page_total else f"Page {number}"
        canvas.drawRightString(width - MARGIN, 1.15 * cm, page)
        canvas.restoreState()

    return draw


class Document(BaseDocTemplate):
    """One frame a page; `after` hears of each flowable laid out (for the sommaire and outline)."""

    def __init__(self, buffer: io.BytesIO, metadata: Metadata,
                 after: Callable[[Document, Flowable], None] | None = None) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=metadata.title, author=metadata.author,
                         subject=metadata.subject, keywords=list(metadata.keywords), creator="recueil",
                         producer="recueil (reportlab)", invariant=True, lang="fr-FR", displayDocTitle=True)
        frame = Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame])])
        self._after = after

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._after:
            self._after(self, flowable)


def render(story: Sequence[Flowable], metadata: Metadata, running: Running, fonts: Fonts,
           after: Callable[[Document, Flowable], None] | None = None, passes: bool = False) -> bytes:
    """The PDF bytes of `story`; `passes` lays it out until a sommaire's page numbers settle."""
    buffer = io.BytesIO()
    document = Document(buffer, metadata, after)
    stamp = metadata.day.strftime("D:%Y%m%d000000+00'00'")

    def canvas(*args: Any, **kwargs: Any) -> _FinishedCanvas:
        buffer.seek(0)  # each pass of a multi-pass layout writes the whole file again
        buffer.truncate()
        return _FinishedCanvas(*args, furniture=_furniture(running, fonts), stamp=stamp,
                               defer=running.page_total, **kwargs)

    if passes:
        document.multiBuild(list(story), canvasmaker=canvas)
    else:
        document.build(list(story), canvasmaker=canvas)
    return buffer.getvalue()
