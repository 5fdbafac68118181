"""Reading PDFs: the records of a PDF are those of its text, with pages; scans, damage, folders.

The PDFs are made here from the corpus text (see `write_pdf` in conftest), once per session.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from recueil import jobs
from recueil.cli import app
from recueil.ingest import ocr, pdf
from recueil.ingest.layout import Line, Page, assemble, gap_spaces
from recueil.ingest.pipeline import parse
from recueil.ingest.read import RefusedInput, Text
from recueil.store.database import Store

PER_PAGE = 80  # corpus lines on a page of the generated PDFs
PLACE = {"first_line", "last_line", "line", "first_page", "last_page", "document"}


def unplaced(record):
    """A JSONL record without where it was read (lines, pages, file name)."""
    if isinstance(record, dict):
        return {k: unplaced(v) for k, v in record.items() if k not in PLACE}
    if isinstance(record, list):
        return [unplaced(v) for v in record]
    return record


def exported(tmp: Path, path: Path) -> list[dict]:
    """The JSONL records of one file, ingested on all cores into a new database."""
    store = Store(f"sqlite:///{tmp / f'{path.parent.name}-{path.name}.db'}")
    outcomes = jobs.ingest(store, [path])
    assert [o.status for o in outcomes] == ["nouveau"], outcomes[0].reason
    out = io.StringIO()
    jobs.export(store, "jsonl", out)
    store.close()
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture(scope="session")
def printed(tmp_path_factory, raa_2021, seance_2025, print_pdf):
    """The RAA of June 2021 in full and the séance of 2025 up to its fourth deliberation, each as a
    PDF and as the text file of what that PDF prints."""
    folder = tmp_path_factory.mktemp("pdf")
    made = {}
    for text, last, title in ((raa_2021, None, "Recueil des Actes Administratifs N° 6 – juin 2021"),
                              (seance_2025, 6700, "Conseil départemental – séance du 22 septembre 2025")):
        stem = text.name.removesuffix(".txt")
        lines = print_pdf(text.lines[:last], folder / f"{stem}.pdf", title, PER_PAGE)
        (folder / f"{stem}.txt").write_text("\n".join(lines), encoding="utf-8")
        made[stem] = (folder / f"{stem}.pdf", folder / f"{stem}.txt", text.lines[:last])
    return made


@pytest.fixture(scope="session", params=["000_45492b4b56f19b50", "003_e61d4ed207638a45"])
def both(request, printed, tmp_path_factory):
    """The JSONL records of one generated PDF, of the text it prints, and of the corpus text."""
    pdf_path, txt_path, corpus = printed[request.param]
    tmp = tmp_path_factory.mktemp("stores")
    (tmp / "corpus").mkdir()
    (tmp / "corpus" / txt_path.name).write_text("\n".join(corpus), encoding="utf-8")
    return exported(tmp, pdf_path), exported(tmp, txt_path), exported(tmp, tmp / "corpus" / txt_path.name)


def test_a_pdf_gives_the_records_of_the_text_it_prints(both):
    from_pdf, from_text, _ = both
    assert len(from_pdf) == len(from_text)
    for a, b in zip(from_pdf, from_text):
        if a["type"] == "document":
            assert (a["kind"], a["title"], a["unread_pages"]) == (b["kind"], b["title"], [])
        else:
            assert unplaced(a) == unplaced(b)


def test_deliberations_votes_and_dates_are_those_of_the_corpus(both):
    """What the font cannot print (private-use bullets) and tab tables aside, the corpus itself."""
    from_pdf, _, corpus = both
    keys = ("number", "title", "body", "sitting_date", "decision", "sent_to_prefecture", "received_by_prefecture",
            "posted", "published", "ack", "report_number", "commission", "vote", "attendance")
    acts = [[{k: r[k] for k in keys} for r in records if r["type"] == "deliberation"] for records in (from_pdf, corpus)]
    assert acts[0] == acts[1] and len(acts[0]) in (21, 4)
    assert all(act["vote"]["pour"] for act in acts[0])


def test_every_record_has_the_pages_its_lines_are_printed_on(both):
    from_pdf, from_text, _ = both
    placed = 0
    for a, b in zip(from_pdf, from_text):
        if isinstance(a.get("source"), dict):
            pages, lines = a["source"], b["source"]
        elif a["type"] == "intervention":
            pages, lines = a, b
        else:
            continue
        assert [pages["first_page"], pages["last_page"]] == [(lines[f"{end}_line"] - 1) // PER_PAGE + 1
                                                             for end in ("first", "last")]
        placed += 1
    assert placed > 100


def test_running_headers_footers_and_page_numbers_are_left_out(printed):
    pdf_path, _, _ = printed["003_e61d4ed207638a45"]
    text = pdf.read_pdf(pdf_path)
    assert not [line for line in text.lines if re.match(r"Page \d+ / \d+$", line) or "certifié conforme" in line
                or line.startswith("Conseil départemental – séance")]
    assert text.pages[0] == 1 and text.pages[-1] == 84 and text.pages == sorted(text.pages)
    assert len(text.pages) == len(text.lines)


def test_line_end_hyphens_and_wide_gaps_are_as_printed(tmp_path):
    path = tmp_path / "coupures.pdf"
    canvas = Canvas(str(path), pagesize=(400, 300))
    canvas.setFont("Helvetica", 10)
    for y, run in ((250, "Le Département du Pas-"), (238, "de-Calais a voté la délibération du départe-"),
                   (226, "ment pour le sommaire")):
        canvas.drawString(40, y, run)
    canvas.drawString(300, 226, "12")
    canvas.save()
    text = pdf.read_pdf(path)
    assert text.lines[:2] == ["Le Département du Pas-", "de-Calais a voté la délibération du départe-"]
    assert text.lines[2].startswith("ment pour le sommaire   ") and text.lines[2].endswith(" 12")
    assert not any("\ufffe" in line for line in text.lines)


@pytest.mark.parametrize("make, reason", [
    (lambda good: good[: len(good) // 2], "PDF incomplet"),
    (lambda good: b"Bonjour,\nceci est une lettre et non un PDF.\n", "ce n'est pas un PDF"),
    (lambda good: good.replace(b"/Root", b"/Rxxx").replace(b"xref", b"xxxx"), "PDF endommagé"),
    ("encrypted", "PDF protégé par un mot de passe"),
])
def test_a_damaged_pdf_is_refused_in_one_line_and_nothing_is_stored(tmp_path, make, reason):
    good = tmp_path / "bon.pdf"
    Canvas(str(good)).save()
    bad = tmp_path / "abîmé.pdf"
    if make == "encrypted":
        canvas = Canvas(str(bad), encrypt=StandardEncryption("secret", canPrint=0))
        canvas.drawString(100, 700, "Délibération n° 2021-232")
        canvas.save()
    else:
        bad.write_bytes(make(good.read_bytes()))
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = CliRunner().invoke(app, ["ingest", "--db", db, str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    refusals = [line for line in result.stderr.splitlines() if line.startswith("refusé")]
    assert len(refusals) == 1 and f"abîmé.pdf : {reason}" in refusals[0]
    assert Store(db).counts()["documents"] == 0


def test_a_folder_of_pdfs_and_texts_is_read_on_all_cores(tmp_path, printed):
    pdf_path, _, _ = printed["003_e61d4ed207638a45"]
    folder = tmp_path / "mélange"
    (folder / "sous-dossier").mkdir(parents=True)
    (folder / "seance.pdf").write_bytes(pdf_path.read_bytes())
    (folder / "sous-dossier" / "recueil.txt").write_bytes(printed["000_45492b4b56f19b50"][1].read_bytes())
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "notes.odt").write_bytes(b"ignored")
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    outcomes = jobs.ingest(store, [folder], workers=2)
    assert [(o.name, o.status) for o in outcomes] == [
        ("seance.pdf", "nouveau"), ("recueil.txt", "nouveau"), ("vide.pdf", "refusé")]
    assert outcomes[0].counts["deliberation"] == 4 and outcomes[1].counts["deliberation"] == 21
    assert store.counts()["documents"] == 2


STAMP = "Accusé de réception en préfecture 062-226200012-20210705"


def scan(lines: list[str], path: Path, stamp: bool = True) -> None:
    """Print the lines at 10 points on A4 pages, then keep only a 200 dpi image of each page (with
    the stamp a transmission platform adds as text)."""
    text = io.BytesIO()
    canvas = Canvas(text, pagesize=A4)
    for first in range(0, len(lines), 55):
        canvas.setFont("Helvetica", 10)
        for row, line in enumerate(lines[first:first + 55]):
            canvas.drawString(50, A4[1] - 60 - 13 * row, " ".join(line.split()))
        canvas.showPage()
    canvas.save()
    printed = pdfium.PdfDocument(text.getvalue())
    canvas = Canvas(str(path), pagesize=A4)
    for page in printed:
        canvas.drawImage(ImageReader(page.render(scale=200 / 72, grayscale=True).to_pil()), 0, 0, *A4)
        if stamp:
            canvas.setFont("Helvetica", 7)
            canvas.drawString(380, 20, STAMP)
        canvas.showPage()
    canvas.save()


@pytest.fixture(scope="session")
def scanned(tmp_path_factory, raa_2021):
    """Deliberation 2021-244 (two pages) as a scan, and the records of its text."""
    lines = raa_2021.lines[18130:18225]
    path = tmp_path_factory.mktemp("scan") / "2021-244.pdf"
    scan(lines, path)
    return path, parse(Text("2021-244.txt", "0" * 64, lines))


@pytest.mark.skipif(ocr.missing() is not None, reason="tesseract (français) absent : make test l'installe")
def test_a_scanned_pdf_is_read_by_ocr_and_marked_as_such(scanned):
    path, expected = scanned
    text = pdf.read_pdf(path)
    assert text.ocr_pages == [1, 2] and text.unread_pages == []
    got = parse(text)
    assert got.document.ocr_pages == [1, 2]
    assert [w.code for w in got.warnings] == ["ocr"] and "pages 1, 2 lues par reconnaissance" in got.warnings[0].message
    [act], [want] = got.deliberations, expected.deliberations
    for key in ("number", "sitting_date", "decision", "sent_to_prefecture", "posted", "ack", "attendance"):
        assert getattr(act, key) == getattr(want, key), key
    assert replace(act.vote, first_line=None) == replace(want.vote, first_line=None)
    assert [a.text.replace("'", "’") for a in act.articles] == [a.text for a in want.articles]
    assert (act.source.first_page, act.source.last_page) == (1, 2)


def test_without_ocr_the_pages_to_read_are_named_and_the_rest_is_stored(tmp_path, scanned, printed, monkeypatch):
    """Two text pages, then a scanned one: the scan is named with how to install the OCR; once it
    is installed, ingesting the same file again reads that page."""
    document = pdfium.PdfDocument.new()
    document.import_pages(pdfium.PdfDocument(printed["000_45492b4b56f19b50"][0]), [226, 227])  # 2021-244
    document.import_pages(pdfium.PdfDocument(scanned[0]), [1])
    path = tmp_path / "mixte.pdf"
    document.save(path)
    monkeypatch.setattr(ocr, "missing", lambda: "tesseract n'est pas installé")
    store = Store(f"sqlite:///{tmp_path / 'o.db'}")
    [outcome] = jobs.ingest(store, [path], workers=1)
    assert outcome.status == "nouveau" and outcome.counts["deliberation"] == 1
    [warning] = [w for w in outcome.warnings if w.code == "ocr_manquant"]
    assert warning.message == ("page 3 sans texte lisible, non lue : tesseract n'est pas installé ; pour les lire, "
                               "installer l'OCR (apt-get install tesseract-ocr tesseract-ocr-fra) puis relancer "
                               "l'ingestion")
    assert next(store.records())["unread_pages"] == [3]
    assert STAMP in pdf.read_pdf(path).lines  # the text layer of the scan is kept

    monkeypatch.setattr(ocr, "missing", lambda: None)
    monkeypatch.setattr(ocr, "read_pages", lambda document, numbers: {n: [Line("Lu par OCR.", 700.0)] for n in numbers})
    [again] = jobs.ingest(store, [path], workers=1)
    assert again.status == "remplacé"
    assert [(r["ocr_pages"], r["unread_pages"]) for r in store.records() if r["type"] == "document"] == [([3], [])]


def test_a_pdf_with_no_page_to_read_is_refused(tmp_path, raa_2021, monkeypatch):
    scan(raa_2021.lines[18130:18140], tmp_path / "photo.pdf", stamp=False)
    monkeypatch.setattr(ocr, "missing", lambda: "tesseract n'est pas installé")
    with pytest.raises(RefusedInput, match=r"photo\.pdf : aucune page n'a de texte lisible \(tesseract n'est pas"):
        pdf.read_pdf(tmp_path / "photo.pdf")


def test_the_command_reads_a_pdf(tmp_path, printed):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    result = CliRunner().invoke(app, ["ingest", "--db", db, str(printed["003_e61d4ed207638a45"][0])])
    assert result.exit_code == 0, result.output
    assert "003_e61d4ed207638a45.pdf" in result.output and "nouveau" in result.output


# The layout, on lines placed by hand.

def page(number: int, *lines: tuple[str, float]) -> Page:
    return Page(number, [Line(text, y) for text, y in lines])


def test_gaps_become_spaces_as_wide_as_they_are():
    assert [gap_spaces(gap, 6.0) for gap in (2.0, 6.0, 10.0, 12.0, 60.0)] == [1, 1, 1, 2, 10]


def test_blank_lines_come_back_from_the_line_spacing():
    lines, pages = assemble([page(1, ("a", 700), ("b", 688), ("c", 652), ("d", 640)),
                             page(2, ("e", 676), ("f", 664))])
    assert lines == ["a", "b", "", "", "c", "d", "", "", "e", "f"]
    assert pages == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2]


def test_a_line_repeated_at_the_same_height_on_many_pages_is_a_running_line():
    words = "un deux trois quatre cinq six sept huit neuf dix".split()
    pages = [page(n, ("Recueil des actes – juin 2021", 800),
                  *((f"{words[n - 1]} {k}", 700 - 12 * k) for k in range(3)), ("Vu le code ;", 664),
                  *((f"{words[n - 1]} {k}", 652 - 12 * k) for k in range(3)), (f"- {n + 40} -", 40))
             for n in range(1, 11)]
    pages[3].lines[2] = Line("Recueil des actes – juin 2021", 688)  # the same words, elsewhere: text
    lines, _ = assemble(pages)
    assert not [line for line in lines if line.startswith("- ")]
    assert lines.count("Recueil des actes – juin 2021") == 1 and lines.count("Vu le code ;") == 10
    assert len([line for line in lines if line]) == 10 * 7


def test_page_numbers_must_count_with_the_pages():
    counted = assemble([page(1, ("un", 700), ("1", 40)), page(2, ("deux", 700), ("2", 40))])[0]
    fixed = assemble([page(1, ("un", 700), ("12", 40)), page(2, ("deux", 700), ("12", 40))])[0]
    assert "1" not in counted and "2" not in counted
    assert fixed.count("12") == 2
    assert assemble([page(1, ("seul", 700), ("Page 1 / 1", 40))])[0] == ["seul"]


def test_ocr_words_become_lines_with_their_baseline_and_gaps():
    tsv = "\n".join(["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
                     "4\t1\t1\t1\t1\t0\t100\t100\t1000\t40\t-1\t",
                     "5\t1\t1\t1\t1\t1\t100\t100\t200\t40\t96\tPour",
                     "5\t1\t1\t1\t1\t2\t320\t100\t100\t40\t95\t:",
                     "5\t1\t1\t1\t1\t3\t900\t100\t200\t40\t95\t42",
                     "4\t1\t1\t1\t2\t0\t100\t160\t300\t40\t-1\t",
                     "5\t1\t1\t1\t2\t1\t100\t160\t300\t40\t91\tvoix"])
    assert ocr.tsv_lines(tsv, 842.0, 300 / 72) == [Line("Pour :" + " " * 7 + "42", 842 - 140 * 72 / 300),
                                                   Line("voix", 842 - 200 * 72 / 300)]
