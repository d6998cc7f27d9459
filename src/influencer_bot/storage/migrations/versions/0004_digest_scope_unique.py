"""one active digest subscription per channel and scope

Revision ID: 0004_digest_scope_unique
Revises: 0003_shortlist_engine
Create Date: 2026-11-22

Two `digest daily` commands typed at once in one channel must not create two digests.
Existing duplicates (possible before this revision) are turned off, keeping the oldest.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_digest_scope_unique'
down_revision = '0003_shortlist_engine'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE digest_subscriptions SET active = false WHERE active AND id NOT IN ("
        " SELECT MIN(id) FROM digest_subscriptions WHERE active"
        " GROUP BY team_id, channel_id, COALESCE(campaign_id, 0))"
    )
    op.create_index(
        'uq_digest_subscriptions_active_scope', 'digest_subscriptions',
        ['team_id', 'channel_id', sa.text('coalesce(campaign_id, 0)')], unique=True,
        sqlite_where=sa.text('active'), postgresql_where=sa.text('active'),
    )


def downgrade() -> None:
    op.drop_index('uq_digest_subscriptions_active_scope', table_name='digest_subscriptions')
