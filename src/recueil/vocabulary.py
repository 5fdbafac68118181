"""The words of the domain, written once: assemblies, kinds of record, votes and attendance, with
the French each reads as. Every layer takes its labels from here, so that a new assembly or a new
kind of record is one change here (plus, for an assembly, the rules that recognise it in print).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from recueil.text.clean import fold


@dataclass(frozen=True)
class Assembly:
    """A deliberating assembly (an "organe"). `body` is the value of the records' `body` field,
    `short` the prefix of its séance ids and its value in the search filters, `name` how pages
    call it, `heading` how the acts it adopts are headed; `feminine` picks "de la" or "du"."""

    body: str
    short: str
    name: str
    heading: str
    feminine: bool = False

    def of(self) -> str:
        """"du conseil départemental", "de la commission permanente du Conseil départemental"."""
        heading = self.heading[:1].lower() + self.heading[1:]
        if heading and fold(heading[0]) in "AEIOUY":
            return f"de l'{heading}"
        return f"{'de la' if self.feminine else 'du'} {heading}"


ASSEMBLIES: dict[str, Assembly] = {}  # by body, in order of registration
_NAMED: dict[str, Assembly] = {}  # by every folded way of naming one


def _key(name: str) -> str:
    return fold(name).replace(" ", "_")


def _names(assembly: Assembly) -> set[str]:
    return {_key(assembly.body), _key(assembly.short), _key(assembly.name)}


def register_assembly(assembly: Assembly) -> Assembly:
    """Adds an assembly; its names must be new (they key records and séance ids)."""
    if _names(assembly) & _NAMED.keys():
        raise ValueError(f"organe déjà enregistré : {assembly.body} ({assembly.short})")
    ASSEMBLIES[assembly.body] = assembly
    _NAMED.update(dict.fromkeys(_names(assembly), assembly))
    return assembly


def unregister_assembly(body: str) -> None:
    gone = ASSEMBLIES.pop(body, None)
    if gone:
        for name in _names(gone):
            del _NAMED[name]


def assembly(value: str | None) -> Assembly | None:
    """The assembly a value names: its body, its short name or its name as printed, in any case
    and accents ("cp", "commission_permanente", "COMMISSION PERMANENTE")."""
    return _NAMED.get(_key(value)) if value else None


def assembly_name(body: str | None) -> str:
    found = assembly(body)
    return found.name if found else body or ""


def assembly_heading(body: str | None) -> str:
    found = assembly(body)
    return found.heading if found else body or ""


CONSEIL_DEPARTEMENTAL = register_assembly(
    Assembly("conseil_departemental", "cd", "Conseil départemental", "Conseil départemental"))
COMMISSION_PERMANENTE = register_assembly(
    Assembly("commission_permanente", "cp", "Commission permanente",
             "Commission permanente du Conseil départemental", feminine=True))
# The assemblies of the other collectivités whose publications recueil reads (DESIGN.md section 2).
CONSEIL_MUNICIPAL = register_assembly(Assembly("conseil_municipal", "cm", "Conseil municipal", "Conseil municipal"))
CONSEIL_COMMUNAUTAIRE = register_assembly(
    Assembly("conseil_communautaire", "cc", "Conseil communautaire", "Conseil communautaire"))
BUREAU = register_assembly(
    Assembly("bureau_communautaire", "bu", "Bureau communautaire", "Bureau communautaire"))
CONSEIL_REGIONAL = register_assembly(Assembly("conseil_regional", "cr", "Conseil régional", "Conseil régional"))
COMITE_SYNDICAL = register_assembly(Assembly("comite_syndical", "cs", "Comité syndical", "Comité syndical"))


@dataclass(frozen=True)
class RecordType:
    """A kind of record, as French names it (lower case; pages capitalise)."""

    singular: str
    plural: str


RECORD_TYPES = {
    "document": RecordType("document", "documents"),
    "sitting": RecordType("séance", "séances"),
    "deliberation": RecordType("délibération", "délibérations"),
    "report": RecordType("rapport", "rapports"),
    "road_order": RecordType("arrêté de voirie", "arrêtés de voirie"),
    "decision": RecordType("décision", "décisions"),
    "order": RecordType("arrêté", "arrêtés"),
    "listed_act": RecordType("acte au sommaire", "actes au sommaire"),
    "other": RecordType("autre acte", "autres actes"),  # a listed act of no kind the sommaire names
    "intervention": RecordType("prise de parole", "prises de parole"),
    "motion": RecordType("vœu", "vœux"),
}
# What the search finds, in the order its filters list them (acts of the President are listed acts
# of a known kind; the others keep `listed_act`).
SEARCH_TYPES = ("deliberation", "report", "road_order", "decision", "order", "listed_act", "intervention", "motion")
# What one ingested publication counts, in the order the ingest summary prints them.
COUNTED_TYPES = ("sitting", "deliberation", "report", "listed_act", "intervention", "motion")


def singular(record_type: str) -> str:
    found = RECORD_TYPES.get(record_type)
    return found.singular if found else record_type


def plural(record_type: str) -> str:
    found = RECORD_TYPES.get(record_type)
    return found.plural if found else record_type


def capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


DECISIONS = ("DECIDE", "DONNE ACTE", "INFORME")  # the verbs a deliberation's operative part opens with

# The choices of a vote, in the order acts print them, as the per-choice counts of a vote are keyed.
VOTE_CHOICES = {"pour": "pour", "contre": "contre", "abstention": "abstention",
                "ne_prend_pas_part": "ne prend pas part", "absent_sans_delegation": "absent sans délégation"}
RESULTS = {"adopte": "adoptée", "rejete": "rejetée", "prend_acte": "prise d'acte", "retire": "retirée",
           "reporte": "reportée"}
ATTENDANCE = {"present": "présents", "excused": "excusés", "absent": "absents",
              "non_voting_present": "présents sans voix délibérative",
              "non_voting_excused": "excusés sans voix délibérative"}


@cache
def nomenclature() -> dict[str, tuple[str, str]]:
    """Code → (matière, sous-matière) as the ACTES nomenclature writes them, in lower case
    ("finances locales", "subventions")."""
    with resources.files("recueil").joinpath("actes-nomenclature.csv").open(encoding="utf-8") as handle:
        return {row["code"]: (row["matiere"], row["sous_matiere"]) for row in csv.DictReader(handle)}


def matiere_name(code: str) -> str:
    """"matière/sous-matière", as SCDL writes DELIB_MATIERE_NOM ("finances locales/subventions")."""
    return "/".join(nomenclature()[code])
