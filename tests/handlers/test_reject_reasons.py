"""Reject asks why: a modal with five reasons and a note, recorded once, shown everywhere the decision is."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.driver import buttons_of, reject_values
from influencer_bot.bot.local.signing import view_submission_body
from influencer_bot.handlers.button_values import STALE
from influencer_bot.handlers.ids import BlockId
from influencer_bot.storage.models import AcceptedWork, Decision, utcnow

REASONS = ["off-brand", "too expensive", "audience quality", "already working with us", "other"]


def _shortlist(driver, session_factory, *extra):
    add(session_factory, TEAM, baker("crumbs", 20_000, 800, price_usd=600), baker("sift", 8_000, 400, price_usd=300),
        baker("knead", 15_000, 700, price_usd=500), *extra)
    driver.command("find vegan baking 2000")
    return driver.messages()[-1]


def _reject_button(driver, handle: str):
    message = [m for m in driver.messages() if m.get("text", "").startswith("Shortlist")][-1]
    owner = next(b["block_id"] for b in message["blocks"] if f"@{handle}" in json.dumps(b)
                 and b.get("block_id", "").startswith("shortlist.item:"))
    return next(b for b in buttons_of(message, driver.channel_id)
                if b.text == "Reject" and b.block_id == owner.replace("shortlist.item", "shortlist.item.actions"))


def _open(driver, handle: str, user: str = "UMANAGER") -> dict:
    before = len(driver.opened_views())
    exchange = driver.click(_reject_button(driver, handle), user_id=user)
    assert exchange.status == 200
    (view,) = driver.opened_views()[before:]
    return view


def _decisions(session_factory) -> list[tuple[str, str, str | None, str | None]]:
    with session_factory() as s:
        return [(d.decision, d.user_id, d.reason, d.note) for d in s.scalars(select(Decision).order_by(Decision.id))]


def _decided_line(driver, handle: str) -> str:
    message = [m for m in driver.messages() if m.get("text", "").startswith("Shortlist")][-1]
    blocks = message["blocks"]
    at = next(i for i, b in enumerate(blocks) if b.get("block_id", "").startswith("shortlist.item:")
              and f"@{handle}" in json.dumps(b))
    return blocks[at + 1]["elements"][0]["text"]


def test_reject_opens_a_modal_with_the_five_reasons_and_records_nothing_yet(driver, session_factory):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    radios = next(b for b in view["blocks"] if b.get("block_id") == BlockId.REJECT_REASON)["element"]
    assert [o["text"]["text"] for o in radios["options"]] == REASONS
    note = next(b for b in view["blocks"] if b.get("block_id") == BlockId.REJECT_NOTE)
    assert note["optional"] is True and note["element"]["max_length"] == 300
    assert "180 days" in json.dumps(view) and "90 days" in json.dumps(view)
    assert _decisions(session_factory) == []  # closing the modal (Slack sends us nothing) leaves it so
    assert not driver.slack.calls_to("chat.update")


def test_a_submitted_reason_and_note_are_stored_and_shown_on_the_message_and_the_creator(driver, session_factory):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    exchange = driver.submit_view(view, reject_values("audience_quality", "  bought followers\n"),
                                  user_id="UMANAGER")
    assert exchange.status == 200 and not exchange.ack  # the modal closes
    assert _decisions(session_factory) == [("rejected", "UMANAGER", "audience_quality", "bought followers")]
    assert [c["method"] for c in exchange.calls] == ["chat.update"]
    line = _decided_line(driver, "crumbs")
    assert ":x: Rejected by <@UMANAGER> · audience quality: “bought followers” · <!date^" in line
    card = json.dumps(driver.command("creator crumbs").calls, ensure_ascii=False)
    assert "Rejected by <@UMANAGER> for “vegan baking” · audience quality: “bought followers”" in card


def test_a_reason_is_required_and_a_missing_one_is_said_on_the_form(driver, session_factory):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    exchange = driver.submit_view(view, {BlockId.REJECT_NOTE: reject_values("x", "meh")[BlockId.REJECT_NOTE]})
    assert exchange.ack["response_action"] == "errors"
    assert "Pick a reason: off-brand, too expensive" in exchange.ack["errors"][BlockId.REJECT_REASON]
    bogus = driver.submit_view(view, reject_values("bribed"))
    assert bogus.ack["response_action"] == "errors"
    assert _decisions(session_factory) == []


@pytest.mark.parametrize("note", ["<@U0BOSS> said no <!channel> <https://evil.example|click>",
                                  "*bold* _it_ ~gone~ `code` & more"])
def test_a_note_cannot_mention_link_or_format(driver, session_factory, note):
    _shortlist(driver, session_factory)
    driver.submit_view(_open(driver, "crumbs"), reject_values("other", note), user_id="UMANAGER")
    assert _decisions(session_factory)[0][3] == note  # stored as typed
    shown = [_decided_line(driver, "crumbs"),
             json.dumps(driver.command("creator crumbs").calls, ensure_ascii=False)]
    for text in shown:
        assert "<@U0BOSS>" not in text and "<!channel>" not in text and "<https://" not in text
        for mark in "*_~`":
            assert f"{mark}bold" not in text and f"{mark}it" not in text and f"{mark}gone" not in text \
                and f"{mark}code" not in text
    assert "&lt;@U0BOSS&gt;" in shown[0] or "\u200b*\u200bbold" in shown[0]


def test_two_submissions_at_once_make_one_decision_and_the_other_learns_who(driver, session_factory):
    _shortlist(driver, session_factory)
    users = ["UAMY", "UBEN", "UCAL", "UDEE"]
    views = [_open(driver, "crumbs", user) for user in users]
    driver.slack.clear()
    start = threading.Barrier(len(users))

    def submit(args):
        view, user = args
        start.wait()
        return driver.submit_view(view, reject_values("off_brand", f"says {user}"), user_id=user)

    with ThreadPoolExecutor(len(users)) as pool:
        exchanges = list(pool.map(submit, zip(views, users)))
    assert all(e.status == 200 and not e.ack for e in exchanges)
    (decision,) = _decisions(session_factory)
    winner = decision[1]
    assert decision[3] == f"says {winner}"
    told = driver.slack.calls_to("chat.postEphemeral")
    assert sorted(c.params["user"] for c in told) == sorted(u for u in users if u != winner)
    assert all(f"already rejected by <@{winner}>" in c.params["text"] for c in told)
    assert len(driver.slack.calls_to("chat.update")) == 1


def test_a_click_on_reject_after_someone_decided_says_who_instead_of_asking(driver, session_factory):
    _shortlist(driver, session_factory)
    button = _reject_button(driver, "crumbs")
    driver.click(next(b for b in buttons_of(driver.messages()[-1], driver.channel_id)
                      if b.text == "Approve" and b.block_id == button.block_id), user_id="UFIN")
    before = len(driver.opened_views())
    again = driver.click(button, user_id="UMANAGER")
    assert len(driver.opened_views()) == before
    assert "already approved by <@UFIN>" in again.calls[0]["params"]["text"]


def test_a_retried_submission_records_redraws_and_says_nothing_twice(driver, session_factory):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    body = view_submission_body(team_id=TEAM, user_id="UMANAGER", view=view,
                                values=reject_values("too_expensive", "over $500"))
    first = driver.dispatch(body)
    retried = driver.dispatch(body, extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == retried.status == 200 and not retried.ack
    assert retried.calls == []
    assert len(_decisions(session_factory)) == 1
    assert len(driver.slack.calls_to("chat.update")) == 1
    with session_factory() as s:
        assert len(s.scalars(select(AcceptedWork).where(AcceptedWork.kind == "refresh")).all()) == 1


@pytest.mark.parametrize("forged", [
    None,  # dropped
    "not json",
    '{"shortlist":1,"item":999999}',  # no such item
    "MOVED",  # a real item, under another shortlist
])
def test_a_forged_or_stale_private_metadata_is_refused_and_nothing_is_stored(driver, session_factory, forged):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    meta = json.loads(view["private_metadata"])
    sent = {k: v for k, v in view.items() if k != "private_metadata"}
    if forged == "MOVED":
        sent["private_metadata"] = json.dumps({"shortlist": meta["shortlist"] + 1, "item": meta["item"]})
    elif forged is not None:
        sent["private_metadata"] = forged
    exchange = driver.submit_view(sent, reject_values("off_brand"), user_id="UMANAGER")
    assert exchange.ack["response_action"] == "errors"
    assert exchange.ack["errors"][BlockId.REJECT_REASON] == STALE[:150]
    assert _decisions(session_factory) == []


def test_a_submission_from_another_workspace_cannot_reject(driver, session_factory):
    _shortlist(driver, session_factory)
    view = _open(driver, "crumbs")
    body = view_submission_body(team_id=OTHER_TEAM, user_id="UMANAGER", view=view, values=reject_values("off_brand"))
    exchange = driver.dispatch(body)
    assert exchange.ack["response_action"] == "errors"
    assert _decisions(session_factory) == []


def _found(driver) -> str:
    return json.dumps(driver.messages()[-1].get("blocks") or driver.messages()[-1])


def test_audience_quality_keeps_a_creator_out_for_180_days_other_reasons_for_90(driver, session_factory, monkeypatch):
    _shortlist(driver, session_factory)
    driver.submit_view(_open(driver, "crumbs"), reject_values("audience_quality", "bots"), user_id="UMANAGER")
    driver.submit_view(_open(driver, "sift"), reject_values("too_expensive"), user_id="UMANAGER")
    now = utcnow()

    def search_at(days: int) -> str:
        monkeypatch.setattr("influencer_bot.storage.search.finder.utcnow", lambda: now + timedelta(days=days))
        driver.command("find vegan baking 2000")
        return _found(driver)

    found = search_at(89)
    assert "@crumbs" not in found and "@sift" not in found and "@knead" in found
    found = search_at(91)
    assert "@crumbs" not in found and "@sift" in found
    found = search_at(179)
    assert "@crumbs" not in found
    found = search_at(181)
    assert "@crumbs" in found and "@sift" in found


def test_why_not_names_the_reason_and_its_window(driver, session_factory):
    _shortlist(driver, session_factory)
    driver.submit_view(_open(driver, "crumbs"), reject_values("audience_quality", "bots"), user_id="UMANAGER")
    driver.command("find vegan baking 2000")
    said = json.dumps(driver.command("why @crumbs").calls, ensure_ascii=False)
    assert "was rejected (audience quality) by <@UMANAGER>" in said
    assert "creators rejected for “audience quality” are left out for 180 days" in said
    assert "90 days for any other reason" in said
