"""After the sitting: an act is signed, transmitted to the préfecture for the contrôle de légalité
(the ACTES identifier `DDD-SIREN-YYYYMMDD-NUM-NATURE`, its matière code and subject), acknowledged
(number and date of the accusé de réception), answered by the préfecture (lettre d'observations,
demande de pièces complémentaires, déféré), published through the register.

Each step is a new dated row of the act's history (store/acts.py), never updated nor deleted. A
step out of order — a transmission before the signature, an acknowledgement before the
transmission, a second signature — is refused with one French line per broken rule, naming it,
and nothing is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from recueil.config import Config
from recueil.model import Article, Deliberation, Report, Source, Visa
from recueil.seance.rules import Refused
from recueil.store import acts, schema
from recueil.store.acts import ACK, MESSAGE, PUBLICATION, SIGNATURE, TRANSMISSION, Event
from recueil.text.clean import squash
from recueil.text.dates import date_fr
from recueil.vocabulary import nomenclature

# The natures of acts in ACTES, by the code its identifier ends with.
NATURES = {"DE": "délibération", "AR": "acte réglementaire", "AI": "acte individuel",
           "CC": "contrat, convention ou avenant", "BF": "document budgétaire et financier", "AU": "autre acte"}
MESSAGES = {"lettre_observations": "lettre d'observations",
            "demande_pieces": "demande de pièces complémentaires",
            "defere": "déféré au tribunal administratif"}
# What an act read from a document prints of what followed its sitting (fields of the JSONL record).
PRINTED = ("sent_to_prefecture", "received_by_prefecture", "ack", "posted", "published")
SUBJECT_MAX = 499  # characters of the objet of an act in ACTES
_INTERNAL = re.compile(r"^[A-Z0-9_]{1,15}$")  # ACTES: the act's own number, 15 characters at most
_ACK_RANK = re.compile(r"^-\d+-\d+$")  # what the accusé de réception adds to the identifier ("-1-1")
_DEPARTEMENT = re.compile(r"^S?PREF(\d{2}[0-9AB])")


@dataclass(frozen=True)
class Act:
    """An act the history can follow: a deliberation numbered by a recorded sitting or read from a
    document; `date` is that of its sitting (the date of the decision)."""

    number: str
    title: str
    body: str
    date: str
    matiere_code: str | None
    matiere_reason: str | None
    printed: dict[str, str]  # what the document read prints of its transmission and publication (dated fields, ack)


@dataclass(frozen=True)
class Transmitted:
    """A recorded transmission, and what was done to fit ACTES (the subject cut, say)."""

    event: Event
    notes: list[str]


def find_act(conn: Connection, number: str) -> Act:
    """The act numbered `number`; `Refused` when no recorded sitting gave that number and no
    document read holds it."""
    i, s, d = schema.recorded_items, schema.recorded_sittings, schema.deliberations
    item = conn.execute(select(i.c.title, i.c.data, s.c.body, s.c.date).join(s, s.c.id == i.c.sitting_id)
                        .where(i.c.number == number)).first()
    read = conn.execute(select(d.c.title, d.c.body, d.c.sitting_date, d.c.data).where(d.c.number == number)
                        .order_by(d.c.pk.desc()).limit(1)).first()
    if item is None and (read is None or not read.sitting_date):
        raise Refused([f"acte inconnu : {number} (ni donné par une séance enregistrée, ni lu dans un document)"])
    printed = {key: read.data[key] for key in PRINTED if read is not None and read.data.get(key)}
    if read is not None and read.data.get("matiere_code"):
        code, reason = read.data["matiere_code"], read.data.get("matiere_reason")
    else:
        code, reason = None, None
    if item is not None:
        if code is None:
            code, reason = _classify(number, item.title, item.body, item.date, item.data)
        return Act(number, item.title, item.body, item.date, code, reason, printed)
    assert read is not None
    return Act(number, read.title, read.body, read.sitting_date, code, reason, printed)


def _classify(number: str, title: str, body: str, day: str, data: dict[str, Any]) -> tuple[str, str]:
    """The matière of a recorded item, by the rules that file the deliberations read."""
    from recueil.ingest.matiere import classify

    source = Source("séance enregistrée", 0, 0)
    deliberation = Deliberation(number, title, body, day, data.get("decision"), source,
                                visas=[Visa(v) for v in data.get("visas", [])],
                                articles=[Article(str(n), a) for n, a in enumerate(data.get("articles", []), 1)])
    report = Report(data.get("report") or 0, title, source, number, data.get("pole"), data.get("direction"),
                    data.get("service"))
    found = classify(deliberation, report)
    return found.code, found.reason


def history(conn: Connection, number: str) -> tuple[Act, list[Event]]:
    act = find_act(conn, number)
    return act, acts.events(conn, number)


def _day(value: str, what: str, reasons: list[str], today: date | None) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        reasons.append(f"{what} : date invalide « {value} » (attendu AAAA-MM-JJ)")
        return value
    if day > (today or date.today()):
        reasons.append(f"{what} le {date_fr(value)} : date à venir (l'historique enregistre ce qui a eu lieu)")
    return day.isoformat()


def _last(events: list[Event], kind: str) -> Event | None:
    return next((e for e in reversed(events) if e.kind == kind), None)


def _not_before(day: str, earlier: Event | None, what: str, reasons: list[str]) -> None:
    if earlier is not None and day < earlier.date:
        reasons.append(f"{what} le {date_fr(day)}, avant {describe(earlier, short=True)} le {date_fr(earlier.date)}")


def _refuse_if(reasons: list[str]) -> None:
    if reasons:
        raise Refused(reasons)


def sign(conn: Connection, number: str, day: str, signatory: str, today: date | None = None) -> Event:
    """The act is signed, on or after the day it was decided; once only (a signed act is never
    edited: it is corrected or withdrawn by a new act)."""
    act, events = history(conn, number)
    reasons: list[str] = []
    day = _day(day, "signature", reasons, today)
    if not signatory.strip():
        reasons.append("signataire absent (--signataire)")
    signed = _last(events, SIGNATURE)
    if signed:
        reasons.append(f"acte {number} déjà signé le {date_fr(signed.date)} par {signed.data['signatory']} "
                       "(un acte signé n'est jamais modifié : il se corrige ou se retire par un nouvel acte)")
    if day < act.date:
        reasons.append(f"signature le {date_fr(day)}, avant la séance du {date_fr(act.date)} qui a décidé l'acte")
    _refuse_if(reasons)
    return acts.append(conn, number, SIGNATURE, day, {"signatory": squash(signatory)})


def actes_prefix(config: Config) -> tuple[str, str]:
    """The département (3 characters, "062") and the SIREN that open an ACTES identifier: from
    recueil.toml only, since an act sent under another collectivité's SIREN goes astray."""
    reasons = []
    missing = [key for key in ("siret", "prefecture") if key not in config.named]
    if missing:
        reasons.append(f"transmission ACTES : {' et '.join(missing)} absent{'s' if len(missing) > 1 else ''} de "
                       "recueil.toml, section [collectivite] (l'identifiant ACTES porte le département et le SIREN "
                       "de la collectivité ; les valeurs par défaut ne servent pas à transmettre)")
        raise Refused(reasons)
    found = _DEPARTEMENT.match(config.collectivite.prefecture)
    if found is None:
        raise Refused([f"transmission ACTES : la préfecture {config.collectivite.prefecture} de recueil.toml ne "
                       "donne pas de département (PREF062 ou SPREF0621 attendu)"])
    return found.group(1), config.collectivite.siret[:9]


def actes_id(departement: str, siren: str, day: str, number: str, nature: str) -> str:
    """`DDD-SIREN-YYYYMMDD-NUM-NATURE`: "062-226200012-20250922-2025_360-DE". The act's own number
    keeps letters, digits and "_" (the dash separates the parts)."""
    return f"{departement}-{siren}-{day.replace('-', '')}-{internal_number(number)}-{nature}"


def internal_number(number: str) -> str:
    return number.replace("-", "_").upper()


def _subject(title: str, given: str | None, reasons: list[str], notes: list[str]) -> str:
    if given is not None:
        subject = squash(given)
        if not subject:
            reasons.append("objet vide")
        elif len(subject) > SUBJECT_MAX:
            reasons.append(f"objet de {len(subject)} caractères (ACTES : {SUBJECT_MAX} au plus)")
        return subject
    subject = squash(title)
    if len(subject) <= SUBJECT_MAX:
        return subject
    cut = subject[:SUBJECT_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    notes.append(f"objet coupé à {len(cut)} caractères (ACTES : {SUBJECT_MAX} au plus ; le titre en a {len(subject)})")
    return cut


def transmit(conn: Connection, number: str, day: str, config: Config, nature: str = "DE",
             matiere: str | None = None, subject: str | None = None, today: date | None = None) -> Transmitted:
    """The signed act is sent to the préfecture, once: its ACTES identifier, nature, matière code
    (given, else that of the act) and subject (given, else the title, cut to 499 characters)."""
    act, events = history(conn, number)
    reasons: list[str] = []
    notes: list[str] = []
    day = _day(day, "transmission", reasons, today)
    signed = _last(events, SIGNATURE)
    sent = _last(events, TRANSMISSION)
    if signed is None:
        reasons.append(f"transmission de l'acte {number} avant sa signature (l'acte transmis au contrôle de légalité "
                       "est l'acte signé : recueil acte signer d'abord)")
    if sent:
        reasons.append(f"acte {number} déjà transmis le {date_fr(sent.date)} ({sent.data['actes_id']}) : une "
                       "transmission ne se refait pas, un acte corrigé est un nouvel acte")
    _not_before(day, signed, "transmission", reasons)
    if nature not in NATURES:
        reasons.append(f"nature ACTES inconnue : « {nature} » ({', '.join(f'{k} {v}' for k, v in NATURES.items())})")
    code = matiere or act.matiere_code
    if code not in nomenclature():
        reasons.append(f"code matière ACTES {'inconnu : « ' + code + ' »' if code else 'absent'} (nomenclature ACTES, "
                       "par exemple 7.5 ; --matiere)")
    if not _INTERNAL.match(internal_number(number)):
        reasons.append(f"numéro {number} impropre à ACTES (15 caractères au plus : lettres, chiffres, _)")
    text = _subject(act.title, subject, reasons, notes)
    try:
        departement, siren = actes_prefix(config)
    except Refused as refused:
        reasons.extend(refused.reasons)
        departement, siren = "", ""
    _refuse_if(reasons)
    assert code is not None
    data = {"actes_id": actes_id(departement, siren, act.date, number, nature), "nature": nature,
            "matiere_code": code, "matiere_reason": None if matiere else act.matiere_reason,
            "subject": text, "prefecture": config.collectivite.prefecture}
    return Transmitted(acts.append(conn, number, TRANSMISSION, day, data), notes)


def acknowledge(conn: Connection, number: str, ack: str, day: str, today: date | None = None) -> Event:
    """The préfecture's accusé de réception of the transmitted act: its number (the act's ACTES
    identifier and its rank, "…-DE-1-1") and date; once."""
    _, events = history(conn, number)
    reasons: list[str] = []
    day = _day(day, "accusé de réception", reasons, today)
    sent = _last(events, TRANSMISSION)
    done = _last(events, ACK)
    ack = ack.strip()
    if sent is None:
        reasons.append(f"accusé de réception de l'acte {number} avant sa transmission (la préfecture n'accuse "
                       "réception que d'un acte transmis)")
    elif not (ack.upper().startswith(sent.data["actes_id"].upper())
              and _ACK_RANK.match(ack[len(sent.data["actes_id"]):])):
        reasons.append(f"numéro d'accusé de réception « {ack} » : il reprend l'identifiant de l'acte transmis suivi "
                       f"de son rang ({sent.data['actes_id']}-1-1)")
    if done:
        reasons.append(f"acte {number} : accusé de réception déjà enregistré ({done.data['ack']}, "
                       f"le {date_fr(done.date)})")
    _not_before(day, sent, "accusé de réception", reasons)
    _refuse_if(reasons)
    return acts.append(conn, number, ACK, day, {"ack": ack})


def message(conn: Connection, number: str, kind: str, day: str, text: str | None = None,
            today: date | None = None) -> Event:
    """A later message of the préfecture about an acknowledged act: lettre d'observations,
    demande de pièces complémentaires or déféré; `text` says what it asks or holds."""
    _, events = history(conn, number)
    reasons: list[str] = []
    day = _day(day, MESSAGES.get(kind, "message"), reasons, today)
    if kind not in MESSAGES:
        reasons.append(f"type de message inconnu : « {kind} » ({', '.join(MESSAGES)})")
    received = _last(events, ACK)
    if received is None:
        reasons.append(f"message de la préfecture sur l'acte {number} avant son accusé de réception (la préfecture "
                       "ne répond que sur un acte dont elle a accusé réception)")
    _not_before(day, received, MESSAGES.get(kind, "message"), reasons)
    _refuse_if(reasons)
    return acts.append(conn, number, MESSAGE, day, {"type": kind, "text": squash(text) if text else None})


def check_publishable(conn: Connection, number: str, day: str, today: date | None = None) -> Act:
    """Whether the act may be published on `day`: signed, on or after its signature, not yet
    published (a corrected version goes through `recueil publish --corrige`)."""
    act, events = history(conn, number)
    reasons: list[str] = []
    day = _day(day, "publication", reasons, today)
    signed = _last(events, SIGNATURE)
    published = _last(events, PUBLICATION)
    if signed is None:
        reasons.append(f"publication de l'acte {number} avant sa signature (seul l'acte signé est publié : "
                       "recueil acte signer d'abord)")
    if published:
        reasons.append(f"acte {number} déjà publié le {date_fr(published.date)} (registre, entrée n° "
                       f"{published.data['register_seq']}) : une version rectifiée se publie par recueil publish "
                       "--corrige")
    _not_before(day, signed, "publication", reasons)
    _refuse_if(reasons)
    return act


def record_publication(conn: Connection, number: str, day: str, entry: dict[str, Any],
                       today: date | None = None) -> Event:
    """The act published through the register: its entry (`seq`, `file`, `url`, `sha256`)."""
    check_publishable(conn, number, day, today)
    return acts.append(conn, number, PUBLICATION, day,
                       acts.publication(entry["seq"], entry["file"], entry["url"], entry["sha256"]))


def describe(event: Event, short: bool = False) -> str:
    """One event in French: "signé par Jean-Claude LEROY"; `short`, what it is ("la signature")."""
    data = event.data
    if event.kind == SIGNATURE:
        return "la signature" if short else f"signé par {data['signatory']}"
    if event.kind == TRANSMISSION:
        return "la transmission" if short else (f"transmis à la préfecture : {data['actes_id']}, matière "
                                                f"{data['matiere_code']}, objet « {data['subject']} »")
    if event.kind == ACK:
        return "l'accusé de réception" if short else f"accusé de réception n° {data['ack']}"
    if event.kind == MESSAGE:
        label = MESSAGES.get(data["type"], data["type"])
        return "le message de la préfecture" if short else label + (f" : {data['text']}" if data.get("text") else "")
    if event.kind == PUBLICATION:
        return "la publication" if short else (f"publié : {data['url']} (registre, entrée n° {data['register_seq']}, "
                                               f"SHA-256 {data['sha256'][:16]}…)")
    return event.kind


_PRINTED_LABELS = {"sent_to_prefecture": "envoyé en préfecture", "received_by_prefecture": "reçu en préfecture",
                   "posted": "affiché", "published": "publié"}


def status_lines(conn: Connection, number: str) -> list[str]:
    """What `recueil acte statut` prints: the act, then its events one a line, "date<TAB>what", by
    date (in the order recorded within a day); for an act read from a document, after them, what
    the document prints of its transmission and publication."""
    from recueil.vocabulary import assembly_name

    act, events = history(conn, number)
    lines = [f"Délibération n° {act.number} — {act.title}",
             f"{assembly_name(act.body)}, séance du {date_fr(act.date)}"]
    lines.extend(f"{e.date}\t{describe(e)}" for e in sorted(events, key=lambda e: (e.date, e.seq)))
    if not events:
        lines.append("Aucune étape enregistrée depuis la séance : ni signature, ni transmission, ni publication "
                     "(recueil acte signer).")
    printed = act.printed
    if printed:
        lines.append("Imprimé sur l'acte lu :")
    for key, label in _PRINTED_LABELS.items():
        if printed.get(key):
            ack = f", accusé de réception n° {printed['ack']}" if key == "received_by_prefecture" and printed.get("ack") \
                else ""
            lines.append(f"{printed[key]}\t{label}{ack}")
    if printed.get("ack") and not printed.get("received_by_prefecture"):
        lines.append(f"—\taccusé de réception n° {printed['ack']}")
    return lines
