"""Which Slack token acts for a workspace, as the work after an ack and the clock see it.

A request arrives authorised: Bolt's `client` already carries its workspace's token. Work that runs
later (a resumed outbox row, a digest) has only a team id, so it asks a `WorkspaceClients` for a
client. bot/workspace_clients.py has the two implementations: one token for every workspace
(SLACK_BOT_TOKEN), or each workspace's own from the installation store (OAuth).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import BoltContext
from slack_sdk import WebClient


class NotInstalled(LookupError):
    """The workspace has no installation (never installed, uninstalled, or its tokens revoked)."""


class WorkspaceClients(Protocol):
    def client_for(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        """A client with the bot token of `team_id` (in `enterprise_id` when known); NotInstalled if none."""
        ...


@dataclass(frozen=True, slots=True)
class OneClient:
    """The same client for every workspace: the request's own (already authorised for its team), or the
    single-workspace mode's."""

    client: WebClient

    def client_for(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        return self.client


def as_clients(clients: WorkspaceClients | WebClient) -> WorkspaceClients:
    return OneClient(clients) if isinstance(clients, WebClient) else clients


def enterprise_of(context: BoltContext) -> dict[str, Any]:
    """What an outbox row keeps of the request's Enterprise Grid org (nothing outside one), so that work
    resumed later finds an org-wide installation's token."""
    return {"enterprise_id": context.enterprise_id} if context.enterprise_id else {}
