"""Price per post: a quoted price always wins; otherwise a labelled rate-card estimate.

The estimate is the rule of thumb (dollars per 1,000 followers) clamped to the
industry range of the creator's size band, and the range is shown with it (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .platforms import Platform


class PriceSource(StrEnum):
    QUOTED = "quoted"
    ESTIMATE = "estimate"


@dataclass(frozen=True, slots=True)
class Price:
    cents: int
    source: PriceSource
    low_cents: int | None = None
    high_cents: int | None = None

    @property
    def is_estimate(self) -> bool:
        return self.source is PriceSource.ESTIMATE


# Follower bands of the rate cards: nano, micro, mid, macro, mega.
_BANDS = (1_000, 10_000, 50_000, 500_000, 1_000_000)
# (low, high) dollars per post for each band; None high = open-ended.
_CARDS: dict[Platform, tuple[tuple[int, int | None], ...]] = {
    Platform.INSTAGRAM: ((10, 100), (100, 500), (500, 5_000), (5_000, 10_000), (10_000, None)),
    Platform.YOUTUBE: ((20, 200), (200, 1_000), (1_000, 10_000), (10_000, 20_000), (20_000, None)),
    Platform.TIKTOK: ((5, 25), (25, 125), (125, 1_250), (1_250, 2_500), (2_500, None)),
}
_PER_THOUSAND = {Platform.INSTAGRAM: 10.0, Platform.YOUTUBE: 20.0, Platform.TIKTOK: 2.5}
_MIN_CENTS = 500  # nobody posts for less than $5, even with 200 followers


def estimate(platform: Platform, followers: int) -> Price:
    """Rate-card estimate for a creator with no quoted price."""
    rule_cents = round(followers / 1000 * _PER_THOUSAND[platform] * 100)
    band = sum(1 for edge in _BANDS if followers >= edge) - 1
    if band < 0:  # emerging: below the nano card
        low, high = _MIN_CENTS, _CARDS[platform][0][0] * 100
    else:
        low_usd, high_usd = _CARDS[platform][band]
        low, high = low_usd * 100, None if high_usd is None else high_usd * 100
    cents = max(rule_cents, low, _MIN_CENTS)
    if high is not None:
        cents = min(cents, high)
    cents = round(cents, -2)  # an estimate is not precise to the cent: whole dollars
    return Price(cents, PriceSource.ESTIMATE, low, high)


def price(platform: Platform, followers: int | None, quoted_cents: int | None) -> Price | None:
    if quoted_cents is not None and quoted_cents > 0:
        return Price(quoted_cents, PriceSource.QUOTED)
    if followers is None:
        return None
    return estimate(platform, followers)
