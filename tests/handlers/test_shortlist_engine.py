"""The shortlist engine through signed Slack requests: matching, exclusions, optimality, synonyms."""

from __future__ import annotations

import re

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of
from influencer_bot.influence.platforms import Platform


def _items(message) -> dict[str, str]:
    """handle -> the text of its entry."""
    return {b["text"]["text"].split("*")[1].lstrip("@"): b["text"]["text"] for b in message["blocks"]
            if b.get("block_id", "").startswith("shortlist.item:")}


def _footer(message) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b.get("block_id") == "shortlist.footer")


def _relevance(text: str) -> float:
    return float(re.search(r"relevance (\d\.\d\d)", text).group(1))


def _reply(exchange) -> str:
    return next(c["params"]["text"] for c in exchange.calls if c["method"] == "response_url")


def test_vegan_baking_finds_every_spelling_and_ranks_all_words_first(driver, session_factory):
    add(session_factory, TEAM,
        baker("tagged", 20_000, 800, topics="#veganbaking", bio="Sweet things"),
        baker("recipes", 20_000, 800, topics="#veganbakingrecipes", bio="Sweet things"),
        baker("bakes", 20_000, 800, topics="vegan bakes", bio="Sweet things"),
        baker("cakes", 20_000, 800, topics="#desserts", bio="Baking vegan cakes in Leeds"),
        baker("halfway", 20_000, 800, topics="#vegan", bio="Salads and smoothies"),
        baker("keebs", 20_000, 800, topics="#mechanicalkeyboards", bio="Keyboards"))
    # match:any reads the niche word by word; by default "vegan baking" (three creators carry the
    # joined term) is one concept, found only through the phrase (test_find_whole_niche.py)
    driver.command("find vegan baking 20000 match:any")
    items = _items(driver.messages()[-1])
    assert set(items) == {"tagged", "recipes", "bakes", "cakes", "halfway"}
    assert all(_relevance(items[h]) >= 0.6 for h in ("tagged", "recipes", "bakes", "cakes"))
    assert _relevance(items["tagged"]) == 1.0 and _relevance(items["cakes"]) < 1.0  # bio counts less than topics
    assert _relevance(items["halfway"]) < 0.5  # one word of two
    assert "matches every word" in items["tagged"] and "partial match: vegan only" in items["halfway"]


def test_a_workspace_synonym_makes_plant_based_desserts_a_full_match(driver, session_factory):
    add(session_factory, TEAM, baker("pbd", 20_000, 800, topics="plant-based desserts", bio="Sweet things"),
        baker("other", 20_000, 800, topics="#veganbaking", bio="Sweet things"))
    driver.command("find vegan baking 20000")
    assert _relevance(_items(driver.messages()[-1])["pbd"]) < 0.5  # "desserts" is a built-in synonym of baking

    added = driver.command("config synonym plant-based = vegan")
    assert "added" in _reply(added)
    driver.command("find vegan baking 20000")
    assert _relevance(_items(driver.messages()[-1])["pbd"]) == 1.0
    listed = _reply(driver.command("config synonym list"))
    assert "plant-based = vegan" in listed

    with LocalDriver(driver.services, team_id=OTHER_TEAM, slack=driver.slack) as other:
        add(session_factory, OTHER_TEAM, baker("pbd", 20_000, 800, topics="plant-based desserts", bio="Sweet"))
        other.command("find vegan baking 20000")
        assert _relevance(_items(other.messages()[-1])["pbd"]) < 0.5  # the synonym is not theirs
        assert "no synonyms of its own" in _reply(other.command("config synonym list"))

    assert "Removed 1 synonym" in _reply(driver.command("config synonym remove plant-based"))
    driver.command("find vegan baking 20000")
    assert _relevance(_items(driver.messages()[-1])["pbd"]) < 0.5


def test_bad_synonym_is_answered_in_the_ack(driver):
    exchange = driver.command("config synonym vegan")
    assert "joined by" in exchange.ack["text"] and "config synonym plant-based = vegan" in exchange.ack["text"]


def test_every_exclusion_reason_is_counted(driver, session_factory):
    add(session_factory, TEAM,
        baker("good", 20_000, 800, price_usd=600), baker("spare", 8_000, 400, price_usd=300),
        baker("tiny", 500, 40, price_usd=20),                      # under 1,000 followers
        baker("bought", 50_000, 50, price_usd=400),                # engagement 0.12%: blocking flag
        baker("hidden", 20_000, None, price_usd=300),              # likes hidden: no usable metrics
        baker("flat", 20_000, 300, price_usd=200),                 # 1.55% engagement, under min-er:3
        baker("pricey", 20_000, 800, price_usd=5_000))             # more than the whole budget
    driver.command("find vegan baking 2000")
    reject = next(b for b in buttons_of(driver.messages()[-1], driver.channel_id)
                  if b.text == "Reject" and "spare" in next(
                      t for bid, t in _blocks_text(driver.messages()[-1]) if bid == b.block_id.replace(".actions", "")))
    driver.reject(reject)

    driver.command("find vegan baking 2000 min-er:3")
    footer = _footer(driver.messages()[-1])
    for reason in ("1 rejected recently (90 days; 180 for audience quality)", "1 under 1,000 followers", "1 blocking quality flags",
                   "1 no usable metrics", "1 below the minimum engagement", "1 priced above the whole budget"):
        assert reason in footer
    assert list(_items(driver.messages()[-1])) == ["good"]


def _blocks_text(message):
    return [(b.get("block_id"), b["text"]["text"]) for b in message["blocks"] if b.get("text", {}).get("text")]


def test_find_is_optimal_where_greedy_by_value_per_dollar_is_wrong(driver, session_factory):
    # Budget $100: "dense" has the best engagements per dollar, but the two $50 creators together
    # are worth more, and after "dense" only one of them would fit.
    add(session_factory, TEAM,
        baker("dense", 2_000, 150, comments=0, price_usd=10, posts=12),
        baker("half1", 10_000, 400, comments=0, price_usd=50, posts=12),
        baker("half2", 10_000, 400, comments=0, price_usd=50, posts=12))
    driver.command("find vegan baking 100")
    message = driver.messages()[-1]
    assert set(_items(message)) == {"half1", "half2"}
    assert "$100 of $100" in _footer(message)


def test_footer_explains_the_pick(driver, session_factory):
    add(session_factory, TEAM, baker("a", 20_000, 1_500, price_usd=600), baker("b", 8_000, 800, price_usd=300),
        baker("c", 12_000, 1_000, price_usd=400), baker("star", 400_000, 3_000, price_usd=1_900))
    driver.command("find vegan baking 2000")
    message = driver.messages()[-1]
    footer = _footer(message)
    assert "*left*" in footer and "Cost per expected engagement" in footer
    assert re.search(r"\d+\.\d× the expected engagements of the best single creator within \$2,000", footer)
    assert all("ER " in t and "per expected engagement" in t for t in _items(message).values())


def test_no_match_suggests_near_niches(driver, session_factory):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600),
        baker("keys", 20_000, 800, price_usd=600, topics="#mechanicalkeyboards", bio="Keyboards"))
    reply = _reply(driver.command("find keybords 2000"))
    assert "No creators in this workspace match “keybords”" in reply and "“keyboard”" in reply


def test_platform_and_tier_narrow_the_pool(driver, session_factory):
    add(session_factory, TEAM, baker("gram", 20_000, 800, price_usd=300),
        baker("tok", 20_000, 800, price_usd=300, platform=Platform.TIKTOK, views=40_000),
        baker("nanotok", 5_000, 300, price_usd=50, platform=Platform.TIKTOK, views=8_000))
    driver.command("find vegan baking 2000 platform:tiktok tier:micro")
    assert list(_items(driver.messages()[-1])) == ["tok"]
