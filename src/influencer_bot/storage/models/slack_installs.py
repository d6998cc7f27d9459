"""Slack installations, their bots and pending OAuth states: the tables slack_sdk's SQLAlchemy
stores read and write (bot/oauth.py), declared here so that Alembic creates them and the
models-versus-migrations test covers them.

The columns are slack_sdk's own (SQLAlchemyInstallationStore.build_*_table and
SQLAlchemyOAuthStateStore.build_oauth_states_table, slack_sdk 3.x), copied rather than built by
calling slack_sdk: storage/ imports no Slack library. tests/bot/test_oauth_install.py checks that the
two stay the same. Times are naive UTC, as the stores write them. `slack_installations` and
`slack_bots` carry `team_id` (None for an org-wide Enterprise Grid install, found by
`enterprise_id`), so `influencer-bot workspace purge` finds them like every other table.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, func

from .base import Base

INSTALLATIONS, BOTS, OAUTH_STATES = "slack_installations", "slack_bots", "slack_oauth_states"


def _who() -> list[Column]:
    """The app and the org, first in both tables (slack_sdk's column order)."""
    return [Column("id", Integer, primary_key=True, autoincrement=True),
            Column("client_id", String(32), nullable=False),
            Column("app_id", String(32), nullable=False),
            Column("enterprise_id", String(32)),
            Column("enterprise_name", String(200))]


def _team_and_bot() -> list[Column]:
    return [Column("team_id", String(32)),
            Column("team_name", String(200)),
            Column("bot_token", String(200)),
            Column("bot_id", String(32)),
            Column("bot_user_id", String(32)),
            Column("bot_scopes", String(1000)),
            Column("bot_refresh_token", String(200)),
            Column("bot_token_expires_at", DateTime)]


def _installed_at() -> Column:
    return Column("installed_at", DateTime, nullable=False, default=func.now())


installations = Table(
    INSTALLATIONS, Base.metadata,
    *_who(),
    Column("enterprise_url", String(200)),
    *_team_and_bot(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    _installed_at(),
    Index(f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

bots = Table(
    BOTS, Base.metadata,
    *_who(),
    *_team_and_bot(),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    _installed_at(),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

oauth_states = Table(
    OAUTH_STATES, Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
