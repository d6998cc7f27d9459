"""`influencer-bot import creators FILE`: a messy spreadsheet export (CSV or .xlsx) in, creators out.

The file is read (table.py), its name columns told apart by content (names.py), and every row validated into a `CreatorRecord` before anything is
written, so a bad row is reported (line and reason) and never half-written; duplicates
within the file keep the last line. Records then go through `upsert_creators` in
batches, one transaction each, which makes re-importing the same file a no-op.
Problems with the whole file (not a CSV, empty, no handle or follower column) are one
`UserError` and write nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ...influence.engagement import rate_disagreement
from ...influence.errors import UserError
from ...influence.platforms import Platform, parse_platform
from ..creators.records import CreatorRecord
from ..creators.store import Outcome
from ..ingest import upsert_creators
from ..workspaces import ensure_workspace
from .headers import CANONICAL, Columns, parse_mapping, platform_in_file_name, resolve
from .names import pick_names
from .rows import COUNTS, NUMERIC, Reject, RowReader
from .table import read_table
from .values import Cells, column_decimals, describe

BATCH_SIZE = 1_000
SOURCE = "csv"
HEADER_EXAMPLE = "a first line such as: " + ",".join(CANONICAL[:4]) + ",avg_likes,engagement_rate_pct,price_usd"

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
    """Import a creators CSV or .xlsx into a workspace; `progress` None means a bar when stderr is a TTY."""
    path = Path(path)
    default = parse_platform(platform) if isinstance(platform, str) else platform
    report = ImportReport(dry_run=dry_run, file_name=path.name)
    kept = parse_file(path, report, default, parse_mapping(mapping))
    _write(factory, team_id, kept, report, dry_run, progress)
    return report


# ---------------------------------------------------------------- reading the file

def _locate(name: str, mapping: dict[str, str]):  # type: ignore[no-untyped-def]
    """The first of the leading rows that names a handle column (title lines above it are skipped)."""
    def locate(rows: list[tuple[int, list[str]]]) -> tuple[int, Columns]:
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
    return locate


def _list(cells: list[str]) -> str:
    shown = ", ".join(c.strip() for c in cells if c.strip())
    return shown if len(shown) <= 300 else shown[:300] + "…"


def _file_platform(cols: Columns, name: str, report: ImportReport) -> Platform | None:
    """The platform the file says it is about: its column names, else its file name."""
    hint, source = cols.platform_hint(), "the column names"
    if hint is None:
        hint, source = platform_in_file_name(name), "the file name"
    if hint is not None:
        report.notes.append(f"Platform: {hint.value} (from {source}; use --platform to change it).")
    return hint


def parse_file(path: Path, report: ImportReport, platform: Platform | None,
               mapping: dict[str, str]) -> list[tuple[int, CreatorRecord]]:
    """Every valid record with its line, the last one per (platform, handle); rejects go to `report`."""
    table, cols = read_table(path, _locate(path.name, mapping), HEADER_EXAMPLE)
    report.rejected += table.rejected
    report.notes += table.notes
    if not cols.has("platform") and platform is None:
        platform = _file_platform(cols, path.name, report)
    note = pick_names(cols, table.rows, platform)
    report.notes += [note] if note else []
    report.ignored_columns = cols.ignored
    numeric = [i for f in NUMERIC for i in cols.fields.get(f, ())]
    counts = [i for f in COUNTS for i in cols.fields.get(f, ())]
    decimals = column_decimals(table.rows, numeric, counts)
    note = describe(decimals, table.headers)
    report.notes += [note] if note else []
    reader = RowReader(cols, platform, Cells(cols.fields, decimals))
    kept: dict[tuple[str, str], tuple[int, CreatorRecord]] = {}
    no_platform = not_usernames = 0
    disagreements: list[tuple[int, float, float]] = []
    for line, cells in table.rows:
        try:
            record = reader.record(cells)
        except Reject as reject:
            report.rejected.append((line, reject.reason))
            no_platform += reject.no_platform
            not_usernames += reject.not_a_username
            continue
        off = rate_disagreement(record.platform, record.metrics)
        if off is not None:
            disagreements.append((line, *off))
        key = (record.platform.value, record.handle)
        earlier = kept.pop(key, None)
        if earlier is not None:
            report.rejected.append((earlier[0], f"same handle as line {line}; the later line was used"))
        kept[key] = (line, record)
    if not table.rows:
        raise UserError(f"{path.name} has a header but no creator rows under it.", HEADER_EXAMPLE)
    if no_platform and not cols.has("platform") and reader.platform is None:
        raise UserError(f"{path.name} does not say which platform its creators are on (no platform column, "
                        f"and neither its column names nor its file name name one): --platform is needed.",
                        f"influencer-bot import creators {path.name} --platform instagram")
    if not_usernames:
        column = cols.headers[cols.fields["handle"][0]].strip()
        rows = f"{not_usernames:,} row{'s were' if not_usernames != 1 else ' was'}"
        report.notes.append(f"{rows} rejected because “{column}” held no valid username (display names?): "
                            f"add a column of usernames or profile links, or --map handle=….")
    report.notes += _disagreement_note(disagreements, cols)
    return list(kept.values())


def _disagreement_note(found: list[tuple[int, float, float]], cols: Columns) -> list[str]:
    """An explicit rate more than 2× off the one its own averages give: say so, with examples."""
    if not found:
        return []
    windowed = any(cols.windows.get(i) for i in cols.fields.get("engagement_rate_pct", ()))
    used = "the recent-window rate was used" if windowed else "the rate from the averages was used"
    examples = "; ".join(f"line {line}: {reported:.2f}% reported, {ours:.2f}% from averages"
                         for line, reported, ours in found[:3])
    rows = f"{len(found):,} row{'s' * (len(found) != 1)}"
    return [f"Engagement rate: {rows} report a rate more than 2× off the one their per-post "
            f"averages give ({examples}); {used}."]


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
