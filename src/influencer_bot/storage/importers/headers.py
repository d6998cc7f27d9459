"""Which column of a real-world export holds which creator field.

Teams import what their tools and Kaggle give them (`#Followers`, `channel_info`,
`Category_1`, `60_day_eng_rate`), not our canonical header. Headers are normalised
(case, spaces, symbols) and looked up in one alias table; anything unknown is ignored
and reported, never guessed at, and `--map field=header` settles the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ...influence.errors import UserError
from ...influence.platforms import Platform

#: the canonical header, in this order (README and `import creators --help` show it)
CANONICAL = (
    "platform", "handle", "display_name", "followers", "following", "posts_total", "avg_likes",
    "avg_comments", "avg_shares", "avg_saves", "avg_views", "posts_sampled", "engagement_rate_pct",
    "topics", "category", "bio", "country", "language", "price_usd", "email",
)
#: read but not a creator column: lets a re-imported export skip prices it only estimated
AUXILIARY = ("price_source",)
MAP_EXAMPLE = 'influencer-bot import creators top.csv --map handle="instagram name" --map followers=subs'

#: handle aliases that are really a person's name when a better handle column exists
_WEAK_HANDLE = frozenset({"influencer", "influencer name", "creator", "name"})
_ALIASES: dict[str, tuple[str, ...]] = {
    "platform": ("network", "social network", "channel type", "site", "source platform"),
    "handle": ("username", "user name", "user", "account", "account name", "instagram name",
               "instagram handle", "instagram username", "instagram", "ig handle", "ig username", "ig",
               "tiktok name", "tiktok handle", "tiktok username", "tiktoker", "tiktok", "channel info",
               "channel name", "channel", "youtuber", "youtube channel", "youtube handle",
               "influencer handle", "screen name", "screenname", "profile url", "profile", "url", "link",
               "influencer", "influencer name", "creator", "name"),
    "display_name": ("full name", "fullname", "title", "channel title", "influencer full name", "real name"),
    "followers": ("followers count", "follower count", "follower", "number of followers",
                  "no of followers", "total followers", "subscribers", "subscriber", "subscribers count",
                  "subscriber count", "subs", "fans", "audience", "audience size"),
    "following": ("following count", "follows", "followings", "number of following"),
    "posts_total": ("posts", "post count", "posts count", "number of posts", "total posts", "media count",
                    "uploads", "videos", "video count", "total videos", "videos count"),
    "avg_likes": ("avg likes", "average likes", "avg like", "likes avg", "mean likes", "likes per post",
                  "avg likes per post"),
    "avg_comments": ("avg comments", "average comments", "avg comment", "comments avg", "mean comments",
                     "comments per post"),
    "avg_shares": ("avg shares", "average shares", "shares avg", "shares per post"),
    "avg_saves": ("avg saves", "average saves", "saves avg", "saves per post"),
    "avg_views": ("avg views", "average views", "views avg", "mean views", "views per video",
                  "avg video views", "average video views", "avg views per video", "avg plays"),
    "posts_sampled": ("posts sampled", "sample size", "sampled posts", "posts analysed", "posts analyzed"),
    "engagement_rate_pct": ("er", "engagement rate", "eng rate", "engagement rate pct",
                            "avg engagement rate", "engagement rate percent", "60 day eng rate",
                            "30 day eng rate", "90 day eng rate", "authentic engagement rate"),
    "topics": ("hashtags", "hashtag", "tags", "topic", "keywords", "niches", "niche", "interests"),
    "category": ("category 1", "categories", "main category", "primary category", "genre", "vertical"),
    "bio": ("biography", "description", "about", "channel description"),
    "country": ("audience country", "location", "country code", "nation", "region"),
    "language": ("lang", "main language"),
    "price_usd": ("price", "rate", "price per post", "rate per post", "fee", "cost", "cost per post",
                  "quoted price", "price usd", "price in usd"),
    "email": ("e mail", "email address", "contact email", "mail"),
    "price_source": ("price source",),
}
#: normalised header -> (field, rank); when several columns mean one field, the lower rank
#: (the canonical name, then the earlier alias) is read first, so `username` beats `name`
_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in _ALIASES.items():
    for _rank, _name in enumerate((_field.replace("_", " "), *_names)):
        assert _LOOKUP.setdefault(_name, (_field, _rank))[0] == _field, f"alias {_name!r} names two fields"

#: header words that give the platform away when no row says which one
_PLATFORM_HINTS: dict[str, Platform] = {
    "youtuber": Platform.YOUTUBE, "youtube": Platform.YOUTUBE, "subscribers": Platform.YOUTUBE,
    "subscriber": Platform.YOUTUBE, "subs": Platform.YOUTUBE, "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM, "insta": Platform.INSTAGRAM, "tiktok": Platform.TIKTOK, "tiktoker": Platform.TIKTOK,
}


def normalize_header(raw: str) -> str:
    """`#Followers ` -> `followers`, `Avg. Likes` -> `avg likes`, `Category_1` -> `category 1`."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", raw.lower()).split())


def field_for(header: str) -> str | None:
    """The canonical field a header means, or None when we would only be guessing."""
    found = _lookup(normalize_header(header))
    return None if found is None else found[0]


def _lookup(name: str) -> tuple[str, int] | None:
    if name in _LOOKUP:
        return _LOOKUP[name]
    if re.fullmatch(r"(number of|no of|num|total) (followers|subscribers)", name):
        return "followers", 50
    if re.fullmatch(r"\d+ ?(d|day|days) (eng|engagement) rate( pct)?", name):
        return "engagement_rate_pct", 50
    return None


@dataclass(slots=True)
class Columns:
    """Where each field lives: several indexes when a column repeats (first non-junk wins)."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return bool(self.fields.get(name))

    def platform_hint(self) -> Platform | None:
        """One platform named by the headers (`Subscribers` -> YouTube); None if none or several."""
        found: set[Platform] = set()
        for header in self.headers:
            for word in normalize_header(header).split():
                if word in _PLATFORM_HINTS:
                    found.add(_PLATFORM_HINTS[word])
        return found.pop() if len(found) == 1 else None


def parse_mapping(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """`["handle=instagram name", …]` (the CLI's repeated --map) -> {field: header}."""
    if items is None:
        return {}
    pairs = items.items() if isinstance(items, Mapping) else (_split(item) for item in items)
    mapping: dict[str, str] = {}
    for column, header in pairs:
        name = normalize_header(column).replace(" ", "_")
        if name not in CANONICAL and name not in AUXILIARY:
            raise UserError(
                f"--map {column}={header}: “{column}” is not a column I know. Columns: {', '.join(CANONICAL)}.",
                MAP_EXAMPLE)
        mapping[name] = header
    return mapping


def _split(item: str) -> tuple[str, str]:
    column, sep, header = item.partition("=")
    if not sep or not column.strip() or not header.strip():
        raise UserError(f"--map “{item[:60]}” should read column=header.", MAP_EXAMPLE)
    return column.strip(), header.strip()


def resolve(headers: Sequence[str], mapping: Mapping[str, str] | None = None) -> Columns:
    """Assign every header to a field; `mapping` ({field: header}) overrides the alias table."""
    mapping = mapping or {}
    wanted = {normalize_header(h): f for f, h in mapping.items()}
    present = {normalize_header(h) for h in headers}
    for f, h in mapping.items():
        if normalize_header(h) not in present:
            raise UserError(
                f"--map {f}={h}: the file has no column “{h}”. Its columns: {', '.join(headers)[:400]}.",
                MAP_EXAMPLE)
    ranked: dict[str, list[tuple[int, int]]] = {}  # field -> [(rank, column index)]
    cols = Columns(headers=list(headers))
    for index, header in enumerate(headers):
        name = normalize_header(header)
        found = (wanted[name], -1) if name in wanted else _lookup(name)
        if found is not None and found[1] >= 0 and found[0] in mapping:
            found = None  # --map chose another column for this field
        if found is None:
            if name:
                cols.ignored.append(header.strip())
            continue
        target, rank = found
        if target == "handle" and name in _WEAK_HANDLE and "display_name" not in mapping:
            rank += 1000  # `name` next to `username`: the username is the handle
        ranked.setdefault(target, []).append((rank, index))
    handles = sorted(ranked.get("handle", []))
    weak = [(r, i) for r, i in handles if r >= 1000]
    if weak and len(weak) < len(handles):  # a real handle column exists: names are display names
        ranked["handle"] = [(r, i) for r, i in handles if r < 1000]
        ranked.setdefault("display_name", []).extend((r, i) for r, i in weak)
    cols.fields = {f: [i for _, i in sorted(pairs)] for f, pairs in ranked.items()}
    return cols
