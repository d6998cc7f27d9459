"""Small, shared text formatting for Slack mrkdwn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import Block

from ...influence.flags import Flag, Severity
from ...influence.pricing import Price
from ...influence.money import format_usd
from ...influence.profile import Profile

MAX_MESSAGE_BLOCKS = 50
MAX_SECTION_CHARS = 3000


def format_gap(gap: float) -> str:
    """A proven relative gap as people read it: never "0.0%" for a gap that is not zero."""
    return "less than 0.1%" if gap < 0.001 else f"{gap:.1%}"


def escape(text: str) -> str:
    """Slack mrkdwn needs only &, < and > escaped; this keeps user data from becoming links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def compact(n: float | int | None) -> str:
    """24,000 -> 24k; 1,250,000 -> 1.25M."""
    if n is None:
        return "—"
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.3g}{unit}"
    return f"{n:,.0f}"


def slack_date(when: datetime | None) -> str:
    """A date Slack shows in each reader's own timezone, with a UTC fallback."""
    if when is None:
        return "—"
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|{when:%Y-%m-%d %H:%M} UTC>"


def price_text(price: Price | None) -> str:
    if price is None:
        return "price unknown"
    if not price.is_estimate:
        return f"{format_usd(price.cents)} (quoted)"
    high = "+" if price.high_cents is None else f"–{format_usd(price.high_cents)}"
    return f"≈{format_usd(price.cents)} (estimate, {format_usd(price.low_cents)}{high})"


_ICONS = {Severity.BLOCKING: ":no_entry:", Severity.WARNING: ":warning:", Severity.INFO: ":information_source:"}


def flags_text(flags: Sequence[Flag]) -> str:
    return "\n".join(f"{_ICONS[f.severity]} {escape(f.message)}" for f in flags)


def engagement_text(profile: Profile) -> str:
    text = f"ER {profile.engagement.describe()}"
    if profile.position is not None:
        text += f" — {profile.position.describe()}"
    return text


def creator_title(profile: Profile, display_name: str | None = None) -> str:
    f = profile.facts
    name = f" ({escape(display_name)})" if display_name and display_name.lower() != f.handle else ""
    tier = profile.tier.value if profile.tier else "tier unknown"
    return (f"*@{escape(f.handle)}*{name} · {f.platform.label} · {tier} · "
            f"{compact(f.metrics.followers)} followers")


def to_payload(blocks: Sequence[Block]) -> list[dict]:
    """Validate every block with slack_sdk and Slack's per-message limits; return JSON-ready dicts."""
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks: Slack allows {MAX_MESSAGE_BLOCKS} per message")
    return [b.to_dict() for b in blocks]


def clip(text: str, limit: int = MAX_SECTION_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
