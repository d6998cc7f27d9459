"""The Slack surface: thin listeners that parse, call storage services and render Block Kit."""

from __future__ import annotations

from slack_bolt import App

from .actions import add_to_campaign, decide, replace_rejected
from .commands import influencer
from .errors import register as register_errors


def register(app: App) -> None:
    influencer.register(app)
    decide.register(app)
    replace_rejected.register(app)
    add_to_campaign.register(app)
    register_errors(app)
