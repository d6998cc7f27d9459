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


def activity(factory: sessionmaker[Session], team: str, handle: str, *, posts_per_week: float | None,
             sponsored_share: float | None, platform: Platform = Platform.INSTAGRAM, reindex: bool = True) -> None:
    """Give a creator's newest snapshot the activity signals a platform sync measures, then re-index
    it as the sync does after writing numbers (the index scores by the same facts the card shows)."""
    from sqlalchemy import select

    from influencer_bot.storage.models import Creator, MetricSnapshot
    from influencer_bot.storage.search.indexer import index_creators

    with transaction(factory) as session:
        creator = session.scalars(select(Creator).where(Creator.team_id == team, Creator.handle == handle,
                                                        Creator.platform == platform.value)).one()
        snapshot = session.get(MetricSnapshot, creator.latest_metrics_id)
        snapshot.posts_per_week, snapshot.sponsored_share = posts_per_week, sponsored_share
        session.flush()
        if reindex:
            index_creators(session, team, [creator.id])


def shortlist_lines(message: dict) -> dict[str, str]:
    """handle -> the text of its line, in a posted shortlist message."""
    return {b["text"]["text"].split("*")[1].lstrip("@"): b["text"]["text"] for b in message["blocks"]
            if b.get("block_id", "").startswith("shortlist.item:")}


def shortlist_footer(message: dict) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b.get("block_id") == "shortlist.footer")
