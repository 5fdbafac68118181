"""From a text to a `Publication`: detect, segment, extract, link, check. Pure: no I/O here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from recueil.ingest.checks import run_checks
from recueil.ingest.extract import Read
from recueil.ingest.kinds import Kind, detect, title_of
from recueil.ingest.kinds.registry import HEAD_LINES, head_of
from recueil.ingest.matiere import classify
from recueil.ingest.read import Text
from recueil.ingest.segment import Block, Segments
from recueil.model import (
    AgendaItem,
    Annex,
    Deliberation,
    Document,
    ListedAct,
    Motion,
    Publication,
    Report,
    Sitting,
    Source,
    Warning,
    sitting_id,
)
from recueil.text.casing import Casing
from recueil.text.clean import is_page_furniture
from recueil.text.collectivite import collectivite_of


class _Reader:
    """One document's blocks read by its kind's extractors, each block told its document."""

    def __init__(self, kind: Kind, lines: list[str], document: str) -> None:
        self.kind, self.lines, self.document = kind, lines, document

    def __call__(self, block: Block, sitting: str | None = None, agenda: list[AgendaItem] | None = None) -> Read[Any]:
        given = replace(block, document=self.document, sitting=sitting, agenda=agenda or [])
        return self.kind.extractor(given)(self.lines, given)


def parse(text: Text) -> Publication:
    """Every record of one document, with the warnings of its cross-checks."""
    kind = detect(text)
    document = Document(
        id=text.sha256[:16], sha256=text.sha256, source=text.name, kind=kind.name, title=title_of(text, kind),
        ocr_pages=text.ocr_pages, unread_pages=text.unread_pages, collectivite=collectivite_of(text.lines[:HEAD_LINES]),
    )
    publication = Publication(document=document, warnings=list(text.warnings))
    lines = text.lines
    segments = kind.segment(lines)
    read = _Reader(kind, lines, text.name)
    _read_acts(publication, segments, read)
    _classify(publication)
    _read_sittings(publication, segments, read, kind.sitting(head_of(text)))
    _count_unanimous(publication)
    _write_titles(publication, Casing(lines))
    sommaire = None
    for block in segments.of_kind("sommaire"):
        sommaire = read(block).records[0]
        publication.listed_acts.extend(sommaire.entries)
    index = [read(block).records for block in segments.of_kind("index")]
    annexes: dict[str, tuple[int, int]] = {}
    for block in segments.of_kind("annex"):
        annexes.setdefault(block.number or "", (block.first, block.last))
    publication.warnings.extend(
        run_checks(publication, lines, annexes, sommaire, index[0] if index else [])
    )
    if text.pages:
        _locate_pages(publication, text.pages)
    return publication


def _locate_pages(publication: Publication, pages: list[int]) -> None:
    """Every record's pages, from its lines: done here once, not by each extractor."""
    annexes = [annex for act in publication.deliberations for annex in act.annexes]
    records: list[Sitting | Deliberation | Report | ListedAct | Motion | Annex] = [
        *publication.sittings, *publication.deliberations, *publication.reports, *publication.listed_acts,
        *publication.motions, *annexes]
    for record in records:
        record.source.first_page = pages[record.source.first_line - 1]
        record.source.last_page = pages[record.source.last_line - 1]
    for turn in publication.interventions:
        turn.first_page, turn.last_page = pages[turn.first_line - 1], pages[turn.last_line - 1]


def _read_acts(publication: Publication, segments: Segments, read: _Reader) -> None:
    """The acts in order, each rapport and annex linked to the act it follows."""
    name, lines = publication.document.source, read.lines
    last_act = last_report = None
    for block in segments.blocks:
        if block.kind == "deliberation":
            found = read(block)
            publication.warnings.extend(found.warnings)
            last_act = found.records[0] if found.records else None
            if last_act:
                publication.deliberations.append(last_act)
        elif block.kind == "report":
            report = read(block).records[0]
            if last_act is not None:
                report.deliberation = last_act.number
                last_act.report_number = report.number
            publication.reports.append(report)
            last_report = report
        elif block.kind == "annex" and last_act is not None and last_act.number == block.number:
            annexed = _annex_text(lines[block.first - 1 : block.last])
            if annexed:
                of: Literal["deliberation", "report"] = (
                    "report" if last_report is not None and last_report.deliberation == block.number else "deliberation")
                last_act.annexes.append(Annex(of, annexed, Source(name, block.first, block.last)))


def _count_unanimous(publication: Publication) -> None:
    """Each act's result from its vote; an adopted vote that prints no count for (unanimous, or
    "à la majorité" naming only those against) counts the members present and represented at the
    roll call, less those printed against or abstaining (marked `derived`)."""
    sittings = {(s.body, s.date): s for s in publication.sittings}
    for act in publication.deliberations:
        vote = act.vote
        if vote is None:
            continue
        act.result = act.result or vote.result
        sitting = sittings.get((act.body, act.sitting_date))
        voters = len(sitting.present) + len(sitting.proxies) if sitting is not None else 0
        if voters and not vote.pour and act.result == "adopte" and not (vote.nuls or vote.blancs):
            vote.pour, vote.derived = voters - vote.contre - vote.abstention, True


def _write_titles(publication: Publication, casing: Casing) -> None:
    """Titles printed in capitals as sentences, once, for every page that shows them: a séance's
    items, its deliberations and their rapports then read the same."""
    titled: list[Deliberation | Report | AgendaItem] = [*publication.deliberations, *publication.reports]
    titled += [item for sitting in publication.sittings for item in sitting.agenda]
    for record in titled:
        record.display_title = casing.title(record.title)


def _annex_text(lines: list[str]) -> str:
    """The annex line for line, without page footers and numbers."""
    kept = [line.rstrip() for n, line in enumerate(lines) if not is_page_furniture(line, lines[n - 1] if n else "")]
    return "\n".join(kept).strip("\n")


def _classify(publication: Publication) -> None:
    """The ACTES matière of each deliberation, from the act and its rapport (see ingest.matiere)."""
    reports = {r.deliberation: r for r in publication.reports if r.deliberation}
    for act in publication.deliberations:
        matiere = classify(act, reports.get(act.number))
        act.matiere_code, act.matiere_reason = matiere.code, matiere.reason


def _read_sittings(publication: Publication, segments: Segments, read: _Reader,
                   headed: tuple[str, str] | None) -> None:
    """One `Sitting` per body and date of the acts; a séance record adds its roll call and debate.
    A document that prints no act names its séance in its heading (`headed`: body, date)."""
    name = publication.document.source
    sittings: dict[str, Sitting] = {}
    for act in publication.deliberations:
        if not act.sitting_date:
            continue
        key = sitting_id(act.body, act.sitting_date)
        sitting = sittings.get(key)
        if sitting is None:
            sitting = sittings[key] = Sitting(
                id=key, body=act.body, date=act.sitting_date, source=Source(name, act.source.first_line,
                act.source.last_line), president=act.president, secretary=act.secretary,
            )
        sitting.source.last_line = max(sitting.source.last_line, act.source.last_line)
    agenda_blocks = segments.of_kind("agenda")
    transcripts = segments.of_kind("transcript")
    agenda = read(agenda_blocks[0]).records if agenda_blocks else []
    if not sittings and headed and (agenda or transcripts):
        key = sitting_id(headed[0], headed[1])
        sittings[key] = Sitting(id=key, body=headed[0], date=headed[1], source=Source(name, 1, 1), agenda=agenda)
    if transcripts:
        main = next(iter(sittings.values()), None)
        if main is None:
            publication.warnings.append(Warning(
                "seance_sans_acte", "procès-verbal sans délibération : séance non identifiée", transcripts[0].first))
        else:
            block = transcripts[0]
            pv = read(block, sitting=main.id, agenda=agenda).records[0]
            main.agenda = agenda
            main.president = pv.president or main.president
            main.secretary = pv.secretary or main.secretary
            main.opened_at, main.closed_at = pv.opened_at, pv.closed_at
            main.present, main.excused, main.absent = pv.present, pv.excused, pv.absent
            main.proxies, main.movements = pv.proxies, pv.movements
            main.source.first_line = min(main.source.first_line, block.first)
            publication.interventions.extend(pv.interventions)
            publication.warnings.extend(pv.warnings)
    for block in segments.of_kind("motions"):
        publication.motions.extend(read(block).records)
    publication.sittings.extend(sittings.values())
