"""The shortlist message: one entry per creator with Approve/Reject, and a footer.

Rendered from the database every time (after a decision too), so what Slack shows is
always what is stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock, ButtonElement, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock,
)

from ...influence.money import format_usd
from ...influence.profile import Profile
from ...influence.scoring import activity_discounts
from ..button_values import ItemRef, ShortlistRef
from ..ids import ActionId, BlockId
from ...influence.rejection import reason_label
from .campaign import campaign_button
from .reject import because
from .why_not import why_not_button
from .format import (
    MAX_MESSAGE_BLOCKS, clip, creator_title, engagement_text, escape, flags_text, format_gap, price_text, slack_date,
    to_payload,
)


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
    match_note: str | None = None  # "partial match: plant based only" (finder.partial_note)
    shares: tuple[str, ...] = ()  # lookalikes: the seed's terms it shares most
    reason: str | None = None  # a rejection's reason code (influence/rejection.py)
    note: str | None = None  # and the rejecter's note


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
    campaign: str | None = None  # the campaign it is attached to: approved creators join it


def _why(item: ItemView, goal: str) -> str:
    """A few words on why the creator is on the list: relevance, engagement, price for value."""
    bits = []
    if item.shares:
        bits.append(f"shares {', '.join(escape(t) for t in item.shares)}"
                    + (f" (similarity {item.relevance:.2f})" if item.relevance is not None else ""))
    elif item.match_note:
        bits.append(f"*{item.match_note}*" + (f" (relevance {item.relevance:.2f})" if item.relevance is not None else ""))
    elif item.relevance is not None:
        bits.append(f"{'matches every word' if item.relevance >= 0.5 else 'matches some words'} "
                    f"(relevance {item.relevance:.2f})")
    if item.profile.position is not None:
        bits.append(f"ER {item.profile.position.ratio:.1f}× its tier median")
    if item.expected_value:
        unit = "expected impression" if goal == "reach" else "expected engagement"
        bits.append(f"{_per_unit(item.price_cents, item.expected_value)} per {unit}")
    discounts = activity_discounts(item.profile)
    if discounts:
        bits.append("value " + ", ".join(f"×{factor:g} ({label})" for label, factor in discounts))
    return "_Why:_ " + " · ".join(bits) if bits else ""


def _per_unit(cents: int, units: float) -> str:
    per = cents / units
    return format_usd(round(per)) if per >= 100 else f"${per / 100:.3f}" if per < 10 else f"${per / 100:.2f}"


def _item_blocks(item: ItemView, goal: str) -> list:
    p = item.profile
    lines = [creator_title(p, item.display_name), engagement_text(p), price_text(p.price)]
    why = _why(item, goal)
    if why:
        lines.append(why)
    if p.flags:
        lines.append(flags_text(p.flags))
    blocks: list = [SectionBlock(block_id=BlockId.ITEM.of(item.item_id), text=MarkdownTextObject(text=clip("\n".join(lines))))]
    value = ItemRef(item.shortlist_id, item.item_id).value()
    if item.status == "proposed":
        blocks.append(ActionsBlock(block_id=BlockId.ITEM_ACTIONS.of(item.item_id), elements=[
            ButtonElement(text="Approve", action_id=ActionId.APPROVE, value=value, style="primary"),
            ButtonElement(text="Reject", action_id=ActionId.REJECT, value=value, style="danger"),
        ]))
    else:
        icon = ":white_check_mark: Approved" if item.status == "approved" else ":x: Rejected"
        why = because(item.reason, item.note)
        blocks.append(ContextBlock(block_id=BlockId.ITEM_DECISION.of(item.item_id), elements=[
            MarkdownTextObject(text=clip(f"{icon} by <@{item.decided_by}>{' · ' + why if why else ''} · "
                                         f"{slack_date(item.decided_at)}"))]))
    return blocks


def shortlist_text(view: ShortlistView) -> str:
    """Notification and accessibility fallback."""
    return f"Shortlist for {view.niche} within {format_usd(view.budget_cents)}: {len(view.items)} creators"


def _footer(view: ShortlistView) -> str:
    kept = [i for i in view.items if i.status != "rejected"]
    total = sum(i.price_cents for i in kept)
    expected = sum(i.expected_value or 0.0 for i in kept)
    unit = "impressions" if view.goal == "reach" else "engagements"
    lines = [f"*Total* {format_usd(total)} of {format_usd(view.budget_cents)} · "
             f"*left* {format_usd(view.budget_cents - total)} · *expected {unit}* ~{expected:,.0f} (one post each)"]
    if expected and total:
        lines.append(f"Cost per expected {unit[:-1]}: {_per_unit(total, expected)}")
    if view.best_single_value and expected and len(kept) > 1:
        lines.append(f"{expected / view.best_single_value:.1f}× the expected {unit} of the best single "
                     f"creator within {format_usd(view.budget_cents)}")
    partial = sum(1 for i in kept if i.match_note and i.match_note.startswith("partial match"))  # not semantic ones
    if partial:
        lines.append(f"{_creators(partial)} {'is a partial match' if partial == 1 else 'are partial matches'}: "
                     "not enough creators who match the whole niche fit the budget and slots.")
    if view.campaign is not None:
        lines.append(f"Campaign: *{escape(view.campaign)}*: creators approved here join it at these prices.")
    if not view.optimal:
        lines.append(f"Time limit reached: best set found, proven within {format_gap(view.gap)} of the optimum.")
    if view.excluded:
        left_out = ", ".join(f"{n:,} {reason}" for reason, n in view.excluded.most_common())
        lines.append(f"Left out: {left_out}.")
    lines.append("Expected figures are per post, weighted by relevance and audience quality. "
                 "≈ marks estimated prices (rate card); quoted prices are used when known.")
    return clip("\n".join(lines))


def _creators(n: int) -> str:
    return f"{n:,} creator{'s' * (n != 1)}"


def _rejected_summary(items: list[ItemView]) -> ContextBlock:
    text = "Rejected: " + ", ".join(f"@{escape(i.profile.facts.handle)} by <@{i.decided_by}>"
                                    + (f" ({reason_label(i.reason)})" if reason_label(i.reason) else "") for i in items)
    return ContextBlock(block_id=BlockId.SHORTLIST_REJECTED, elements=[MarkdownTextObject(text=clip(text))])


def shortlist_blocks(view: ShortlistView) -> list[dict]:
    header = f"Shortlist: {view.niche}"[:150]
    approved = sum(1 for i in view.items if i.status == "approved")
    rejected = [i for i in view.items if i.status == "rejected"]
    pool = f" out of {view.pool:,} matching" if view.pool is not None else ""
    blocks: list = [
        HeaderBlock(block_id=BlockId.SHORTLIST_HEADER, text=header),
        ContextBlock(block_id=BlockId.SHORTLIST_SUMMARY, elements=[MarkdownTextObject(text=clip(
            f"Requested by <@{view.requested_by}> · budget {format_usd(view.budget_cents)} · "
            f"{_creators(len(view.items) - len(rejected))}{pool} · {approved} approved · goal: {view.goal}"))]),
        DividerBlock(),
    ]
    # Rejected creators fold into one line once a refill would push the message past Slack's 50 blocks.
    fold = 2 * len(view.items) + 7 > MAX_MESSAGE_BLOCKS
    for item in view.items:
        if not (fold and item.status == "rejected"):
            blocks.extend(_item_blocks(item, view.goal))
    if fold and rejected:
        blocks.append(_rejected_summary(rejected))
    blocks.append(DividerBlock())
    blocks.append(SectionBlock(block_id=BlockId.SHORTLIST_FOOTER, text=MarkdownTextObject(text=_footer(view))))
    buttons = []
    if rejected:
        value = ShortlistRef(view.shortlist_id).value()
        buttons.append(ButtonElement(text="Replace rejected", action_id=ActionId.REPLACE_REJECTED, value=value))
    if view.campaign is None:
        buttons.append(campaign_button(view.shortlist_id))
    buttons.append(why_not_button(view.shortlist_id))
    blocks.append(ActionsBlock(block_id=BlockId.SHORTLIST_ACTIONS, elements=buttons))
    return to_payload(blocks)


def empty_result_text(niche: str, budget_cents: int, excluded: Counter[str], pool: int,
                      suggestions: Sequence[str] = ()) -> str:
    if pool == 0:
        near = (" Niches I do have: " + ", ".join(f"“{escape(s)}”" for s in suggestions) + ".") if suggestions else ""
        return (f":mag: No creators in this workspace match “{escape(niche)}”.{near} Try fewer or broader words, "
                f"or import creators with `influencer-bot import creators FILE`.")
    why = ", ".join(f"{n:,} {reason}" for reason, n in excluded.most_common()) or "none fit"
    return (f":mag: {pool:,} creators match “{escape(niche)}”, but none fits {format_usd(budget_cents)} "
            f"({why}). Try a larger budget or other options.")
