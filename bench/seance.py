"""The write side at a Département's scale: a sitting of 78 members and 100 items (votes by group with
exceptions, public votes, secret ballots, donne acte, proxies and movements) imported through the
rules into a SQLite file, its documents generated (text, then PDF: pages per second), and read back
by `recueil ingest`'s library — the baseline of the same run, the reading side of the same pages;
then the round trip of the corpus' 2025 séance (seeded members, re-entered, replayed, its 12 acts
generated and parsed).

Best and median of the rounds (the machine is shared and noisy).

Usage: python bench/seance.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from rich.console import Console
from rich.table import Table

from recueil import jobs
from recueil.config import Collectivite
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.seance.documents import deliberation_text
from recueil.seance.generate import documents, load, public_casts, recorded, write
from recueil.seance.importer import import_sitting, replay
from recueil.seance.members import Membership, Roster
from recueil.seance.numbering import Series
from recueil.seance.reentry import sitting_file
from recueil.seance.seeding import seed
from recueil.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GROUPS = ("Groupe Socialiste, Républicain et Citoyen", "Groupe Communiste et Républicain",
          "Groupe Union pour le Pas-de-Calais", "Groupe Rassemblement National", "Non-inscrits")
GIVEN = ("Anne", "Bruno", "Claire", "Denis", "Emma", "Fabien", "Gaëlle", "Hugo", "Inès", "Jules", "Karine", "Louis",
         "Marie")
SURNAMES = ("ARNOULT", "BERTIN", "CARON", "DELATTRE", "EVRARD", "FOURNIER")  # 13 × 6 = 78 distinct names


def large_sitting(members: int = 78, items: int = 100) -> dict[str, Any]:
    """A séance file every rule accepts: 70 present, 6 excused each with a proxy, 2 absent; one
    arrival and one departure every ten items; a group abstaining with two exceptions, a public
    vote every 10th item, a secret ballot every 25th, a donne acte every 20th."""
    names = [f"{GIVEN[i % 13]} {SURNAMES[i // 13]}" for i in range(members)]
    people = [{"name": n, "civility": "Mme" if i % 2 else "M.", "group": GROUPS[i % len(GROUPS)], "voting": True}
              for i, n in enumerate(names)]
    present, excused, absent = names[:70], names[70:76], names[76:]
    proxies = [{"giver": g, "holder": h} for g, h in zip(excused, present[1:7], strict=True)]
    entries = []
    in_room = set(present)
    for n in range(1, items + 1):
        item: dict[str, Any] = {"report": n, "title": f"Rapport n° {n} : programme départemental {n}",
                                "pole": "Pôle Réussites citoyennes", "direction": "Direction de l'Éducation",
                                "commission": {"number": 1 + n % 6, "name": "Éducation et culture",
                                               "date": "2025-09-08", "opinion": "avis favorable"},
                                "visas": ["Vu le Code Général des Collectivités Territoriales ;",
                                          f"Vu la délibération n°2024-{n:03d} du Conseil départemental ;"],
                                "articles": [f"D'approuver le programme {n}.", "La dépense est imputée au budget."]}
        if n % 10 == 5:  # an absent member arrives, another leaves
            item["arrivals"] = [absent[0]] if absent[0] not in in_room else []
            in_room |= set(item["arrivals"])
        if n % 20 == 0:
            item["decision"] = "DONNE ACTE"
        elif n % 25 == 0:
            voters = len(in_room) + len(proxies)
            item["vote"] = {"mode": "secret", "totals": {"pour": voters - 5, "contre": 2, "abstention": 1,
                                                         "blancs": 1, "nuls": 1}}
        elif n % 10 == 0:
            item["vote"] = {"mode": "public", "members": {
                m: ("contre" if i % 7 == 0 else "pour") for i, m in enumerate(names)
                if m in in_room or m in excused}}
        else:
            item["vote"] = {"mode": "main_levee", "default": "pour", "groups": {GROUPS[3]: "abstention"},
                            "members": {names[3]: "pour", names[8]: "contre"}}
        entries.append(item)
    return {"body": "conseil_departemental", "date": "2025-09-22", "opened_at": "10:00", "closed_at": "18:30",
            "place": "Hôtel du Département, Arras", "president": names[0], "secretary": names[1],
            "convocation_sent": "2025-09-05", "members": people,
            "roll_call": {"present": present, "excused": excused, "absent": absent}, "proxies": proxies,
            "items": entries}


def rounds(runs: int, step: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    data = large_sitting()
    collectivite = Collectivite()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def imported() -> str:
            url = f"sqlite:///{folder / f'import-{time.monotonic_ns()}.db'}"
            with Store(url) as store, store.writing() as conn:
                import_sitting(conn, data)
            return url

        times, url = rounds(runs, imported)
        rows.append(("import (règles, registre des votes, SQLite)", times, "100 points, 78 membres"))
        with Store(url) as store, store.engine.connect() as conn:
            sitting = load(conn, "cd-2025-09-22")
            casts = public_casts(conn, sitting)
        times, made = rounds(runs, lambda: documents(sitting, casts, collectivite))
        out = folder / "out"
        write(made, out)
        pages = sum(len(pdfium.PdfDocument(p)) for p in out.glob("*.pdf"))
        rows.append(("générer (texte et PDF)", times, f"{len(made)} documents, {pages} pages, "
                                                      f"{pages / min(times):.0f} pages/s"))

        def read_back() -> int:
            target = folder / f"relu-{time.monotonic_ns()}.db"
            with Store(f"sqlite:///{target}") as store:
                outcomes = jobs.ingest(store, [out], workers=1)
            return len(outcomes)

        times, count = rounds(runs, read_back)
        rows.append(("base : relire (recueil ingest, 1 processus)", times, f"{count} fichiers, "
                                                                         f"{pages / min(times):.0f} pages/s"))
        corpus = CORPUS / "003_e61d4ed207638a45.txt"
        if corpus.exists():
            base = folder / "corpus.db"
            with Store(f"sqlite:///{base}") as store:
                jobs.ingest(store, [corpus], workers=1)
                with store.writing() as conn:
                    seed(conn)

            def round_trip() -> int:
                copy = folder / f"corpus-{time.monotonic_ns()}.db"
                shutil.copy(base, copy)
                with Store(f"sqlite:///{copy}") as store, store.engine.connect() as conn:
                    file = sitting_file(conn, "cd-2025-09-22")
                roster = Roster(file["body"], file["date"], tuple(
                    Membership(m["name"], m["civility"], file["body"], m["group"], voting=m["voting"])
                    for m in file["members"]))
                replayed, reasons = replay(file, roster, Series(2025, 360))
                assert replayed is not None and not reasons, reasons
                stored = recorded(replayed)
                return sum(len(parse(read_bytes(f"{i['number']}.txt", deliberation_text(
                    stored, i, collectivite.nom).encode())).deliberations) for i in stored.deliberated)

            times, acts = rounds(runs, round_trip)
            rows.append(("aller-retour de la séance 2025 du corpus", times, f"{acts} actes relus sur 12"))

    table = Table(title=f"Séance : import, documents, relecture (meilleur et médiane de {runs} tours)")
    for column in ("étape", "meilleur", "médiane", "détail"):
        table.add_column(column, justify="left" if column in ("étape", "détail") else "right")
    for name, times, detail in rows:
        table.add_row(name, f"{min(times) * 1000:.0f} ms", f"{statistics.median(times) * 1000:.0f} ms", detail)
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
