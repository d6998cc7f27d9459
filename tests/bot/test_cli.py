"""The `influencer-bot` command as a new user meets it: ask, console, run, /healthz."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import create_engine

from influencer_bot.bot import cli
from influencer_bot.bot.server import wsgi_app
from influencer_bot.storage.db import make_engine


@pytest.fixture
def local_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "bot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return db


def test_ask_json_on_first_start_loads_demo_data_and_posts_a_valid_shortlist(local_db, capsys):
    assert cli.main(["ask", "--json", "/influencer find vegan baking 2000"]) == 0
    out = capsys.readouterr()
    assert "loading demo data" in out.err
    sent = json.loads(out.out)
    assert sent[0]["method"] == "ack"
    (post,) = [s for s in sent if s["method"] == "chat.postMessage"]
    blocks = post["params"]["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
    items = [b for b in blocks if b.get("block_id", "").startswith("shortlist.item:")]
    assert len(items) >= 3
    prices = [b["text"]["text"] for b in items]
    assert all(("(quoted)" in t) or ("(estimate" in t) for t in prices)


def test_ask_why_explains_the_channels_latest_shortlist_from_the_terminal(local_db, capsys):
    assert cli.main(["ask", "--channel", "C0EMPTY", "/influencer why @zoeplantkitchen"]) == 0
    assert "There is no shortlist in this channel yet" in capsys.readouterr().out
    assert cli.main(["ask", "/influencer find vegan baking 2000"]) == 0
    capsys.readouterr()
    assert cli.main(["ask", "--json", "/influencer why @zoeplantkitchen"]) == 0
    (reply,) = [s for s in json.loads(capsys.readouterr().out) if s["method"] == "response_url"]
    for block in reply["params"]["blocks"]:
        Block.parse(block).validate_json()
    said = json.dumps(reply["params"]["blocks"], ensure_ascii=False)
    # the demo's bakers tag #veganbaking: "vegan baking" is one concept, which vegan recipes are not
    assert "Why not @zoeplantkitchen?" in said and "doesn't match “vegan baking”" in said
    assert "say none of “vegan baking”." in said and "Its top terms: #plantbasedrecipes" in said


def test_ask_text_output_and_a_non_influencer_command(local_db, capsys):
    assert cli.main(["ask", "/influencer help"]) == 0
    assert "/influencer find vegan baking 2000" in capsys.readouterr().out
    assert cli.main(["ask", "/weather"]) == 2


def test_ask_digest_now_on_demo_data_shows_the_digest_and_its_chart(local_db, capsys):
    assert cli.main(["ask", "/influencer digest now"]) == 0
    out = capsys.readouterr().out
    assert "== Campaign digest ==" in out and "*Vegan baking launch*" in out and "*Top creators*" in out
    assert "[file uploaded:" in out and "engagements and spend against budget" in out


def _console(monkeypatch, capsys, typed: str) -> str:
    """What `influencer-bot console` prints for these lines typed."""
    from influencer_bot.bot.local import console

    script = io.StringIO(typed)
    monkeypatch.setattr(console.sys, "stdin", script)
    real_run = console.run_console
    monkeypatch.setattr(console, "run_console", lambda driver: real_run(driver, stdin=script))
    assert cli.main(["console"]) == 0
    return capsys.readouterr().out


def test_console_runs_a_find_and_clicks_a_numbered_button(local_db, monkeypatch, capsys):
    out = _console(monkeypatch, capsys, "/influencer find vegan baking 2000\n1\n1\n:quit\n")
    assert "== Shortlist: vegan baking ==" in out
    assert "[1] Approve" in out and "[2] Reject" in out
    assert "(message updated)" in out and "Approved by @U0LOCAL" in out
    # the updated message is shown renumbered: the second "1" approved the next creator
    assert out.count("Approved by @U0LOCAL") >= 3  # 1 + 2 across the two updated renderings


def test_console_asks_why_on_reject_and_an_empty_reason_cancels(local_db, monkeypatch, capsys):
    # Reject #1 with no reason (cancelled), then Reject it again: reason 3 (audience quality) with a note
    out = _console(monkeypatch, capsys, "/influencer find vegan baking 2000\n2\n\n2\n3\nbought followers\n:quit\n")
    assert "Why reject? 1) off-brand 2) too expensive 3) audience quality 4) already working with us 5) other" in out
    assert out.count("Cancelled: nothing recorded.") == 1
    assert "Rejected by @U0LOCAL · audience quality: “bought followers”" in out


def test_run_without_credentials_says_which_variable_in_one_line(local_db, capsys):
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "SLACK_BOT_TOKEN" in err and "api.slack.com/apps" in err


def test_run_with_a_token_but_no_secret_names_the_secret(local_db, monkeypatch, capsys):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert cli.main(["run"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err


def test_db_upgrade_and_current(local_db, capsys):
    assert cli.main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "schema revision" in out and "(latest" in out


def _get(app, path: str) -> tuple[str, bytes]:
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response))
    return seen["status"], body


def test_healthz_is_200_with_a_database_and_503_without(tmp_path):
    ok = make_engine(f"sqlite:///{tmp_path / 'ok.db'}")
    assert _get(wsgi_app(None, ok), "/healthz")[0].startswith("200")
    broken = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    status, body = _get(wsgi_app(None, broken), "/healthz")
    assert status.startswith("503") and b"unreachable" in body
    assert _get(wsgi_app(None, ok), "/nope")[0].startswith("404")
