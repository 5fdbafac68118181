"""The recueil of a period, organised like the Recueil des Actes Administratifs of June 2021.

A cover with the notice of availability; a sommaire by part and section whose page numbers are
those of the finished file (reportlab lays the document out again until they settle); one part
per séance with the dispositif of each of its deliberations (as printed: header, visas, articles,
vote, signature; not the rapports, annexes or debates), each on its own page; then a part for the
acts of the President the store knows from sommaires (road orders, decisions, orders), by section,
with their title as listed and where their full text was published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import count
from typing import Any
from xml.sax.saxutils import escape

import pypdfium2
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents
from sqlalchemy import and_, func, select

from recueil.config import Collectivite
from recueil.model import sitting_id
from recueil.publish.fonts import Fonts
from recueil.publish.layout import Document, Metadata, Running, render, styles
from recueil.publish.render import act_flowables
from recueil.store import schema
from recueil.store.database import Store
from recueil.text.dates import date_fr
from recueil.vocabulary import assembly

PRESIDENT_KINDS = ("decision", "order", "road_order")
EXECUTIVE_PART = "Actes de l'exécutif départemental"
DECISIONS = "Décisions du Président du Conseil départemental"


class RecueilError(ValueError):
    """No recueil can be made as asked; the message (in French) says why."""


@dataclass(frozen=True)
class SommaireEntry:
    """One line of the sommaire: level (0 part, 1 section, 2 act), text as printed, page."""

    level: int
    title: str
    page: int


@dataclass(frozen=True)
class Recueil:
    pdf: bytes
    pages: int
    sommaire: list[SommaireEntry]
    deliberations: int
    president_acts: int


class _Marked(Paragraph):
    """A heading that is also a sommaire entry and a bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, title: str) -> None:
        super().__init__(text, style)
        self.sommaire = (level, title, key)


class _Marks:
    """Makes the headings of the sommaire, each with its own bookmark key."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.keys = count(1)
        self.made: list[tuple[int, str, int, str]] = []  # sommaire entries, pages not known yet

    def __call__(self, title: str, style: ParagraphStyle, level: int) -> _Marked:
        key, text = f"k{next(self.keys)}", escape(self.fonts.text(title))
        self.made.append((level, text, 0, key))
        return _Marked(text, style, level, key, title)


class _Sommaire(TableOfContents):
    """The sommaire as a table of two columns, title and page, so that each page number follows its
    title on the same row (also in the text a reader copies out of the PDF)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        entries = self._lastEntries or [(0, "", 0, None)]  # the first pass knows no entry yet
        number = ParagraphStyle("page", parent=self.getLevelStyle(2), alignment=TA_RIGHT, leftIndent=0)
        rows = [[Paragraph(f'<a href="#{key}">{text}</a>' if key else text, self.getLevelStyle(level)),
                 Paragraph(str(page), number)] for level, text, page, key in entries]
        padding = [("TOPPADDING", (0, row), (-1, row), 7 if level == 0 else 1)
                   for row, (level, *_) in enumerate(entries)]
        self._table = Table(rows, colWidths=(availWidth - 1.6 * cm, 1.6 * cm), style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1), *padding]))
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


def recueil(store: Store, date_from: str, date_to: str, collectivite: Collectivite, fonts: Fonts,
            day: str | None = None, public: Callable[[str], str] = lambda text: text) -> Recueil:
    """The recueil of the acts of `date_from`..`date_to` (séance dates; for an act of the President,
    the date of the séance of the recueil that listed it), texts as `public` gives them;
    RecueilError when there is none."""
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if start > end:
        raise RecueilError(f"période vide : le {date_fr(start)} est après le {date_fr(end)}")
    deliberations = _deliberations(store, start, end)
    acts = _president_acts(store, start, end)
    if not deliberations and not acts:
        raise RecueilError(f"aucun acte dans la base du {date_fr(start)} au {date_fr(end)} : "
                           "pas de recueil")
    issued = _date(day, "--date") if day else date.today().isoformat()
    period = f"du {date_fr(start)} au {date_fr(end)}"
    sittings: dict[str, list[dict[str, Any]]] = {}
    for record in deliberations:
        sittings.setdefault(sitting_id(record["body"], record["sitting_date"]), []).append(record)
    parts = len(sittings) + (1 if acts else 0)

    style = styles(fonts)
    mark = _Marks(fonts)
    story: list[Flowable] = _cover(collectivite, period, parts, issued, style, fonts)
    sommaire = _Sommaire(levelStyles=_sommaire_styles(style))
    story += [Paragraph("SOMMAIRE", style["part"]), sommaire, PageBreak()]
    for number, records in enumerate(sittings.values(), 1):
        story += _sitting_part(number, records, mark, style, fonts, public)
    if acts:
        story += _executive_part(parts, acts, mark, style, fonts)
    # Its entries known before the first pass, the sommaire takes its final height at once: the
    # second pass then finds the page numbers settled, instead of a third.
    sommaire.addEntries(mark.made)

    found: dict[str, SommaireEntry] = {}

    def after(document: Document, flowable: Flowable) -> None:
        heading = getattr(flowable, "sommaire", None)
        if heading:
            level, title, key = heading
            page = document.page
            document.canv.bookmarkPage(key)
            document.canv.addOutlineEntry(fonts.text(title), key, level, closed=level > 0)
            document.notify("TOCEntry", (level, escape(fonts.text(title)), page, key))
            found[key] = SommaireEntry(level, title, page)

    metadata = Metadata(title=f"Recueil des actes administratifs — {collectivite.nom} — {period}",
                        author=collectivite.nom, subject=f"Actes {period} ; mis à disposition le {date_fr(issued)}",
                        keywords=("recueil des actes administratifs", start, end), day=date.fromisoformat(issued))
    running = Running(collectivite.nom, f"Recueil des actes administratifs {period}",
                      f"Mis à disposition le {date_fr(issued)}", collectivite.site, page_total=False)
    pdf = render(story, metadata, running, fonts, after=after, passes=True)
    return Recueil(pdf, _page_count(pdf), list(found.values()), len(deliberations), len(acts))


def _sitting_part(number: int, records: list[dict[str, Any]], mark: _Marks, style: dict[str, ParagraphStyle],
                  fonts: Fonts, public: Callable[[str], str]) -> list[Flowable]:
    """A séance's part: its heading, then each deliberation on its own page."""
    first = records[0]
    story: list[Flowable] = [
        mark(f"{_ordinal(number)} partie — Réunion {_of_body(first['body'])} du {date_fr(first['sitting_date'])}",
             style["part"], 0),
        mark(f"Délibérations n° {first['number']} à n° {records[-1]['number']}" if len(records) > 1
             else f"Délibération n° {first['number']}", style["heading"], 1)]
    for index, record in enumerate(records):
        if index:
            story.append(PageBreak())
        story.append(mark(f"N° {record['number']} — {record['title']}", style["heading"], 2))
        story += act_flowables(public(record["text"]), fonts)
    return [*story, PageBreak()]


def _executive_part(number: int, acts: list[dict[str, Any]], mark: _Marks, style: dict[str, ParagraphStyle],
                    fonts: Fonts) -> list[Flowable]:
    """The acts of the President by section: each title as listed, and where its text was published."""
    story: list[Flowable] = [mark(f"{_ordinal(number)} partie — {EXECUTIVE_PART}", style["part"], 0)]
    for section, listed in _by_section(acts):
        story.append(mark(section, style["heading"], 1))
        for act in listed:
            story.append(KeepTogether([
                mark(act["title"], style["body"], 2),
                *[Paragraph(escape(fonts.text(line)), style["small"]) for line in _act_details(act)],
                Spacer(0, 0.2 * cm)]))
    return story


def _cover(collectivite: Collectivite, period: str, parts: int, issued: str,
           style: dict[str, ParagraphStyle], fonts: Fonts) -> list[Flowable]:
    of = "du" if collectivite.nom.startswith("Département") else "de"
    notice = f"Le Recueil des Actes Administratifs {of} {collectivite.nom} "
    text = (f"{notice}des actes {period} ({parts} partie{'s' if parts > 1 else ''}) est paru et mis à la "
            f"disposition du public. Il peut être téléchargé en format PDF sur le site internet {collectivite.site}. "
            "Voici le sommaire de ce recueil, qui est repris ci-après.")
    return [
        Spacer(0, 3 * cm),
        Paragraph(escape(fonts.text(collectivite.nom)), style["part"]),
        Paragraph("RECUEIL DES ACTES ADMINISTRATIFS", style["cover"]),
        Paragraph(escape(fonts.text(period.capitalize())), style["title"]),
        Spacer(0, 2.5 * cm),
        Paragraph(escape(fonts.text("AVIS DE MISE À DISPOSITION")), style["title"]),
        Spacer(0, 0.4 * cm),
        Paragraph(escape(fonts.text(text)), style["body"]),
        Spacer(0, 0.4 * cm),
        Paragraph(escape(fonts.text(f"Mis à disposition le {date_fr(issued)}.")), style["body"]),
        PageBreak(),
    ]


def _sommaire_styles(style: dict[str, ParagraphStyle]) -> list[ParagraphStyle]:
    body = style["body"]
    return [
        ParagraphStyle("sommaire0", parent=body, fontName=style["heading"].fontName, fontSize=10, leading=13,
                       spaceBefore=8, leftIndent=0, firstLineIndent=0, alignment=0),
        ParagraphStyle("sommaire1", parent=body, fontName=style["heading"].fontName, fontSize=9, leading=12,
                       spaceBefore=3, leftIndent=0.6 * cm, firstLineIndent=0, alignment=0),
        ParagraphStyle("sommaire2", parent=body, fontSize=8.5, leading=11, leftIndent=1.2 * cm,
                       firstLineIndent=0, alignment=0, spaceAfter=1),
    ]


def _ordinal(number: int) -> str:
    return "1re" if number == 1 else f"{number}e"


def _of_body(body: str) -> str:
    found = assembly(body)
    return found.of() if found else body


def _by_section(acts: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Decisions first, then the orders by section, in the order the sommaires listed them."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for act in sorted(acts, key=lambda a: a["kind"] != "decision"):
        name = act.get("section") or (DECISIONS if act["kind"] == "decision" else "Arrêtés du Président")
        sections.setdefault(name, []).append(act)
    return list(sections.items())


def _act_details(act: dict[str, Any]) -> list[str]:
    lines = []
    if act.get("roads"):
        lines.append(f"Route : {act['roads']} — commune : {act.get('communes') or 'non précisée'}")
    source = act.get("recueil_title")
    if source:
        lines.append(f"Texte intégral : {source}" + (f", page {act['page']}" if act.get("page") else "") + ".")
    return lines


def _date(value: str, option: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as error:
        raise RecueilError(f"{option} : date invalide « {value} » (AAAA-MM-JJ)") from error


def _deliberations(store: Store, start: str, end: str) -> list[dict[str, Any]]:
    """The deliberations of séances in the period, each once, by séance then number."""
    table = schema.deliberations
    in_period = and_(table.c.sitting_date >= start, table.c.sitting_date <= end)
    query = select(table.c.data, table.c.text).where(table.c.pk.in_(schema.latest(table, table.c.number, where=in_period)))
    with store.engine.connect() as conn:
        found = [{**row.data, "text": row.text} for row in conn.execute(query)]
    return sorted(found, key=lambda r: (r["sitting_date"], r["body"], _number_key(r["number"])))


def _president_acts(store: Store, start: str, end: str) -> list[dict[str, Any]]:
    """The acts of the President listed in the sommaires of recueils whose séance is in the period
    (for a recueil without a séance, a road order's first day)."""
    acts, documents, sittings = schema.listed_acts, schema.documents, schema.sittings
    dated = (select(sittings.c.document_id, func.min(sittings.c.date).label("date"))
             .group_by(sittings.c.document_id).subquery())
    query = (select(acts.c.data, documents.c.title, dated.c.date)
             .join(documents, documents.c.id == acts.c.document_id)
             .outerjoin(dated, dated.c.document_id == acts.c.document_id)
             .where(acts.c.kind.in_(PRESIDENT_KINDS)).order_by(acts.c.pk))
    found = []
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            when = row.date or ((row.data.get("period") or {}).get("start"))
            if when and start <= when <= end:
                found.append({**row.data, "recueil_title": row.title})
    return found


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("-"))


def _page_count(pdf: bytes) -> int:
    """Pages of the finished file, as its page tree declares them."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
