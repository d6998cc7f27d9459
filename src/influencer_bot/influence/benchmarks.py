"""Published engagement medians per platform, method and tier, with their sources.

A creator is only ever compared with the median of its own platform and tier
("2.1× the micro Instagram median"); the figures are defaults from DOMAIN.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engagement import Engagement, Method, default_method
from .platforms import Platform
from .tiers import Tier


@dataclass(frozen=True, slots=True)
class Benchmark:
    platform: Platform
    tier: Tier
    method: Method
    median_pct: float
    source: str


_KIM = "medians of 39k Instagram posts (Kim et al., WWW 2020)"
_UNTAPPER = "untapper.com 2026 TikTok benchmarks (midpoint)"
_CREATORIQ = "CreatorIQ / Tribe Dynamics (one figure for all tiers)"

_MEDIANS: dict[tuple[Platform, Tier], tuple[float, str]] = {
    (Platform.INSTAGRAM, Tier.NANO): (3.9, _KIM),
    (Platform.INSTAGRAM, Tier.MICRO): (2.8, _KIM),
    (Platform.INSTAGRAM, Tier.MACRO): (2.4, _KIM),
    (Platform.INSTAGRAM, Tier.MEGA): (2.3, _KIM),
    (Platform.TIKTOK, Tier.NANO): (8.0, _UNTAPPER),
    (Platform.TIKTOK, Tier.MICRO): (5.5, _UNTAPPER),
    (Platform.TIKTOK, Tier.MACRO): (3.5, _UNTAPPER),
    (Platform.TIKTOK, Tier.MEGA): (1.5, _UNTAPPER),
    (Platform.YOUTUBE, Tier.NANO): (1.6, _CREATORIQ),
    (Platform.YOUTUBE, Tier.MICRO): (1.6, _CREATORIQ),
    (Platform.YOUTUBE, Tier.MACRO): (1.6, _CREATORIQ),
    (Platform.YOUTUBE, Tier.MEGA): (1.6, _CREATORIQ),
}


def benchmark(platform: Platform, tier: Tier | None) -> Benchmark | None:
    """The median for a platform and tier; emerging accounts have none published."""
    if tier is None or tier is Tier.EMERGING:
        return None
    median, source = _MEDIANS[(platform, tier)]
    return Benchmark(platform, tier, default_method(platform), median, source)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a creator's engagement stands against its benchmark."""

    benchmark: Benchmark
    ratio: float  # 2.1 means 2.1× the median

    def describe(self) -> str:
        b = self.benchmark
        return f"{self.ratio:.1f}× the {b.tier.value} {b.platform.label} median ({b.median_pct:g}%)"


def position(platform: Platform, tier: Tier | None, eng: Engagement) -> Position | None:
    bench = benchmark(platform, tier)
    if bench is None or eng.rate is None:
        return None
    if eng.method is not Method.REPORTED and eng.method is not bench.method:
        return None  # a YouTube rate by followers (no views) is not comparable with by-views medians
    return Position(bench, (eng.rate * 100) / bench.median_pct)
