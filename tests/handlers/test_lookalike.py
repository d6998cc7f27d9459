"""`/influencer find like:@handle <budget>`: creators like a given one, through signed requests.

The workspace is shaped like a real one: most creators carry generic tags (#instagood,
#photooftheday, #love), topics are written in several languages and forms, and the bakers
who resemble the seed say so in different words. Similarity is judged by what creators post
about, IDF-weighted, so sharing only generic tags makes no one alike.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from sqlalchemy import select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.models import Shortlist

GENERIC = "#instagood #photooftheday #love #reels"
SEED = baker("crumbandrye", 25_000, 1_200, price_usd=700,
             topics=f"#sourdough #veganbaking #glutenfree #rye {GENERIC}", bio="Slow sourdough, plant-based bakes")
ALIKE = [
    baker("levain_lab", 18_000, 900, price_usd=500, topics=f"#sourdough #levain #rye #bread {GENERIC}",
          bio="Wild yeast, long ferments"),
    baker("panmasamadre", 30_000, 1_500, price_usd=650, topics=f"#masamadre #sourdough #panvegano #veganbaking #love",
          bio="Pan de masa madre 🌾"),
    baker("gf_crumbs", 12_000, 700, price_usd=300, topics=f"#glutenfree #veganbaking #glutenfreebaking {GENERIC}",
          bio="Gluten-free and vegan"),
]
UNLIKE = [  # the generic tags, and nothing else in common
    baker("summit_sam", 40_000, 2_500, price_usd=400, topics=f"#hiking #trailrunning #mountains {GENERIC}",
          bio="Trails and peaks"),
    baker("pixel_pete", 35_000, 2_000, price_usd=350, topics=f"#tech #gadgets #unboxing {GENERIC}", bio="Gadgets"),
    baker("lipgloss_li", 50_000, 3_000, price_usd=450, topics=f"#makeup #skincare #beauty {GENERIC}", bio="Glow"),
    baker("wanderwen", 22_000, 1_100, price_usd=300, topics=f"#travel #wanderlust #beach {GENERIC}", bio="Away"),
    baker("fitfran", 28_000, 1_400, price_usd=380, topics=f"#fitness #gym #workout {GENERIC}", bio="Lift"),
]
TIKTOK_TWIN = baker("crumbandrye_tt", 20_000, 1_300, price_usd=500, platform=Platform.TIKTOK,
                    topics="#sourdough #veganbaking #rye #glutenfree", bio="Sourdough on TikTok")


def _lines(message) -> dict[str, str]:
    """handle -> the text of its line on the shortlist."""
    out = {}
    for b in message["blocks"]:
        Block.parse(b).validate_json()
        if b.get("block_id", "").startswith("shortlist.item:"):
            out[b["text"]["text"].split("*")[1].lstrip("@")] = b["text"]["text"]
    return out


def test_like_finds_creators_who_post_about_the_same_things(driver, session_factory):
    add(session_factory, TEAM, SEED, *ALIKE, *UNLIKE, TIKTOK_TWIN)
    exchange = driver.command("find like:@crumbandrye 5000")
    assert exchange.status == 200 and "Finding creators like @crumbandrye within $5,000" in exchange.ack["text"]
    lines = _lines(driver.messages()[-1])
    assert set(lines) == {"levain_lab", "panmasamadre", "gf_crumbs"}  # not itself, not the generic-tag crowd,
    # and not the TikTok twin: the seed's own platform unless told otherwise
    assert "shares #rye, #sourdough (similarity" in lines["levain_lab"]  # rarer tag first: it adds more
    assert "#veganbaking" in lines["gf_crumbs"] and "#glutenfree" in lines["gf_crumbs"]
    assert "#instagood" not in " ".join(lines.values())
    with session_factory() as s:
        shortlist = s.scalars(select(Shortlist)).one()
    assert shortlist.niche == "like @crumbandrye" and shortlist.options["like"] == "crumbandrye"


def test_platform_any_and_another_platform_widen_or_move_the_search(driver, session_factory):
    add(session_factory, TEAM, SEED, *ALIKE, *UNLIKE, TIKTOK_TWIN)
    driver.command("find like:@crumbandrye 5000 platform:any")
    assert "crumbandrye_tt" in _lines(driver.messages()[-1])
    driver.command("find like:@crumbandrye 5000 platform:tiktok")
    assert set(_lines(driver.messages()[-1])) == {"crumbandrye_tt"}


def test_the_budget_and_approve_buttons_work_as_on_any_shortlist(driver, session_factory):
    add(session_factory, TEAM, SEED, *ALIKE, *UNLIKE)
    driver.command("find like:@crumbandrye 800 max:2")
    message = driver.messages()[-1]
    lines = _lines(message)
    assert 1 <= len(lines) <= 2
    prices = {"levain_lab": 500, "panmasamadre": 650, "gf_crumbs": 300}
    assert sum(prices[h] for h in lines) <= 800
    from influencer_bot.bot.local.driver import buttons_of
    approve = next(b for b in buttons_of(message, driver.channel_id) if b.action_id.endswith("approve"))
    assert driver.click(approve).status == 200
    assert "Approved" in str(driver.messages()[-1]["blocks"])


def test_an_unknown_or_termless_seed_says_what_to_do(driver, session_factory):
    add(session_factory, TEAM, SEED, *ALIKE, baker("blank_slate", 9_000, 300, price_usd=100, topics="", bio=""))
    said = str(driver.command("find like:@crumbandry 2000").calls) + str(driver.command("find like:@crumbandry 2000").ack)
    assert "No creator @crumbandry in this workspace to look like. Did you mean @crumbandrye?" in said
    said = str(driver.command("find like:@blank_slate 2000").calls)
    assert "@blank_slate has no topics, category or bio to compare with" in said


def test_bad_like_requests_are_refused_with_an_example(driver):
    for text, expected in (("find like:@crumbandrye vegan 2000", "leave out the niche words"),
                           ("find like:@crumbandrye 2000 match:any", "match: is for niche searches"),
                           ("find like:@@ 2000", "like: takes a creator's handle")):
        ack = driver.command(text).ack["text"]
        assert expected in ack and "find like:@veganbakes 2000" in ack


def test_another_workspaces_creators_are_never_alike(driver, services, slack, session_factory):
    add(session_factory, TEAM, SEED, *UNLIKE)
    add(session_factory, OTHER_TEAM, *ALIKE)
    driver.command("find like:@crumbandrye 5000")
    said = str(driver.messages()[-1]) + str(driver.slack.calls)
    assert not any(h.handle in said for h in ALIKE)


def _said(exchange) -> str:
    return "\n".join([exchange.ack.get("text", "") if exchange.ack else ""]
                     + [str(c["params"]) for c in exchange.calls if c["method"] in ("response_url", "chat.postEphemeral")])


def test_why_not_on_a_lookalike_shortlist(driver, session_factory):
    add(session_factory, TEAM, SEED, *ALIKE, *UNLIKE)
    driver.command("find like:@crumbandrye 800 max:1")
    (picked,) = _lines(driver.messages()[-1])
    said = _said(driver.command("why @summit_sam"))
    assert "is not enough like @crumbandrye: similarity 0.00, and a lookalike needs 0.15 or more" in said
    assert "shares nothing distinctive" in said
    loser = next(h.handle for h in ALIKE if h.handle != picked and h.quoted_price_cents <= 80_000)
    said = _said(driver.command(f"why @{loser}"))
    assert "a better set fits the budget without it" in said and f"@{picked}" in said
