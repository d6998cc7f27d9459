"""Reading one field of a row, for every importer: repeated columns, junk and number conventions.

A field may live in several columns (a repeated `#Followers`, a second category). The first
copy with a usable value wins: junk (`N/A`, `#VALUE!`, `N/A'` with a stray quote) is skipped,
and so is a copy that does not parse when another copy does, so one bad duplicate never
rejects a row whose other copy is fine.

Each numeric column is read with its decimal mark, found once per file (`column_decimals`):
the mark its unambiguous values use (`3,5k`, `1.234.567` -> comma), else the file's, else, for
counts whose values all look like `12.345`, a grouping dot (a count cannot be fractional).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from ...influence.numbers import BadNumber, Decimal, decimal_evidence, is_junk, majority

N = TypeVar("N")
Rows = Sequence[tuple[int, list[str]]]
_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(,\d{3})+$")


class Cells:
    """How a file's rows are read: the columns of each field and each column's decimal mark."""

    def __init__(self, fields: Mapping[str, Sequence[int]], decimals: Mapping[int, Decimal | None]) -> None:
        self.fields = fields
        self.decimals = decimals

    def text(self, cells: list[str], name: str) -> str | None:
        """The first non-junk value among the columns holding `name`."""
        for index in self.fields.get(name, ()):
            if index < len(cells) and not is_junk(cells[index]):
                return cells[index].strip()
        return None

    def number(self, cells: list[str], name: str, parse: Callable[[str, Decimal | None], N]) -> N | None:
        """The first copy that parses; BadNumber (the first copy's) only when none does."""
        return self.number_at(cells, name, parse)[0]

    def number_at(self, cells: list[str], name: str,
                  parse: Callable[[str, Decimal | None], N]) -> tuple[N | None, int | None]:
        """(value, the column it came from)."""
        error: BadNumber | None = None
        for index in self.fields.get(name, ()):
            if index >= len(cells):
                continue
            try:
                value = parse(cells[index], self.decimals.get(index))  # None for junk
            except BadNumber as exc:
                error = error or exc
                continue
            if value is not None:
                return value, index
        if error is not None:
            raise error
        return None, None


def column_decimals(rows: Rows, numeric: Iterable[int], counts: Iterable[int]) -> dict[int, Decimal | None]:
    """Each numeric column's decimal mark: its own evidence, else the file's, else None (dot-style)."""
    numeric, counts = list(numeric), set(counts)
    marks: dict[int, list[Decimal | None]] = {i: [] for i in numeric}
    for _, cells in rows:
        for index in numeric:
            if index < len(cells):
                cell = cells[index]
                if not cell.strip().isdigit():
                    marks[index].append(decimal_evidence(cell))
    found = {i: majority(m) for i, m in marks.items()}
    file_mark = majority(mark for m in marks.values() for mark in m)
    for index in numeric:
        if found[index] is None:
            found[index] = file_mark
        if found[index] is None and index in counts:
            values = [c.strip() for c in (cells[index] for _, cells in rows if index < len(cells)) if c.strip()]
            dots = any(_DOT_GROUPS.match(v) for v in values)
            commas = any(_COMMA_GROUPS.match(v) for v in values)
            if dots and not commas:
                found[index] = ","  # `12.345` followers: a count cannot be fractional, so the dot groups
    return found


def describe(decimals: Mapping[int, Decimal | None], headers: Sequence[str]) -> str | None:
    """A summary note when some columns use a decimal comma."""
    comma = [headers[i].strip() for i, mark in sorted(decimals.items()) if mark == ","]
    if not comma:
        return None
    shown = ", ".join(f"“{h}”" for h in comma[:6]) + (f" and {len(comma) - 6} more" if len(comma) > 6 else "")
    return f"Numbers read with a decimal comma (1.234,5 = 1234.5) in {shown}."
