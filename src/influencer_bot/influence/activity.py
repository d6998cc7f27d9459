"""What a creator's recent posts say beyond engagement: how often they post, and how much of
their feed is already paid for. Brands check both before paying a creator: an inactive account
reaches nobody new, and a feed of ads converts less and costs its audience's trust.

Plain data in, plain data out: the sync hands in (published time, caption, platform marker)
per post, newest or oldest first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# Disclosure words brands and regulators ask for (FTC, ASA, the EU's national rules), in the
# languages the product's users post in. Matched as whole hashtags or bracketed words
# ("#ad", "[Werbung]", "(anzeige)"), never inside other words ("#adventure" is not an ad).
DISCLOSURE_TAGS = frozenset({
    "ad", "ads", "advert", "advertisement", "sponsored", "sponsor", "paidpartnership", "paidpartner",
    "partner", "partnership", "collab", "brandpartner", "gifted", "spon", "sp",
    "werbung", "anzeige", "bezahltepartnerschaft", "unbezahltewerbung",  # de
    "publicidad", "publi", "patrocinado", "colaboracion",  # es
    "pub", "publicite", "sponsorise", "partenariat", "collaborationcommerciale",  # fr
    "adv", "pubblicita", "sponsorizzato",  # it
    "publicidade", "parceria", "patrocinado",  # pt
    "reklama", "sponsorowane", "wspolpraca",  # pl
    "reclame", "samenwerking", "gesponsord",  # nl
    "広告", "pr", "提供", "협찬", "광고",  # ja, ko
})
_TAG = re.compile(r"#(\w+)", re.UNICODE)
_BRACKETED = re.compile(r"[\[(]\s*(\w+)\s*[\])]", re.UNICODE)
_FOLD = str.maketrans("àáâãäåçèéêëìíîïñòóôõöùúûüýÿ", "aaaaaaceeeeiiiinooooouuuuyy")

INACTIVE_POSTS_PER_WEEK = 0.25  # under one post a month
AD_SATURATED_SHARE = 0.5  # half or more of the recent feed is paid for


def per_week_text(rate: float) -> str:
    """`14`, `2.5`, `0.24`, `0.1`: posts a week as people read them (no `2.0`, no `0.10`)."""
    if rate >= 10:
        return f"{rate:.0f}"
    text = f"{rate:.1f}" if rate >= 1 else f"{rate:.2f}"
    return text.rstrip("0").rstrip(".") or "0"


def sponsored_text(share: float, posts: int | None) -> str:
    """`30% of recent posts sponsored (9 of 30)`; the count only when it agrees with the share."""
    text = f"{share * 100:.0f}% of recent posts sponsored"
    if posts:
        count = round(share * posts)
        if abs(share * posts - count) < 0.01:
            text += f" ({count} of {posts})"
    return text


@dataclass(frozen=True, slots=True)
class RecentPost:
    published_at: datetime | None
    caption: str | None = None
    paid_partnership: bool | None = None  # the platform's own marker, when it exposes one


def _words(caption: str) -> set[str]:
    text = caption.lower().translate(_FOLD)
    return {m for m in _TAG.findall(text)} | {m for m in _BRACKETED.findall(text)}


def is_sponsored(post: RecentPost) -> bool:
    """The platform says so, or the caption discloses it with a hashtag or bracketed word."""
    if post.paid_partnership:
        return True
    return bool(post.caption) and not _words(post.caption).isdisjoint(DISCLOSURE_TAGS)


def sponsored_share(posts: Sequence[RecentPost]) -> float | None:
    """Share (0..1) of these posts that are paid for; None with no posts."""
    if not posts:
        return None
    return sum(is_sponsored(p) for p in posts) / len(posts)


def posts_per_week(posts: Sequence[RecentPost], now: datetime) -> float | None:
    """Posts per week over the span the sample covers, from its oldest post to now.

    Measured to now, not to the newest post, so an account that stopped posting months ago
    reads as inactive. None when fewer than two dated posts make a span."""
    times = sorted(p.published_at for p in posts if p.published_at is not None)
    if len(times) < 2:
        return None
    days = max((now - times[0]).total_seconds() / 86_400, 1.0)
    return len(times) / days * 7
