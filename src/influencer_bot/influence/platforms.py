"""The social platforms influencer-bot knows, and the names people use for them."""

from __future__ import annotations

from enum import StrEnum

from .errors import UserError


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"

    @property
    def label(self) -> str:
        return {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube"}[self.value]


_ALIASES = {
    "instagram": Platform.INSTAGRAM, "ig": Platform.INSTAGRAM, "insta": Platform.INSTAGRAM,
    "tiktok": Platform.TIKTOK, "tt": Platform.TIKTOK, "tik tok": Platform.TIKTOK, "tik-tok": Platform.TIKTOK,
    "youtube": Platform.YOUTUBE, "yt": Platform.YOUTUBE, "you tube": Platform.YOUTUBE,
}


def parse_platform(text: str, example: str = "/influencer find vegan baking 2000 platform:instagram") -> Platform:
    """Read a platform name as people write it (`IG`, `TikTok`, `yt`)."""
    found = _ALIASES.get(text.strip().lower())
    if found is None:
        raise UserError(
            f"I don't know the platform “{text[:40]}”. Use instagram, tiktok or youtube.",
            example,
        )
    return found
