"""The store, on SQLite and on PostgreSQL: one transaction per document, idempotent re-ingest,
replacement, and the same JSONL export from both."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.model import Warning
from recueil.store import schema
from recueil.store.database import Store, StoreError, database_url


def test_database_url_defaults(monkeypatch):
    monkeypatch.delenv("RECUEIL_DB", raising=False)
    assert database_url(None) == "sqlite:///recueil.db"
    assert database_url("x.db") == "sqlite:///x.db"
    monkeypatch.setenv("RECUEIL_DB", "sqlite:////tmp/y.db")
    assert database_url(None) == "sqlite:////tmp/y.db"


def test_same_bytes_change_nothing_new_version_replaces(store_url, seance_2025):
    store = Store(store_url)
    data = "\n".join(seance_2025.lines).encode("utf-8")
    first = parse(read_bytes("seance.txt", data))
    assert store.save(first).status == "nouveau"
    counts = store.counts()
    assert counts["deliberations"] == 12 and counts["interventions"] == 90 and counts["motions"] == 5
    assert store.save(parse(read_bytes("seance.txt", data))).status == "inchangé"
    assert store.counts() == counts

    # a new version of the same file: one deliberation fewer (its number line removed)
    edited = data.replace(b"(N\xc2\xb02025-371)", b"")
    second = parse(read_bytes("seance.txt", edited))
    assert store.save(second).status == "remplacé"
    after = store.counts()
    assert after["documents"] == 1 and after["deliberations"] == 11
    with store.engine.connect() as conn:
        docs = conn.execute(select(schema.documents.c.sha256)).scalars().all()
        assert docs == [second.document.sha256]
        orphans = conn.execute(select(func.count()).select_from(schema.deliberations)
                               .where(schema.deliberations.c.document_id != second.document.id)).scalar_one()
        assert orphans == 0


def test_attendance_and_proxies_are_rows(store_url, seance_2025):
    store = Store(store_url)
    store.save(parse(seance_2025))
    with store.engine.connect() as conn:
        att = schema.attendance
        at_roll_call = conn.execute(select(att.c.status, func.count()).where(att.c.deliberation.is_(None))
                                    .group_by(att.c.status)).all()
        assert dict(at_roll_call) == {"present": 68, "excused": 7}
        present_361 = conn.execute(select(func.count()).select_from(att).where(
            att.c.deliberation == "2025-361", att.c.status == "present")).scalar_one()
        assert present_361 == 71
        proxies = conn.execute(select(schema.proxies.c.giver, schema.proxies.c.holder)).all()
        assert ("François LEMAIRE", "André KUCHCINSKI") in proxies and len(proxies) == 7


def test_a_failing_save_leaves_nothing(store_url, seance_2025):
    store = Store(store_url)
    publication = parse(seance_2025)
    # a warning without code violates NOT NULL in the last table written: the whole save fails
    broken = replace(publication, warnings=[Warning(None, "code manquant")])  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        store.save(broken)
    assert all(n == 0 for n in store.counts().values())


def test_a_missing_sqlite_store_is_refused_when_only_read(tmp_path: Path) -> None:
    missing = tmp_path / "absente.db"
    with pytest.raises(StoreError, match=f"^base de données introuvable : {missing} \\(créez-la avec recueil ingest\\)$"):
        Store(str(missing), create=False)
    assert not missing.exists()
    Store(str(missing)).close()
    Store(str(missing), create=False).close()


def test_a_column_added_since_the_store_was_made_is_added_on_opening(tmp_path: Path) -> None:
    """A store made before `members.group_stated` existed gets the column, its rows kept."""
    import sqlite3

    path = tmp_path / "ancien.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as old:
        old.execute("ALTER TABLE members DROP COLUMN group_stated")
        old.execute("INSERT INTO members (name, body, group_name, voting) VALUES ('Anne NOM', 'cd', 'Non-inscrits', 1)")
    with sqlite3.connect(path) as old:
        assert "group_stated" not in {row[1] for row in old.execute("PRAGMA table_info(members)")}
    with Store(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        rows = conn.execute(select(schema.members.c.name, schema.members.c.group_stated)).all()
    assert [tuple(r) for r in rows] == [("Anne NOM", None)]
