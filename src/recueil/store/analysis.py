"""The French analyser of the search index: text → exact tokens and stems.

Done in Python (not in an SQLite tokenizer) so that every backend indexes the same tokens and
queries are analysed exactly like documents. Tokens are folded (lower case, no accents, œ → oe),
French elisions and stop words dropped, then stemmed with Snowball French (PyStemmer, MIT/BSD).
Stems are computed from the folded word, so "deliberation" typed without accents gets the stem of
"délibération".
"""

from __future__ import annotations

import unicodedata
from itertools import filterfalse

import Stemmer

_STEMMER = Stemmer.Stemmer("french", 0)  # no cache of its own: see _STEMS


# bytes.translate table: letters and digits stay, any other byte separates words
_SEPARATE = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + b" " * 128
_JOINING_SIGNS = ("\u2019", "\u2018", "°", "\u2013", "\u2014", "\u2026", "\u00a0", "\u202f")

# Articles, prepositions, pronouns and elided letters ("d'abord" → "abord"). "pas" is kept:
# it is a word of "Pas-de-Calais".
STOP_WORDS = frozenset(
    """a au aux c ce ces cet cette d dans de des du elle elles en et il ils j l la le les leur leurs
    lui m ma mes n ne nous on ou par pour qu que qui s sa se ses son sur t ta te tes un une vos votre
    vous y""".split()
)

# Snowball collisions seen on the corpus that merge unrelated words: "voirie" would become "voir"
# (to see). The same idea as Lucene's StemmerOverrideFilter; exact matches still rank first.
# A longer run of letters is no word (damaged text): it is searchable but never offered as a
# completion, and no filter value is keyed by more (PostgreSQL bounds what a btree entry holds).
LONGEST_WORD = 100
STEM_OVERRIDES = {"voirie": "voiri", "voiries": "voiri", "voeux": "voeu"}


def _ascii(text: str) -> bytes:
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    for sign in _JOINING_SIGNS:
        text = text.replace(sign, " ")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore")


def ascii_lower(text: str) -> str:
    """Lower case ASCII: accents dropped, œ → oe; the signs that join words in print (’ ° –) become
    spaces, other non-ASCII signs vanish (str and bytes methods only: this runs on every indexed byte)."""
    return _ascii(text).decode("ascii")


def tokens(text: str) -> list[str]:
    """Every folded word of a text, stop words included."""
    return _ascii(text).translate(_SEPARATE).decode("ascii").split()


def words(text: str) -> list[str]:
    """The folded words of a text that carry meaning (stop words and elisions dropped)."""
    return list(filterfalse(STOP_WORDS.__contains__, tokens(text)))


# Stems already computed: the vocabulary of acts is small and stemming is the costly step.
_STEMS: dict[str, str] = dict(STEM_OVERRIDES)


def stems(tokens: list[str]) -> list[str]:
    """The Snowball stems of folded words (with the overrides above)."""
    new = list(set(tokens).difference(_STEMS))
    if new:
        if len(_STEMS) > 500_000:
            _STEMS.clear()
            _STEMS.update(STEM_OVERRIDES)
        _STEMS.update(zip(new, _STEMMER.stemWords(new)))
    return list(map(_STEMS.__getitem__, tokens))
