"""A vote as the minutes of a conseil municipal or communautaire print it, in any of its forms:

- a count block, one choice a line, an empty count meaning none ("Pour : 62 / Contre : /
  Abstentions : 3 / Adopté à l'unanimité."), a secret ballot's "Nuls : 11" or "Blancs : 2";
- counts in prose, in any order ("10 votes pour. 2 Abstentions", "2 votes contre 1 abstention
  9 votes pour", "par 74 voix pour, 2 contre et 2 abstentions");
- the decision's sentence: "après en avoir délibéré, à l'unanimité", "à la majorité", "à
  l'unanimité des suffrages exprimés", followed or not by counts with the members named
  ("CONTRE : 1 (Mme DEFOSSEZ)": members, never groups);
- what became of the item: adopté, rejeté, prend acte, retiré, reporté.

`read_item_vote(lines)` finds the vote of one item among its lines (the last count block or vote
line, and the decision's sentence); `read_vote_text(text)` reads one such passage.
"""

from __future__ import annotations

import re

from recueil.model import Result, Vote
from recueil.text.clean import fold, squash
from recueil.text.names import split_names

CHOICES = ("pour", "contre", "abstention", "nuls", "blancs", "ne_prend_pas_part")
_CHOICE = (r"(?P<choice>pour|contre|abstentions?|nuls?|blancs?|"
           r"ne (?:prend|prennent) pas part(?: au vote)?)")
_NUMBER = r"(?P<count>\d{1,3})"
_UNIT = r"(?:\s*(?:votes?|voix|suffrages?|bulletins?|membres?|conseillers?|élus?))?"
# "Pour : 62", "CONTRE : 1 (Mme DEFOSSEZ)", "Abstentions :" (empty: none), "Nuls : 11".
_LABELLED = re.compile(
    r"(?<![\w'’])" + _CHOICE + r"\s*:\s*(?:" + _NUMBER + _UNIT + r")?\s*(?P<names>\([^()]*\))?",
    re.IGNORECASE,
)
# "10 votes pour", "2 contre", "1 abstention", "11 nuls".
_COUNTED = re.compile(r"(?<![\w,.])" + _NUMBER + _UNIT + r"\s+" + _CHOICE + r"(?!\w)", re.IGNORECASE)
_BLOCK_LINE = re.compile(r"^(?:pour|contre|abstentions?|nuls?|blancs?|votants|(?:suffrages\s+)?exprimés|présents"
                         r"|représentés|(?:membres\s+)?en\s+exercice)\s*:\s*\d*(?:\s|$)", re.IGNORECASE)
# Counts a block prints beside the choices: they say who could vote, not how.
_TURNOUT = re.compile(r"(?<![\w'’])(?P<label>votants|(?:suffrages\s+)?exprimés|présents|représentés"
                      r"|(?:membres\s+)?en\s+exercice)\s*:\s*(?P<count>\d{1,3})", re.IGNORECASE)
_UNANIMOUS = re.compile(r"(?:\bà\s+l['’]\s*)?\bunanimité", re.IGNORECASE)
_MAJORITY = re.compile(r"\bà\s+la\s+majorité(?!\s+(?:des|de\s+ses|de\s+leurs)\s+membres\s+présents\s+pour)",
                       re.IGNORECASE)
# Matched on the folded text (capitals, no accents): "AFFAIRE RETIREE" is "affaire retirée".
_RESULTS: list[tuple[Result, re.Pattern[str]]] = [
    ("retire", re.compile(r"\bRETIRE(?:E|S|ES)?\b|\bRETRAIT DE L'ORDRE DU JOUR")),
    ("reporte", re.compile(r"\b(?:REPORTE|AJOURNE|DIFFERE)(?:E|S|ES)?\b")),
    ("rejete", re.compile(r"\bREJET(?:E|EE|ES|EES)?\b|\bN'EST PAS ADOPTE")),
    ("prend_acte", re.compile(r"\b(?:PREND|PRENNENT|DONNE|DONNENT|A PRIS|ONT PRIS|PRIS|PRISE) ACTE\b"
                              r"|\bACTE EST DONNE|\bPRISE D'ACTE\b")),
    ("adopte", re.compile(r"\b(?:ADOPTE|APPROUVE|ACCEPTE|VALIDE)(?:E|S|ES)?\b")),
]
# A decision's sentence opens the vote of an item that prints no count block.
_DECISION = re.compile(
    r"après en avoir délibéré|après avoir délibéré|après délibération|le conseil[^.:]{0,120}\b(?:décide|adopte|approuve)",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(r"[\W\d_]+")
# Words a vote line may hold beside its counts and result ("Délibération adoptée à main levée par
# 25 voix pour", "Vote au scrutin secret : unanimité des membres présents et représentés").
_VOTE_WORDS = re.compile(r"\b(?:et|votes?|voix|bulletins?|suffrages?|exprimés?|par|avec|est|sont|la|le|l['’]|à|au|des"
                         r"|délibération|proposition|main levée|scrutin|secret|membres|présents|représentés)(?!\w)",
                         re.IGNORECASE)
# "Pour 25 – Contre 3 – Abstention 0": a choice, then its count, read on a vote line only.
_AFTER = re.compile(r"(?<![\w'’])" + _CHOICE + r"\s+" + _NUMBER + r"(?!\d)", re.IGNORECASE)


def _choice(word: str) -> str:
    folded = fold(word).lower()
    if folded.startswith("abstention"):
        return "abstention"
    if folded.startswith("nul"):
        return "nuls"
    if folded.startswith("blanc"):
        return "blancs"
    if folded.startswith("ne "):
        return "ne_prend_pas_part"
    return folded


def result_of(text: str) -> Result | None:
    """What became of the item, as the passage says it (the first matching word wins in the
    order withdrawn, postponed, rejected, taken note of, adopted)."""
    folded = fold(text)
    for result, pattern in _RESULTS:
        if pattern.search(folded):
            return result
    return None


def read_vote_text(text: str, first_line: int | None = None, decision: str = "") -> Vote | None:
    """The vote one passage prints (counts, unanimity or majority, result), or None; `decision`
    is the decision's sentence, read for what the passage does not say."""
    flat, said_in = squash(text.replace("\n", " ")), squash(decision)
    counts: dict[str, int] = {}
    named: dict[str, list[str]] = {}
    for match in _LABELLED.finditer(flat):
        choice = _choice(match["choice"])
        counts[choice] = int(match["count"]) if match["count"] else 0
        if match["names"]:
            names = split_names(match["names"][1:-1])
            if names:
                named[choice] = names
    if not counts:
        for match in _COUNTED.finditer(flat):
            counts.setdefault(_choice(match["choice"]), int(match["count"]))
    if not counts:
        for line in text.split("\n"):
            if is_vote_line(line):
                for match in _AFTER.finditer(line):
                    counts.setdefault(_choice(match["choice"]), int(match["count"]))
    both = f"{flat} {said_in}"
    unanimous = bool(_UNANIMOUS.search(both))
    majority = bool(_MAJORITY.search(both))
    said = result_of(flat) or result_of(said_in)
    if not counts and not unanimous and not majority and said is None:
        return None
    vote = Vote(first_line=first_line, unanimous=unanimous, named=named)
    for choice, count in counts.items():
        setattr(vote, choice, count)
    for turnout in _TURNOUT.finditer(flat):
        label = fold(turnout["label"])
        if "EXERCICE" in label:
            vote.en_exercice = int(turnout["count"])
        elif label == "PRESENTS":
            vote.presents = int(turnout["count"])
        elif label == "REPRESENTES":
            vote.delegations = int(turnout["count"])
    vote.result = said or _result_of_counts(vote, counts, unanimous or majority)
    return vote


def _result_of_counts(vote: Vote, counts: dict[str, int], said_carried: bool) -> Result | None:
    """Carried when the text says unanimity or majority, else by the counts; a secret ballot
    (blancs, nuls) elects someone rather than adopting anything: no result."""
    if said_carried:
        return "adopte"
    if "pour" in counts or "contre" in counts:
        if "nuls" in counts or "blancs" in counts:
            return None
        return "adopte" if vote.pour > vote.contre else "rejete"
    return None


def is_vote_line(line: str) -> bool:
    """A line that holds nothing but a vote: counts, a result, unanimity ("12 votes pour",
    "Contre :", "Adopté à l'unanimité.", "4 votes contre 8 votes pour")."""
    text = squash(line)
    if not text or len(text) > 90:
        return False
    if _BLOCK_LINE.match(text):  # "Pour : 55 Cédric de SAINT-JOUAN": a count, then its candidate
        return True
    rest = _LABELLED.sub(" ", text) if _LABELLED.match(text) else _COUNTED.sub(" ", text)
    rest = _AFTER.sub(" ", _TURNOUT.sub(" ", rest))
    if rest == text and not (_UNANIMOUS.search(text) or _MAJORITY.search(text)):
        return False
    for pattern in (_UNANIMOUS, _MAJORITY, _VOTE_WORDS):
        rest = pattern.sub(" ", rest)
    rest = fold(rest)
    for _, pattern in _RESULTS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:DES )?(?:SUFFRAGES )?EXPRIMES\b|\bMEMBRES PRESENTS\b", " ", rest)
    return not _LEFTOVER.sub("", rest)


def read_item_vote(lines: list[str], first: int) -> Vote | None:
    """The vote of one item (`lines` are its lines, the first numbered `first`): its last run of
    vote lines, completed by its decision's sentence ("après en avoir délibéré, à l'unanimité")."""
    runs: list[tuple[int, int]] = []
    for n, line in enumerate(lines):
        if is_vote_line(line):
            if runs and all(not lines[k].strip() for k in range(runs[-1][1] + 1, n)) and n - runs[-1][1] <= 2:
                runs[-1] = (runs[-1][0], n)
            else:
                runs.append((n, n))
    decision = _decision_sentence(lines)
    if runs:
        start, end = runs[-1]
        return read_vote_text("\n".join(lines[start:end + 1]), first + start, decision[1] if decision else "")
    if decision:
        return read_vote_text(decision[1], first + decision[0])
    return None


def _decision_sentence(lines: list[str]) -> tuple[int, str] | None:
    """The last sentence that says how the assembly decided, up to its colon or full stop."""
    for n in range(len(lines) - 1, -1, -1):
        found = _DECISION.search(lines[n])
        if found:
            text = " ".join(squash(line) for line in lines[n:n + 3])
            tail = text[found.start():]
            stop = re.search(r"[:.](?:\s|$)", tail)
            return n, tail[: stop.end()] if stop else tail
    return None
