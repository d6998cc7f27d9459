"""Campaign KPIs, as DOMAIN.md defines them; plain numbers in, plain numbers out.

`CampaignTotals` holds the raw sums (the SQL aggregation in storage/campaigns/stats.py
fills it, `totals_from_posts` computes the same from plain rows) and derives every KPI
as a property. A KPI that would divide by zero, or that lacks its inputs, is None, shown
as "—" by `fmt_*`: an unknown is never passed off as 0.

Choices that the formulas leave open, written down so the README and digests can say so:
- *spend* counts a member's agreed fee (+ product value when recorded) once their first
  post is live: fees are owed on delivery, so spend grows as content goes out and pacing
  compares delivery with time. *committed* counts every active member's fee.
- *impressions* of a post are its reported impressions; when only reach is known they are
  estimated as reach × 1.5 for feed posts (feed, reel, video) and = reach for stories
  (Modash), in whole numbers (reach × 3 // 2), and the total is marked estimated.
- *engagement rate* is engagements ÷ impressions (a campaign figure; creators are compared
  with their benchmarks by each platform's own method in campaign_stats.creator_rows).
- *pacing* compares spend ÷ budget with days elapsed ÷ campaign days (both ends counted):
  more than PACE_TOLERANCE (15 points) behind time is "behind", more than 15 points ahead is
  "ahead", anything between is "on pace"; spend over budget is "over budget" whatever the time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .money import format_usd

#: default CPM (cents per 1,000 impressions) for earned media value, per platform (DOMAIN.md)
DEFAULT_EMV_CPM_CENTS: Mapping[str, int] = {"instagram": 10_00, "tiktok": 10_00, "youtube": 20_00}
#: reach → impressions for feed posts when impressions are not reported (Modash: × 1.5), as
#: whole numbers so that Python and SQL (campaign_stats) round alike
FEED_REACH_TIMES, FEED_REACH_PER = 3, 2
#: how far (as a fraction of the budget) spend may lead or lag time and still be "on pace"
PACE_TOLERANCE = 0.15
STORY = "story"
UNKNOWN = "—"


def estimate_impressions(impressions: int | None, reach: int | None, kind: str) -> tuple[int | None, bool]:
    """A post's impressions and whether they are an estimate (from reach)."""
    if impressions is not None:
        return impressions, False
    if reach is None:
        return None, False
    return (reach if kind == STORY else reach * FEED_REACH_TIMES // FEED_REACH_PER), True


def add(a: int | None, b: int | None) -> int | None:
    """Sum where unknown + unknown stays unknown but unknown + 5 is 5 (as SQL SUM does)."""
    if a is None:
        return b
    return a if b is None else a + b


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator, or None when either is unknown or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


class PaceVerdict(StrEnum):
    NOT_STARTED = "not started"
    BEHIND = "behind"
    ON_PACE = "on pace"
    AHEAD = "ahead"
    OVER_BUDGET = "over budget"


@dataclass(frozen=True, slots=True)
class Pacing:
    spend_fraction: float  # spend ÷ budget
    time_fraction: float  # days elapsed ÷ campaign days, 0..1
    verdict: PaceVerdict

    def describe(self) -> str:
        return (f"{self.spend_fraction:.0%} of budget spent, {self.time_fraction:.0%} of time elapsed: "
                f"{self.verdict.value}")


def pacing(spend_cents: int, budget_cents: int, start: date | None, end: date | None, today: date) -> Pacing | None:
    """Spend against budget against time; None without a budget or both dates (or end < start)."""
    if budget_cents <= 0 or start is None or end is None or end < start:
        return None
    length = (end - start).days + 1
    elapsed = min(max((today - start).days + 1, 0), length)
    spent, timed = spend_cents / budget_cents, elapsed / length
    if spent > 1:
        verdict = PaceVerdict.OVER_BUDGET
    elif elapsed == 0:
        verdict = PaceVerdict.NOT_STARTED
    elif spent < timed - PACE_TOLERANCE:
        verdict = PaceVerdict.BEHIND
    elif spent > timed + PACE_TOLERANCE:
        verdict = PaceVerdict.AHEAD
    else:
        verdict = PaceVerdict.ON_PACE
    return Pacing(spent, timed, verdict)


@dataclass(frozen=True, slots=True)
class CampaignTotals:
    """One campaign's raw sums as of a moment; every KPI is a property derived from them."""

    campaign_id: int
    budget_cents: int
    start_date: date | None
    end_date: date | None
    as_of: date
    members: int = 0
    committed_cents: int = 0  # every active member's fee + product value
    spend_cents: int = 0  # fees + product value of members with a live post
    posts_planned: int = 0  # every post of the campaign, live or not
    posts_live: int = 0  # posted at or before as_of
    impressions: int | None = None  # reported + estimated from reach
    impressions_estimated: int = 0  # the part of `impressions` estimated from reach
    impressions_by_platform: tuple[tuple[str, int], ...] = ()  # sorted by platform, for EMV
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None

    @property
    def engagements(self) -> int | None:
        """likes + comments + shares + saves; unknown only when all four are."""
        total = None
        for part in (self.likes, self.comments, self.shares, self.saves):
            total = add(total, part)
        return total

    @property
    def impressions_are_estimated(self) -> bool:
        return self.impressions_estimated > 0

    @property
    def engagement_rate(self) -> float | None:
        """engagements ÷ impressions, a fraction (0.031 is 3.1%)."""
        return ratio(self.engagements, self.impressions)

    @property
    def cpm_cents(self) -> float | None:
        """spend ÷ impressions × 1,000."""
        r = ratio(self.spend_cents, self.impressions)
        return None if r is None else r * 1000

    @property
    def cpe_cents(self) -> float | None:
        return ratio(self.spend_cents, self.engagements)

    @property
    def cpa_cents(self) -> float | None:
        return ratio(self.spend_cents, self.conversions)

    @property
    def roas(self) -> float | None:
        """revenue ÷ spend (3–5× is called healthy)."""
        return ratio(self.revenue_cents, self.spend_cents)

    @property
    def emv_cents(self) -> int | None:
        """Earned media value: Σ impressions × the platform's CPM ÷ 1,000, in cents."""
        if not self.impressions_by_platform:
            return None
        return round(sum(n * DEFAULT_EMV_CPM_CENTS.get(p, 0) for p, n in self.impressions_by_platform) / 1000)

    @property
    def pacing(self) -> Pacing | None:
        return pacing(self.spend_cents, self.budget_cents, self.start_date, self.end_date, self.as_of)


# ---------------------------------------------------------------- the same sums, from plain rows

@dataclass(frozen=True, slots=True)
class MemberDeal:
    member_id: int
    fee_cents: int
    product_value_cents: int | None = None


@dataclass(frozen=True, slots=True)
class PostNumbers:
    """Cumulative figures of one post at one moment; None is "not reported", never zero."""

    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in NUMBER_FIELDS)


NUMBER_FIELDS = tuple(PostNumbers.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class PostFigures:
    """A post with its latest snapshot's numbers at as_of (all None when it has none)."""

    member_id: int
    platform: str
    kind: str
    live: bool  # posted at or before as_of
    numbers: PostNumbers = PostNumbers()


#: summed as reported; impressions are summed apart, with the reach estimate
SUMMED_FIELDS = tuple(n for n in NUMBER_FIELDS if n != "impressions")


def totals_from_posts(campaign_id: int, budget_cents: int, start: date | None, end: date | None, as_of: date,
                      members: Iterable[MemberDeal], posts: Iterable[PostFigures]) -> CampaignTotals:
    """The campaign's totals computed in Python: the reference the SQL aggregation must equal."""
    members = list(members)
    posts = list(posts)
    live_members = {p.member_id for p in posts if p.live}
    sums: dict[str, int | None] = dict.fromkeys(SUMMED_FIELDS)
    impressions: int | None = None
    estimated = 0
    by_platform: dict[str, int] = {}
    for post in posts:
        for name in SUMMED_FIELDS:
            sums[name] = add(sums[name], getattr(post.numbers, name))
        shown, is_estimate = estimate_impressions(post.numbers.impressions, post.numbers.reach, post.kind)
        impressions = add(impressions, shown)
        if shown is not None:
            by_platform[post.platform] = by_platform.get(post.platform, 0) + shown
            estimated += shown if is_estimate else 0
    cost = {m.member_id: m.fee_cents + (m.product_value_cents or 0) for m in members}
    return CampaignTotals(
        campaign_id=campaign_id, budget_cents=budget_cents, start_date=start, end_date=end, as_of=as_of,
        members=len(members), committed_cents=sum(cost.values()),
        spend_cents=sum(c for m, c in cost.items() if m in live_members),
        posts_planned=len(posts), posts_live=sum(p.live for p in posts),
        impressions=impressions, impressions_estimated=estimated,
        impressions_by_platform=tuple(sorted(by_platform.items())), **sums,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- showing them

def fmt_count(n: float | None) -> str:
    return UNKNOWN if n is None else f"{n:,.0f}"


def fmt_money(cents: float | None) -> str:
    """Whole dollars and cents; "—" when unknown. Sub-cent amounts (a CPE of $0.004) keep 3 decimals."""
    if cents is None:
        return UNKNOWN
    if 0 < abs(cents) < 1:
        return f"${cents / 100:.4f}"
    if abs(cents) < 100 and cents != round(cents):
        return f"${cents / 100:.3f}"
    return format_usd(round(cents))


def fmt_pct(fraction: float | None, digits: int = 1) -> str:
    return UNKNOWN if fraction is None else f"{fraction * 100:.{digits}f}%"


def fmt_ratio(x: float | None) -> str:
    return UNKNOWN if x is None else f"{x:.2f}×"
