"""The documents a recorded sitting produces, read back by our own ingest: numbers, titles, dates,
decision, visas, articles, vote counts and groups, attendance, roll call and proxies come back as
they were entered — for the example séance (text and PDF, through `recueil seance generer` and
`recueil ingest`) and for random sittings (hypothesis, text)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from recueil.config import Collectivite
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.model import to_dict
from recueil.seance.documents import deliberation_text, printed_visas, proces_verbal_text, report_text
from recueil.seance.generate import ledgers, recorded
from recueil.seance.importer import replay
from recueil.seance.numbering import Series
from recueil.seance.sitting import Sitting
from recueil.store.groups import derived_counts
from recueil.store.groups import slug as group_slug
from recueil.text.names import name_key

_here = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("recueil_tests_seance_property", _here / "test_property.py")
assert _spec and _spec.loader
_property = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_property)

EXAMPLE = Path(__file__).parents[2] / "examples" / "seance-exemple.json"
RECUEIL = [str(Path(sys.executable).parent / "recueil")]  # the installed command, as a user runs it


def expected_act(item: dict[str, Any]) -> dict[str, Any]:
    """What the JSONL deliberation of a generated act must say, from the item as recorded."""
    vote = None
    if item.get("vote"):
        vote = {k: item["vote"][k] for k in ("pour", "contre", "abstention", "absent_sans_delegation",
                                             "ne_prend_pas_part", "en_exercice", "presents", "delegations", "result")}
        vote["groups"] = {k: v for k, v in item["vote"]["groups"].items() if v}
        vote["members"] = item["vote"].get("members") or {}
    commission = item.get("commission")
    return {"number": item["number"], "title": item["title"], "decision": item["decision"],
            "visas": [v.rstrip(" ;") for v in printed_visas(item)],
            "articles": [" ".join(a.split()) for a in item.get("articles") or []],
            "attendance": {k: v for k, v in item["attendance"].items() if v},
            "conflicts": item.get("not_taking_part") or [],
            "commission": {"number": commission["number"], "name": commission["name"], "date": commission.get("date")}
            if commission and any("commission «" in v for v in printed_visas(item)) else None,
            "vote": vote}


def read_act(record: dict[str, Any]) -> dict[str, Any]:
    vote = record.get("vote")
    if vote:
        vote = {k: vote[k] for k in ("pour", "contre", "abstention", "absent_sans_delegation", "ne_prend_pas_part",
                                     "en_exercice", "presents", "delegations", "result", "groups", "members")}
        vote["groups"] = {k: v for k, v in vote["groups"].items() if v}
    return {"number": record["number"], "title": record["title"], "decision": record["decision"],
            "visas": [v["text"].rstrip(" ;") for v in record["visas"]],
            "articles": [" ".join(a["text"].split()) for a in record["articles"]],
            "attendance": {k: v for k, v in record["attendance"].items() if v},
            "conflicts": [c["name"] for c in record.get("conflicts") or []],
            "commission": record["commission"], "vote": vote}


def expected_sitting(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("id", "body", "date", "president", "secretary", "opened_at", "closed_at",
                                   "present", "excused", "absent", "proxies")}


def text_of(name: str, text: str) -> Any:
    return parse(read_bytes(name, text.encode()))


def ledger_counts(sitting: Sitting) -> dict[str, dict[str, dict[str, int]]]:
    """Each voted item's votes by group and position, counted from the ledger of the sitting."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for item in sitting.items:
        if item.number and item.ballot and item.ballot.mode != "secret":
            tally = Counter((c.group, "absent_sans_delegation" if c.position == "absent" else c.position)
                            for c in item.ballot.casts)
            by_group = counts.setdefault(item.number, {})
            for (group, position), count in tally.items():
                by_group.setdefault(group, {})[position] = count
    return counts


def check_round_trip(sitting: Sitting) -> None:
    """Each act's text, and the procès-verbal's, read back give what was recorded; with the
    members list of the day, each group's votes derived from the act are the ledger's where the
    act fixes them (null where it cannot tell)."""
    stored = recorded(sitting)
    collectivite = Collectivite().nom
    membership = {name_key(m.name): group_slug(m.group) for m in sitting.roster.in_office}
    held = ledger_counts(sitting)
    for item in stored.deliberated:
        text = f"{deliberation_text(stored, item, collectivite)}\n{report_text(stored, item, collectivite)}"
        publication = text_of(f"{item['number']}.txt", text)
        acts = [to_dict(d) for d in publication.deliberations]
        assert [read_act(a) for a in acts] == [expected_act(item)], text
        assert acts[0]["sitting_date"] == sitting.date and acts[0]["body"] == sitting.body
        assert [r.number for r in publication.reports] == [item["report"]]
        assert acts[0]["report_number"] == item["report"]
        if item["number"] in held:
            derived, ledger = derived_counts(acts[0]["vote"], membership, acts[0]["attendance"]), held[item["number"]]
            assert {g: set(by) for g, by in derived.items()} == {g: set(by) for g, by in ledger.items()}
            assert all(n in (None, ledger[g][p]) for g, by in derived.items() for p, n in by.items()), text
    pv = text_of("proces-verbal.txt", proces_verbal_text(stored, collectivite, ledgers(sitting)))
    assert [expected_sitting(to_dict(s)) for s in pv.sittings] == [expected_sitting(stored.record)]
    assert [a.number for a in pv.sittings[0].agenda] == [i["report"] for i in stored.items]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_property.sittings())
def test_random_sittings_read_back_as_entered(drawn: tuple[dict[str, Any], Any]) -> None:
    data, roster = drawn
    sitting, reasons = replay(data, roster, Series(2025, 360))
    if reasons or sitting is None:
        return
    _property.check(sitting, 360)  # every accepted sitting satisfies the rules…
    check_round_trip(sitting)  # …and its documents give it back


def _run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*RECUEIL, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert (done.returncode == 0) == ok, done.stderr
    return done


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[dict[str, Any]]]:
    """The example séance imported, its documents generated (text and PDF) and ingested again."""
    folder = tmp_path_factory.mktemp("generer")
    db = f"sqlite:///{folder / 'seance.db'}"
    _run("seance", "import", EXAMPLE, "--db", db)
    _run("seance", "generer", "cd-2025-03-03", "--out", folder / "out", "--db", db)
    back = f"sqlite:///{folder / 'relu.db'}"
    _run("ingest", folder / "out", "--db", back)
    records = [json.loads(line) for line in _run("export", "--format", "jsonl", "--db", back).stdout.splitlines()]
    return folder, db, records


def test_generer_writes_each_act_and_the_sitting_documents(generated: tuple[Path, str, list[dict[str, Any]]]) -> None:
    folder, _, _ = generated
    assert sorted(p.name for p in (folder / "out").iterdir()) == sorted(
        f"{stem}.{suffix}" for stem in ("2025-001", "2025-002", "liste-des-deliberations", "convocation",
                                        "proces-verbal") for suffix in ("txt", "pdf"))
    act = (folder / "out" / "2025-002.txt").read_text(encoding="utf-8")
    assert "\n(N°2025-002)\n" in act and "\nArticle unique :\n" in act
    assert ("Pour : 8 voix (Groupe Avenir du Val-de-Lys ; Non-inscrits)\nContre : 0 voix\n"
            "Abstention : 2 voix (Groupe Écologie et Solidarités)\n\n(Adopté)") in act
    pv = (folder / "out" / "proces-verbal.txt").read_text(encoding="utf-8")
    assert "(Quorum au moment du vote : 8 présents sur 10 en exercice, 6 requis.)" in pv
    assert "(Rapport retiré de l'ordre du jour : ni vote, ni numéro.)" in pv
    assert (folder / "out" / "2025-001.pdf").read_bytes().startswith(b"%PDF")


def test_ingest_reads_the_generated_folder_back(generated: tuple[Path, str, list[dict[str, Any]]]) -> None:
    _, _, records = generated
    by_source: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if record["type"] == "deliberation":
            by_source.setdefault(record["source"]["document"], []).append(record)
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    entered = [i for i in data["items"] if not i.get("withdrawn")]
    for source in ("2025-001.txt", "2025-001.pdf", "2025-002.txt", "2025-002.pdf"):
        [act] = by_source[source]
        item = entered[int(source[5:8]) - 1]
        assert act["number"] == source[:8] and act["title"] == item["title"]
        assert act["sitting_date"] == "2025-03-03" and act["decision"] == "DECIDE"
        assert [v["text"] for v in act["visas"]] == printed_visas(item)  # with the commission's when not entered
        assert [" ".join(a["text"].split()) for a in act["articles"]] == item["articles"]
        assert act["report_number"] == item["report"]
    pdf_act = by_source["2025-002.pdf"][0]
    assert {k: pdf_act["vote"][k] for k in ("pour", "contre", "abstention", "en_exercice", "presents", "delegations",
                                            "result")} == {"pour": 8, "contre": 0, "abstention": 2, "en_exercice": 10,
                                                           "presents": 8, "delegations": 2, "result": "adopte"}
    assert pdf_act["vote"]["groups"]["abstention"] == ["Groupe Écologie et Solidarités"]
    assert pdf_act["attendance"]["excused"] == ["Claire ROUSSEL", "Bernard NOWAK"]
    sittings = [r for r in records if r["type"] == "sitting" and r["present"]]
    assert {(s["president"], s["opened_at"], s["closed_at"], len(s["present"])) for s in sittings} == {
        ("Hélène VASSEUR", "09:30", "11:05", 8)}
    assert all(s["proxies"] == [{"giver": "Bernard NOWAK", "holder": "Inès FOURNIER"},
                                {"giver": "Claire ROUSSEL", "holder": "Karim BELHADJ"}] for s in sittings)
    assert len(sittings) == 2  # the procès-verbal, as text and as PDF


def test_generer_refuses_an_unknown_sitting_in_one_line(generated: tuple[Path, str, list[dict[str, Any]]]) -> None:
    folder, db, _ = generated
    done = _run("seance", "generer", "cd-2025-03-04", "--out", folder / "autre", "--db", db, ok=False)
    assert done.returncode == 2
    assert done.stderr == "séance inconnue : cd-2025-03-04 (séances enregistrées : cd-2025-03-03)\n"
    assert not (folder / "autre").exists()


def test_an_act_read_twice_is_one_row_of_the_scdl_export(generated: tuple[Path, str, list[dict[str, Any]]]) -> None:
    """Each act of the folder is read from its text and from its PDF: the open-data file has one
    row per deliberation, its last stored reading."""
    folder, _, records = generated
    assert sorted(r["number"] for r in records if r["type"] == "deliberation") == ["2025-001"] * 2 + ["2025-002"] * 2
    csv = _run("export", "--format", "scdl", "--db", f"sqlite:///{folder / 'relu.db'}").stdout.splitlines()
    assert len(csv) == 3 and sorted(line.split(",")[2] for line in csv[1:]) == ["2025-001", "2025-002"]


def test_the_proces_verbal_names_the_voters_of_a_public_vote(tmp_path: Path) -> None:
    """CGCT L3121-15: a scrutin public's voters by name, read from the stored ledger."""
    from recueil.seance.documents import proces_verbal_text
    from recueil.seance.generate import load, public_casts
    from recueil.seance.importer import import_sitting
    from recueil.store.database import Store

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    voters = [*data["roll_call"]["present"], "Claire ROUSSEL", "Bernard NOWAK"]  # the two represented
    data["items"][1]["vote"] = {"mode": "public", "members": {n: "contre" if n == "Sarah DUCROCQ" else "pour"
                                                             for n in voters}}
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        with store.writing() as conn:
            import_sitting(conn, data)
        with store.engine.connect() as conn:
            sitting = load(conn, "cd-2025-03-03")
            casts = public_casts(conn, sitting)
    assert list(casts) == ["2025-002"]
    pv = proces_verbal_text(sitting, Collectivite().nom, casts)
    assert "(Vote au scrutin public.)\n\n(Ont voté pour : Mme Hélène VASSEUR, M. Thomas GRANDEL," in pv
    assert "\n\n(Ont voté contre : Mme Sarah DUCROCQ.)\n\n" in pv
