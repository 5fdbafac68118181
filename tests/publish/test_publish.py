"""Publishing the real corpus: one PDF and one chained register entry per act, list and procès-verbal."""

from __future__ import annotations

import hashlib
import json
import re
from itertools import pairwise
from pathlib import Path

import pypdfium2
import pytest

from recueil import jobs
from recueil.config import Collectivite
from recueil.publish import render
from recueil.publish.fonts import fonts
from recueil.publish.publisher import PublishError, correct, items, publish, render_all
from recueil.publish.register import GENESIS, REGISTER, RegisterError, entry_hash, publications, read_entries
from recueil.publish.verify import verify
from recueil.store.database import Store

from .conftest import DAY

ACTS_2021 = [f"2021-{n}" for n in range(232, 253)]
ACTS_2025 = [f"2025-{n}" for n in range(360, 372)]
SITE = "https://www.pasdecalais.fr/publications/"


def pages_text(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_every_act_list_and_transcript_of_the_corpus_is_published_once(published):
    entries = read_entries(published)
    assert [e.act for e in entries] == [*ACTS_2021, "cp-2021-06-07/liste", *ACTS_2025, "cd-2025-09-22/liste",
                                        "cd-2025-09-22/proces-verbal"]
    assert [e.seq for e in entries] == list(range(1, 37))
    assert [e.kind for e in entries].count("deliberation") == 33
    first = entries[0]
    assert (first.file, first.url, first.date, first.corrects) == (
        "2021/2021-232.pdf", SITE + "2021/2021-232.pdf", DAY, None)
    assert first.title == "BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS"
    assert entries[21].file == "2021/cp-2021-06-07-liste.pdf"
    assert entries[-1].file == "2025/cd-2025-09-22-proces-verbal.pdf"
    assert entries[-1].title == "Procès-verbal — Conseil départemental, séance du 22 septembre 2025"


def test_entries_are_chained_by_the_hash_of_their_canonical_form(published):
    entries = read_entries(published)
    assert entries[0].previous == GENESIS
    for before, entry in pairwise(entries):
        assert entry.previous == before.hash
    for entry in entries:
        assert entry.hash == entry_hash(entry.to_dict())
        assert hashlib.sha256((published / entry.file).read_bytes()).hexdigest() == entry.sha256
        assert (published / entry.file).stat().st_size == entry.size
    line = (published / REGISTER).read_text(encoding="utf-8").splitlines()[0]
    values = json.loads(line)
    canonical = json.dumps({k: v for k, v in values.items() if k != "hash"}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    assert values["hash"] == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_published_corpus_verifies(published):
    checked = verify(published)
    assert checked.problems == []
    assert checked.entries == 36
    assert checked.head == read_entries(published)[-1].hash


def test_every_page_names_the_collectivite_and_the_publication_date(published):
    for file, count in (("2021/2021-232.pdf", 7), ("2021/cp-2021-06-07-liste.pdf", 2)):  # act 2 pages, annexes 5
        pages = pages_text(published / file)
        assert len(pages) == count
        for number, text in enumerate(pages, 1):
            assert "Département du Pas-de-Calais" in text
            assert "Publié le 24 novembre 2026" in text
            assert f"Page {number} / {count}" in text
            assert SITE + file in text
    transcript = pages_text(published / "2025/cd-2025-09-22-proces-verbal.pdf")
    assert all("Publié le 24 novembre 2026" in text and "Département du Pas-de-Calais" in text
               for text in transcript)


def test_annexes_follow_their_act_with_private_persons_masked(published):
    pages = pages_text(published / "2021/2021-232.pdf")
    assert pages[2].split()[:5] == ["Annexe", "1", "à", "la", "délibération"]
    text = re.sub(r"\s+", " ", " ".join(pages[2:]))
    assert "Annexe 2 au rapport" in text
    assert text.count("[personne privée]") == 9
    assert "LANNOY" not in text and "GALLEGO-RYCKAERT" not in text


def test_an_act_is_published_in_full(published):
    text = re.sub(r"\s+", " ", " ".join(pages_text(published / "2021/2021-232.pdf")))
    for printed in ("Envoi au contrôle de légalité le : 5 juillet 2021",
                    "DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL",
                    "BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS", "(N°2021-232)",
                    "Vu la délibération n°2017-520 du Conseil départemental en date du 14/11/2017",
                    "DECIDE :", "Article 1 :", "D’attribuer une participation globale de 2 750 €",
                    "Article 2 :", "Pour : 42 voix", "(Adopté)", "LE PRESIDENT DU CONSEIL DEPARTEMENTAL",
                    "ARRAS, le 7 juin 2021", "Maryline VINCLAIRE"):
        assert printed in text, printed


def test_the_list_gives_each_deliberation_of_the_sitting_and_its_outcome(published):
    text = re.sub(r"\s+", " ", " ".join(pages_text(published / "2025/cd-2025-09-22-liste.pdf")))
    assert "Conseil départemental — séance du 22 septembre 2025" in text
    for number in ACTS_2025:
        assert number in text
    assert "12 délibérations." in text
    assert text.count("Adoptée") == 7 and text.count("Donne acte") == 5


def test_the_transcript_gives_every_speaking_turn(published, corpus_db):
    text = " ".join(pages_text(published / "2025/cd-2025-09-22-proces-verbal.pdf"))
    assert "Ouverture : 10:03" in text and "Clôture : 15:26" in text
    assert (text.count("M. LE PRESIDENT. — "), text.count("M. LE PRÉSIDENT. — "), text.count("M. MACIEJASZ. — ")) \
        == (43, 4, 4)
    assert "Point n° 2 — Budget supplémentaire de l'exercice 2025 - Affectation du résultat" in text


def test_pdf_metadata_and_reproducible_bytes(published, corpus_db):
    document = pypdfium2.PdfDocument(published / "2021/2021-232.pdf")
    meta = document.get_metadata_dict()
    document.close()
    assert meta["Title"] == "Délibération n° 2021-232 — BOURSE INITIATIVES JEUNES : AIDE AUX PROJETS"
    assert meta["Author"] == "Département du Pas-de-Calais"
    assert meta["CreationDate"] == "D:20261124000000+00'00'"
    with Store(corpus_db) as store:
        item = next(items(store, Collectivite(), fonts()))
    url = SITE + item.file
    assert item.render(DAY, url, None) == item.render(DAY, url, None)
    assert item.render(DAY, url, None) != item.render("2026-11-25", url, None)


def test_rendering_on_two_processes_gives_the_same_bytes(corpus_db):
    with Store(corpus_db) as store:
        tasks = [(item, DAY, SITE + item.file) for item in list(items(store, Collectivite(), fonts()))[:4]]
    assert list(render_all(tasks, workers=2)) == [item.render(day, url, None) for item, day, url in tasks]


def test_publishing_again_publishes_nothing(copy, corpus_db):
    before = (copy / REGISTER).read_bytes()
    with Store(corpus_db) as store:
        assert jobs.publish(store, copy, day="2026-11-30") == []
    assert (copy / REGISTER).read_bytes() == before


def test_a_correction_is_a_new_file_and_entry_pointing_at_the_corrected_one(copy, corpus_db):
    original = (copy / "2021/2021-232.pdf").read_bytes()
    with Store(corpus_db) as store:
        entry = correct(store, copy, "2021-232", Collectivite(), "2026-11-30")
    assert (entry.seq, entry.act, entry.corrects, entry.file, entry.date) == (
        37, "2021-232", 1, "2021/2021-232-v2.pdf", "2026-11-30")
    assert (copy / "2021/2021-232.pdf").read_bytes() == original
    assert publications(copy)["2021-232"] == entry
    assert publications(copy)["2021-233"].seq == 2
    text = " ".join(pages_text(copy / entry.file))
    assert "Version rectifiée n° 2 : elle remplace la version publiée le 24 novembre 2026 (registre, entrée n° 1)." \
        in re.sub(r"\s+", " ", text)
    assert "Publié le 30 novembre 2026" in text
    assert verify(copy).problems == []


def test_what_cannot_be_published(copy, corpus_db, tmp_path):
    with Store(corpus_db) as store:
        with pytest.raises(PublishError, match="2021-999 : acte inconnu"):
            correct(store, copy, "2021-999", Collectivite(), "2026-11-30")
        with pytest.raises(PublishError, match="date de publication invalide : « 30/11/2026 »"):
            jobs.publish(store, copy, day="30/11/2026")
        with pytest.raises(RegisterError, match="antérieure à celle de la dernière entrée"):
            correct(store, copy, "2021-232", Collectivite(), "2026-11-01")
        with pytest.raises(PublishError, match="n'a pas encore été publié"):
            correct(store, tmp_path / "vide", "2021-232", Collectivite(), "2026-11-30")
        with pytest.raises(PublishError, match="2021-232 : la séance du 2021-06-07 est postérieure"):
            publish(store, tmp_path / "tot", Collectivite(), "2021-06-01")
    assert not (tmp_path / "tot" / "2021").exists()


def test_the_text_without_dejavu_is_drawn_in_helvetica(corpus_db, tmp_path):
    helvetica = fonts(None)
    assert not helvetica.embedded
    assert helvetica.text("♦ Voirie — « Pôle » œuvre\u202f€ ≥ 2") == "- Voirie — « Pôle » œuvre € >= 2"
    with Store(corpus_db) as store:
        item = next(items(store, Collectivite(), helvetica))
    path = tmp_path / "acte.pdf"
    path.write_bytes(item.render(DAY, SITE + item.file, None))
    text = re.sub(r"\s+", " ", " ".join(pages_text(path)))
    assert "Publié le 24 novembre 2026" in text and "D’attribuer une participation globale de 2 750 €" in text


def test_a_printed_act_is_split_back_into_its_parts():
    text = ("Envoi au contrôle de légalité le : 5 juillet 2021 Affichage le : 5 juillet 2021\n"
            "DEPARTEMENT DU PAS-DE-CALAIS\nÉtaient présents : M. A B.\nTITRE SUR\nDEUX LIGNES\n"
            "(N°2021-249) La Commission Permanente du Conseil départemental du Pas-de-Calais,\n"
            "Vu le Code ; Vu la Loi ; Après en avoir délibéré, DECIDE :Article 1 :\nD’autoriser. Article 2 :\n"
            "De signer.\nDans les conditions de vote ci-dessous :\nPour : 41 voix Contre : 0 voix\n(Adopté)\n"
            "..... LE PRESIDENT DU CONSEIL DEPARTEMENTAL,\nJean-Claude LEROY")
    parts = [(p.role, p.label, p.text) for p in render.act_parts(text)]
    assert parts == [
        ("stamp", "", "Envoi au contrôle de légalité le : 5 juillet 2021"), ("stamp", "", "Affichage le : 5 juillet 2021"),
        ("header", "", "DEPARTEMENT DU PAS-DE-CALAIS"), ("attendance", "", "Étaient présents : M. A B."),
        ("title", "", "TITRE SUR DEUX LIGNES"), ("title", "", "(N°2021-249)"),
        ("body", "", "La Commission Permanente du Conseil départemental du Pas-de-Calais,"),
        ("body", "", "Vu le Code ;"), ("body", "", "Vu la Loi ;"), ("body", "", "Après en avoir délibéré,"),
        ("decision", "", "DECIDE :"), ("article", "Article 1 :", ""), ("body", "", "D’autoriser."),
        ("article", "Article 2 :", ""), ("body", "", "De signer."),
        ("vote", "", "Dans les conditions de vote ci-dessous :"), ("vote", "", "Pour : 41 voix"),
        ("vote", "", "Contre : 0 voix"), ("result", "", "(Adopté)"),
        ("signature", "", "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,"), ("signature", "", "Jean-Claude LEROY"),
    ]


def test_published_texts_mask_private_persons_unless_the_configuration_says_not(copy, corpus_db, tmp_path):
    from recueil.config import Config, PublicationSettings
    from recueil.publish.masking import MARKER, mask, public_names

    with Store(corpus_db) as store:
        turns = [r for r in store.records() if r["type"] == "intervention"]
        masked = mask("\n\n".join(t["text"] for t in turns), public_names(store)).spans
        jobs.publish(store, tmp_path / "interne", Config(publication=PublicationSettings(masquer_personnes=False)),
                     day=DAY)
    assert masked, "the procès-verbal names private persons"
    public = re.sub(r"\s+", " ", " ".join(pages_text(copy / "2025/cd-2025-09-22-proces-verbal.pdf")))
    internal = re.sub(r"\s+", " ", " ".join(pages_text(tmp_path / "interne/2025/cd-2025-09-22-proces-verbal.pdf")))
    assert public.count(MARKER) == len(masked) and MARKER not in internal
    assert all(re.sub(r"\s+", " ", span.text) in internal for span in masked)


def test_a_damaged_register_or_a_second_writer_is_refused(copy, corpus_db):
    from recueil.publish.register import Register

    with Store(corpus_db) as store:
        with Register(copy), pytest.raises(RegisterError, match="une autre publication est en cours"):
            jobs.publish(store, copy, day="2026-11-30")
        with (copy / REGISTER).open("a", encoding="utf-8") as register:
            register.write("{pas du JSON\n")
        for _ in range(2):  # the lock is released after each refusal
            with pytest.raises(RegisterError, match="ligne 37 illisible ; lancer « recueil verify »"):
                jobs.publish(store, copy, day="2026-11-30")
