"""slack installations: the OAuth install flow's installations, bots and states

Revision ID: 0010_slack_installations
Revises: 0009_work_outbox
Create Date: 2026-12-03

The tables slack_sdk's SQLAlchemy installation and OAuth-state stores use (storage/models/
slack_installs.py), created here rather than by the stores' create_tables(), so that every
deployment's schema has one history.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_slack_installations'
down_revision = '0009_work_outbox'
branch_labels = None
depends_on = None


def _who() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('client_id', sa.String(32), nullable=False),
        sa.Column('app_id', sa.String(32), nullable=False),
        sa.Column('enterprise_id', sa.String(32), nullable=True),
        sa.Column('enterprise_name', sa.String(200), nullable=True),
    ]


def _team_and_bot() -> list[sa.Column]:
    return [
        sa.Column('team_id', sa.String(32), nullable=True),
        sa.Column('team_name', sa.String(200), nullable=True),
        sa.Column('bot_token', sa.String(200), nullable=True),
        sa.Column('bot_id', sa.String(32), nullable=True),
        sa.Column('bot_user_id', sa.String(32), nullable=True),
        sa.Column('bot_scopes', sa.String(1000), nullable=True),
        sa.Column('bot_refresh_token', sa.String(200), nullable=True),
        sa.Column('bot_token_expires_at', sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        'slack_installations',
        *_who(),
        sa.Column('enterprise_url', sa.String(200), nullable=True),
        *_team_and_bot(),
        sa.Column('user_id', sa.String(32), nullable=False),
        sa.Column('user_token', sa.String(200), nullable=True),
        sa.Column('user_scopes', sa.String(1000), nullable=True),
        sa.Column('user_refresh_token', sa.String(200), nullable=True),
        sa.Column('user_token_expires_at', sa.DateTime(), nullable=True),
        sa.Column('incoming_webhook_url', sa.String(200), nullable=True),
        sa.Column('incoming_webhook_channel', sa.String(200), nullable=True),
        sa.Column('incoming_webhook_channel_id', sa.String(200), nullable=True),
        sa.Column('incoming_webhook_configuration_url', sa.String(200), nullable=True),
        sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
        sa.Column('token_type', sa.String(32), nullable=True),
        sa.Column('installed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('slack_installations_idx', 'slack_installations',
                    ['client_id', 'enterprise_id', 'team_id', 'user_id', 'installed_at'])
    op.create_table(
        'slack_bots',
        *_who(),
        *_team_and_bot(),
        sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
        sa.Column('installed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('slack_bots_idx', 'slack_bots', ['client_id', 'enterprise_id', 'team_id', 'installed_at'])
    op.create_table(
        'slack_oauth_states',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('state', sa.String(200), nullable=False),
        sa.Column('expire_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('slack_oauth_states')
    op.drop_index('slack_bots_idx', table_name='slack_bots')
    op.drop_table('slack_bots')
    op.drop_index('slack_installations_idx', table_name='slack_installations')
    op.drop_table('slack_installations')
