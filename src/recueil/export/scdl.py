"""SCDL « Délibérations » 2.1.5: one CSV row per deliberation, as open-data portals expect it.

The 17 columns of the schema published by OpenDataFrance, in its order, UTF-8, comma-separated
(DESIGN.md §4). Rows are built from the stored records (the JSONL objects): the vote columns from
the vote ledger where a recorded sitting voted the act, else from the vote block it prints; the
matière from the code given at ingest (`recueil.ingest.matiere`); and what the documents do not
print (name, SIRET, préfecture, site) from the configuration.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import IO, Any

from recueil.config import Collectivite
from recueil.text.clean import fold, squash
from recueil.vocabulary import matiere_name, nomenclature

COLUMNS = (
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
    "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
    "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
)
# The Département's acts are charged to its main budget ("imputée sur le budget départemental").
MAIN_BUDGET = "Budget principal"
FISCAL_YEAR = re.compile(r"\bEXERCICE (\d{4})\b")


class ScdlError(ValueError):
    """A deliberation lacks a value the schema requires; the message (in French) names it."""


def row(deliberation: dict[str, Any], collectivite: Collectivite,
        casts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The SCDL row of one deliberation record (None where the documents say nothing); `casts`,
    its `vote_cast` records when a recorded sitting voted it: the vote columns then come from them."""
    number = deliberation["number"]
    code = deliberation.get("matiere_code")
    if not deliberation.get("sitting_date"):
        raise ScdlError(f"délibération {number} : date de séance inconnue, exigée par le format SCDL")
    if code not in nomenclature():
        raise ScdlError(f"délibération {number} : code matière absent ou inconnu ({code}) ; "
                        "la base vient d'une version antérieure, relancer l'ingestion dans une base neuve")
    vote = deliberation.get("vote")
    attendance = deliberation.get("attendance") or {}
    transmitted = deliberation.get("received_by_prefecture") or deliberation.get("sent_to_prefecture")
    budget_year = _budget_year(deliberation)
    return {
        "COLL_NOM": collectivite.nom,
        "COLL_SIRET": collectivite.siret,
        "DELIB_ID": number,
        "DELIB_DATE": deliberation["sitting_date"],
        "DELIB_MATIERE_CODE": code,
        "DELIB_MATIERE_NOM": matiere_name(code),
        "DELIB_OBJET": squash(deliberation["title"]),
        "BUDGET_ANNEE": budget_year,
        "BUDGET_NOM": MAIN_BUDGET if budget_year else None,
        "PREF_ID": collectivite.prefecture if transmitted or deliberation.get("ack") else None,
        "PREF_DATE": transmitted,
        # members in office: printed with some vote blocks, else the voting members listed for the act
        "VOTE_EFFECTIF": (vote or {}).get("en_exercice")
        or sum(len(attendance.get(k) or []) for k in ("present", "excused", "absent")) or None,
        # those who took part: present or represented, less those who did not vote
        "VOTE_REEL": vote["pour"] + vote["contre"] + vote["abstention"] if vote else None,
        "VOTE_POUR": vote["pour"] if vote else None,
        "VOTE_CONTRE": vote["contre"] if vote else None,
        "VOTE_ABSTENTION": vote["abstention"] if vote else None,
        "DELIB_URL": collectivite.act_url(number),
    } | (_ledger_columns(casts, vote) if casts else {})


def _ledger_columns(casts: list[dict[str, Any]], vote: dict[str, Any] | None) -> dict[str, Any]:
    """The vote columns from the ledger: its members in office, and the votes of those who took
    part; a secret ballot's ledger names the voters but not their votes, which the act prints."""
    def count(position: str | None) -> int:
        return sum(1 for c in casts if c["position"] == position)

    columns = {"VOTE_EFFECTIF": len(casts)}
    if count(None):
        return columns | {"VOTE_REEL": count(None)}
    pour, contre, abstention = count("pour"), count("contre"), count("abstention")
    return columns | {"VOTE_REEL": pour + contre + abstention, "VOTE_POUR": pour, "VOTE_CONTRE": contre,
                      "VOTE_ABSTENTION": abstention}


def _budget_year(deliberation: dict[str, Any]) -> str | None:
    """The fiscal year when the act touches the budget: the one its title names, else the sitting's."""
    if not deliberation.get("amounts") and deliberation.get("matiere_code") != "7.1":
        return None
    named = FISCAL_YEAR.search(fold(deliberation["title"]))
    return named.group(1) if named else deliberation["sitting_date"][:4]


def write(records: Iterable[dict[str, Any]], collectivite: Collectivite, out: IO[str]) -> int:
    """Write the header and one row per deliberation record; returns the number of rows.

    Every row is built before the first is written, so a refused deliberation leaves no half file.
    The `vote_cast` records among `records` (the ledger of recorded sittings) give the vote
    columns of the deliberations they voted.
    """
    deliberations, ledger = [], defaultdict(list)
    for record in records:
        if record["type"] == "deliberation":
            deliberations.append(record)
        elif record["type"] == "vote_cast":
            ledger[record["deliberation"]].append(record)
    rows = [row(r, collectivite, ledger.get(r["number"])) for r in deliberations]
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
