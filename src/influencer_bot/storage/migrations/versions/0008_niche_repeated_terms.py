"""niche index: terms a creator mentions at least twice are marked (whole-niche matching)

Revision ID: 0008_niche_repeated_terms
Revises: 0007_sync_run_claim
Create Date: 2026-12-03

No schema change. The index gains a `+term` posting for each term a creator mentions in two
separate tags or fields (influence/synonyms.repeated), which whole-niche matching reads; every
existing creator is re-indexed here, with the configured tier thresholds and quality rules when
the upgrade is run by the bot (`db upgrade`, `run`), so no manual `db rescore` is needed.
"""
from __future__ import annotations

from functools import partial

from alembic import context

revision = '0008_niche_repeated_terms'
down_revision = '0007_sync_run_claim'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from influencer_bot.storage.search.indexer import reindex_in_migration

    attributes = context.config.attributes  # keyed "reindex": once, however many migrations ask
    attributes.setdefault("after_upgrade", {})["reindex"] = partial(reindex_in_migration, **attributes.get("scoring", {}))


def downgrade() -> None:
    """Older code ignores `+term` postings; they go at its next `db rescore`."""
