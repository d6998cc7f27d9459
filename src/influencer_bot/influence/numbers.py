"""Numbers as spreadsheets and exports write them: `12.4M`, `3.3k`, `1,234`, `1.39%`.

Spreadsheet junk (`#VALUE!`, `N/A`, `-`, empty) is unknown (None), never zero: a
missing follower count must not become a creator with no followers.
"""

from __future__ import annotations

import math
import re

_JUNK = {"", "-", "--", "—", "n/a", "na", "nan", "none", "null", "nil", "?", "unknown", "#n/a"}
_NUMBER = re.compile(
    r"^(?P<sign>[-+])?\$?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<unit>[kKmMbB])?$"
)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}


class BadNumber(ValueError):
    """The cell holds something that is neither a number nor recognisable junk."""


def is_junk(cell: str | None) -> bool:
    if cell is None:
        return True
    text = cell.strip().lower()
    return text in _JUNK or (text.startswith("#") and text.endswith(("!", "?")))


def parse_number(cell: str | None) -> float | None:
    """A count or amount; `12.4M` is 12,400,000 (exports write millions as m or M)."""
    if is_junk(cell):
        return None
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        raise BadNumber(f"“{cell.strip()[:30]}” is not a number")
    value = float(match["num"].replace(",", "")) * _SCALE.get((match["unit"] or "").lower(), 1.0)
    if not math.isfinite(value):
        raise BadNumber(f"“{cell.strip()[:30]}” is not a finite number")
    return -value if match["sign"] == "-" else value


def parse_count(cell: str | None) -> int | None:
    value = parse_number(cell)
    if value is None:
        return None
    if value < 0:
        raise BadNumber(f"“{cell.strip()[:30]}” is negative")
    return round(value)


def parse_percent(cell: str | None) -> float | None:
    """`1.39%` or `1.39` -> 1.39 (percent points); `0.0139` stays 0.0139 points."""
    if is_junk(cell):
        return None
    text = cell.strip()
    value = parse_number(text.removesuffix("%").strip())
    if value is not None and value < 0:
        raise BadNumber(f"“{text[:30]}” is a negative percentage")
    return value
