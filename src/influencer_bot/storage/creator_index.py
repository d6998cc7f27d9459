"""Keep the niche index (creator_terms, with each creator's scores) in step with creators.

Called by `upsert_creators`, the one creator write path, for the creators it created or
changed, and by `influencer-bot db rescore` for everyone after a settings change (tier
thresholds, quality rules): scores are computed with the domain's own build_profile, so
the numbers a search ranks by are the numbers a creator card shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ..influence.flags import QualityRules
from ..influence.profile import build_profile
from ..influence.scoring import score
from ..influence.synonyms import with_groups
from ..influence.terms import creator_terms
from ..influence.tiers import TierThresholds
from .creators import CreatorView, follower_histories, view_query
from .db import transaction
from .models import Creator
from .search_models import CreatorTerm

CHUNK = 500


COLUMNS = tuple(c.name for c in CreatorTerm.__table__.columns)  # the order of term_rows' tuples
assert COLUMNS[:4] == ("team_id", "term", "creator_id", "weight")


def term_rows(team_id: str, view: CreatorView, history: Sequence[tuple[datetime, int]],
              thresholds: TierThresholds, rules: QualityRules) -> list[tuple[object, ...]]:
    """The index rows of one creator, as tuples in COLUMNS order: one per term, each with
    the creator's scores (tuples, not dicts: a load writes ~20 of them per creator)."""
    c = view.creator
    terms = with_groups(creator_terms(c.topics, c.category, c.bio))
    if not terms:
        return []
    s = score(build_profile(view.facts(history), thresholds, rules))
    payload = {"platform": c.platform, "tier": s.tier, "price_cents": s.price_cents, "engagements": s.engagements,
               "impressions": s.impressions, "er_pct": s.er_pct, "exclusion": s.exclusion}
    scores = tuple(payload[name] for name in COLUMNS[4:])
    return [(team_id, term, c.id, weight, *scores) for term, weight in terms.items()]


def index_creators(session: Session, team_id: str, creator_ids: Iterable[int], *,
                   thresholds: TierThresholds = TierThresholds(), rules: QualityRules = QualityRules()) -> int:
    """Rewrite the index rows of these creators; returns how many rows were written."""
    ids = sorted(set(creator_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        history_by_id = follower_histories(session, team_id, chunk)
        rows: list[tuple[object, ...]] = []
        for creator, snap in session.execute(view_query(team_id).where(Creator.id.in_(chunk))):
            rows += term_rows(team_id, CreatorView(creator, snap), history_by_id.get(creator.id, ()), thresholds, rules)
        session.execute(delete(CreatorTerm).where(CreatorTerm.creator_id.in_(chunk)))
        if rows:
            _insert(session, rows)
        written += len(rows)
    return written


def _insert(session: Session, rows: list[tuple[object, ...]]) -> None:
    """Write index rows, sorted by primary key (fewer B-tree pages touched). A creator has
    ~20, so they are most of a load's rows: on SQLite they go straight to the driver's
    executemany (SQLAlchemy's per-row parameter processing cost more than SQLite's own work,
    measured on 100,000 demo creators); elsewhere a Core insert batches them into multi-row
    statements."""
    rows.sort()
    connection = session.connection()
    if connection.dialect.paramstyle == "qmark":
        marks = ", ".join("?" * len(COLUMNS))
        connection.exec_driver_sql(f"INSERT INTO creator_terms ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    else:
        connection.execute(insert(CreatorTerm.__table__), [dict(zip(COLUMNS, row)) for row in rows])


def rescore_all(factory: sessionmaker[Session], *, thresholds: TierThresholds = TierThresholds(),
                rules: QualityRules = QualityRules(), batch: int = 2_000,
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
