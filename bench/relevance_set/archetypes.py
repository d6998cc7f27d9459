"""Who posts what: creator archetypes, each a mix of post subjects, including hard negatives.

An archetype says what its creators' posts are about (`mix`: concept sets with weights), what
their bios say, how big they tend to be (`reach`), and the one-off posts and stray tags that make
real accounts hard to read: the travel blogger with one `#plantbased` meal, the interior designer
who tagged `#dessertinspo` once, the peanut-butter brand with `#plantbased #healthydessert` on
every jar, the slow-living account whose `#theartofslowliving` shares a word with latte art.
Stray tags (`decoys`) change only the words, never the ground truth: the post stays about what
it was generated from. Specialists lean nano/micro; broad accounts and brands lean micro/macro,
so a big partial match can outvalue a small whole one, as in real data.
"""

from __future__ import annotations

from dataclasses import dataclass

#: tier shares (emerging, nano, micro, macro, mega) by reach class
REACH = {"niche": (0.06, 0.55, 0.33, 0.055, 0.005), "broad": (0.02, 0.25, 0.43, 0.27, 0.03),
         "brand": (0.0, 0.10, 0.50, 0.38, 0.02)}


@dataclass(frozen=True, slots=True)
class Archetype:
    name: str
    weight: float
    category: str
    reach: str
    mix: tuple[tuple[frozenset[str], float], ...]
    bio: tuple[str, ...]  # concepts the bio names
    extras: tuple[frozenset[str], ...]  # one-off posts, each added with probability EXTRA_P
    decoys: tuple[tuple[str, float], ...]  # (tag, probability): a stray tag on one post about something else


EXTRA_P = 0.85


def _a(name: str, weight: float, category: str, reach: str, mix: str, bio: str, extras: str = "",
       decoys: str = "") -> Archetype:
    def concepts(spec: str) -> frozenset[str]:
        return frozenset(spec.split("+"))
    return Archetype(
        name, weight, category, reach,
        tuple((concepts(s.split(":")[0]), float(s.split(":")[1])) for s in mix.split()),
        tuple(bio.split()), tuple(concepts(s) for s in extras.split()),
        tuple((d.split(":")[0], float(d.split(":")[1])) for d in decoys.split()))


ARCHETYPES: tuple[Archetype, ...] = (
    # food: specialists, generalists and the accounts that only borrow food words
    _a("vegan dessert baker", 55, "Food & Drink", "niche",
       "vegan+dessert+baking:5 vegan+baking+bread:1 vegan+cooking:2 lifestyle:1", "vegan baking dessert"),
    _a("plant-based dessert maker", 40, "Food & Drink", "niche",
       "plant_based+dessert:5 plant_based+cooking:2 lifestyle:1", "plant_based dessert"),
    _a("gluten-free baker", 40, "Food & Drink", "niche",
       "gluten_free+baking+dessert:4 gluten_free+baking+bread:2 gluten_free+cooking:2", "gluten_free baking"),
    _a("pastry baker", 60, "Food & Drink", "broad",
       "baking+dessert:5 bread:2 cake_decorating:1 coffee:1", "baking dessert"),
    _a("cake decorator", 40, "Food & Drink", "niche", "cake_decorating:6 baking+dessert:1", "cake_decorating"),
    _a("sourdough baker", 40, "Food & Drink", "niche", "sourdough:6 bread:2 cooking:1", "sourdough"),
    _a("vegan home cook", 60, "Food & Drink", "niche",
       "vegan+cooking:5 vegan+meal_prep:2 vegan+dessert:0.6 lifestyle:1", "vegan cooking"),
    _a("meal prep coach", 45, "Health & Fitness", "niche",
       "meal_prep:4 fitness:2 strength_training:1", "meal_prep fitness"),
    _a("keto cook", 35, "Food & Drink", "niche", "keto+cooking:5 keto+dessert:1 fitness:1", "keto cooking"),
    _a("food blogger", 80, "Food & Drink", "broad", "food:4 street_food:2 dessert:1 coffee:1 cooking:1", "food",
       extras="plant_based+food", decoys="vegan:0.3"),
    _a("street food photographer", 35, "Food & Drink", "broad",
       "street_food+food_photography:4 food_photography:2 travel:2", "food_photography street_food",
       decoys="streetStyle:0.3 photoOfTheDay:0.5"),
    _a("peanut butter brand", 15, "Food & Drink", "brand", "peanut_butter_brand:6 fitness:1", "peanut_butter_brand",
       decoys="plantBased:0.9 vegan:0.6 healthyDessert:0.7 dessert:0.4 glutenFree:0.5 keto:0.3 veganSnacks:0.4"),
    # coffee, and accounts that use "art" or coffee words for something else
    _a("latte artist", 45, "Food & Drink", "niche",
       "latte_art:5 specialty_coffee:2 coffee:1", "latte_art coffee"),
    _a("specialty coffee reviewer", 45, "Food & Drink", "niche",
       "specialty_coffee:5 coffee:2 latte_art:0.3", "specialty_coffee"),
    _a("slow living", 50, "Lifestyle", "broad", "slow_living:3 coffee:2 home_decor:1 books:1", "slow_living coffee",
       decoys="theArtOfSlowLiving:0.8 coffeeArt:0.15 latte:0.3"),
    _a("book artist", 30, "Art", "niche", "book_art:4 books:2 coffee:1", "book_art books",
       decoys="coffeeAndBooks:0.6 art:0.5"),
    # home
    _a("minimalist home", 45, "Home & Garden", "niche", "minimalism+home_decor:5 minimalism+lifestyle:2 slow_living:1",
       "minimalism home_decor"),
    _a("interior designer", 55, "Home & Garden", "broad", "interior_design:6 home_decor:2 art:0.5", "interior_design",
       decoys="dessertInspo:0.5 minimalist:0.35 plantBased:0.1 minimalism:0.2"),
    _a("capsule wardrobe minimalist", 35, "Fashion", "niche", "minimalism+fashion:4 sustainable_fashion:2 home_decor:0.5",
       "minimalism fashion", decoys="minimalistHome:0.2"),
    _a("urban gardener", 35, "Home & Garden", "niche", "urban_gardening:5 gardening:1", "urban_gardening"),
    _a("houseplant gardener", 40, "Home & Garden", "broad", "gardening:4 home_decor:1", "gardening",
       decoys="urbanJungle:0.4"),
    # travel and money
    _a("budget traveller in Europe", 40, "Travel", "niche",
       "budget_travel+europe:5 europe:2 budget_travel+asia:1", "budget_travel europe"),
    _a("luxury traveller", 45, "Travel", "broad", "luxury_travel+europe:5 luxury_travel:2 food:1",
       "luxury_travel travel", decoys="travelTips:0.4"),
    _a("backpacker in Asia", 40, "Travel", "niche", "budget_travel+asia:5 travel:2 food:1", "budget_travel asia"),
    _a("travel blogger", 55, "Travel", "broad", "travel:6 europe:1 asia:1", "travel",
       extras="plant_based+food europe+dessert", decoys="plantBasedFood:0.2 desserts:0.2"),
    _a("vanlifer", 30, "Travel", "broad", "vanlife:4 hiking:2 dogs:1", "vanlife", decoys="budgetTravel:0.4 europe:0.3"),
    _a("personal finance", 45, "Finance", "broad", "personal_finance:6 lifestyle:1", "personal_finance",
       extras="europe", decoys="budgetTravel:0.25 travelHacks:0.3"),
    # fitness and outdoors
    _a("trail runner", 40, "Health & Fitness", "niche", "trail_running:5 hiking:1 running:1", "trail_running"),
    _a("road runner", 45, "Health & Fitness", "broad", "marathon:5 running:2", "marathon running",
       decoys="trail:0.3 runningTrails:0.2"),
    _a("hiker", 50, "Outdoors", "broad", "hiking:5 travel:1", "hiking", decoys="trailRunningShoes:0.1 run:0.2"),
    _a("hiker with a dog", 35, "Outdoors", "niche", "hiking+dogs:5 dogs:2", "hiking dogs"),
    _a("dog account", 40, "Pets", "broad", "dogs:6 hiking+dogs:0.3", "dogs", decoys="hike:0.3"),
    _a("strength coach", 45, "Health & Fitness", "niche", "strength_training:5 fitness:1 meal_prep:1",
       "strength_training"),
    _a("home workout coach", 40, "Health & Fitness", "niche", "home_workout:5 yoga:1", "home_workout"),
    _a("gym influencer", 50, "Health & Fitness", "broad", "fitness:5 lifestyle:1 strength_training:0.5", "fitness",
       decoys="homeGym:0.3 training:0.5"),
    _a("beginners' yoga teacher", 40, "Health & Fitness", "niche", "yoga+beginners:4 yoga:3 meditation:1",
       "yoga beginners"),
    _a("advanced yoga", 40, "Health & Fitness", "broad", "advanced_yoga:5 yoga:2 meditation:1", "yoga advanced_yoga",
       decoys="beginnerFriendly:0.1"),
    _a("photography teacher", 25, "Photography", "niche", "photography+beginners:4 photography:2", "photography beginners"),
    # beauty and fashion
    _a("men's skincare", 40, "Beauty", "niche", "skincare+mens_grooming:5 mens_grooming:2 menswear:1",
       "mens_grooming skincare"),
    _a("skincare creator", 65, "Beauty", "broad", "skincare:5 makeup:2", "skincare", decoys="forMen:0.1"),
    _a("menswear", 40, "Fashion", "broad", "menswear:5 mens_grooming:1", "menswear", decoys="skincare:0.3"),
    _a("nail artist", 40, "Beauty", "niche", "nail_art:6 makeup:1", "nail_art"),
    _a("makeup artist", 45, "Beauty", "broad", "makeup:5 skincare:1", "makeup"),
    _a("sustainable fashion", 45, "Fashion", "niche", "sustainable_fashion:5 lifestyle:1", "sustainable_fashion"),
    _a("fashion haul", 55, "Fashion", "broad", "fashion:6", "fashion", decoys="sustainable:0.2 thrifted:0.3"),
    # kids
    _a("kids science", 40, "Family & Parenting", "niche",
       "kids+science_experiments:5 kids+diy_crafts:2 parenting:1", "science_experiments kids"),
    _a("parenting", 60, "Family & Parenting", "broad", "parenting+kids:5 toddler_activities:1 food:1", "parenting",
       decoys="science:0.2"),
    _a("toddler activities", 40, "Family & Parenting", "niche", "toddler_activities:5 parenting:2",
       "toddler_activities"),
    _a("science communicator", 35, "Education", "broad", "science:5 books:1", "science",
       decoys="experiment:0.4 kidsOfInstagram:0.1"),
    # photography and art
    _a("street photographer", 40, "Photography", "niche", "street_photography:5 film_photography:1 travel:1",
       "street_photography"),
    _a("film photographer", 40, "Photography", "niche", "film_photography:5 photography:2", "film_photography"),
    _a("portrait photographer", 45, "Photography", "broad", "photography:5 fashion:1", "photography",
       decoys="streetStyle:0.3"),
    _a("watercolour painter", 35, "Art", "niche", "watercolor:5 art:2", "watercolor"),
    _a("painter", 40, "Art", "broad", "art:5 diy_crafts:1", "art", decoys="paintingTutorial:0.3"),
    # books, games, tech, lifestyle
    _a("fantasy book reviewer", 40, "Books & Literature", "niche", "fantasy_books:5 books:2", "fantasy_books"),
    _a("book reviewer", 55, "Books & Literature", "broad", "books:6 coffee:1", "books",
       decoys="fantasy:0.2 bookArt:0.2"),
    _a("indie games", 40, "Gaming", "niche", "indie_games:5 gaming:2", "indie_games"),
    _a("gamer", 50, "Gaming", "broad", "gaming:6", "gaming", decoys="games:0.5"),
    _a("indie musician", 30, "Music", "broad", "indie_music:5", "indie_music", decoys="gameMusic:0.2"),
    _a("keyboard builder", 35, "Technology", "niche", "mech_keyboards:5 desk_setup:2", "mech_keyboards"),
    _a("desk setup", 35, "Technology", "broad", "desk_setup:5 mech_keyboards:0.4", "desk_setup",
       decoys="keyboard:0.5"),
    _a("lifestyle", 60, "Lifestyle", "broad", "lifestyle:5 travel:1 food:1 fitness:1 fashion:1", "lifestyle",
       decoys="vegan:0.1 yoga:0.1 coffee:0.3"),
)
