"""Mask the names of private persons in published text (applicants, residents, contributors).

Annexes and consultation records name people who hold no public office: the applicants to a
grant, the residents who wrote to a public consultation. Acts are published in full, but such
people have no reason to be exposed on the web; so the public site and the published files
show the text with their names replaced by one fixed marker, "[personne privée]". A fixed marker
rather than initials: in a commune of 1,500 inhabitants, initials plus a street or a profession
identify a person again; and a marker of fixed length leaks nothing about the name.

Kept as public: every councillor of the store (roll calls, votes, proxies, speakers, signatories
of vœux: `public_names`, matched even when a seating plan misspells a surname), whoever the text
presents in a public or professional role (`recueil.publish.persons`: mayors, directors,
signatories, board members, a photographer credited), and the names listed with them ("X, Y et
Z, anciens directeurs"). How names are found is explained in `recueil.publish.persons`.

Give `mask` a whole document, or at least a whole annex: roles are read in the text it is given,
so a name presented once as a mayor is kept everywhere in it (or pass `officials(document)`
along with the public names when masking a document piece by piece).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING, Any

from recueil.publish.persons import CIVILITY, Found, Person, Reader, forms, public_roles

if TYPE_CHECKING:
    from recueil.model import Publication
    from recueil.store.database import Store

__all__ = ["MAIL_MARKER", "MARKER", "Masked", "Masker", "Span", "mask", "officials", "public_names"]

MARKER = "[personne privée]"
MAIL_MARKER = "[adresse privée]"
# A personal mailbox ("ameliedu62@hotmail.com" in a consultation form) names its owner as surely as
# a name does; an organisation's address (…@pasdecalais.fr, …@dihal.gouv.fr) is kept.
_PRIVATE_MAIL = re.compile(
    r"[\w.%+-]+@(?:hotmail|gmail|googlemail|yahoo|orange|wanadoo|free|laposte|sfr|neuf|outlook|live|msn|"
    r"icloud|me|aol|bbox|numericable|club-internet|aliceadsl|gmx|proton|protonmail)\.[a-z]{2,3}(?:\.[a-z]{2})?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    """One masked name: where it was in the original text, what it was, and the rule that found it."""

    start: int
    end: int
    text: str
    rule: str  # civilité | formulaire | prénom | prénom seul | courriel


@dataclass(frozen=True)
class Masked:
    """The text as published (`text`) and what was masked in the original (`spans`, in order)."""

    text: str
    spans: tuple[Span, ...]


def officials(text: str) -> set[str]:
    """The persons the text presents in a public or professional role ("Didier MICHEL", accents
    and hyphens folded away: "Stephanie ALLEMAND", "Jean Louis COTTIGNY").

    Callers that mask a document piece by piece compute this once on the whole document and add
    it to the public names they pass to `mask`.
    """
    return {_display(person) for person in public_roles(text, list(Reader(text).names()))}


_LIST_GAP = re.compile(r"[\s,;/–\-]*(?:\bet\b)?[\s,;/–\-]*")


def _listed_with_public(text: str, names: list[Found], public: list[bool]) -> list[bool]:
    """Public flags, spread along enumerations: a name listed next to a public one ("Christophe
    PILCH et Michel DENEUX", a table row of board members, a list under "Membres :") is public."""
    flags = list(public)
    linked = [k for k in range(len(names) - 1)
              if len(gap := text[names[k].end:names[k + 1].start]) <= 12 and gap.count("\n") <= 2
              and _LIST_GAP.fullmatch(gap)]
    changed = True
    while changed:
        changed = False
        for k in linked:
            if flags[k] != flags[k + 1]:
                flags[k] = flags[k + 1] = True
                changed = True
    return flags


def _display(person: Person) -> str:
    """ "Didier MICHEL": given names capitalised, surname in capitals, as `mask` reads names back."""
    return f"{person.given.title()} {person.surname}".strip()


class _PublicIndex:
    """Public persons, found by any word of their surname.

    A name is public when all its words belong to one public person and one of them is that
    person's surname: "Monsieur MICHEL" and "MICHEL Didier" are "Didier MICHEL"; "Audrey
    DAUTRICHE" (a line break inside the name) is "Audrey DAUTRICHE-DESMARAI". With the same
    given name, a surname misspelt by a letter or two is the same person ("Aline GUILLY" in a
    seating plan is the councillor Aline GUILLUY).
    """

    def __init__(self, persons: Iterable[Person]) -> None:
        self.by_word: dict[str, list[frozenset[str]]] = {}
        self.by_given: dict[str, list[str]] = {}
        for person in persons:
            words = frozenset(f"{person.given} {person.surname}".split())
            for word in person.surname.split():
                self.by_word.setdefault(word, []).append(words)
            if person.given:
                self.by_given.setdefault(person.given, []).append(person.surname)

    def __contains__(self, person: Person) -> bool:
        words = frozenset(f"{person.given} {person.surname}".split())
        if any(words <= known for word in words for known in self.by_word.get(word, ())):
            return True
        first = person.surname.split()[0] if person.surname else ""
        return len(first) >= 5 and any(
            SequenceMatcher(None, first, surname.split()[0]).ratio() >= 0.8
            for surname in self.by_given.get(person.given, ()))


@cache
def _parse_public(name: str) -> Person:
    """A public name as stored ("Jean-Claude LEROY", "M. MACIEJASZ", "Didier Michel")."""
    reader = Reader(name.strip())
    for found in reader.names():
        if found.person.surname:
            return found.person
    words = [t for t in reader.tokens if t.key not in CIVILITY]
    caps = [t.key for t in words if t.is_caps]
    if caps:
        return Person(" ".join(t.key for t in words if not t.is_caps), " ".join(caps))
    return Person(" ".join(t.key for t in words[:-1]), words[-1].key if words else "")


class Masker:
    """`mask` with the public names parsed and indexed once: the site and the publisher mask many
    texts (every search snippet, every act) against the same councillors."""

    def __init__(self, public_names: Collection[str] = ()) -> None:
        self.stored = _PublicIndex(_parse_public(name) for name in public_names)

    def __call__(self, text: str) -> Masked:
        """`text` with the names of private persons replaced by MARKER (their personal e-mail
        addresses by MAIL_MARKER), and the spans masked, in order."""
        names = list(Reader(text).names())
        roles = _PublicIndex(public_roles(text, names, self.stored.__contains__))
        return _masked(text, names, lambda person: person in self.stored or person in roles)


def mask(text: str, public_names: Collection[str] = ()) -> Masked:
    """`text` with the names of private persons replaced by MARKER (their personal e-mail
    addresses by MAIL_MARKER), and the spans masked, in order."""
    return Masker(public_names)(text)


def _masked(text: str, names: list[Found], is_public: Callable[[Person], bool]) -> Masked:
    """`text` with every name found that is not public, every private form-field name and mailbox
    replaced by its marker."""
    flags = _listed_with_public(text, names, [name.rule == "lieu" or is_public(name.person) for name in names])
    candidates = [name for name, known in zip(names, flags) if not known]
    for surname, given, _profession in forms(text):
        if not is_public(surname.person):
            candidates.extend(x for x in (surname, given) if x)
    candidates.extend(Found(m.start(), m.end(), Person("", ""), "courriel") for m in _PRIVATE_MAIL.finditer(text))
    spans: list[Span] = []
    for found in sorted(candidates, key=lambda f: (f.start, -f.end)):
        if spans and found.start < spans[-1].end:
            continue
        spans.append(Span(found.start, found.end, text[found.start:found.end], found.rule))
    pieces, cursor = [], 0
    for span in spans:
        pieces += [text[cursor:span.start], MAIL_MARKER if span.rule == "courriel" else MARKER]
        cursor = span.end
    pieces.append(text[cursor:])
    return Masked("".join(pieces), tuple(spans))


def public_names(source: Store | Publication) -> set[str]:
    """The councillors and signatories recorded in a store or a publication: names never masked."""
    from recueil.model import Publication, to_dict

    if isinstance(source, Publication):
        records: Iterable[dict[str, Any]] = (
            {"type": kind, **to_dict(record)}
            for kind, items in (("sitting", source.sittings), ("deliberation", source.deliberations),
                                ("intervention", source.interventions), ("motion", source.motions))
            for record in items)
    else:
        records = source.records()
    names: set[str] = set()
    for record in records:
        names.update(_names_of(record))
    return {name for name in names if name and name.strip()}


def public_text(store: Store, mask: bool = True) -> Callable[[str], str]:
    """Text as it may be published: the names of private persons masked, unless `mask` is off
    (the councillors and signatories of the store are public)."""
    if not mask:
        return lambda text: text
    masker = Masker(public_names(store))
    return lambda text: masker(text).text


def _names_of(record: dict[str, Any]) -> Iterator[str]:
    kind = record["type"]
    if kind in ("sitting", "deliberation"):
        yield from (record.get("president") or "", record.get("secretary") or "")
        attendance = record.get("attendance") or record
        for status in ("present", "excused", "absent", "non_voting_present", "non_voting_excused"):
            yield from attendance.get(status) or []
        for proxy in record.get("proxies") or []:
            yield from (name for name in (proxy["giver"], proxy["holder"]) if name)
        vote = record.get("vote") or {}
        for members in (vote.get("members") or {}).values():
            for names in members.values():
                yield from names
        for conflict in record.get("conflicts") or []:
            yield conflict["name"]
    elif kind == "intervention":
        yield from (record.get("speaker") or "", record.get("speaker_name") or "")
    elif kind == "motion":
        yield from record.get("signatories") or []
    elif kind == "member":
        yield record["name"]
