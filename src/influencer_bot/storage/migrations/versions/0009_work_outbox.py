"""work outbox: deliveries accepted from Slack, deduped by key and resumed after a crash

Revision ID: 0009_work_outbox
Revises: 0008_niche_repeated_terms
Create Date: 2026-12-03

One row per accepted command or click: the unique (team_id, key) is what makes a retried
delivery do no new work; pending rows with an expired lease are resumed by the next process.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

revision = '0009_work_outbox'
down_revision = '0008_niche_repeated_terms'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accepted_work',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('team_id', sa.String(32), nullable=False),
        sa.Column('key', sa.String(128), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('response_url', sa.Text(), nullable=True),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(64), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('team_id', 'key', name='uq_accepted_work_team_key'),
    )
    op.create_index('ix_accepted_work_status_lease', 'accepted_work', ['status', 'lease_until'])


def downgrade() -> None:
    op.drop_index('ix_accepted_work_status_lease', table_name='accepted_work')
    op.drop_table('accepted_work')
