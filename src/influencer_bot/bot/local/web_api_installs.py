"""The stand-in's side of "Add to Slack": install codes, oauth.v2.access, and who each token is.

A test (or the console) asks for a code as if an admin had approved the install in Slack
(`LocalSlack.install_code`), then sends the installer to the app's /slack/oauth_redirect with it;
the app trades it with oauth.v2.access for a bot token of that workspace, and auth.test with that
token answers as that workspace's bot. Answers and errors follow
https://api.slack.com/methods/oauth.v2.access: the client's credentials come as HTTP Basic auth (as
slack_sdk sends them) or as form fields, and a code works once.
"""

from __future__ import annotations

import base64
import itertools
import secrets
from dataclasses import dataclass

APP_ID = "A0LOCAL"


@dataclass(frozen=True, slots=True)
class Install:
    team_id: str | None
    team_name: str | None
    enterprise_id: str | None
    is_enterprise_install: bool
    installer: str
    scope: str


@dataclass(frozen=True, slots=True)
class Bot:
    token: str
    team_id: str | None
    enterprise_id: str | None
    user_id: str
    bot_id: str


class Installs:
    """Pending codes and the bot tokens they became. Not thread-safe: LocalSlack calls it under its lock."""

    def __init__(self, client_id: str | None = None, client_secret: str | None = None) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self._codes: dict[str, Install] = {}
        self._bots: dict[str, Bot] = {}
        self._n = itertools.count(1)

    def new_code(self, install: Install) -> str:
        code = f"{next(self._n)}.{secrets.token_hex(8)}"
        self._codes[code] = install
        return code

    def bot(self, token: str | None) -> Bot | None:
        return self._bots.get(token or "")

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working (invalid_auth)."""
        for token in [t for t, b in self._bots.items() if b.team_id == team_id or b.enterprise_id == team_id]:
            self._bots[token] = Bot("", None, None, "", "")

    def revoked(self, token: str | None) -> bool:
        bot = self._bots.get(token or "")
        return bot is not None and not bot.token

    def access(self, params: dict, authorization: str | None) -> dict:
        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
            except ValueError:
                return {"ok": False, "error": "invalid_client_id"}
        if not client_id or (self.client_id and client_id != self.client_id):
            return {"ok": False, "error": "invalid_client_id"}
        if not client_secret or (self.client_secret and client_secret != self.client_secret):
            return {"ok": False, "error": "bad_client_secret"}
        install = self._codes.pop(params.get("code") or "", None)
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        n = next(self._n)
        where = install.enterprise_id if install.is_enterprise_install else install.team_id
        bot = Bot(f"xoxb-{where}-{n}-{secrets.token_hex(6)}", install.team_id, install.enterprise_id,
                  f"UBOT{n}", f"BBOT{n}")
        self._bots[bot.token] = bot
        return {"ok": True, "app_id": APP_ID, "authed_user": {"id": install.installer},
                "scope": install.scope, "token_type": "bot", "access_token": bot.token, "bot_user_id": bot.user_id,
                "team": {"id": install.team_id, "name": install.team_name} if install.team_id else None,
                "enterprise": {"id": install.enterprise_id, "name": f"Org {install.enterprise_id}"}
                if install.enterprise_id else None,
                "is_enterprise_install": install.is_enterprise_install}
