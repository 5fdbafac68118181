"""The JSONL export keeps the contract of DESIGN.md section 4."""

from __future__ import annotations

import io
import json
import re

import pytest

from recueil import jobs
from recueil.ingest.pipeline import parse
from recueil.store.database import Store

CONTRACT = {
    "document": {"id", "sha256", "source", "kind", "title"},
    "sitting": {"id", "body", "date", "president", "secretary", "opened_at", "closed_at", "present", "excused",
                "absent", "proxies"},
    "deliberation": {"number", "title", "body", "sitting_date", "decision", "sent_to_prefecture",
                     "received_by_prefecture", "posted", "published", "ack", "report_number", "commission", "visas",
                     "articles", "attendance", "vote", "amounts", "matiere_code", "source"},
    "report": {"number", "title", "deliberation", "pole", "direction", "service", "territories", "cantons", "epci",
               "commission_opinion"},
    "listed_act": {"kind", "section", "title", "page", "roads", "communes", "object", "period"},
    "intervention": {"sitting", "seq", "speaker", "speaker_name", "agenda_item", "text", "first_line"},
    "motion": {"title", "filed_by", "text", "signatories"},
}
VOTE = {"pour", "contre", "abstention", "absent_sans_delegation", "ne_prend_pas_part", "en_exercice", "presents",
        "delegations", "groups", "result"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def records(tmp_path_factory, raa_2021, seance_2025):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('jsonl') / 'e.db'}")
    store.save(parse(raa_2021))
    store.save(parse(seance_2025))
    out = io.StringIO()
    count = jobs.export(store, "jsonl", out)
    lines = out.getvalue().splitlines()
    assert count == len(lines)
    return [json.loads(line) for line in lines]


def test_every_record_has_its_contract_fields(records):
    seen = set()
    for record in records:
        seen.add(record["type"])
        missing = CONTRACT[record["type"]] - set(record)
        assert not missing, (record["type"], missing)
    assert seen == set(CONTRACT)


def test_counts_by_type(records):
    counts: dict[str, int] = {}
    for r in records:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    assert counts == {"document": 2, "sitting": 2, "deliberation": 33, "report": 33, "listed_act": 177,
                      "intervention": 90, "motion": 5}


def test_deliberation_shapes(records):
    for d in (r for r in records if r["type"] == "deliberation"):
        assert set(d["vote"]) >= VOTE
        assert set(d["vote"]["groups"]) >= {"pour", "contre", "abstention", "absent_sans_delegation"}
        assert set(d["attendance"]) >= {"present", "excused", "absent"}
        assert set(d["source"]) >= {"document", "first_line", "last_line"}
        for key in ("sitting_date", "sent_to_prefecture", "received_by_prefecture", "posted", "published"):
            assert d[key] is None or ISO.match(d[key]), (d["number"], key)
        for line in d["amounts"]:
            assert all(isinstance(v, int) for v in line["amounts"].values())
        assert all(set(a) == {"number", "text"} for a in d["articles"])


def test_exact_values(records):
    d = next(r for r in records if r.get("number") == "2025-361" and r["type"] == "deliberation")
    assert d["vote"]["result"] == "adopte" and d["vote"]["en_exercice"] == 78
    assert d["report_number"] == 2
    assert d["commission"] == {"number": 6, "name": "Finances et service public départemental", "date": "2025-09-02"}
    r = next(r for r in records if r["type"] == "report" and r["number"] == 45)
    assert r["deliberation"] == "2021-232" and r["territories"] == ["Arrageois", "Boulonnais"]
    assert r["commission_opinion"] == "favorable"
    s = next(r for r in records if r["type"] == "sitting" and r["id"] == "cd-2025-09-22")
    assert (s["opened_at"], s["closed_at"], len(s["present"]), len(s["excused"])) == ("10:03", "15:26", 68, 7)
    assert {"giver": "Guy HEDDEBAUX", "holder": "Stéphanie RIGAUX"} in s["proxies"]
