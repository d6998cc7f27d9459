"""Replace rejected: refill for the budget left, through signed requests, once however clicked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import LocalDriver, buttons_of
from influencer_bot.handlers.button_values import STALE
from influencer_bot.storage.models import ShortlistItem
from influencer_bot.storage.models import ShortlistRound


def _handles(message) -> list[str]:
    return [b["text"]["text"].split("*")[1].lstrip("@") for b in message["blocks"]
            if b.get("block_id", "").startswith("shortlist.item:")]


def _button(driver, text: str, handle: str | None = None):
    message = driver.messages()[-1]
    for b in buttons_of(message, driver.channel_id):
        if b.text != text:
            continue
        if handle is None:
            return b
        item = b.block_id.split(":")[1]
        entry = next(x for x in message["blocks"] if x.get("block_id") == f"shortlist.item:{item}")
        if f"*@{handle}*" in entry["text"]["text"]:
            return b
    return None


def _rows(session_factory) -> list[tuple[str, str]]:
    from influencer_bot.storage.models import Creator

    with session_factory() as s:
        return [(h, st) for h, st in s.execute(select(Creator.handle, ShortlistItem.status)
                                              .join(Creator, Creator.id == ShortlistItem.creator_id)
                                              .order_by(ShortlistItem.position))]


def _shortlist(driver, session_factory):
    add(session_factory, TEAM, baker("top", 20_000, 1_600, price_usd=900), baker("second", 20_000, 1_200, price_usd=800),
        baker("third", 20_000, 1_000, price_usd=700), baker("fourth", 20_000, 600, price_usd=600))
    driver.command("find vegan baking 2000 max:2")
    assert _handles(driver.messages()[-1]) == ["top", "second"]
    assert _button(driver, "Replace rejected") is None  # nothing rejected yet


def test_replace_rejected_keeps_approved_and_adds_the_best_for_the_budget_left(driver, session_factory):
    _shortlist(driver, session_factory)
    driver.click(_button(driver, "Approve", "top"))
    driver.reject(_button(driver, "Reject", "second"))
    exchange = driver.click(_button(driver, "Replace rejected"), user_id="UBOSS")
    (update,) = [c for c in exchange.calls if c["method"] == "chat.update"]
    assert _handles(driver.messages()[-1]) == ["top", "second", "third"]  # $900 kept, $1,100 left: third fits
    assert _rows(session_factory) == [("top", "approved"), ("second", "rejected"), ("third", "proposed")]
    assert "$1,600 of $2,000" in update["params"]["blocks"][-2]["text"]["text"]
    with session_factory() as s:
        (round_,) = s.scalars(select(ShortlistRound)).all()
    assert (round_.round, round_.user_id, round_.added) == (1, "UBOSS", 1)


def test_a_second_click_adds_nothing_and_says_why(driver, session_factory):
    _shortlist(driver, session_factory)
    driver.reject(_button(driver, "Reject", "second"))
    button = _button(driver, "Replace rejected")
    driver.click(button)
    again = driver.click(button)
    assert [c["method"] for c in again.calls] == ["response_url"]
    assert "every slot" in again.calls[0]["params"]["text"]  # max:2 is reached again
    assert [h for h, _ in _rows(session_factory)] == ["top", "second", "third"]


def test_clicks_at_once_add_one_round(driver, session_factory):
    _shortlist(driver, session_factory)
    driver.reject(_button(driver, "Reject", "second"))
    button = _button(driver, "Replace rejected")
    start = threading.Barrier(6)

    def click(user):
        start.wait()
        return driver.click(button, user_id=user)

    with ThreadPoolExecutor(6) as pool:
        exchanges = list(pool.map(click, [f"U{i}" for i in range(6)]))
    assert all(e.status == 200 for e in exchanges)
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ShortlistRound)) == 1
        creators = s.scalars(select(ShortlistItem.creator_id)).all()
    assert len(creators) == len(set(creators)) == 3


def test_another_workspace_cannot_refill(driver, services, session_factory, slack):
    _shortlist(driver, session_factory)
    driver.reject(_button(driver, "Reject", "second"))
    button = _button(driver, "Replace rejected")
    with LocalDriver(services, team_id=OTHER_TEAM, slack=slack) as intruder:
        exchange = intruder.click(button)
    (reply,) = [c for c in exchange.calls if c["method"] == "response_url"]
    assert STALE in reply["params"]["text"]
    assert len(_rows(session_factory)) == 2
