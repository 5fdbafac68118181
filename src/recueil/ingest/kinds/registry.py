"""The registry of publication kinds (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from recueil.ingest.agenda import read_agenda
from recueil.ingest.deliberation import read_deliberation
from recueil.ingest.extract import Extractor
from recueil.ingest.index import read_index
from recueil.ingest.motion import read_motions
from recueil.ingest.read import RefusedInput, Text
from recueil.ingest.report import read_report
from recueil.ingest.segment import Block, FrontMatter, Segments, segment
from recueil.ingest.sommaire import read_sommaire
from recueil.ingest.transcript import read_transcript

HEAD_LINES = 200  # the lines where a publication says what it is (cover, first heading)

SURE, LIKELY, NOT_MINE = 2, 1, 0  # how a kind recognises a text: by its heading, by its content
EXTRACTORS: dict[str, Extractor] = {
    "agenda": read_agenda, "deliberation": read_deliberation, "index": read_index, "motions": read_motions,
    "report": read_report, "sommaire": read_sommaire, "transcript": read_transcript,
}


@dataclass(frozen=True)
class Kind:
    """`name` is the document's `kind` in the records; `recognise(lines)` says SURE, LIKELY or
    NOT_MINE; `title(head)` finds the title in the first lines joined (None: the file name);
    `front_matter` cuts the lines before the first act into blocks; `extractors` override the
    shared ones by kind of block; `sitting(head)` gives the body and date of the séance the document
    is about, from its heading, when it prints no act to tell them (a convocation, a procès-verbal
    published alone); `segmenter` replaces the shared segmentation for a kind whose acts are not
    headed as the Département's are (the minutes of a commune)."""

    name: str
    recognise: Callable[[list[str]], int]
    title: Callable[[str], str | None]
    front_matter: FrontMatter
    extractors: Mapping[str, Extractor] = field(default_factory=dict)
    sitting: Callable[[str], tuple[str, str] | None] = lambda head: None
    segmenter: Callable[[list[str]], Segments] | None = None

    def segment(self, lines: list[str]) -> Segments:
        return self.segmenter(lines) if self.segmenter else segment(lines, self.front_matter)

    def extractor(self, block: Block) -> Extractor:
        return self.extractors.get(block.kind) or EXTRACTORS[block.kind]


KINDS: list[Kind] = []


def register(kind: Kind) -> Kind:
    """Adds a kind; on a tie between two kinds, the one registered first wins."""
    if any(k.name == kind.name for k in KINDS):
        raise ValueError(f"genre de publication déjà enregistré : {kind.name}")
    KINDS.append(kind)
    return kind


def unregister(name: str) -> None:
    KINDS[:] = [k for k in KINDS if k.name != name]


def detect(text: Text) -> Kind:
    """The kind most sure of the text; refuses a text no kind recognises."""
    ranked = sorted(((kind.recognise(text.lines), -order, kind) for order, kind in enumerate(KINDS)),
                    key=lambda found: found[:2], reverse=True)
    best = ranked[0][2] if ranked and ranked[0][0] != NOT_MINE else None
    if best is None:
        raise RefusedInput(
            f"{text.name} : ce n'est pas une publication reconnue "
            "(ni recueil des actes administratifs, ni compte rendu de séance, aucune délibération numérotée)"
        )
    return best


def head_of(text: Text) -> str:
    """The first lines joined: where a publication names itself."""
    return " ".join(" ".join(text.lines[:HEAD_LINES]).replace("*", " ").split())


def title_of(text: Text, kind: Kind) -> str:
    return kind.title(head_of(text)) or text.name
