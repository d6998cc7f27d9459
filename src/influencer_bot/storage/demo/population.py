"""A synthetic creator population for demos and load tests, deterministic for a seed.

Pure (seed in, plain field dicts out; storage/demo/creators.py writes them) and stdlib-only, so
100,000 creators generate in seconds. The numbers follow DOMAIN.md so a demo tells the
true story: most creators are nano or micro, engagement scatters log-normally around
the very medians the bot compares against (benchmarks.py), prices sit near the rate
card (pricing.py), and a few creators carry each audience-quality problem so that every
flag can be shown. Who is behind each account, in words, comes from personas.py.
"""

from __future__ import annotations

import math
import random
from itertools import accumulate
from collections.abc import Iterator
from dataclasses import dataclass

from ...influence.benchmarks import benchmark
from ...influence.platforms import Platform
from ...influence.pricing import estimate
from ...influence.tiers import Tier, TierThresholds
from .personas import Person, Words, account_words, new_person, pick, unique_handle

#: the population's shape (DOMAIN.md): tier shares, follower span of the open-ended tiers
TIER_SHARES = {Tier.EMERGING: 0.10, Tier.NANO: 0.55, Tier.MICRO: 0.30, Tier.MACRO: 0.045, Tier.MEGA: 0.005}
PLATFORM_SHARES = {Platform.INSTAGRAM: 0.45, Platform.TIKTOK: 0.35, Platform.YOUTUBE: 0.20}
_LOWEST, _HIGHEST = 100, 25_000_000
_ER_SIGMA = 0.4  # log-normal spread around the median: about 2/3 of creators within 0.67-1.5x
# median views per post as a share of followers, by tier (emerging..mega)
_REACH = {Platform.TIKTOK: (0.8, 0.5, 0.35, 0.22, 0.12), Platform.YOUTUBE: (0.3, 0.2, 0.12, 0.08, 0.05)}
_FOLLOW_CAP = {Platform.INSTAGRAM: 7_500, Platform.TIKTOK: 10_000}  # platform limits on following


@dataclass(frozen=True, slots=True)
class Earlier:
    """An older snapshot: `days_ago` before now the creator had `followers`."""

    days_ago: int
    followers: int


@dataclass(frozen=True, slots=True)
class DemoCreator:
    fields: dict[str, object]  # CreatorRecord field names -> values; `platform` is a Platform
    history: tuple[Earlier, ...]  # oldest first

    def at(self, earlier: Earlier) -> dict[str, object]:
        """The fields as they were then: per-post counts scale with the audience."""
        f = dict(self.fields)
        scale = earlier.followers / f["followers"]  # type: ignore[operator]
        f["followers"] = earlier.followers
        for name in ("avg_likes", "avg_comments", "avg_shares", "avg_views"):
            if f[name] is not None:
                f[name] = round(f[name] * scale, 1)  # type: ignore[operator]
        return f


class _Shape:
    """The population's shape as lookups built once, so the per-creator loop only indexes."""

    def __init__(self) -> None:
        self.tiers = list(TIER_SHARES)
        self.tier_cum = list(accumulate(list(TIER_SHARES.values())))
        self.platforms = list(PLATFORM_SHARES)
        self.platform_cum = list(accumulate(list(PLATFORM_SHARES.values())))
        t = TierThresholds()
        self.spans = {tier: (math.log(lo or _LOWEST), math.log(hi or _HIGHEST))
                      for tier in Tier for lo, hi in [t.bounds(tier)]}
        self.medians = {(p, tier): _median(p, tier) for p in Platform for tier in Tier}


def _median(platform: Platform, tier: Tier) -> float:
    """The benchmark median as a fraction; emerging accounts engage a little above nano."""
    bench = benchmark(platform, tier)
    return bench.median_pct / 100 if bench else benchmark(platform, Tier.NANO).median_pct / 100 * 1.15  # type: ignore[union-attr]


def generate_population(n: int, seed: int) -> Iterator[DemoCreator]:
    """`n` creators; the same seed gives the same creators, and a prefix of a longer run."""
    rng = random.Random(seed)
    words, shape = Words(), _Shape()
    used: dict[Platform, set[str]] = {p: set() for p in Platform}
    person: Person | None = None
    handle = ""
    for _ in range(n):
        platform = shape.platforms[pick(rng, shape.platform_cum)]
        if person is None or handle in used[platform] or rng.random() >= 0.12:
            person = new_person(rng, words)
            handle = unique_handle(rng, person.handle, used[platform])
        # else: the same person cross-posting on another platform under the same handle
        used[platform].add(handle)
        yield _creator(rng, shape, platform, handle, person)


def _creator(rng: random.Random, v: _Shape, platform: Platform, handle: str, person: Person) -> DemoCreator:
    tier = v.tiers[pick(rng, v.tier_cum)]
    lo, hi = v.spans[tier]
    followers = int(math.exp(rng.uniform(lo, hi)))
    tier_i = v.tiers.index(tier)  # tier order of TIER_SHARES: emerging..mega

    r = rng.random()
    if tier is not Tier.EMERGING and r < 0.03:
        ratio = rng.uniform(0.05, 0.25)  # inactive or bought followers
    elif tier in (Tier.MACRO, Tier.MEGA) and r < 0.11:
        ratio = rng.uniform(4.5, 9.0)  # engagement pod
    else:
        ratio = rng.lognormvariate(0.0, _ER_SIGMA)
    rate = min(v.medians[(platform, tier)] * ratio, 0.6)

    likes = comments = shares = views = None
    if platform is Platform.INSTAGRAM:
        total = rate * followers
        comments = total * rng.uniform(0.015, 0.05)
        hidden = rng.random() < 0.05  # likes hidden by the creator: engagement unknown
        likes = None if hidden else total - comments
    else:
        reach = _REACH[platform][tier_i] * rng.lognormvariate(0.0, 0.5 if platform is Platform.TIKTOK else 0.6)
        views = max(1.0, round(followers * reach))
        total = rate * views
        comments = total * rng.uniform(0.01, 0.04 if platform is Platform.TIKTOK else 0.08)
        if platform is Platform.TIKTOK:
            shares = total * rng.uniform(0.03, 0.1)
        hidden = platform is Platform.YOUTUBE and rng.random() < 0.02
        likes = None if hidden else total - comments - (shares or 0.0)

    few = rng.random() < 0.04  # a new account: too few posts for a certain rate
    sampled = rng.randint(1, 2) if few else (12 if rng.random() < 0.6 else rng.randint(3, 30))
    base_posts = {Platform.INSTAGRAM: 400, Platform.TIKTOK: 150, Platform.YOUTUBE: 120}[platform]
    posts_total = rng.randint(sampled, 6) if few else sampled + int(rng.lognormvariate(math.log(base_posts), 0.7))

    following = None
    if platform in _FOLLOW_CAP:
        cap = _FOLLOW_CAP[platform]
        if 5_000 <= followers <= cap * 1.2 and rng.random() < 0.1:
            following = min(cap, int(followers * rng.uniform(0.85, 1.3)))  # follow-for-follow
        elif tier is Tier.EMERGING:
            following = int(followers * rng.uniform(0.3, 1.5))
        else:
            following = min(int(rng.lognormvariate(math.log(500), 0.7)), int(followers * 0.6), cap)

    quoted = None
    if rng.random() < 0.3:
        q = estimate(platform, followers).cents * rng.lognormvariate(0.0, 0.3)
        step = 500 if q < 10_000 else 2_500 if q < 100_000 else 10_000  # $5, $25, $100 steps
        quoted = max(500, round(q / step) * step)

    bio, topics = account_words(rng, person)

    fields: dict[str, object] = {
        "platform": platform, "handle": handle, "display_name": person.display_name, "followers": followers,
        "following": following, "posts_total": posts_total,
        "avg_likes": None if likes is None else round(likes, 1), "avg_comments": round(comments, 1),
        "avg_shares": None if shares is None else round(shares, 1), "avg_saves": None, "avg_views": views,
        "posts_sampled": sampled, "reported_rate_pct": None, "topics": topics, "category": person.niche[1],
        "bio": bio, "country": person.country,
        "language": person.language, "quoted_price_cents": quoted, "email": person.email,
    }
    return DemoCreator(fields, _history(rng, followers))


def _history(rng: random.Random, followers: int) -> tuple[Earlier, ...]:
    """A month-old snapshot with organic growth (never near the spike rule); for ~0.5%
    of all creators (4.5% of those with 60k+) a bought jump of >5,000 a day in 3 days."""
    def organic(now: int, days: int) -> int:
        growth = -rng.uniform(0.0, 0.03) if rng.random() < 0.1 else min(rng.lognormvariate(math.log(0.025), 0.8), 0.25)
        return max(1, now - 3_000 * days, round(now / (1 + growth)))

    if followers >= 60_000 and rng.random() < 0.045:
        per_day = min(rng.uniform(6_000, 20_000), followers * 0.45 / 3)
        before = followers - round(per_day * 3)
        return Earlier(30, organic(before, 27)), Earlier(3, before)
    return (Earlier(30, organic(followers, 30)),)
