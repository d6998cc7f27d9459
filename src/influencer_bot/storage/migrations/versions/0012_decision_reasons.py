"""decision reasons: a rejection's optional note next to its reason code

Revision ID: 0012_decision_reasons
Revises: 0011_column_generation
Create Date: 2026-12-03

decisions.reason (since 0001, never written until now) holds the reason code
(influence/rejection.py); the note is the rejecter's own words, at most 300 characters.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_decision_reasons'
down_revision = '0011_column_generation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('note')
