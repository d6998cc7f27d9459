"""platform sync: sync runs, the quota ledger, creators' platform ids, richer snapshots, live posts

Revision ID: 0006_platform_sync
Revises: 0005_search_index_blobs
Create Date: 2026-12-03

Creators learn their platform id, audience country and when a platform sync last answered.
Metric snapshots keep what real exports and the APIs give beyond averages of likes and
comments: engagements per post given whole, authentic engagements, the window a reported
rate covers, posting frequency and the sponsored share of recent posts. Posts know their
platform id (read from the URL) and whether they are still live.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_platform_sync'
down_revision = '0005_search_index_blobs'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('quota_days',
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('key_fingerprint', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'key_fingerprint', 'day'),
    )
    op.create_table('sync_runs',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('refreshed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sync_runs_team_platform_time', 'sync_runs', ['team_id', 'platform', 'started_at'])
    op.add_column('creators', sa.Column('audience_country', sa.String(length=64), nullable=True))
    op.add_column('creators', sa.Column('platform_id', sa.String(length=64), nullable=True))
    op.add_column('creators', sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('creators', sa.Column('sync_status', sa.String(length=32), nullable=True))
    op.add_column('metric_snapshots', sa.Column('rate_window_days', sa.Integer(), nullable=True))
    op.add_column('metric_snapshots', sa.Column('avg_engagements', sa.Float(), nullable=True))
    op.add_column('metric_snapshots', sa.Column('avg_authentic_engagements', sa.Float(), nullable=True))
    op.add_column('metric_snapshots', sa.Column('posts_per_week', sa.Float(), nullable=True))
    op.add_column('metric_snapshots', sa.Column('sponsored_share', sa.Float(), nullable=True))
    op.add_column('posts', sa.Column('external_id', sa.String(length=100), nullable=True))
    op.add_column('posts', sa.Column('status', sa.String(length=16), nullable=False, server_default='live'))
    op.add_column('posts', sa.Column('last_synced_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_posts_team_external', 'posts', ['team_id', 'platform', 'external_id'])


def downgrade() -> None:
    op.drop_index('ix_posts_team_external', table_name='posts')
    with op.batch_alter_table('posts') as batch:
        batch.drop_column('last_synced_at')
        batch.drop_column('status')
        batch.drop_column('external_id')
    with op.batch_alter_table('metric_snapshots') as batch:
        for name in ('sponsored_share', 'posts_per_week', 'avg_authentic_engagements', 'avg_engagements',
                     'rate_window_days'):
            batch.drop_column(name)
    with op.batch_alter_table('creators') as batch:
        for name in ('sync_status', 'synced_at', 'platform_id', 'audience_country'):
            batch.drop_column(name)
    op.drop_index('ix_sync_runs_team_platform_time', table_name='sync_runs')
    op.drop_table('sync_runs')
    op.drop_table('quota_days')
