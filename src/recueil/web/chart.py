"""The vote of a deliberation as a small chart, drawn server-side as SVG: one bar per choice
(its votes), then one row per political group with the choices it took.

The acts print the votes per choice and the groups per choice, rarely the votes per group, so a
group is drawn with a mark for each choice it took (a group can be split: some members for, the
rest abstaining); the table gives a group's votes beside its name where they are known (the
ledger's, or those the block fixes: store/groups.py). Only the geometry lives here (so it can be tested); the template draws the SVG
and, beside it, the same figures as a table for screen readers and text browsers.

The layout is stacked (a label above its bar, a group's marks under its name) and no wider than
a phone's column, so the SVG is drawn at its own size and its text never shrinks below 13 px.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recueil.store.groups import Counts, slug
from recueil.vocabulary import VOTE_CHOICES, capitalised

CHOICES = tuple((choice, capitalised(label)) for choice, label in VOTE_CHOICES.items())
CHART_WIDTH = 340  # px, fits the 358 px column of a 390 px phone
BAR_WIDTH = 290  # px, the longest possible bar (all members in office), leaving room for its figure
ROW_HEIGHT = 46  # a choice's label, and under it its bar
GROUP_HEIGHT = 44  # a group's name, and under it its marks
LINE_HEIGHT = 20  # a further line of a long group name, or of marks that did not fit
NAME_CHARS = 34  # a group name longer than this goes on several lines
MARK_BOX = 14  # the coloured square of a mark; its label follows after 5 px
MARK_GAP = 16
CHAR_WIDTH = 7.5  # px, a generous average width of a 13 px character, to place marks side by side


@dataclass
class Bar:
    choice: str
    label: str
    votes: int
    groups: list[str]
    y: int
    width: int


def vote_bars(vote: dict[str, Any], counts: Counts | None = None) -> list[Bar]:
    """One bar per choice that received votes (or names a group), scaled on the members in office
    (or the sum of the choices when the act does not print it); each group of a choice followed by
    its votes there when `counts` (by group, any spelling) give them: "Groupe … (7)"."""
    total = vote.get("en_exercice") or sum(vote.get(c) or 0 for c, _ in CHOICES) or 1
    groups = vote.get("groups") or {}
    known = {slug(group): by_choice for group, by_choice in (counts or {}).items()}
    bars: list[Bar] = []
    for choice, label in CHOICES:
        votes = vote.get(choice) or 0
        if votes or groups.get(choice):
            named = [g if (n := known.get(slug(g), {}).get(choice)) is None else f"{g} ({n})"
                     for g in groups.get(choice) or []]
            bars.append(Bar(choice, label, votes, named, len(bars) * ROW_HEIGHT,
                            max(2, round(BAR_WIDTH * votes / total)) if votes else 0))
    return bars


@dataclass
class Mark:
    choice: str
    label: str
    x: int
    y: int  # of the mark's square, from the top of its group


@dataclass
class GroupRow:
    name: str
    lines: list[str]  # the name cut at spaces to fit the chart
    y: int
    marks: list[Mark]
    height: int


def name_lines(name: str, width: int = NAME_CHARS) -> list[str]:
    """A group name cut at spaces into lines of at most `width` characters (a longer word alone)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [name]


def place_marks(taken: list[tuple[str, str]], top: int) -> list[Mark]:
    """Marks side by side from `top`, going to a new line when the next one would leave the chart."""
    marks: list[Mark] = []
    x, y = 0, top
    for choice, label in taken:
        width = MARK_BOX + 5 + round(len(label) * CHAR_WIDTH)
        if x and x + width > CHART_WIDTH:
            x, y = 0, y + LINE_HEIGHT
        marks.append(Mark(choice, label, x, y))
        x += width + MARK_GAP
    return marks


def group_rows(vote: dict[str, Any], top: int) -> list[GroupRow]:
    """One row per group named by the vote, in the order the act names them, from `top` down."""
    groups = vote.get("groups") or {}
    taken: dict[str, list[tuple[str, str]]] = {}
    for choice, label in CHOICES:
        for group in groups.get(choice) or []:
            taken.setdefault(group, []).append((choice, label))
    rows: list[GroupRow] = []
    y = top
    for name, choices in taken.items():
        lines = name_lines(name)
        marks = place_marks(choices, 24 + (len(lines) - 1) * LINE_HEIGHT)
        height = GROUP_HEIGHT + marks[-1].y - 24
        rows.append(GroupRow(name, lines, y, marks, height))
        y += height
    return rows
