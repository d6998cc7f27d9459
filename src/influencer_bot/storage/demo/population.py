"""A synthetic creator population for demos and load tests, deterministic for a seed.

Pure (seed in, plain field dicts out; storage/demo/creators.py writes them) and stdlib-only, so
100,000 creators generate in seconds. The numbers follow DOMAIN.md so a demo tells the
true story: most creators are nano or micro, engagement scatters log-normally around
the very medians the bot compares against (benchmarks.py), prices sit near the rate
card (pricing.py), and a few creators carry each audience-quality problem so that every
flag can be shown. Emails use the reserved example.* domains so none reaches a person.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from itertools import accumulate
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ...influence.benchmarks import benchmark
from ...influence.platforms import Platform
from ...influence.pricing import estimate
from ...influence.tiers import Tier, TierThresholds

# (name, category, handle stems, hashtags (the first is the niche's own), topic words, bios)
NICHES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("food", "Food & Drink", "foodie eats bites kitchen cooks tastes",
     "#food #foodie #foodblogger #homecooking #recipes #foodstagram", "food|recipes|home cooking|street food",
     "Eating my way around {city} 🍜|Easy weeknight recipes from my tiny {city} kitchen|Food lover sharing the best bites in {city}"),
    ("vegan baking", "Food & Drink", "veganbakes plantbakes vbakes bakesvegan",
     "#veganbaking #veganbakingrecipes #plantbased #vegancake #vegandesserts #veganbaker", "vegan bakes|vegan baking|plant-based desserts",
     "Baking vegan cakes & plant-based desserts in {city}|Egg-free, dairy-free, still delicious: vegan baking from {city}|Vegan baker 🌱 cakes, cookies and brownies"),
    ("fitness", "Health & Fitness", "fit lifts gains strong trains",
     "#fitness #workout #gym #fitnessmotivation #strengthtraining #homeworkout", "fitness|strength training|workouts",
     "Personal trainer in {city} · strength training for busy people|Home workouts & honest fitness tips|Lifting heavy things in {city}, sharing what works 💪"),
    ("skincare", "Beauty", "skin glow skincare derm",
     "#skincare #skincareroutine #glowingskin #skincaretips #sensitiveskin #spf", "skincare|skin care routine|beauty",
     "Esthetician in {city} · skincare routines that actually work|Honest skincare reviews for sensitive skin|SPF every day ☀️ skincare tips & product reviews"),
    ("gaming", "Gaming", "plays gaming gg gamer quest",
     "#gaming #gamer #videogames #twitchstreamer #pcgaming #indiegames", "gaming|video games|let's plays",
     "Variety streamer from {city} · indie games & cosy chaos 🎮|Speedruns, reviews and gaming news|PC gamer playing everything so you don't have to"),
    ("travel", "Travel", "travels wanders roams abroad trips",
     "#travel #travelgram #wanderlust #travelblogger #budgettravel #solotravel", "travel|budget travel|city guides",
     "Based in {city}, usually somewhere else ✈️ budget travel tips|Solo travel guides & hidden gems|Slow travel, long train rides, good coffee"),
    ("sustainable fashion", "Fashion", "thrifts slowstyle ecostyle wears closet",
     "#sustainablefashion #slowfashion #thrifted #secondhandstyle #ethicalfashion #capsulewardrobe",
     "sustainable fashion|slow fashion|thrift hauls",
     "Sustainable fashion & thrift finds from {city} ♻️|Capsule wardrobe, secondhand style, no fast fashion|Slow fashion stylist in {city}: buy less, wear more"),
    ("mechanical keyboards", "Technology", "keebs keys switches thock keyboards",
     "#mechanicalkeyboards #mechanicalkeyboard #customkeyboard #keebs #desksetup #keyboards",
     "mechanical keyboards|custom keyboards|keebs",
     "Building and modding mechanical keyboards in {city} ⌨️|Switch reviews, sound tests & custom keyboard builds|Thocky keyboards and clean desk setups"),
    ("coffee", "Food & Drink", "coffee brews espresso beans barista",
     "#coffee #specialtycoffee #homebarista #latteart #pourover #espresso", "coffee|specialty coffee|home barista",
     "Home barista in {city} ☕ latte art & pour-over guides|Specialty coffee reviews and brewing tips|Coffee nerd from {city}: espresso, filter, beans"),
    ("parenting", "Family & Parenting", "mum dad parents littles family",
     "#parenting #momlife #dadlife #toddlerlife #parentingtips #familytime", "parenting|family life|toddler activities",
     "Parent of two in {city} · real-life parenting, no filter|Teacher and parent sharing easy toddler activities|Parenting tips & family-friendly days out in {city}"),
    ("personal finance", "Finance", "money budgets invests saves finance",
     "#personalfinance #budgeting #investing #moneytips #financialfreedom #savingmoney",
     "personal finance|budgeting|investing",
     "Budgeting & investing made simple 💸 based in {city}|Paid off my student loans, now sharing how|Personal finance for your twenties"),
    ("hiking", "Outdoors", "hikes trails peaks outdoors summits",
     "#hiking #hikingadventures #outdoors #trailrunning #mountains #getoutside", "hiking|trails|outdoors",
     "Weekend hikes near {city} ⛰️ trail guides & gear|Long-distance hiker, map nerd, tea in a flask|Trail reviews and beginner hiking tips"),
    ("plant-based recipes", "Food & Drink", "plantbased greens plants veggie plantkitchen",
     "#plantbasedrecipes #plantbased #vegan #veganrecipes #wholefoods #mealprep",
     "plant-based recipes|vegan recipes|meal prep",
     "Plant-based recipes that are quick & cheap 🌱 {city}|Vegan meal prep for busy weeks|Whole-food plant-based cooking from {city}"),
    ("yoga", "Health & Fitness", "yoga flows asana mindful",
     "#yoga #yogapractice #yogaeveryday #mindfulness #yogateacher #meditation", "yoga|mindfulness|meditation",
     "Yoga teacher in {city} · gentle flows & breathwork|Daily yoga for stiff desk workers|Mindfulness, meditation, slow mornings 🧘"),
    ("books", "Books & Literature", "reads books pages bookish shelf",
     "#books #booktok #bookstagram #bookreview #reading #booklover", "books|book reviews|reading",
     "Reading 100 books a year in {city} 📚|Honest book reviews: fantasy, romance & crime|Bookseller in {city} sharing what to read next"),
    ("photography", "Photography", "shoots lens frames photo film",
     "#photography #filmphotography #streetphotography #photooftheday #portraitphotography #35mm",
     "photography|film photography|street photography",
     "Street & film photography from {city} 📷|Photographer teaching composition and editing|Shooting 35mm film, sharing what I learn"),
)
_NICHE_WEIGHTS = (9, 5, 9, 8, 9, 8, 5, 4, 6, 7, 6, 5, 5, 5, 6, 5)

_NAMES = {
    "en": ("Mia Tom Ava Liam Zoe Noah Ella Jack Amara Sam Chloe Ben Priya Leo Grace Kai Hannah Omar Ruby Josh "
           "Isla Dan Maya Finn Aisha Theo Lily Ethan Nia Max",
           "Smith Jones Taylor Brown Wilson Evans Thomas Walker Patel Khan Murphy Clarke Hughes Reyes Carter Bennett"),
    "de": ("Lena Jonas Mia Lukas Hannah Felix Emma Paul Lea Ben Sophie Jan", "Müller Schmidt Weber Fischer Wagner Becker Hoffmann"),
    "fr": ("Léa Hugo Chloé Louis Manon Lucas Camille Jules Inès Théo", "Martin Bernard Dubois Moreau Laurent Girard Roux"),
    "es": ("Lucía Mateo Sofía Hugo Martina Pablo Valeria Diego Carmen Álvaro", "García López Martínez Sánchez Romero Navarro"),
    "nl": ("Sanne Daan Emma Luuk Fleur Sem Noor Bram", "Jansen Bakker Visser Smit Meijer Mulder"),
    "it": ("Giulia Luca Sofia Marco Chiara Matteo Sara Andrea", "Rossi Russo Ferrari Esposito Bianchi Romano"),
    "sv": ("Elsa Oscar Maja William Alva Hugo Ebba Lucas", "Andersson Johansson Karlsson Nilsson Eriksson"),
    "pt": ("Ana Pedro Beatriz Lucas Júlia Gabriel Larissa Rafael", "Silva Santos Oliveira Souza Costa Ferreira"),
    "hi": ("Aarav Ananya Rohan Diya Arjun Isha Kabir Meera", "Sharma Gupta Iyer Reddy Mehta Nair"),
}
# (country ISO 3166, content language ISO 639, name pool, weight, cities)
_PLACES = (
    ("US", "en", "en", 30, "Austin|Brooklyn|Portland|Chicago|Denver|Seattle|Los Angeles|Atlanta"),
    ("GB", "en", "en", 22, "London|Leeds|Manchester|Bristol|Glasgow|Edinburgh|Brighton|Cardiff"),
    ("CA", "en", "en", 6, "Toronto|Vancouver|Montreal"), ("AU", "en", "en", 6, "Melbourne|Sydney|Brisbane"),
    ("IE", "en", "en", 2, "Dublin|Cork"), ("IN", "en", "hi", 4, "Mumbai|Bangalore|Delhi"),
    ("DE", "de", "de", 7, "Berlin|Hamburg|Munich|Cologne"), ("FR", "fr", "fr", 5, "Paris|Lyon|Marseille"),
    ("ES", "es", "es", 4, "Madrid|Barcelona|Valencia"), ("MX", "es", "es", 2, "Mexico City|Guadalajara"),
    ("NL", "nl", "nl", 3, "Amsterdam|Utrecht|Rotterdam"), ("IT", "it", "it", 3, "Milan|Rome|Bologna"),
    ("SE", "sv", "sv", 2, "Stockholm|Gothenburg"), ("BR", "pt", "pt", 4, "São Paulo|Rio de Janeiro"),
)
_IN_LANGUAGE = {"de": "Videos auf Deutsch", "fr": "Contenu en français", "es": "Contenido en español",
                "nl": "In het Nederlands", "it": "Contenuti in italiano", "sv": "På svenska", "pt": "Conteúdo em português"}
_HANDLES = ("{s}.with.{f}", "{s}_by_{f}{d}", "{f}.{s}", "{f}{s}", "{s}.{c}", "{f}.{l}", "{f}{l}{d}",
            "the{s}{f}", "{f}_{s}{d}", "{s}_{f}", "{f}s{s}", "{s}{c}{d}")
_EXTRAS = ("", "", "📩 collabs via email", "DM for collabs", "Links below 👇", "New every week", "Tips every Tuesday")

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


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii() and ch.isalnum()).lower()


class _Vocabulary:
    """The word lists split once, so the per-creator loop only indexes."""

    def __init__(self) -> None:
        self.niches = [(name, cat, stems.split(), tags.split(), words.split("|"), bios.split("|"))
                       for name, cat, stems, tags, words, bios in NICHES]
        self.names = {k: ([(n, _ascii(n)) for n in first.split()], [(n, _ascii(n)) for n in last.split()])
                      for k, (first, last) in _NAMES.items()}
        self.places = [(c, lang, pool, [(city, _ascii(city)) for city in cities.split("|")])
                       for c, lang, pool, _, cities in _PLACES]
        self.place_cum = list(accumulate([p[3] for p in _PLACES]))
        self.niche_cum = list(accumulate(_NICHE_WEIGHTS))
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
    vocab = _Vocabulary()
    used: dict[Platform, set[str]] = {p: set() for p in Platform}
    person: _Person | None = None
    handle = ""
    for _ in range(n):
        platform = vocab.platforms[_pick(rng, vocab.platform_cum)]
        if person is None or handle in used[platform] or rng.random() >= 0.12:
            person = _person(rng, vocab)
            handle = _unique(rng, person.handle, used[platform])
        # else: the same person cross-posting on another platform under the same handle
        used[platform].add(handle)
        yield _creator(rng, vocab, platform, handle, person)


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


@dataclass(frozen=True, slots=True)
class _Person:
    """Who is behind an account: the same on every platform they post on."""

    country: str
    language: str
    display_name: str
    bio: str
    email: str | None
    niche: tuple
    handle: str


def _person(rng: random.Random, v: _Vocabulary) -> _Person:
    country, lang, pool, cities = v.places[_pick(rng, v.place_cum)]
    firsts, lasts = v.names[pool]
    (first, first_ascii), (last, last_ascii), (city, city_ascii) = rng.choice(firsts), rng.choice(lasts), rng.choice(cities)
    niche = v.niches[_pick(rng, v.niche_cum)]
    stem = rng.choice(niche[2])
    handle = rng.choice(_HANDLES).format(s=stem, f=first_ascii, l=last_ascii, c=city_ascii, d=rng.randint(1, 99))
    display = rng.choice((f"{first} {last}", f"{first} {last}", f"{first} {last[0]}.",
                          f"{first} · {niche[0].title()}", f"{niche[0].title()} with {first}"))
    bio = rng.choice(niche[5]).format(city=city)
    email = None
    if rng.random() < 0.4:
        local = rng.choice((f"{first_ascii}.{last_ascii}", handle.replace("_", "."), f"collabs.{handle}"))
        email = f"{local}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
    return _Person(country, lang, display, bio, email, niche, handle)


def _unique(rng: random.Random, handle: str, used: set[str]) -> str:
    candidate = handle
    while candidate in used:
        candidate = f"{handle}{rng.randint(2, 999)}"
    return candidate


def _creator(rng: random.Random, v: _Vocabulary, platform: Platform, handle: str, person: _Person) -> DemoCreator:
    tier = v.tiers[_pick(rng, v.tier_cum)]
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

    tags, words = person.niche[3], person.niche[4]
    extra = rng.choice(_EXTRAS)
    if extra.startswith("📩") and person.email is None:
        extra = ""
    if person.language in _IN_LANGUAGE and rng.random() < 0.7:
        extra = _IN_LANGUAGE[person.language]
    topics = " ".join([tags[0], *rng.sample(tags[1:], rng.randint(2, 4)), rng.choice(words)])

    fields: dict[str, object] = {
        "platform": platform, "handle": handle, "display_name": person.display_name, "followers": followers,
        "following": following, "posts_total": posts_total,
        "avg_likes": None if likes is None else round(likes, 1), "avg_comments": round(comments, 1),
        "avg_shares": None if shares is None else round(shares, 1), "avg_saves": None, "avg_views": views,
        "posts_sampled": sampled, "reported_rate_pct": None, "topics": topics, "category": person.niche[1],
        "bio": f"{person.bio} · {extra}" if extra else person.bio, "country": person.country,
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
