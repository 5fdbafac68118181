"""Amounts of money as French documents print them, read into integer cents.

Formats met in the corpus: "2 750 €", "1 450 125,00", "786 090,70 €", "1500€", "2.500 €"
(dot between thousands), "150 600.00 €" (dot before cents), "14,24 M€", "634 K€", "1,33 Md€",
"2 millions d'euros", "- €" (zero), "-26,16 M€", groups split by spaces, non-breaking spaces or
two justified spaces, and OCR noise where "€" became "£" or "E".

A number is read only when its digits cannot belong to a longer number: "3 801 50 €" (a broken
figure) and the "86 €" inside it are refused rather than misread.
"""

from __future__ import annotations

import re

_SEP = "[ \u00a0\u202f]"
_INT = (
    rf"\d{{1,3}}(?:{_SEP}{{1,2}}\d{{3}})+(?!\d)"  # 1 450 125
    r"|\d{1,3}(?:\.\d{3})+(?!\d)"  # 2.500
    r"|\d+"
)
_DEC = r",\d+|\.\d{1,2}(?!\d)"
_SIGN = rf"(?:(?<![\w\-−+])(?P<sign>[-−+]){_SEP}?)?"
_SUFFIX = (
    rf"(?:{_SEP}{{0,2}}(?:"
    rf"(?P<scale>Mds|Md|Mrd|M|K|k){_SEP}?(?P<scur>€|£|E(?![\w'’])|euros?\b)"
    r"|(?P<cur>€|£|euros?\b|EUR\b|E(?![\w'’]))"
    r"|(?P<words>millions?|milliards?)\s+d['’]\s?euros?\b"
    r"))"
)
# In running text a bare number must not be followed by more digits one or two spaces away.
# The leading lookahead lets the engine skip to candidate characters (three times faster).
_AMOUNT = re.compile(
    r"(?=[-−+\d])"
    + _SIGN
    + rf"(?<![\w,.])(?<!\d{_SEP})(?P<int>{_INT})"
    + rf"(?:(?P<dec>{_DEC})|(?!{_SEP}{{0,2}}\d|[.,]\d))"
    + _SUFFIX
    + r"?(?!\w)"
)
# In a line of table cells numbers follow each other: "5078000 2233157", "623 078,00 840 000".
_CELL = re.compile(
    _SIGN + rf"(?P<int>{_INT})(?P<dec>{_DEC})?(?!\d)" + _SUFFIX + r"?(?!\w)"
    r"|[-−]" + _SEP + r"?€"
)
_CELL_GAP = re.compile(_SEP + "*")
_ZERO = re.compile(r"\s*[-−–]\s*(?:€|£|E)?\s*")

_SCALES = {
    "K": 10**3,
    "k": 10**3,
    "M": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "Md": 10**9,
    "Mds": 10**9,
    "Mrd": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
}


def _cents(match: re.Match[str]) -> int:
    """Exact integer arithmetic, rounding half up: "1,125 €" is 113 cents, "1,33 Md€" exact."""
    digits = match["int"]
    if digits is None:  # "- €"
        return 0
    whole = "".join(c for c in digits if c.isdigit())
    fraction = match["dec"][1:] if match["dec"] else ""
    scale = _SCALES.get(match["scale"] or match["words"] or "", 1)
    numerator = int(whole + fraction) * 100 * scale
    denominator: int = 10 ** len(fraction)
    cents = (2 * numerator + denominator) // (2 * denominator)
    return -cents if match["sign"] in ("-", "−") else cents


def parse_money(text: str) -> int | None:
    """The first amount printed in `text`, in cents; None when it holds none.

    The currency is optional ("55 000,00" in a column headed "CP €"); "- €" or a lone dash is
    the accountants' zero.
    """
    match = _AMOUNT.search(text)
    if match is not None:
        return _cents(match)
    if _ZERO.fullmatch(text):
        return 0
    return None


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """Every amount of running text that carries a currency mark: (cents, start, end).

    A dash and a space opening a line ("- 5 000 180 € du Département") are a list bullet, not
    a minus sign.
    """
    found = []
    for m in _AMOUNT.finditer(text):
        if not (m["cur"] or m["scur"] or m["words"]):
            continue
        cents, start = _cents(m), m.start()
        if m["sign"] and m.end("sign") < m.start("int"):
            line_start = text.rfind("\n", 0, start) + 1
            if not text[line_start:start].strip(" "):
                cents, start = abs(cents), m.start("int")
        found.append((cents, start, m.end()))
    return found


def split_amounts(text: str) -> list[int] | None:
    """The amounts of a line made of amounts only ("55 000,00 2 750,00"), else None.

    Used to tell the figures of a table row from its label; the grouping of digits decides where
    one amount ends, so "840 000" is one amount and "5078000 2233157" two.
    """
    amounts = []
    pos = _CELL_GAP.match(text).end()  # type: ignore[union-attr]
    while pos < len(text):
        match = _CELL.match(text, pos)
        if match is None:
            return None
        amounts.append(_cents(match))
        pos = _CELL_GAP.match(text, match.end()).end()  # type: ignore[union-attr]
    return amounts or None
