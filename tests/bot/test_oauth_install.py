"""Installing in many workspaces: the OAuth flow over HTTP, each workspace's own token, uninstall, purge.

Everything goes through `run`'s WSGI app on real HTTP (waitress), with the local Slack stand-in
answering oauth.v2.access and recording which token every call carried. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import event, select

from edge_server import serving
from factories import add, baker
from influencer_bot.bot import cli
from influencer_bot.bot.app import create_app
from influencer_bot.bot.local.signing import event_body, sign_request, slash_command_body
from influencer_bot.bot.local.web_api import LocalSlack
from influencer_bot.bot.oauth import installation_store, oauth_flow
from influencer_bot.bot.server import wsgi_app
from influencer_bot.bot.settings import Settings
from influencer_bot.bot.work_queue import WorkQueue
from influencer_bot.bot.workspace_clients import InstalledTokens
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import slack_bots
from influencer_bot.storage.workspace_purge import count_rows

SECRET, CLIENT_ID, CLIENT_SECRET, STATE_SECRET = "oauth-signing-secret", "1111.2222", "client-secret", "state-secret"
SCOPES = ["commands", "chat:write", "chat:write.public", "users:read", "files:write"]
ACME, GLOBEX = "T0ACME", "T0GLOBEX"


@dataclass
class Bot:
    url: str
    slack: LocalSlack
    tokens: InstalledTokens

    def install(self, team_id: str | None, **grid: object) -> httpx.Response:
        """An admin's "Add to Slack": the install page, Slack's approval, the redirect back."""
        with httpx.Client(base_url=self.url, follow_redirects=False, timeout=10) as browser:
            start = browser.get("/slack/install")
            assert start.status_code == 302, start.text
            authorize = urlsplit(start.headers["location"])
            assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == "https://slack.com/oauth/v2/authorize"
            query = parse_qs(authorize.query)
            assert query["client_id"] == [CLIENT_ID] and query["scope"] == [",".join(SCOPES)]
            assert_state_cookie(start, query["state"][0])
            code = self.slack.install_code(team_id, **grid)  # type: ignore[arg-type]
            return browser.get("/slack/oauth_redirect", params={"code": code, "state": query["state"][0]},
                               headers=cookie(query["state"][0]))

    def command(self, team_id: str, text: str, *, user: str = "U1", channel: str = "C1",
                **grid: object) -> httpx.Response:
        body = slash_command_body(team_id=team_id, user_id=user, channel_id=channel, text=text,
                                  response_url=self.slack.new_response_url(channel=channel, user=user),
                                  **grid)  # type: ignore[arg-type]
        return httpx.post(f"{self.url}/slack/events", content=body.text, headers=sign_request(body, SECRET),
                          timeout=10)

    def event(self, team_id: str | None, event: dict, **grid: object) -> httpx.Response:
        body = event_body(team_id=team_id, event=event, **grid)  # type: ignore[arg-type]
        return httpx.post(f"{self.url}/slack/events", content=body.text, headers=sign_request(body, SECRET),
                          timeout=10)


def assert_state_cookie(start: httpx.Response, state: str) -> None:
    """The install page ties the flow to this browser: a Secure, HttpOnly cookie holding the state."""
    set_cookie = start.headers["set-cookie"]
    assert set_cookie.startswith(f"slack-app-oauth-state={state};") and "Secure" in set_cookie and "HttpOnly" in set_cookie


def cookie(state: str) -> dict[str, str]:
    """What the browser sends back (httpx keeps Secure cookies for https only; production is behind TLS)."""
    return {"Cookie": f"slack-app-oauth-state={state}"}


@pytest.fixture
def bot(services, engine) -> Iterator[Bot]:
    with LocalSlack(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as slack:
        store = installation_store(engine, CLIENT_ID)
        tokens = InstalledTokens(store, slack.api_url)
        flow = oauth_flow(engine=engine, store=store, tokens=tokens, client_secret=CLIENT_SECRET,
                          state_secret=STATE_SECRET, scopes=SCOPES, api_url=slack.api_url)
        work = WorkQueue()
        app = create_app(services, token=None, signing_secret=SECRET, api_url=slack.api_url, work=work,
                         tokens=tokens, oauth_flow=flow, installations=store)
        with serving(wsgi_app(app, engine, signing_secret=SECRET)) as url:
            yield Bot(url, slack, tokens)
        work.close()


def _posted_by(slack: LocalSlack, count: int) -> list[tuple[str | None, str]]:
    """(token, message text with its blocks) of the first `count` chat.postMessage calls."""
    return [(slack.token_of(c), json.dumps(c.params)) for c in slack.wait_for("chat.postMessage", count, timeout=20)]


def test_two_workspaces_install_by_oauth_and_each_is_served_with_its_own_token_and_data(bot, session_factory):
    add(session_factory, ACME, baker("acme_crumbs", 20_000, 800, price_usd=600))
    add(session_factory, GLOBEX, baker("globex_loaves", 30_000, 900, price_usd=700))
    for team in (ACME, GLOBEX):
        done = bot.install(team, team_name=f"{team} Inc")
        assert done.status_code == 200 and "Thank you" in done.text
    exchanges = [c for c in bot.slack.calls_to("oauth.v2.access") if not c.failed]
    assert len(exchanges) == 2
    acme, globex = (bot.tokens.credentials(t) for t in (ACME, GLOBEX))
    assert acme and globex and acme.token != globex.token

    assert bot.command(ACME, "find vegan baking 2000").status_code == 200
    ((token, message),) = _posted_by(bot.slack, 1)
    assert token == acme.token and "acme_crumbs" in message and "globex_loaves" not in message
    assert bot.command(GLOBEX, "find vegan baking 2000").status_code == 200
    _, (token, message) = _posted_by(bot.slack, 2)
    assert token == globex.token and "globex_loaves" in message and "acme_crumbs" not in message


def test_a_workspace_without_an_installation_is_refused_as_bolt_does(bot):
    answer = bot.command("T0STRANGER", "find vegan baking 2000")
    assert answer.status_code == 200 and answer.text == ""
    (reply,) = bot.slack.wait_for("response_url")
    assert "no longer available" in reply.params["text"] and "reinstall" in reply.params["text"]
    assert bot.slack.calls_to("chat.postMessage") == []


def test_uninstall_refuses_the_workspace_at_once_keeps_its_data_and_purge_deletes_it(
        bot, session_factory, db_url, monkeypatch, capsys):
    add(session_factory, ACME, baker("acme_crumbs", 20_000, 800, price_usd=600))
    add(session_factory, GLOBEX, baker("globex_loaves", 30_000, 900, price_usd=700))
    bot.install(ACME)
    bot.install(GLOBEX)
    assert bot.command(ACME, "help").status_code == 200  # served, and its token is now cached
    assert bot.event(ACME, {"type": "app_uninstalled"}).status_code == 200
    bot.slack.uninstall(ACME)

    assert bot.command(ACME, "find vegan baking 2000").text == ""
    (reply,) = bot.slack.wait_for("response_url")
    assert "reinstall" in reply.params["text"]
    assert bot.command(GLOBEX, "find vegan baking 2000").status_code == 200  # the other one is untouched
    ((_, message),) = _posted_by(bot.slack, 1)
    assert "globex_loaves" in message
    with transaction(session_factory) as session:
        kept = count_rows(session, ACME)
    assert kept["creators"] == 1 and "slack_bots" not in kept and "slack_installations" not in kept

    monkeypatch.setenv("DATABASE_URL", db_url)
    for var in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"):
        monkeypatch.delenv(var, raising=False)
    assert cli.main(["workspace", "purge", ACME]) == 2
    dry = capsys.readouterr().out
    assert "Would delete" in dry and "creators" in dry and "Nothing was deleted" in dry
    assert cli.main(["workspace", "purge", ACME, "--yes"]) == 0
    done = capsys.readouterr().out
    assert f"rows of workspace {ACME}" in done and "creators" in done and "workspaces" in done
    with transaction(session_factory) as session:
        assert count_rows(session, ACME) == {}
        assert count_rows(session, GLOBEX)["creators"] == 1


def test_a_bad_code_or_a_forged_state_stores_nothing(bot):
    with httpx.Client(base_url=bot.url, follow_redirects=False, timeout=10) as browser:
        state = parse_qs(urlsplit(browser.get("/slack/install").headers["location"]).query)["state"][0]
        bad_code = browser.get("/slack/oauth_redirect", params={"code": "not-a-code", "state": state},
                               headers=cookie(state))
    assert bad_code.status_code >= 400 or "failed" in bad_code.text.lower()
    (exchange,) = bot.slack.calls_to("oauth.v2.access")
    assert exchange.headers["authorization"].startswith("Basic ")  # the client's credentials, not a token
    with httpx.Client(base_url=bot.url, follow_redirects=False, timeout=10) as browser:
        state = parse_qs(urlsplit(browser.get("/slack/install").headers["location"]).query)["state"][0]
        raw = state.rpartition(".")[0]
        forged_state = f"{raw}.{'0' * 32}"
        forged = browser.get("/slack/oauth_redirect", params={"code": bot.slack.install_code(ACME),
                                                               "state": forged_state}, headers=cookie(forged_state))
    assert forged.status_code >= 400
    assert len(bot.slack.calls_to("oauth.v2.access")) == 1  # the forged state never reached Slack
    assert bot.tokens.credentials(ACME) is None


def test_an_org_wide_enterprise_install_serves_its_workspaces_by_enterprise_id(bot, session_factory, engine):
    add(session_factory, "T0ORGA", baker("org_crumbs", 20_000, 800, price_usd=600))
    assert bot.install(None, enterprise_id="E0ORG", org_wide=True).status_code == 200
    with engine.connect() as conn:
        row = conn.execute(select(slack_bots.c.enterprise_id, slack_bots.c.team_id,
                                  slack_bots.c.is_enterprise_install)).one()
    assert tuple(row) == ("E0ORG", None, True)
    assert bot.command("T0ORGA", "find vegan baking 2000", enterprise_id="E0ORG",
                       is_enterprise_install=True).status_code == 200
    ((token, message),) = _posted_by(bot.slack, 1)
    assert token.startswith("xoxb-E0ORG-") and "org_crumbs" in message
    assert bot.command("T0ORGA", "help", enterprise_id="E0OTHER", is_enterprise_install=True).text == ""


def test_requests_read_the_installation_once_per_few_seconds_and_uninstall_clears_it(bot, engine):
    bot.install(ACME)
    reads = []
    listener = lambda *args: reads.append(args[2]) if "slack_bots" in args[2] else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert bot.command(ACME, "help").status_code == 200
        assert len(reads) == 1  # the two others came from the cache
        bot.event(ACME, {"type": "tokens_revoked", "tokens": {"bot": ["UBOT1"]}})
        assert bot.command(ACME, "help").text == ""  # refused at once: the cache entry went with the install
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_slack_url_verification_is_answered_through_the_edge(bot):
    from influencer_bot.bot.local.signing import SlackBody

    body = SlackBody(json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                                 "type": "url_verification"}), "application/json")
    answer = httpx.post(f"{bot.url}/slack/events", content=body.text, headers=sign_request(body, SECRET), timeout=10)
    assert answer.status_code == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer.text


def test_the_declared_tables_are_slack_sdks_own():
    """storage/ declares the stores' tables without importing slack_sdk; they must stay the same."""
    from sqlalchemy import MetaData
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    from influencer_bot.storage.models import Base

    theirs = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    for name, table in theirs.tables.items():
        ours = Base.metadata.tables[name]
        shape = lambda t: [(c.name, repr(c.type), c.nullable, c.primary_key) for c in t.columns]  # noqa: E731
        assert shape(ours) == shape(table), name
        assert {tuple(c.name for c in i.columns) for i in ours.indexes} == \
            {tuple(c.name for c in i.columns) for i in table.indexes}, name


def test_the_scopes_asked_for_are_the_manifests():
    from pathlib import Path

    manifest = json.loads((Path(__file__).resolve().parents[2] / "manifest.json").read_text())
    assert Settings.model_fields["slack_scopes"].default.split(",") == manifest["oauth_config"]["scopes"]["bot"]


@pytest.mark.parametrize("env, says", [
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_STATE_SECRET": "t",
      "SLACK_SIGNING_SECRET": "x"}, "choose one mode"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}, "SLACK_STATE_SECRET is not set"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_STATE_SECRET": "t", "SLACK_APP_TOKEN": "xapp-1"},
     "SLACK_APP_TOKEN"),
])
def test_run_refuses_a_mixed_or_incomplete_oauth_configuration_in_one_line(env, says, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for var in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET",
                "SLACK_STATE_SECRET"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1 and "state-secret" not in err


def test_work_resumed_without_a_request_uses_its_workspaces_token_or_is_closed_after_an_uninstall(
        bot, services, session_factory):
    """What the outbox keeper and the worker processes run: a row, its team id, and the installation store."""
    from influencer_bot.handlers.accepted_work import run_accepted
    from influencer_bot.storage import outbox

    add(session_factory, GLOBEX, baker("globex_loaves", 30_000, 900, price_usd=700))
    bot.install(GLOBEX)
    ids = {}
    for team in (GLOBEX, "T0GONE"):
        with transaction(session_factory) as session:
            ids[team] = outbox.accept(session, team, "command", f"resume-{team}",
                                      {"text": "find vegan baking 2000", "channel_id": "C1", "user_id": "U1"},
                                      response_url=bot.slack.new_response_url(channel="C1", user="U1"),
                                      owner="crashed", lease_s=30)
    for team in (GLOBEX, "T0GONE"):
        run_accepted(services, bot.tokens, ids[team])
    ((token, message),) = _posted_by(bot.slack, 1)
    assert token == bot.tokens.credentials(GLOBEX).token and "globex_loaves" in message
    with transaction(session_factory) as session:
        assert outbox.load(session, ids["T0GONE"]).status == outbox.FAILED
        assert outbox.load(session, ids[GLOBEX]).status == outbox.DONE


def test_digests_post_with_each_workspaces_token_and_not_at_all_for_an_uninstalled_one(bot, services, session_factory):
    from datetime import UTC, datetime

    from influencer_bot.bot.digest_runner import DigestRunner
    from influencer_bot.influence.digest_schedule import Cadence
    from influencer_bot.storage.digests import subscriptions
    from influencer_bot.storage.workspaces import ensure_workspace

    bot.install(ACME)
    march = datetime(2027, 3, 1, tzinfo=UTC)
    for team in (ACME, "T0GONE"):
        add(session_factory, team, baker(f"{team.lower()}_crumbs", 20_000, 800, price_usd=600))
        with transaction(session_factory) as session:
            ensure_workspace(session, team)
            sub, _ = subscriptions.subscribe(session, team, f"C{team}", subscriptions.Schedule(
                Cadence("daily", "09:00", "UTC"), None, False), "U1")
            sub.created_at = march
    done = DigestRunner(services, bot.tokens, worker_id="w1").run_due(datetime(2027, 3, 1, 9, 5, tzinfo=UTC))
    assert [outcome.value for _, _, outcome in done] == ["posted"]  # T0GONE's waits for an installation
    (post,) = bot.slack.wait_for("chat.postMessage")
    assert post.params["channel"] == f"C{ACME}" and bot.slack.token_of(post) == bot.tokens.credentials(ACME).token
