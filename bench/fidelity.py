"""Reading fidelity and time, per document: the share of its gold facts read exactly, and the time
to read it (best of N), beside the time to extract its text alone (the baseline: what any reading
pays before understanding anything).

Gold facts: for ../shared/corpus-other, those of ../shared/gold/other/NAME.gold.json (each
deliberation found by its number, its title, result and printed counts; the sitting's date, present
and proxies); for ../shared/corpus, the sample of ../shared/gold/sample.json (each sampled
deliberation's number, title, date, assembly, decision, rapport, attendance and vote counts; the
documents' record counts). Titles match when they agree for 85% (case and accents aside).

Usage: python bench/fidelity.py [--runs 3]
"""

from __future__ import annotations

import argparse
import difflib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from recueil.ingest.pdf import read_pdf
from recueil.ingest.pipeline import parse
from recueil.ingest.read import Text, read_file
from recueil.model import Deliberation, Publication
from recueil.text.clean import fold

SHARED = Path(__file__).resolve().parents[2] / "shared"
RESULTS = {"adopte": "adopte", "retirée": "retire", "rejete": "rejete", "prend_acte": "prend_acte"}


def _read(path: Path) -> Text:
    return read_pdf(path) if path.suffix == ".pdf" else read_file(path)


def _same_title(printed: str, gold: str) -> bool:
    return difflib.SequenceMatcher(None, fold(printed), fold(gold)).ratio() >= 0.85


def _by_number(publication: Publication, number: str, title: str) -> Deliberation | None:
    found = [a for a in publication.deliberations if "".join(a.number.split()) == number]
    return max(found, key=lambda a: difflib.SequenceMatcher(None, fold(a.title), fold(title)).ratio(), default=None)


def other_facts(publication: Publication, gold: dict[str, Any]) -> Iterator[bool]:
    for expected in gold["deliberations"]:
        act = _by_number(publication, expected["number"], expected["title"])
        yield act is not None
        yield act is not None and _same_title(act.title, expected["title"])
        if "result" in expected:
            yield act is not None and act.result == RESULTS.get(expected["result"], expected["result"])
        for choice, count in (expected.get("vote") or {}).items():
            yield act is not None and act.vote is not None and getattr(act.vote, choice) == count
    sitting = publication.sittings[0] if publication.sittings else None
    yield sitting is not None and sitting.date == gold["sitting_date"]
    attendance = gold.get("attendance", {})
    for key, read in (("present", "present"), ("proxies", "proxies")):
        if key in attendance:
            yield sitting is not None and len(getattr(sitting, read)) == attendance[key]


def corpus_facts(publication: Publication, gold: dict[str, Any], name: str) -> Iterator[bool]:
    numbers = {a.number for a in publication.deliberations}
    for expected in gold["deliberations"]:
        if expected["number"] not in numbers:
            continue  # the sample's other document
        act = _by_number(publication, expected["number"], expected["title"])
        assert act is not None
        yield _same_title(act.title, expected["title"])
        for key in ("sitting_date", "body", "decision", "report_number", "sent_to_prefecture", "posted"):
            if key in expected:
                yield getattr(act, key) == expected[key]
        for key in ("present", "excused", "absent"):
            if key in expected:
                yield len(getattr(act.attendance, key)) == expected[key]
        for choice, count in (expected.get("vote") or {}).items():
            read = (act.result == "adopte") if choice == "adopte" else getattr(act.vote, choice, None)
            yield act.vote is not None and read == count
    counts = gold["counts"].get(name, {})
    for key, read in (("deliberations", len(publication.deliberations)), ("reports", len(publication.reports)),
                      ("interventions", len(publication.interventions)), ("motions", len(publication.motions))):
        if key in counts:
            yield read == counts[key]


def _best(runs: int, work: Callable[..., object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    documents = [(p, "other") for p in sorted((SHARED / "corpus-other").glob("*.pdf"))]
    documents += [(p, "corpus") for p in sorted((SHARED / "corpus").glob("*.txt"))]
    sample = json.loads((SHARED / "gold" / "sample.json").read_text())
    table = Table(title=f"Fidélité de lecture (meilleur de {runs})")
    for column in ("document", "genre", "faits exacts", "part", "texte seul (s)", "lecture (s)", "rapport"):
        table.add_column(column, justify="left" if column in ("document", "genre") else "right")
    for path, family in documents:
        text = _read(path)
        publication = parse(text)
        if family == "other":
            gold = json.loads((SHARED / "gold" / "other" / f"{path.stem}.gold.json").read_text())
            facts = list(other_facts(publication, gold))
        else:
            facts = list(corpus_facts(publication, sample, path.name))
        extract = _best(runs, lambda path=path: _read(path))
        whole = _best(runs, lambda path=path: parse(_read(path)))
        table.add_row(path.name, publication.document.kind, f"{sum(facts)}/{len(facts)}",
                      f"{100 * sum(facts) / max(len(facts), 1):.0f} %", f"{extract:.3f}", f"{whole:.3f}",
                      f"× {whole / extract:.1f}")
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
