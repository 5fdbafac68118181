"""The entries of the search index of a publication, analysed: a pure function of the publication.

It runs where the publication was parsed (the parse workers of `ingest/batch.py`), so that the
process that writes the store only inserts rows. Every backend indexes these same columns:
  kind                     "__deliberation" and the filter markers ("__commune__samer", facets.py)
  title_stems, body_stems  stems, "_"-marked, "^_" in titles — what a query matches
  title_words, body_words  the folded words ("^"-marked in titles) — what ranks a word as typed
                           above its stem
"""

from __future__ import annotations

from dataclasses import dataclass

from recueil.model import Publication
from recueil.store import facets
from recueil.store.analysis import LONGEST_WORD, stems, words
from recueil.store.facets import Values


@dataclass
class Entry:
    """One searchable record: what a hit shows, its filter values and its analysed columns."""

    type: str
    key: str
    number: str | None
    act: str | None
    title: str
    date: str | None
    text: str
    document_id: str
    values: Values
    kind: str = ""
    title_words: str = ""
    title_stems: str = ""
    body_words: str = ""
    body_stems: str = ""


@dataclass
class Analysed:
    """The entries of a publication and the words they hold (to complete prefixes)."""

    entries: list[Entry]
    vocabulary: list[str]


def marked(tokens: list[str], mark: str) -> str:
    """Tokens joined by spaces, each behind `mark`."""
    return mark + f" {mark}".join(tokens) if tokens else ""


def records(publication: Publication) -> list[Entry]:
    """The searchable records of a publication, not yet analysed."""
    doc = publication.document.id
    acts = {d.number: d for d in publication.deliberations}
    reports = {r.deliberation: r for r in publication.reports if r.deliberation in acts}
    act_values = {d.number: facets.of_deliberation(d, reports.get(d.number)) for d in publication.deliberations}
    sitting = publication.sittings[0] if len(publication.sittings) == 1 else None
    sittings = {s.id: s for s in publication.sittings}
    found: list[Entry] = []
    for d in publication.deliberations:
        found.append(Entry("deliberation", d.number, d.number, d.number, d.display_title or d.title, d.sitting_date, d.text, doc,
                           act_values[d.number]))
    for r in publication.reports:
        act = acts.get(r.deliberation or "")
        found.append(Entry("report", f"{r.deliberation}/rapport" if act else f"{doc}/rapport-{r.number}",
                           str(r.number), r.deliberation, r.display_title or r.title, act.sitting_date if act else None, r.text, doc,
                           act_values[act.number] if act else facets.of_report(r)))
    for a in publication.listed_acts:
        details = " ".join(x for x in (a.section, a.roads, a.communes, a.object) if x)
        found.append(Entry("listed_act" if a.kind == "other" else a.kind, f"{doc}/ligne-{a.source.first_line}",
                           None, None, a.title, a.period.start if a.period else None, details, doc,
                           facets.of_listed_act(a)))
    for i in publication.interventions:
        held = sittings.get(i.sitting)
        found.append(Entry("intervention", f"{i.sitting}/intervention-{i.seq}", None, None,
                           i.speaker_name or i.speaker, held.date if held else None, i.text, doc,
                           facets.of_sitting(held.body, held.date) if held else {}))
    for n, m in enumerate(publication.motions, 1):
        signed = " ".join(x for x in (m.filed_by, *m.signatories) if x)
        found.append(Entry("motion", f"{sitting.id if sitting else doc}/voeu-{n}", None, None, m.title,
                           sitting.date if sitting else None, f"{m.text}\n{signed}", doc,
                           facets.of_motion(m, sitting.body if sitting else None, sitting.date if sitting else None)))
    return found


def analyse(publication: Publication) -> Analysed:
    """The index entries of a publication with their analysed columns (see the module docstring)."""
    found = records(publication)
    vocabulary: set[str] = set()
    for entry in found:
        title, body = words(entry.title), words(entry.text)
        vocabulary.update(word for word in (*title, *body) if len(word) <= LONGEST_WORD)
        entry.kind = " ".join(["__" + entry.type, *(facets.marker(key, value_slug)
                                                   for key, values in entry.values.items() for value_slug in values)])
        entry.title_words, entry.title_stems = marked(title, "^"), marked(stems(title), "^_")
        entry.body_words, entry.body_stems = " ".join(body), marked(stems(body), "_")
    return Analysed(found, sorted(vocabulary))
