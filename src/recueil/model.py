"""The records of a publication (DESIGN.md section 2), as plain dataclasses.

Every record carries a `Source` (document and line range) so that any value can be traced back to
the printed text. `to_dict` gives the JSONL shape of DESIGN.md section 4.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from recueil.vocabulary import assembly

Body = str  # the `body` of a registered assembly (vocabulary.py): "conseil_departemental"…
DocumentKind = str  # the name of a registered publication kind (ingest/kinds/): "recueil"…
# What became of an item put to the assembly (vocabulary.RESULTS names each in French).
Result = Literal["adopte", "rejete", "prend_acte", "retire", "reporte"]


def sitting_id(body: str, date: str) -> str:
    """Stable identifier of a séance: its assembly's short name and its date ("cd-2025-09-22")."""
    found = assembly(body)
    return f"{found.short if found else body}-{date}"


LIST = "liste"
TRANSCRIPT = "proces-verbal"


def list_id(sitting: str) -> str:
    """The register identifier of a séance's list of deliberations ("cp-2021-06-07/liste")."""
    return f"{sitting}/{LIST}"


def transcript_id(sitting: str) -> str:
    """The register identifier of a séance's procès-verbal ("cd-2025-09-22/proces-verbal")."""
    return f"{sitting}/{TRANSCRIPT}"


@dataclass
class Source:
    """Where a record was read: file name, 1-based inclusive line range and, from a PDF, pages."""

    document: str
    first_line: int
    last_line: int
    first_page: int | None = None
    last_page: int | None = None


@dataclass
class Proxy:
    """A délégation de vote: `giver` is absent and `holder` votes for them (None: a procès-verbal
    that names only the absent members who voted by proxy)."""

    giver: str
    holder: str | None


@dataclass
class Attendance:
    """Présents / excusés / absents, as printed for one act (it changes during a séance).

    Members "sans voix délibérative" (in 2021, councillors not on the Commission permanente)
    are listed apart: they do not count towards the members in office.
    """

    present: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    non_voting_present: list[str] = field(default_factory=list)
    non_voting_excused: list[str] = field(default_factory=list)


@dataclass
class Vote:
    """A vote block ("Dans les conditions de vote ci-dessous"), counts and the groups named; or a
    vote as minutes tell it ("à l'unanimité", "10 votes pour. 2 Abstentions"). `unanimous`: the
    text says so; `derived`: the counts were not printed but follow from the attendance (a
    unanimous vote counts the members present and represented). `blancs` and `nuls` are those of
    a secret ballot; `named` gives, by choice, the members printed against or abstaining
    ("CONTRE : 1 (Mme DEFOSSEZ)"): members, never groups."""

    pour: int = 0
    contre: int = 0
    abstention: int = 0
    absent_sans_delegation: int = 0
    ne_prend_pas_part: int = 0
    en_exercice: int | None = None
    presents: int | None = None
    delegations: int | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)
    result: Result | None = None
    members: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    first_line: int | None = None
    unanimous: bool = False
    derived: bool = False
    blancs: int | None = None
    nuls: int | None = None
    named: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Commission:
    """The thematic commission that examined the rapport, and the date of its opinion."""

    number: int | None
    name: str
    date: str | None


@dataclass
class CitedDeliberation:
    """An earlier deliberation cited in a visa: a link between acts."""

    number: str
    date: str | None
    body: Body | None = None


@dataclass
class Visa:
    text: str
    deliberations: list[CitedDeliberation] = field(default_factory=list)


@dataclass
class Article:
    number: str
    text: str


@dataclass
class BudgetLine:
    """One imputation line of a budget table (amounts in integer cents, by column name)."""

    operation: str
    imputation: str
    label: str
    amounts: dict[str, int] = field(default_factory=dict)


@dataclass
class Conflict:
    """A councillor with an interest in the affair, who took no part in the vote."""

    name: str
    text: str


@dataclass
class Annex:
    """A piece annexed to an act or to its rapport (a table of grants, a consultation record),
    kept line for line as printed: its layout is its meaning, and it may name private persons
    (masked when published, see publish/masking.py)."""

    of: Literal["deliberation", "report"]
    text: str
    source: Source


@dataclass
class Deliberation:
    number: str
    title: str
    body: Body
    sitting_date: str
    decision: str | None
    source: Source
    sent_to_prefecture: str | None = None
    received_by_prefecture: str | None = None
    posted: str | None = None
    published: str | None = None
    ack: str | None = None
    report_number: int | None = None
    commission: Commission | None = None
    visas: list[Visa] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    attendance: Attendance = field(default_factory=Attendance)
    vote: Vote | None = None
    amounts: list[BudgetLine] = field(default_factory=list)
    matiere_code: str | None = None
    matiere_reason: str | None = None  # why that code: the rule and the words it matched
    conflicts: list[Conflict] = field(default_factory=list)
    president: str | None = None
    secretary: str | None = None
    signed_at: str | None = None
    text: str = ""
    annexes: list[Annex] = field(default_factory=list)
    result: Result | None = None  # what became of the item: its vote's result, or "retire"…
    display_title: str | None = None  # the title as a sentence when printed in capitals (text/casing.py)


@dataclass
class Report:
    number: int
    title: str
    source: Source
    deliberation: str | None = None
    pole: str | None = None
    direction: str | None = None
    service: str | None = None
    territories: list[str] = field(default_factory=list)
    cantons: list[str] = field(default_factory=list)
    epci: list[str] = field(default_factory=list)
    commission_opinion: str | None = None
    amounts: list[BudgetLine] = field(default_factory=list)
    text: str = ""
    display_title: str | None = None  # as the deliberation's


@dataclass
class Period:
    start: str | None
    end: str | None


@dataclass
class ListedAct:
    """An act known only from a sommaire line (title, page, section)."""

    kind: Literal["road_order", "decision", "order", "other"]
    part: str | None
    section: str | None
    title: str
    page: int | None
    source: Source
    roads: str | None = None
    communes: str | None = None
    object: str | None = None
    period: Period | None = None
    road_codes: list[str] = field(default_factory=list)
    commune_names: list[str] = field(default_factory=list)


@dataclass
class AgendaItem:
    number: int
    title: str
    page: int | None = None
    display_title: str | None = None  # as the deliberation's


@dataclass
class Movement:
    """A member who comes or goes during the séance ("Madame X entre en séance", "M. Y quitte la
    séance", "arrivé à 19 h 10", "présent à partir du point 5"): `item` is the first item the
    member votes on (arrival) or the last one before leaving, when known."""

    name: str
    kind: Literal["arrivee", "depart"]
    item: int | None
    at: str | None
    line: int


@dataclass
class Sitting:
    id: str
    body: Body
    date: str
    source: Source
    president: str | None = None
    secretary: str | None = None
    opened_at: str | None = None
    closed_at: str | None = None
    present: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)


@dataclass
class Intervention:
    """One speaking turn of the procès-verbal, in order (`seq` from 1)."""

    sitting: str
    seq: int
    speaker: str
    speaker_name: str | None
    agenda_item: int | None
    text: str
    first_line: int
    last_line: int
    first_page: int | None = None
    last_page: int | None = None


@dataclass
class Motion:
    """A vœu filed by a group, with its signatories."""

    title: str
    filed_by: str | None
    text: str
    signatories: list[str]
    source: Source


@dataclass
class Warning:
    """A cross-check that failed or a part of the input that could not be read."""

    code: str
    message: str
    line: int | None = None
    record: str | None = None


@dataclass
class Document:
    id: str
    sha256: str
    source: str
    kind: DocumentKind
    title: str
    ocr_pages: list[int] = field(default_factory=list)  # pages of a PDF read by OCR: text to check
    unread_pages: list[int] = field(default_factory=list)  # pages of a PDF left unread (no OCR here)
    collectivite: str | None = None  # as the document names itself: "Commune de Pierrefonds"


@dataclass
class Publication:
    """Everything read from one document: the unit stored in one transaction."""

    document: Document
    sittings: list[Sitting] = field(default_factory=list)
    deliberations: list[Deliberation] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    listed_acts: list[ListedAct] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    motions: list[Motion] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "sitting": len(self.sittings),
            "deliberation": len(self.deliberations),
            "report": len(self.reports),
            "listed_act": len(self.listed_acts),
            "intervention": len(self.interventions),
            "motion": len(self.motions),
        }


def to_dict(record: Any) -> dict[str, Any]:
    """The record as plain JSON-ready data (nested dataclasses become dicts)."""
    return asdict(record)
