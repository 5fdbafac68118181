"""Titles printed in capitals, written as a sentence with the words' own casing and accents.

A capital-letter title loses what a reader needs: accents ("L'ETAT"), acronyms ("RIFSEEP"), proper
nouns ("PAS-DE-CALAIS"). The same document's running text holds them: each word is written there
as it should be, mid-sentence, in mixed case. `Casing` learns that from the document's lines; a
title word the text never writes in lower or mixed case keeps what its shape says (a word without
a vowel, with a figure or in parentheses is an acronym; another is written in small letters).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from recueil.text.clean import fold

# A word: letters, joined by hyphens ("Pas-de-Calais") but not by apostrophes ("l'État" is two).
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # figures included: "A26" is one word
_VOWELS = frozenset("AEIOUY")
_ROMAN = re.compile(r"^[IVX]+$")


def in_capitals(text: str) -> bool:
    """Whether a text is printed in capitals (its letters all upper case, and there are letters)."""
    return text == text.upper() and text != text.lower()


def _running(line: str) -> bool:
    """A line of running text: mostly small letters (a heading in capitals teaches nothing)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and sum(c.islower() for c in letters) >= 0.6 * len(letters)


class Casing:
    """How a document writes each of its words in running text, keyed by the word folded."""

    def __init__(self, lines: Iterable[str]) -> None:
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for line in lines:
            if _running(line):
                for match in WORD.finditer(line):
                    word = match[0]
                    if len(word) > 1 and match.start() and not line[:match.start()].rstrip().endswith((".", ":")):
                        forms[fold(word)][word] += 1  # not a sentence's first word, capitalised by position
        self.forms = {key: _usual(counted) for key, counted in forms.items()}

    def word(self, printed: str, bracketed: bool = False) -> str:
        """A word of a title in capitals, as the running text writes it."""
        known = self.forms.get(fold(printed))
        if known is not None:
            return known
        bare = fold(printed)
        if bracketed or _ROMAN.match(bare) or any(c.isdigit() for c in bare) or (len(bare) > 1
                                                                                and not set(bare) & _VOWELS):
            return printed
        return printed.lower()

    def title(self, title: str) -> str:
        """The title as a sentence if printed in capitals ("CONTRACTUALISATION AVEC L'ETAT" →
        "Contractualisation avec l'État"); any other title as printed."""
        if not in_capitals(title):
            return title
        written = WORD.sub(lambda m: self.word(m[0], _bracketed(title, m.start(), m.end())), title)
        first = WORD.search(written)
        if first is None:
            return written
        return written[:first.start()] + written[first.start()].upper() + written[first.start() + 1:]


def _usual(forms: Counter[str]) -> str:
    """A word's usual form: in small letters when the text writes it so at least once in four (a
    capital there comes from a heading or a label: "Section d'Investissement"), else its most
    frequent form (a proper noun, an acronym)."""
    small = [form for form in forms if form == form.lower()]
    if small and forms[small[0]] * 4 >= forms.total():
        return small[0]
    return forms.most_common(1)[0][0]


def _bracketed(text: str, start: int, end: int) -> bool:
    """Whether a word stands alone in parentheses: "(FDE)", an acronym."""
    return text[start - 1:start] == "(" and text[end:end + 1] == ")"
