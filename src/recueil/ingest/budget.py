"""Budget imputation tables of deliberations and rapports ("Code Opération | Imputation | …").

Two shapes occur. The séance record prints one row per line, cells separated by tabs. Text
extracted from the 2021 PDF loses the grid: the header is spread over several lines and each
row comes as a code line (sometimes split: "C04-" / "738I01", "2041411//917" / "38"), a label
wrapped over a few short lines, then one line holding the amounts of the row.
"""

from __future__ import annotations

import re

from recueil.model import BudgetLine
from recueil.text.clean import fold, squash, strip_markup
from recueil.text.money import parse_money, split_amounts

_OPERATION = r"C\s?\d\d\s?-\s*\d{3}\s?[A-Z]\s?\d\d"
_OPERATION_CELL = re.compile(_OPERATION)
_IMPUTATION = re.compile("imputation", re.IGNORECASE)
_HEADER_START = re.compile(r"\s*(?:Section|Code)\b", re.IGNORECASE)
_LAYOUT_HEADER = re.compile(
    r"(?:Section\s+)?Code\s+Op[ée]ration\s+Imputation(?:\s+budg[ée]taire)?"
    r"(?:\s+Libell[ée](?:\s+(?:de\s+l['’]\s?)?op[ée]ration)?)?",
    re.IGNORECASE,
)
# Column names of the amounts: one word each ("CP €", "Disponible"), but for this phrase.
_COLUMN = re.compile(r"Proposition\s+d['’]\s?inscription|[^\s€]+", re.IGNORECASE)
_ROW_START = re.compile(r"(?i:fonctionn|investiss)|C\s?\d\d\s?-")
# A row's codes on lines joined by "\n": [section] operation [sub-code] [imputation].
_ROW_HEAD = re.compile(
    r"(?:(?i:fonctionn|investiss)[a-zé]*(?:\n[a-z]{1,2}(?=\n))?\s+)?"  # "Investissemen" / "t"
    rf"(?P<operation>{_OPERATION})(?!\w)"
    r"(?:\s+(?P<sub>(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]*)(?![\w/]))?"
    r"(?:\s+(?P<imputation>\d+(?:/{1,2}\d+(?:\n\d{1,3}(?=\n|$))?)?)(?![\w/]))?"
)
_SPACE = re.compile(r"\s+")
_NOT_KEY = re.compile(r"[^a-z0-9]+")

# How far a layout table may spread (non-empty lines): header, one row, label of one row.
_HEADER_LINES = 12
_HEAD_LINES = 7
_LABEL_LINES = 8
# Label lines sit in a narrow column; a longer line, or one closing a sentence, is the prose
# after the table ("Je vous prie de bien vouloir en délibérer."). The column wraps without
# hyphenating, so a line ending in "-" ("stratégiques-" / "attractivité") keeps its dash and
# the lines are joined with a space, not by `clean.join_lines`.
_LABEL_WIDTH = 32
_PROSE_END = (".", ":", ";")


def read_budget_lines(lines: list[str], first: int, last: int) -> list[BudgetLine]:
    """Every row of every imputation table between 1-based lines `first` and `last` inclusive."""
    rows: list[BudgetLine] = []
    index, stop = first - 1, min(last, len(lines))
    while index < stop:
        raw = lines[index]
        if "\t" in raw:
            columns = _tab_header(raw) if _IMPUTATION.search(raw) else None
            if columns is not None:
                index = _tab_rows(lines, index + 1, stop, columns, rows)
                continue
        elif _HEADER_START.match(raw):
            region = _Region(lines, index, stop)
            used = _layout_table(region, rows)
            if used:
                index = region.indexes[used - 1] + 1
                continue
        index += 1
    return rows


def _column_key(name: str) -> str:
    """ "Dépense €" → "depense", "AP/AE" → "ap_ae", "Proposition d'inscription" → ..."""
    return _NOT_KEY.sub("_", fold(name.replace("€", "")).lower()).strip("_")


def _operation(code: str, sub: str | None) -> str:
    """ "C03 - 321 A 17" → "C03-321A17"; a sub-code stays apart: "C04-628G04 AP21"."""
    operation = _SPACE.sub("", code).upper()
    return f"{operation} {sub}" if sub else operation


def _amounts(keys: list[str], values: list[int]) -> dict[str, int]:
    """Amounts by column, aligned on the right: an empty cell is always a leading one (the
    AP/AE column of a row of fonctionnement); figures beyond the header are numbered."""
    if len(values) <= len(keys):
        return dict(zip(keys[len(keys) - len(values) :], values, strict=True))
    names = keys + [f"montant_{n}" for n in range(len(keys) + 1, len(values) + 1)]
    return dict(zip(names, values, strict=True))


# --- tab-separated tables (séance record) ---------------------------------------------------


def _tab_header(raw: str) -> list[str] | None:
    """The role of each cell ("operation", "imputation", "label", "section" or an amount key)
    when the line is the header of an imputation table, else None."""
    roles = []
    for cell in raw.split("\t"):
        name = fold(strip_markup(cell))
        if name == "SECTION":
            roles.append("section")
        elif name.startswith("CODE OPERATION"):
            roles.append("operation")
        elif name.startswith("IMPUTATION"):
            roles.append("imputation")
        elif name.startswith("LIBELLE"):
            roles.append("label")
        else:
            roles.append(_column_key(name))
    if "operation" in roles and "imputation" in roles:
        return roles
    return None


def _tab_rows(
    lines: list[str], index: int, stop: int, roles: list[str], rows: list[BudgetLine]
) -> int:
    """Read the rows under a tab header (until a line without tabs); returns the next index."""
    while index < stop and "\t" in lines[index]:
        row = BudgetLine(operation="", imputation="", label="")
        cells = (squash(strip_markup(cell)) for cell in lines[index].split("\t"))
        for position, (role, cell) in enumerate(zip(roles, cells), start=1):
            if role == "operation":
                code = _OPERATION_CELL.search(cell)
                row.operation = _operation(code.group(), None) if code else ""
            elif role == "imputation":
                row.imputation = cell.replace(" ", "")
            elif role == "label":
                row.label = cell
            elif role != "section" and (value := parse_money(cell)) is not None:
                row.amounts[role or f"montant_{position}"] = value
        if row.operation:  # not a total or a note under the table
            rows.append(row)
        index += 1
    return index


# --- tables of layout text (RAA 2021) -------------------------------------------------------


class _Region:
    """The non-empty lines from a header on, squashed as far as the reader looks."""

    def __init__(self, lines: list[str], index: int, stop: int) -> None:
        self._lines = lines
        self._next = index
        self._stop = stop
        self.indexes: list[int] = []
        self.texts: list[str] = []

    def upto(self, count: int) -> list[str]:
        """The texts, read until there are `count` of them or the range ends."""
        while len(self.texts) < count and self._next < self._stop:
            text = squash(self._lines[self._next])
            if text:
                self.indexes.append(self._next)
                self.texts.append(text)
            self._next += 1
        return self.texts

    def row_head(self, at: int) -> re.Match[str] | None:
        """The codes of a row starting at item `at`, matched over the next few lines."""
        texts = self.upto(at + _HEAD_LINES)
        if at >= len(texts) or not _ROW_START.match(texts[at]):
            return None
        return _ROW_HEAD.match("\n".join(texts[at : at + _HEAD_LINES]))


def _layout_table(region: _Region, rows: list[BudgetLine]) -> int:
    """Read the table whose header opens `region`; returns how many of its items were used
    (0 when this is no imputation table)."""
    start = next((at for at in range(1, _HEADER_LINES) if region.row_head(at)), None)
    if start is None:
        return 0
    header = " ".join(region.texts[:start])
    fixed = _LAYOUT_HEADER.match(header)
    if fixed is None:
        return 0
    keys = [_column_key(name) for name in _COLUMN.findall(header[fixed.end() :])]
    at = start
    while (head := region.row_head(at)) is not None:
        at = _layout_row(region, at, head, keys, rows)
    return at


def _layout_row(
    region: _Region, at: int, head: re.Match[str], keys: list[str], rows: list[BudgetLine]
) -> int:
    """Read one row whose codes `head` matched at item `at`; returns the item after it."""
    rest = head.string[head.end() :].split("\n", 1)[0].strip()
    after = at + head.group().count("\n") + 1
    label = [rest] if rest else []
    values: list[int] = []
    cursor = after
    while len(label) <= _LABEL_LINES and cursor < len(region.upto(cursor + 1)):
        text = region.texts[cursor]
        amounts = split_amounts(text)
        if amounts is not None:
            values = amounts
            after = cursor + 1
            break
        if region.row_head(cursor) or len(text) > _LABEL_WIDTH or text.endswith(_PROSE_END):
            break
        label.append(text)
        cursor += 1
    if not values:  # a row without figures ("Investissement C03-313B14 1311") has no label
        label = [rest] if rest else []
    rows.append(
        BudgetLine(
            operation=_operation(head["operation"], head["sub"]),
            imputation=(head["imputation"] or "").replace("\n", ""),
            label=" ".join(label),
            amounts=_amounts(keys, values),
        )
    )
    return after
