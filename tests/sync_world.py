"""A small world for sync tests: creators in two workspaces, the platforms' stand-ins seeded with
their accounts, the process's sync platforms built from settings exactly as bot/ builds them,
and a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from conftest import OTHER_TEAM, TEAM
from factories import add, baker
from influencer_bot.bot.local.platforms.instagram import IgAccount, IgMedia, InstagramStandIn
from influencer_bot.bot.local.platforms.youtube import YouTubeStandIn
from influencer_bot.bot.settings import Settings
from influencer_bot.bot.sync_clients import build_sync_platforms
from influencer_bot.influence.platforms import Platform
from influencer_bot.storage.models import Creator, MetricSnapshot, SyncRun
from influencer_bot.storage.sync.configured import SyncPlatforms
from influencer_bot.storage.sync.http import HttpPolicy

YT_KEY = "AIzaSy-sync-world-key-0123456789"
IG_TOKEN = "IGQVJ-sync-world-token-abcdef0123"
IG_USER = "17841405309211844"
FAST = HttpPolicy(timeout_s=2.0, max_attempts=2, backoff_s=0.001, max_wait_s=0.01)
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 07:00 Pacific: the quota day is 3 Dec
WIKI = "https://en.wikipedia.org/wiki/"


def cid(n: int) -> str:
    return f"UC{n:022d}"


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def at(days_ago: float, now: datetime = NOW) -> str:
    return (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_youtube(yt: YouTubeStandIn) -> None:
    """Lea: three videos (one an ad, one with hidden likes); Yuki: hidden subscribers; a channel
    with an emoji title; Ahmed and Bao for batches."""
    lea = yt.add_channel(cid(1), "KochenMitLea", "Kochen mit Lea 🍲", subscribers=123_456, country="DE",
                         description="Vegane Rezepte jede Woche", topics=(WIKI + "Food",))
    yt.add_video(lea.id, "lea00000001", at(20), "Linsen-Dal", description="dank an @gewuerzhaus #werbung",
                 views=48_000, likes=2_100, comments=130)
    yt.add_video(lea.id, "lea00000002", at(13), "Meal prep", views=40_000, likes=None, comments=90)
    yt.add_video(lea.id, "lea00000003", at(6), "Q&A 🙋", views=12_000, likes=900, comments=60)
    yuki = yt.add_channel(cid(2), "yuki.travels", "ゆきの旅 Yuki", subscribers=8_740_000, hidden_subscribers=True,
                          topics=(WIKI + "Tourism",))
    yt.add_video(yuki.id, "yuk00000001", at(2), "京都の朝", views=1_200_000, likes=80_000, comments=2_300)
    for n, handle in ((3, "ahmed.cooks"), (4, "bao-bakes"), (5, "chloe_eats"), (6, "dmitri.grills")):
        yt.add_channel(cid(n), handle, handle.title(), subscribers=20_000 * n, country="FR")
        yt.add_video(cid(n), f"vid{n:08d}", at(3), "Recette", views=5_000 * n, likes=300 * n, comments=20 * n)


def seed_many(yt: YouTubeStandIn, factory: sessionmaker[Session], n: int) -> list[str]:
    """n more YouTube creators in TEAM, one video each: enough for more than one batch of 50."""
    handles = [f"cook{i:03d}.{'ab'[i % 2]}" for i in range(n)]
    for i, handle in enumerate(handles):
        yt.add_channel(cid(100 + i), handle, f"Cook {i} 🍳", subscribers=1_000 + 37 * i)
        yt.add_video(cid(100 + i), f"many{i:07d}", at(1 + i % 9), "Rezept", views=900 + i, likes=50 + i, comments=i % 7)
    add(factory, TEAM, *[baker(h, 1_000, 10, platform=Platform.YOUTUBE, views=500) for h in handles], source="csv")
    return handles


YOUTUBE_HANDLES = ("kochenmitlea", "yuki.travels", "ahmed.cooks", "bao-bakes", "chloe_eats", "dmitri.grills")


def seed_creators(factory: sessionmaker[Session], *, ghost: bool = True) -> None:
    """TEAM has the YouTube creators (with an imported snapshot each) and a ghost handle YouTube
    does not know; OTHER_TEAM has Lea too, under its own numbers."""
    handles = YOUTUBE_HANDLES + (("ghost-channel",) if ghost else ())
    add(factory, TEAM, *[baker(h, 10_000 + i, 100, platform=Platform.YOUTUBE, views=2_000,
                               topics="#vegan #rezepte" if h == "kochenmitlea" else "#food")
                         for i, h in enumerate(handles)], source="csv")
    add(factory, OTHER_TEAM, baker("kochenmitlea", 99_000, 500, platform=Platform.YOUTUBE, views=9_000),
        source="csv")


def lena() -> IgAccount:
    media = [IgMedia(id=f"1789{i}", shortcode=f"C7lena{i}xYz", timestamp=NOW - timedelta(days=3 * i + 1),
                     caption=c, like_count=1000 + 100 * i, comments_count=40 - i)
             for i, c in enumerate(["Zimtschnecken [Werbung] mit @muehle_nord", "Sonntagsbrot", "Matcha #ad",
                                    None, "Croissant #adventure"])]
    return IgAccount(username="lena.bakes", id="17841400000000001", name="Lena Bäckt 🍰",
                     biography="Brot, Kuchen & Geduld", followers_count=48_210, follows_count=312, media=media)


def instagram_stand_in() -> InstagramStandIn:
    return InstagramStandIn(access_token=IG_TOKEN, ig_user_id=IG_USER, accounts=[
        lena(), IgAccount(username="private.person", id="1", business=False)])


@dataclass
class World:
    factory: sessionmaker[Session]
    clock: Clock = field(default_factory=Clock)

    def settings(self, *, youtube: YouTubeStandIn | None = None, instagram: InstagramStandIn | None = None,
                 quota: int = 10_000) -> Settings:
        values: dict[str, object] = {"youtube_daily_quota": quota}
        if youtube is not None:
            values |= {"youtube_api_key": YT_KEY, "youtube_api_url": youtube.url,
                       "youtube_feed_url": youtube.feed_url}
        if instagram is not None:
            values |= {"instagram_access_token": IG_TOKEN, "instagram_user_id": IG_USER,
                       "instagram_api_url": instagram.url}
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    def platforms(self, **kw: object) -> SyncPlatforms:
        return build_sync_platforms(self.settings(**kw), self.factory, clock=self.clock, policy=FAST)  # type: ignore[arg-type]


def creator(factory: sessionmaker[Session], team: str, handle: str, platform: str = "youtube") -> Creator:
    with factory() as s:
        return s.scalars(select(Creator).where(Creator.team_id == team, Creator.handle == handle,
                                               Creator.platform == platform)).one()


def snapshots(factory: sessionmaker[Session], team: str, handle: str, source: str | None = None) -> list[MetricSnapshot]:
    with factory() as s:
        query = (select(MetricSnapshot).join(Creator, Creator.id == MetricSnapshot.creator_id)
                 .where(Creator.team_id == team, Creator.handle == handle).order_by(MetricSnapshot.id))
        if source:
            query = query.where(MetricSnapshot.source == source)
        return list(s.scalars(query))


def sync_runs(factory: sessionmaker[Session], team: str | None = None) -> list[SyncRun]:
    with factory() as s:
        query = select(SyncRun).order_by(SyncRun.id)
        if team:
            query = query.where(SyncRun.team_id == team)
        return list(s.scalars(query))


def count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def yt() -> Iterator[YouTubeStandIn]:
    """The YouTube stand-in with seed_youtube's channels (import this fixture into a test module)."""
    with YouTubeStandIn(api_key=YT_KEY) as api:
        seed_youtube(api)
        yield api


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    """seed_creators' creators in both workspaces, and a clock at NOW."""
    seed_creators(session_factory)
    return World(session_factory)
