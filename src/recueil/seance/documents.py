"""The texts a recorded sitting produces, printed as the Département prints them: each deliberation
with its rapport, the list of deliberations, the convocation and the procès-verbal (CGCT L3121-13).

They are built from the stored sitting (`recorded_sittings`, `recorded_items`), never from the
séance file, and follow the corpus' layout line for line — letterhead, assembly, meeting and
presidency, the attendance of the act, title, "(N°YYYY-NNN)", visas, DECIDE or DONNE ACTE,
articles, the vote block with its groups, the signature — so that `recueil ingest` reads them back
(tests/seance/test_generate.py checks that it gives back what was entered).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recueil.text.dates import date_fr
from recueil.vocabulary import assembly, assembly_heading, assembly_name

Record = Mapping[str, Any]
LABELS = {"pour": "Pour", "contre": "Contre", "abstention": "Abstention",
          "ne_prend_pas_part": "Ne prend pas part au vote", "absent_sans_delegation": "Absent(s) sans délégation de vote"}
RESULT_LINES = {"adopte": "(Adopté)", "rejete": "(Rejeté)"}


@dataclass(frozen=True)
class Sitting:
    """A stored sitting: its record (roll call, proxies, members on the day, steps) and its items
    in order, each as stored (rapport, movements, outcome, number, attendance, vote)."""

    record: Record
    items: Sequence[Record]

    @property
    def deliberated(self) -> list[Record]:
        return [item for item in self.items if item.get("number")]

    def civility(self, name: str) -> str:
        return next((m.get("civility") or "" for m in self.record["members"] if m["name"] == name), "")

    def named(self, name: str) -> str:
        """ "M. Jean-Claude LEROY": the name with its civility, as lists print it."""
        civility = self.civility(name)
        return f"{civility} {name}" if civility else name

    def names(self, names: Iterable[str]) -> str:
        return ", ".join(self.named(n) for n in names)


def capitals(text: str) -> str:
    """Upper case without accents, hyphens kept: how letterheads print ("PAS-DE-CALAIS")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _feminine(civility: str) -> bool:
    return civility.lower().startswith(("mme", "madame", "mlle"))


def _signatory(sitting: Sitting) -> str:
    """"LE PRÉSIDENT DU CONSEIL DÉPARTEMENTAL," (acts of both the Département's assemblies are
    signed by the President of the Conseil départemental)."""
    body = sitting.record["body"]
    signing = "conseil_departemental" if body in ("conseil_departemental", "commission_permanente") else body
    title = "LA PRÉSIDENTE" if _feminine(sitting.civility(sitting.record["president"])) else "LE PRÉSIDENT"
    heading = assembly(signing)
    return f"{title} {heading.of().upper() if heading else capitals(signing)},"


def _city(place: str | None) -> str | None:
    """"Hôtel du Département, Arras" → "ARRAS": the town an act is signed in."""
    return capitals(place.rsplit(",", 1)[-1].strip()) if place else None


def _day(day: str) -> str:
    return capitals(date_fr(day))


def letterhead(collectivite: str) -> str:
    return capitals(collectivite)


def _attendance(sitting: Sitting, attendance: Record) -> list[str]:
    lines = []
    for key, label in (("present", "Étaient présents"), ("excused", "Excusé(s)"), ("absent", "Absent(s)"),
                       ("non_voting_present", "Assistaient sans voix délibérative"),
                       ("non_voting_excused", "Excusé(s) sans voix délibérative")):
        if attendance.get(key):
            lines += [f"{label} : {sitting.names(attendance[key])}.", ""]
    return lines


def _interest(sitting: Sitting, name: str) -> str:
    """The paragraph an act prints for a member who left for an interest in the affair."""
    she = _feminine(sitting.civility(name))
    who = f"{'Madame' if she else 'Monsieur'} {name}"
    return (f"{who}, intéressé{'e' if she else ''} à l'affaire, est sorti{'e' if she else ''} de la salle avant la "
            f"mise en discussion du rapport. {'Elle' if she else 'Il'} n'a donc pris part ni au débat, ni au vote.")


def commission_visa(commission: Record) -> str:
    when = commission.get("date")
    day = f" rendu lors de sa réunion du {when[8:10]}/{when[5:7]}/{when[:4]}" if when else ""
    rank = "1ère" if commission.get("number") == 1 else f"{commission.get('number')}ème"
    return f"Vu l'avis de la {rank} commission « {commission['name']} »{day} ;"


def printed_visas(item: Record) -> list[str]:
    """The visas an act prints: those entered, each closed by " ;", and the commission's opinion
    when none of them cites it."""
    visas = [v if v.rstrip().endswith(";") else f"{v.rstrip()} ;" for v in item.get("visas") or []]
    commission = item.get("commission")
    if commission and commission.get("name") and not any("commission «" in v.lower() for v in visas):
        visas.append(commission_visa(commission))
    return visas


def _group_list(sitting: Sitting, groups: Sequence[str], members: Mapping[str, Sequence[str]]) -> str:
    """ "(Groupe A ; Groupe B (M. X, Mme Y))": a group split between positions names who stands here."""
    shown = [f"{g} ({sitting.names(members[g])})" if g in members else g for g in groups]
    return f" ({' ; '.join(shown)})" if shown else ""


def vote_lines(sitting: Sitting, item: Record) -> list[str]:
    """The vote block, derived from the ledger (item["vote"]), then the result."""
    vote, tally = item["vote"], item["tally"]
    lines = ["Dans les conditions de vote ci-dessous :", "",
             f"Nombre de membres en exercice : {vote['en_exercice']}",
             f"Nombre de membres présents au moment du vote : {vote['presents']}",
             f"Nombre de délégations de vote : {vote['delegations']}"]
    members = vote.get("members") or {}
    for key, label in LABELS.items():
        count = vote[key]
        if key in ("ne_prend_pas_part", "absent_sans_delegation") and not count:
            continue
        unit = " voix" if key in ("pour", "contre", "abstention") else ""
        lines.append(f"{label} : {count}{unit}{_group_list(sitting, vote['groups'].get(key, []), members.get(key, {}))}")
    result = RESULT_LINES[vote["result"]]
    if tally.get("casting_vote"):
        result = f"{result[:-1]}, la voix du Président étant prépondérante)"
    return [*lines, "", result]


def deliberation_text(sitting: Sitting, item: Record, collectivite: str) -> str:
    """One deliberation as the corpus prints it, from its letterhead to its signature."""
    record = sitting.record
    body = assembly(record["body"])
    president = record["president"]
    lines = [letterhead(collectivite), "", f"DELIBERATION {capitals(body.of()) if body else capitals(record['body'])}",
             "", f"REUNION DU {_day(record['date'])}", "",
             f"PRESIDENCE DE {'MADAME' if _feminine(sitting.civility(president)) else 'MONSIEUR'} {capitals(president)}",
             ""]
    if record.get("secretary"):
        lines += [f"Secrétaire : {sitting.named(record['secretary'])}", ""]
    lines += _attendance(sitting, item["attendance"])
    lines += [item["title"], "", f"(N°{item['number']})", ""]
    lines += [f"{'La' if body and body.feminine else 'Le'} {assembly_heading(record['body'])},", ""]
    for visa in printed_visas(item):
        lines += [visa, ""]
    for name in item.get("not_taking_part") or []:
        lines += [_interest(sitting, name), ""]
    lines += ["Après en avoir délibéré,", "", f"{item['decision']} :", ""]
    articles = item.get("articles") or []
    for n, article in enumerate(articles, 1):
        lines += [f"Article {'unique' if len(articles) == 1 else n} :", "", article, ""]
    if item.get("vote"):
        if item.get("mode") == "secret":
            t = item["tally"]
            lines += [f"Scrutin secret : {t['blancs']} bulletin(s) blanc(s) et {t['nuls']} bulletin(s) nul(s), "
                      "comptés avec les abstentions.", ""]
        lines += [*vote_lines(sitting, item), ""]
    lines += [_signatory(sitting), "", president, ""]
    if city := _city(record.get("place")):
        lines += [f"{city}, le {date_fr(record['date'])}", ""]
    lines += ["Signé", "", president, ""]
    return "\n".join(lines)


def report_text(sitting: Sitting, item: Record, collectivite: str) -> str:
    """The rapport the deliberation adopts: services, number, territories, meeting, title, the
    commission's opinion."""
    record = sitting.record
    lines = [letterhead(collectivite), ""]
    lines += [item[key] for key in ("pole", "direction", "service") if item.get(key)]
    lines += ["", f"RAPPORT N°{item['report']}", ""]
    for key, label in (("territories", "Territoire(s)"), ("cantons", "Canton(s)"), ("epci", "EPCI(s)")):
        if item.get(key):
            lines += [f"{label} : {', '.join(item[key])}", ""]
    lines += [capitals(assembly_heading(record["body"])), "", f"REUNION DU {_day(record['date'])}", "",
              capitals(item["title"]), ""]
    commission = item.get("commission") or {}
    if commission.get("opinion"):
        opinion = commission["opinion"]
        opinion = opinion if opinion.lower().startswith("avis") else f"avis {opinion}"
        when = f" lors de sa réunion du {date_fr(commission['date'])}" if commission.get("date") else ""
        lines += [f"La commission « {commission.get('name', '')} » a émis un {opinion}{when}.", ""]
    lines += [_signatory(sitting), "", "Signé", "", record["president"], ""]
    return "\n".join(lines)


def _heading(sitting: Sitting, collectivite: str, title: str) -> list[str]:
    record = sitting.record
    return [letterhead(collectivite), "", capitals(assembly_name(record["body"])), "", "SÉANCE DU", "",
            _day(record["date"]), "", title, ""]


def _agenda(sitting: Sitting) -> list[str]:
    lines = ["Ordre du jour", ""]
    lines += [f"{item['report']} - {item['title']}" for item in sitting.items]
    return [*lines, ""]


def convocation_text(sitting: Sitting, collectivite: str) -> str:
    """The convocation sent to each member with the ordre du jour."""
    record = sitting.record
    lines = _heading(sitting, collectivite, "Convocation")
    sent = f", adressée le {date_fr(record['convocation_sent'])}" if record.get("convocation_sent") else ""
    at = f" à {_time(record['opened_at'])}" if record.get("opened_at") else ""
    place = f", {record['place']}" if record.get("place") else ""
    found = assembly(record["body"])
    lines += [f"Les membres {found.of() if found else record['body']} sont convoqués à la séance du "
              f"{date_fr(record['date'])}{at}{place}{sent}.", ""]
    return "\n".join(lines + _agenda(sitting))


def _counts(vote: Record) -> str:
    return (f"{vote['pour']} pour, {vote['contre']} contre, "
            f"{vote['abstention']} abstention{'s' if vote['abstention'] > 1 else ''}")


def _outcome(item: Record) -> str:
    if item.get("outcome") == "retire":
        return "retiré"
    if item.get("outcome") == "donne_acte":
        return "donne acte"
    vote = item["vote"]
    return f"{'adoptée' if vote['result'] == 'adopte' else 'rejetée'} ({_counts(vote)})"


def list_text(sitting: Sitting, collectivite: str) -> str:
    """The list of the deliberations examined (CGCT L3121-13-1, posted within a week)."""
    lines = _heading(sitting, collectivite, "Liste des délibérations")
    lines += _agenda(sitting)
    lines += ["Délibérations", ""]
    lines += [f"Rapport {item['report']} : {item['number'] or 'sans numéro'}, {_outcome(item)}" for item in sitting.items]
    return "\n".join([*lines, ""])


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)} heures {minutes}"


def _voters(sitting: Sitting, casts: Sequence[Record]) -> list[str]:
    """For a public vote, every voter's name by position (CGCT L3121-15)."""
    lines = []
    for position, label in (("pour", "Ont voté pour"), ("contre", "Ont voté contre"),
                            ("abstention", "Se sont abstenus")):
        names = [c["member"] for c in casts if c["position"] == position]
        if names:
            lines += [f"({label} : {sitting.names(names)}.)", ""]
    return lines


def proces_verbal_text(sitting: Sitting, collectivite: str, casts: Mapping[str, list[dict[str, Any]]]) -> str:
    """The procès-verbal (CGCT L3121-13): date and time, president, members present or represented,
    secretary, the quorum at each vote, the agenda, each deliberation with its rapport and vote
    (voters by name for a public vote), the debates left as sections to fill; then the acts."""
    record = sitting.record
    lines = _heading(sitting, collectivite, "Procès-verbal")
    lines += [*_agenda(sitting), "PREMIÈRE PARTIE", "", "PROCÈS-VERBAL DE SÉANCE", "",
              f"{capitals(assembly_heading(record['body']))}", "", f"RÉUNION DU {_day(record['date'])}", ""]
    opened = f" à {_time(record['opened_at'])}" if record.get("opened_at") else ""
    secretary = (f", {sitting.named(record['secretary'])} assure la fonction de Secrétaire de séance"
                 if record.get("secretary") else "")
    chair = f"président{'e' if _feminine(sitting.civility(record['president'])) else ''} de séance"
    lines += [f"(La séance débute{opened} sous la présidence de {sitting.named(record['president'])}, {chair}"
              f"{secretary}.)", ""]
    if record.get("place"):
        lines += [f"(Lieu : {record['place']}.)", ""]
    lines += _attendance(sitting, {k: record.get(k) for k in ("present", "excused", "absent")})
    for proxy in record.get("proxies") or []:
        she = _feminine(sitting.civility(proxy["giver"]))
        lines += [f"{sitting.named(proxy['giver'])}, absent{'e' if she else ''}, délégation de vote donnée à "
                  f"{sitting.named(proxy['holder'])}.", ""]
    roll = next((s for s in record.get("steps") or [] if s.get("step") == "roll_call"), None)
    if roll:
        lines += [f"(Quorum à l'ouverture : {roll['quorum']}.)", ""]
    for item in sitting.items:
        lines += [f"{capitals(item['title'])} (Rapport n°{item['report']})", ""]
        lines += [f"(Arrivée de {sitting.named(n)}.)" for n in item.get("arrivals") or []]
        lines += [f"(Départ de {sitting.named(n)}.)" for n in item.get("departures") or []]
        lines += [f"({sitting.named(n)}, intéressé(e) à l'affaire, quitte la salle et ne prend pas part au vote.)"
                  for n in item.get("not_taking_part") or []]
        lines += ["", "(Débats : à compléter.)", ""]
        if item.get("outcome") == "retire":
            lines += ["(Rapport retiré de l'ordre du jour : ni vote, ni numéro.)", ""]
            continue
        quorum = (item.get("quorum") or {}).get("text")
        if quorum:
            lines += [f"(Quorum au moment du vote : {quorum}.)", ""]
        if item.get("vote"):
            mode = {"main_levee": "à main levée", "public": "au scrutin public", "secret": "au scrutin secret"}
            lines += [f"(Vote {mode[item['mode']]}.)", ""]
            lines += _voters(sitting, casts.get(item["number"], [])) if item["mode"] == "public" else []
            lines += [f"{RESULT_LINES[item['vote']['result']][:-1]} : {_counts(item['vote'])} ; "
                      f"délibération n° {item['number']}.)", ""]
        else:
            lines += [f"(Il est donné acte : délibération n° {item['number']}.)", ""]
    if record.get("closed_at"):
        lines += [f"(La séance est levée à {_time(record['closed_at'])}.)", ""]
    return "\n".join(lines)
