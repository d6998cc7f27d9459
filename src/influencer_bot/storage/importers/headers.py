"""Which column of a real-world export holds which creator field.

Teams import what their tools and Kaggle give them (`#Followers`, `Eng. (Avg.)`,
`Category_2`, `ER 60 days`, `n_sampled_posts`), not our canonical header. Headers are
normalised (case, spaces, symbols) and looked up in one alias table; anything unknown is
ignored and reported, never guessed at, and `--map field=header` settles the rest.

Columns that name a creator (`name`, `instagram name`, `Tiktoker name`, `channel name`…) are
only candidates here: which one holds usernames and which display names is decided by their
content (see names.py), because exports label them inconsistently.

Several columns for one field are read in rank order, the first with a usable value winning:
a repeated column, a second category used when the first is empty, a recent-window rate
(`ER 60 days`) before a lifetime one (`ER`).
"""

from __future__ import annotations

import re
import unicodedata
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
#: read but not in the canonical header: what export tools add
EXTRA = ("avg_engagements", "avg_authentic_engagements", "audience_country")
#: read but not a creator column: lets a re-imported export skip prices it only estimated
AUXILIARY = ("price_source",)
MAP_EXAMPLE = 'influencer-bot import creators top.csv --map handle="instagram name" --map followers=subs'
NAME_FIELDS = ("handle", "display_name")

_ALIASES: dict[str, tuple[str, ...]] = {
    "platform": ("network", "social network", "channel type", "site", "source platform",
                 "plataforma", "plateforme", "plattform", "red social", "rede social", "reseau social"),
    # handle and display_name aliases are only header hints; content decides (names.py)
    "handle": ("username", "user name", "user", "account", "instagram handle", "instagram username",
               "ig handle", "ig username", "tiktok handle", "tiktok username", "youtube handle",
               "influencer handle", "screen name", "screenname", "profile url", "profile", "url", "link",
               "channel url", "channel id", "channel link", "profile link",
               # ambiguous: usernames in some exports, display names in others
               "name", "instagram name", "tiktok name", "tiktoker name", "youtuber name", "channel name",
               "channel info", "account name", "instagram", "ig", "tiktok", "tiktoker", "youtuber",
               "youtube channel", "channel", "influencer", "influencer name", "creator", "creator name",
               # exports from tools used in another language (Spanish, Portuguese, French, German, Italian)
               "usuario", "nombre de usuario", "nome de usuario", "nom d utilisateur", "utilisateur",
               "benutzername", "nutzername", "nome utente", "nombre", "nome", "nom"),
    "display_name": ("full name", "fullname", "title", "channel title", "influencer full name", "real name",
                     "nickname", "nick name", "display"),
    "followers": ("followers count", "follower count", "follower", "number of followers",
                  "no of followers", "total followers", "subscribers", "subscriber", "subscribers count",
                  "subscriber count", "subs", "fans", "audience", "audience size",
                  "seguidores", "suscriptores", "inscritos", "abonnes", "abonnenten", "iscritti"),
    "following": ("following count", "follows", "followings", "number of following", "followees", "followee",
                  "followees count", "following total"),
    "posts_total": ("posts", "post count", "posts count", "number of posts", "total posts", "media count",
                    "uploads", "videos", "video count", "total videos", "videos count"),
    "avg_likes": ("avg likes", "average likes", "avg like", "likes avg", "mean likes", "likes per post",
                  "avg likes per post", "average likes per post", "likes promedio", "media de likes",
                  "likes moyens", "durchschnittliche likes", "media likes"),
    "avg_comments": ("avg comments", "average comments", "avg comment", "comments avg", "mean comments",
                     "comments per post", "avg comments per post", "comentarios promedio",
                     "media de comentarios", "commentaires moyens", "durchschnittliche kommentare", "media commenti"),
    "avg_shares": ("avg shares", "average shares", "shares avg", "shares per post", "avg shares per post"),
    "avg_saves": ("avg saves", "average saves", "saves avg", "saves per post"),
    "avg_views": ("avg views", "average views", "views avg", "mean views", "views per video",
                  "avg video views", "average video views", "avg views per video", "avg plays",
                  "views per post", "avg views per post", "avg reel views"),
    "avg_engagements": ("eng avg", "engagement avg", "engagements avg", "avg engagement", "avg engagements",
                        "average engagement", "average engagements", "engagement average", "avg eng",
                        "engagements per post", "engagement per post", "avg interactions",
                        "interactions per post", "mean engagement", "engagement avg per post"),
    "avg_authentic_engagements": ("eng auth", "authentic engagement", "authentic engagements",
                                  "avg authentic engagement", "avg authentic engagements", "authentic eng",
                                  "eng authentic", "engagement auth", "real engagement"),
    "posts_sampled": ("posts sampled", "sample size", "sampled posts", "posts analysed", "posts analyzed",
                      "n sampled posts", "n posts sampled", "number of sampled posts", "posts in sample",
                      "n posts", "sampled"),
    "engagement_rate_pct": ("er", "engagement rate", "eng rate", "engagement rate pct",
                            "avg engagement rate", "engagement rate percent", "authentic engagement rate",
                            "er pct"),
    "topics": ("hashtags", "hashtag", "tags", "topic", "keywords", "niches", "niche", "interests",
               "hashtag list", "top hashtags", "hashtags used", "main hashtags"),
    "category": ("category 1", "categories", "main category", "primary category", "genre", "vertical",
                 "category 2", "second category", "secondary category", "sub category", "subcategory",
                 "category 3"),
    "bio": ("biography", "description", "about", "channel description"),
    "country": ("location", "country code", "nation", "region", "pais", "pays", "land", "paese"),
    "audience_country": ("audience country", "top audience country", "audience location", "audience geo",
                         "audience top country", "main audience country", "audience country top"),
    "language": ("lang", "main language"),
    "price_usd": ("price", "rate", "price per post", "rate per post", "fee", "cost", "cost per post",
                  "quoted price", "price usd", "price in usd"),
    "email": ("e mail", "email address", "contact email", "mail"),
    "price_source": ("price source",),
}
#: normalised header -> (field, rank); when several columns mean one field, the lower rank
#: (the canonical name, then the earlier alias) is read first
_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in _ALIASES.items():
    for _rank, _name in enumerate((_field.replace("_", " "), *_names)):
        assert _LOOKUP.setdefault(_name, (_field, _rank))[0] == _field, f"alias {_name!r} names two fields"
#: header names that say "username" outright (content still has the last word)
STRONG_HANDLE = frozenset(_ALIASES["handle"][:_ALIASES["handle"].index("name")]) | {"handle"}
_RATE = re.compile(r"\b(er|eng rate|engagement rate|engagement|eng)\b")
_WINDOW = re.compile(r"\b(?:last )?(\d{1,3}) ?(d|day|days|month|months|mo)\b")

#: header words that give the platform away; `subscribers` only when nothing else does
_PLATFORM_WORDS: dict[str, Platform] = {
    "youtuber": Platform.YOUTUBE, "youtube": Platform.YOUTUBE, "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM, "insta": Platform.INSTAGRAM, "tiktok": Platform.TIKTOK, "tiktoker": Platform.TIKTOK,
}
_YOUTUBE_ONLY = frozenset({"subscribers", "subscriber", "subs"})
_FILE_WORDS = (("instagram", Platform.INSTAGRAM), ("insta", Platform.INSTAGRAM), ("ig", Platform.INSTAGRAM),
               ("tiktok", Platform.TIKTOK), ("youtube", Platform.YOUTUBE), ("yt", Platform.YOUTUBE))


def normalize_header(raw: str) -> str:
    """`#Followers ` -> `followers`, `Eng. (Avg.)` -> `eng avg`, `Category_1` -> `category 1`,
    `Abonnés` -> `abonnes` (accents dropped, so headers in other languages keep their words)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", raw.lower()) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def lookup(name: str) -> tuple[str, int, int | None] | None:
    """(field, rank, rate window in days) for a normalised header, or None when we would only be guessing."""
    if name in _LOOKUP:
        return (*_LOOKUP[name], None)
    if re.fullmatch(r"(number of|no of|num|total) (followers|subscribers)", name):
        return "followers", 50, None
    if name.startswith("audience") and re.search(r"\b(country|geo|location)\b", name):
        return "audience_country", 50, None
    window = _WINDOW.search(name)
    if window and _RATE.search(name) and ("rate" in name or re.search(r"\ber\b", name)):
        days = int(window[1]) * (30 if window[2].startswith("mo") else 1)
        return "engagement_rate_pct", -1000 + days, days  # a recent window beats a lifetime rate
    return None


@dataclass(slots=True)
class NameColumn:
    """A column that names creators: usernames or display names, to be told apart by content."""

    header: str
    indexes: list[int]
    strong: bool  # the header says username/handle/url outright
    display: bool  # the header says display name


@dataclass(slots=True)
class Columns:
    """Where each field lives: several indexes when a column repeats (first usable wins)."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    names: list[NameColumn] = field(default_factory=list)  # handle and display-name candidates
    windows: dict[int, int] = field(default_factory=dict)  # rate column index -> window in days
    mapped: dict[str, str] = field(default_factory=dict)  # --map: field -> header

    def has(self, name: str) -> bool:
        return bool(self.fields.get(name)) or (name == "handle" and any(not n.display for n in self.names))

    def platform_hint(self) -> Platform | None:
        """One platform named by the headers (`Tiktoker name`), else by YouTube-only ones (`Subscribers`)."""
        found: set[Platform] = set()
        youtube_only = False
        for header in self.headers:
            for word in normalize_header(header).split():
                if word in _PLATFORM_WORDS:
                    found.add(_PLATFORM_WORDS[word])
                youtube_only |= word in _YOUTUBE_ONLY
        if not found and youtube_only:
            return Platform.YOUTUBE
        return found.pop() if len(found) == 1 else None


def platform_in_file_name(name: str) -> Platform | None:
    """`top-1000-instagram-2024.csv` -> Instagram; None when no platform, or several, is named."""
    words = re.split(r"[^a-z0-9]+", name.lower().rsplit(".", 1)[0])
    found = {p for word in words for key, p in _FILE_WORDS
             if word == key or (len(key) > 3 and word.startswith(key))}
    return found.pop() if len(found) == 1 else None


def parse_mapping(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """`["handle=instagram name", …]` (the CLI's repeated --map) -> {field: header}."""
    if items is None:
        return {}
    pairs = items.items() if isinstance(items, Mapping) else (_split(item) for item in items)
    mapping: dict[str, str] = {}
    for column, header in pairs:
        name = normalize_header(column).replace(" ", "_")
        if name not in CANONICAL and name not in EXTRA and name not in AUXILIARY:
            raise UserError(
                f"--map {column}={header}: “{column}” is not a column I know. Columns: "
                f"{', '.join(CANONICAL + EXTRA)}.", MAP_EXAMPLE)
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
    names: dict[str, NameColumn] = {}
    cols = Columns(headers=list(headers), mapped=dict(mapping))
    for index, header in enumerate(headers):
        name = normalize_header(header)
        found = (wanted[name], -10_000, None) if name in wanted else lookup(name)
        if found is not None and found[1] > -10_000 and found[0] in mapping:
            found = None  # --map chose another column for this field
        if found is None:
            if name:
                cols.ignored.append(header.strip())
            continue
        target, rank, window = found
        if window is not None:
            cols.windows[index] = window
        if target in NAME_FIELDS and rank > -10_000:
            column = names.setdefault(name, NameColumn(header.strip(), [], name in STRONG_HANDLE,
                                                       target == "display_name"))
            column.indexes.append(index)
            continue
        ranked.setdefault(target, []).append((rank, index))
    cols.names = list(names.values())
    cols.fields = {f: [i for _, i in sorted(pairs)] for f, pairs in ranked.items()}
    return cols


def resolve_aliases(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> Columns:
    """A plain alias table (the posts import's): {field: names}; repeated columns are kept in order."""
    table = {n: f for f, names in aliases.items() for n in (f.replace("_", " "), *names)}
    cols = Columns(headers=list(headers))
    for index, header in enumerate(headers):
        found = table.get(normalize_header(header))
        if found is None:
            if header.strip():
                cols.ignored.append(header.strip())
            continue
        cols.fields.setdefault(found, []).append(index)
    return cols
