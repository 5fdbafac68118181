"""The roll call of a séance as minutes print it: lists under a label, proxies in any of their
usual sentences, with the counts some documents add in brackets.

Forms read (labels at a line's start, their names on the same line or the lines after, up to a
blank line or the next label):

- "Présents : A, B, C." / "Etaient présents :" with "Titulaires :" and "Suppléants :" (substitutes
  sit as members) / "Excusés : …" / "Absents : -" / "Absent(s) et absent(s) excusé(s) : … (5)";
- proxies: "Pouvoir : - M. X à Mme Y", "X donne procuration à Y", "Excusés : X (pouvoir donné à
  Y) / Z (pouvoir donné à W)", "X représenté(e) par Y", and "Absents ayant voté par procuration :
  A, B" where the holders are not named;
- "Maryline : absente non excusée";
- the president ("sous la présidence de …"), the secretary ("Secrétaire : …", "secrétaire de
  séance … : Mme X a été désignée"), the opening ("le 10 décembre à 19h00") and closing ("La
  séance est levée à 20h50") times.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from recueil.ingest.transcript import Transcript
from recueil.model import Movement, Proxy
from recueil.text.clean import fold
from recueil.text.dates import parse_time
from recueil.text.names import strip_civility

_LABEL = re.compile(
    r"^\s*[-•o]?\s*(?P<label>(?:(?:[ée]taient|sont)\s+)?(?:pr[ée]sents?|pr[ée]sent\(e\)s|titulaires?|suppl[ée]ants?"
    r"|excus[ée]s?|excus[ée]\(e\)s?|absents?|absent\(e\)s?|absent\(s\)|pouvoirs?|procurations?"
    r"|membres? (?:pr[ée]sents?|excus[ée]s?|absents?))"
    r"[^:\n]{0,160}?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_OTHER_LABEL = re.compile(r"^\s*[A-ZÀ-Ý][\w'’ ]{2,40}\s:\s")
_COUNT = re.compile(r"\(\s*\d+\s*\)")
_HOLDER = re.compile(
    r"^(?P<giver>.+?)\s*,?\s*\(?\s*(?:(?:donne|a donné|ayant donné)\s+)?(?:(?:pouvoir|procuration|délégation de vote)\s+)?"
    r"(?:donnée?\s+)?(?:à|a)\s+(?P<holder>[^()]+?)\s*\)?\s*$",
    re.IGNORECASE,
)
_REPRESENTED = re.compile(r"^(?P<giver>.+?)\s*,?\s*\(?\s*représentée?\s+par\s+(?P<holder>[^()]+?)\)?\s*$", re.IGNORECASE)
_PROXY_IN_BRACKETS = re.compile(r"\((?P<what>[^()]*(?:pouvoir|procuration|représenté)[^()]*)\)", re.IGNORECASE)
_ALONE_ABSENT = re.compile(r"^\s*(?P<name>[^:]{2,60}?)\s*:\s*(?P<what>absente?s?(?:\s+non\s+excusée?s?)?|excusée?s?)\s*\.?\s*$",
                           re.IGNORECASE)
_NOBODY = {"", "-", "NEANT", "AUCUN", "AUCUNE", "NUL"}
_NOT_LABEL = r"(?![A-ZÀ-Ý][\w'’-]*\s*:)"  # "Présents :" after a name is the next label, not a name
_PERSON = (rf"(?:{_NOT_LABEL}[A-ZÀ-Ý][a-zà-ÿ'’-]+\s+){{0,3}}{_NOT_LABEL}"
           r"(?:[A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’-]+)*|[A-ZÀ-Ý][a-zà-ÿ'’-]+)")
_PRESIDENCY = re.compile(r"\bsous la présidence de\s+(?:Monsieur|Madame)?\s*(?:l[ea]\s+(?:Maire|Président\w*),?\s*)?"
                         r"(" + _PERSON + ")")
_SECRETARY = re.compile(
    r"(?i:\bsecrétaire(?: de séance)?)\s*:\s*(?P<a>(?:M\.|Mme|Monsieur|Madame)\s+" + _PERSON + ")"
    r"|(?i:secrétaire de séance)[^:]*:\s*(?P<b>[^,;()]+?)\s+a été désignée?"
    r"|(?P<c>[^,;()]+?)\s+(?:est|a été) (?:désignée?|élue?) (?:comme |en qualité de )?(?i:secrétaire)",
)
_OPENING = re.compile(r"\b(?:à|a)\s+(\d{1,2})\s*(?:h|heures?)\s*(\d{2})?", re.IGNORECASE)
_CLOSING = re.compile(r"\bséance est (?:levée|close)\s+à\s+(\d{1,2})\s*(?:h|heures?)\s*(\d{2})?", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;/]|\s-\s|^-\s|\bet\s+(?=(?:M\.|Mme|Monsieur|Madame)\s))\s*")


def _name(text: str) -> str:
    return strip_civility(" ".join(text.split()).strip(" .,;:-–")).strip(" .")


def _names(text: str) -> list[str]:
    """A list of names: separated by commas (a name may wrap onto the next line), or one a line
    when the list has no separator at all."""
    text = _COUNT.sub(" ", text)
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and not re.search(r"[,;/]", text):
        return [name for line in lines if (name := _name(line)) and fold(name) not in _NOBODY]
    parts = _NAME_SEPARATORS.split(text)
    return [name for part in parts if (name := _name(part)) and fold(name) not in _NOBODY]


def _proxy(text: str) -> Proxy | None:
    """One proxy sentence: "X donne procuration à Y", "X à Y", "X (pouvoir donné à Y)"."""
    found = _REPRESENTED.match(text) or _HOLDER.match(text)
    if not found:
        return None
    giver, holder = _name(found["giver"]), _name(found["holder"])
    return Proxy(giver, holder) if giver and holder else None


def _section(label: str) -> str:
    folded = fold(label)
    if "POUVOIR" in folded or "PROCURATION" in folded or "REPRESENT" in folded:
        return "proxies"
    if "PRESENT" in folded or "TITULAIRE" in folded or "SUPPLEANT" in folded:
        return "present"
    if "EXCUSE" in folded and " ET " not in folded and "NON EXCUSE" not in folded:
        return "excused"  # "Excusés", "Absents excusés"; not "Absents et excusés", a mixed list
    return "absent"


def _proxies(text: str) -> list[Proxy]:
    """A proxies section: one proxy a line (or between ";" or "/"), several on one line when
    each names its holder; a list with no holder named gives holderless proxies."""
    found: list[Proxy] = []
    for part in re.split(r"\s*(?:\n|;|/)\s*", text):
        part = _COUNT.sub(" ", part).strip(" ,.-–•")
        if not part:
            continue
        pieces = re.split(r"\s*,\s*", part) if len(re.findall(r"\s(?:à|a)\s", part)) > 1 else [part]
        for piece in pieces:
            proxy = _proxy(piece) if re.search(r"\s(?:à|a|par)\s", piece) else None
            if proxy:
                found.append(proxy)
            else:
                found.extend(Proxy(name, None) for name in _names(piece))
    return found


def _add(roll: Transcript, section: str, text: str) -> None:
    """The names of one section's text: proxies where a holder is named, the rest listed."""
    if section == "proxies":
        roll.proxies.extend(_proxies(text))
        return
    for match in _PROXY_IN_BRACKETS.finditer(text):  # "Anne-Marie (pouvoir donné à Yves)"
        giver = _names(re.split(r"[,;/]", text[: match.start()])[-1])
        holder = re.search(r"(?:(?:donnée?\s+)?\b(?:à|a|par)|donnée?)\s+(.+)$", match["what"])
        if giver and holder:
            roll.proxies.append(Proxy(giver[-1], _name(holder.group(1))))
    names = _names(_PROXY_IN_BRACKETS.sub(" ", text))
    {"present": roll.present, "excused": roll.excused, "absent": roll.absent}[section].extend(names)


def read_roll(lines: list[str], front_end: int) -> Transcript:
    """The roll call printed before line `front_end` (the first item), each label read once; the
    officers and times anywhere in the document."""
    roll = Transcript()
    section: str | None = None
    text: list[str] = []
    seen: set[str] = set()

    def close() -> None:
        if section is not None and text:
            _add(roll, section, "\n".join(text))

    n = 0
    while n < front_end:
        line = lines[n]
        n += 1
        if ":" not in line and n < front_end and lines[n].rstrip().endswith(":") and _LABEL.match(f"{line} {lines[n]}"):
            line = f"{line} {lines[n]}"  # a label wrapped before its colon
            n += 1
        label = _LABEL.match(line)
        if label:
            close()
            key = fold(label["label"])
            sub = any(word in key for word in ("TITULAIRE", "SUPPLEANT"))
            section = _section(label["label"]) if key not in seen or sub else None
            seen.add(key)
            text = [label["rest"]] if label["rest"].strip() and section else []
            continue
        alone = _ALONE_ABSENT.match(line)
        if alone and len(alone["name"].split()) <= 4:
            close()
            section, text = None, []
            what = fold(alone["what"])
            (roll.excused if what.startswith("EXCUSE") else roll.absent).append(_name(alone["name"]))
            continue
        if section is not None:
            if _OTHER_LABEL.match(line):  # "Secrétaire de séance : …" ends the list
                close()
                section, text = None, []
            elif line.strip():
                text.append(line)
            elif text:
                close()
                section, text = None, []
    close()
    _read_officers(roll, " ".join(" ".join(lines[:front_end]).split()))
    for line in reversed(lines):
        if found := _CLOSING.search(line):
            roll.closed_at = parse_time(found.group(0))
            break
    return roll


def _read_officers(roll: Transcript, front: str) -> None:
    """President, secretary and opening time, from the text before the first item."""
    if found := _PRESIDENCY.search(front):
        roll.president = _name(found.group(1)) or None
    if found := _SECRETARY.search(front):
        roll.secretary = _name(found["a"] or found["b"] or found["c"]) or None
    for found in _OPENING.finditer(front):
        if not _CLOSING.search(front[max(0, found.start() - 30): found.end()]):
            roll.opened_at = parse_time(found.group(0))
            break


_WHO = r"(?P<who>(?:Monsieur|Madame|Mademoiselle|M\.|Mme|Mlle)\s+[A-ZÀ-Ý][\w'’\- ]{1,60}?)"
_MOVES: list[tuple[Literal["arrivee", "depart"], re.Pattern[str]]] = [
    ("arrivee", re.compile(_WHO + r",?\s+(?:entre en séance|arrive|rejoint la séance|est arrivée?|arrivée?(?=,?\s+à\s+\d))\b(?P<rest>.*)$")),
    ("depart", re.compile(_WHO + r",?\s+(?:sort de la séance|quitte la séance|se retire|quitte la salle|est partie?)\b(?P<rest>.*)$")),
    ("arrivee", re.compile(_WHO + r",?\s+(?:présente?|arrivée?)\s+(?:à partir du|au)\s+point\s+(?P<point>\d+)(?P<rest>.*)$")),
]
_AT = re.compile(r"\bà\s+(\d{1,2})\s*h\s*(\d{2})?")


def read_movements(lines: list[str], items: list[tuple[int, int]]) -> list[Movement]:
    """Arrivals and departures during the séance; `items` gives (heading line, item number) in
    order: an arrival counts from the item under way, a departure after it."""
    starts = [line for line, _ in items]
    found: list[Movement] = []
    for n, line in enumerate(lines, 1):
        if not any(word in line for word in ("séance", "arriv", "point", "quitte", "retire", "parti", "salle")):
            continue
        for kind, pattern in _MOVES:
            move = pattern.search(line)
            if move:
                at = bisect.bisect_right(starts, n) - 1
                point = move.groupdict().get("point")
                item = int(point) if point else items[at][1] if at >= 0 else None
                time = _AT.search(move["rest"])
                when = parse_time(time.group(0)) if time else None
                found.append(Movement(_name(move["who"]), kind, item, when, n))
                break
    return found
