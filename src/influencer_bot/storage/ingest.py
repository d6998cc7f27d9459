"""The one creator write path: rows and metric history, then the niche index.

Imports, demo data and (later) platform sync all call `upsert_creators`, so a creator's
search scores always follow its newest numbers. Kept apart from storage/creators so that
creators never depend on search: the index reads creators, and this module composes both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from ..influence.flags import QualityRules
from ..influence.tiers import TierThresholds
from .creators.records import CreatorRecord
from .creators.store import Outcome, write_creators
from .search.indexer import index_creators


def upsert_creators(session: Session, team_id: str, records: Sequence[CreatorRecord], *, source: str,
                    now: datetime | None = None, thresholds: TierThresholds | None = None,
                    rules: QualityRules | None = None, defer_index: set[int] | None = None) -> list[Outcome]:
    """Insert or update a batch (handles unique within it); one outcome per record.
    Created and changed creators are re-indexed for search, scored with these settings; with
    `defer_index`, their ids are added to that set instead, for a caller that writes the same
    creators several times in one transaction (demo history) to index them once, at the end."""
    outcomes, touched = write_creators(session, team_id, records, source=source, now=now)
    if defer_index is not None:
        defer_index.update(touched)
    else:
        index_creators(session, team_id, touched, thresholds=thresholds or TierThresholds(),
                       rules=rules or QualityRules())
    return outcomes
