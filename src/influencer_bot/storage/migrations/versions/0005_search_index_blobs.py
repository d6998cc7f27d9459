"""niche index as postings bitmaps and score columns (search_index), terms per creator

Revision ID: 0005_search_index_blobs
Revises: 0004_digest_scope_unique
Create Date: 2026-12-02

creator_terms (one row per creator and term, ~17 per creator) is replaced by blobs that a
search reads whole (storage/search_index.py). Existing creators are indexed here with the
default settings (tier thresholds, quality rules); `influencer-bot db rescore` recomputes
with the configured ones.
"""
from __future__ import annotations

from functools import partial

import sqlalchemy as sa
from alembic import context, op

revision = '0005_search_index_blobs'
down_revision = '0004_digest_scope_unique'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.drop_index('ix_creator_terms_creator', table_name='creator_terms')
    op.drop_table('creator_terms')
    op.create_table('search_index',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('chunk', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'key', 'chunk', name='pk_search_index'),
    )
    if op.get_bind().dialect.name == 'postgresql':  # packed numbers do not compress: skip trying
        op.execute('ALTER TABLE search_index ALTER COLUMN data SET STORAGE EXTERNAL')
    op.create_table('search_terms',
    sa.Column('creator_id', Id, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('creator_id'),
    )
    # The indexer reads creators through the ORM, whose models describe the head schema: it runs
    # once the schema is at head, in the same transaction (storage/migrate.py, after_upgrade).
    from influencer_bot.storage.search.indexer import reindex_in_migration

    attributes = context.config.attributes  # keyed "reindex": once, however many migrations ask
    attributes.setdefault("after_upgrade", {})["reindex"] = partial(reindex_in_migration, **attributes.get("scoring", {}))


def downgrade() -> None:
    op.drop_table('search_terms')
    op.drop_table('search_index')
    op.create_table('creator_terms',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('creator_id', Id, nullable=False),
    sa.Column('weight', sa.SmallInteger(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=True),
    sa.Column('price_cents', sa.BigInteger(), nullable=True),
    sa.Column('engagements', sa.Float(), nullable=True),
    sa.Column('impressions', sa.Float(), nullable=True),
    sa.Column('er_pct', sa.Float(), nullable=True),
    sa.Column('exclusion', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'term', 'creator_id', name='pk_creator_terms'),
    sqlite_with_rowid=False,
    )
    op.create_index('ix_creator_terms_creator', 'creator_terms', ['creator_id'])
