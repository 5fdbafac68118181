"""How values are written on the pages: French dates, euros, labels of the domain's codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from recueil.text.dates import date_fr
from recueil.vocabulary import (
    ATTENDANCE,
    RECORD_TYPES,
    RESULTS,
    SEARCH_TYPES,
    VOTE_CHOICES,
    assembly_name,
    capitalised,
    nomenclature,
    plural,
    singular,
)

KINDS = {key: capitalised(singular(key)) for key in SEARCH_TYPES}
KINDS_PLURAL = {key: capitalised(plural(key)) for key in (*SEARCH_TYPES, "other")}
STATUSES = {key: capitalised(label) for key, label in ATTENDANCE.items()}
AMOUNTS = {"ae": "Autorisation d'engagement", "ap": "Autorisation de programme", "cp": "Crédits de paiement",
           "depense": "Dépense", "recette": "Recette", "disponible": "Disponible", "inscrit": "Inscrit",
           "proposition": "Proposition", "proposition_d_inscription": "Proposition d'inscription",
           "solde": "Solde"}  # the columns of budget tables (ingest/budget.py), as printed
FACETS = {"type": "Type", "body": "Instance", "sitting": "Séance", "vote": "Vote", "group": "Groupe",
          "territory": "Territoire", "canton": "Canton", "epci": "EPCI", "commune": "Commune", "road": "Route"}
FACET_VALUES = {"type": KINDS_PLURAL,
                "vote": {"unanimous": "à l'unanimité", "abstentions": "avec abstentions",
                         "against": "avec votes contre"}}
TABLES = {f"{key}s": capitalised(record.plural) for key, record in RECORD_TYPES.items()}
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv"}  # of the pages' twins
POSITIONS = {"pour": "Pour", "contre": "Contre", "abstention": "Abstention", "ne_prend_pas_part": "Ne prend pas part",
             "absent": "Absent sans délégation de vote", None: "A voté (scrutin secret)"}  # of the vote ledger
GROUP_SOURCES = {"ledger": "membres de la séance tenue", "members": "liste des membres",
                 "vote": "nommé dans un vote", "motion": "vœu signé",
                 "absence": "absent sans délégation, groupe donné par le vote"}  # where a councillor's group was read


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
    if facet == "body":
        return assembly_name(value)
    if facet == "sitting":
        return sitting_name(value)
    return label(value, FACET_VALUES.get(facet, {}))


def sitting_name(id: str) -> str:
    """A séance id in words: "cd-2025-09-22" → "Conseil départemental du 22 septembre 2025"."""
    body, _, day = id.partition("-")
    return f"{assembly_name(body)} du {date_fr(day)}" if day else id


def matiere(code: str | None) -> str:
    """An ACTES code in words: "7.1" → "Décisions budgétaires (finances locales, 7.1)"."""
    names = nomenclature().get(code or "")
    return f"{capitalised(names[1])} ({names[0]}, {code})" if names else code or ""


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
    "matiere": matiere,
    "amount": lambda v: AMOUNTS.get(v, capitalised(v.replace("_", " "))),
    "body": assembly_name,
    "kind": lambda v: label(v, KINDS),
    "kinds": lambda v: label(v, KINDS_PLURAL),
    "status": lambda v: label(v, STATUSES),
    "result": lambda v: label(v, RESULTS),
    "facet": lambda v: label(v, FACETS),
    "table": lambda v: label(v, TABLES),
    "facet_value": facet_value,
    "sitting": sitting_name,
    "media_type": lambda v: MEDIA_TYPES[v],
    "position": lambda v: POSITIONS.get(v, str(v)),
    "vote_choice": lambda v: label(v, VOTE_CHOICES),
    "group_source": lambda v: " ; ".join(GROUP_SOURCES.get(part, part) for part in str(v).split("+")),
}
