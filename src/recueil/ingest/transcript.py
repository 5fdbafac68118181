"""Read the procès-verbal of a séance: opening, roll call, proxies, speaking turns, closing.

What belongs to a speaking turn:

- a turn starts at a speaker marker ("M. LE PRÉSIDENT.- …", "MME CAUWET.- …") and takes the
  paragraphs that follow, up to the next marker;
- left out of every turn's text: stage directions (paragraphs in parentheses, and the record's
  own narration: a paragraph opening with an abbreviated civility that is no marker,
  "Applaudissements", "Diffusion d'une vidéo", "L'Assemblée … se lève", "La séance est suspendue
  …"), the roll call and the proxies, vote blocks ("Pour : 76 voix …") and results ("(Adopté)"),
  headings in capitals (the titles of the rapports), decorations, and what follows "La séance est
  levée …" (the signatures); remarks inside a paragraph ("(rires)") stay in the text, without
  their italics.

Which agenda item a turn discusses: an item opens at the heading of its rapport ("… (Rapport n°3 du
rapport du Président)", else a heading whose words are those of an agenda title) and closes at its
result ("(Adopté)"). A turn belongs to the item open at its first line; a turn that starts with no
item open and announces one (its heading comes before the next marker) belongs to that item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from recueil.ingest.extract import Read
from recueil.ingest.segment import Block
from recueil.model import Intervention, Movement, Proxy, Warning
from recueil.text.clean import fold, join_lines, squash, strip_markup
from recueil.text.dates import parse_time
from recueil.text.names import find_full_names, name_key, split_names, strip_civility, surname

_CAPITAL = "A-ZÀ-ÖØ-ÞŒ"
_MARKER = re.compile(
    rf"^\s*(?:\*\*)?(?P<speaker>(?:M\.|MM\.|Mme|MME|Mlle|MLLE)\s+[{_CAPITAL}][{_CAPITAL}'’ \-]*?)"
    r"\s*\.\s?[-–—]\s*(?:\*\*)?(?P<text>.*)$"
)
_ITALIC = re.compile(r"\*([^*]+)\*")
_TIME = r"\s+à\s+(\d{1,2})\s*(?:heures?|h)\s*(\d{2})?"
_OPENING = re.compile(r"\bséance (?:débute|est ouverte|s'ouvre)" + _TIME, re.IGNORECASE)
_CLOSING = re.compile(r"\bséance est levée" + _TIME, re.IGNORECASE)
_PRESIDENCY = re.compile(r"\bsous la présidence de\s+([^,;()]+)", re.IGNORECASE)
_SECRETARY = re.compile(
    r"([^,;()]+?)\s+(?:assure|assurant)\s+(?:la fonction|les fonctions)\s+de\s+secrétaire"
    r"|\bsecrétaire de séance\s*:\s*([^,;()]+)",
    re.IGNORECASE,
)
_ROLL = re.compile(
    r"^(?:étaient\s+|était\s+)?(présent|excusé|absent)\w*(?:\s*\(\w+\))?\s*:\s*(.*)$", re.IGNORECASE
)
_NOBODY = frozenset({"NEANT", "AUCUN", "AUCUNE"})
_PROXY = re.compile(
    r"^(?P<giver>(?:M\.|Mme|Mlle|Monsieur|Madame)\s+.+?),?\s+absente?,?\s+(?:a\s+donné\s+)?"
    r"(?:délégation de vote|pouvoir|procuration)(?:\s+donnée?)?\s+à\s+(?P<holder>.+?)\.?$",
    re.IGNORECASE,
)
_REPORT_HEADING = re.compile(
    r"^(?P<title>[^a-zß-öø-ÿ]*?)\s*\([Rr]apports?\s+n[°o]\s*(?P<number>\d+)[^)]*\)$"
)
_HEADING = re.compile(rf"^(?=[^a-zß-öø-ÿ]+$)(?:[^{_CAPITAL}]*[{_CAPITAL}]){{6}}")
_RESULT = re.compile(r"^\((?:adopt|rejet|donné acte|acte est donné)[^)]*\)$", re.IGNORECASE)
_VOTE = re.compile(
    r"^(?:(?:pour|contre|abstentions?)\s*:\s*\d|nombre d(?:e|')\s*(?:conseillers|suffrages|"
    r"délégations|votants|abstentions)|absente?s? sans délégation|ne prend(?:nent)? pas part)",
    re.IGNORECASE,
)
_DIRECTION = re.compile(
    r"^(?:\(.*\)$|(?:M\.|MM\.|Mme|Mmes|Mlle)\s|applaudissements|rires|(?:diffusion|projection) d"
    r"|l'assemblée(?: départementale)?,? (?:se lève|debout|observe|se rassied|applaudit)"
    r"|retour de |(?:suspension|reprise) de (?:la )?séance"
    r"|la séance (?:est suspendue|est levée|reprend))",
    re.IGNORECASE,
)
_DECORATION = re.compile(r"^[\W_]*$")
_PRESIDENT = frozenset({"LE PRESIDENT", "LA PRESIDENTE"})
_TITLE_WORD = re.compile(r"[A-Z0-9]{3,}")


@dataclass
class Transcript:
    """What a procès-verbal records about its séance, with what could not be read."""

    president: str | None = None
    secretary: str | None = None
    opened_at: str | None = None
    closed_at: str | None = None
    present: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


@dataclass
class _Turn:
    speaker: str
    first_line: int
    last_line: int
    item: int | None
    paragraphs: list[str] = field(default_factory=list)


def _paragraphs(
    lines: list[str], first: int, last: int
) -> Iterator[tuple[int, int, list[str], re.Match[str] | None]]:
    """Blank-line separated paragraphs of first..last, each with its speaker marker if it opens
    on one; a marker always starts a new paragraph."""
    start = first
    block: list[str] = []
    marker: re.Match[str] | None = None
    for n in range(first, last + 2):
        line = lines[n - 1] if n <= last else ""
        blank = not line.strip()
        opens = None if blank else _MARKER.match(line)
        if block and (blank or opens):
            yield start, n - 1, block, marker
            block = []
        if not blank:
            if not block:
                start, marker = n, opens
            block.append(line)


def _clean(block: list[str]) -> str:
    """One paragraph: wrapped lines joined, markup and italics removed, spaces squashed."""
    text = join_lines(block)
    if "*" in text or "<" in text or "^{" in text:
        text = squash(_ITALIC.sub(r"\1", strip_markup(text)))
    return text


def _title_words(title: str) -> set[str]:
    return set(_TITLE_WORD.findall(fold(title)))


def _agenda_number(
    number: int | None, title: str, agenda: list[tuple[int, set[str]]]
) -> int | None:
    """The agenda item a rapport heading announces: by its number, else by the words of its title
    (`agenda` holds the number and title words of each item)."""
    if not agenda or (number is not None and any(n == number for n, _ in agenda)):
        return number
    words = _title_words(title)
    best, score = None, 0.6  # share of common words below which a heading announces no item
    for candidate, other in agenda:
        if words and other:
            common = len(words & other) / len(words | other)
            if common >= score:
                best, score = candidate, common
    return best


def _read_sitting(text: str, lowered: str, pv: Transcript) -> None:
    """Opening time, president and secretary, from the paragraph that first gives each
    (`lowered` is the text in lower case, to look for the words before running the patterns)."""
    if pv.opened_at is None and "séance" in lowered and (opening := _OPENING.search(text)):
        pv.opened_at = parse_time(opening.group(0))
    if pv.president is None and "présidence" in lowered and (found := _PRESIDENCY.search(text)):
        pv.president = strip_civility(found.group(1))
    if pv.secretary is None and "secrétaire" in lowered and (found := _SECRETARY.search(text)):
        pv.secretary = strip_civility(found.group(1) or found.group(2))


def _people(names: Iterable[str]) -> dict[str, dict[str, str]]:
    """Persons by folded surname; under each, the spelling first printed of every distinct name."""
    people: dict[str, dict[str, str]] = {}
    for name in dict.fromkeys(names):
        people.setdefault(fold(surname(name)), {}).setdefault(name_key(name), name)
    return people


def _only(found: dict[str, str] | None) -> str | None:
    return next(iter(found.values())) if found and len(found) == 1 else None


def _speaker_names(
    pv: Transcript, speakers: Iterable[str], lines: list[str], first: int, last: int
) -> dict[str, str]:
    """Full names of the speakers, by the key of the speaker as printed.

    A surname is looked up in the roll call and the proxies; one found nowhere there (a guest, a
    director) among the "Prénom NOM" persons named in the procès-verbal with the spelling of the
    marker. It resolves only when one person bears it.
    """
    proxies = (name for proxy in pv.proxies for name in (proxy.giver, proxy.holder) if name)
    members = _people([*pv.present, *pv.excused, *pv.absent, *proxies])
    names: dict[str, str] = {}
    guests: dict[str, str] = {}  # key → surname as printed in the marker
    for speaker in speakers:
        key = name_key(speaker)
        name = pv.president if key in _PRESIDENT else _only(members.get(key))
        if name:
            names[key] = name
        elif key not in members and key not in _PRESIDENT:
            guests[key] = strip_civility(speaker)
    if guests:
        mentions = [
            lines[n - 1] for n in range(first, last + 1)
            if any(printed in lines[n - 1] for printed in guests.values())
        ]
        mentioned = _people(name for line in mentions for name in find_full_names(line))
        for key in guests:
            if name := _only(mentioned.get(key)):
                names[key] = name
    return names


def read_transcript(lines: list[str], block: Block) -> Read[Transcript]:
    """The procès-verbal of the block (one `Transcript`, its warnings also given apart); its
    speaking turns belong to `block.sitting`, matched to the items of `block.agenda`."""
    first, last, sitting_id, agenda = block.first, block.last, block.sitting or "", block.agenda
    pv = Transcript()
    titles = [(entry.number, _title_words(entry.title)) for entry in agenda]
    turns: list[_Turn] = []
    item: int | None = None
    read_up_to = last
    for start, end, paragraph, marker in _paragraphs(lines, first, last):
        text = _clean([marker.group("text"), *paragraph[1:]] if marker else paragraph)
        lowered = text.lower()
        _read_sitting(text, lowered, pv)
        if marker:
            turns.append(_Turn(squash(marker.group("speaker")), start, start, item))
            if text:
                turns[-1].paragraphs.append(text)
                turns[-1].last_line = end
        elif roll := _ROLL.match(text):
            names = [name for name in split_names(roll.group(2)) if fold(name) not in _NOBODY]
            kind = fold(roll.group(1))
            lists = {"PRESENT": pv.present, "EXCUSE": pv.excused, "ABSENT": pv.absent}
            lists[kind].extend(names)
        elif proxy := _PROXY.match(text):
            pv.proxies.append(
                Proxy(strip_civility(proxy.group("giver")), strip_civility(proxy.group("holder"))))
        elif (heading := _REPORT_HEADING.match(text)) or _HEADING.match(text):
            number = int(heading.group("number")) if heading else None
            announced = _agenda_number(number, heading.group("title") if heading else text, titles)
            if announced is not None:
                item = announced
                if turns and turns[-1].item is None:
                    turns[-1].item = item
            elif number is not None:
                message = f"rapport n°{number} absent de l'ordre du jour"
                pv.warnings.append(Warning("pv_rapport", message, start, sitting_id))
        elif _RESULT.match(text):
            item = None
        elif _VOTE.match(text) or _DIRECTION.match(text) or _DECORATION.match(text):
            pass
        elif turns:
            turns[-1].paragraphs.append(text)
            turns[-1].last_line = end
        else:
            pv.warnings.append(Warning(
                "pv_hors_intervention", f"texte hors de toute intervention : « {text[:60]} »",
                start, sitting_id))
        if "levée" in lowered and (closing := _CLOSING.search(text)):
            pv.closed_at = parse_time(closing.group(0))
            read_up_to = end
            break  # what follows is the signatures
    _finish(pv, turns, lines, first, read_up_to, sitting_id)
    return Read([pv], pv.warnings)


def _finish(
    pv: Transcript, turns: list[_Turn], lines: list[str], first: int, last: int, sitting_id: str
) -> None:
    """Number the turns, name their speakers, and say what was not found."""
    names = _speaker_names(pv, {turn.speaker for turn in turns}, lines, first, last)
    unnamed: set[str] = set()
    for seq, turn in enumerate(turns, 1):
        key = name_key(turn.speaker)
        name = names.get(key)
        if name is None and key not in unnamed:
            unnamed.add(key)
            pv.warnings.append(Warning(
                "pv_intervenant", f"intervenant non identifié : {turn.speaker}", turn.first_line,
                sitting_id))
        pv.interventions.append(Intervention(
            sitting=sitting_id, seq=seq, speaker=turn.speaker, speaker_name=name,
            agenda_item=turn.item, text="\n".join(turn.paragraphs),
            first_line=turn.first_line, last_line=turn.last_line,
        ))
    missing = [
        ("pv_ouverture", "heure d'ouverture de la séance introuvable", pv.opened_at),
        ("pv_cloture", "heure de levée de la séance introuvable", pv.closed_at),
        ("pv_president", "président de séance introuvable", pv.president),
        ("pv_appel", "liste des présents introuvable", pv.present),
        ("pv_interventions", "aucune prise de parole reconnue", pv.interventions),
    ]
    for code, message, value in missing:
        if not value:
            pv.warnings.append(Warning(code, message, first, sitting_id))
