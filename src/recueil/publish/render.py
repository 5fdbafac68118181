"""The published files: a deliberation as printed, a séance's list of deliberations, its procès-verbal.

A deliberation is set from its printed text (the `text` of the record), not rebuilt from the
extracted fields, so that the published act is the act in full: transmission stamps, header,
attendance, title and number, visas, decision, articles, vote, signature. The text extracted from
a PDF runs several of these together on one line ("… délibération. Article 2 :"); they are split
again at the markers acts print, and each part gets its style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from recueil.config import Collectivite
from recueil.publish.fonts import Fonts
from recueil.publish.layout import Metadata, Running, render, styles
from recueil.text.dates import date_fr
from recueil.vocabulary import assembly_heading

_NUMBER = re.compile(r"\(N°\s*\d{4}-\d+\)")
_ARTICLE = r"Article\s+(?:\d+|unique|premier|1er)\s*:"
_DECISION = r"(?:D[ÉE]CIDE\b|DONNE ACTE\b|INFORME\b)"
# Where a new paragraph starts inside a line: another visa, the decision, an article, the signature.
_BREAKS = re.compile(
    rf"(?<=[;,.:)])\s*(?=(?:Vu |Après |{_DECISION}|{_ARTICLE}))"
    rf"|\s*(?={_NUMBER.pattern})|(?<=\))\s+(?=(?:La|Le|Les) )"
    r"|(?<=[.…])\s+(?=LE PR[ÉE]SIDENT)|\s+(?=Affichage le\b)"
)
_VOTE_BREAKS = re.compile(r"\s+(?=(?:Pour|Contre|Abstentions?|Nombre|Absents?|Ne prend pas part)\b[^:]{0,90}:)")
_ATTENDANCE = re.compile(r"^(?:Étaient présents|Etaient présents|Présents|Excusé|Absent|Assistai|Assistant)")
_SEPARATOR = re.compile(r"^[.…\s]+$")
_DOTS = re.compile(r"^[.…]{3,}\s*")


@dataclass(frozen=True)
class Part:
    """One paragraph of an act and its role (style)."""

    role: str  # stamp | header | attendance | title | body | decision | article | vote | result | signature
    text: str
    label: str = ""  # "Article 1 :" for an article


def act_parts(text: str) -> list[Part]:
    """The paragraphs of a printed act, each with its role, in order."""
    parts: list[Part] = []
    stage = "stamp"
    for paragraph in _paragraphs(text):
        if stage == "stamp" and re.match(r"^D[ÉE]PARTEMENT\b", paragraph):
            stage = "header"
        if stage in ("header", "attendance") and _ATTENDANCE.match(paragraph):
            stage = "attendance"
        elif stage == "attendance":
            stage = "title"
        if _NUMBER.fullmatch(paragraph):
            parts.append(Part("title", paragraph))
            stage = "body"
            continue
        if stage in ("body", "articles") and paragraph.startswith("Dans les conditions de vote"):
            stage = "vote"
        elif stage == "vote" and re.match(r"^LE PR[ÉE]SIDENT", paragraph):
            stage = "signature"
        if stage == "title" and parts and parts[-1].role == "title":  # a title printed on two lines
            parts[-1] = Part("title", f"{parts[-1].text} {paragraph}")
            continue
        parts.extend(_part(stage, paragraph))
        if stage == "body" and re.match(_ARTICLE, paragraph):
            stage = "articles"
    return parts


def _paragraphs(text: str) -> Iterator[str]:
    vote = False
    for line in text.splitlines():
        vote = vote or line.startswith("Dans les conditions de vote")
        pieces = _BREAKS.split(line.strip())
        if vote:
            pieces = [p for piece in pieces for p in _VOTE_BREAKS.split(piece)]
        for piece in pieces:
            piece = _DOTS.sub("", piece.strip())
            if piece and not _SEPARATOR.match(piece):
                yield piece


def _part(stage: str, paragraph: str) -> Iterator[Part]:
    if stage in ("body", "articles"):
        if re.match(_DECISION, paragraph):
            yield Part("decision", paragraph)
            return
        article = re.match(_ARTICLE, paragraph)
        if article:
            yield Part("article", paragraph[article.end():].strip(), label=article.group(0))
            return
        yield Part("body", paragraph)
    elif stage == "vote" and re.fullmatch(r"\((?:Adopté|Rejeté)e?\)", paragraph):
        yield Part("result", paragraph)
    else:
        yield Part(stage, paragraph)


_PART_STYLE = {"stamp": "small", "header": "header", "attendance": "small", "title": "title", "body": "body",
               "decision": "heading", "article": "body", "vote": "body", "result": "centred",
               "signature": "signature"}


def act_flowables(text: str, fonts: Fonts) -> list[Flowable]:
    """An act's printed text as styled paragraphs (used by the act's PDF and by the recueil)."""
    style = styles(fonts)
    story: list[Flowable] = []
    previous = ""
    for part in act_parts(text):
        if part.role != previous and (part.role in ("title", "vote", "signature")
                                      or (part.role, previous) == ("body", "title")):
            story.append(Spacer(0, 0.25 * cm))
        body = escape(fonts.text(part.text))
        if part.role == "article" and not body:  # the article's text follows as its own paragraphs
            story.append(Paragraph(f"<b>{escape(part.label)}</b>", style["heading"]))
        elif part.role == "article":
            story.append(Paragraph(f"<b>{escape(part.label)}</b> {body}", style["body"]))
        else:
            story.append(Paragraph(body, style[_PART_STYLE[part.role]]))
        previous = part.role
    return story


def deliberation_pdf(record: dict[str, Any], text: str, collectivite: Collectivite, day: str, url: str,
                     fonts: Fonts, correction: str | None = None, annexes: Sequence[tuple[str, str]] = ()) -> bytes:
    """The published file of one deliberation, followed by its `annexes` ((heading, text) each:
    an act is published in full); `correction` says which publication it replaces."""
    number = record["number"]
    style = styles(fonts)
    story: list[Flowable] = []
    if correction:
        story.append(Paragraph(f"<b>{escape(fonts.text(correction))}</b>", style["heading"]))
    story.extend(act_flowables(text or f"{record['title']}\n(N°{number})", fonts))  # a text not read: its title
    story.extend(annex_flowables(annexes, fonts))
    metadata = Metadata(
        title=f"Délibération n° {number} — {record['title']}",
        author=collectivite.nom,
        subject=f"{assembly_heading(record['body'])}, séance du "
                f"{date_fr(record['sitting_date'])} ; publié le {date_fr(day)}",
        keywords=("délibération", number, record.get("matiere_code") or "", "publication électronique"),
        day=date.fromisoformat(day),
    )
    return render(story, metadata, _running(collectivite, f"Délibération n° {number}", day, url), fonts)


def annex_flowables(annexes: Sequence[tuple[str, str]], fonts: Fonts) -> list[Flowable]:
    """Each annex from a new page, its lines kept as lines (a table's rows, a form's fields), runs
    of lines set as one paragraph so that a 4,000-line consultation record stays quick to lay out."""
    style = styles(fonts)
    story: list[Flowable] = []
    for heading, text in annexes:
        story += [PageBreak(), Paragraph(escape(fonts.text(heading)), style["heading"])]
        for run in re.split(r"\n\s*\n", text):
            lines = [escape(fonts.text(" ".join(line.split()))) for line in run.split("\n") if line.strip()]
            if lines:
                story.append(Paragraph("<br/>".join(lines), style["small"]))
    return story


def _sitting_opening(sitting: dict[str, Any], title: str, correction: str | None,
                     fonts: Fonts) -> tuple[str, list[Flowable]]:
    """The heading of a séance's file ("Conseil départemental — séance du 22 septembre 2025") and
    its first lines: the correction note if any, the title, the heading."""
    style = styles(fonts)
    heading = f"{assembly_heading(sitting['body'])} — séance du {date_fr(sitting['date'])}"
    story: list[Flowable] = []
    if correction:
        story.append(Paragraph(f"<b>{escape(fonts.text(correction))}</b>", style["heading"]))
    story += [Paragraph(title, style["title"]), Paragraph(escape(fonts.text(heading)), style["centred"]),
              Spacer(0, 0.4 * cm)]
    return heading, story


def sitting_list_pdf(sitting: dict[str, Any], deliberations: Sequence[dict[str, Any]],
                     collectivite: Collectivite, day: str, url: str, fonts: Fonts,
                     correction: str | None = None) -> bytes:
    """The list of the deliberations of a séance, with the outcome of each."""
    style = styles(fonts)
    heading, story = _sitting_opening(sitting, "Liste des délibérations", correction, fonts)
    if sitting.get("president"):
        story.append(Paragraph(escape(fonts.text(f"Présidence : {sitting['president']}")), style["body"]))
    rows: list[list[Flowable]] = [[Paragraph(f"<b>{h}</b>", style["small"]) for h in ("N°", "Objet", "Décision", "Vote")]]
    for d in deliberations:
        rows.append([Paragraph(escape(d["number"]), style["small"]),
                     Paragraph(escape(fonts.text(d["title"])), style["small"]),
                     Paragraph(escape(outcome(d)), style["small"]),
                     Paragraph(escape(votes(d)), style["small"])])
    table = Table(rows, colWidths=[2 * cm, 9.2 * cm, 2.6 * cm, 3.2 * cm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(0, 0.3 * cm), table, Spacer(0, 0.4 * cm),
              Paragraph(escape(fonts.text(f"{len(deliberations)} délibérations. Chacune est publiée en entier "
                                          f"sur {collectivite.site}.")), style["body"])]
    metadata = Metadata(title=f"Liste des délibérations — {heading}", author=collectivite.nom,
                        subject=f"Publié le {date_fr(day)}",
                        keywords=("liste des délibérations", sitting["id"]), day=date.fromisoformat(day))
    reference = f"Liste des délibérations — séance du {date_fr(sitting['date'])}"
    return render(story, metadata, _running(collectivite, reference, day, url), fonts)


def transcript_pdf(sitting: dict[str, Any], interventions: Sequence[dict[str, Any]],
                   collectivite: Collectivite, day: str, url: str, fonts: Fonts,
                   correction: str | None = None) -> bytes:
    """The procès-verbal of a séance: who presided, attendance, then every speaking turn in order."""
    style = styles(fonts)
    heading, story = _sitting_opening(sitting, "Procès-verbal", correction, fonts)
    facts = [("Présidence", sitting.get("president")), ("Secrétaire de séance", sitting.get("secretary")),
             ("Ouverture", sitting.get("opened_at")), ("Clôture", sitting.get("closed_at")),
             ("Présents", ", ".join(sitting.get("present") or [])),
             ("Excusés", ", ".join(sitting.get("excused") or [])),
             ("Absents", ", ".join(sitting.get("absent") or [])),
             ("Délégations de vote", ", ".join(f"{p['giver']} à {p['holder']}" if p["holder"] else p["giver"]
                                              for p in sitting.get("proxies") or []))]
    for label, value in facts:
        if value:
            story.append(Paragraph(f"<b>{label} :</b> {escape(fonts.text(value))}", style["small"]))
    story.append(Spacer(0, 0.3 * cm))
    agenda = {item["number"]: item["title"] for item in sitting.get("agenda") or []}
    current: int | None = None
    for turn in interventions:
        if turn.get("agenda_item") and turn["agenda_item"] != current:
            current = turn["agenda_item"]
            title = agenda.get(current, "")
            story.append(Paragraph(escape(fonts.text(f"Point n° {current}" + (f" — {title}" if title else ""))),
                                   style["heading"]))
        speaker = turn["speaker"]
        for number, paragraph in enumerate(p for p in turn["text"].split("\n") if p.strip()):
            lead = f"<b>{escape(fonts.text(speaker))}.</b> — " if number == 0 else ""
            story.append(Paragraph(lead + escape(fonts.text(paragraph.strip())), style["body"]))
    metadata = Metadata(title=f"Procès-verbal — {heading}", author=collectivite.nom,
                        subject=f"Publié le {date_fr(day)}", keywords=("procès-verbal", sitting["id"]),
                        day=date.fromisoformat(day))
    reference = f"Procès-verbal — séance du {date_fr(sitting['date'])}"
    return render(story, metadata, _running(collectivite, reference, day, url), fonts)


def outcome(deliberation: dict[str, Any]) -> str:
    """"Adoptée", "Rejetée", or the decision printed when there was nothing to adopt (donne acte)."""
    vote = deliberation.get("vote") or {}
    if deliberation.get("decision") == "DONNE ACTE":
        return "Donne acte"
    if vote.get("result") == "rejete":
        return "Rejetée"
    return "Adoptée" if vote.get("result") == "adopte" else (deliberation.get("decision") or "").capitalize()


def votes(deliberation: dict[str, Any]) -> str:
    vote = deliberation.get("vote")
    if not vote:
        return ""
    return f"pour {vote['pour']}, contre {vote['contre']}, abstention {vote['abstention']}"


def _running(collectivite: Collectivite, reference: str, day: str, url: str) -> Running:
    return Running(collectivite.nom, reference, f"Publié le {date_fr(day)}", url)




def text_pdf(title: str, text: str, collectivite: Collectivite, day: str, url: str, fonts: Fonts) -> bytes:
    """A document written as text (a convocation, a procès-verbal to complete): each paragraph set
    as printed, the lines in capitals as headings, a blank line's height between paragraphs so that
    its PDF reads back as its text, paragraph for paragraph."""
    style = {name: ParagraphStyle(f"{name}-spaced", parent=found, spaceBefore=0, spaceAfter=found.leading)
             for name, found in styles(fonts).items() if name in ("body", "header")}
    story: list[Flowable] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        body = "<br/>".join(escape(fonts.text(line)) for line in lines)
        capitals = all(line.upper() == line for line in lines)
        story.append(Paragraph(body, style["header" if capitals else "body"]))
    metadata = Metadata(title=title, author=collectivite.nom, subject=title, keywords=(title,),
                        day=date.fromisoformat(day))
    return render(story, metadata, _running(collectivite, title, day, url), fonts)
