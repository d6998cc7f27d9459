"""The shortlist message: one entry per creator with Approve/Reject, and a footer.

Rendered from the database every time (after a decision too), so what Slack shows is
always what is stored.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock, ButtonElement, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock,
)

from ...influence.money import format_usd
from ...influence.profile import Profile
from ..ids import ActionId, BlockId
from .format import clip, creator_title, engagement_text, escape, flags_text, price_text, slack_date, to_payload


@dataclass(frozen=True, slots=True)
class ItemView:
    item_id: int
    shortlist_id: int
    profile: Profile
    display_name: str | None
    price_cents: int
    price_source: str
    relevance: float | None
    expected_value: float | None
    status: str
    decided_by: str | None
    decided_at: object | None


@dataclass(frozen=True, slots=True)
class ShortlistView:
    shortlist_id: int
    niche: str
    budget_cents: int
    requested_by: str
    items: list[ItemView]
    goal: str = "engagement"
    pool: int | None = None
    excluded: Counter[str] | None = None
    best_single_value: float | None = None
    optimal: bool = True
    gap: float = 0.0


def _why(item: ItemView) -> str:
    bits = []
    if item.relevance is not None:
        bits.append(f"relevance {item.relevance:.2f}")
    if item.profile.expected_engagements:
        bits.append(f"~{item.profile.expected_engagements:,.0f} engagements/post")
    return " · ".join(bits)


def _item_blocks(item: ItemView) -> list:
    p = item.profile
    lines = [creator_title(p, item.display_name), engagement_text(p), price_text(p.price) + (
        f" · {_why(item)}" if _why(item) else "")]
    if p.flags:
        lines.append(flags_text(p.flags))
    blocks: list = [SectionBlock(block_id=BlockId.ITEM.of(item.item_id), text=MarkdownTextObject(text=clip("\n".join(lines))))]
    value = json.dumps({"shortlist": item.shortlist_id, "item": item.item_id}, separators=(",", ":"))
    if item.status == "proposed":
        blocks.append(ActionsBlock(block_id=BlockId.ITEM_ACTIONS.of(item.item_id), elements=[
            ButtonElement(text="Approve", action_id=ActionId.APPROVE, value=value, style="primary"),
            ButtonElement(text="Reject", action_id=ActionId.REJECT, value=value, style="danger"),
        ]))
    else:
        icon = ":white_check_mark: Approved" if item.status == "approved" else ":x: Rejected"
        blocks.append(ContextBlock(block_id=BlockId.ITEM_DECISION.of(item.item_id), elements=[
            MarkdownTextObject(text=f"{icon} by <@{item.decided_by}> · {slack_date(item.decided_at)}")]))
    return blocks


def shortlist_text(view: ShortlistView) -> str:
    """Notification and accessibility fallback."""
    return f"Shortlist for {view.niche} within {format_usd(view.budget_cents)}: {len(view.items)} creators"


def _footer(view: ShortlistView) -> str:
    total = sum(i.price_cents for i in view.items if i.status != "rejected")
    engagements = sum(i.profile.expected_engagements or 0 for i in view.items if i.status != "rejected")
    lines = [f"*Total* {format_usd(total)} of {format_usd(view.budget_cents)} · "
             f"*left* {format_usd(view.budget_cents - total)} · "
             f"*expected engagements* ~{engagements:,.0f} (one post each)"]
    if engagements and total:
        lines.append(f"Cost per expected engagement: {format_usd(round(total / engagements))}" if total / engagements >= 1
                     else f"Cost per expected engagement: ${total / engagements / 100:.3f}")
    if view.best_single_value and engagements and len(view.items) > 1:
        lines.append(f"{engagements / view.best_single_value:.1f}× the expected engagements of the best single "
                     f"creator within {format_usd(view.budget_cents)}")
    if not view.optimal:
        lines.append(f"Best set found in time; proven within {view.gap:.1%} of the optimum.")
    if view.excluded:
        left_out = ", ".join(f"{n} {reason}" for reason, n in view.excluded.most_common())
        lines.append(f"Left out: {left_out}.")
    lines.append("≈ marks estimated prices (rate card); quoted prices are used when known.")
    return clip("\n".join(lines))


def shortlist_blocks(view: ShortlistView) -> list[dict]:
    header = f"Shortlist: {view.niche}"[:150]
    approved = sum(1 for i in view.items if i.status == "approved")
    pool = f" out of {view.pool:,} matching" if view.pool is not None else ""
    blocks: list = [
        HeaderBlock(block_id=BlockId.SHORTLIST_HEADER, text=header),
        ContextBlock(block_id=BlockId.SHORTLIST_SUMMARY, elements=[MarkdownTextObject(text=clip(
            f"Requested by <@{view.requested_by}> · budget {format_usd(view.budget_cents)} · "
            f"{len(view.items)} creators{pool} · {approved} approved · goal: {view.goal}"))]),
        DividerBlock(),
    ]
    for item in view.items:
        blocks.extend(_item_blocks(item))
    blocks.append(DividerBlock())
    blocks.append(SectionBlock(block_id=BlockId.SHORTLIST_FOOTER, text=MarkdownTextObject(text=_footer(view))))
    return to_payload(blocks)


def empty_result_text(niche: str, budget_cents: int, excluded: Counter[str], pool: int) -> str:
    if pool == 0:
        return (f":mag: No creators in this workspace match “{escape(niche)}”. Try fewer or broader words, "
                f"or import creators with `influencer-bot import creators FILE`.")
    why = ", ".join(f"{n} {reason}" for reason, n in excluded.most_common()) or "none fit"
    return (f":mag: {pool:,} creators match “{escape(niche)}”, but none fits {format_usd(budget_cents)} "
            f"({why}). Try a larger budget or other options.")
