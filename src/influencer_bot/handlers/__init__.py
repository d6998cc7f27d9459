"""The Slack surface: thin listeners that parse, call storage services and render Block Kit."""

from __future__ import annotations

from slack_bolt import App

from .actions import (
    add_to_campaign, decide, reject_button, reject_submit, replace_rejected, unknown, why_not_button, why_not_submit,
)
from .commands import influencer
from .errors import register as register_errors


def register(app: App) -> None:
    influencer.register(app)
    decide.register(app)
    reject_button.register(app)
    reject_submit.register(app)
    replace_rejected.register(app)
    add_to_campaign.register(app)
    why_not_button.register(app)
    why_not_submit.register(app)
    unknown.register(app)  # last: only what no listener above took
    register_errors(app)
