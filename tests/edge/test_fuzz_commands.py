"""Property: whatever follows `/influencer`, the parser answers with work to do or a message for the user.

Words are drawn from what people type (every subcommand and its keywords, options, quotes of both
kinds, budgets, dates, invisible characters) mixed with arbitrary Unicode, so most examples get
past the first word and reach the subcommands' own parsers.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEAM
from edge_world import examples
from influencer_bot.bot.local.signing import sign_request, slash_command_body
from influencer_bot.handlers.commands.influencer import SUBCOMMANDS
from influencer_bot.handlers.commands.prepared import Prepared
from influencer_bot.handlers.replies import user_error_text
from influencer_bot.influence.errors import UserError

KEYWORDS = [*SUBCOMMANDS, "new", "list", "show", "close", "post", "price", "synonym", "remove", "now", "weekly",
            "daily", "off", "=", "campaign:", 'campaign:"Vegan baking"', "tz:Europe/Paris", "tz:Mars/Olympus",
            "max:3", "max:0", "max:99999999999999999999", "goal:sales", "niche:", "platform:tiktok", '"', "“", "”",
            "'", "2000", "$1,500", "-5", "1e309", "0", "99999999999999999999999", "2026-12-01", "2026-02-30",
            "today", "@veganbakes", "https://www.instagram.com/p/Cabc123/", "\u200b", "\u3164", "\x00", "vegan",
            "baking", "плант", "烘焙", "🍰"]
WORDS = st.one_of(st.sampled_from(KEYWORDS), st.text(max_size=20))
TEXTS = st.one_of(st.lists(WORDS, max_size=10).map(" ".join), st.text(max_size=400))


@settings(max_examples=examples(200), deadline=None, database=None)
@given(name=st.sampled_from(sorted(SUBCOMMANDS)), rest=TEXTS)
def test_every_subcommand_parser_returns_work_or_a_message(name, rest):
    try:
        prepared = SUBCOMMANDS[name](rest)
    except UserError as err:
        assert err.message.strip()
        assert user_error_text(err).startswith(":warning: ")
        return
    assert isinstance(prepared, Prepared)
    assert prepared.work is not None or prepared.ack_text or prepared.ack_blocks


APOLOGY = "something went wrong"


@settings(max_examples=examples(60),
          deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_through_the_app_every_command_is_acknowledged_and_never_apologised_for(driver, text):
    """The same, sent signed through the edge and the app: a 200 ack, and neither the ack nor any reply after
    it is the apology for an unexpected error (the driver also raises any error escaping the work)."""
    body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text=text,
                              response_url=driver.slack.new_response_url(channel="C1", user="U1"))
    exchange = driver.through_edge(body.text.encode(), sign_request(body, driver.signing_secret))
    if "\x00" in text:  # no Slack client sends NUL, and PostgreSQL could not store it
        assert exchange.status == 400 and exchange.calls == []
        return
    assert exchange.status == 200
    said = [exchange.ack or {}] + [c["params"] for c in exchange.calls]
    assert not any(APOLOGY in str(s.get("text", "")) for s in said), said
