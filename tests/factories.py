"""Small, explicit test data: creators whose numbers the tests can reason about."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.ingest import upsert_creators
from influencer_bot.storage.db import transaction
from influencer_bot.storage.creators.records import CreatorRecord
from influencer_bot.storage.workspaces import ensure_workspace


def baker(handle: str, followers: int, likes: float, *, price_usd: int | None = None, comments: float = 10,
          platform: Platform = Platform.INSTAGRAM, topics: str = "#veganbaking #plantbased", posts: int = 12,
          following: int | None = 300, views: float | None = None, bio: str = "Vegan bakes") -> CreatorRecord:
    return CreatorRecord(platform=platform, handle=handle, followers=followers, following=following,
                         avg_likes=likes, avg_comments=comments, avg_views=views, posts_sampled=posts,
                         topics=topics, bio=bio, quoted_price_cents=price_usd * 100 if price_usd else None)


def add(factory: sessionmaker[Session], team: str, *records: CreatorRecord, source: str = "test") -> None:
    with transaction(factory) as session:
        ensure_workspace(session, team)
        upsert_creators(session, team, list(records), source=source)
