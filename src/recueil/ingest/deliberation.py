"""Read one deliberation block into a `Deliberation`.

The block runs from the transmission header ("Envoi au contrôle de légalité" in 2021, "Accusé de
réception en préfecture" since 2022) to the signature. In order: header dates, body and date of
the séance, president and secretary, attendance lists, title, "(N°YYYY-NNN)", visas ("Vu …"),
conflict-of-interest notes, the decision verb (DECIDE, DONNE ACTE, INFORME), articles, vote block,
signature. Parsing is line-based on the printed order; every value keeps its line.
"""

from __future__ import annotations

import re

from recueil.ingest.budget import read_budget_lines
from recueil.ingest.extract import Read
from recueil.ingest.segment import ACT_NUMBER, Block
from recueil.ingest.vote import read_vote, vote_region
from recueil.model import (
    Article,
    Attendance,
    CitedDeliberation,
    Commission,
    Conflict,
    Deliberation,
    Source,
    Visa,
    Warning,
)
from recueil.text.clean import (
    fold,
    is_page_furniture,
    join_lines,
    paragraph_spans,
    paragraphs,
    squash,
    strip_markup,
)
from recueil.text.dates import parse_date
from recueil.text.names import split_names, strip_civility

_HEADER_FIELDS = [
    ("sent_to_prefecture", re.compile(r"^\s*(?:Envoi au contrôle de légalité le|Date de télétransmission)\s*:\s*(.+)$")),
    ("received_by_prefecture", re.compile(r"^\s*Date de réception (?:en )?préfecture\s*:\s*(.+)$")),
    ("posted", re.compile(r"^\s*Affichage le\s*:\s*(.+)$")),
    ("published", re.compile(r"^\s*Publication électronique le\s*:\s*(.+)$")),
]
_ACK = re.compile(r"Accusé de réception en préfecture\s*:\s*(\S+)")
_BODY = re.compile(r"DELIBERATION\s+(?:DE LA|DU)\s+(COMMISSION PERMANENTE|CONSEIL DEPARTEMENTAL)", re.I)
_MEETING = re.compile(r"^\s*REUNION DU\s+(.+?)\s*$", re.I)
_PRESIDENCY = re.compile(r"^\s*PRESIDENCE DE\s+(?:MONSIEUR|MADAME|M\.|MME)\s+(.+?)\s*$", re.I)
_SECRETARY = re.compile(r"^\s*Secrétaire\s*:\s*(.+?)\s*$")
_ATTENDANCE = [
    ("non_voting_present", re.compile(r"^Assist\w*.*?sans voix délibérative\s*:\s*", re.I)),
    ("non_voting_excused", re.compile(r"^Excusé\S*\s+sans voix délibérative\s*:\s*", re.I)),
    ("present", re.compile(r"^[ÉE]taient\s+présent\S*\s*:\s*|^[ÉE]tai(?:t|ent)\s+présente?s?\s*:\s*", re.I)),
    ("excused", re.compile(r"^Excusé\S*\s*:\s*", re.I)),
    ("absent", re.compile(r"^Absent\S*\s*:\s*", re.I)),
]
_DECISION = re.compile(r"^\s*\**\s*(DECIDE|DÉCIDE|DONNE ACTE|INFORME)\b")
_INLINE_ARTICLE = re.compile(r"\**\s*Article\s+(\d+|unique|premier|1er)\s*:\s*\**", re.I)
_CITED = re.compile(r"délibérations?\s+(?:n°|N°|no)\s*(\d{4}-\d{1,4}|\d{1,4})", re.I)
_DATE_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
_CITED_BODY = re.compile(r"^[^«]*?(Commission Permanente|Conseil départemental)", re.I)
_COMMISSION = re.compile(
    r"(\d+)\s*(?:ème|ère|er|e)\s+commission\s*«\s*([^»]+?)\s*»(?:.*?(\d{1,2}/\d{1,2}/\d{4}))?",
    re.I,
)
_CONFLICT = re.compile(r"^((?:Madame|Monsieur|Mme|M\.)\s+.+?),?\s+intéressée?\s+à\s+l['’]affaire", re.I)
_SIGNED_AT = re.compile(r"^\s*([A-ZÉ][A-Za-zÉé\- ]+),\s+le\s+(.+?)\s*$")


def _body(text: str) -> str:
    return "commission_permanente" if "COMMISSION" in text.upper() else "conseil_departemental"


def _cited(text: str) -> list[CitedDeliberation]:
    """Earlier deliberations named in a visa, each with the first date printed after it."""
    found = []
    matches = list(_CITED.finditer(text))
    for k, m in enumerate(matches):
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        tail = text[m.end():stop]
        date = _DATE_NUMERIC.search(tail) or None
        body = _CITED_BODY.match(tail)
        found.append(
            CitedDeliberation(
                number=m.group(1),
                date=parse_date(date.group(0)) if date else parse_date(tail[:60]),
                body=_body(body.group(1)) if body else None,
            )
        )
    return found


_HEADER_LINE = re.compile(
    r"^(?:DEPARTEMENT DU|DELIBERATION|REUNION DU|PRESIDENCE DE|Secrétaire\s*:|Envoi au|Affichage|"
    r"Accusé de réception|Date de|Publication électronique)", re.I
)


def _title(spans: list[tuple[str, int, int]]) -> tuple[str, int]:
    """The paragraphs between the last header or attendance paragraph and "(N°…)"."""
    start = 0
    for k, (text, _, _) in enumerate(spans):
        if _HEADER_LINE.match(text) or any(p.match(text) for _, p in _ATTENDANCE):
            start = k + 1
    title = spans[start:]
    if not title:
        return "", spans[-1][2] + 1 if spans else 0
    return " ".join(text for text, _, _ in title), title[0][1]


def _split_articles(text_lines: list[str]) -> list[Article]:
    """Articles of the dispositif; "Article 1 :" may stand alone or inline after the verb."""
    flat = "\n".join(strip_markup(x) for x in text_lines)
    pieces = _INLINE_ARTICLE.split(flat)
    articles = []
    for k in range(1, len(pieces) - 1, 2):
        number = pieces[k].lower()
        number = "1" if number in ("premier", "1er") else number
        body = "\n".join(paragraphs(pieces[k + 1].split("\n"), prose=True))
        articles.append(Article(number=number, text=body))
    return articles


def read_deliberation(lines: list[str], block: Block) -> Read[Deliberation]:
    """Extract the act in `block` (a "deliberation" block from `segment`): none when it cannot
    be read, with the warning that says why."""
    document = block.document
    warnings: list[Warning] = []
    anchor = next(n for n in range(block.first, block.last + 1) if ACT_NUMBER.match(lines[n - 1]))
    number = ACT_NUMBER.match(lines[anchor - 1]).group(1)  # type: ignore[union-attr]
    fields: dict[str, str | None] = {}
    body = None
    sitting_date = None
    president = secretary = None
    ack = None
    spans = paragraph_spans(lines, block.first, anchor - 1, prose=True)
    title, title_line = _title(spans)

    attendance: dict[str, list[str]] = {k: [] for k, _ in _ATTENDANCE}
    header = lines[block.first - 1 : title_line - 1]
    for line in header:
        for key, pattern in _HEADER_FIELDS:
            m = pattern.match(line)
            if m:
                fields[key] = parse_date(m.group(1))
        if ack is None and (m := _ACK.search(line)):
            ack = m.group(1)
        if body is None and (m := _BODY.search(line)):
            body = _body(m.group(1))
        if sitting_date is None and (m := _MEETING.match(line)):
            sitting_date = parse_date(m.group(1))
        if president is None and (m := _PRESIDENCY.match(line)):
            president = squash(m.group(1))
        if secretary is None and (m := _SECRETARY.match(line)):
            secretary = strip_civility(m.group(1))
    for para, _, _ in spans:
        for key, pattern in _ATTENDANCE:
            m = pattern.match(para)
            if m:
                attendance[key] = split_names(para[m.end():])
                break
    if president:
        president = next((p for p in attendance["present"] if fold(p) == fold(president)), president.title())

    # Visas, commission and conflicts: between the number and the decision verb.
    decision = None
    decision_line = None
    vote_lines = vote_region(lines, anchor, block.last)
    dispositif_end = (vote_lines[0] - 1) if vote_lines else block.last
    for n in range(anchor + 1, dispositif_end + 1):
        m = _DECISION.match(lines[n - 1])
        if m:
            decision = m.group(1).replace("É", "E")
            decision_line = n
            break
    preamble_end = (decision_line - 1) if decision_line else dispositif_end
    visas: list[Visa] = []
    conflicts: list[Conflict] = []
    commission = None
    current: list[str] = []

    def close_visa() -> None:
        if current:
            text = join_lines(current)
            visas.append(Visa(text=text, deliberations=_cited(text)))
            current.clear()

    for n in range(anchor + 1, preamble_end + 1):
        line = strip_markup(lines[n - 1]).strip()
        if is_page_furniture(line, lines[n - 2]):
            continue
        if line.startswith(("Vu ", "Vu\t")):
            close_visa()
            current.append(line)
        elif current and line and not current[-1].rstrip().endswith(";"):
            current.append(line)
        elif current and not line:
            continue
        else:
            close_visa()
    close_visa()
    preamble = paragraphs(lines[anchor:preamble_end], prose=True)
    for para in [v.text for v in visas] + preamble:
        if (commission is None and (m := _COMMISSION.search(para))
                and para.startswith(("Vu l", "Après avoir informé"))):
            commission = Commission(int(m.group(1)), squash(m.group(2)), parse_date(m.group(3)) if m.group(3) else None)
    for para in preamble:
        if m := _CONFLICT.match(para):
            conflicts.append(Conflict(name=strip_civility(m.group(1)), text=para))

    articles = _split_articles(lines[decision_line:dispositif_end]) if decision_line else []
    vote = None
    if vote_lines:
        vote = read_vote("\n".join(lines[vote_lines[0] - 1 : vote_lines[1]]), vote_lines[0])
    signed_at = None
    for n in range(dispositif_end + 1, block.last + 1):
        m = _SIGNED_AT.match(lines[n - 1])
        if m:
            signed_at = parse_date(m.group(2))
            break

    if decision is None or (vote is None and decision == "DECIDE"):  # a "donne acte" may print no vote
        missing = "vote" if vote is None else "verbe de décision (DECIDE, DONNE ACTE, INFORME)"
        warnings.append(Warning("acte_incomplet", f"délibération {number} : {missing} introuvable, "
                                f"acte tronqué ou illisible ; non enregistrée", anchor, number))
        return Read([], warnings)
    deliberation = Deliberation(
        number=number,
        title=title,
        body=body or "conseil_departemental",
        sitting_date=sitting_date or "",
        decision=decision,
        source=Source(document, block.first, block.last),
        ack=ack,
        commission=commission,
        visas=visas,
        articles=articles,
        attendance=Attendance(**attendance),
        vote=vote,
        amounts=read_budget_lines(lines, decision_line or anchor, dispositif_end),
        conflicts=conflicts,
        president=president,
        secretary=secretary,
        signed_at=signed_at,
        text="\n".join(paragraphs(lines[block.first - 1 : block.last], prose=True)),
        **fields,  # type: ignore[arg-type]
    )
    if not sitting_date:
        warnings.append(Warning("date_seance", f"délibération {number} : date de réunion introuvable",
                                anchor, number))
    return Read([deliberation], warnings)
