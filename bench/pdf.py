"""PDF reading speed: our whole ingest of one PDF beside bare text extraction by other tools.

One PDF is made from the corpus (the RAA of June 2021, printed with running headers, footers and
page numbers by the tests' `write_pdf`), then each measure runs in a fresh process, best of N:
- ingest: `recueil ingest` of the PDF into a new SQLite file, on all cores (the goal: ≥ 600 pages/s),
  and on one core;
- pypdfium2: its bare text, page by page (one process, then one per core, as our ingest does);
- pypdf: `extract_text()` page by page (what the préfecture-RAA monitoring tools use);
- pdftotext (poppler), when installed.
"× pypdf" is the speed over pypdf's; "temps ÷ pypdfium2" the time over pypdfium2's on one core.

Usage: python bench/pdf.py [--runs 3] [--pdf FILE.pdf]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "corpus" / "000_45492b4b56f19b50.txt"

_CHILD = r"""
import json, os, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import pypdfium2 as pdfium
from recueil import jobs
from recueil.store.database import Store
stage, path = sys.argv[1], Path(sys.argv[2])
if stage == "pypdf":
    from pypdf import PdfReader

def pdfium_pages(first, last):
    document = pdfium.PdfDocument(path)
    for index in range(first, last):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()

with tempfile.TemporaryDirectory() as tmp:
    store = Store(f"sqlite:///{tmp}/bench.db")  # a new, empty database
    start = time.perf_counter()
    if stage.startswith("ingest"):
        [outcome] = jobs.ingest(store, [path], workers=1 if stage == "ingest1" else None)
        assert outcome.status == "nouveau", outcome.reason
    elif stage.startswith("pdfium"):
        count = len(pdfium.PdfDocument(path))
        workers = 1 if stage == "pdfium1" else os.cpu_count()
        if workers == 1:
            pdfium_pages(0, count)
        else:
            step = -(-count // workers)
            firsts = range(0, count, step)
            with ProcessPoolExecutor(workers) as pool:
                list(pool.map(pdfium_pages, firsts, [min(first + step, count) for first in firsts]))
    elif stage == "pypdf":
        for page in PdfReader(path).pages:
            page.extract_text()
    print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def measure(stage: str, pdf: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        if stage == "pdftotext":
            start = time.perf_counter()
            subprocess.run(["pdftotext", str(pdf), os.devnull], check=True)
            best = min(best, time.perf_counter() - start)
        else:
            out = subprocess.run([sys.executable, "-c", _CHILD, stage, str(pdf)], capture_output=True, text=True,
                                 check=True)
            best = min(best, json.loads(out.stdout)["seconds"])
    return best


def make_pdf(folder: Path) -> Path:
    """The RAA of June 2021 as a PDF, printed by the tests' `write_pdf`."""
    spec = importlib.util.spec_from_file_location("conftest", ROOT / "tests" / "conftest.py")
    assert spec and spec.loader
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    pdf = folder / "raa-2021-06.pdf"
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    conftest.write_pdf(lines, pdf, "Recueil des Actes Administratifs N° 6 – juin 2021")
    return pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", type=Path, help="un PDF à mesurer (défaut : le RAA de juin 2021 mis en PDF)")
    args = parser.parse_args()
    if not args.pdf and not SOURCE.exists():
        print("Corpus absent : donnez --pdf FICHIER.pdf ou placez ../shared/corpus à côté du projet.")
        return 2
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        pdf = args.pdf or make_pdf(Path(tmp))
        pages = len(pdfium.PdfDocument(pdf))
        cores = os.cpu_count() or 1
        stages = [("ingest", f"recueil ingest ({cores} processus)"), ("ingest1", "recueil ingest (1 processus)"),
                  ("pdfium1", "pypdfium2, texte (1 processus)"), ("pdfium", f"pypdfium2, texte ({cores} processus)")]
        missing = []
        if importlib.util.find_spec("pypdf"):
            stages.append(("pypdf", "pypdf, extract_text()"))
        else:
            missing.append("pypdf (pip install -e '.[bench]')")
        if shutil.which("pdftotext"):
            stages.append(("pdftotext", "pdftotext (poppler)"))
        else:
            missing.append("pdftotext (apt-get install poppler-utils)")
        seconds = {stage: measure(stage, pdf, args.runs) for stage, _ in stages}
    table = Table(title=f"Lecture d'un PDF de {pages} pages ({pdf.name}), meilleur de {args.runs}")
    for column in ("lecture", "secondes", "pages/s", "× pypdf", "temps ÷ pypdfium2"):
        table.add_column(column, justify="right")
    for stage, label in stages:
        speed = pages / seconds[stage]
        versus_pypdf = f"{speed * seconds['pypdf'] / pages:.1f}" if "pypdf" in seconds else "—"
        table.add_row(label, f"{seconds[stage]:.3f}", f"{speed:,.0f}".replace(",", " "), versus_pypdf,
                      f"{seconds[stage] / seconds['pdfium1']:.2f}")
    Console().print(table)
    print(f"Objectif : ingestion complète ≥ 600 pages/s ; mesuré {pages / seconds['ingest']:,.0f} pages/s."
          .replace(",", " "))
    for tool in missing:
        print(f"Non mesuré, absent : {tool}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
