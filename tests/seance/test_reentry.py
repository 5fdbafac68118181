"""The 2025 séance of the corpus entered again: a séance file built from the documents read (its
members and the groups the documents give them, the roll call, 7 proxies, 12 items and the votes as
the record prints them), replayed through the rules, its acts generated and read back, then
compared with the ingested originals — decision, attendance, result, and the vote counts and
groups where the printed record lets them be derived."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from recueil.config import Collectivite
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.model import to_dict
from recueil.seance.documents import deliberation_text
from recueil.seance.generate import recorded
from recueil.seance.importer import replay, validate
from recueil.seance.members import Roster
from recueil.seance.numbering import Series
from recueil.seance.reentry import sitting_file
from recueil.seance.seeding import close_names, seed
from recueil.store import schema
from recueil.store.database import Store
from recueil.text.names import name_key

SITTING = "cd-2025-09-22"


@pytest.fixture(scope="module")
def reentered(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """The séance file, the replayed sitting and the originals by number (on a copy of the corpus
    store: seeding writes members)."""
    copy = tmp_path_factory.mktemp("reentry") / "corpus.db"
    shutil.copy(corpus_db.removeprefix("sqlite:///"), copy)
    with Store(f"sqlite:///{copy}") as store:
        with store.writing() as conn:
            seed(conn)
        with store.engine.connect() as conn:
            data = sitting_file(conn, SITTING)
            d = schema.deliberations
            originals = {row.number: row.data for row in conn.execute(
                select(d.c.number, d.c.data).where(d.c.sitting_id == SITTING))}
    assert validate(data) == []
    roster = Roster(data["body"], data["date"], tuple(_memberships(data)))
    sitting, reasons = replay(data, roster, Series(2025, 360))
    assert reasons == [] and sitting is not None
    return data, sitting, originals


def _memberships(data: dict[str, Any]) -> list[Any]:
    from recueil.seance.members import Membership

    return [Membership(m["name"], m["civility"], data["body"], m["group"], voting=m["voting"]) for m in data["members"]]


def test_the_file_holds_the_printed_sitting(reentered: tuple[dict[str, Any], Any, dict[str, Any]]) -> None:
    data, _, _ = reentered
    assert len(data["members"]) == 78  # "Séverine GOSSSELIN", printed once, is Séverine GOSSELIN
    assert [len(data["roll_call"][k]) for k in ("present", "excused", "absent")] == [68, 9, 1]
    assert len(data["proxies"]) == 7 and data["proxies"][0] == {"giver": "François LEMAIRE",
                                                                 "holder": "André KUCHCINSKI"}
    assert [i["report"] for i in data["items"]] == list(range(1, 13))
    assert data["items"][0]["not_taking_part"] == ["Karine GAUTHIER", "Blandine DRAIN"]
    assert data["items"][1]["vote"]["members"] == dict.fromkeys(
        ["Bruno COUSEIN", "Maryse JUMEZ", "Frédéric MELCHIOR", "Nicole CHEVALIER"], "pour")


def test_replayed_acts_read_back_as_the_originals(reentered: tuple[dict[str, Any], Any, dict[str, Any]]) -> None:
    _, sitting, originals = reentered
    stored = recorded(sitting)
    assert sitting.numbers == [f"2025-{n}" for n in range(360, 372)] == sorted(originals)
    members = [m.name for m in sitting.roster.members]
    agreeing = []
    for item in stored.deliberated:
        text = deliberation_text(stored, item, Collectivite().nom)
        [act] = [to_dict(d) for d in parse(read_bytes(f"{item['number']}.txt", text.encode())).deliberations]
        original = originals[item["number"]]
        assert (act["number"], act["title"], act["decision"], act["sitting_date"]) == (
            original["number"], original["title"], original["decision"], original["sitting_date"])
        ours, printed_lists = _names(act["attendance"], members), _names(original["attendance"], members)
        assert ours["present"] == printed_lists["present"]
        # Who left during the sitting is listed excused or absent as they gave a proxy on leaving
        # or not, and the record prints no such proxy: the two lists are compared together.
        assert sorted(ours["excused"] + ours["absent"]) == sorted(printed_lists["excused"] + printed_lists["absent"])
        if act["decision"] == "DONNE ACTE":
            assert act["vote"] is None  # a donne acte has no vote (the record prints one anyway)
            continue
        printed, ours = original["vote"], act["vote"]
        assert ours["result"] == printed["result"] == "adopte"
        assert ours["en_exercice"] == 78
        if _derivable(original, sitting.proxies_given):
            assert {k: ours[k] for k in ("pour", "contre", "abstention")} == {
                k: printed[k] for k in ("pour", "contre", "abstention")}
            assert ours["groups"]["pour"] == printed["groups"]["pour"]
            agreeing.append(item["number"])
    # Only 2025-362 prints counts its own attendance gives: the others count as voting the members
    # who left without proxy (2025-360 and 2025-363 to 366 print 76 to 78 "pour" for 74 to 77
    # present or represented), and 2025-361's 24 abstentions are those of two groups whose
    # members the documents do not all name.
    assert agreeing == ["2025-362"]


def _names(attendance: dict[str, list[str]], members: list[str]) -> dict[str, list[str]]:
    """Each list as the members' names: accents and hyphens aside, and a name printed one letter
    off taken for the member's (the record prints "Séverine GOSSSELIN" once)."""
    keys = {name_key(m): m for m in members}

    def member(name: str) -> str:
        if name_key(name) in keys:
            return keys[name_key(name)]
        close = [b if a == name else a for a, b in close_names([name, *members]) if name in (a, b)]
        return close[0] if close else name

    return {k: sorted(map(member, v)) for k, v in attendance.items()}


def _derivable(act: dict[str, Any], proxies: list[Any]) -> bool:
    """The printed counts follow from the printed attendance and the sitting's proxies (present
    and represented = votes), and every group voted one way (no membership needed)."""
    vote = act["vote"]
    present = {name_key(n) for n in act["attendance"]["present"]}
    interest = {name_key(c["name"]) for c in act.get("conflicts") or []}
    represented = [p for p in proxies if name_key(p.holder) in present and name_key(p.giver) not in present | interest]
    positions = [k for k in ("pour", "contre", "abstention") if vote["groups"].get(k)]
    return vote["pour"] + vote["contre"] + vote["abstention"] == len(present) + len(represented) \
        and len(positions) == 1 and not vote.get("members")


def test_the_file_is_accepted_by_seance_import(tmp_path: Path, reentered: tuple[dict[str, Any], Any,
                                                                                   dict[str, Any]]) -> None:
    """The file itself: `recueil seance import` accepts it with the corpus' numbers."""
    import json

    from click.testing import CliRunner

    from recueil.cli import app

    data, _, _ = reentered
    path = tmp_path / "seance-2025.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["seance", "import", str(path), "--premier-numero", "2025-360",
                                      "--db", f"sqlite:///{tmp_path / 's.db'}"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "séance cd-2025-09-22 enregistrée, 12 délibérations : 2025-360 à 2025-371"
