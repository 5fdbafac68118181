"""The vote of a deliberation as a small chart, drawn server-side as SVG: one bar per choice
(its votes), then one row per political group with the choices it took.

The acts print the votes per choice and the groups per choice, not the votes per group, so a
group is drawn with a mark for each choice it took (a group can be split: some members for, the
rest abstaining). Only the geometry lives here (so it can be tested); the template draws the SVG
and, beside it, the same figures as a table for screen readers and text browsers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHOICES = (("pour", "Pour"), ("contre", "Contre"), ("abstention", "Abstention"),
           ("ne_prend_pas_part", "Ne prend pas part"), ("absent_sans_delegation", "Absent sans délégation"))
BAR_WIDTH = 300  # px, the longest possible bar (all members in office)
ROW_HEIGHT = 28
GROUP_HEIGHT = 44  # a group's name, and under it its marks
MARK_WIDTH = 120


@dataclass
class Bar:
    choice: str
    label: str
    votes: int
    groups: list[str]
    y: int
    width: int


def vote_bars(vote: dict[str, Any]) -> list[Bar]:
    """One bar per choice that received votes (or names a group), scaled on the members in office
    (or the sum of the choices when the act does not print it)."""
    total = vote.get("en_exercice") or sum(vote.get(c) or 0 for c, _ in CHOICES) or 1
    groups = vote.get("groups") or {}
    bars: list[Bar] = []
    for choice, label in CHOICES:
        votes = vote.get(choice) or 0
        if votes or groups.get(choice):
            bars.append(Bar(choice, label, votes, list(groups.get(choice) or []), len(bars) * ROW_HEIGHT,
                            max(2, round(BAR_WIDTH * votes / total)) if votes else 0))
    return bars


@dataclass
class Mark:
    choice: str
    label: str
    x: int


@dataclass
class GroupRow:
    name: str
    y: int
    marks: list[Mark]


def group_rows(vote: dict[str, Any], top: int) -> list[GroupRow]:
    """One row per group named by the vote, in the order the act names them, from `top` down."""
    groups = vote.get("groups") or {}
    taken: dict[str, list[tuple[str, str]]] = {}
    for choice, label in CHOICES:
        for group in groups.get(choice) or []:
            taken.setdefault(group, []).append((choice, label))
    return [GroupRow(name, top + n * GROUP_HEIGHT,
                     [Mark(choice, label, i * MARK_WIDTH) for i, (choice, label) in enumerate(marks)])
            for n, (name, marks) in enumerate(taken.items())]
