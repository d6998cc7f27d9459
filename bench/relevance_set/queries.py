"""The niche queries of the labelled set and the rule that judges who belongs to each.

The rule (also in RULES.md, beside this file): a creator belongs to a query when at least
MIN_POSTS of its sampled posts, and at least MIN_SHARE of them, are each about every concept of
the query, a post's concepts counted with what they imply (a latte-art post is a coffee post, a
sourdough post a bread and baking post). It reads only the ground truth the generator kept
(which concepts each post was generated from), never tags, bios or the product's matcher: a
`#theartofslowliving` coffee post is not a latte-art post, and one `#plantbased` meal does not
make a travel blogger a plant-based dessert creator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .concepts import CONCEPTS
from .generate import SynthCreator

MIN_POSTS = 2
MIN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Query:
    niche: str  # as a marketer types it
    budget_usd: int
    concepts: frozenset[str]


def _q(niche: str, budget: int, concepts: str) -> Query:
    return Query(niche, budget, frozenset(concepts.split()))


QUERIES: tuple[Query, ...] = (
    _q("plant based desserts", 5000, "plant_based dessert"),
    _q("coffee latte art", 3000, "coffee latte_art"),
    _q("vegan baking", 2000, "vegan baking"),
    _q("trail running", 4000, "trail_running"),
    _q("sourdough bread", 1500, "sourdough"),
    _q("minimalist home decor", 5000, "minimalism home_decor"),
    _q("budget travel europe", 8000, "budget_travel europe"),
    _q("kids science experiments", 3000, "kids science_experiments"),
    _q("skincare for men", 6000, "skincare mens_grooming"),
    _q("gluten free baking", 2500, "gluten_free baking"),
    _q("yoga for beginners", 3000, "yoga beginners"),
    _q("street photography", 2000, "street_photography"),
    _q("specialty coffee", 2500, "specialty_coffee"),
    _q("mechanical keyboards", 3000, "mech_keyboards"),
    _q("vegan recipes", 4000, "vegan cooking"),
    _q("meal prep", 3000, "meal_prep"),
    _q("film photography", 2000, "film_photography"),
    _q("strength training", 5000, "strength_training"),
    _q("home workouts", 4000, "home_workout"),
    _q("indie games", 5000, "indie_games"),
    _q("sustainable fashion", 6000, "sustainable_fashion"),
    _q("fantasy book reviews", 2000, "fantasy_books"),
    _q("cake decorating", 2500, "cake_decorating"),
    _q("toddler activities", 3000, "toddler_activities"),
    _q("hiking with dogs", 3000, "hiking dogs"),
    _q("keto recipes", 2500, "keto cooking"),
    _q("watercolor painting", 1500, "watercolor"),
    _q("nail art", 3000, "nail_art"),
    _q("urban gardening", 2000, "urban_gardening"),
    _q("personal finance", 5000, "personal_finance"),
)


@lru_cache(maxsize=None)
def closure(concepts: frozenset[str]) -> frozenset[str]:
    """The concepts with everything they imply, transitively."""
    out, todo = set(concepts), list(concepts)
    while todo:
        for implied in CONCEPTS[todo.pop()].implies:
            if implied not in out:
                out.add(implied)
                todo.append(implied)
    return frozenset(out)


def belongs(creator: SynthCreator, query: Query) -> bool:
    on_topic = sum(1 for p in creator.posts if query.concepts <= closure(p.concepts))
    return on_topic >= MIN_POSTS and on_topic >= MIN_SHARE * len(creator.posts)


def relevant(creators: list[SynthCreator], query: Query) -> set[tuple[str, str]]:
    """(platform, handle) of every creator that belongs to the query."""
    return {c.key for c in creators if belongs(c, query)}
