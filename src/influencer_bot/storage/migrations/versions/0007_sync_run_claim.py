"""sync run claim: one running sync per workspace, platform and kind; a heartbeat per batch

Revision ID: 0007_sync_run_claim
Revises: 0006_platform_sync
Create Date: 2026-12-04

Several scheduler processes (and the terminal) may start the same sync at once. Inserting a
`running` row is the claim: the partial unique index lets exactly one of them hold it, on
SQLite and PostgreSQL alike. `heartbeat_at` moves with each committed batch, so a claim whose
process died is recognised and closed by the next one.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_sync_run_claim'
down_revision = '0006_platform_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sync_runs', sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('uq_sync_runs_one_running', 'sync_runs', ['team_id', 'platform', 'kind'], unique=True,
                    sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))


def downgrade() -> None:
    op.drop_index('uq_sync_runs_one_running', table_name='sync_runs')
    with op.batch_alter_table('sync_runs') as batch:
        batch.drop_column('heartbeat_at')
