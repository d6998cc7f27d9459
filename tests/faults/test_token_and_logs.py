"""The token is checked once at start-up; every log line of a request carries the id its user is shown."""

from __future__ import annotations

import json
import logging

import pytest

from conftest import TEAM
from influencer_bot.bot import cli
from influencer_bot.bot.local.driver import LocalDriver
from influencer_bot.bot.local.signing import slash_command_body
from influencer_bot.bot.runtime import configure_logging
from influencer_bot.bot.slack_client import BotIdentity, SlackPolicy, TokenRefused, check_token, make_web_client

FAST = SlackPolicy(timeout_s=0.5, attempts=1, backoff_s=0.01)


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def test_a_refused_token_stops_run_with_one_clear_line(slack, monkeypatch, tmp_path, capsys, restore_logging):
    monkeypatch.chdir(tmp_path)  # no .env here
    for name, value in {"SLACK_BOT_TOKEN": "xoxb-revoked-123", "SLACK_SIGNING_SECRET": "s3cret",
                        "SLACK_API_URL": slack.api_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}.items():
        monkeypatch.setenv(name, value)
    slack.error_next("auth.test", "invalid_auth")
    assert cli.main(["run", "--no-scheduler"]) == 2
    err = capsys.readouterr().err
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in err and "xoxb-revoked" not in err
    assert not (tmp_path / "bot.db").exists()  # it stopped before touching anything


@pytest.mark.parametrize("fault", ["hanging", "5xx"])
def test_a_slack_that_cannot_be_reached_at_start_up_only_warns(fault, slack, caplog):
    if fault == "hanging":
        slack.hang_next("auth.test")
    else:
        slack.fail_next("auth.test", 503, times=FAST.attempts + 1)
    try:
        assert check_token(make_web_client("xoxb-ok", slack.api_url, FAST)) == BotIdentity()
    finally:
        slack.release_hung()
    assert "starting anyway" in caplog.text


def test_a_good_token_gives_the_bot_identity(slack):
    with pytest.raises(TokenRefused):
        slack.error_next("auth.test", "token_revoked")
        check_token(make_web_client("xoxb-ok", slack.api_url, FAST))
    identity = check_token(make_web_client("xoxb-ok", slack.api_url, FAST))
    assert identity.bot_id and identity.user_id and identity.team_id


def test_json_log_lines_carry_the_request_id_the_user_is_given(services, slack, capsys, restore_logging):
    configure_logging("INFO", "json")
    with LocalDriver(services, team_id=TEAM, slack=slack) as driver:
        def boom(ack):  # type: ignore[no-untyped-def]  # a listener with a bug nobody caught
            ack()
            logging.getLogger("influencer_bot.test").warning("about to fail")
            raise RuntimeError("kaboom")

        driver.app.command("/boom")(boom)
        body = slash_command_body(team_id=TEAM, user_id="U1", channel_id="C1", text="", command="/boom",
                                  response_url=slack.new_response_url(channel="C1", user="U1"))
        reply = driver.dispatch(body).ack["text"]  # listeners run before the ack: the apology is the answer
        driver.command("help")  # another request: another id
    error_id = reply.split("error id `")[1].split("`")[0]
    assert "try again" not in reply.lower()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line["request_id"] == error_id]
    assert {line["message"] for line in ours} >= {"about to fail", f"unhandled error failed (error id {error_id})"}
    assert all(line["level"] in {"INFO", "WARNING", "ERROR"} and "time" in line for line in lines)
