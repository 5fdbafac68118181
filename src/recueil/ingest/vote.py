"""The vote block of an act: counts, the groups named on each line, the result.

Variants seen: one line per count ("Pour : 42 voix (Groupe …)") or all on one line, wrapped
group lists, "Absent(e)s sans délégation de vote", "Ne prend pas part au vote", and the detailed
budget form ("Nombre de Conseillers départementaux en exercice : 78", "… présents au moment du
vote : 71", "Nombre de délégations de vote : 7", "Nombre d'abstentions : 24 voix (…)").
"""

from __future__ import annotations

import re

from recueil.model import Vote
from recueil.text.clean import join_lines, squash, strip_markup
from recueil.text.names import split_names

_LABELS: list[tuple[str, str]] = [
    ("en_exercice", r"Nombre de (?:Conseillers? départementaux|membres) en exercice"),
    ("presents", r"Nombre de (?:Conseillers? départementaux|membres) présents(?: au moment du vote)?"),
    ("delegations", r"Nombre de délégations de vote"),
    ("exprimes", r"Nombre de suffrages exprimés"),
    ("abstention", r"Nombre d'abstentions|Abstentions?"),
    ("absent_sans_delegation", r"Absent(?:e|s|es|\(e\)s?|\(s\))? sans délégation de vote"),
    ("ne_prend_pas_part", r"Ne (?:prend|prennent) pas part au vote"),
    ("pour", r"Pour"),
    ("contre", r"Contre"),
]
_LINE = re.compile(
    r"(?P<label>" + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _LABELS) + r")"
    r"\s*:\s*(?P<count>\d+)\s*(?:voix)?\s*(?P<groups>\((?!\s*(?:Adopt|Rejet))(?:[^()]|\([^()]*\))*\))?",
    re.IGNORECASE,
)
_RESULT = re.compile(r"\(\s*(Adopt[ée]e?s?|Rejet[ée]e?s?)[^)]*\)", re.IGNORECASE)
_MEMBERS = re.compile(r"\s*\(([^()]*)\)\s*$")
_VOTE_START = re.compile(r"Dans les conditions de vote", re.IGNORECASE)

GROUP_KEYS = ("pour", "contre", "abstention", "absent_sans_delegation", "ne_prend_pas_part")


def split_groups(paren: str) -> tuple[list[str], dict[str, list[str]]]:
    """ "(Groupe A ; Groupe B (M. X et Mme Y) ; Non-inscrits)" → names, members by group."""
    inner = paren.strip()[1:-1]
    names: list[str] = []
    members: dict[str, list[str]] = {}
    depth, current = 0, ""
    for char in inner + ";":
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == ";" and depth == 0:
            part = squash(current)
            current = ""
            if not part:
                continue
            m = _MEMBERS.search(part)
            if m:
                name = squash(part[: m.start()])
                members[name] = split_names(m.group(1))
                part = name
            names.append(part)
        else:
            current += char
    return names, members


def read_vote(text: str, first_line: int | None = None) -> Vote | None:
    """Parse the text of a vote block; None when it holds no count."""
    flat = join_lines(strip_markup(text).split("\n"))
    vote = Vote(first_line=first_line)
    found = False
    members: dict[str, dict[str, list[str]]] = {}
    for m in _LINE.finditer(flat):
        key = next(k for k, _ in _LABELS if m.group(k))
        count = int(m.group("count"))
        found = True
        if key == "exprimes":
            continue
        setattr(vote, key, count)
        if key in GROUP_KEYS and m.group("groups"):
            names, by_group = split_groups(m.group("groups"))
            vote.groups[key] = names
            if by_group:
                members[key] = by_group
    if not found:
        return None
    for key in GROUP_KEYS:
        vote.groups.setdefault(key, [])
    result = _RESULT.search(flat)
    if result:
        vote.result = "adopte" if result.group(1).lower().startswith("adopt") else "rejete"
    else:
        vote.result = "adopte" if vote.pour > vote.contre else "rejete"
    vote.members = members
    return vote


def vote_region(lines: list[str], first: int, last: int) -> tuple[int, int] | None:
    """Line range of the vote block: from "Dans les conditions de vote" to the result."""
    for n in range(first, last + 1):
        if "conditions de vote" in lines[n - 1] and _VOTE_START.search(lines[n - 1]):
            for m in range(n, min(last, n + 25) + 1):
                if _RESULT.search(lines[m - 1]):
                    return n, m
            return n, min(last, n + 12)
    return None
