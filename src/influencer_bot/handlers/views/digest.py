"""The channel digest as Block Kit: per campaign, pacing, delivery, KPIs with their change,
the best creators, those under their tier's benchmark, and decisions still waiting.

Unknown figures are "—" (influence/kpis.py), never 0. A campaign that did not move since
the last digest gets one line instead of the same numbers again, and a digest in which
nothing moved is a single line. Every list is cut to fit Slack (50 blocks, 3,000
characters a section) with an explicit "and N more", never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from ...influence.kpis import CampaignTotals, fmt_count, fmt_money, fmt_pct, fmt_ratio
from ...storage.campaigns.stats import CreatorPerformance
from ...storage.digests.content import CampaignDigest, DigestContent
from ..ids import BlockId
from .format import MAX_SECTION_CHARS, escape, slack_date, to_payload

TITLE = "Campaign digest"


def lines_within(lines: Sequence[str], limit: int = MAX_SECTION_CHARS, more: str = "and {n} more") -> str:
    """Join as many lines as fit in `limit` characters, then say how many were left out."""
    kept: list[str] = []
    used = 0
    for n, line in enumerate(lines):
        tail = "\n_" + more.format(n=len(lines) - n) + "_"
        if used + len(line) + 1 + (len(tail) if n < len(lines) - 1 else 0) > limit:
            return "\n".join(kept) + tail
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=lines_within(text.split("\n"))), block_id=block_id)


def _signed(n: int | None, money: bool = False) -> str:
    if not n:
        return ""
    shown = fmt_money(abs(n)) if money else fmt_count(abs(n))
    return f" ({'+' if n > 0 else '−'}{shown})"


def pacing_line(t: CampaignTotals) -> str:
    pace = t.pacing
    spent = f"{fmt_money(t.spend_cents)} of {fmt_money(t.budget_cents)} spent"
    if pace is None:
        return f"{spent} · pacing — (no campaign dates)"
    icon = {"behind": ":turtle:", "ahead": ":racing_car:", "over budget": ":rotating_light:"}.get(
        pace.verdict.value, ":white_check_mark:")
    return f"{icon} {spent}: {pace.describe()}"


def kpi_lines(c: CampaignDigest) -> list[str]:
    t = c.totals
    est = " _(est. from reach)_" if t.impressions_are_estimated else ""
    return [
        f"*Posts* {t.posts_live} live of {t.posts_planned} planned{_signed(c.change('posts_live'))}",
        f"*Spend* {fmt_money(t.spend_cents)}{_signed(c.change('spend_cents'), money=True)} · "
        f"committed {fmt_money(t.committed_cents)}",
        f"*Reach* impressions {fmt_count(t.impressions)}{_signed(c.change('impressions'))}{est} · "
        f"CPM {fmt_money(t.cpm_cents)} · EMV {fmt_money(t.emv_cents)}",
        f"*Engagement* {fmt_count(t.engagements)}{_signed(c.change('engagements'))} · "
        f"ER {fmt_pct(t.engagement_rate)} · CPE {fmt_money(t.cpe_cents)}",
        f"*Results* clicks {fmt_count(t.clicks)}{_signed(c.change('clicks'))} · "
        f"conversions {fmt_count(t.conversions)}{_signed(c.change('conversions'))} · CPA {fmt_money(t.cpa_cents)} · "
        f"revenue {fmt_money(t.revenue_cents)}{_signed(c.change('revenue_cents'), money=True)} · "
        f"ROAS {fmt_ratio(t.roas)}",
    ]


def _creator_line(r: CreatorPerformance) -> str:
    versus = f" · {r.position.describe()}" if r.position else ""
    return (f"@{escape(r.handle)} ({r.platform}) — {fmt_count(r.engagements)} engagements, "
            f"ER {fmt_pct(r.engagement_rate)}{versus}")


def people_lines(c: CampaignDigest) -> list[str]:
    lines = []
    if c.top:
        lines.append("*Top creators*")
        lines += [f"{n}. {_creator_line(r)}" for n, r in enumerate(c.top, 1)]
    if c.below:
        lines.append(f"*Below their tier's benchmark* ({c.below_count})")
        lines += [f"• @{escape(r.handle)} — {r.position.describe()}" for r in c.below if r.position]
        if c.below_count > len(c.below):
            lines.append(f"_and {c.below_count - len(c.below)} more_")
    if c.pending:
        lines.append(f"*Waiting for approval* ({c.pending_count})")
        lines += [f"• @{escape(p.handle)} ({p.platform}) for {fmt_money(p.price_cents)} — “{escape(p.niche)}”"
                  for p in c.pending]
        if c.pending_count > len(c.pending):
            lines.append(f"_and {c.pending_count - len(c.pending)} more_")
    return lines


def campaign_blocks(c: CampaignDigest) -> list:
    name = f"*{escape(c.name)}*" + (" _(closed)_" if c.status != "active" else "")
    if c.quiet:
        return [_section(f"{name} — no new activity since the last digest.", BlockId.DIGEST_CAMPAIGN.of(c.campaign_id))]
    blocks: list = [_section(f"{name}\n{pacing_line(c.totals)}", BlockId.DIGEST_CAMPAIGN.of(c.campaign_id)),
                    _section("\n".join(kpi_lines(c)))]
    people = people_lines(c)
    if people:
        blocks.append(_section("\n".join(people)))
    return blocks


def _other_line(c: CampaignDigest) -> str:
    t = c.totals
    moved = "no change" if c.quiet else f"{fmt_count(t.engagements)} engagements"
    return (f"• *{escape(c.name)}* — {fmt_money(t.spend_cents)} of {fmt_money(t.budget_cents)}, "
            f"{t.posts_live}/{t.posts_planned} posts live, {moved}")


def digest_blocks(content: DigestContent, *, cadence: str | None = None) -> list[dict]:
    title = TITLE if cadence is None else f"{cadence.capitalize()} campaign digest"
    if len(content.detailed) == 1 and content.scoped:
        title += f": {content.detailed[0].name}"
    blocks: list = [HeaderBlock(text=title[:150], block_id=BlockId.DIGEST_HEADER.value)]
    since = f" · changes since {slack_date(content.since)}" if content.since else ""
    if not content.campaigns:
        blocks.append(_section("No active campaigns yet. Start one with `/influencer campaign new`."))
    elif content.quiet:
        blocks.append(_section(f"No new activity on {_count(content.campaigns)} since the last digest "
                               f"({slack_date(content.since)})." if content.since else "No new activity."))
    else:
        for n, campaign in enumerate(content.detailed):
            if n:
                blocks.append(DividerBlock())
            blocks.extend(campaign_blocks(campaign))
        if content.others:
            blocks.append(DividerBlock())
            blocks.append(_section(f"*{_count(content.others)} more*\n" + "\n".join(map(_other_line, content.others))))
    blocks.append(ContextBlock(block_id=BlockId.DIGEST_FOOTER.value, elements=[MarkdownTextObject(
        text=f"As of {slack_date(content.as_of)}{since}. Unknown figures show as —; "
             "impressions marked est. are reach × 1.5 (feed) or = reach (stories).")]))
    return to_payload(blocks)


def digest_text(content: DigestContent) -> str:
    """The notification and screen-reader text of the digest message."""
    if not content.campaigns:
        return f"{TITLE}: no active campaigns"
    if content.quiet:
        return f"{TITLE}: no new activity since the last digest"
    first = content.detailed[0]
    others = len(content.campaigns) - 1
    rest = f" and {others} more campaign{'s' if others != 1 else ''}" if others else ""
    return f"{TITLE}: {first.name}{rest} — {pacing_line(first.totals)}"


def _count(campaigns: Sequence[object]) -> str:
    return f"{len(campaigns)} campaign{'s' if len(campaigns) != 1 else ''}"
