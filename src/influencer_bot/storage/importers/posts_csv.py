"""`influencer-bot import posts FILE`: campaign posts and their numbers from a spreadsheet.

Same tolerance as the creator import, through the same reader (table.py, values.py): CSV
with `,` `;` or tab, or .xlsx; title lines above the header; a BOM; repeated columns (the
first usable copy wins); any case or alias for a column; `12.4k`, `1.234` in a decimal-comma
file; `#VALUE!` read as unknown; rows cut short or swallowed by a stray quote rejected. One row is one post's figures at one moment: a history file
(one row per day) writes one snapshot per change, and re-importing the same file writes
nothing. A row names its campaign and creator; one whose campaign or member is unknown is
rejected with its line and the reason, and the rest are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...influence.errors import UserError
from ...influence.numbers import BadNumber, parse_count, parse_number
from ...influence.platforms import parse_platform
from ..campaigns import store as campaign_store
from ..creators.store import Outcome
from ..models import Post, utcnow
from ...influence.kpis import NUMBER_FIELDS, PostNumbers
from ..campaigns.posts import add_post, find_post, read_url, record_snapshot, set_url
from ..workspaces import ensure_workspace
from .creators_csv import ImportReport
from .headers import Columns, resolve_aliases
from .table import read_table
from .values import Cells, column_decimals

SOURCE = "csv"
BATCH_SIZE = 500
HEADER_EXAMPLE = "a first line such as: campaign,handle,url,posted_at,captured_at,impressions,likes,comments"
_ALIASES: dict[str, tuple[str, ...]] = {
    "campaign": ("campaign name", "campaign title"),
    "handle": ("creator", "username", "user name", "influencer", "account", "creator handle"),
    "platform": ("network", "channel type"),
    "url": ("post url", "link", "post link", "permalink"),
    "posted_at": ("posted", "posted date", "date posted", "post date", "published", "published at", "live date"),
    "planned_date": ("planned", "planned date", "scheduled", "scheduled date", "due date", "due"),
    "captured_at": ("captured", "as of", "snapshot date", "measured at", "report date", "date"),
    "impressions": ("impression", "imps"),
    "reach": ("accounts reached", "unique reach"),
    "views": ("video views", "plays", "view count"),
    "likes": ("like count", "hearts"),
    "comments": ("comment count",),
    "shares": ("share count", "reposts"),
    "saves": ("save count", "bookmarks"),
    "clicks": ("link clicks", "link taps", "swipe ups"),
    "conversions": ("orders", "purchases", "sales count"),
    "revenue_usd": ("revenue", "sales", "revenue in usd", "sales usd"),
}
_COUNTS = tuple(n for n in NUMBER_FIELDS if n != "revenue_cents")


@dataclass(frozen=True, slots=True)
class PostRow:
    line: int
    campaign: str
    handle: str
    platform: str | None
    url: str | None
    posted_at: datetime | None
    planned_date: date | None
    captured_at: datetime | None
    numbers: PostNumbers


class _Reject(Exception):
    pass


def parse_when(raw: str, name: str) -> datetime:
    """`2026-12-01`, `2026-12-01 10:30`, `2026-12-01T10:30:00Z`; no zone means UTC."""
    text = raw.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _Reject(f"{name} “{raw[:30]}” is not a date (write 2026-12-01 or 2026-12-01 10:30)") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _read_row(line: int, cells: list[str], read: Cells) -> PostRow:
    def cell(name: str) -> str | None:
        return read.text(cells, name)

    campaign, handle, url = cell("campaign"), cell("handle"), cell("url")
    if campaign is None:
        raise _Reject("no campaign")
    if handle is None:
        raise _Reject("no handle")
    platform = cell("platform")
    if platform is not None:
        try:
            platform = parse_platform(platform).value
        except UserError:
            raise _Reject(f"platform “{platform[:30]}” unknown (use instagram, tiktok or youtube)") from None
    planned = cell("planned_date")
    planned_date = parse_when(planned, "planned_date").date() if planned else None
    if url is None and planned_date is None:
        raise _Reject("no url (a post not yet live needs a planned_date instead)")
    values: dict[str, int | None] = {}
    try:
        for name in _COUNTS:
            values[name] = read.number(cells, name, parse_count)
        revenue = read.number(cells, "revenue_usd", parse_number)
    except BadNumber as exc:
        raise _Reject(str(exc)) from None
    if revenue is not None and revenue < 0:
        raise _Reject(f"revenue_usd “{cell('revenue_usd')}” is negative")
    values["revenue_cents"] = None if revenue is None else round(revenue * 100)
    posted, captured = cell("posted_at"), cell("captured_at")
    return PostRow(line, campaign, handle, platform, url, parse_when(posted, "posted_at") if posted else None,
                   planned_date, parse_when(captured, "captured_at") if captured else None, PostNumbers(**values))


def _locate(name: str):  # type: ignore[no-untyped-def]
    """The first leading row that names a campaign and a handle column (title lines are skipped)."""
    def locate(rows: list[tuple[int, list[str]]]) -> tuple[int, Columns]:
        for position, (_, cells) in enumerate(rows):
            cols = resolve_aliases(cells, _ALIASES)
            if cols.has("campaign") and cols.has("handle"):
                return position, cols
        if not rows:
            raise UserError(f"{name} is empty: there is nothing to import.", HEADER_EXAMPLE)
        cells = rows[0][1]
        cols = resolve_aliases(cells, _ALIASES)
        missing = [c for c in ("campaign", "handle") if not cols.has(c)]
        raise UserError(f"{name} has no {' or '.join(missing)} column (its columns: "
                        f"{', '.join(c.strip() for c in cells)[:300]}).", HEADER_EXAMPLE)
    return locate


def parse_file(path: Path, report: ImportReport) -> list[PostRow]:
    table, cols = read_table(path, _locate(path.name), HEADER_EXAMPLE)
    report.rejected += table.rejected
    report.notes += table.notes
    report.ignored_columns = cols.ignored
    numeric = [i for f in (*_COUNTS, "revenue_usd") for i in cols.fields.get(f, ())]
    counts = [i for f in _COUNTS for i in cols.fields.get(f, ())]
    read = Cells(cols.fields, column_decimals(table.rows, numeric, counts))
    out = []
    for line, cells in table.rows:
        try:
            out.append(_read_row(line, cells, read))
        except _Reject as reject:
            report.rejected.append((line, str(reject)))
    if not out and not report.rejected:
        raise UserError(f"{path.name} has a header but no post rows under it.", HEADER_EXAMPLE)
    return out


def import_posts_file(factory: sessionmaker[Session], team_id: str, path: str | Path, *,
                      dry_run: bool = False, now: datetime | None = None) -> ImportReport:
    """Import a posts CSV or .xlsx into a workspace: posts created, updated (new numbers) or unchanged per row."""
    path = Path(path)
    report = ImportReport(dry_run=dry_run, file_name=path.name)
    rows = parse_file(path, report)
    now = now or utcnow()
    # oldest figures first, so a history file builds its snapshots in order
    rows.sort(key=lambda r: (r.captured_at or now, r.line))
    for start in range(0, len(rows), BATCH_SIZE):
        with factory() as session:
            session.begin()
            ensure_workspace(session, team_id)
            for row in rows[start:start + BATCH_SIZE]:
                try:
                    with session.begin_nested():
                        report.count(_write_row(session, team_id, row, now))
                except UserError as err:
                    report.rejected.append((row.line, err.message))
            session.rollback() if dry_run else session.commit()
    return report


def _write_row(session: Session, team_id: str, row: PostRow, now: datetime) -> Outcome:
    campaign = campaign_store.get_campaign(session, team_id, row.campaign)
    member = campaign_store.find_member(session, team_id, campaign, row.handle, row.platform)
    post, created = None, False
    if row.url is not None:
        existing = find_post(session, team_id, row.url.strip())
        if existing is None and row.planned_date is not None:
            existing = _planned_post(session, member.member.id, row.planned_date)
            if existing is not None:
                set_url(existing, read_url(row.url))  # the link's post id too, for the sync
        if existing is not None and existing.member_id != member.member.id:
            raise UserError("this url is already another creator's post")
        post = existing
        if post is None:
            post, created = add_post(session, team_id, member, row.url, planned_date=row.planned_date,
                                     posted_at=row.posted_at)
    else:
        post = _planned_post(session, member.member.id, row.planned_date)  # type: ignore[arg-type]
        if post is None:
            post = Post(team_id=team_id, campaign_id=campaign.id, member_id=member.member.id,
                        platform=member.creator.platform, kind="feed", planned_date=row.planned_date)
            session.add(post)
            session.flush()
            created = True
    changed = False
    for name in ("posted_at", "planned_date"):
        value = getattr(row, name)
        if value is not None and getattr(post, name) != value:
            setattr(post, name, value)
            changed = True
    if record_snapshot(session, team_id, post, row.numbers, source=SOURCE, captured_at=row.captured_at or now):
        changed = True
    session.flush()
    return Outcome.CREATED if created else Outcome.UPDATED if changed else Outcome.UNCHANGED


def _planned_post(session: Session, member_id: int, planned: date | None) -> Post | None:
    """A post planned for that day and not yet given a link: the row that makes it live fills it in."""
    if planned is None:
        return None
    return session.scalar(select(Post).where(Post.member_id == member_id, Post.planned_date == planned,
                                             Post.url.is_(None)).limit(1))

