"""Excel `.xlsx` files, read with openpyxl, as the rows of text a CSV would give.

Cells become the text a spreadsheet shows: whole numbers without `.0`, percentages as `1.39%`,
dates as ISO dates, so that the importers read them exactly as they read a CSV. The first sheet
with data is read; row numbers are the sheet's, which the user sees in Excel.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

from ...influence.errors import UserError

_SAVE_AGAIN = "open it in your spreadsheet and save it again as .xlsx or CSV"


def read_workbook(path: Path) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """(a note naming the sheet when there are several, [(row number, cells)])."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{path.name} is not a readable Excel workbook ({type(exc).__name__}).", _SAVE_AGAIN) from None
    try:
        for sheet in book.worksheets:
            rows = [(n, [_text(cell) for cell in row]) for n, row in enumerate(sheet.iter_rows(), start=1)]
            if any(any(c.strip() for c in cells) for _, cells in rows):
                note = f"Read sheet “{sheet.title}” of {len(book.worksheets)}." if len(book.worksheets) > 1 else None
                return note, rows
    finally:
        book.close()
    raise UserError(f"{path.name} is empty: none of its sheets has data.", _SAVE_AGAIN)


def _text(cell: object) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{value * 100:.10g}%"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
