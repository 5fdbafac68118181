"""Speaking turns of verbatim minutes written "Name : text": "Monsieur le Maire : …", "Madame la
Présidente : …", "Max LEVITA : …" (given name, SURNAME in capitals). A turn runs to the next
speaker, the next item's heading, a vote line or a stage direction ("Applaudissements…",
"Madame X entre en séance"). Narrative minutes ("M. Papin relève que…") have no such marker and
give no turns, which is right: they report, they do not transcribe.
"""

from __future__ import annotations

import bisect
import re

from recueil.ingest.prose_vote import is_vote_line
from recueil.model import Intervention

_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_CHAIR = r"(?:Monsieur|Madame)\s+l[ea]\s+(?:Maire|Président|Présidente|Vice-Président|Vice-Présidente)"
_NAMED = rf"[{_UPPER}][a-zß-öø-ÿ'’]+(?:[- ][{_UPPER}][a-zß-öø-ÿ'’]+)?(?:\s+(?:de|du|d['’]|le|la))?\s+[{_UPPER}][{_UPPER}'’ \-]+[{_UPPER}]"
_MARKER = re.compile(rf"^\s*(?P<speaker>{_CHAIR}|{_NAMED})\s*:\s*(?P<text>.*)$")
_DIRECTION = re.compile(r"^\s*(?:\(.*\)\s*$|applaudissements|rires|suspension de séance|reprise de la séance"
                        r"|(?:Monsieur|Madame|M\.|Mme)\s+\S+(?:\s+\S+)?\s+(?:entre|sort|quitte|revient)\b"
                        r"|-{3,})", re.IGNORECASE)


def read_turns(lines: list[str], sitting: str, items: list[tuple[int, int]],
               president: str | None) -> list[Intervention]:
    """Every turn of the text; `items` gives (heading line, item number) in order, so that a turn
    belongs to the item whose heading precedes it; the chair's turns are the president's."""
    starts = [line for line, _ in items]
    headings = set(starts)
    turns: list[Intervention] = []
    current: list[str] = []

    def close(last: int) -> None:
        if turns and current:
            turns[-1].text = " ".join(" ".join(current).split())
            turns[-1].last_line = last

    last_text, speaking = 0, False
    for n, line in enumerate(lines, 1):
        marker = _MARKER.match(line)
        if marker:
            close(last_text)
            speaker = " ".join(marker["speaker"].split())
            chair = re.match(_CHAIR, speaker)
            at = bisect.bisect_right(starts, n) - 1
            turns.append(Intervention(
                sitting=sitting, seq=0, speaker=speaker, speaker_name=president if chair else speaker,
                agenda_item=items[at][1] if at >= 0 else None, text="", first_line=n, last_line=n))
            current, last_text, speaking = [marker["text"]], n, True
        elif not speaking or not line.strip():
            continue
        elif n in headings or is_vote_line(line) or _DIRECTION.match(line):
            close(last_text)
            current, speaking = [], False
        else:
            current.append(line)
            last_text = n
    close(last_text)
    kept = [turn for turn in turns if turn.text]
    for seq, turn in enumerate(kept, 1):
        turn.seq = seq
    return kept
