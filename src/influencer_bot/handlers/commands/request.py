"""What a subcommand gets: who asked, where, and how to answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

from ..services import Services


@dataclass(frozen=True, slots=True)
class CommandRequest:
    team_id: str
    user_id: str
    channel_id: str
    services: Services
    client: WebClient
    respond: Callable[..., Any]
    work_id: int | None = None  # its outbox row (storage/outbox.py), where steps already done are noted
    progress: dict[str, Any] = field(default_factory=dict)  # those notes, as the row had them

    def reply(self, text: str, blocks: list[dict] | None = None) -> None:
        """Answer only the person who typed the command."""
        self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
