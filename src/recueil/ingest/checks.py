"""Cross-checks between what a document prints in different places.

Each check returns warnings with a line number; none stops the ingest. They are the totals the
document itself gives: vote counts against members in office, attendance and proxies; the
sommaire or closing index against the acts found; an annex total against the article citing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from recueil.model import Deliberation, Publication, Warning, sitting_id
from recueil.text.clean import fold
from recueil.text.money import parse_money

_TOTAL_IN_ARTICLE = re.compile(r"montant\s+total\s+de\s+([\d\s\u00a0.,]+\s*€)", re.I)
_RATE_THEN_AMOUNT = re.compile(r"\d+(?:,\d+)?\s?%\s+(\d{1,3}(?:[ \u00a0]\d{3})*,\d{2})")
_AMOUNT = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})*,\d{2}")


class _Part(Protocol):
    body: str | None
    sitting_date: str | None
    first_number: str | None
    last_number: str | None


class _Sommaire(Protocol):
    parts: Sequence[_Part]


class _IndexEntry(Protocol):
    number: str
    title: str
    line: int


def members_in_office(act: Deliberation) -> int | None:
    """Printed ("en exercice"), else the voting members listed in the act's attendance."""
    if act.vote and act.vote.en_exercice:
        return act.vote.en_exercice
    listed = len(act.attendance.present) + len(act.attendance.excused) + len(act.attendance.absent)
    return listed or None


def check_votes(publication: Publication) -> Iterator[Warning]:
    proxies = {s.id: len(s.proxies) for s in publication.sittings}
    for act in publication.deliberations:
        vote = act.vote
        if vote is None:
            continue
        line = vote.first_line
        total = vote.pour + vote.contre + vote.abstention + vote.ne_prend_pas_part + vote.absent_sans_delegation
        office = members_in_office(act)
        if office is not None and total != office and vote.groups:  # a block that counts every member
            yield Warning("vote_total", f"{act.number} : le vote compte {total} membres, "
                          f"{office} en exercice", line, act.number)
        if vote.presents is not None and vote.presents != len(act.attendance.present):
            yield Warning("vote_presents", f"{act.number} : {vote.presents} présents au vote, "
                          f"{len(act.attendance.present)} dans la liste des présents", line, act.number)
        if vote.delegations is not None:
            sitting = sitting_id(act.body, act.sitting_date)
            if sitting in proxies and proxies[sitting] and vote.delegations != proxies[sitting]:
                yield Warning("vote_delegations", f"{act.number} : {vote.delegations} délégations au vote, "
                              f"{proxies[sitting]} à l'appel", line, act.number)
        away = len(act.attendance.excused) + len(act.attendance.absent)
        if vote.absent_sans_delegation > away:
            yield Warning("vote_absents", f"{act.number} : {vote.absent_sans_delegation} absents sans "
                          f"délégation pour {away} excusés ou absents", line, act.number)
        cast = vote.pour + vote.contre
        if vote.result == "adopte" and cast and vote.pour * 2 <= cast:
            yield Warning("vote_resultat", f"{act.number} : adopté sans majorité des suffrages exprimés",
                          line, act.number)


def check_voters(publication: Publication) -> Iterator[Warning]:
    """Printed counts against the members present and represented at the roll call (members who
    come or go during the séance make a difference the document should explain)."""
    voters = {(s.body, s.date): len(s.present) + len(s.proxies) for s in publication.sittings if s.present}
    for act in publication.deliberations:
        vote, expected = act.vote, voters.get((act.body, act.sitting_date))
        if vote is None or vote.derived or expected is None or vote.groups:
            continue  # a Département's vote block (with its groups) is checked by check_votes
        total = vote.pour + vote.contre + vote.abstention + vote.ne_prend_pas_part + (vote.nuls or 0) + (vote.blancs or 0)
        if total and total != expected:
            yield Warning("vote_votants", f"{act.number} : le vote compte {total} voix, {expected} membres "
                          "présents ou représentés à l'appel", vote.first_line, act.number)


def check_numbers(publication: Publication) -> Iterator[Warning]:
    """A number printed twice (both acts are kept); in minutes, whose items follow one another, a
    number lower than the one before."""
    seen: set[str] = set()
    previous: tuple[str, int] | None = None
    for act in publication.deliberations:
        if act.number in seen:
            yield Warning("numero_en_double", f"{act.number} : numéro imprimé deux fois (les deux actes sont gardés)",
                          act.source.first_line, act.number)
        seen.add(act.number)
        found = re.match(r"^(.*?)(\d+)$", act.number)
        if publication.document.kind == "minutes" and found:
            series, rank = found.group(1), int(found.group(2))
            if previous and previous[0] == series and rank <= previous[1]:
                yield Warning("numero_hors_sequence", f"{act.number} : numéro non croissant après "
                              f"{series}{previous[1]}", act.source.first_line, act.number)
            previous = (series, rank)


def check_proxies(publication: Publication) -> Iterator[Warning]:
    """One proxy per holder (CGCT L2121-20: a member may hold one proxy only)."""
    for sitting in publication.sittings:
        held: dict[str, int] = {}
        for proxy in sitting.proxies:
            if proxy.holder:
                held[fold(proxy.holder)] = held.get(fold(proxy.holder), 0) + 1
        for proxy in sitting.proxies:
            if proxy.holder and held.pop(fold(proxy.holder), 0) > 1:
                yield Warning("procurations_multiples", f"{proxy.holder} détient plusieurs procurations "
                              "(un membre n'en peut détenir qu'une, CGCT L2121-20)", sitting.source.first_line, sitting.id)


def check_sommaire(publication: Publication, sommaire: _Sommaire | None) -> Iterator[Warning]:
    """The parts announced by the sommaire whose deliberations the document holds."""
    if sommaire is None:
        return
    found = {d.number: d for d in publication.deliberations}
    for part in sommaire.parts:
        if not (part.first_number and part.last_number):
            continue
        year, first = part.first_number.split("-")
        last = int(part.last_number.split("-")[1])
        expected = [f"{year}-{n:03d}" for n in range(int(first), last + 1)]
        present = [n for n in expected if n in found]
        if not present:
            continue  # that part is published elsewhere
        for number in expected:
            act = found.get(number)
            if act is None:
                yield Warning("sommaire_manquant", f"{number} annoncée au sommaire, absente du document")
            elif (part.body and act.body != part.body) or (part.sitting_date and act.sitting_date != part.sitting_date):
                yield Warning("sommaire_instance", f"{number} : instance ou date différente du sommaire "
                              f"({act.body} {act.sitting_date})", act.source.first_line, number)
        for number in sorted(set(found) - set(expected)):
            if number.startswith(year):
                yield Warning("sommaire_absente", f"{number} absente du sommaire",
                              found[number].source.first_line, number)


def check_index(publication: Publication, index: Sequence[_IndexEntry]) -> Iterator[Warning]:
    """The closing "Sommaire des délibérations" of a séance record against the acts found."""
    found = {d.number: d for d in publication.deliberations}
    for entry in index:
        act = found.get(entry.number)
        if act is None:
            yield Warning("index_manquant", f"{entry.number} listée à l'index, absente du document", entry.line)
        elif fold(entry.title)[:60] != fold(act.title)[:60]:
            yield Warning("index_titre", f"{entry.number} : titre différent de l'index", entry.line, entry.number)
    listed = {e.number for e in index}
    if index:
        for number in sorted(set(found) - listed):
            yield Warning("index_absente", f"{number} absente de l'index", found[number].source.first_line, number)


def annex_total(lines: Sequence[str]) -> tuple[int | None, int]:
    """(printed total, sum of the granted amounts) of a grant table: rows end "taux% montant"."""
    rows = sum(parse_money(m.group(1)) or 0 for line in lines for m in _RATE_THEN_AMOUNT.finditer(line))
    last = next((line for line in reversed(lines) if line.strip()), "")
    amounts = _AMOUNT.findall(last)
    printed = parse_money(amounts[-1]) if amounts and not _RATE_THEN_AMOUNT.search(last) else None
    return printed, rows


def check_annex_totals(publication: Publication, lines: Sequence[str],
                       annexes: dict[str, tuple[int, int]]) -> Iterator[Warning]:
    """ "d'un montant total de X €" in an article against the table annexed to the act."""
    for act in publication.deliberations:
        span = annexes.get(act.number)
        if not span:
            continue
        for article in act.articles:
            m = _TOTAL_IN_ARTICLE.search(article.text)
            if not m or "annex" not in article.text:
                continue
            stated = parse_money(m.group(1))
            printed, rows = annex_total(lines[span[0] - 1 : span[1]])
            if not rows or stated is None:  # nothing to add up, or no sum to compare with
                continue
            if printed is not None and printed != stated:
                yield Warning("annexe_total", f"{act.number} : total de l'annexe {printed / 100:.2f} € ≠ "
                              f"article {article.number} {stated / 100:.2f} €", span[1], act.number)
            if rows != stated:
                yield Warning("annexe_somme", f"{act.number} : somme des lignes de l'annexe {rows / 100:.2f} € ≠ "
                              f"article {article.number} {stated / 100:.2f} €", span[0], act.number)


def run_checks(publication: Publication, lines: Sequence[str], annexes: dict[str, tuple[int, int]],
               sommaire: _Sommaire | None = None, index: Sequence[_IndexEntry] = ()) -> list[Warning]:
    """Every cross-check of one document."""
    return [
        *check_votes(publication),
        *check_voters(publication),
        *check_numbers(publication),
        *check_proxies(publication),
        *check_sommaire(publication, sommaire),
        *check_index(publication, index),
        *check_annex_totals(publication, lines, annexes),
    ]
