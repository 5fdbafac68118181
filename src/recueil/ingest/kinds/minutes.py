"""Minutes of a conseil municipal, communautaire or syndical (procès-verbal, compte rendu): a
roll call, then numbered items, each with its title, its debate and its vote.

Recognised by evidence, not by a title: items numbered in sequence or by printed identifiers,
vote sentences and a roll call. An item's heading is either a printed identifier followed by its
object ("D2024-48 - Objet : …", "DEL2025-59 : …", "n° 2014/131 - …", "2025_001 : …") or, when a
document prints none, the item's order ("1- …", "3. …", "1/ …", "2) …") counted from 1 in the
style of the first one. The heading's wrapped lines belong to the title; a new capitalised line
after a complete one is a subtitle ("Désignation des représentants…") and is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from recueil.ingest.extract import Read
from recueil.ingest.kinds import registry as kinds
from recueil.ingest.prose_vote import read_item_vote, read_vote_text, result_of
from recueil.ingest.roll import read_movements, read_roll
from recueil.ingest.segment import Block, Segments
from recueil.ingest.transcript import Transcript
from recueil.ingest.turns import read_turns
from recueil.model import Deliberation, Source, Warning
from recueil.text.clean import fold
from recueil.text.dates import date_fr, parse_date
from recueil.vocabulary import ASSEMBLIES, assembly

# "D2024-48 - Objet : …", "DEL2025-59 : …", "n° 2014 / 131 - …", "2025_001 : …", "Délibération n° 2024-045"
# (its object on the next line).
_NUMBER = r"(?P<number>(?:[A-Z]{1,4}[ -]?)?\d{4}\s*[-/_.]\s*\d{1,4})"
_IDENTIFIED = re.compile(
    r"^\s*(?:(?i:d[ée]lib[ée]ration)\s+)?(?i:n[°o]\.?\s*)?" + _NUMBER
    + r"\s*(?:(?:[-–—:]\s*)+(?i:objet\s*:\s*)?(?P<title>\S.*)|(?<=\d)\s*$)"
)
# "1- …", "3. …", "1/ …", "2) …", "Point 4 : …", "Affaire n° 5 - …".
_ORDINAL = re.compile(r"^\s*(?:(?i:point|affaire|question)\s+(?i:n[°o]\.?\s*)?)?(?P<number>\d{1,3})\s*"
                      r"(?P<sep>[-–/.):])\s*(?P<title>[A-ZÀ-ÝŒ«\"].*)$")
# A register's row: number, date, object, in columns ("2024-01   12/01/2024   Budget primitif   Adopté").
_ROW = re.compile(r"^\s*" + _NUMBER + r"\s{2,}(?P<day>\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
                  r"|\d{1,2}(?:er)?\s+\w+\s+\d{4})\s{2,}(?P<title>\S.*?)\s*$")
_REGISTER_ROWS = 3  # rows of that form that make a register
_OBJECT = re.compile(r"^\s*(?i:objet)\s*:\s*(?P<title>\S.*)$")
_CONNECTOR = re.compile(r"(?:\b(?:de|du|des|d['’]|l['’]|la|le|les|à|au|aux|et|en|pour|sur|par|avec|dans|entre)|,)$",
                        re.IGNORECASE)
_ROLL_WORDS = re.compile(r"^\s*(?:[ée]taient\s+)?(?:pr[ée]sents?|excus[ée]s?|absents?|pouvoirs?)\b[^:]{0,80}:",
                         re.IGNORECASE | re.MULTILINE)
_VOTE_WORDS = re.compile(r"à l['’]unanimité|à la majorité|\b\d+\s+(?:votes?|voix)\s+pour|^\s*pour\s*:\s*\d*\s*$",
                         re.IGNORECASE | re.MULTILINE)
_HEADING_LINES = 3  # how many printed lines a title may wrap over
# A line closing on an acronym in brackets ends the name it continues ("… de Montpellier" / "Languedoc
# Roussillon (OONMLR)"); a subtitle ("Désignation des représentants…") does not close so.
_ACRONYM_END = re.compile(r"\([A-ZÉÈÀÂÎÔÛÇ0-9&.\-]{2,12}\)$")


class Heading(NamedTuple):
    """An item's heading: its line, its number as printed, its title's first line; `day` for a
    register's row, which dates each act."""

    line: int
    number: str
    title: str
    day: str | None = None


def _headings(lines: list[str]) -> list[Heading]:
    """Every item heading, in order (see the docstring): a register's rows, else the printed
    identifiers, else the items' order."""
    rows = [Heading(n, " ".join(found["number"].split()), found["title"], parse_date(found["day"]))
            for n, line in enumerate(lines, 1) if (found := _ROW.match(line)) and parse_date(found["day"])]
    if len(rows) >= _REGISTER_ROWS:
        return rows
    identified = [Heading(n, " ".join(found["number"].split()), found["title"] or "") for n, line in enumerate(lines, 1)
                  if any(c.isdigit() for c in line[:40]) and (found := _IDENTIFIED.match(line))
                  and (found["title"] or line.lstrip()[:1] in "DdNn")]
    if identified:
        return identified
    found_items: list[Heading] = []
    style = None
    for n, line in enumerate(lines, 1):
        match = _ORDINAL.match(line) if line[:4].strip()[:1].isdigit() else None
        if not match:
            continue
        if int(match["number"]) == len(found_items) + 1 and style in (None, match["sep"]):
            style = match["sep"]
            found_items.append(Heading(n, match["number"], match["title"]))
    return found_items


class _Layout(NamedTuple):
    """What every block of one text needs, read once per text: its item headings (in order and
    by line) and the séance its head names."""

    headings: list[Heading]
    by_line: dict[int, Heading]
    held: tuple[str, str] | None


@lru_cache(maxsize=8)
def _layout(lines: tuple[str, ...]) -> _Layout:
    headings = _headings(list(lines))
    return _Layout(headings, {h.line: h for h in headings}, sitting(_head(list(lines))))


def _cached_headings(lines: tuple[str, ...]) -> list[Heading]:
    return _layout(lines).headings


def _title(lines: list[str], line: int, first: str) -> str:
    """The heading's title: its first line and the lines it wraps onto; for a heading that prints
    only its number, the "Objet : …" (or first line) that follows it."""
    if not first.strip():
        below = next((n for n in range(line, min(line + 6, len(lines))) if lines[n].strip()), None)
        if below is None:
            return ""
        found = _OBJECT.match(lines[below])
        first, line = found["title"] if found else lines[below], below + 1
    parts = [first.strip()]
    for n in range(line, min(line + _HEADING_LINES - 1, len(lines))):
        following = lines[n].strip()
        if not following or _IDENTIFIED.match(following) or _ORDINAL.match(following):
            break
        joined = " ".join(parts)
        continues = (following[0].islower() or following[0] in "(«" or _CONNECTOR.search(parts[-1])
                     or joined.count("(") > joined.count(")") or _ACRONYM_END.search(following))
        if not continues:
            break
        parts.append(following)
    title = " ".join(" ".join(parts).split())
    return title.rstrip(" :.;").strip()


def _head(lines: list[str]) -> str:
    return " ".join(" ".join(lines[: kinds.HEAD_LINES]).split())


_BODY = re.compile(r"\b(conseil\s+municipal|conseil\s+communautaire|conseil\s+de\s+communauté|conseil\s+d['’]agglomération"
                   r"|conseil\s+métropolitain|comit[ée]\s+syndical|conseil\s+r[ée]gional"
                   r"|bureau(?:\s+communautaire)?|conseil\s+d[ée]partemental|commission\s+permanente)\b", re.IGNORECASE)


def sitting(head: str) -> tuple[str, str] | None:
    """The assembly and date of the séance: the first assembly named, the first date after it."""
    found = _BODY.search(head)
    if not found:
        return None
    name = fold(found.group(1))
    if name.startswith("BUREAU"):
        name = "bureau_communautaire"
    elif name.startswith(("CONSEIL DE COMMUNAUTE", "CONSEIL D'AGGLOMERATION", "CONSEIL METROPOLITAIN")):
        name = "conseil_communautaire"  # the assembly of an EPCI, whatever its name
    body = assembly(name)
    day = parse_date(head[found.start():]) or parse_date(head)
    return (body.body, day) if body and day else None


def recognise(lines: list[str]) -> int:
    """LIKELY when the text holds items with votes, and a roll call or a séance named at its head."""
    layout = _layout(tuple(lines))
    items, named = layout.headings, layout.held is not None
    if items and items[0].day and named:  # a register of deliberations
        return kinds.LIKELY
    votes = len(_VOTE_WORDS.findall("\n".join(lines)))
    roll = bool(_ROLL_WORDS.search("\n".join(lines[: kinds.HEAD_LINES])))
    if items and votes and (roll or named):
        return kinds.LIKELY
    return kinds.NOT_MINE


def title(head: str) -> str | None:
    found = sitting(head)
    if not found:
        return None
    return f"{ASSEMBLIES[found[0]].name} — séance du {date_fr(found[1])}"


def segment(lines: list[str]) -> Segments:
    """The roll call and the debate (one transcript block over the whole text), then one block
    per item, from its heading to the next one's."""
    headings = _cached_headings(tuple(lines))
    blocks = [Block("transcript", 1, len(lines))]
    for k, (line, number, *_) in enumerate(headings):
        last = headings[k + 1][0] - 1 if k + 1 < len(headings) else len(lines)
        blocks.append(Block("deliberation", line, last, number))
    return Segments(blocks)


def read_item(lines: list[str], block: Block) -> Read[Deliberation]:
    """One item: its number and title, its vote or what became of it; an item with neither (a
    "questions diverses", an information) is no deliberation and is only reported."""
    layout = _layout(tuple(lines))
    heading, held = layout.by_line[block.first], layout.held
    body, day = held if held else ("", "")
    if heading.day:  # a register's row: the act, its date and its result in one line
        return _read_row(heading, body, block)
    title_text = _title(lines, block.first, heading.title)
    text = "\n".join(lines[block.first - 1 : block.last])
    vote = read_item_vote(lines[block.first - 1 : block.last], block.first)
    said = result_of(title_text) if vote is None else None
    number = block.number or ""
    if vote is None and said is None:
        return Read([], [Warning("point_sans_vote", f"point {number} « {title_text[:60]} » : ni vote ni décision lus",
                                 block.first, number)])
    act = Deliberation(
        number=number, title=title_text, body=body, sitting_date=day, decision=None,
        source=Source(block.document, block.first, block.last), vote=vote, text=text,
        result=vote.result if vote else said,
    )
    return Read([act])


_ROW_RESULT = re.compile(r"\s{2,}(?P<result>\S[^\s]*(?:\s\S+){0,3})$")


def _read_row(heading: Heading, body: str, block: Block) -> Read[Deliberation]:
    """A register's row: every row is an act taken; its last column, when it says what became of
    the act ("Adopté", "Retiré", "Adopté à l'unanimité"), is its result."""
    title, result = heading.title, None
    last = _ROW_RESULT.search(title)
    if last and (said := result_of(last["result"])):
        title, result = title[: last.start()].strip(), said
    vote = read_vote_text(last["result"], block.first) if last and result else None
    act = Deliberation(
        number=heading.number, title=" ".join(title.split()), body=body, sitting_date=heading.day or "",
        decision=None, source=Source(block.document, block.first, block.last), vote=vote, result=result,
        text=heading.title)
    return Read([act])


def read_minutes(lines: list[str], block: Block) -> Read[Transcript]:
    """The séance's roll call, officers and times, and its speaking turns (when the minutes are
    verbatim: "Monsieur le Maire : …", "Max LEVITA : …")."""
    headings = _cached_headings(tuple(lines))
    front_end = headings[0][0] - 1 if headings else len(lines)
    pv = read_roll(lines, front_end)
    items = [(line, int(number) if number.isdigit() else k + 1) for k, (line, number, *_) in enumerate(headings)]
    pv.movements = read_movements(lines, items)
    pv.interventions = read_turns(lines, block.sitting or "", items, pv.president)
    if not pv.present:
        pv.warnings.append(Warning("pv_appel", "liste des présents introuvable", block.first, block.sitting))
    return Read([pv], pv.warnings)


MINUTES = kinds.register(kinds.Kind(
    "minutes", recognise, title, front_matter=lambda lines, last: [], sitting=sitting,
    extractors={"deliberation": read_item, "transcript": read_minutes}, segmenter=segment))
