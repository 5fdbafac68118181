"""Deliberation numbers: one series a year across the assemblies, after every number already used
(given by a recorded sitting or read from a document), never reused; on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from recueil import jobs
from recueil.seance.numbering import Series, format_number, parse_number, series_for
from recueil.seance.rules import Refused
from recueil.store import schema
from recueil.store.database import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seance-exemple.md"  # 2025-031 and 2025-032


def test_numbers_read_and_written() -> None:
    assert parse_number("2025-360") == (2025, 360) and parse_number("2025-0360") == (2025, 360)
    assert parse_number("n° 360") is None and format_number(2021, 7) == "2021-007"
    series = Series(2025, 360)
    assert [series.take(), series.take()] == ["2025-360", "2025-361"] and series.given == ["2025-360", "2025-361"]


def test_the_series_follows_every_number_used_in_the_year(store_url: str) -> None:
    with Store(store_url) as store:
        with store.writing() as conn:
            assert series_for(conn, 2025).first == 1  # nothing yet
        jobs.ingest(store, [EXAMPLE], workers=1)
        with store.writing() as conn:
            assert series_for(conn, 2025).first == 33  # after 2025-032, read from the document
            assert series_for(conn, 2024).first == 1  # one series a year
            conn.execute(schema.deliberation_numbers.insert().values(
                number="2025-040", year=2025, seq=40, sitting_id="cp-2025-10-06", report=3, given_at="2025-10-06"))
            assert series_for(conn, 2025).first == 41
            assert series_for(conn, 2025, "2025-050").first == 50  # ahead: numbers given elsewhere are skipped
            for first, reason in [
                ("2025-040", "numéro déjà passé : 2025-040 (la série de 2025 est à 2025-040 ; un numéro n'est jamais "
                             "réutilisé, premier libre : 2025-041)"),
                ("2025-035", "numéro déjà passé : 2025-035 (la série de 2025 est à 2025-040 ; un numéro n'est jamais "
                             "réutilisé, premier libre : 2025-041)"),
                ("2024-100", "premier numéro 2024-100 d'une autre année que la séance (2025) : la numérotation des "
                             "délibérations est annuelle"),
                ("360", "premier numéro illisible : « 360 » (attendu AAAA-NNN, par exemple 2025-001)"),
            ]:
                with pytest.raises(Refused) as refused:
                    series_for(conn, 2025, first)
                assert refused.value.reasons == [reason]
