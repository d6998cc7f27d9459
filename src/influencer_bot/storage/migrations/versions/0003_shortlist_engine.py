"""shortlist engine: niche index with scores, workspace synonyms, replace-rejected rounds

Revision ID: 0003_shortlist_engine
Revises: 0002
Create Date: 2026-11-22

Existing creators are indexed by 0005, which replaces this revision's creator_terms.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_shortlist_engine'
down_revision = '0002'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
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
    op.create_table('niche_synonyms',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('phrase', sa.String(length=80), nullable=False),
    sa.Column('synonym', sa.String(length=80), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('synonym_term', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'term', 'synonym_term', name='uq_niche_synonyms_pair'),
    )
    op.create_table('shortlist_rounds',
    sa.Column('shortlist_id', Id, nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('added', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shortlist_id'], ['shortlists.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('shortlist_id', 'round', name='pk_shortlist_rounds'),
    )


def downgrade() -> None:
    op.drop_table('shortlist_rounds')
    op.drop_table('niche_synonyms')
    op.drop_index('ix_creator_terms_creator', table_name='creator_terms')
    op.drop_table('creator_terms')
