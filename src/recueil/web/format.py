"""How values are written on the pages: French dates, euros, labels of the domain's codes."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Callable

from markupsafe import Markup, escape

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
BODIES = {"conseil_departemental": "Conseil départemental", "commission_permanente": "Commission permanente"}
KINDS = {"deliberation": "Délibération", "report": "Rapport", "road_order": "Arrêté de voirie",
         "decision": "Décision", "order": "Arrêté", "listed_act": "Acte", "intervention": "Intervention",
         "motion": "Vœu"}
KINDS_PLURAL = {"deliberation": "Délibérations", "report": "Rapports", "road_order": "Arrêtés de voirie",
                "decision": "Décisions", "order": "Arrêtés", "listed_act": "Autres actes", "other": "Autres actes",
                "intervention": "Interventions", "motion": "Vœux"}
STATUSES = {"present": "Présents", "excused": "Excusés", "absent": "Absents",
            "non_voting_present": "Présents sans voix délibérative",
            "non_voting_excused": "Excusés sans voix délibérative"}
FACETS = {"type": "Type", "body": "Instance", "sitting": "Séance", "vote": "Vote", "group": "Groupe",
          "territory": "Territoire", "canton": "Canton", "epci": "EPCI", "commune": "Commune", "road": "Route"}
FACET_VALUES = {"type": KINDS_PLURAL, "body": {"cd": "Conseil départemental", "cp": "Commission permanente"},
                "vote": {"unanimous": "à l'unanimité", "abstentions": "avec abstentions",
                         "against": "avec votes contre"}}
TABLES = {"documents": "Documents", "sittings": "Séances", "deliberations": "Délibérations",
          "reports": "Rapports", "listed_acts": "Actes des sommaires", "interventions": "Prises de parole",
          "motions": "Vœux"}
RESULTS = {"adopte": "adoptée", "rejete": "rejetée"}
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv"}  # of the pages' twins


def date_fr(iso: str | None) -> str:
    """ "2025-09-22" → "22 septembre 2025" (the value as given when it is not an ISO date)."""
    if not iso:
        return ""
    try:
        day = Date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def euros(cents: int | None) -> str:
    """Integer cents → "55 000,00 €" (narrow no-break spaces between thousands)."""
    if cents is None:
        return ""
    units, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{units:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"


def label(value: Any, table: dict[str, str]) -> str:
    return table.get(value, str(value)) if value is not None else ""


def facet_value(value: str, facet: str) -> str:
    """A facet's value as shown ("unanimous" → "à l'unanimité"); labels of the index stay as they are."""
    return label(value, FACET_VALUES.get(facet, {}))


def councillor_link(person: dict[str, str]) -> Markup:
    """A person `{"name", "id"}` as a link to the councillor page (escaped)."""
    return Markup(f'<a class="councillor" href="/conseillers/{escape(person["id"])}">{escape(person["name"])}</a>')


def councillor_links(people: list[dict[str, str]]) -> Markup:
    """Names linked to their councillor pages, comma-separated; built here rather than by a
    template loop because a séance lists some eighty of them on every deliberation page."""
    return Markup(", ").join(councillor_link(p) for p in people)


FILTERS: dict[str, Callable[..., str]] = {
    "councillor": councillor_link,
    "councillors": councillor_links,
    "date_fr": date_fr,
    "euros": euros,
    "body": lambda v: label(v, BODIES),
    "kind": lambda v: label(v, KINDS),
    "kinds": lambda v: label(v, KINDS_PLURAL),
    "status": lambda v: label(v, STATUSES),
    "result": lambda v: label(v, RESULTS),
    "facet": lambda v: label(v, FACETS),
    "table": lambda v: label(v, TABLES),
    "facet_value": facet_value,
    "media_type": lambda v: MEDIA_TYPES[v],
}
