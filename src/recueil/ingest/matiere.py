"""The ACTES matière of a deliberation (e.g. 7.5 "Finances locales/Subventions"), by explainable rules.

The préfecture files every act under a code of the ACTES nomenclature, and the SCDL format
requires it, but the documents never print it. It is inferred from what they do print: the title,
the dispositif (articles), the visas, the budget imputations, and the rapport's pôle, direction and
service. The rules are tried in order and the first that matches gives the code; the reason names
the rule and the words that matched, so that anyone can see why an act was filed where it was.

Order matters: what the act *does* comes before its field (an act that grants subsidies to
communes for their roads is 7.5, not 8.3 voirie), and narrow fields come before broad ones
(a "chantier d'insertion" is employment, 8.6, before social aid, 8.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recueil.model import Deliberation, Report
from recueil.text.clean import fold

# Budget columns that hold receipts, not spending (a subsidy received is not a subsidy granted).
RECEIPT_COLUMNS = frozenset({"recette", "inscrit", "proposition_d_inscription"})


@dataclass(frozen=True)
class Matiere:
    code: str
    reason: str


@dataclass(frozen=True)
class Rule:
    """A code, what it means here (for the reason), and patterns over folded text, by source."""

    code: str
    why: str
    sources: dict[str, re.Pattern[str]]


SOURCES = ("titre", "dispositif", "visa", "rapport", "imputation")


def _rule(code: str, why: str, **patterns: str) -> Rule:
    assert set(patterns) <= set(SOURCES), f"source inconnue dans la règle {code}"
    return Rule(code, why, {source: re.compile(p) for source, p in patterns.items()})


# Within a rule, sources are searched in the order given: titre, dispositif (each article, from its
# start), visa, rapport (pôle, direction, service), imputation (budget lines that spend).
RULES: tuple[Rule, ...] = (
    _rule("7.1", "décision budgétaire", titre=r"BUDGET (PRIMITIF|SUPPLEMENTAIRE)|DECISION MODIFICATIVE"
          r"|COMPTE (ADMINISTRATIF|DE GESTION|FINANCIER UNIQUE)|AFFECTATION DU RESULTAT|ORIENTATIONS BUDGETAIRES"),
    _rule("1.2", "délégation de service public", titre=r"DELEGATION DE SERVICE PUBLIC|DELEGATAIRE",
          visa=r"\bL\.? ?1411\b"),
    _rule("1.1", "marché public", titre=r"\bMARCHES? PUBLICS?\b|ACCORD CADRE|GROUPEMENT DE COMMANDES"),
    _rule("5.3", "désignation de représentants", titre=r"REPRESENTATION|DESIGNATION|REPRESENTANTS?\b",
          dispositif=r"^DE DESIGNER\b"),
    _rule("5.4", "délégation de l'assemblée au Président",
          titre=r"DELEGATION (AU|DE COMPETENCES? AU) PRESIDENT|COMPETENCE DELEGUEE|DELEGATION D'ATTRIBUTIONS"),
    _rule("5.8", "action en justice", titre=r"ESTER EN JUSTICE|ACTION EN JUSTICE|CONTENTIEUX"),
    _rule("4.5", "régime indemnitaire", titre=r"RIFSEEP|REGIME INDEMNITAIRE|INDEMNITE|\bPRIMES?\b"),
    _rule("4.1", "emplois et personnels", titre=r"\bD'EMPLOIS\b|\bEFFECTIFS\b|\bPERSONNELS?\b",
          visa=r"CODE GENERAL DE LA FONCTION PUBLIQUE", rapport=r"RESSOURCES HUMAINES"),
    _rule("5.2", "compte rendu annuel à l'assemblée", titre=r"RAPPORTS? D'ACTIVITE|REGLEMENT INTERIEUR",
          visa=r"\bL\.? ?3121 21\b"),
    _rule("7.4", "intervention économique",
          titre=r"INTERVENTIONS? ECONOMIQUES?|AIDES? AUX ENTREPRISES|IMMOBILIER D'ENTREPRISE", rapport=r"ECONOMI"),
    _rule("7.3", "emprunt ou garantie d'emprunt", titre=r"\bEMPRUNTS?\b"),
    _rule("7.2", "fiscalité", titre=r"FISCALITE|\bTAXES?\b|TAUX D'IMPOSITION"),
    _rule("7.5", "subventions accordées",
          dispositif=r"^(D'|DE )?(ATTRIBUER|ACCORDER|ALLOUER|OCTROYER)\b.*?\b(SUBVENTIONS?|PARTICIPATIONS?|AIDES?|BOURSES?)\b"
          r"|^(DE )?(CREER|INSTAURER|METTRE EN PLACE)\b.*?\bDISPOSITIF D'AIDES?\b"
          r"|^(D'|DE )?(ADOPTER|APPROUVER)\b.*?\bREGLEMENT (DE L'APPEL A PROJETS|DU FONDS|D'ATTRIBUTION|DES AIDES)",
          # nature accounts 204 (subventions d'équipement versées) and 657 (de fonctionnement)
          imputation=r"(^|/)(204|657)\d*(/|$)"),
    _rule("8.3", "voirie", titre=r"\bR\.?D\.? ?\d+|ROUTES? DEPARTEMENTALES?|VOIRIE|GIRATOIRE|CARREFOUR|OUVRAGES? D'ART",
          rapport=r"RESEAU ROUTIER|VOIRIE|\bROUTES?\b"),
    _rule("8.7", "transports", titre=r"\bTRANSPORTS?\b|\bMOBILITES?\b"),
    _rule("8.1", "enseignement", titre=r"COLLEGES?\b|EDUCATI|ENSEIGNEMENT|SCOLAIRES?\b",
          visa=r"CODE DE L'EDUCATION", rapport=r"EDUCATION|COLLEGES"),
    _rule("8.9", "culture", titre=r"CULTUR|LECTURE PUBLIQUE|BIBLIOTHEQUE|PATRIMOIN|ARCHIVES|MUSEE|MONUMENTS? HISTORIQUES?",
          visa=r"CODE DU PATRIMOINE", rapport=r"CULTUR|ARCHIVES"),
    _rule("8.8", "environnement et énergie",
          titre=r"ENVIRONNEMENT|ENERGIE|ESPACES NATURELS|BIODIVERSITE|CLIMAT|\bEAU\b|DECHETS",
          visa=r"CODE DE L'ENERGIE|CODE DE L'ENVIRONNEMENT"),
    _rule("8.5", "logement et habitat", titre=r"LOGEMENT|HABITAT", rapport=r"LOGEMENT|HABITAT"),
    _rule("8.6", "emploi et insertion professionnelle",
          titre=r"CHANTIERS D'INSERTION|CONTRATS AIDES|FORMATION PROFESSIONNELLE|APPRENTISSAGE", visa=r"CODE DU TRAVAIL"),
    _rule("8.2", "aide sociale", titre=r"SOLIDARITE|PAUVRETE|AUTONOMIE|HANDICAP|ENFANCE|FAMILLE|INSERTION"
          r"|AIDE A DOMICILE|\bRSA\b|PERSONNES AGEES", visa=r"CODE DE L'ACTION SOCIALE",
          rapport=r"SOLIDARITES|AUTONOMIE|INCLUSION|ENFANCE"),
    _rule("8.4", "aménagement du territoire", titre=r"AMENAGEMENT DU TERRITOIRE|CONTRATS? DE TERRITOIRE|RURALITE"),
)

# The publications read so far are a Département's: what no rule claims is one of its other fields.
FALLBACK = Matiere("9.2", "aucune règle ne s'applique : autre domaine de compétence du Département")


def _sources(deliberation: Deliberation, report: Report | None) -> dict[str, list[tuple[str, str]]]:
    """Each source's texts, as printed and folded (folded once, searched by every rule)."""
    texts = {
        "titre": [deliberation.title],
        "dispositif": [a.text for a in deliberation.articles],
        "visa": [v.text for v in deliberation.visas],
        "rapport": [part for value in (report.pole, report.direction, report.service) if value
                    for part in value.split("; ")] if report else [],
        "imputation": [line.imputation for line in deliberation.amounts if not RECEIPT_COLUMNS & set(line.amounts)],
    }
    return {source: [(text, fold(text)) for text in values] for source, values in texts.items()}


def classify(deliberation: Deliberation, report: Report | None = None) -> Matiere:
    """The code of the first rule that matches, with the words that made it match."""
    sources = _sources(deliberation, report)
    for rule in RULES:
        for source, pattern in rule.sources.items():
            for text, folded in sources[source]:
                found = pattern.search(folded)
                if found:
                    evidence = text if source in ("rapport", "imputation") else _evidence(folded, found)
                    return Matiere(rule.code, f"{rule.why} — {source} « {evidence} »")
    return FALLBACK


def _evidence(folded: str, found: re.Match[str]) -> str:
    """The matched words, whole ("EDUCATI" shows as "EDUCATIF"), a long span shortened to its ends."""
    start, end = found.span()
    while start > 0 and folded[start - 1].isalnum():
        start -= 1
    while end < len(folded) and folded[end].isalnum():
        end += 1
    words = folded[start:end].split()
    return " ".join(words) if len(words) <= 6 else f"{words[0].rstrip(',')} … {words[-1]}"
