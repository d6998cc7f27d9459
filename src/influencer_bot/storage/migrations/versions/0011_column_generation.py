"""search index: a generation number per workspace's score columns, so a process can keep them

Revision ID: 0011_column_generation
Revises: 0010_slack_installations
Create Date: 2026-12-03

Every index write bumps it (storage/search/column_cache.py); readers keep the columns read at a
generation until it moves. Existing indexes get their first one here (a random start, as a new
workspace's), so they are cached without waiting for a write. Data only: no table changes.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0011_column_generation'
down_revision = '0010_slack_installations'
branch_labels = None
depends_on = None

GEN_KEY = 'g:columns'


def upgrade() -> None:
    op.get_bind().execute(sa.text(
        "INSERT INTO search_index (team_id, key, chunk, n, data) "
        "SELECT DISTINCT team_id, :key, 0, :start, :empty FROM search_index WHERE key = 'c:ids' "
        "AND team_id NOT IN (SELECT team_id FROM search_index WHERE key = :key)"),
        {"key": GEN_KEY, "start": secrets.randbelow(2**30), "empty": b""})


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM search_index WHERE key = :key"), {"key": GEN_KEY})
