"""`influencer-bot shortlist`: the Slack command's engine from a terminal, on both databases."""

from __future__ import annotations

import json

import pytest

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot import cli


@pytest.fixture
def run(db_url, session_factory, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300),
        baker("proof", 50_000, 1_500, price_usd=1_500), baker("tiny", 500, 40, price_usd=20))
    add(session_factory, OTHER_TEAM, baker("elsewhere", 20_000, 900, price_usd=100))

    def invoke(*args: str) -> tuple[int, str, str]:
        code = cli.main(["shortlist", *args, "--workspace", TEAM])
        out = capsys.readouterr()
        return code, out.out, out.err
    return invoke


def test_json_is_the_documented_shape(run):
    code, out, _ = run("vegan baking", "2000", "max:5", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"pool", "excluded", "chosen", "total_price_cents", "objective", "optimal", "gap"}
    assert data["pool"] == 4 and data["excluded"] == {"emerging": 1}
    assert data["optimal"] is True and data["gap"] == 0.0
    assert [c["handle"] for c in data["chosen"]] == ["proof", "sift"]  # proof + crumbs would cost $2,100
    for c in data["chosen"]:
        assert set(c) == {"platform", "handle", "price_cents", "expected_value", "relevance", "partial", "shares"}
        assert c["shares"] == []  # a niche search: only lookalikes say what they share
        assert c["platform"] == "instagram" and 0 < c["relevance"] <= 1
        assert c["partial"] is None or c["partial"].startswith("partial match: ")
    assert data["total_price_cents"] == sum(c["price_cents"] for c in data["chosen"]) <= 200_000
    assert data["objective"] == pytest.approx(sum(c["expected_value"] for c in data["chosen"]), rel=1e-6)


def test_table_and_the_same_errors_as_slack(run):
    code, out, _ = run("vegan baking", "2000")
    assert code == 0 and "@proof" in out and "Proven optimal." in out and "@elsewhere" not in out
    for args, message in [(("vegan", "2000", "max:0"), "max: takes a whole number from 1 to 20"),
                          (("vegan", "2000", "max:500"), "max: takes a whole number from 1 to 20"),
                          (("vegan", "2000", "platform:myspace"), "platform “myspace”"),
                          (("vegan", "2000", "min-er:abc"), "min-er: takes a percentage"),
                          (("vegan", "2000", "campaign:Launch"), "takes no campaign")]:
        code, _, err = run(*args)
        assert code == 2 and message in err


def test_budget_below_the_cheapest_creator_and_no_match(run):
    _, out, _ = run("vegan baking", "50")
    assert "none fits $50" in out and "priced above the whole budget" in out
    _, out, _ = run("vegan bakng", "50", "--json")
    assert json.loads(out)["chosen"] == []
    _, out, _ = run("bakng", "2000")
    assert "No creators match “bakng”" in out and "bake" in out


def test_like_from_the_terminal(run, session_factory):
    add(session_factory, TEAM, baker("rye_and_rise", 15_000, 700, price_usd=400, topics="#sourdough #rye #veganbaking"),
        baker("levain", 15_000, 600, price_usd=300, topics="#sourdough #rye #levain"),
        *(baker(f"hiker{i}", 15_000, 600, price_usd=300, topics="#hiking #mountains") for i in range(4)))
    code, out, _ = run("--like", "@rye_and_rise", "2000", "--json")
    assert code == 0
    chosen = json.loads(out)["chosen"]
    assert "levain" in [c["handle"] for c in chosen] and "rye_and_rise" not in [c["handle"] for c in chosen]
    assert not any(c["handle"].startswith("hiker") for c in chosen)
    levain = next(c for c in chosen if c["handle"] == "levain")
    assert levain["shares"][:2] == ["#rye", "#sourdough"] and 0 < levain["relevance"] <= 1
    code, _, err = run("--like", "@nobody_here", "2000")
    assert code == 2 and "No creator @nobody_here in this workspace to look like" in err
