"""kill -9 of a real `influencer-bot run` during a burst of Approve clicks, then a restart: not one
acknowledged click is lost, none is recorded twice, and the message updates the dead process owed
are made by the next one. Over real HTTP, signed as Slack signs, against the Slack stand-in."""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select

from conftest import TEAM
from influencer_bot.bot.local.bot_process import BotProcess, cli
from influencer_bot.bot.local.driver import buttons_of
from influencer_bot.bot.local.signing import block_actions_body, slash_command_body
from influencer_bot.storage.models import AcceptedWork, Decision, ShortlistItem

CHANNEL = "C0BURST"
NICHES = ("vegan baking", "fitness", "skincare", "gaming", "travel", "coffee", "hiking", "personal finance")


def _post_shortlists(bot: BotProcess, slack) -> list[dict]:  # type: ignore[no-untyped-def]
    for niche in NICHES:
        body = slash_command_body(team_id=TEAM, user_id="UASKER", channel_id=CHANNEL, text=f"find {niche} 20k max:20",
                                  response_url=slack.new_response_url(channel=CHANNEL, user="UASKER"))
        assert bot.post(body).status_code == 200
    slack.wait_for(lambda c: c.method in ("chat.postMessage", "response_url") and not c.failed, len(NICHES),
                   timeout=120)
    return [m for m in slack.messages(CHANNEL) if not m.get("ephemeral")]


def test_kill_9_during_a_burst_of_approves_loses_no_acknowledged_click(db_url, slack, session_factory, tmp_path: Path):
    cli("demo-data", "--creators", "600", "--workspace", TEAM, env={**os.environ, "DATABASE_URL": db_url})
    log = tmp_path / "bot.log"
    extra = {"WORK_LEASE_SECONDS": "1"}
    bot = BotProcess(db_url, slack.api_url, log_path=log, extra_env=extra).start()
    try:
        messages = _post_shortlists(bot, slack)
        approves = [(m, b) for m in messages for b in buttons_of(m, CHANNEL) if b.text == "Approve"]
        assert len(approves) >= 40, f"only {len(approves)} creators to approve"

        acked: list[int] = []
        enough = threading.Event()
        lock = threading.Lock()

        def click(message: dict, button) -> None:  # type: ignore[no-untyped-def]
            body = block_actions_body(
                team_id=TEAM, user_id="UMANAGER", channel_id=CHANNEL, message=message,
                action={"action_id": button.action_id, "block_id": button.block_id, "value": button.value},
                response_url=slack.new_response_url(message_ts=message["ts"], channel=CHANNEL, user="UMANAGER"))
            try:
                ok = bot.post(body).status_code == 200
            except httpx.TransportError:  # the process is gone: Slack would show this click as failed
                return
            if ok:
                with lock:
                    acked.append(json.loads(button.value)["item"])
                    if len(acked) >= len(approves) // 3:
                        enough.set()

        with ThreadPoolExecutor(16) as pool:
            futures = [pool.submit(click, m, b) for m, b in approves]
            assert enough.wait(timeout=120)
            bot.kill()
            for f in futures:
                f.result()
    finally:
        bot.stop()

    restarted = BotProcess(db_url, slack.api_url, log_path=log, extra_env=extra).start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _pending(session_factory):
            time.sleep(0.1)  # polling the database the restarted process works on
        assert _pending(session_factory) == 0, restarted.log_tail()
    finally:
        restarted.stop()

    with session_factory() as s:
        per_item = dict(s.execute(select(Decision.shortlist_item_id, func.count()).group_by(Decision.shortlist_item_id)
                                  ).all())
        approved = set(s.scalars(select(ShortlistItem.id).where(ShortlistItem.status == "approved")))
    lost = [item for item in acked if per_item.get(item, 0) != 1]
    assert lost == [], f"{len(lost)} acknowledged clicks lost of {len(acked)}"
    assert max(per_item.values()) == 1  # no click recorded twice
    assert set(acked) <= approved


def _pending(session_factory) -> int:  # type: ignore[no-untyped-def]
    with session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(AcceptedWork).where(AcceptedWork.status == "pending"))
                   or 0)
