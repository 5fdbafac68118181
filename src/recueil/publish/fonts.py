"""The typeface of published files: DejaVu Sans when the system has it, else Helvetica.

DejaVu covers every character of the acts (œ, €, ’, «», ♦) and is embedded, so a reader sees the
same glyphs everywhere. A fresh machine may lack it (Debian package fonts-dejavu-core); then the
PDF viewers' built-in Helvetica is used, which only draws Windows-1252: every other character is
replaced by its nearest Windows-1252 equivalent here, never by a missing-glyph box.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_STYLES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf",
           "bold_italic": "DejaVuSans-BoldOblique.ttf"}
# Characters of the corpus outside Windows-1252, by what a reader would write instead.
_NEAREST = {"♦": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "—", "\u2212": "-",
            "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u200b": "", "\ufeff": "", "≤": "<=", "≥": ">=",
            "≠": "!=", "→": "->", "←": "<-", "✓": "x", "□": "[ ]", "■": "-", "●": "•", "▪": "-", "►": ">"}


@dataclass(frozen=True)
class Fonts:
    """The registered family: names for the regular, bold and italic faces."""

    regular: str
    bold: str
    italic: str
    embedded: bool

    def text(self, value: str) -> str:
        """`value` as this family can draw it (unchanged for an embedded Unicode font)."""
        return value if self.embedded else windows_1252(value)


HELVETICA = Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", embedded=False)


def windows_1252(value: str) -> str:
    """Each character Windows-1252 lacks becomes its nearest equivalent: a listed stand-in, else
    its compatibility decomposition stripped of accents (ﬁ → fi, ŝ → s), else "?"."""
    if value.isascii():
        return value
    out = []
    for char in value:
        if _encodable(char):
            out.append(char)
        elif char in _NEAREST:
            out.append(_NEAREST[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(base if base and all(_encodable(c) for c in base) else "?")
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@cache
def fonts(folder: Path | None = DEJAVU) -> Fonts:
    """Register DejaVu Sans from `folder` once per process; Helvetica when it is missing
    (`folder=None` forces Helvetica, as on a machine without the fonts)."""
    if folder is None or not all((folder / name).exists() for name in _STYLES.values()):
        return HELVETICA
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {style: f"Recueil-{style}" for style in _STYLES}
    for style, file in _STYLES.items():
        pdfmetrics.registerFont(TTFont(names[style], str(folder / file)))
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
        addMapping(names["regular"], bold, italic, names[style])
    return Fonts(names["regular"], names["bold"], names["italic"], embedded=True)
