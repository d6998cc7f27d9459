"""Shared by the pipeline tests: a posted shortlist, counts of rows, and requests as Slack delivers them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conftest import TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import Button, LocalDriver, buttons_of
from influencer_bot.bot.local.signing import SlackBody, block_actions_body, slash_command_body
from influencer_bot.storage.models import AcceptedWork, Decision, Shortlist

RETRY = {"X-Slack-Retry-Reason": "http_timeout"}


def retry_headers(n: int) -> dict[str, str]:
    return {"X-Slack-Retry-Num": str(n), **RETRY}


def find_body(driver: LocalDriver, text: str = "find vegan baking 2000", *, user: str | None = None) -> SlackBody:
    user = user or driver.user_id
    return slash_command_body(team_id=driver.team_id, user_id=user, channel_id=driver.channel_id, text=text,
                              response_url=driver.slack.new_response_url(channel=driver.channel_id, user=user))


def click_body(driver: LocalDriver, button: Button, *, user: str) -> SlackBody:
    message = next(m for m in driver.messages(button.channel) if m.get("ts") == button.message_ts)
    return block_actions_body(
        team_id=driver.team_id, user_id=user, channel_id=button.channel, message=message,
        action={"action_id": button.action_id, "block_id": button.block_id, "value": button.value},
        response_url=driver.slack.new_response_url(message_ts=button.message_ts, channel=button.channel, user=user))


def count(session_factory, model, *where) -> int:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def bakers(session_factory):  # type: ignore[no-untyped-def]
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300),
        baker("levain.lou", 15_000, 700, price_usd=450), baker("bäckerei_anna", 9_500, 380, price_usd=250))


def posted_buttons(driver: LocalDriver) -> list[Button]:
    driver.command("find vegan baking 2000")
    return buttons_of(driver.messages()[-1], driver.channel_id)


__all__ = ["AcceptedWork", "Decision", "Shortlist", "TEAM"]
