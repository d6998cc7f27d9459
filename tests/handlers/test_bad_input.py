"""Every bad input gets a private message that says what was wrong and shows what works."""

from __future__ import annotations

import pytest

from conftest import TEAM
from factories import add, baker


@pytest.mark.parametrize("text, expected", [
    ("find", "Give a budget"),
    ("find vegan baking", "Give a budget"),
    ("find 2000", "which niche"),
    ("find vegan baking 0", "more than $0"),
    ("find vegan baking -5", "can't be negative"),
    ("find vegan baking 1000000000000", "more than the"),
    ("find vegan baking 2000 platform:myspace", "platform “myspace”"),
    ("find vegan baking 2000 tier:giga", "tier “giga”"),
    ("find vegan baking 2000 max:0", "max: takes a whole number"),
    ("find vegan baking 2000 max:500", "max: takes a whole number"),
    ("find vegan baking 2000 min-er:abc", "min-er: takes a percentage"),
    ("find " + "cake " * 1000 + "2000", "too long"),
    ("find 🍰 cake 2000", "only words"),
    ("find '; DROP TABLE creators;-- 2000", "only words"),
    ("find <script>alert(1)</script> 2000", "only words"),
    ("find *bold* _it_ 2000", "only words"),
    ("creator", "Which creator?"),
    ("creator two words", "“words” is not a platform"),
    ("creator three word handle", "one word"),
    ("creator someone myspace", "“myspace” is not a platform"),
    ("digest daily 25:00", "not a time of day"),
    ("digest daily 09:00 tz:Mars/Olympus", "not a timezone"),
    ("digest weekly funday", "not a day of the week"),
    ("digest weekly 09:00", "needs a day"),
    ("digest daily", "at what time"),
    ("digest", "use `digest daily`"),
    ("digest hourly 09:00", "not something digest does"),
    ("digest daily 09:00 chart:maybe", "chart: takes on or off"),
    ("digest now extra words", "takes no"),
    ("digest off tz:UTC", "does not take `tz:`"),
])
def test_bad_input_is_answered_in_the_ack_with_an_example(driver, text, expected):
    exchange = driver.command(text)
    assert exchange.status == 200
    assert exchange.ack["response_type"] == "ephemeral"
    assert expected.lower() in exchange.ack["text"].lower()
    assert "Try: `/influencer" in exchange.ack["text"]
    assert driver.slack.calls_to("chat.postMessage") == []


def test_unknown_subcommand_shows_help(driver):
    exchange = driver.command("frobnicate " + "x" * 5000)
    assert "I don't know" in exchange.ack["text"]
    assert len(exchange.ack["text"]) < 200  # the 5,000 characters are not echoed back
    help_text = " ".join(b["text"]["text"] for b in exchange.ack["blocks"] if b["type"] == "section")
    assert "/influencer find vegan baking 2000" in help_text


def test_help(driver):
    exchange = driver.command("help")
    texts = " ".join(b.get("text", {}).get("text", "") for b in exchange.ack["blocks"])
    assert "/influencer creator" in texts and "/influencer find" in texts


def test_unexpected_failure_is_an_apology_with_an_error_id_not_a_trace(driver, session_factory, monkeypatch):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600))
    from influencer_bot.handlers.commands import find

    def broken(*args, **kwargs):
        raise RuntimeError("database exploded: secret details")

    monkeypatch.setattr(find, "propose", broken)
    exchange = driver.command("find vegan baking 2000")
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert "Sorry, something went wrong" in reply["params"]["text"]
    assert "error id" in reply["params"]["text"]
    assert "secret details" not in reply["params"]["text"] and "Traceback" not in reply["params"]["text"]
