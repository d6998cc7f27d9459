"""The grammar of a find request: `vegan baking 2000 platform:instagram tier:micro max:5`.

Shared by `/influencer find` and `influencer-bot shortlist`, so both accept and
reject exactly the same input with the same messages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import UserError
from .options import split_options
from .money import BUDGET_EXAMPLE, BUDGET_FORMATS, looks_like_budget, parse_budget
from .platforms import Platform, parse_platform
from .tiers import Tier, parse_tier

EXAMPLE = "/influencer find vegan baking 2000"
MAX_ITEMS_DEFAULT = 10
MAX_ITEMS_LIMIT = 20  # 2 blocks a creator plus header and footer stay under Slack's 50
MAX_NICHE_CHARS = 100
MAX_INPUT_CHARS = 500
_NICHE_PUNCTUATION = set(" -'&/+.")
_OPTIONS = ("platform", "tier", "max", "min-er", "goal", "campaign", "match", "like")
LIKE_EXAMPLE = "/influencer find like:@veganbakes 2000"
_HANDLE = re.compile(r"[\w.]{1,64}")
MATCH_MODES = ("all", "any")  # all: whole-niche matches first (the default); any: pure value
_OPTION_EXAMPLES = {
    "platform": "/influencer find vegan baking 2000 platform:tiktok",
    "tier": "/influencer find vegan baking 2000 tier:micro",
    "max": "/influencer find vegan baking 2000 max:5",
    "min-er": "/influencer find vegan baking 2000 min-er:2.5",
    "goal": "/influencer find vegan baking 2000 goal:reach",
    "campaign": '/influencer find vegan baking 2000 campaign:"Spring launch"',
    "match": "/influencer find vegan baking 2000 match:any",
    "like": LIKE_EXAMPLE,
}


@dataclass(frozen=True, slots=True)
class FindQuery:
    niche: str
    budget_cents: int
    platform: Platform | None = None
    tier: Tier | None = None
    max_items: int = MAX_ITEMS_DEFAULT
    min_er_pct: float | None = None
    goal: str = "engagement"  # or "reach"
    campaign: str | None = None  # attach the shortlist to this campaign (by name)
    match: str = "all"  # "any": today's pure-value objective, partial matches compete on value alone
    like: str | None = None  # a handle: creators like this one instead of a niche (storage/search/lookalike)
    all_platforms: bool = False  # with `like`: `platform:any` (by default, the seed's own platform)

    @property
    def words(self) -> list[str]:
        return self.niche.split()

    def options(self) -> dict[str, object]:
        """JSON-safe options, as stored with a shortlist."""
        return {"platform": self.platform and self.platform.value, "tier": self.tier and self.tier.value,
                "max": self.max_items, "min_er": self.min_er_pct, "goal": self.goal,
                "match": self.match, "like": self.like, "all_platforms": self.all_platforms}

    @classmethod
    def from_options(cls, niche: str, budget_cents: int, options: dict[str, object]) -> FindQuery:
        """The query a shortlist was made with, from what `options()` stored."""
        return cls(niche=niche, budget_cents=budget_cents,
                   platform=Platform(options["platform"]) if options.get("platform") else None,
                   tier=Tier(options["tier"]) if options.get("tier") else None,
                   max_items=int(options.get("max") or MAX_ITEMS_DEFAULT),  # type: ignore[call-overload]
                   min_er_pct=options.get("min_er"),  # type: ignore[arg-type]
                   goal=str(options.get("goal") or "engagement"),
                   match=str(options.get("match") or "all"),
                   like=str(options["like"]) if options.get("like") else None,
                   all_platforms=bool(options.get("all_platforms")))


def _check_niche(niche: str) -> str:
    if not niche:
        raise UserError("Tell me which niche to search: some words before the budget.", EXAMPLE)
    if len(niche) > MAX_NICHE_CHARS:
        raise UserError(f"The niche is too long ({len(niche):,} characters; at most {MAX_NICHE_CHARS}).", EXAMPLE)
    for ch in niche:
        if not (ch.isalnum() or ch in _NICHE_PUNCTUATION or unicodedata.category(ch) == "Mn"):
            shown = ch if ch.isprintable() and ch not in "<>&`*_~" else repr(ch)
            raise UserError(
                f"The niche can hold only words (letters, digits, spaces, hyphens); “{shown}” is not allowed.",
                EXAMPLE,
            )
    return " ".join(niche.split()).lower()


def _max_items(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_ITEMS_LIMIT:
        raise UserError(f"max: takes a whole number from 1 to {MAX_ITEMS_LIMIT} (you wrote “{value[:20]}”).",
                        "/influencer find vegan baking 2000 max:5")
    return int(value)


def _min_er(value: str) -> float:
    try:
        pct = float(value.removesuffix("%"))
    except ValueError:
        pct = -1.0
    if not 0 <= pct <= 100:
        raise UserError(f"min-er: takes a percentage from 0 to 100 (you wrote “{value[:20]}”).",
                        "/influencer find vegan baking 2000 min-er:2.5")
    return pct


def parse_find(text: str) -> FindQuery:
    """Parse everything after `find`; raises UserError saying what was wrong, with an example."""
    if len(text) > MAX_INPUT_CHARS:
        raise UserError(f"That request is too long ({len(text):,} characters; at most {MAX_INPUT_CHARS}).", EXAMPLE)
    options, words = split_options(text)
    for key in options:
        if key not in _OPTIONS:
            raise UserError(f"I don't know the option “{key[:20]}:”. Options: {', '.join(o + ':' for o in _OPTIONS)}.",
                            "/influencer find vegan baking 2000 platform:instagram tier:micro max:5")
        if not options[key]:
            raise UserError(f"The option {key}: needs a value.", _OPTION_EXAMPLES.get(key, EXAMPLE))
    for word in words:
        key = word.removesuffix(":").lower()
        if word.endswith(":") and key in _OPTIONS:
            raise UserError(f"The option {key}: needs a value.", _OPTION_EXAMPLES.get(key, EXAMPLE))
    budget_at = next((i for i in range(len(words) - 1, -1, -1) if looks_like_budget(words[i])), None)
    if budget_at is None:
        if words and (words[-1].startswith(("-", "$-")) or words[-1].lstrip("$").replace(".", "", 1).isdigit()):
            parse_budget(words[-1])  # raises the precise budget error (negative, zero…)
        raise UserError(f"Give a budget in dollars after the niche ({BUDGET_FORMATS}).", BUDGET_EXAMPLE)
    budget_cents = parse_budget(words.pop(budget_at))
    if "like" in options:
        return _like_query(options, words, budget_cents)
    niche = _check_niche(" ".join(words))
    match = options.get("match", "all").lower()
    if match not in MATCH_MODES:
        raise UserError(f"match: is all or any (you wrote “{match[:20]}”).", _OPTION_EXAMPLES["match"])
    return FindQuery(niche=niche, budget_cents=budget_cents, match=match, **_common(options))


def _goal(options: dict[str, str]) -> str:
    goal = options.get("goal", "engagement").lower()
    if goal in ("engagements", "engagement"):
        return "engagement"
    if goal != "reach":
        raise UserError(f"goal: is engagement or reach (you wrote “{goal[:20]}”).",
                        "/influencer find vegan baking 2000 goal:reach")
    return goal


def _common(options: dict[str, str]) -> dict[str, object]:
    """The options a niche search and a lookalike search share."""
    return {"platform": parse_platform(options["platform"]) if options.get("platform", "any") != "any" else None,
            "tier": parse_tier(options["tier"]) if "tier" in options else None,
            "max_items": _max_items(options["max"]) if "max" in options else MAX_ITEMS_DEFAULT,
            "min_er_pct": _min_er(options["min-er"]) if "min-er" in options else None,
            "goal": _goal(options), "campaign": options.get("campaign")}


def _like_query(options: dict[str, str], words: list[str], budget_cents: int) -> FindQuery:
    """`like:@handle <budget> [options]`: no niche words; `platform:any` looks on every platform."""
    handle = options["like"].strip().lstrip("@")
    if not _HANDLE.fullmatch(handle):
        raise UserError(f"like: takes a creator's handle, like @veganbakes (you wrote “{options['like'][:30]}”).",
                        LIKE_EXAMPLE)
    if words:
        raise UserError(f"like:@{handle} looks for creators like @{handle}, so leave out the niche words "
                        f"(you wrote “{' '.join(words)[:40]}”).", LIKE_EXAMPLE)
    if "match" in options:
        raise UserError("match: is for niche searches; like: compares creators by everything they post about.",
                        LIKE_EXAMPLE)
    return FindQuery(niche=f"like @{handle}", budget_cents=budget_cents, like=handle,
                     all_platforms=options.get("platform", "").lower() == "any", **_common(options))
