"""Votes as minutes print them: each form on a short snippet of our own, then sentences written in
random orders and forms by hypothesis and read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recueil.ingest.prose_vote import is_vote_line, read_item_vote, read_vote_text


def _counts(text: str, decision: str = "") -> tuple[object, ...] | None:
    vote = read_vote_text(text, decision=decision)
    return None if vote is None else (vote.pour, vote.contre, vote.abstention, vote.result, vote.unanimous)


@pytest.mark.parametrize(("text", "expected"), [
    ("Pour : 62\nContre :\nAbstentions : 3\nAdopté à l’unanimité.", (62, 0, 3, "adopte", True)),
    ("Pour : 60\nContre : 5\nAbstentions :\nAdopté à la majorité.", (60, 5, 0, "adopte", False)),
    ("avec 74 voix pour, 2 contre et 2 abstentions", (74, 2, 2, "adopte", False)),
    ("10 votes pour. 2 Abstentions", (10, 0, 2, "adopte", False)),
    ("2 votes contre 1 abstention 9 votes pour", (9, 2, 1, "adopte", False)),
    ("4 votes contre 8 votes pour", (8, 4, 0, "adopte", False)),
    ("3 voix pour, 9 voix contre", (3, 9, 0, "rejete", False)),
    ("Adopté à l'unanimité des suffrages exprimés (2 abstentions)", (0, 0, 2, "adopte", True)),
    ("AFFAIRE RETIREE", (0, 0, 0, "retire", False)),
    ("Le point est reporté à une séance ultérieure.", (0, 0, 0, "reporte", False)),
    ("Le conseil municipal prend acte du rapport.", (0, 0, 0, "prend_acte", False)),
    ("La délibération est rejetée par 8 voix contre et 5 voix pour.", (5, 8, 0, "rejete", False)),
    ("Vote : Pour 25 – Contre 3 – Abstention 0", (25, 3, 0, "adopte", False)),
    ("Vote à main levée : unanimité", (0, 0, 0, "adopte", True)),
    ("DÉLIBÉRATION ADOPTÉE À L'UNANIMITÉ DES MEMBRES PRÉSENTS ET REPRÉSENTÉS", (0, 0, 0, "adopte", True)),
    ("Pris acte", (0, 0, 0, "prend_acte", False)),
])
def test_each_printed_form(text: str, expected: tuple[object, ...]) -> None:
    assert _counts(text) == expected


def test_names_in_brackets_are_members_not_groups() -> None:
    vote = read_vote_text("CONTRE : 1 (Mme DEFOSSEZ)", decision="après en avoir délibéré, à la majorité :")
    assert vote is not None
    assert (vote.contre, vote.result, vote.named, vote.groups) == (1, "adopte", {"contre": ["DEFOSSEZ"]}, {})


def test_a_secret_ballot_counts_spoilt_papers_and_adopts_nothing() -> None:
    vote = read_vote_text("Pour : 54\nNuls : 11")
    assert vote is not None
    assert (vote.pour, vote.nuls, vote.blancs, vote.result) == (54, 11, None, None)


def test_no_vote_in_a_plain_sentence() -> None:
    assert read_vote_text("Le conseil se réunira le 12 mars à la mairie.") is None
    assert not is_vote_line("Il y a 12 votes à organiser pour la fête")
    assert not is_vote_line("Qui est contre ? Qui s'abstient ? 3 abstentions. Adopté à l'unanimité.")
    assert not is_vote_line("Le budget pour 2025 est voté pour 12 mois")
    assert read_vote_text("Le budget pour 2025 est prévu pour 12 mois") is None


def test_an_item_reads_its_last_vote_and_its_decision_sentence() -> None:
    lines = ["Le Conseil Municipal, après en avoir délibéré, à l’unanimité :", "- DÉCIDE de créer le poste",
             "", "M. X demande si le poste sera pourvu."]
    vote = read_item_vote(lines, 100)
    assert vote is not None
    assert (vote.unanimous, vote.result, vote.first_line) == (True, "adopte", 100)
    block = ["Le maire présente.", "Pour : 12", "Contre : 1", "Abstentions :", "Adopté à la majorité."]
    vote = read_item_vote(block, 10)
    assert vote is not None
    assert (vote.pour, vote.contre, vote.abstention, vote.first_line) == (12, 1, 0, 11)


_WORDS = {"pour": ("pour",), "contre": ("contre",), "abstention": ("abstention", "abstentions", "Abstentions")}


@st.composite
def _sentence(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """Counts for two or three choices, in any order, each written "N votes pour", "N voix contre",
    "N abstentions", joined by commas, full stops, "et" or spaces."""
    choices = draw(st.lists(st.sampled_from(list(_WORDS)), min_size=1, max_size=3, unique=True))
    counts = {choice: draw(st.integers(0, 150)) for choice in choices}
    parts = []
    for choice in choices:
        unit = draw(st.sampled_from(["votes ", "voix ", ""])) if choice != "abstention" else ""
        parts.append(f"{counts[choice]} {unit}{draw(st.sampled_from(_WORDS[choice]))}")
    glue = draw(st.sampled_from([", ", ". ", " ", " et "]))
    return draw(st.sampled_from(["", "avec ", "par "])) + glue.join(parts), counts


@given(_sentence())
def test_prose_counts_in_any_order_read_back(sentence: tuple[str, dict[str, int]]) -> None:
    text, counts = sentence
    vote = read_vote_text(text)
    assert vote is not None
    assert {choice: getattr(vote, choice) for choice in counts} == counts
    assert is_vote_line(text)


@given(st.dictionaries(st.sampled_from(["Pour", "Contre", "Abstentions"]), st.one_of(st.none(), st.integers(0, 99)),
                       min_size=2), st.sampled_from(["Adopté à l'unanimité.", "Adopté à la majorité.", ""]))
def test_count_blocks_with_empty_counts_read_back(block: dict[str, int | None], result: str) -> None:
    lines = [f"{label} : {'' if count is None else count}" for label, count in block.items()]
    vote = read_item_vote(["Exposé du rapporteur.", *lines, result], 1)
    assert vote is not None
    keys = {"Pour": "pour", "Contre": "contre", "Abstentions": "abstention"}
    assert {keys[label]: getattr(vote, keys[label]) for label in block} == {
        keys[label]: count or 0 for label, count in block.items()}
