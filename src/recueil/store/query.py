"""The search language: words, "phrases", AND/OR/NOT (ET/OU/SAUF), -word, prefix*, (groups).

A query is parsed into a small tree of analysed terms, independent of any database; each backend
compiles the tree into its own syntax. Anything that cannot be parsed raises `QueryError` with a
one-line reason in French, meant to be shown to the person who typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recueil.store.analysis import STOP_WORDS, stems, tokens, words


class QueryError(ValueError):
    """A malformed search query; the message (in French) says what is wrong."""


@dataclass(frozen=True)
class Term:
    """A word or a phrase: its folded tokens and their stems; `prefix` when it ends with `*`
    (`completions`: the indexed words it stands for, when a backend looked them up)."""

    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    prefix: bool = False
    completions: tuple[str, ...] = ()


@dataclass(frozen=True)
class And:
    include: tuple[Node, ...]
    exclude: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or:
    options: tuple[Node, ...]


Node = Term | And | Or

MIN_PREFIX = 3
# Limits of what a query may ask, so that none costs more than a search should (see `store/search.py`
# for the words a prefix adds). A person types a few words and two levels of parentheses; a long
# pasted title holds some fifteen words that are not stop words. Deeper or longer is generated.
# What costs is a list of hits walked to its end, which happens when few entries hold the query: at
# 1M acts, about 8 ms for each common word ANDed, 20 ms for each excluded, 30 to 50 ms for each
# phrase (its positions are read: "travaux juin", "Pas-de-Calais", "2025-361" are phrases).
MAX_DEPTH = 8  # parentheses within parentheses: the parser and the compiled query recurse per level
MAX_TERMS = 16  # words, each word of a phrase counted: each is a list of hits, counted and scored
MAX_PHRASES = 3  # phrases of two words or more
_OPERATORS = {"AND": "AND", "ET": "AND", "OR": "OR", "OU": "OR", "NOT": "NOT", "SAUF": "NOT"}
_LEXEME = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_ACT_NUMBER = re.compile(r"^\s*(?:n\s*[°º o]\.?\s*|num[ée]ro\s*)?(\d{4})\s*-\s*(\d{1,4})\s*$", re.IGNORECASE)


def act_number(query: str) -> str | None:
    """"2025-361", "n°2021-232", "N° 2021-232" → the act number, else None."""
    match = _ACT_NUMBER.match(query)
    return f"{match[1]}-{match[2]}" if match else None


def _lex(query: str) -> list[tuple[str, str]]:
    lexemes: list[tuple[str, str]] = []
    position = 0
    while position < len(query.rstrip()):
        match = _LEXEME.match(query, position)
        if not match:  # only trailing spaces remain
            break
        position = match.end()
        if match["phrase"] is not None:
            text = match["phrase"]
            if len(text) < 2 or not text.endswith('"'):
                raise QueryError(f"guillemet non fermé : {text}")
            lexemes.append(("phrase", text[1:-1]))
        elif match["paren"]:
            lexemes.append((match["paren"], match["paren"]))
        elif match["word"] in _OPERATORS:
            lexemes.append((_OPERATORS[match["word"]], match["word"]))
        elif match["word"].startswith("-") and len(match["word"]) > 1:
            lexemes.append(("NOT", "-"))
            lexemes.append(("word", match["word"][1:]))
        else:
            lexemes.append(("word", match["word"]))
    return lexemes


def _term(kind: str, text: str) -> Term | None:
    """A word or phrase as analysed tokens; None when it holds only stop words."""
    if kind == "word" and text.endswith("*"):
        folded = tokens(text.rstrip("*"))
        if not folded or len(folded[-1]) < MIN_PREFIX:
            raise QueryError(f"préfixe trop court : {text} (au moins {MIN_PREFIX} lettres avant *)")
        folded = [t for t in folded[:-1] if t not in STOP_WORDS] + folded[-1:]
        return Term(tuple(folded), tuple(stems(folded)), prefix=True)
    if "*" in text and kind == "word":
        raise QueryError(f"* se place à la fin d'un mot : {text}")
    found = words(text)
    return Term(tuple(found), tuple(stems(found))) if found else None


class _Parser:
    """Recursive descent: OR binds loosest, then AND (also implicit), then NOT."""

    def __init__(self, lexemes: list[tuple[str, str]]) -> None:
        self.lexemes = lexemes
        self.at = 0
        self.depth = 0
        self.terms = 0
        self.phrases = 0

    def peek(self) -> str | None:
        return self.lexemes[self.at][0] if self.at < len(self.lexemes) else None

    def take(self) -> tuple[str, str]:
        lexeme = self.lexemes[self.at]
        self.at += 1
        return lexeme

    def parse(self) -> Node | None:
        node = self.or_()
        if self.peek() == ")":
            raise QueryError("parenthèse fermante sans parenthèse ouvrante")
        return node

    def or_(self) -> Node | None:
        if self.peek() == "OR":
            raise QueryError(f"{self.take()[1]} sans terme à sa gauche")
        options = [self.and_()]
        while self.peek() == "OR":
            operator = self.take()[1]
            if self.peek() in (None, ")", "OR"):
                raise QueryError(f"{operator} sans terme à sa droite")
            options.append(self.and_())
        kept = tuple(o for o in options if o is not None)
        return kept[0] if len(kept) == 1 else Or(kept) if kept else None

    def and_(self) -> Node | None:
        include: list[Node] = []
        exclude: list[Node] = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                operator = self.take()[1]
                if not (include or exclude) or self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError(f"{operator} doit relier deux termes")
                continue
            negated = self.peek() == "NOT"
            if negated:
                operator = self.take()[1]
                if self.peek() in (None, ")", "OR", "AND", "NOT"):
                    raise QueryError(f"{operator} doit être suivi du terme à exclure")
            node = self.primary()
            if node is not None:
                (exclude if negated else include).append(node)
        if exclude and not include:
            raise QueryError("une exclusion (NOT, -) doit accompagner au moins un terme cherché")
        if not exclude and len(include) == 1:
            return include[0]
        return And(tuple(include), tuple(exclude)) if include else None

    def primary(self) -> Node | None:
        kind, text = self.take()
        if kind == "(":
            if self.peek() == ")":
                raise QueryError("parenthèses vides")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"trop de parenthèses imbriquées : au plus {MAX_DEPTH} niveaux")
            node = self.or_()
            if self.peek() != ")":
                raise QueryError("parenthèse non fermée")
            self.take()
            self.depth -= 1
            return node
        term = _term(kind, text)
        if term is not None:
            self.terms += len(term.tokens)
            self.phrases += len(term.tokens) > 1
            if self.terms > MAX_TERMS:
                raise QueryError(f"requête trop longue : au plus {MAX_TERMS} mots (hors mots courants ; chaque mot "
                                 "d'une expression compte)")
            if self.phrases > MAX_PHRASES:
                raise QueryError(f"trop d'expressions : au plus {MAX_PHRASES} (entre guillemets, ou mots liés "
                                 "comme Pas-de-Calais)")
        return term


class NothingToSearch(QueryError):
    """A well-formed query that holds no word to search (only stop words or signs): the search
    finds nothing and says why; an alert on it is refused."""


def parse_query(query: str) -> Node:
    """The tree of a query; raises QueryError when it is malformed, NothingToSearch when it holds
    no word to search."""
    if not query.strip():
        raise QueryError("requête vide")
    node = _Parser(_lex(query)).parse()
    if node is None:
        raise NothingToSearch(f"rien à chercher dans « {query.strip()} » (seulement des mots trop courants)")
    return node
