"""Payloads for tests/edge: a shortlist with real buttons, the payload of a click on one, and the
database state a click could change, so a test can tamper with any field and check what happened."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import select

from factories import add, baker
from influencer_bot.bot.local.driver import Button, Exchange, LocalDriver, buttons_of
from influencer_bot.bot.local.signing import block_actions_body, sign_raw, view_submission_body
from influencer_bot.handlers.ids import ActionId, BlockId
from influencer_bot.storage.models import Campaign, CampaignMember, Decision, Shortlist, ShortlistItem, ShortlistRound

FORM = "application/x-www-form-urlencoded"


def examples(default: int) -> int:
    """Hypothesis examples per fuzz test: modest for the suite; FUZZ_EXAMPLES=2000 for a long hunt."""
    return int(os.environ.get("FUZZ_EXAMPLES", default))


def shortlist_world(driver: LocalDriver, session_factory) -> list[Button]:  # type: ignore[no-untyped-def]
    """A campaign, and a shortlist of three creators with every button on it."""
    add(session_factory, driver.team_id, baker("top", 20_000, 1_600, price_usd=900),
        baker("second", 20_000, 1_200, price_usd=800), baker("third", 20_000, 1_000, price_usd=700))
    driver.command('campaign new "Vegan baking launch" 5000')
    driver.command("find vegan baking 2000 max:3")
    message = next(m for m in reversed(driver.messages()) if m.get("text", "").startswith("Shortlist"))
    return buttons_of(message, driver.channel_id)


def click_payload(driver: LocalDriver, button: Button, user_id: str | None = None) -> dict[str, Any]:
    """The interactivity payload Slack sends for a click on `button`."""
    message = next(m for m in driver.messages(button.channel) if m.get("ts") == button.message_ts)
    user = user_id or driver.user_id
    body = block_actions_body(
        team_id=driver.team_id, user_id=user, channel_id=button.channel, message=message,
        action={"action_id": button.action_id, "block_id": button.block_id, "value": button.value},
        response_url=driver.slack.new_response_url(message_ts=button.message_ts, channel=button.channel, user=user))
    return json.loads(parse_qs(body.text)["payload"][0])


def submission_payload(driver: LocalDriver, view: dict[str, Any], campaign_value: Any) -> dict[str, Any]:
    """The payload of the add-to-campaign modal submitted with `campaign_value` as the picked option's value."""
    values = {BlockId.CAMPAIGN_PICK.value: {ActionId.PICK_CAMPAIGN.value: {
        "type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "x"},
                                                     "value": campaign_value}}}}
    body = view_submission_body(team_id=driver.team_id, user_id=driver.user_id, view=view, values=values)
    return json.loads(parse_qs(body.text)["payload"][0])


def send(driver: LocalDriver, payload: Any, *, raw_json: str | None = None) -> Exchange:
    """POST `payload` (or a JSON text as is), form-encoded and signed as Slack does, through the edge."""
    raw = urlencode({"payload": raw_json if raw_json is not None else json.dumps(payload)}).encode()
    return driver.through_edge(raw, sign_raw(raw, FORM, driver.signing_secret))


def state(session_factory) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Every row a click or a submission could write, in every workspace."""
    with session_factory() as s:
        return {
            "decisions": s.execute(select(Decision.team_id, Decision.shortlist_item_id, Decision.decision,
                                          Decision.user_id)).all(),
            "items": s.execute(select(ShortlistItem.id, ShortlistItem.status).order_by(ShortlistItem.id)).all(),
            "rounds": s.execute(select(ShortlistRound.shortlist_id, ShortlistRound.round)).all(),
            "shortlists": s.execute(select(Shortlist.id, Shortlist.campaign_id).order_by(Shortlist.id)).all(),
            "campaigns": s.execute(select(Campaign.id, Campaign.name, Campaign.status)).all(),
            "members": s.execute(select(CampaignMember.id)).all(),
        }
