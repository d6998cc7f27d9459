"""What one digest says, assembled from the database: plain data the view renders.

All sums come from campaign_stats (GROUP BY in SQL). A workspace-wide digest may cover
hundreds of campaigns but a Slack message holds 50 blocks, so only the first
`MAX_DETAILED` campaigns (those that changed since the last digest first, then by spend)
get creators, benchmarks and pending decisions; the rest are one line each, and only those
lines cost nothing beyond the one grouped totals query.

`snapshot()` is what the ledger stores with a posted digest (DigestRun.totals), so the
next digest can say what changed; it holds raw sums only, from which every ratio KPI can
be recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...influence.kpis import CampaignTotals
from ...influence.tiers import TierThresholds
from ..campaigns.stats import CreatorPerformance, PendingDecision, campaign_totals, creator_rows, pending_decisions
from ..models import Campaign

MAX_DETAILED = 6
TOP_CREATORS = 3
LISTED = 5  # below-benchmark creators and pending decisions named per campaign
CHART_DAYS = 14
#: the sums a digest compares with the previous one ("change since")
TRACKED = ("spend_cents", "posts_live", "impressions", "engagements", "clicks", "conversions", "revenue_cents",
           "emv_cents")


def sums_of(totals: CampaignTotals) -> dict[str, int | None]:
    return {name: getattr(totals, name) for name in TRACKED}


@dataclass(frozen=True, slots=True)
class CampaignDigest:
    campaign_id: int
    name: str
    status: str
    totals: CampaignTotals
    previous: dict[str, Any] | None  # the sums as last posted, or None for a first digest
    top: list[CreatorPerformance] = field(default_factory=list)
    below: list[CreatorPerformance] = field(default_factory=list)
    below_count: int = 0
    pending: list[PendingDecision] = field(default_factory=list)
    pending_count: int = 0

    @property
    def quiet(self) -> bool:
        """Nothing moved since the last digest (a first digest is never quiet)."""
        return self.previous is not None and self.previous == sums_of(self.totals)

    def change(self, name: str) -> int | None:
        """How much a tracked sum moved since the last digest; None without a previous figure."""
        if self.previous is None:
            return None
        now, before = getattr(self.totals, name), self.previous.get(name)
        return None if now is None or before is None else now - before


@dataclass(frozen=True, slots=True)
class DigestContent:
    team_id: str
    as_of: datetime
    scoped: bool  # True: one named campaign; False: all active campaigns
    since: datetime | None  # when the previous digest was posted
    detailed: list[CampaignDigest]
    others: list[CampaignDigest]  # summarised in one line each

    @property
    def campaigns(self) -> list[CampaignDigest]:
        return self.detailed + self.others

    @property
    def quiet(self) -> bool:
        return bool(self.campaigns) and all(c.quiet for c in self.campaigns)

    def snapshot(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "campaigns": {str(c.campaign_id): sums_of(c.totals) for c in self.campaigns}}


def _order(campaign: CampaignDigest) -> tuple:
    return (campaign.quiet, -campaign.totals.spend_cents, campaign.name.lower())


def build_content(session: Session, team_id: str, campaign_id: int | None, *, as_of: datetime,
                  previous: dict[str, Any] | None = None, since: datetime | None = None,
                  thresholds: TierThresholds = TierThresholds()) -> DigestContent:
    """The digest of one campaign (or of every active one) as of `as_of`, compared with `previous`."""
    totals = campaign_totals(session, team_id, None if campaign_id is None else [campaign_id], as_of=as_of)
    labels = {row.id: row for row in session.execute(select(Campaign.id, Campaign.name, Campaign.status).where(
        Campaign.team_id == team_id, Campaign.id.in_(list(totals))))} if totals else {}
    before = (previous or {}).get("campaigns", {})
    plain = sorted((CampaignDigest(cid, labels[cid].name, labels[cid].status, t, before.get(str(cid)))
                    for cid, t in totals.items()), key=_order)
    detailed = [_details(session, team_id, c, as_of, thresholds) for c in plain[:MAX_DETAILED]]
    return DigestContent(team_id, as_of, campaign_id is not None, since, detailed, plain[MAX_DETAILED:])


def _details(session: Session, team_id: str, c: CampaignDigest, as_of: datetime,
             thresholds: TierThresholds) -> CampaignDigest:
    if c.quiet:
        return c
    creators = creator_rows(session, team_id, c.campaign_id, as_of=as_of, thresholds=thresholds)
    below = sorted((r for r in creators if r.below_benchmark), key=lambda r: r.benchmark_ratio or 0.0)
    pending = pending_decisions(session, team_id, c.campaign_id)
    return CampaignDigest(c.campaign_id, c.name, c.status, c.totals, c.previous,
                          top=[r for r in creators if r.engagements][:TOP_CREATORS],
                          below=below[:LISTED], below_count=len(below),
                          pending=pending[:LISTED], pending_count=len(pending))


# ---------------------------------------------------------------- the chart's data

@dataclass(frozen=True, slots=True)
class ChartData:
    """Daily new engagements and spend-to-date over the last days, summed over the campaigns."""

    days: list[datetime]
    engagements: list[int]
    spend_cents: list[int]
    budget_cents: int
    title: str


def chart_data(session: Session, team_id: str, content: DigestContent, *, days: int = CHART_DAYS) -> ChartData | None:
    """One grouped totals query per past day boundary, for the detailed campaigns together."""
    shown = [c for c in content.detailed if c.status == "active" or content.scoped]
    if not shown:
        return None
    ids = [c.campaign_id for c in shown]
    end = content.as_of.astimezone(UTC)
    cuts = [datetime.combine(end.date() - timedelta(days=n), time.max, UTC) for n in range(days, 0, -1)] + [end]
    engaged, spent = [], []
    for cut in cuts[:-1]:  # the last point is the digest's own totals, already computed as of `end`
        at = list(campaign_totals(session, team_id, ids, as_of=cut).values())
        engaged.append(sum(t.engagements or 0 for t in at))
        spent.append(sum(t.spend_cents for t in at))
    engaged.append(sum(c.totals.engagements or 0 for c in shown))
    spent.append(sum(c.totals.spend_cents for c in shown))
    daily = [later - earlier for earlier, later in zip(engaged, engaged[1:])]
    title = shown[0].name if len(shown) == 1 else f"{len(shown)} campaigns"
    return ChartData(cuts[1:], daily, spent[1:], sum(c.totals.budget_cents for c in shown), title)
