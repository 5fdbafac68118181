"""A new kind of publication is one module registered in one place: the pipeline then recognises
it, titles it, cuts it with its own front matter and reads its blocks with its own extractors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from recueil.ingest.deliberation import read_deliberation
from recueil.ingest.extract import Read
from recueil.ingest.kinds import Kind, register, unregister
from recueil.ingest.kinds.registry import NOT_MINE, SURE
from recueil.ingest.pipeline import parse
from recueil.ingest.read import read_bytes
from recueil.ingest.segment import Block
from recueil.model import Deliberation
from recueil.vocabulary import Assembly, register_assembly, unregister_assembly

from .test_deliberation import SNIPPET_2021

HEADING = "COMPTE RENDU DU CONSEIL MUNICIPAL DE SAINT-EXEMPLE"
MINUTES = "\n".join([HEADING, "Affiché en mairie le 8 juin 2021", "", *SNIPPET_2021])


def _municipal_act(lines: list[str], block: Block) -> Read[Deliberation]:
    """The shared reading of an act, adopted by an assembly registered by the test."""
    found = read_deliberation(lines, block)
    for act in found.records:
        act.body = "conseil_de_quartier"
    return found


@pytest.fixture
def minutes_kind() -> Iterator[Kind]:
    register_assembly(Assembly("conseil_de_quartier", "cq", "Conseil de quartier", "Conseil de quartier"))
    kind = register(Kind(
        "compte_rendu_municipal",
        recognise=lambda lines: SURE if lines and lines[0].startswith("COMPTE RENDU DU CONSEIL MUNICIPAL") else NOT_MINE,
        title=lambda head: (m := re.search(r"COMPTE RENDU DU (CONSEIL MUNICIPAL DE [\w-]+)", head)) and m.group(1).title(),
        front_matter=lambda lines, last: [Block("notice", 1, last)],
        extractors={"deliberation": _municipal_act, "notice": lambda lines, block: Read([])},
    ))
    yield kind
    unregister(kind.name)
    unregister_assembly("conseil_de_quartier")


def test_a_registered_kind_reads_its_publications(minutes_kind: Kind) -> None:
    publication = parse(read_bytes("cr-2021-06-07.txt", MINUTES.encode()))
    assert (publication.document.kind, publication.document.title) == (
        "compte_rendu_municipal", "Conseil Municipal De Saint-Exemple")
    assert [(d.number, d.body) for d in publication.deliberations] == [("2021-100", "conseil_de_quartier")]
    assert [s.id for s in publication.sittings] == ["cq-2021-06-07"]
    assert publication.listed_acts == []  # its front matter is no sommaire


def test_without_it_the_same_text_is_read_as_a_recueil() -> None:
    publication = parse(read_bytes("cr-2021-06-07.txt", MINUTES.encode()))
    assert (publication.document.kind, [d.body for d in publication.deliberations]) == (
        "recueil", ["commission_permanente"])


def test_a_kind_is_registered_once(minutes_kind: Kind) -> None:
    with pytest.raises(ValueError, match="genre de publication déjà enregistré : compte_rendu_municipal"):
        register(minutes_kind)
