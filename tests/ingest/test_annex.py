"""Annexes: what follows an act's signature, or its rapport's, up to the next act, kept whole."""

from __future__ import annotations

import pytest

from recueil.ingest.pipeline import parse


@pytest.fixture(scope="module")
def acts_2021(raa_2021):
    return {act.number: act for act in parse(raa_2021).deliberations}


def test_each_annex_belongs_to_its_act_or_its_rapport(acts_2021):
    placed = {n: [(a.of, a.source.first_line, a.source.last_line) for a in act.annexes]
              for n, act in acts_2021.items() if n in ("2021-232", "2021-238", "2021-244")}
    assert placed == {"2021-232": [("deliberation", 969, 1009), ("report", 1078, 1482)],
                      "2021-238": [("deliberation", 9165, 13169)],
                      "2021-244": []}  # its annex range holds only a page number


def test_an_annex_is_kept_line_for_line(acts_2021, raa_2021):
    consultation = acts_2021["2021-238"].annexes[0].text.split("\n")
    assert consultation[0] == " BILAN DE LA CONCERTATION"
    assert "ameliedu62@hotmail.com" in acts_2021["2021-238"].annexes[0].text
    # 4,005 lines printed, of which 10 page numbers ("882" at line 10050) are dropped
    assert len(consultation) == 3995
    assert "882" not in (line.strip() for line in consultation)


def test_annexes_of_the_whole_corpus(raa_2021, seance_2025):
    assert sum(len(a.annexes) for a in parse(raa_2021).deliberations) == 21
    assert sum(len(a.annexes) for a in parse(seance_2025).deliberations) == 9
