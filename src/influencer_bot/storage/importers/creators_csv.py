"""`influencer-bot import creators FILE`: a messy spreadsheet export in, creators out.

The file is read and every row validated into a `CreatorRecord` before anything is
written, so a bad row is reported (line and reason) and never half-written; duplicates
within the file keep the last line. Records then go through `upsert_creators` in
batches, one transaction each, which makes re-importing the same file a no-op.
Problems with the whole file (not a CSV, empty, no handle or follower column) are one
`UserError` and write nothing.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ...influence.errors import UserError
from ...influence.platforms import Platform, parse_platform
from ..creators.store import Outcome
from ..ingest import upsert_creators
from ..creators.records import CreatorRecord
from ..workspaces import ensure_workspace
from .headers import CANONICAL, Columns, parse_mapping, resolve
from .rows import Reject, RowReader

BATCH_SIZE = 1_000
SOURCE = "csv"
HEADER_EXAMPLE = "a first line such as: " + ",".join(CANONICAL[:4]) + ",avg_likes,engagement_rate_pct,price_usd"
_SAVE_AS_CSV = "in your spreadsheet choose File → Save as / Download → CSV, then import that file"
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"SQLite format 3", "an SQLite database"),
)

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    dry_run: bool = False
    file_name: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary_lines(self) -> list[str]:
        """What the terminal prints: the counts, then every rejected row with its line."""
        head = (f"{self.file_name + ': ' if self.file_name else ''}{self.created:,} created, "
                f"{self.updated:,} updated, {self.unchanged:,} unchanged, {len(self.rejected):,} rejected")
        lines = [head + (" (dry run: nothing was written)." if self.dry_run else ".")]
        lines += self.notes
        if self.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(self.ignored_columns))
        if self.rejected:
            lines.append("Rejected rows:")
            lines += [f"  line {line}: {reason}" for line, reason in sorted(self.rejected)]
        return lines


def import_creators_file(factory: sessionmaker[Session], team_id: str, path: str | Path, *,
                         platform: str | Platform | None = None,
                         mapping: Mapping[str, str] | Iterable[str] | None = None,
                         dry_run: bool = False, progress: bool | Progress | None = None) -> ImportReport:
    """Import a creators CSV into a workspace; `progress` None means a bar when stderr is a TTY."""
    path = Path(path)
    default = parse_platform(platform) if isinstance(platform, str) else platform
    text = read_text(path)
    report = ImportReport(dry_run=dry_run, file_name=path.name)
    kept = parse_records(text, path.name, report, default, parse_mapping(mapping))
    _write(factory, team_id, kept, report, dry_run, progress)
    return report


# ---------------------------------------------------------------- reading the file

def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"), else cp1252/latin-1."""
    if not path.is_file():
        raise UserError(f"There is no file at {path}.", "influencer-bot import creators ./creators.csv")
    data = path.read_bytes()
    if not data.strip():
        raise UserError(f"{path.name} is empty: there is nothing to import.", HEADER_EXAMPLE)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UserError(f"{path.name} is not a CSV file: it looks like {what}.", _SAVE_AS_CSV)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise UserError(f"{path.name} is not a CSV file: it contains binary data.", _SAVE_AS_CSV)
    else:
        text = _decode(data)
    start = text.lstrip()[:1]
    if start in ("{", "["):
        raise UserError(f"{path.name} is not a CSV file: it looks like JSON.", HEADER_EXAMPLE)
    if start == "<":
        raise UserError(f"{path.name} is not a CSV file: it looks like a web page (HTML or XML).", _SAVE_AS_CSV)
    return text.replace("\x00", "")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: csv.Sniffer on the first lines, else the most frequent one."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    best = max(",\t;", key=first.count)  # ties go to the comma
    if not delimiter or first.count(delimiter) < first.count(best) // 2 or first.count(delimiter) == 0:
        delimiter = best
    return delimiter


def _find_header(rows: list[tuple[int, list[str]]], name: str, mapping: dict[str, str]) -> tuple[int, Columns]:
    """The first of the leading rows that names a handle column (title lines above it are skipped)."""
    for position, (_, cells) in enumerate(rows):
        try:
            cols = resolve(cells, mapping)
        except UserError:
            continue
        if cols.has("handle"):
            if not cols.has("followers"):
                raise UserError(f"{name} has no follower column (its columns: {_list(cells)}).",
                                'a "followers" or "subscribers" column, or --map followers="Your column"')
            return position, cols
    if not rows:
        raise UserError(f"{name} is empty: there is nothing to import.", HEADER_EXAMPLE)
    cells = rows[0][1]
    resolve(cells, mapping)  # a --map naming a missing column explains itself
    if len(cells) < 2:
        raise UserError(f"{name} does not look like a CSV file: I found no comma, tab or semicolon "
                        f"separated columns in its first line.", HEADER_EXAMPLE)
    raise UserError(f"{name} has no handle column (its columns: {_list(cells)}).",
                    'a "handle" or "username" column, or --map handle="Your column"')


def _list(cells: list[str]) -> str:
    shown = ", ".join(c.strip() for c in cells if c.strip())
    return shown if len(shown) <= 300 else shown[:300] + "…"


def parse_records(text: str, name: str, report: ImportReport, platform: Platform | None,
                  mapping: dict[str, str]) -> list[tuple[int, CreatorRecord]]:
    """Every valid record with its line, the last one per (platform, handle); rejects go to `report`."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), skipinitialspace=True)
    lead: list[tuple[int, list[str]]] = []
    rows = numbered_rows(reader, report)
    for line, cells in rows:
        if any(c.strip() for c in cells):
            lead.append((line, cells))
            if len(lead) == 10:
                break
    position, cols = _find_header(lead, name, mapping)
    hint = cols.platform_hint() if not cols.has("platform") and platform is None else None
    if hint is not None:
        report.notes.append(f"Platform: {hint.value} (from the column names; use --platform to change it).")
    report.ignored_columns = cols.ignored
    row_reader = RowReader(cols, platform or hint)
    kept: dict[tuple[str, str], tuple[int, CreatorRecord]] = {}
    data_rows = 0
    no_platform = 0
    for line, cells in chain(lead[position + 1:], rows):
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows of empty cells are not creators
        data_rows += 1
        try:
            record = row_reader.record(cells)
        except Reject as reject:
            report.rejected.append((line, reject.reason))
            no_platform += reject.no_platform
            continue
        key = (record.platform.value, record.handle)
        earlier = kept.pop(key, None)
        if earlier is not None:
            report.rejected.append((earlier[0], f"same handle as line {line}; the later line was used"))
        kept[key] = (line, record)
    if data_rows == 0:
        raise UserError(f"{name} has a header but no creator rows under it.", HEADER_EXAMPLE)
    if no_platform and not cols.has("platform") and row_reader.platform is None:
        raise UserError(f"{name} does not say which platform its creators are on (no platform column).",
                        f"influencer-bot import creators {name} --platform instagram")
    return list(kept.values())


def numbered_rows(reader: Any, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted cell may span lines); unreadable rows are rejected."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rejected.append((line, f"cannot read this row ({exc})"))
            continue
        yield line, cells


# ---------------------------------------------------------------- writing

def _write(factory: sessionmaker[Session], team_id: str, kept: list[tuple[int, CreatorRecord]],
           report: ImportReport, dry_run: bool, progress: bool | Progress | None) -> None:
    tick, close = _progress(progress, len(kept))
    try:
        for start in range(0, len(kept), BATCH_SIZE):
            batch = kept[start:start + BATCH_SIZE]
            try:
                outcomes = _upsert(factory, team_id, [r for _, r in batch], dry_run)
            except (IntegrityError, DataError):
                outcomes = _one_by_one(factory, team_id, batch, report, dry_run)
            for outcome in outcomes:
                if outcome is not None:
                    report.count(outcome)
            tick(start + len(batch))
    finally:
        close()


def _upsert(factory: sessionmaker[Session], team_id: str, records: list[CreatorRecord],
            dry_run: bool) -> list[Outcome]:
    """One batch, one transaction: committed whole, or (dry run, or any error) rolled back whole."""
    with factory() as session:
        session.begin()
        try:
            ensure_workspace(session, team_id)
            outcomes = upsert_creators(session, team_id, records, source=SOURCE)
        except BaseException:
            session.rollback()
            raise
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return outcomes


def _one_by_one(factory: sessionmaker[Session], team_id: str, batch: list[tuple[int, CreatorRecord]],
                report: ImportReport, dry_run: bool) -> list[Outcome | None]:
    """The database refused a batch (a value too long for PostgreSQL, a concurrent import):
    retry each row alone so that only the rows it refuses are rejected."""
    outcomes: list[Outcome | None] = []
    for line, record in batch:
        try:
            outcomes += _upsert(factory, team_id, [record], dry_run)
        except (IntegrityError, DataError) as exc:
            detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:120]
            report.rejected.append((line, f"the database refused this creator ({detail})"))
            outcomes.append(None)
    return outcomes


def _progress(progress: bool | Progress | None, total: int) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A tqdm bar on stderr when asked, or by default when stderr is a terminal; else nothing."""
    if callable(progress):
        return (lambda done: progress(done, total)), (lambda: None)
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return (lambda done: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="row", desc="Importing creators", file=sys.stderr, leave=False)

    def tick(done: int) -> None:
        bar.update(done - bar.n)

    return tick, bar.close
