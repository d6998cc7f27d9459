"""Installing the app in many workspaces: Bolt's OAuth flow over slack_sdk's SQLAlchemy stores.

`GET /slack/install` sets a state cookie and redirects to Slack's authorize page; Slack sends the
installer back to `GET /slack/oauth_redirect?code=…&state=…`, where the flow checks the state, trades
the code for the workspace's bot token with oauth.v2.access (through our WebClient: SLACK_API_URL,
timeouts and retries) and saves the installation in the bot's own database (the tables are created
by the 0010 migration, never by the stores' create_tables).

A state is a random id the state store keeps for ten minutes, signed here with SLACK_STATE_SECRET:
a state is accepted only when both its signature and its stored row check out, and is used once.

`app_uninstalled` and `tokens_revoked` delete the installation and drop the token cache entry
(`forget`), so the workspace's next request is refused at once. The workspace's data is kept until
`influencer-bot workspace purge` (storage/workspace_purge.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from .slack_client import SlackPolicy, make_web_client
from .workspace_clients import InstalledTokens, WorkspaceTokens

log = logging.getLogger("influencer_bot.oauth")

INSTALL_PATH, REDIRECT_PATH = "/slack/install", "/slack/oauth_redirect"
STATE_SECONDS = 600


class SignedStateStore(OAuthStateStore):
    """The SQLAlchemy state store, each state signed with SLACK_STATE_SECRET (HMAC-SHA256)."""

    def __init__(self, inner: OAuthStateStore, secret: str) -> None:
        self.inner, self._key = inner, secret.encode()

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, state: str) -> str:
        return hmac.new(self._key, state.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = self.inner.issue(*args, **kwargs)
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        raw, _, signature = state.rpartition(".")
        if not raw or not hmac.compare_digest(signature, self._sign(raw)):
            log.warning("OAuth state with a wrong signature refused")
            return False
        return self.inner.consume(raw)


def installation_store(engine: Engine, client_id: str) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


class _Flow(OAuthFlow):
    """Bolt's flow; a workspace installed in this process is served at once (no cached refusal)."""

    tokens: WorkspaceTokens

    def store_installation(self, request: Any, installation: Any) -> None:
        super().store_installation(request, installation)
        self.tokens.forget(team_id=installation.team_id, enterprise_id=installation.enterprise_id)
        log.info("installed in %s", installation.team_id or installation.enterprise_id)


def oauth_flow(*, engine: Engine, store: SQLAlchemyInstallationStore, tokens: WorkspaceTokens, client_secret: str,
               state_secret: str, scopes: list[str], api_url: str, policy: SlackPolicy = SlackPolicy()) -> OAuthFlow:
    states = SignedStateStore(SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine), state_secret)
    settings = OAuthSettings(client_id=store.client_id, client_secret=client_secret, scopes=scopes,
                             installation_store=store, installation_store_bot_only=True, state_store=states,
                             state_expiration_seconds=STATE_SECONDS, install_path=INSTALL_PATH,
                             redirect_uri_path=REDIRECT_PATH, install_page_rendering_enabled=False)
    flow = _Flow(client=make_web_client(None, api_url, policy), settings=settings)
    flow.tokens = tokens
    return flow


def register_uninstall(app: App, store: SQLAlchemyInstallationStore, tokens: WorkspaceTokens) -> None:
    """The two events that end an installation; both are acknowledged whatever happens."""

    def where(context: BoltContext) -> tuple[str | None, str | None]:
        # an org-wide install is stored under its enterprise id alone
        return context.enterprise_id, None if context.is_enterprise_install else context.team_id

    def on_uninstalled(context: BoltContext) -> None:
        enterprise_id, team_id = where(context)
        store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        tokens.forget(team_id=team_id, enterprise_id=enterprise_id)
        log.info("app uninstalled from %s; its installation is deleted, its data kept", team_id or enterprise_id)

    def on_revoked(event: dict[str, Any], context: BoltContext) -> None:
        enterprise_id, team_id = where(context)
        revoked = event.get("tokens") or {}
        if revoked.get("bot"):
            store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        for user_id in revoked.get("oauth") or []:
            store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
        tokens.forget(team_id=team_id, enterprise_id=enterprise_id)
        log.info("tokens revoked in %s", team_id or enterprise_id)

    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_revoked)



def oauth_parts(settings: Any, engine: Engine, tokens: WorkspaceTokens) -> dict[str, Any]:
    """create_app's OAuth arguments (bot/settings.py `Settings`): the install flow and the store that
    uninstalls delete from; none in single-workspace mode."""
    if not settings.oauth or not isinstance(tokens, InstalledTokens):
        return {}
    from .runtime import slack_policy

    flow = oauth_flow(engine=engine, store=tokens.store, tokens=tokens,
                      client_secret=settings.slack_client_secret.get_secret_value(),
                      state_secret=settings.slack_state_secret.get_secret_value(), scopes=settings.scopes,
                      api_url=settings.slack_api_url, policy=slack_policy(settings))
    return {"oauth_flow": flow, "installations": tokens.store}
