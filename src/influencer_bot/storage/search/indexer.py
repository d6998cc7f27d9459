"""Keep the niche index (storage/search/index.py: postings and score columns) in step with creators.

Called by `upsert_creators`, the one creator write path, for the creators it created or
changed, and by `influencer-bot db rescore` for everyone after a settings change (tier
thresholds, quality rules): scores are computed with the domain's own build_profile, so
the numbers a search ranks by are the numbers a creator card shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from ...influence.flags import QualityRules
from ...influence.profile import build_profile
from ...influence.scoring import score
from ...influence.synonyms import repeated, with_groups
from ...influence.terms import creator_terms, mentions
from ...influence.tiers import TierThresholds
from . import index as search_index
from ..creators.views import CreatorView, follower_histories, view_query
from ..db import transaction
from ..models import Creator
from .index import Entry, encode_codes

CHUNK = 500


def index_entry(view: CreatorView, history: Sequence[tuple[datetime, int]], thresholds: TierThresholds,
                rules: QualityRules) -> Entry | None:
    """What the index holds of one creator: its terms (with built-in synonym groups, and the
    repeated ones marked again: synonyms.repeated) and scores."""
    c = view.creator
    terms = with_groups(creator_terms(c.topics, c.category, c.bio))
    if not terms:
        return None
    terms |= repeated(terms, mentions(c.topics, c.category, c.bio))
    s = score(build_profile(view.facts(history), thresholds, rules))
    return Entry(terms, s.price_cents, s.engagements, s.impressions, s.er_pct,
                 encode_codes(c.platform, s.tier, s.exclusion is not None))


def index_creators(session: Session, team_id: str, creator_ids: Iterable[int], *,
                   thresholds: TierThresholds = TierThresholds(), rules: QualityRules = QualityRules()) -> int:
    """Re-index these creators (all in one index write); returns how many have terms."""
    ids = sorted(set(creator_ids))
    entries: dict[int, Entry | None] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        history_by_id = follower_histories(session, team_id, chunk)
        for creator, snap in session.execute(view_query(team_id).where(Creator.id.in_(chunk))):
            entries[creator.id] = index_entry(CreatorView(creator, snap), history_by_id.get(creator.id, ()),
                                              thresholds, rules)
    search_index.write(session, team_id, entries)
    return sum(1 for e in entries.values() if e is not None)


def rescore_all(factory: sessionmaker[Session], *, thresholds: TierThresholds = TierThresholds(),
                rules: QualityRules = QualityRules(), batch: int = 20_000,
                progress: Callable[[int], None] | None = None) -> int:
    """Re-index every creator of every workspace, one transaction per batch; returns creators done."""
    done, last_id = 0, 0
    while True:
        with transaction(factory) as session:
            rows = session.execute(select(Creator.id, Creator.team_id).where(Creator.id > last_id)
                                   .order_by(Creator.id).limit(batch)).all()
            if not rows:
                return done
            by_team: dict[str, list[int]] = defaultdict(list)
            for creator_id, team_id in rows:
                by_team[team_id].append(creator_id)
            for team_id, ids in by_team.items():
                index_creators(session, team_id, ids, thresholds=thresholds, rules=rules)
        done += len(rows)
        last_id = rows[-1][0]
        if progress is not None:
            progress(done)


def reindex_in_migration(connection: Connection, *, thresholds: TierThresholds = TierThresholds(),
                         rules: QualityRules = QualityRules()) -> None:
    """Index every creator of every workspace inside a schema migration's transaction.

    Migrations that change what the index holds queue this in `after_upgrade` (storage/migrate.py),
    so an upgraded database answers like a fresh one without a manual `db rescore`.
    """
    session = Session(bind=connection)
    teams: dict[str, list[int]] = defaultdict(list)
    for creator_id, team_id in session.execute(select(Creator.id, Creator.team_id).order_by(Creator.id)):
        teams[team_id].append(creator_id)
    for team_id, ids in teams.items():
        for start in range(0, len(ids), 20_000):
            index_creators(session, team_id, ids[start:start + 20_000], thresholds=thresholds, rules=rules)
    session.flush()

