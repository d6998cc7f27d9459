"""Reading `/influencer digest …` before the ack, so every mistake is answered at once.

    digest daily 09:00 [campaign:"Spring launch"] [tz:Europe/Paris] [chart:off]
    digest weekly mon 09:00 [same options]
    digest list | digest off [campaign:"…"] | digest now [campaign:"…"]

Option values may be quoted with straight or curly quotes (Slack's clients curl them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...influence.digest_schedule import (
    DAILY, EXAMPLE_DAILY, EXAMPLE_WEEKLY, WEEKLY, parse_time_of_day, parse_timezone, parse_weekday,
)
from ...influence.errors import UserError
from ...influence.options import split_options

ACTIONS = (DAILY, WEEKLY, "list", "off", "now")
EXAMPLE_NOW = "/influencer digest now"
_OPTIONS_BY_ACTION = {DAILY: {"campaign", "tz", "chart"}, WEEKLY: {"campaign", "tz", "chart"},
                      "off": {"campaign"}, "now": {"campaign", "chart"}, "list": set()}


@dataclass(frozen=True, slots=True)
class DigestCommand:
    action: str
    time_of_day: str | None = None
    weekday: int | None = None
    timezone: str | None = None  # None: the requesting user's Slack timezone
    campaign: str | None = None  # None: all active campaigns
    chart: bool = True


def parse_digest(rest: str) -> DigestCommand:
    options, words = split_options(rest)
    if not words or words[0].lower() not in ACTIONS:
        said = f"“{words[0][:20]}” is not something digest does. " if words else ""
        raise UserError(f"{said}Use `digest daily`, `digest weekly`, `digest list`, `digest off` or `digest now`.",
                        EXAMPLE_DAILY)
    action, args = words[0].lower(), words[1:]
    example = EXAMPLE_WEEKLY if action == WEEKLY else EXAMPLE_NOW if action == "now" else EXAMPLE_DAILY
    unknown = set(options) - _OPTIONS_BY_ACTION[action]
    if unknown:
        allowed = ", ".join(f"`{o}:`" for o in sorted(_OPTIONS_BY_ACTION[action])) or "no options"
        raise UserError(f"`digest {action}` does not take `{sorted(unknown)[0][:20]}:`; it takes {allowed}.", example)
    if "campaign" in options and not options["campaign"]:
        raise UserError("campaign: needs the campaign's name, in quotes when it has spaces.", example)
    chart = _chart(options.get("chart"), example)
    timezone = parse_timezone(options["tz"]) if "tz" in options else None
    if action in (DAILY, WEEKLY):
        weekday = None
        if action == WEEKLY:
            if not args:
                raise UserError("A weekly digest needs a day and a time.", EXAMPLE_WEEKLY)
            if re.match(r"^\d", args[0]):
                raise UserError("A weekly digest needs a day before the time (mon, tue, … sun).", EXAMPLE_WEEKLY)
            weekday, args = parse_weekday(args[0]), args[1:]
        if not args:
            raise UserError("At what time? Give one in 24-hour HH:MM.", example)
        if len(args) > 1:
            raise UserError(f"I don't understand “{' '.join(args[1:])[:40]}”. Put a campaign name in "
                            'campaign:"…".', example)
        return DigestCommand(action, parse_time_of_day(args[0]), weekday, timezone, options.get("campaign"), chart)
    if args:
        raise UserError(f"`digest {action}` takes no “{' '.join(args)[:40]}”. Put a campaign name in "
                        'campaign:"…".', example)
    return DigestCommand(action, campaign=options.get("campaign"), chart=chart)


def _chart(value: str | None, example: str) -> bool:
    if value is None or value.lower() in ("on", "yes", "true"):
        return True
    if value.lower() in ("off", "no", "false", "none"):
        return False
    raise UserError(f"chart: takes on or off (you wrote “{value[:20]}”).", example)
