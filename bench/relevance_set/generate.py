"""Generate the labelled set: synthetic creators that know what they post about.

    from relevance_set.generate import generate
    creators = generate(2400, seed=11)   # deterministic: same seed, same creators

Each SynthCreator carries `record` (CreatorRecord fields, written through the product's normal
path) and `posts`: for each sampled post, the concepts it was generated from (the ground truth
the judge reads) and the tags it was published with (all the matcher ever sees, folded into the
`topics` field the way imports carry a creator's recent hashtags). Words are noisy on purpose:
the creator's language mixed with English, generic tags, camelCase, misspellings, emoji, stray
tags. Numbers follow DOMAIN.md: tiers by archetype reach, engagement log-normal around the
platform-and-tier medians (influence/benchmarks), prices near the rate card (influence/pricing),
some quoted.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass

from influencer_bot.influence.benchmarks import benchmark
from influencer_bot.influence.platforms import Platform
from influencer_bot.influence.pricing import estimate
from influencer_bot.influence.tiers import Tier, TierThresholds

from .archetypes import ARCHETYPES, EXTRA_P, REACH, Archetype
from .concepts import CONCEPTS, GENERIC_TAGS, PAIR_TAGS

LANG_SHARES = {"en": 0.50, "es": 0.12, "de": 0.10, "fr": 0.09, "pt": 0.08, "it": 0.07, "ja": 0.02, "ko": 0.02}
CITIES = {"en": ("London", "NYC", "Austin", "Toronto", "Sydney", "Dublin", "Manchester", "Portland", "Cape Town"),
          "es": ("Madrid", "Barcelona", "CDMX", "Buenos Aires", "Bogotá", "Valencia"),
          "de": ("Berlin", "München", "Wien", "Zürich", "Hamburg", "Köln"),
          "fr": ("Paris", "Lyon", "Montréal", "Bruxelles", "Marseille"),
          "pt": ("Lisboa", "São Paulo", "Porto", "Rio de Janeiro", "Curitiba"),
          "it": ("Milano", "Roma", "Torino", "Bologna", "Napoli"),
          "ja": ("Tokyo", "Osaka", "Kyoto"), "ko": ("Seoul", "Busan")}
COUNTRY = {"London": "GB", "NYC": "US", "Austin": "US", "Toronto": "CA", "Sydney": "AU", "Dublin": "IE",
           "Manchester": "GB", "Portland": "US", "Cape Town": "ZA", "Madrid": "ES", "Barcelona": "ES", "CDMX": "MX",
           "Buenos Aires": "AR", "Bogotá": "CO", "Valencia": "ES", "Berlin": "DE", "München": "DE", "Wien": "AT",
           "Zürich": "CH", "Hamburg": "DE", "Köln": "DE", "Paris": "FR", "Lyon": "FR", "Montréal": "CA",
           "Bruxelles": "BE", "Marseille": "FR", "Lisboa": "PT", "São Paulo": "BR", "Porto": "PT",
           "Rio de Janeiro": "BR", "Curitiba": "BR", "Milano": "IT", "Roma": "IT", "Torino": "IT", "Bologna": "IT",
           "Napoli": "IT", "Tokyo": "JP", "Osaka": "JP", "Kyoto": "JP", "Seoul": "KR", "Busan": "KR"}
BIO_EXTRAS = ("DM for collabs 📩", "📩 collabs: link below", "she/her", "he/him", "✨ new video every Friday",
              "🔗 shop my favourites", "Content creator", "UGC creator", "Ambassador @somebrand", "")
HANDLE_BITS = ("the", "my", "daily", "with", "by", "and", "x", "._", "_", "official")
NAMES = ("ana mia leo sam noah lena emma luca yuki minji joao sofia marie paul ines tom kai zoe nina omar "
         "eva max lou ben hugo clara rosa jin aiko").split()
PLATFORMS = ((Platform.INSTAGRAM, 0.62), (Platform.TIKTOK, 0.24), (Platform.YOUTUBE, 0.14))
TIERS = (Tier.EMERGING, Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA)
_REACH_VIEWS = {Platform.TIKTOK: (0.8, 0.5, 0.35, 0.22, 0.12), Platform.YOUTUBE: (0.3, 0.2, 0.12, 0.08, 0.05)}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Post:
    concepts: frozenset[str]  # what it is about: the ground truth
    tags: tuple[str, ...]  # what it was published with


@dataclass(frozen=True, slots=True)
class SynthCreator:
    archetype: str
    record: dict[str, object]  # CreatorRecord fields; `platform` is a Platform
    posts: tuple[Post, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.record["platform"].value, str(self.record["handle"])  # type: ignore[attr-defined]


def _weighted(rng: random.Random, items: list, weights: list[float]):  # type: ignore[no-untyped-def]
    return rng.choices(items, weights)[0]


def _render(rng: random.Random, tag: str) -> str:
    """A tag as someone typed it: mostly lower case, sometimes CamelCase, now and then misspelt."""
    if any(c.isupper() for c in tag) and rng.random() < 0.2:
        out = tag[0].upper() + tag[1:]
    else:
        out = tag.lower()
    r = rng.random()
    if r < 0.012 and "dessert" in out:
        out = out.replace("dessert", "desert", 1)  # the classic
    elif r < 0.035 and len(out) > 6 and out.isascii():
        i = rng.randrange(2, len(out) - 1)
        out = rng.choice((out[:i] + out[i + 1:], out[:i] + out[i] + out[i:],
                          out[:i - 1] + out[i] + out[i - 1] + out[i + 1:]))
    return "#" + out


def _concept_tags(rng: random.Random, concept: str, lang: str) -> list[str]:
    tags = CONCEPTS[concept].tags
    local = tags.get(lang) if lang != "en" and rng.random() < 0.55 else None
    pool = local or tags["en"]
    return rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3))))


def _post(rng: random.Random, concepts: frozenset[str], lang: str, generic_rate: float) -> list[str]:
    tags: list[str] = []
    for pair, by_lang in PAIR_TAGS.items():
        if pair <= concepts and rng.random() < 0.6:
            pool = by_lang.get(lang) if lang != "en" and rng.random() < 0.55 else None
            tags.append(rng.choice(pool or by_lang.get("en") or next(iter(by_lang.values()))))
    for concept in sorted(concepts):
        if rng.random() < 0.88 or not tags:
            tags += _concept_tags(rng, concept, lang)
    tags += rng.sample(GENERIC_TAGS, min(len(GENERIC_TAGS), int(rng.expovariate(1 / generic_rate))))
    rng.shuffle(tags)
    return tags


def _bio(rng: random.Random, a: Archetype, lang: str, city: str) -> str:
    bio_lang = lang if rng.random() < 0.75 else "en"
    phrases = [CONCEPTS[c].bio.get(bio_lang) or CONCEPTS[c].bio["en"] for c in a.bio if rng.random() < 0.85]
    emoji = "".join(CONCEPTS[c].emoji for c in a.bio[:2] if rng.random() < 0.6)
    head = rng.choice((" · ", " & ", " | ", ", ")).join(phrases) or CONCEPTS[a.bio[0]].bio["en"]
    parts = [f"{emoji} {head}".strip(), rng.choice((f"📍{city}", f"{city} based", city, ""))]
    parts.append(rng.choice(BIO_EXTRAS))
    return rng.choice((" | ", "\n", " · ")).join(p for p in parts if p)


def _numbers(rng: random.Random, a: Archetype, platform: Platform) -> dict[str, object]:
    tier = _weighted(rng, list(TIERS), list(REACH[a.reach]))
    lo, hi = TierThresholds().bounds(tier)
    followers = int(math.exp(rng.uniform(math.log(lo or 200), math.log(hi or 8_000_000))))
    bench = benchmark(platform, tier) or benchmark(platform, Tier.NANO)
    rate = min(bench.median_pct / 100 * rng.lognormvariate(0.0, 0.45), 0.5)  # type: ignore[union-attr]
    views = None
    if platform is Platform.INSTAGRAM:
        total = rate * followers
    else:
        views = max(1.0, round(followers * _REACH_VIEWS[platform][TIERS.index(tier)] * rng.lognormvariate(0, 0.5)))
        total = rate * views
    comments = total * rng.uniform(0.015, 0.06)
    quoted = None
    if rng.random() < 0.3:
        q = estimate(platform, followers).cents * rng.lognormvariate(0.0, 0.3)
        quoted = max(500, round(q / 500) * 500)
    return {"followers": followers, "following": int(rng.lognormvariate(math.log(600), 0.7)),
            "avg_likes": round(total - comments, 1), "avg_comments": round(comments, 1), "avg_views": views,
            "quoted_price_cents": quoted}


def _handle(rng: random.Random, a: Archetype, used: set[str]) -> str:
    stem = rng.choice(CONCEPTS[rng.choice(a.bio)].tags["en"]).lower()[:14]
    name = rng.choice(NAMES)
    base = rng.choice((f"{name}{rng.choice(HANDLE_BITS)}{stem}", f"{stem}{rng.choice(HANDLE_BITS)}{name}",
                       f"{stem}.{name}", f"{name}_{stem}{rng.randint(1, 99)}"))
    handle, n = base, 1
    while handle in used:
        n += 1
        handle = f"{base}{n}"
    used.add(handle)
    return handle


def _one(rng: random.Random, a: Archetype, used: set[str]) -> SynthCreator:
    lang = _weighted(rng, list(LANG_SHARES), list(LANG_SHARES.values()))
    city = rng.choice(CITIES[lang])
    platform = _weighted(rng, [p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])
    n = rng.randint(9, 18)
    subjects = [s for s, _ in a.mix]
    chosen = rng.choices(subjects, [w for _, w in a.mix], k=n)
    extras = [e for e in a.extras if rng.random() < EXTRA_P]
    for i, extra in zip(rng.sample(range(n), len(extras)), extras):
        chosen[i] = extra
    generic_rate = rng.choice((0.3, 1.0, 2.5))  # some creators tag #instagood on everything
    tagged = [_post(rng, frozenset(c), lang, generic_rate) for c in chosen]
    for tag, p in a.decoys:
        if rng.random() < p:
            tagged[rng.randrange(n)].append(tag)
    posts = tuple(Post(frozenset(c), tuple(_render(rng, t) for t in tags)) for c, tags in zip(chosen, tagged))
    counts = Counter(t for p in posts for t in p.tags)
    ordered = [t for t, _ in counts.most_common(30)]
    sep = rng.choice((" ", " ", ", ", " · "))
    topics = sep.join(ordered) + (" " + CONCEPTS[a.bio[0]].emoji if rng.random() < 0.15 else "")
    record: dict[str, object] = {
        "platform": platform, "handle": _handle(rng, a, used), "display_name": rng.choice(NAMES).title(),
        "posts_total": n + int(rng.lognormvariate(math.log(250), 0.8)), "posts_sampled": n,
        "topics": topics, "category": a.category if rng.random() < 0.7 else None,
        "bio": _bio(rng, a, lang, city), "country": COUNTRY[city], "language": lang, **_numbers(rng, a, platform)}
    return SynthCreator(a.name, record, posts)


def generate(n: int = 2400, seed: int = 11) -> list[SynthCreator]:
    """`n` creators, archetypes drawn by weight; the same (n, seed) gives the same creators."""
    rng = random.Random(seed)
    used: set[str] = set()
    weights = [a.weight for a in ARCHETYPES]
    return [_one(rng, rng.choices(ARCHETYPES, weights)[0], used) for _ in range(n)]
