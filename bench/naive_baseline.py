"""The naive shortlist the benchmark compares against: what the skeleton did.

A LIKE scan of topics, category and bio over every creator of the workspace (with the
skeleton's suffix-stripping stem), a Profile built in Python for each match, relevance =
share of words found, and the greedy pick by value per dollar. Kept only for bench/shortlist.py.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from influencer_bot.influence.find_query import FindQuery
from influencer_bot.influence.optimizer import Candidate, Selection, greedy
from influencer_bot.influence.profile import build_profile
from influencer_bot.influence.tiers import Tier
from influencer_bot.storage.creators.views import CreatorView
from influencer_bot.storage.models import Creator, MetricSnapshot


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ings", "ing", "ers", "er", "es", "ed", "s"):
        if len(w) - len(suffix) >= 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def naive_shortlist(session: Session, team_id: str, query: FindQuery) -> Selection:
    stems = list(dict.fromkeys(_stem(w) for w in query.words))
    text = func.lower(func.coalesce(Creator.topics, "") + " " + func.coalesce(Creator.category, "") + " "
                      + func.coalesce(Creator.bio, ""))
    q = (select(Creator, MetricSnapshot).outerjoin(MetricSnapshot, MetricSnapshot.id == Creator.latest_metrics_id)
         .where(Creator.team_id == team_id, or_(*(text.contains(s, autoescape=True) for s in stems))))
    if query.platform is not None:
        q = q.where(Creator.platform == query.platform.value)
    candidates = []
    for creator, snap in session.execute(q):
        profile = build_profile(CreatorView(creator, snap).facts())
        if query.tier is not None and profile.tier is not query.tier:
            continue
        value = profile.expected_impressions if query.goal == "reach" else profile.expected_engagements
        if (profile.blocked or profile.price is None or not value or profile.tier is Tier.EMERGING
                or (query.min_er_pct is not None and (profile.engagement.rate_pct or 0) < query.min_er_pct)):
            continue
        hay = " ".join(filter(None, (creator.topics, creator.category, creator.bio))).lower()
        rel = sum(1 for s in stems if s in hay) / len(stems)
        candidates.append(Candidate(creator.id, profile.price.cents, value * rel))
    session.expunge_all()
    return greedy(candidates, query.budget_cents, query.max_items)
