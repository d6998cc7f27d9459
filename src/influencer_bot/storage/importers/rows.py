"""One CSV row -> one fully validated `CreatorRecord`, or a reason the user can act on.

A row is rejected whole (never half-imported) with the first problem found, phrased for
the person who owns the spreadsheet: `followers “abc” is not a number`. Spreadsheet junk
(`#VALUE!`, `N/A`, `-`, empty) is unknown, which is None, never zero.
"""

from __future__ import annotations

import re

from ...influence.errors import UserError
from ...influence.numbers import BadNumber, is_junk, parse_count, parse_number, parse_percent
from ...influence.platforms import Platform, parse_platform
from ..creators.records import CreatorRecord, normalize_handle
from .headers import Columns

_COUNTS = ("followers", "following", "posts_total", "posts_sampled")
_AVERAGES = ("avg_likes", "avg_comments", "avg_shares", "avg_saves", "avg_views")
#: text columns and the longest value the database keeps (None: unlimited); longer is cut
_TEXTS = {"display_name": 200, "category": 200, "country": 64, "language": 64, "bio": None}
_MAX_COUNT = 10**12  # more than any real audience; beyond it the cell is surely not a count
_MAX_POSTS_SAMPLED = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.|vm\.)?(instagram\.com|tiktok\.com|youtube\.com|youtu\.be)/+([^?#]*)",
                  re.IGNORECASE)
_URL_PLATFORM = {"instagram.com": Platform.INSTAGRAM, "tiktok.com": Platform.TIKTOK,
                 "youtube.com": Platform.YOUTUBE, "youtu.be": Platform.YOUTUBE}


class Reject(Exception):
    def __init__(self, reason: str, *, no_platform: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.no_platform = no_platform


class RowReader:
    """Reads rows laid out as `cols` says; `platform` applies to rows that name none."""

    def __init__(self, cols: Columns, platform: Platform | None) -> None:
        self.fields = cols.fields
        self.platform = platform
        # only the columns this file has: absent fields stay None at no cost per row
        self.counts = [n for n in _COUNTS if n in cols.fields]
        self.averages = [n for n in _AVERAGES if n in cols.fields]
        self.texts = [(n, limit) for n, limit in _TEXTS.items() if n in cols.fields]

    def cell(self, cells: list[str], name: str) -> str | None:
        """The first non-junk value among the columns holding `name` (columns may repeat)."""
        for index in self.fields.get(name, ()):
            if index < len(cells) and not is_junk(cells[index]):
                return cells[index].strip()
        return None

    def record(self, cells: list[str]) -> CreatorRecord:
        raw_handle = self.cell(cells, "handle")
        if raw_handle is None:
            raise Reject("no handle")
        handle, url_platform = _handle(raw_handle)
        rec = CreatorRecord(platform=self._platform(cells, url_platform), handle=handle)
        for name in self.counts:
            value = self._number(cells, name, parse_count)
            limit = _MAX_POSTS_SAMPLED if name == "posts_sampled" else _MAX_COUNT
            if value is not None and value > limit:
                raise Reject(f"{name} “{self.cell(cells, name)[:30]}” is too large to be a count")
            setattr(rec, name, value)
        for name in self.averages:
            value = self._number(cells, name, parse_number)
            if value is not None and value < 0:
                raise Reject(f"{name} “{self.cell(cells, name)[:30]}” is negative")
            setattr(rec, name, value)
        rec.reported_rate_pct = self._number(cells, "engagement_rate_pct", parse_percent)
        rec.quoted_price_cents = self._price(cells)
        for name, limit in self.texts:
            setattr(rec, name, _text(self.cell(cells, name), limit))
        if rec.display_name is None and url_platform is None and raw_handle.lstrip("@").strip() != handle:
            rec.display_name = _text(raw_handle.lstrip("@"), _TEXTS["display_name"])  # `T-Series`, as written
        rec.topics = _topics(self.cell(cells, "topics"))
        rec.email = self._email(cells)
        return rec

    def _platform(self, cells: list[str], from_url: Platform | None) -> Platform:
        raw = self.cell(cells, "platform")
        if raw is not None:
            try:
                return parse_platform(raw)
            except UserError:
                raise Reject(f"platform “{raw[:30]}” unknown (use instagram, tiktok or youtube)") from None
        platform = from_url or self.platform
        if platform is None:
            raise Reject("no platform (add a platform column or use --platform)", no_platform=True)
        return platform

    def _number(self, cells: list[str], name: str, parse):  # type: ignore[no-untyped-def]
        raw = self.cell(cells, name)
        try:
            return parse(raw)
        except BadNumber as exc:
            raise Reject(f"{name} {exc}") from None

    def _price(self, cells: list[str]) -> int | None:
        """Dollars -> cents; a price an export marks as an estimate is not a quote, so it is skipped."""
        source = self.cell(cells, "price_source")
        if source is not None and source.lower().startswith("estimat"):
            return None
        dollars = self._number(cells, "price_usd", parse_number)
        if dollars is None:
            return None
        if dollars < 0:
            raise Reject(f"price_usd “{self.cell(cells, 'price_usd')[:30]}” is negative")
        if dollars > 10**9:
            raise Reject(f"price_usd “{self.cell(cells, 'price_usd')[:30]}” is too large for one post")
        return round(dollars * 100) or None  # $0 is an empty cell typed as 0, not a free creator

    def _email(self, cells: list[str]) -> str | None:
        email = self.cell(cells, "email")
        if email is None:
            return None
        if len(email) > 254 or not _EMAIL.match(email):
            raise Reject(f"email “{email[:40]}” is not an email address")
        return email


def _handle(raw: str) -> tuple[str, Platform | None]:
    """`@VeganBakes` -> `veganbakes`; a profile URL gives its handle and its platform."""
    platform = None
    match = _URL.match(raw.strip())
    if match:
        platform = _URL_PLATFORM[match[1].lower()]
        parts = [p for p in match[2].split("/") if p]
        if len(parts) > 1 and parts[0].lower() in ("c", "user", "channel"):
            parts = parts[1:]
        raw = parts[0] if parts else ""
    try:
        return normalize_handle(raw), platform
    except UserError:
        raise Reject(f"handle “{raw.strip()[:40]}” is not a valid handle" if raw.strip() else "no handle") from None


def _topics(value: str | None) -> str | None:
    """`#vegan, #baking; keto` -> `#vegan #baking keto`: space separated, as the model stores them."""
    if value is None:
        return None
    return " ".join(t for t in re.split(r"[\s,;|]+", _CONTROL.sub(" ", value)) if t) or None


def _text(value: str | None, limit: int | None) -> str | None:
    if value is None:
        return None
    value = _CONTROL.sub(" ", value).strip()
    if limit is not None and len(value) > limit:
        value = value[:limit - 1].rstrip() + "…"
    return value or None
