"""Numbers as spreadsheets and exports write them: `12.4M`, `3.3k`, `1,234`, `1.39%`, `3,5k`.

Spreadsheet junk (`#VALUE!`, `N/A`, `-`, empty) is unknown (None), never zero: a
missing follower count must not become a creator with no followers.

Exports from European tools write `1.234.567` and `3,5k`: the decimal mark is a per-file
(or per-column) convention, which `decimal_evidence` reads off unambiguous values so that an
ambiguous `12.345` can be read the file's way. A number that does not fit its column's
convention, or a count that comes out fractional without a unit (`12.3` followers), is
refused with a reason, never truncated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Literal

Decimal = Literal[".", ","]

_JUNK = {"", "-", "--", "—", "–", "n/a", "na", "n.a.", "n.a", "nan", "none", "null", "nil", "?", "unknown",
         "#n/a", "n/v", "k.a.", "-/-", "x"}
_STRAY = " \t'\"‘’“”`"
_SPLIT = re.compile(r"^(?P<sign>[-+])?[$€£]?\s*(?P<num>[\d.,'’]*\d[\d.,'’]*(?:[eE][-+]?\d+)?)\s*"
                    r"(?P<unit>k|m|mn|mm|mio|b|bn|bil)?\.?\s*[$€£]?$", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "mio": 1e6, "b": 1e9, "bn": 1e9, "bil": 1e9}
_PLAIN = re.compile(r"^\d*\.?\d+(?:[eE][-+]?\d+)?$")


class BadNumber(ValueError):
    """The cell holds something that is neither a number nor recognisable junk."""


def is_junk(cell: str | None) -> bool:
    """Unknown rather than a value: empty, `N/A`, `#VALUE!`, also with a stray quote (`N/A'`)."""
    if cell is None:
        return True
    text = cell.strip(_STRAY)
    if not text or text[0].isdigit():
        return not text  # the common case, a number, at the cost of one strip
    text = text.lower()
    return text in _JUNK or (text.startswith("#") and text.endswith(("!", "?")))


def _split(cell: str) -> re.Match[str] | None:
    return _SPLIT.match(cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", ""))


def decimal_evidence(cell: str | None) -> Decimal | None:
    """The decimal mark a value can only have been written with, or None when it would read
    either way (`1,234`, `12.345`) or is not a number: `3,5k` and `1.234.567` say comma,
    `12.4k` and `1,234,567` say dot."""
    if is_junk(cell):
        return None
    match = _split(cell.removesuffix("%").strip())  # type: ignore[union-attr]
    if match is None:
        return None
    num, unit = match["num"], match["unit"]
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        return "," if num.rfind(",") > num.rfind(".") else "."
    for mark, count in ((".", dots), (",", commas)):
        if count > 1:
            return "," if mark == "." else "."  # only a thousands separator repeats
        if count == 1:
            head, tail = num.split(mark)
            if unit or len(tail) != 3 or not head or head == "0" or len(head) > 3:
                return mark  # `3,5k`, `4,25`, `0,123`, `1234,567`: a decimal mark
            return None  # `1,234` / `12.345`: grouping or decimal, the cell cannot say
    return None


def majority(marks: Iterable[Decimal | None]) -> Decimal | None:
    """The decimal mark most unambiguous values use (ties: unknown)."""
    dots = commas = 0
    for mark in marks:
        dots += mark == "."
        commas += mark == ","
    return "." if dots > commas else "," if commas > dots else None


def parse_number(cell: str | None, decimal: Decimal | None = None) -> float | None:
    """A count or amount; `12.4M` is 12,400,000. `decimal` is the file's decimal mark when known;
    unknown reads `1,234` as 1234 and `1.5` as 1.5, as most English-language exports mean."""
    return _parse(cell, decimal)[0]


def _parse(cell: str | None, decimal: Decimal | None) -> tuple[float | None, bool]:
    """(value, had a unit)."""
    if is_junk(cell):
        return None, False
    if cell.isdigit():  # type: ignore[union-attr]
        return float(cell), False  # type: ignore[arg-type]
    shown = cell.strip()[:30]  # type: ignore[union-attr]
    match = _split(cell)  # type: ignore[arg-type]
    if not match:
        raise BadNumber(f"“{shown}” is not a number")
    num = match["num"]
    text = num if decimal is None and _PLAIN.match(num) else _plain(num, decimal or decimal_evidence(cell), shown)
    unit = (match["unit"] or "").lower()
    value = float(text) * _SCALE.get(unit, 1.0)
    if not math.isfinite(value):
        raise BadNumber(f"“{shown}” is not a finite number")
    return (-value if match["sign"] == "-" else value), bool(unit)


def _plain(num: str, decimal: Decimal | None, shown: str) -> str:
    """`1.234,5` (comma file) -> `1234.5`; grouping must come in threes or the cell is refused."""
    num = num.replace("’", "'")
    if "'" in num:  # Swiss grouping: 1'234'567
        if not re.fullmatch(r"\d{1,3}('\d{3})+([.,]\d+)?", num):
            raise BadNumber(f"“{shown}” is not a number")
        num = num.replace("'", "")
    if _PLAIN.match(num) and (decimal != "," or "." not in num):
        return num
    group, mark = (".", ",") if decimal == "," else (",", ".")
    int_part, _, frac = num.partition(mark)
    if mark in frac or (group in int_part and not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+", int_part)) \
            or group in frac or not (int_part or frac):
        mark_name = "comma" if decimal == "," else "point"
        hint = f" (this file writes decimals with a {mark_name})" if decimal else ""
        raise BadNumber(f"“{shown}” is not a number{hint}")
    return int_part.replace(group, "") + ("." + frac if frac else "")


def parse_count(cell: str | None, decimal: Decimal | None = None) -> int | None:
    """A whole, non-negative count: `12.3` followers (no unit) is refused, `12.3k` is 12,300."""
    value, had_unit = _parse(cell, decimal)
    if value is None:
        return None
    shown = cell.strip()[:30]  # type: ignore[union-attr]
    if value < 0:
        raise BadNumber(f"“{shown}” is negative")
    if not had_unit and not float(value).is_integer():
        if decimal is None and re.fullmatch(r"\d{1,3}\.\d{3}", shown):
            raise BadNumber(f"“{shown}” could be {shown.replace('.', ',')} or {shown} and the file does not "
                            "say which (write it without separators)")
        raise BadNumber(f"“{shown}” is not a whole number (a count with decimals needs a unit, as in 12.3k)")
    return round(value)


def parse_percent(cell: str | None, decimal: Decimal | None = None) -> float | None:
    """`1.39%` or `1.39` -> 1.39 (percent points); `0.0139` stays 0.0139 points."""
    if is_junk(cell):
        return None
    text = cell.strip()  # type: ignore[union-attr]
    value = parse_number(text.removesuffix("%").strip(), decimal)
    if value is not None and value < 0:
        raise BadNumber(f"“{text[:30]}” is a negative percentage")
    return value
