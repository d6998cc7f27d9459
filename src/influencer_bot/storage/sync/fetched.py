"""What a platform client hands to the sync, whatever the platform: plain data, and the
two failures that stop a whole platform (the day's quota, a refused token).

Every client implements `PlatformClient`. A failure that concerns one creator or one post
(unknown handle, personal Instagram account, deleted video) is a `Missing` in the results,
never an exception: one bad creator never stops a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CreatorRef:
    """A creator to refresh: its row, its handle and, once known, the platform's own id."""

    creator_id: int
    handle: str
    platform_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostRef:
    """A campaign post to refresh: its row and the platform's post id (read from its URL)."""

    post_id: int
    external_id: str
    creator_handle: str | None = None  # Instagram finds a post among its owner's recent media


@dataclass(frozen=True, slots=True)
class FetchedPost:
    """One post's cumulative public numbers; None means the platform did not say (never zero)."""

    external_id: str
    published_at: datetime | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    caption: str | None = None
    paid_partnership: bool | None = None  # the platform's own branded-content marker, when exposed
    url: str | None = None


@dataclass(frozen=True, slots=True)
class FetchedProfile:
    """A creator as the platform shows it now, with its most recent posts (newest first)."""

    handle: str
    platform_id: str | None = None
    display_name: str | None = None
    followers: int | None = None
    following: int | None = None
    posts_total: int | None = None
    bio: str | None = None
    country: str | None = None
    topics: tuple[str, ...] = ()
    recent_posts: tuple[FetchedPost, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Missing:
    """Why one creator or post got no numbers: `reason` is a short stable code for counts
    (not_found, not_discoverable, private, deleted, hidden, error) and `detail` a line for people."""

    reason: str
    detail: str = ""


class PlatformStopped(Exception):
    """The platform cannot answer any more today: subclasses say why. Carries a user-facing line."""

    reason = "stopped"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuotaExhausted(PlatformStopped):
    reason = "quota"


class AuthRefused(PlatformStopped):
    """The key or token was refused (expired, revoked: Graph API code 190, TikTok access_token_invalid)."""

    reason = "auth"


class Throttled(PlatformStopped):
    """The platform keeps rate-limiting this app beyond what waiting a little can fix
    (Graph API codes 4/17/32/613/80002 after bounded pauses, TikTok 429 after retries)."""

    reason = "throttled"


class PlatformClient(Protocol):
    platform: str  # instagram | tiktok | youtube

    def fetch_profiles(self, refs: Iterable[CreatorRef]) -> Iterator[tuple[CreatorRef, FetchedProfile | Missing]]:
        """Each ref once, with its profile or why not; batches calls where the API allows.
        Raises PlatformStopped when the platform cannot go on (quota, token)."""
        ...

    def fetch_posts(self, refs: Iterable[PostRef]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        """Each campaign post once, with its current numbers or why not (deleted, private)."""
        ...


class QuotaGate(Protocol):
    """The quota ledger as a client sees it: `spend(units)` before each call; it raises
    QuotaExhausted instead when the call would go over the day's budget."""

    def spend(self, units: int) -> None: ...
