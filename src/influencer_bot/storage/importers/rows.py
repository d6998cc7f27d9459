"""One CSV row -> one fully validated `CreatorRecord`, or a reason the user can act on.

A row is rejected whole (never half-imported) with the first problem found, phrased for
the person who owns the spreadsheet: `followers “abc” is not a number`, `“Lumi Starfield”
has a space, so it is a display name, not an Instagram username`. Spreadsheet junk
(`#VALUE!`, `N/A`, `-`, empty) is unknown, which is None, never zero.
"""

from __future__ import annotations

import re

from ...influence.errors import UserError
from ...influence.handles import BadHandle, read_handle, split_url
from ...influence.numbers import BadNumber, parse_count, parse_number, parse_percent
from ...influence.platforms import Platform, parse_platform
from ..creators.records import CreatorRecord
from .headers import Columns
from .values import Cells

COUNTS = ("followers", "following", "posts_total", "posts_sampled")
AVERAGES = ("avg_likes", "avg_comments", "avg_shares", "avg_saves", "avg_views", "avg_engagements",
            "avg_authentic_engagements")
NUMERIC = (*COUNTS, *AVERAGES, "engagement_rate_pct", "price_usd")
#: text columns and the longest value the database keeps (None: unlimited); longer is cut
_TEXTS = {"display_name": 200, "category": 200, "country": 64, "audience_country": 64, "language": 64,
          "bio": None}
_MAX_COUNT = 10**12  # more than any real audience; beyond it the cell is surely not a count
_MAX_POSTS_SAMPLED = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Reject(Exception):
    def __init__(self, reason: str, *, no_platform: bool = False, not_a_username: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.no_platform = no_platform
        self.not_a_username = not_a_username


class RowReader:
    """Reads rows laid out as `cols` says; `platform` applies to rows that name none."""

    def __init__(self, cols: Columns, platform: Platform | None, cells: Cells) -> None:
        self.cells = cells
        self.windows = cols.windows
        self.platform = platform
        # only the columns this file has: absent fields stay None at no cost per row
        self.counts = [n for n in COUNTS if n in cols.fields]
        self.averages = [n for n in AVERAGES if n in cols.fields]
        self.texts = [(n, limit) for n, limit in _TEXTS.items() if n in cols.fields]

    def record(self, row: list[str]) -> CreatorRecord:
        raw_handle = self.cells.text(row, "handle")
        if raw_handle is None:
            raise Reject("no handle")
        try:
            platform = self._platform(row, split_url(raw_handle)[1])
            handle = read_handle(raw_handle, platform)
        except BadHandle as bad:
            raise Reject(bad.reason, not_a_username=bad.reason != "no handle") from None
        rec = CreatorRecord(platform=platform, handle=handle.value, platform_id=handle.channel_id)
        for name in self.counts:
            value = self._number(row, name, parse_count)
            limit = _MAX_POSTS_SAMPLED if name == "posts_sampled" else _MAX_COUNT
            if value is not None and value > limit:
                raise Reject(f"{name} “{self.cells.text(row, name)[:30]}” is too large to be a count")
            setattr(rec, name, value)
        for name in self.averages:
            value = self._number(row, name, parse_number)
            if value is not None and value < 0:
                raise Reject(f"{name} “{self.cells.text(row, name)[:30]}” is negative")
            setattr(rec, name, value)
        try:
            rate, column = self.cells.number_at(row, "engagement_rate_pct", parse_percent)
        except BadNumber as exc:
            raise Reject(f"engagement_rate_pct {exc}") from None
        rec.reported_rate_pct = rate
        rec.rate_window_days = self.windows.get(column) if column is not None else None
        rec.quoted_price_cents = self._price(row)
        for name, limit in self.texts:
            setattr(rec, name, _text(self.cells.text(row, name), limit))
        bare = raw_handle.strip().lstrip("@").strip()
        if rec.display_name is None and handle.platform is None and bare != handle.value and not handle.channel_id:
            rec.display_name = _text(bare, _TEXTS["display_name"])  # `T-Series`, as written
        rec.topics = _topics(self.cells.text(row, "topics"))
        rec.email = self._email(row)
        return rec

    def _platform(self, row: list[str], from_url: Platform | None) -> Platform:
        raw = self.cells.text(row, "platform")
        if raw is not None:
            try:
                return parse_platform(raw)
            except UserError:
                raise Reject(f"platform “{raw[:30]}” unknown (use instagram, tiktok or youtube)") from None
        platform = from_url or self.platform
        if platform is None:
            raise Reject("no platform (add a platform column or use --platform)", no_platform=True)
        return platform

    def _number(self, row: list[str], name: str, parse):  # type: ignore[no-untyped-def]
        try:
            return self.cells.number(row, name, parse)
        except BadNumber as exc:
            raise Reject(f"{name} {exc}") from None

    def _price(self, row: list[str]) -> int | None:
        """Dollars -> cents; a price an export marks as an estimate is not a quote, so it is skipped."""
        source = self.cells.text(row, "price_source")
        if source is not None and source.lower().startswith("estimat"):
            return None
        dollars = self._number(row, "price_usd", parse_number)
        if dollars is None:
            return None
        if dollars < 0:
            raise Reject(f"price_usd “{self.cells.text(row, 'price_usd')[:30]}” is negative")
        if dollars > 10**9:
            raise Reject(f"price_usd “{self.cells.text(row, 'price_usd')[:30]}” is too large for one post")
        return round(dollars * 100) or None  # $0 is an empty cell typed as 0, not a free creator

    def _email(self, row: list[str]) -> str | None:
        email = self.cells.text(row, "email")
        if email is None:
            return None
        if len(email) > 254 or not _EMAIL.match(email):
            raise Reject(f"email “{email[:40]}” is not an email address")
        return email


def _topics(value: str | None) -> str | None:
    """`#vegan, #baking; keto` or `['#vegan', '#baking']` -> `#vegan #baking`: space separated, as stored."""
    if value is None:
        return None
    return " ".join(t for t in re.split(r"[\s,;|\[\]'\"]+", _CONTROL.sub(" ", value)) if t) or None


def _text(value: str | None, limit: int | None) -> str | None:
    if value is None:
        return None
    value = _CONTROL.sub(" ", value).strip()
    if limit is not None and len(value) > limit:
        value = value[:limit - 1].rstrip() + "…"
    return value or None
