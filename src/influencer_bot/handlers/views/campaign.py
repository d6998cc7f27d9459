"""Campaign messages and the "Add approved to campaign" button and modal.

KPIs are shown with the formulas' own caveats: "—" for anything unknown or undefined
(a CPE with no engagements), "est." when impressions were estimated from reach.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ButtonElement, ContextBlock, DividerBlock, HeaderBlock, InputBlock, MarkdownTextObject, Option, PlainTextObject,
    SectionBlock, StaticSelectElement,
)
from slack_sdk.models.views import View

from ...influence.kpis import CampaignTotals, fmt_count, fmt_money, fmt_pct, fmt_ratio
from ...storage.campaigns.stats import CreatorPerformance, PendingDecision
from ...storage.models import Campaign
from ..button_values import ShortlistRef
from ..ids import ActionId, BlockId, ViewId
from .format import clip, escape, to_payload

MAX_CREATOR_LINES = 15


def campaign_button(shortlist_id: int) -> ButtonElement:
    """The shortlist footer's button; its value is only the shortlist id (re-read on click)."""
    return ButtonElement(text="Add approved to campaign", action_id=ActionId.ADD_TO_CAMPAIGN,
                         value=ShortlistRef(shortlist_id).value())


def add_to_campaign_modal(shortlist: ShortlistRef, niche: str, choices: Sequence[tuple[int, str]]) -> dict:
    """A modal with one required picker of the workspace's active campaigns (at most 100).

    Its private_metadata is the shortlist's reference alone: the channel to confirm in is re-read
    on submit (modals opened before carry a "channel" key too, which reading ignores).
    """
    options = [Option(value=str(cid), text=name[:75]) for cid, name in choices[:100]]
    view = View(
        type="modal", callback_id=ViewId.ADD_TO_CAMPAIGN, title=PlainTextObject(text="Add to campaign"),
        submit=PlainTextObject(text="Add"), close=PlainTextObject(text="Cancel"),
        private_metadata=shortlist.value(),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=clip(
                f"Attach the shortlist *{escape(niche)}* to a campaign. Creators approved on it so far join the "
                "campaign at their shortlist price; creators approved later join when they are approved."))),
            InputBlock(block_id=BlockId.CAMPAIGN_PICK, label="Campaign",
                       element=StaticSelectElement(action_id=ActionId.PICK_CAMPAIGN, options=options,
                                                   placeholder="Choose a campaign")),
        ],
    )
    return view.to_dict()


def _dates(c: Campaign) -> str:
    if c.start_date and c.end_date:
        return f"{c.start_date:%Y-%m-%d} → {c.end_date:%Y-%m-%d}"
    if c.start_date:
        return f"from {c.start_date:%Y-%m-%d}"
    return "no dates"


def campaign_list_blocks(campaigns: Sequence[Campaign], totals: dict[int, CampaignTotals]) -> list[dict]:
    if not campaigns:
        return to_payload([SectionBlock(text=MarkdownTextObject(
            text='No campaigns yet. Start one: `/influencer campaign new "Vegan baking launch" 5000`'))])
    lines = []
    for c in campaigns[:40]:
        t = totals.get(c.id)
        money = (f"{fmt_money(t.spend_cents)} spent of {fmt_money(c.budget_cents)}" if t
                 else f"budget {fmt_money(c.budget_cents)}")
        state = "" if c.status == "active" else " · _closed_"
        lines.append(f"• *{escape(c.name)}* · {money} · {_dates(c)} · {c.goal}{state}")
    more = [ContextBlock(elements=[MarkdownTextObject(text=f"…and {len(campaigns) - 40} more")])] if len(
        campaigns) > 40 else []
    return to_payload([HeaderBlock(text="Campaigns"), SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines)))),
                       *more])


def kpi_lines(t: CampaignTotals) -> list[str]:
    """The KPIs of DOMAIN.md, each with "—" when it cannot be computed."""
    est = " (est. from reach)" if t.impressions_are_estimated else ""
    pace = t.pacing
    return [
        f"*Spend* {fmt_money(t.spend_cents)} of {fmt_money(t.budget_cents)} (live posts) · "
        f"committed {fmt_money(t.committed_cents)} · {t.members} members",
        f"*Pacing* {pace.describe() if pace else '— (needs start and end dates)'}",
        f"*Posts* {t.posts_live} live of {t.posts_planned}",
        f"*Impressions* {fmt_count(t.impressions)}{est} · *EMV* {fmt_money(t.emv_cents)} · *CPM* {fmt_money(t.cpm_cents)}",
        f"*Engagements* {fmt_count(t.engagements)} · *ER* {fmt_pct(t.engagement_rate, 2)} of impressions · "
        f"*CPE* {fmt_money(t.cpe_cents)}",
        f"*Clicks* {fmt_count(t.clicks)} · *Conversions* {fmt_count(t.conversions)} · *CPA* {fmt_money(t.cpa_cents)}",
        f"*Revenue* {fmt_money(t.revenue_cents)} · *ROAS* {fmt_ratio(t.roas)}",
    ]


def _creator_line(r: CreatorPerformance) -> str:
    versus = f" · {r.position.describe()}" if r.position else ""
    tier = r.tier.value if r.tier else "tier unknown"
    return (f"• @{escape(r.handle)} ({r.platform}, {tier}) · {fmt_money(r.spend_cents)} · "
            f"{r.posts_live}/{r.posts_planned} live · {fmt_count(r.engagements)} engagements · "
            f"ER {fmt_pct(r.engagement_rate, 2)}{versus}")


def campaign_show_blocks(c: Campaign, t: CampaignTotals, creators: Sequence[CreatorPerformance],
                         pending: Sequence[PendingDecision]) -> list[dict]:
    niche = f" · {escape(c.niche)}" if c.niche else ""
    blocks: list = [
        HeaderBlock(text=c.name[:150]),
        ContextBlock(elements=[MarkdownTextObject(text=clip(
            f"{c.status} · goal: {c.goal}{niche} · {_dates(c)} · owner <@{c.owner_id}>"
            + (f" · <#{c.channel_id}>" if c.channel_id else "")))]),
        SectionBlock(text=MarkdownTextObject(text=clip("\n".join(kpi_lines(t))))),
        DividerBlock(),
    ]
    if creators:
        lines = [_creator_line(r) for r in creators[:MAX_CREATOR_LINES]]
        if len(creators) > MAX_CREATOR_LINES:
            lines.append(f"…and {len(creators) - MAX_CREATOR_LINES} more")
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("*Creators*\n" + "\n".join(lines)))))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=(
            "*Creators* none yet: attach a shortlist with its *Add approved to campaign* button, "
            "and approved creators join at their price."))))
    if pending:
        lines = [f"• @{escape(p.handle)} ({p.platform}) for {fmt_money(p.price_cents)}" for p in pending[:10]]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(
            f"*Waiting for approval* ({len(pending)})\n" + "\n".join(lines)))))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=(
        "Spend counts a member's fee once a post is live. Impressions ≈ reach × 1.5 for feed posts and = reach for "
        "stories when not reported. ER = engagements ÷ impressions. EMV at $10 CPM (Instagram, TikTok), "
        "$20 (YouTube). — means unknown or not computable."))]))
    return to_payload(blocks)
