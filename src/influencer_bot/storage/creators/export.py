"""`influencer-bot export creators`: every creator of a workspace, as Slack describes it.

Each row is computed by `influence.profile.build_profile` from the same facts the Slack
views read (current numbers and follower history), so a tier, an engagement rate, a
price or a flag in the export is the one a user sees in Slack. Rows stream from the
database page by page, so exporting 100,000 creators needs no more memory than 2,000.
Unknown values are empty cells in CSV and null in JSON Lines, never zero.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from sqlalchemy.orm import Session, sessionmaker

from ...influence.errors import UserError
from ...influence.flags import QualityRules
from ...influence.profile import Profile, build_profile
from ...influence.tiers import TierThresholds
from .views import follower_histories, iter_views

COLUMNS = (
    "platform", "handle", "display_name", "followers", "following", "tier", "engagement_rate_pct",
    "engagement_method", "posts_sampled", "benchmark_median_pct", "benchmark_ratio", "price_usd",
    "price_source", "price_low_usd", "price_high_usd", "flags", "topics", "category", "country",
)
FORMATS = ("csv", "jsonl")
_PAGE = 500
_TEXT_COLUMNS = ("handle", "display_name", "topics", "category", "country")


def _usd(cents: int | None) -> int | float | None:
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else cents / 100


def row(profile: Profile, display_name: str | None = None, topics: str | None = None,
        category: str | None = None, country: str | None = None) -> dict[str, Any]:
    """One export row with the documented column names; None where the value is unknown."""
    facts, eng, pos, price = profile.facts, profile.engagement, profile.position, profile.price
    return {
        "platform": facts.platform.value,
        "handle": facts.handle,
        "display_name": display_name,
        "followers": facts.metrics.followers,
        "following": facts.metrics.following,
        "tier": profile.tier.value if profile.tier else None,
        "engagement_rate_pct": None if eng.rate_pct is None else round(eng.rate_pct, 3),
        "engagement_method": eng.columns(),  # `by_followers: avg_engagements/followers`
        "posts_sampled": eng.posts_sampled,
        "benchmark_median_pct": pos.benchmark.median_pct if pos else None,
        "benchmark_ratio": round(pos.ratio, 2) if pos else None,
        "price_usd": _usd(price.cents) if price else None,
        "price_source": price.source.value if price else None,
        "price_low_usd": _usd(price.low_cents) if price else None,
        "price_high_usd": _usd(price.high_cents) if price else None,
        "flags": ";".join(f.code for f in profile.flags) or None,
        "topics": topics,
        "category": category,
        "country": country,
    }


def export_rows(session: Session, team_id: str, *, thresholds: TierThresholds = TierThresholds(),
                rules: QualityRules = QualityRules()) -> Iterator[dict[str, Any]]:
    """Every creator of the workspace, in id order, as export rows."""
    views = iter_views(session, team_id)
    while page := list(islice(views, _PAGE)):  # one history query per page, not per creator
        history = follower_histories(session, team_id, [v.creator.id for v in page])
        for view in page:
            c = view.creator
            profile = build_profile(view.facts(history.get(c.id, ())), thresholds, rules)
            yield row(profile, c.display_name, c.topics, c.category, c.country)


def _csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (`=HYPERLINK(…)` in a bio) is quoted with `'`."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_export(factory: sessionmaker[Session], team_id: str, out: IO[str], fmt: str = "csv", *,
                 thresholds: TierThresholds = TierThresholds(), rules: QualityRules = QualityRules()) -> int:
    """Write every creator to `out` as csv or jsonl; returns the number of creators written."""
    if fmt not in FORMATS:
        raise UserError(f"I can't export as “{fmt[:20]}”: use csv or jsonl.",
                        "influencer-bot export creators --format jsonl --output creators.jsonl")
    count = 0
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    with factory() as session:
        for item in export_rows(session, team_id, thresholds=thresholds, rules=rules):
            if writer is not None:
                writer.writerow({k: _csv_safe(v) if k in _TEXT_COLUMNS else v for k, v in item.items()})
            else:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
            if count % _PAGE == 0:
                # End the read transaction between pages (each page is fetched whole): on
                # SQLite every transaction holds the write lock, and Slack must not wait
                # for a long export. Pages follow creator ids, so none is missed. Commit,
                # not rollback: a rollback would expire the rows already fetched.
                session.commit()
    return count
