"""Creator tiers by audience size; the boundaries are settings because schemes differ."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import UserError


class Tier(StrEnum):
    EMERGING = "emerging"
    NANO = "nano"
    MICRO = "micro"
    MACRO = "macro"
    MEGA = "mega"


@dataclass(frozen=True, slots=True)
class TierThresholds:
    """Lowest follower count of each tier above `emerging` (DOMAIN.md defaults)."""

    nano: int = 1_000
    micro: int = 10_000
    macro: int = 100_000
    mega: int = 1_000_000

    def __post_init__(self) -> None:
        if not 0 < self.nano < self.micro < self.macro < self.mega:
            raise ValueError("tier thresholds must increase: nano < micro < macro < mega")

    def tier_of(self, followers: int | None) -> Tier | None:
        if followers is None:
            return None
        if followers >= self.mega:
            return Tier.MEGA
        if followers >= self.macro:
            return Tier.MACRO
        if followers >= self.micro:
            return Tier.MICRO
        if followers >= self.nano:
            return Tier.NANO
        return Tier.EMERGING

    def bounds(self, tier: Tier) -> tuple[int, int | None]:
        """Follower range [low, high) of a tier; high is None for the top tier."""
        edges = [0, self.nano, self.micro, self.macro, self.mega, None]
        i = list(Tier).index(tier)
        return edges[i], edges[i + 1]


def parse_tier(text: str) -> Tier:
    try:
        return Tier(text.strip().lower())
    except ValueError:
        raise UserError(
            f"I don't know the tier “{text[:40]}”. Use one of: {', '.join(t.value for t in Tier)}.",
            "/influencer find vegan baking 2000 tier:micro",
        ) from None
