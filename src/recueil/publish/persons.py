"""Person names in French administrative text, and the roles the text gives them.

A `Reader` finds names with explainable rules: a civility and what follows it ("Monsieur DUMONT
Jean-Pierre", "Mr Vandoren Cedric"); a usual given name (the list in `prenoms.txt`) next to a
surname ("Daniel Salmon", "LANNOY Benjamin", "ClémenceDE CARVALHO" as PDF extraction glues
them), or alone on its line; the fields of an online form ("Nom : BECU" / "Prénom : Romain").
Names in a place ("salle Léo Lagrange", "carrefour Jean MONNET", "Saint-Laurent", a column
headed "COLLEGE") are read as places.

`public_roles` then says which of them the text presents in a public or professional role: an
office next to the name ("Didier MICHEL, maire de Tilloy", "son Directeur Général, Monsieur
François NOËL"), a credit ("Photo : …", "l'architecte du patrimoine …"), a signature or a list
under "Le Président" or "Membres :", a form whose profession is an elected mandate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import NamedTuple

from recueil.text.clean import fold

_UP = "A-ZÀ-ÖØ-ÞŒ"
_LOW = "a-zß-öø-ÿœ"
# The words that can be part of a name: capitalised ones, and the particles ("de", "van"). Other
# words are skipped by the regular expression itself, so that the gap between two tokens shows them.
_TOKEN = re.compile(rf"\b(?:[{_UP}][^\W\d_]*(?:['’\-][^\W\d_]+)*|(?:de|du|des|le|la|van|von|di|da)\b)")
_GLUED = re.compile(rf"^([{_UP}][{_LOW}]+)([{_UP}]{{2,}}.*)$")  # "RaphaëlCLARET"
CIVILITY = frozenset({"MONSIEUR", "MADAME", "MADEMOISELLE", "MME", "MLLE", "MELLE", "MR"})
_PARTICLES = frozenset({"DE", "DU", "DES", "LE", "LA", "VAN", "VON", "DI", "DA", "D'"})
# Capitalised words that are not a surname when they follow a given name or a civility.
_NOT_SURNAME = frozenset(
    """LE LA LES L DE DU DES D ET OU A AU AUX EN SUR SOUS POUR PAR DANS AVEC SANS CHEZ VERS EST
    MONSIEUR MADAME MAIRE PRESIDENT PRESIDENTE DIRECTEUR DIRECTRICE PREFET PREFETE CONSEIL
    CONSEILLER CONSEILLERE DEPARTEMENT DEPARTEMENTAL COMMUNE VILLE REGION ETAT SERVICE POLE
    DIRECTION ASSOCIATION SARL SAS SA EIRL GROUPE CANTON TOTAL BUDGET NOM PRENOM THEMATIQUE
    SAINT SAINTE ST STE""".split()
)
_ROMAN = re.compile(r"^[IVXLC]+$")
_OFFICES = (
    r"maire|adjoint(?:e)?\s+au\s+maire|élu(?:e)?s?\b|conseill(?:er|ère)s?\b|vice[- ]président|président|"
    r"directeur|directrice|chef(?:fe)?\s+(?:de|du)\s+(?:service|mission|bureau|pôle|cabinet)|préf[eè]t|"
    r"sous[- ]préf[eè]t|secrétaire|député|sénat(?:eur|rice)|ministre|payeur\s+départemental|"
    r"contrôleur|contrôleure|colonel|commandant|capitaine|général|administrat(?:eur|rice)|trésori(?:er|ère)|"
    r"délégué(?:e)?|représentant(?:e)?|responsable|membre|assistant(?:e)?|collègue|"
    r"professeur|historien(?:ne)?|universitaire|auteur|autrice|artiste|graphiste|photographe|sculpteur|"
    r"peintre|architecte|boxeur|chanteur|chanteuse|étudiante?\s+en"
)
# An office or a role printed right after a name makes the person public ("Didier MICHEL, maire
# de …", "Yvon DUCRON, en qualité de représentant", "M. Éric CODRON⇥Vice-président").
_OFFICE_AFTER = re.compile(
    r"[ \t]*(?:[,.(–:\-]|\*\*|\n|\t)?\s*(?:pour\s+représenter|au\s+poste\s+de|/\s*(?-i:[A-Z]{2,})|"
    r"(?:agissant\s+|en\s+qualité\s+de\s+|qui\s+(?:était|est|a\s+été)\s+|maintenant\s+|"
    r"(?:l['’]\s*)?ancien(?:ne)?s?\s+|le\s+|la\s+|les\s+|toute\s+|premier\s+|première\s+)*"
    r"(?:" + _OFFICES + r"))",
    re.IGNORECASE,
)
# … and so do an office, a contact role, a profession or a credit printed just before it ("son
# Directeur Général, Monsieur François NOËL", "Dossier suivi par :", "l'architecte du patrimoine
# Hugues Dewerdt", "Photo : Maxime Dherbomez"): an agent, a representative or a professional
# acting as such, an author credited for a work, is not the private person the mask protects.
_ROLE_BEFORE = re.compile(
    r"(?:(?:" + _OFFICES + r")[^.;,]{0,40}?[,:]?\s*|animation\b[^\n]*\n\s*|suivie?\s+par\s*:?\s*|"
    r"(?:représentée?|présidée?|dirigée?|animée?|menée?)\s+par\s+|"
    r"sous\s+la\s+direction(?:\s+générale\s+des\s+services)?\s+de\s+|"
    r"en\s+la\s+personne\s+de\s+|\bcontact(?:\s+administratif|\s+technique)?\s*:?\s*|"
    r"interlocuteurs?\b.*\n(?:.*\n){0,3}?\s*|cabinet\s+d['’]architecte(?:\s+du\s+patrimoine)?\s+|"
    r"maîtrise\s+d['’]œuvre\s+de\s+(?:l['’]architecte\s+)?|(?:crédits?\s+)?photos?\s*:\s*|"
    r"source\s*:[^\n]{0,30}?|"
    r"[@©]\s*|concerts?\s+(?:de\s+)?)"
    r"(?:Monsieur|Madame|M\.|Mme|Mr)?\s*$",
    re.IGNORECASE,
)
# In a form, only an elected mandate makes the writer public (a "directeur" of a firm is not).
_MANDATE = re.compile(r"^\s*(?:maire|adjoint(?:e)?\s+au\s+maire|conseill(?:er|ère)\s+municipal|élu)",
                      re.IGNORECASE)
# Lines above a signature or a list of members: the names printed alone under them are public.
_SIGNATURE_ROLE = re.compile(
    r"^\s*(?:pour\s+)?(?:le|la|les)\s+(?:président|présidente|directeur|directrice|chef|cheffe|préfet|"
    r"préfète|secrétaire|contrôleur|contrôleure|maire|payeur|vice-président)|^\s*(?:soussignée?|"
    r"et\s+par\s+délégation|vu\s+(?:le|la)\s+contrôleur)|\b(?:membres|représentants|administrateurs|"
    r"personnes\s+désignées)\b.*:\s*$",
    re.IGNORECASE,
)
# Places and things named after a person ("rue Jean Jaurès", "salle des sports Léo Lagrange",
# "EHPAD « Denise Delaby »"): the name is an address, not a person.
_PLACES = frozenset(
    """rue avenue av boulevard bd place salle lycée collège college école carrefour rond-point point
    giratoire stade allée impasse chemin square centre gymnase quai pont viaduc parc résidence cité
    espace fondation institut hôpital médiathèque musée théâtre piscine complexe prix trophée ehpad
    ime foyer crèche maternelle bibliothèque béguinage zone quartier lotissement commune ville groupe
    scolaire église chapelle parvis autonomie fédération association fonds marché établissement""".split()
)
_PLACE_PARTICLES = frozenset("de du des la l d".split())
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[«\"“]")
_PLACE_WORD = re.compile(r"(?i)\b(?:" + "|".join(sorted(_PLACES, key=len, reverse=True)) + r")s?\b")


def _is_place_word(word: str) -> bool:
    return word in _PLACES or (word.endswith("s") and word[:-1] in _PLACES)


def _after_place(before: str) -> bool:
    """Whether the text before a name ends with a place word, give or take a particle and one
    word ("rue de ", "salle des sports ", "collège "), a saint ("Saint-") or an opening quote."""
    tail = before[-60:].lower()
    if re.search(r"\b(?:saint|sainte|st|ste)[- ]$", tail):
        return True
    words = _WORDS.findall(tail)
    if words and words[-1] in ("«", '"', "“"):
        return True
    end = tail.rstrip()[-1:]
    if not (end.isalpha() or end in ("'", "’")):  # "Collège ENT -" / "Jean-Louis Dauchy": a table cell
        return False
    other = 0
    for word in reversed(words[-5:]):
        if _is_place_word(word):
            return True
        if word not in _PLACE_PARTICLES:
            other += 1
            if other > 1:
                return False
    return False


_FORM_FIELD = re.compile(r"^[ \t]*(?P<field>Nom|Prénom)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$",
                         re.MULTILINE)
_PROFESSION = re.compile(r"^[ \t]*Organisme/profession[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Person:
    """A name split into its given names and its surname, both folded ("JEAN PIERRE", "DUMONT")."""

    given: str
    surname: str


class _Token(NamedTuple):
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return _fold(self.text)

    @property
    def is_caps(self) -> bool:
        return _is_caps(self.text)

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


@cache
def _fold(word: str) -> str:
    return fold(word)


@cache
def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Found:
    """A name read at `start:end` of the text, the person it names, and the rule that read it
    (civilité, prénom, prénom seul, formulaire; "lieu" for a name kept as a place)."""

    start: int
    end: int
    person: Person
    rule: str


@cache
def _given_names() -> frozenset[str]:
    text = files("recueil.publish").joinpath("prenoms.txt").read_text(encoding="utf-8")
    return frozenset(fold(word) for line in text.splitlines() if not line.startswith("#")
                     for word in line.split())


@cache
def _is_given(word: str) -> bool:
    """A usual given name as printed in running text ("Jean-Pierre", "Clémence"), compounds
    included; in capitals it would be a commune or a heading ("SAINT-QUENTIN", "MARCEL")."""
    if not word[0].isupper() or word.isupper():
        return False
    parts = fold(word).split()
    return bool(parts) and all(part in _given_names() for part in parts)


def _is_surname(token: _Token, lenient: bool) -> bool:
    """A surname: in capitals ("DUMONT"), or capitalised ("Salmon") where `lenient`."""
    key = token.key
    if key in _NOT_SURNAME or key in CIVILITY or _ROMAN.match(token.text):
        return False
    return token.is_caps or (lenient and token.is_capitalised and not _is_given(token.text))


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        glued = None if word.isupper() or word.istitle() else _GLUED.match(word)
        if glued and fold(glued[1]) in _given_names():
            tokens.append(_Token(start, start + len(glued[1]), glued[1]))
            start += len(glued[1])
            word = glued[2]
        tokens.append(_Token(start, start + len(word), word))
    return tokens


class Reader:
    """Reads person names out of the tokens of one text, left to right."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)

    def gap(self, i: int) -> str:
        """The characters between token i and the next one (a line break after the last one)."""
        return self.text[self.tokens[i].end:self.tokens[i + 1].start] if i + 1 < len(self.tokens) else "\n"

    def joined(self, i: int) -> bool:
        """Whether token i+1 follows token i on the same line, at most two spaces apart."""
        return self.gap(i) in ("", " ", "  ")

    def wrapped(self, i: int) -> bool:
        """Whether token i ends its line and token i+1 begins the next one."""
        gap = self.gap(i)
        return gap.count("\n") == 1 and not gap.strip() and i + 1 < len(self.tokens)

    def surname_from(self, i: int, lenient: bool, limit: int = 3) -> int:
        """The index after the surname that starts at token i (particles allowed), or i."""
        j = i
        while j < len(self.tokens) and j - i < limit:
            token = self.tokens[j]
            if token.key in _PARTICLES and j + 1 < len(self.tokens) and self.joined(j):
                following = self.tokens[j + 1]
                if following.is_caps or (not token.text.islower() and _is_surname(following, lenient)):
                    j += 1
                    continue
            if not _is_surname(token, lenient) or (j > i and self.tokens[j - 1].is_caps and not token.is_caps):
                break
            j += 1
            if not self.joined(j - 1):
                break
        while j > i and self.tokens[j - 1].key in _PARTICLES:
            j -= 1
        return j

    def given_from(self, i: int, limit: int = 2) -> int:
        j = i
        while j < len(self.tokens) and j - i < limit and _is_given(self.tokens[j].text):
            j += 1
            if not self.joined(j - 1):
                break
        return j

    def person(self, i: int, after_civility: bool) -> tuple[int, Person] | None:
        """The name starting at token i and the index after it, given first or surname first."""
        g = self.given_from(i)
        if g > i:
            if self.joined(g - 1):
                s = self.surname_from(g, lenient=True)
            elif self.wrapped(g - 1):  # "Sébastien" / "RENARD Carine", "Olivier" / "Singer"
                nxt = self.tokens[g]
                alone = not self.line_of(nxt)[1].strip()
                s = self.surname_from(g, lenient=True) if nxt.is_caps or alone else g
            else:
                s = g
            if s > g:
                return s, self._person(i, g, g, s)
            if g - i == 2:  # "Didier Michel": the second given name is the surname
                return g, self._person(i, g - 1, g - 1, g)
            return None
        s = self.surname_from(i, lenient=after_civility, limit=3 if after_civility else 2)
        if s == i:
            return None
        if self.joined(s - 1):
            g = self.given_from(s)
            # "ARRAGEOIS Emmanuelle LAPOUILLE": a given name before a surname starts the name
            starts_name = self.joined(g - 1) and self.surname_from(g, lenient=True) > g
            if g > s and (after_civility or not starts_name):
                return g, self._person(s, g, i, s)
        return (s, self._person(i, i, i, s)) if after_civility else None

    def _person(self, g0: int, g1: int, s0: int, s1: int) -> Person:
        return Person(" ".join(t.key for t in self.tokens[g0:g1]), " ".join(t.key for t in self.tokens[s0:s1]))

    def line_of(self, token: _Token) -> tuple[str, str]:
        """The text of the token's line before it and after it."""
        start = self.text.rfind("\n", 0, token.start) + 1
        end = self.text.find("\n", token.end)
        before = self.text[start:token.start]
        if not before.strip() and start > 0:  # "Façade du collège" / "Lucien Vadez"
            before = self.text[self.text.rfind("\n", 0, start - 1) + 1:start - 1].rstrip() + " "
        return before, self.text[token.end:end if end >= 0 else len(self.text)]

    def in_place_column(self, token: _Token) -> bool:
        """Whether the token is in a column of a tab table headed by a place ("COLLEGE Nom")."""
        start = self.text.rfind("\n", 0, token.start) + 1
        line = self.text[start:token.start]
        if "\t" not in line and "\t" not in self.text[token.end:self.text.find("\n", token.end)]:
            return False
        column, header = line.count("\t"), start
        while header > 0:
            above = self.text.rfind("\n", 0, header - 1) + 1
            if "\t" not in self.text[above:header - 1]:
                break
            header = above
        cells = self.text[header:self.text.find("\n", header)].split("\t")
        return column < len(cells) and _PLACE_WORD.search(cells[column]) is not None

    def civility(self, i: int) -> bool:
        """Whether token i is a civility followed by a word: "Monsieur X", "M. X", "M.X", "Mme X"."""
        token = self.tokens[i]
        if (token.text != "M" and token.key not in CIVILITY) or i + 1 >= len(self.tokens) \
                or len(self.tokens[i + 1].text) < 2:
            return False
        gap = self.gap(i)
        if token.text == "M":
            return gap in (".", ". ", ".  ")
        quoted = self.text[max(0, token.start - 2):token.start].strip() in ("«", '"', "“")  # « Monsieur Brocoli »
        rest = gap[1:] if gap.startswith(".") else gap  # "Mme." as "Mme"; "Mr" / "Vandoren" across a line
        return token.key in CIVILITY and rest in (" ", "  ", "\n", " \n") and not quoted

    def names(self) -> Iterator[Found]:
        i = 0
        while i < len(self.tokens):
            token = self.tokens[i]
            if not token.is_capitalised:
                i += 1
                continue
            if self.civility(i):
                found = self.person(i + 1, after_civility=True)
                if found:
                    end, person = found
                    yield Found(self.tokens[i + 1].start, self.tokens[end - 1].end, person, "civilité")
                    i = end
                    continue
            found = self.person(i, after_civility=False)
            if found or _is_given(token.text):
                before, after = self.line_of(token)
                if _after_place(before) or self.in_place_column(token):
                    if found:  # kept, and so is the name listed with it ("avenues Jean Jaurès / François Mitterrand")
                        yield Found(token.start, self.tokens[found[0] - 1].end, found[1], "lieu")
                    i = found[0] if found else i + 1
                    continue
                if found:
                    end, person = found
                    yield Found(token.start, self.tokens[end - 1].end, person, "prénom")
                    i = end
                    continue
                line_start = self.text.rfind("\n", 0, token.start) + 1
                alone = not self.text[line_start:token.start].strip() and not after.strip()
                if alone and not self.text[:token.start].rstrip().endswith("-"):
                    yield Found(token.start, token.end, Person(token.key, ""), "prénom seul")
            i += 1


def forms(text: str) -> Iterator[tuple[Found, Found | None, str]]:
    """The "Nom :" / "Prénom :" fields of online forms, paired, with the profession declared."""
    fields = list(_FORM_FIELD.finditer(text))
    for k, match in enumerate(fields):
        if match["field"] != "Nom":
            continue
        given_match = fields[k + 1] if k + 1 < len(fields) and fields[k + 1]["field"] == "Prénom" \
            and text.count("\n", match.end(), fields[k + 1].start()) <= 3 else None
        person = Person(fold(given_match["value"]) if given_match else "", fold(match["value"]))
        end = given_match.end() if given_match else match.end()
        profession = _PROFESSION.search(text, end, end + 200)
        yield (Found(match.start("value"), match.end("value"), person, "formulaire"),
               Found(given_match.start("value"), given_match.end("value"), person, "formulaire")
               if given_match else None, profession["value"] if profession else "")


def _signatories(text: str, names: list[Found]) -> Iterator[Person]:
    """Names printed alone on their line under a signing role ("La Directrice Générale des
    Services," / "Signé" / "Maryline VINCLAIRE"), up to six non-blank lines below it."""
    by_line: dict[int, list[Found]] = {}
    for name in names:
        if name.rule == "prénom":
            by_line.setdefault(text.rfind("\n", 0, name.start) + 1, []).append(name)
    for line_start, found in by_line.items():
        line_end = text.find("\n", line_start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        rest = line
        for name in reversed(found):
            a, b = name.start - line_start, name.end - line_start
            rest = rest[:a] + rest[b:]
        if rest.strip():
            continue
        above = [x for x in text[max(0, line_start - 600):line_start].split("\n")[:-1] if x.strip()][-6:]
        if any(_SIGNATURE_ROLE.search(x) for x in above):
            yield from (name.person for name in found)


def public_roles(text: str, names: list[Found],
                 known: Callable[[Person], bool] = lambda person: False) -> set[Person]:
    """The persons among `names` (read from `text`) that the text presents in a public role;
    those already `known` as public are not looked at again (they still start a list)."""
    found: set[Person] = set()
    previous_end = -1
    for name in names:
        if not name.person.surname or name.rule == "lieu":
            continue
        if known(name.person):
            previous_end = name.end
            continue
        listed = previous_end >= 0 and re.fullmatch(r"\s*(?:et|,)\s*", text[previous_end:name.start])
        if listed or _OFFICE_AFTER.match(text, name.end) or \
                _ROLE_BEFORE.search(text, max(0, name.start - 160), name.start):
            found.add(name.person)
            previous_end = name.end
        else:
            previous_end = -1
    for surname, _given, profession in forms(text):
        if _MANDATE.match(profession):
            found.add(surname.person)
    found.update(_signatories(text, names))
    return found
