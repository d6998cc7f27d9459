"""Who is behind a demo account: name, home, niche, handle, bio and email, in words that ring true.

The population's numbers (tiers, engagement, prices, growth) follow DOMAIN.md and live in
population.py; this is the other half, the words: niches with their hashtags, topics and bios,
names by language, cities by country (weighted like a real creator market), handle patterns.
Kept apart because it is content, edited for a better demo (a niche, a country) without
touching the statistics, and because a person is the same on every platform they post on,
while each account has numbers of its own. Emails use the reserved example.* domains so none
reaches a person.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

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


class Words:
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


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii() and ch.isalnum()).lower()


def pick(rng: random.Random, cumulative: list[float]) -> int:
    """An index drawn with the weights whose running sums are `cumulative`."""
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


@dataclass(frozen=True, slots=True)
class Person:
    """Who is behind an account: the same on every platform they post on."""

    country: str
    language: str
    display_name: str
    bio: str
    email: str | None
    niche: tuple
    handle: str


def new_person(rng: random.Random, w: Words) -> Person:
    country, lang, pool, cities = w.places[pick(rng, w.place_cum)]
    firsts, lasts = w.names[pool]
    (first, first_ascii), (last, last_ascii), (city, city_ascii) = rng.choice(firsts), rng.choice(lasts), rng.choice(cities)
    niche = w.niches[pick(rng, w.niche_cum)]
    stem = rng.choice(niche[2])
    handle = rng.choice(_HANDLES).format(s=stem, f=first_ascii, l=last_ascii, c=city_ascii, d=rng.randint(1, 99))
    display = rng.choice((f"{first} {last}", f"{first} {last}", f"{first} {last[0]}.",
                          f"{first} · {niche[0].title()}", f"{niche[0].title()} with {first}"))
    bio = rng.choice(niche[5]).format(city=city)
    email = None
    if rng.random() < 0.4:
        local = rng.choice((f"{first_ascii}.{last_ascii}", handle.replace("_", "."), f"collabs.{handle}"))
        email = f"{local}@{rng.choice(('example.com', 'example.org', 'example.net'))}"
    return Person(country, lang, display, bio, email, niche, handle)


def unique_handle(rng: random.Random, handle: str, used: set[str]) -> str:
    """The handle, or with a number appended when it is taken on that platform."""
    candidate = handle
    while candidate in used:
        candidate = f"{handle}{rng.randint(2, 999)}"
    return candidate


def account_words(rng: random.Random, person: Person) -> tuple[str, str]:
    """(bio, topics) of one of the person's accounts: their bio with an extra line, and the
    niche's own hashtag with a few others and a topic word."""
    tags, words = person.niche[3], person.niche[4]
    extra = rng.choice(_EXTRAS)
    if extra.startswith("📩") and person.email is None:
        extra = ""
    if person.language in _IN_LANGUAGE and rng.random() < 0.7:
        extra = _IN_LANGUAGE[person.language]
    topics = " ".join([tags[0], *rng.sample(tags[1:], rng.randint(2, 4)), rng.choice(words)])
    return (f"{person.bio} · {extra}" if extra else person.bio), topics
