"""Bulk-loading the digest benchmark's workspace: campaigns, members, posts, a million snapshots.

Rows get explicit ids and go in with executemany (SQLite) or COPY (PostgreSQL), because
the benchmark is about reading them; the ORM write path would only make loading slow.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, text

from influencer_bot.storage.models import (
    Campaign, CampaignMember, Creator, Post, PostSnapshot, Shortlist, ShortlistItem, Workspace,
)

TEAM = "TBENCH"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PLATFORMS = ("instagram", "tiktok", "youtube")
SNAP_COLUMNS = ("id", "team_id", "post_id", "captured_at", "source", "impressions", "reach", "views", "likes",
                "comments", "shares", "saves", "clicks", "conversions", "revenue_cents")


def _snapshot_rows(posts: list[tuple[int, str]], per_post: int, rng: random.Random):  # type: ignore[no-untyped-def]
    n = 0
    start = NOW - timedelta(days=per_post)
    for post_id, platform in posts:
        imp, likes, clicks = rng.randint(200, 5_000), rng.randint(5, 300), rng.randint(0, 30)
        for day in range(1, per_post + 1):
            n += 1
            yield (n, TEAM, post_id, start + timedelta(days=day, hours=-2), "bench", imp * day,
                   None if platform != "instagram" else imp * day * 2 // 3,
                   imp * day if platform != "instagram" else None, likes * day, likes * day // 10,
                   likes * day // 20, likes * day // 15, clicks * day, clicks * day // 20, clicks * day * 150)


def load(engine: Engine, *, campaigns: int, members: int, snapshots: int, seed: int = 11) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row counts."""
    rng = random.Random(seed)
    per_campaign, posts_live = members // campaigns, members
    per_post = snapshots // posts_live
    creators = [dict(id=i, team_id=TEAM, platform=PLATFORMS[i % 3], handle=f"creator{i}", followers=rng.choice(
        [rng.randint(1_000, 9_999), rng.randint(10_000, 99_999), rng.randint(100_000, 900_000)]))
        for i in range(1, members + 1)]
    camps = [dict(id=c, team_id=TEAM, name=f"Campaign {c}", name_key=f"campaign {c}", budget_cents=rng.randint(
        10_000, 50_000) * 100, start_date=(NOW - timedelta(days=60)).date(), end_date=(NOW + timedelta(days=30)).date(),
        goal="awareness", owner_id="UBENCH", status="active", created_at=NOW - timedelta(days=61))
        for c in range(1, campaigns + 1)]
    mems = [dict(id=m, team_id=TEAM, campaign_id=(m - 1) // per_campaign + 1, creator_id=m,
                 agreed_price_cents=rng.randint(100, 2_000) * 100, status="active", added_by="UBENCH",
                 added_at=NOW - timedelta(days=60)) for m in range(1, members + 1)]
    posts = [dict(id=m, team_id=TEAM, campaign_id=mem["campaign_id"], member_id=m, platform=PLATFORMS[m % 3],
                  url=f"https://example.com/p/{m}", kind="story" if m % 7 == 0 else "feed",
                  posted_at=NOW - timedelta(days=per_post + 1), created_at=NOW - timedelta(days=60))
             for m, mem in enumerate(mems, 1)]
    planned = [dict(id=members + k + 1, team_id=TEAM, campaign_id=mems[k * 10]["campaign_id"], member_id=k * 10 + 1,
                    platform="instagram", url=f"https://example.com/planned/{k}", kind="feed", posted_at=None,
                    created_at=NOW - timedelta(days=60)) for k in range(members // 10)]
    shortlists = [dict(id=c, team_id=TEAM, niche="bench", budget_cents=100_000, options={}, requested_by="UBENCH",
                       status="open", campaign_id=c, created_at=NOW - timedelta(days=2)) for c in range(1, campaigns + 1)]
    items = [dict(id=c, team_id=TEAM, shortlist_id=c, creator_id=(c * 7) % members + 1, position=0,
                  price_cents=50_000, price_source="estimate", status="proposed") for c in range(1, campaigns + 1)]
    with engine.begin() as conn:
        conn.execute(insert(Workspace), [dict(team_id=TEAM, name="bench", created_at=NOW)])
        for model, rows in ((Creator, creators), (Campaign, camps), (CampaignMember, mems), (Post, posts + planned),
                            (Shortlist, shortlists), (ShortlistItem, items)):
            conn.execute(insert(model), rows)
    live = [(p["id"], p["platform"]) for p in posts]
    rows = _snapshot_rows(live, per_post, rng)
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur, cur.copy(f"COPY post_snapshots ({', '.join(SNAP_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        with engine.begin() as conn:
            for table in ("creators", "campaigns", "campaign_members", "posts", "post_snapshots", "shortlists",
                          "shortlist_items"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            conn.execute(text("ANALYZE"))
    else:
        batch: list[dict] = []
        with engine.begin() as conn:
            for row in rows:
                batch.append(dict(zip(SNAP_COLUMNS, row)))
                if len(batch) == 50_000:
                    conn.execute(insert(PostSnapshot), batch)
                    batch.clear()
            if batch:
                conn.execute(insert(PostSnapshot), batch)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return {"campaigns": campaigns, "members": members, "posts": len(posts) + len(planned),
            "snapshots": per_post * posts_live}
