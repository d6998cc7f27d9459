"""`/influencer creator <handle>`: everything we know about one creator, and how we know it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from ...influence.activity import per_week_text, sponsored_text
from ...influence.profile import Profile
from .reject import because
from .format import clip, compact, creator_title, engagement_text, escape, flags_text, price_text, slack_date, to_payload
from .sync_words import origin_text


@dataclass(frozen=True, slots=True)
class CreatorCard:
    profile: Profile
    display_name: str | None
    bio: str | None
    topics: str | None
    country: str | None
    metrics_source: str | None
    metrics_at: datetime | None
    history: Sequence[tuple[datetime, int]]
    decisions: Sequence[tuple[str, str, datetime, str, str | None, str | None]]  # (decision, user, when, niche,
    #                                                                          reason code, note)
    synced_at: datetime | None = None  # the creator's last platform sync that answered
    sync_status: str | None = None  # what it said: ok, not_found, not_discoverable, …


def _history_text(card: CreatorCard) -> str:
    lines = []
    if len(card.history) >= 2:
        (t0, f0), (t1, f1) = card.history[0][:2], card.history[-1][:2]
        change = (f1 - f0) / f0 * 100 if f0 else 0.0
        lines.append(f"Followers {compact(f0)} → {compact(f1)} ({change:+.1f}%) between "
                     f"{t0:%Y-%m-%d} and {t1:%Y-%m-%d}, {len(card.history)} snapshots")
    for decision, user, when, niche, reason, note in card.decisions[:5]:
        why = because(reason, note)
        lines.append(f"{'Approved' if decision == 'approved' else 'Rejected'} by <@{user}> for "
                     f"“{escape(niche)}”{' · ' + why if why else ''} · {slack_date(when)}")
    return "\n".join(lines) or "No history yet: one snapshot and no decisions."


def _activity_text(p: Profile) -> str:
    """`Posts 2.5 a week · 30% of recent posts sponsored (9 of 30)`: what the platform's recent posts say."""
    f = p.facts
    bits = []
    if f.posts_per_week is not None:
        bits.append(f"Posts {per_week_text(f.posts_per_week)} a week")
    if f.sponsored_share is not None:
        bits.append(sponsored_text(f.sponsored_share, f.metrics.posts_sampled))
    return " · ".join(bits)


def _card_blocks(card: CreatorCard) -> list:
    p = card.profile
    m = p.facts.metrics
    eng = p.engagement
    details = [
        creator_title(p, card.display_name),
        engagement_text(p),
        f"_How:_ {eng.how()}" + (f"; {m.posts_sampled} posts sampled" if m.posts_sampled else ""),
    ]
    if eng.authentic_share is not None:  # audience quality: engagements from real accounts
        details.append(f"Authentic engagement: {eng.authentic_share:.0%} of engagements "
                       f"({compact(m.avg_authentic_engagements)} of {compact(m.avg_engagements)} per post)"
                       if m.avg_engagements else f"Authentic engagement: {eng.authentic_share:.0%} of engagements")
    details.append(f"Price: {price_text(p.price)}")
    if p.position is not None:
        details.append(f"_Benchmark:_ {p.position.benchmark.median_pct:g}% median, {escape(p.position.benchmark.source)}")
    if m.following is not None:
        details.append(f"Following {m.following:,}")
    activity = _activity_text(p)
    if activity:
        details.append(activity)
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(details))))]
    if p.flags:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("*Quality flags*\n" + flags_text(p.flags)))))
    about = [x for x in (card.bio and escape(card.bio), card.topics and escape(card.topics),
                         card.country and f"Country: {escape(card.country)}") if x]
    if about:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(about)))))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("*History*\n" + _history_text(card)))))
    source = origin_text(card.metrics_source, card.metrics_at, card.synced_at, card.sync_status, p.facts.platform)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(source))]))
    return blocks


def creator_blocks(cards: Sequence[CreatorCard], note: str | None = None) -> list[dict]:
    handle = cards[0].profile.facts.handle
    blocks: list = [HeaderBlock(text=f"@{handle}"[:150])]
    if note:  # what a refresh just did
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(escape(note)))))
    for n, card in enumerate(cards[:4]):
        if n:
            blocks.append(DividerBlock())
        blocks.extend(_card_blocks(card))
    return to_payload(blocks)
