"""The rules a sitting is held under, per assembly, and the refusal a broken rule gives.

Each assembly that can hold a sitting names the articles of the CGCT its rules come from: a new
assembly is one entry here. A refusal is one French line per broken rule, naming the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from recueil.vocabulary import assembly_name


class Refused(Exception):
    """A step, a file or a list broke rules; `reasons` holds one French line for each, and
    nothing was changed."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class AssemblyRules:
    """`represented`: whether members represented by a proxy count towards the quorum."""

    quorum_article: str
    represented: bool
    proxy_article: str = "L3121-16"
    public_vote_article: str = "L3121-15"


RULES = {
    "conseil_departemental": AssemblyRules("L3121-14", represented=False),
    "commission_permanente": AssemblyRules("L3122-6", represented=True),
}
RECONVENED_AFTER_DAYS = 3  # a sitting reconvened for want of quorum deliberates whatever the number


def rules_for(body: str) -> AssemblyRules:
    found = RULES.get(body)
    if found is None:
        raise Refused([f"organe sans règles de séance : {assembly_name(body)} (connus : {', '.join(RULES)})"])
    return found


@dataclass(frozen=True)
class Quorum:
    """The quorum before one vote: the absolute majority of the members in office, counted over
    those present, or present or represented (`represented` is then added); a sitting reconvened
    for want of quorum deliberates whatever the number."""

    in_office: int
    present: int
    represented: int
    counts_represented: bool
    reconvened: bool = False

    @property
    def required(self) -> int:
        return self.in_office // 2 + 1

    @property
    def counted(self) -> int:
        return self.present + (self.represented if self.counts_represented else 0)

    @property
    def reached(self) -> bool:
        return self.reconvened or self.counted >= self.required

    def describe(self) -> str:
        """ "38 présents sur 78 en exercice, 40 requis"."""
        who = "présents ou représentés" if self.counts_represented else "présents"
        return f"{self.counted} {who} sur {self.in_office} en exercice, {self.required} requis"
