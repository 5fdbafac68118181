"""Decoding the real corpus damaged or re-encoded: a few bad bytes cost a few characters and are
reported by line, UTF-16 with a byte order mark is read, decomposed (NFD) text is read as NFC, and a
file that is cp1252 as a whole is still read as cp1252."""

from __future__ import annotations

import random
import unicodedata

import pytest
from sqlalchemy import select

from recueil import jobs
from recueil.ingest.pipeline import parse
from recueil.ingest.read import RefusedInput, read_bytes, read_file
from recueil.model import Publication
from recueil.store import schema
from recueil.store.database import Store


def _counts(publication: Publication) -> dict[str, int]:
    return {"délibérations": len(publication.deliberations), "rapports": len(publication.reports),
            "sommaire": len(publication.listed_acts), "interventions": len(publication.interventions),
            "motions": len(publication.motions)}


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def test_one_bad_byte_per_line_costs_a_character_and_is_reported(corpus_files, tmp_path):
    raa, seance = corpus_files
    for source, expected in ((raa, {"délibérations": 21, "sommaire": 177}),
                             (seance, {"délibérations": 12, "interventions": 90, "motions": 5})):
        lines = source.read_bytes().split(b"\n")
        for number in (10, 500, 3000):
            lines[number - 1] = lines[number - 1][:5] + b"\xff" + lines[number - 1][5:]
        damaged = tmp_path / source.name
        damaged.write_bytes(b"\n".join(lines))
        clean, text = read_file(source), read_file(damaged)
        assert [w.line for w in text.warnings] == [10, 500, 3000]
        assert text.warnings[0].code == "octets_invalides"
        assert "invalide en UTF-8" in text.warnings[0].message
        assert text.lines[9] == clean.lines[9][:5] + "\ufffd" + clean.lines[9][5:]
        assert [line for n, line in enumerate(text.lines, 1) if n not in (10, 500, 3000)] == [
            line for n, line in enumerate(clean.lines, 1) if n not in (10, 500, 3000)]
        counts = _counts(parse(text))
        assert counts == _counts(parse(clean))
        assert counts.items() >= expected.items()


def test_ten_flipped_bytes_are_read_and_each_reported_by_line(corpus_files, tmp_path):
    raa, _ = corpus_files
    data = bytearray(raa.read_bytes())
    offsets = random.Random(10).sample(range(len(data)), 10)
    for offset in offsets:
        data[offset] ^= 0xFF
    (tmp_path / raa.name).write_bytes(data)
    text = read_file(tmp_path / raa.name)
    assert [w.line for w in text.warnings] == sorted({_line_of(data, offset) for offset in offsets})
    assert all(w.code == "octets_invalides" for w in text.warnings)
    assert _counts(parse(text)) == _counts(parse(read_file(raa)))


def test_the_warnings_of_reading_are_stored_with_the_publication(corpus_files, tmp_path):
    _, seance = corpus_files
    damaged = tmp_path / seance.name
    damaged.write_bytes(seance.read_bytes().replace(b"\n", b"\n\xff", 1))
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with Store(url) as store:
        assert [o.status for o in jobs.ingest(store, [damaged], workers=1)] == ["nouveau"]
        with store.engine.connect() as connection:
            stored = connection.execute(select(schema.warnings.c.code, schema.warnings.c.line)
                                        .where(schema.warnings.c.code == "octets_invalides")).all()
    assert [tuple(row) for row in stored] == [("octets_invalides", 2)]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(corpus_files, tmp_path, encoding):
    raa, _ = corpus_files
    source = tmp_path / raa.name
    source.write_bytes(("\ufeff" + raa.read_text(encoding="utf-8")).encode(encoding))
    text = read_file(source)
    assert text.lines == read_file(raa).lines
    assert not text.warnings
    assert _counts(parse(text))["délibérations"] == 21


def test_a_broken_utf16_code_unit_is_replaced_and_reported():
    text = read_bytes("a.txt", "\ufeffun\nd\ud800eux".encode("utf-16-le", errors="surrogatepass"))
    assert text.lines == ["un", "d\ufffdeux"]
    assert [(w.code, w.line, w.message) for w in text.warnings] == [
        ("octets_invalides", 2, "2 octets invalides en UTF-16, remplacés par « \ufffd »")]


def test_decomposed_text_is_read_as_composed(corpus_files, tmp_path):
    raa, _ = corpus_files
    source = tmp_path / raa.name
    source.write_text(unicodedata.normalize("NFD", raa.read_text(encoding="utf-8")), encoding="utf-8")
    text = read_file(source)
    assert text.lines == read_file(raa).lines
    counts = _counts(parse(text))
    assert counts["rapports"] == counts["délibérations"] == 21


def test_a_cp1252_file_is_read_as_cp1252_even_with_a_valid_utf8_sequence_by_chance(corpus_files, tmp_path):
    raa, _ = corpus_files
    data = raa.read_text(encoding="utf-8").replace("Recueil", "RecueilÃ©", 1).encode("cp1252", errors="replace")
    source = tmp_path / raa.name
    source.write_bytes(data)
    text = read_file(source)
    assert "\n".join(text.lines) == data.decode("cp1252")
    assert not text.warnings
    assert _counts(parse(text))["délibérations"] == 21


def test_cp1252_bytes_that_mean_nothing_are_reported():
    text = read_bytes("a.txt", "Arrêté\nn° 12\n".encode("cp1252") + b"x\x81y")
    assert text.lines == ["Arrêté", "n° 12", "x\ufffdy"]
    assert [(w.line, w.message) for w in text.warnings] == [(3, "1 octet invalide en cp1252, remplacé par « \ufffd »")]


def test_empty_and_binary_files_are_still_refused():
    for data, why in ((b"", "vide"), (b" \n\t", "vide"), ("\ufeff \n".encode("utf-16-le"), "vide"),
                      (b"%PDF\x00\x01", "binaire")):
        with pytest.raises(RefusedInput, match=why):
            read_bytes("a.txt", data)


def test_the_corpus_is_read_clean(corpus_files):
    for source in corpus_files:
        assert not read_file(source).warnings
