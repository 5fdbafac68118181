"""The rows a publication is stored as, table by table, and the search entries it is indexed by:
pure functions of the publication (no database here), so that the parse workers make them and the
process that writes the store only inserts them (`prepared`, handed to `ingest.batch`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from recueil.model import Publication, sitting_id, to_dict
from recueil.store.entries import Analysed, analyse


@dataclass
class Prepared:
    """What a parse worker hands back: the publication, its search index entries and its rows."""

    publication: Publication
    analysed: Analysed
    rows: dict[str, list[dict[str, Any]]]


def prepared(publication: Publication) -> Prepared:
    return Prepared(publication, analyse(publication), table_rows(publication))


def table_rows(publication: Publication) -> dict[str, list[dict[str, Any]]]:
    """The rows of a publication by table name (see the module docstring)."""
    doc = publication.document.id
    rows: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in publication.sittings:
        rows["sittings"].append({"document_id": doc, "id": s.id, "body": s.body, "date": s.date, "data": to_dict(s)})
        for status in ("present", "excused", "absent"):
            rows["attendance"].extend(
                {"document_id": doc, "sitting_id": s.id, "deliberation": None, "name": name, "status": status}
                for name in getattr(s, status)
            )
        rows["proxies"].extend(
            {"document_id": doc, "sitting_id": s.id, "giver": p.giver, "holder": p.holder} for p in s.proxies
        )
    for d in publication.deliberations:
        sitting = sitting_id(d.body, d.sitting_date) if d.sitting_date else None
        data = to_dict(d)
        del data["annexes"]
        rows["annexes"].extend(
            {
                "document_id": doc,
                "deliberation": d.number,
                "seq": seq,
                "of": a.of,
                "first_line": a.source.first_line,
                "last_line": a.source.last_line,
                "first_page": a.source.first_page,
                "last_page": a.source.last_page,
                "text": a.text,
            }
            for seq, a in enumerate(d.annexes, 1)
        )
        rows["deliberations"].append(
            {
                "document_id": doc,
                "number": d.number,
                "sitting_id": sitting,
                "title": d.title,
                "body": d.body,
                "sitting_date": d.sitting_date,
                "decision": d.decision,
                "text": data.pop("text"),
                "data": data,
            }
        )
        for status in ("present", "excused", "absent"):
            rows["attendance"].extend(
                {"document_id": doc, "sitting_id": sitting, "deliberation": d.number, "name": name, "status": status}
                for name in getattr(d.attendance, status)
            )
    for r in publication.reports:
        data = to_dict(r)
        rows["reports"].append(
            {
                "document_id": doc,
                "number": r.number,
                "deliberation": r.deliberation,
                "title": r.title,
                "text": data.pop("text"),
                "data": data,
            }
        )
    for a in publication.listed_acts:
        rows["listed_acts"].append(
            {
                "document_id": doc,
                "kind": a.kind,
                "section": a.section,
                "title": a.title,
                "page": a.page,
                "data": to_dict(a),
            }
        )
    for i in publication.interventions:
        rows["interventions"].append(
            {
                "document_id": doc,
                "sitting_id": i.sitting,
                "seq": i.seq,
                "speaker": i.speaker,
                "speaker_name": i.speaker_name,
                "agenda_item": i.agenda_item,
                "text": i.text,
                "data": to_dict(i),
            }
        )
    for m in publication.motions:
        rows["motions"].append(
            {"document_id": doc, "title": m.title, "filed_by": m.filed_by, "text": m.text, "data": to_dict(m)}
        )
    for w in publication.warnings:
        rows["warnings"].append(
            {"document_id": doc, "code": w.code, "message": w.message, "line": w.line, "record": w.record}
        )
    return dict(rows)
