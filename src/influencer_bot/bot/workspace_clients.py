"""Which bot token acts for a workspace: one for all (SLACK_BOT_TOKEN) or each its own (OAuth).

Every outgoing Slack call asks a `WorkspaceTokens` for its workspace's token: Bolt's `authorize`
for a request (`TokensAuthorize`), and `client_for(team_id)` for what runs without one (resumed
outbox rows in the worker processes and the keeper, digests, scheduled jobs).

- `StaticTokens`: the single-workspace mode. The token `run` checked once with auth.test.
- `InstalledTokens`: the installation store of the OAuth flow (bot/oauth.py). A lookup is cached for
  `ttl_s` seconds (a few), so the ack path touches the database once per workspace per few seconds
  at most; an uninstall drops the workspace's entries at once (`forget`), and other processes see
  it within the TTL.

Enterprise Grid: a workspace installed on its own is found by team id (and its org's id, when the
request names one); an org-wide install is found by the enterprise id alone (`is_enterprise_install`),
and serves every workspace of the org. Work that runs later keeps the request's enterprise id in
its outbox row for that lookup (handlers/workspace_clients.py `enterprise_of`).
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import desc, select

from ..handlers.workspace_clients import NotInstalled
from .slack_client import BotIdentity, SlackPolicy, make_web_client

CACHE_TTL_S = 5.0
_MAX_CACHED = 10_000  # workspaces; past it the cache starts over (a signed flood of fake team ids)


@dataclass(frozen=True, slots=True)
class BotCredentials:
    """A workspace's bot: its token and who the bot is there. `repr` never shows the token."""

    token: str
    bot_id: str | None
    bot_user_id: str | None

    def __repr__(self) -> str:
        return f"BotCredentials(bot_id={self.bot_id!r}, bot_user_id={self.bot_user_id!r})"


class WorkspaceTokens(ABC):
    """handlers.workspace_clients.WorkspaceClients, plus what Bolt's authorize and an uninstall need."""

    def __init__(self, api_url: str, policy: SlackPolicy = SlackPolicy()) -> None:
        self.api_url, self.policy = api_url, policy

    @abstractmethod
    def credentials(self, team_id: str | None, enterprise_id: str | None = None, *,
                    is_enterprise_install: bool = False) -> BotCredentials | None:
        """The bot acting for the workspace, or None when it has no installation."""

    def forget(self, *, team_id: str | None, enterprise_id: str | None) -> None:
        """The workspace (or the org) uninstalled the app or revoked its tokens."""

    def client_for(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        found = self.credentials(team_id, enterprise_id)
        if found is None:
            raise NotInstalled(f"workspace {team_id} has no installation")
        return make_web_client(found.token, self.api_url, self.policy)


class StaticTokens(WorkspaceTokens):
    """SLACK_BOT_TOKEN for every workspace, with who it is as auth.test said at start-up."""

    def __init__(self, token: str | None, identity: BotIdentity, api_url: str,
                 policy: SlackPolicy = SlackPolicy()) -> None:
        super().__init__(api_url, policy)
        self._token, self.identity = token, identity

    def credentials(self, team_id: str | None, enterprise_id: str | None = None, *,
                    is_enterprise_install: bool = False) -> BotCredentials | None:
        return BotCredentials(self._token or "", self.identity.bot_id, self.identity.user_id)


class InstalledTokens(WorkspaceTokens):
    """Each workspace's bot from slack_sdk's installation store, cached for `ttl_s` seconds."""

    def __init__(self, store: SQLAlchemyInstallationStore, api_url: str, policy: SlackPolicy = SlackPolicy(), *,
                 ttl_s: float = CACHE_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(api_url, policy)
        self.store, self.ttl_s, self._clock = store, ttl_s, clock
        self._cache: dict[tuple[str | None, str | None, bool], tuple[float, BotCredentials | None]] = {}
        self._lock = threading.Lock()

    def credentials(self, team_id: str | None, enterprise_id: str | None = None, *,
                    is_enterprise_install: bool = False) -> BotCredentials | None:
        key = (enterprise_id, None if is_enterprise_install else team_id, is_enterprise_install)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        bot = self._lookup(team_id, enterprise_id, is_enterprise_install)
        found = BotCredentials(bot.bot_token, bot.bot_id, bot.bot_user_id) if bot and bot.bot_token else None
        with self._lock:
            if len(self._cache) >= _MAX_CACHED:
                self._cache.clear()
            self._cache[key] = (now + self.ttl_s, found)
        return found

    def forget(self, *, team_id: str | None, enterprise_id: str | None) -> None:
        with self._lock:
            gone = [k for k in self._cache if (team_id and k[1] == team_id) or (enterprise_id and k[0] == enterprise_id)]
            for key in gone:
                del self._cache[key]

    def _lookup(self, team_id: str | None, enterprise_id: str | None, org_wide: bool) -> Bot | None:
        if org_wide or team_id is None:
            return self.store.find_bot(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
        if enterprise_id is None:  # work without a request: the team's own install, whatever its org
            return self._latest_bot_of_team(team_id)
        own = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        return own or self.store.find_bot(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)

    def _latest_bot_of_team(self, team_id: str) -> Bot | None:
        c = self.store.bots.c
        query = (select(self.store.bots).where(c.client_id == self.store.client_id, c.team_id == team_id,
                                               c.bot_token.is_not(None))
                 .order_by(desc(c.installed_at)).limit(1))
        with self.store.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return self.store.build_bot_entity(row) if row is not None else None


class TokensAuthorize(Authorize):
    """Bolt's authorize from `tokens`: None (Bolt then answers with its reinstall message) for a
    workspace without an installation."""

    def __init__(self, tokens: WorkspaceTokens) -> None:
        self.tokens = tokens

    def __call__(self, *, context: BoltContext, enterprise_id: str | None,  # type: ignore[override]
                 team_id: str | None, user_id: str | None, **_: Any) -> AuthorizeResult | None:
        found = self.tokens.credentials(team_id, enterprise_id,
                                        is_enterprise_install=bool(context.is_enterprise_install))
        if found is None:
            return None
        if isinstance(self.tokens, StaticTokens):
            team_id = team_id or self.tokens.identity.team_id
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                               bot_token=found.token or None, bot_id=found.bot_id, bot_user_id=found.bot_user_id)
