"""A spreadsheet file -> its header and its sound rows, for every importer.

CSV (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16, cp1252) and Excel `.xlsx`
(the first sheet with data, via openpyxl) are read the same way: title lines above the header
are skipped, and every data row keeps the line it starts on. Rows that were damaged on the
way are rejected with their line, never read half-way:

- fewer fields than the header (a row cut short, `49.9m` cut to `4`), or more (a stray separator);
- an opening quote that is never closed, which makes the CSV reader swallow the lines below
  it into one cell: that row is skipped and reading starts again on the next line;
- a last line that stops mid-value in a file that does not end with a line break.

A file that is broken throughout (most rows rejected for their shape) is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TypeVar

from ...influence.errors import UserError
from ...influence.numbers import is_junk
from .workbook import read_workbook

T = TypeVar("T")
Rows = list[tuple[int, list[str]]]
SAVE_AS_CSV = "in your spreadsheet choose File → Save as / Download → CSV (or .xlsx), then import that file"
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"SQLite format 3", "an SQLite database"),
)
LEAD_ROWS = 10  # the header is among the first non-blank rows
_SWALLOWED = ("an opening quote (\") is never closed, so this row ran into the lines below it; "
              "it was skipped and reading went on with the next line")
_UNIT = re.compile(r"^[\d.,\s]+\s*[kmb]n?$", re.IGNORECASE)
_BARE = re.compile(r"^\d+$")
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(slots=True)
class Table:
    name: str
    headers: list[str]
    rows: Rows  # non-blank data rows with their first line
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, locate: Callable[[Rows], tuple[int, T]], example: str) -> tuple[Table, T]:
    """Read `path`; `locate(lead rows)` returns (position of the header among them, its columns)
    or raises a UserError that explains why no row is a header."""
    data = _bytes(path, example)
    notes: list[str] = []
    if data.startswith(b"PK\x03\x04"):
        sheet, rows = read_workbook(path)
        notes += [sheet] if sheet else []
        stream: Iterator[tuple[int, list[str] | str]] = iter(rows)
        rejected, lead = _lead(stream)
        position, cols = locate(lead)
        ends_cleanly, delimiter, reader = True, "", None
    else:
        text = decode(data, path.name, example)
        ends_cleanly = text.endswith(("\n", "\r"))
        failed: UserError | None = None
        for delimiter in delimiters_by_fit(text):  # the best fit, unless only another finds a header
            reader = _CsvRows(text, delimiter)
            stream = iter(reader)
            rejected, lead = _lead(stream)
            try:
                position, cols = locate(lead)
                break
            except UserError as exc:
                failed = failed or exc
        else:
            raise failed  # type: ignore[misc]
    headers = lead[position][1]
    width = max((i + 1 for i, h in enumerate(headers) if h.strip()), default=len(headers))
    if reader is not None:
        reader.width = width
    table = Table(path.name, headers, [], [r for r in rejected if r[0] > lead[position][0]], notes)
    shape_errors = 0
    header_key = _row_key(headers)
    repeats: list[int] = []
    for line, cells in [*lead[position + 1:], *stream]:
        if isinstance(cells, str):
            table.rejected.append((line, cells))
            shape_errors += 1
            continue
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows of empty cells are not records
        if _row_key(cells) == header_key:
            repeats.append(line)  # exports joined one after another repeat their header
            continue
        problem = _shape(cells, width, len(headers)) if delimiter else None
        if problem:
            table.rejected.append((line, problem))
            shape_errors += 1
        else:
            table.rows.append((line, cells))
    if repeats:
        shown = ", ".join(map(str, repeats[:5])) + (" …" if len(repeats) > 5 else "")
        table.notes.append(f"Skipped the header repeated on line{'s' * (len(repeats) > 1)} {shown} "
                           f"(exports joined one after another).")
    if not ends_cleanly and table.rows:
        _check_cut_end(table)
    total = len(table.rows) + shape_errors
    if shape_errors >= 3 and shape_errors * 2 > total:
        first = min((r for r in table.rejected), default=(0, ""))
        raise UserError(f"{path.name} is broken throughout: {shape_errors:,} of its {total:,} rows do not fit "
                        f"its header of {width} columns (line {first[0]}: {first[1]}). Nothing was imported.",
                        "check that the file was saved whole, with one separator (comma, semicolon or tab)")
    return table, cols


def _lead(stream: Iterator[tuple[int, list[str] | str]]) -> tuple[list[tuple[int, str]], Rows]:
    """The first non-blank rows (where the header is), and rows unreadable among them."""
    rejected: list[tuple[int, str]] = []
    lead: Rows = []
    for line, cells in stream:
        if isinstance(cells, str):
            rejected.append((line, cells))
        elif any(c.strip() for c in cells):
            lead.append((line, cells))
            if len(lead) == LEAD_ROWS:
                break
    return rejected, lead


def _row_key(cells: list[str]) -> tuple[str, ...]:
    """A row's non-empty cells, trimmed and in lower case: a repeated header matches its first copy."""
    return tuple(c.strip().lower() for c in cells if c.strip())


def _shape(cells: list[str], width: int, header_len: int) -> str | None:
    if len(cells) < width:
        return f"only {len(cells)} of the header's {width} fields: the row is cut short"
    extra = [c for c in cells[header_len:] if c.strip()]
    if extra:
        return (f"{len(cells)} fields where the header has {header_len}: a stray separator or an "
                f"unquoted value (“{extra[0].strip()[:30]}”) shifted the row")
    return None


def _check_cut_end(table: Table) -> None:
    """The file stops without a line break: its last value may have been cut (`49.9m` -> `4`)."""
    line, cells = table.rows[-1]
    index = max(i for i, c in enumerate(cells) if c.strip())
    value = cells[index].strip()
    peers = [cells_[index].strip() for _, cells_ in table.rows[-200:-1]
             if index < len(cells_) and not is_junk(cells_[index])]
    with_unit = sum(bool(_UNIT.match(p)) for p in peers)
    if _BARE.match(value) and peers and with_unit * 2 >= len(peers):
        table.rows.pop()
        example = next(p for p in peers if _UNIT.match(p))
        table.rejected.append((line, f"the file ends in the middle of this row: “{value}” looks cut short "
                                     f"(other rows write this column like “{example}”)"))


class _CsvRows:
    """csv.reader with line numbers, which starts again on the next line after a runaway quote."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.lines = io.StringIO(text, newline="").readlines()
        self.delimiter = delimiter
        first = next((line for line in self.lines if line.strip()), "")
        self.width = first.count(delimiter) + 1  # until the header is known

    def __iter__(self) -> Iterator[tuple[int, list[str] | str]]:
        pos = 0
        while pos < len(self.lines):
            reader = csv.reader(islice(self.lines, pos, None), delimiter=self.delimiter, skipinitialspace=True)
            restart = None
            while restart is None:
                start = pos + reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield start, f"cannot read this row ({exc})"
                    restart = start
                    continue
                if self._swallowed(cells):
                    yield start, _SWALLOWED
                    restart = start
                    continue
                yield start, cells
            pos = restart

    def _swallowed(self, cells: list[str]) -> bool:
        """A cell spanning lines that themselves look like rows: a quote was opened and never closed."""
        needed = max(2, (self.width - 1) // 2)
        for cell in cells:
            if "\n" in cell or "\r" in cell:
                if any(part.count(self.delimiter) >= needed for part in cell.splitlines()[1:]):
                    return True
        return False


# ---------------------------------------------------------------- bytes and text

def _bytes(path: Path, example: str) -> bytes:
    if not path.is_file():
        raise UserError(f"There is no file at {path}.", "influencer-bot import creators ./creators.csv")
    data = path.read_bytes()
    if not data.strip():
        raise UserError(f"{path.name} is empty: there is nothing to import.", example)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UserError(f"{path.name} is not a CSV file: it looks like {what}.", SAVE_AS_CSV)
    return data


def decode(data: bytes, name: str, example: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"), else cp1252/latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise UserError(f"{name} is not a CSV file: it contains binary data.", SAVE_AS_CSV)
    else:
        text = _decode(data)
    start = text.lstrip()[:1]
    if start in ("{", "["):
        raise UserError(f"{name} is not a CSV file: it looks like JSON.", example)
    if start == "<":
        raise UserError(f"{name} is not a CSV file: it looks like a web page (HTML or XML).", SAVE_AS_CSV)
    return text.replace("\x00", "")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def delimiters_by_fit(text: str) -> list[str]:
    """Comma, tab and semicolon, best first: the one that splits the first lines most consistently
    (quoted parts aside), so a title line above the header (`Top creators; March`) does not decide."""
    lines = [_QUOTED.sub("", line) for line in text.splitlines()[:60] if line.strip()][:30]
    scores = {}
    for delimiter in ",\t;":
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        fields, rows = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else (0, 0)
        scores[delimiter] = fields * rows
    return sorted(",\t;", key=lambda d: -scores[d])  # stable: ties go to the comma
