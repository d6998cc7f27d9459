"""Keeping the Instagram sync under Meta's rate limits instead of running into them.

Every Graph API answer reports how much of the app's budget is used, as percentages in
`X-App-Usage` (`{"call_count": 12, "total_cputime": 5, "total_time": 8}`) and, for Instagram's
Business Use Case limits, in `X-Business-Use-Case-Usage` (`{"<id>": [{"type": "instagram",
"call_count": 91, ..., "estimated_time_to_regain_access": 3}]}`, the last in minutes). Past
`slow_from_pct` the pacer pauses after each call, longer the closer usage is to 100%. A
throttling error (codes 4, 17, 32, 613 and Instagram's BUC code 80002) pauses for the time Meta
estimates, or a growing backoff, and the call is retried; after `max_waits` pauses for one call,
or when Meta says access comes back later than `max_regain_s`, the platform stops with
`Throttled` and resumes on the next run. `sleep` is injectable so tests observe pauses without
waiting them.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from influencer_bot.storage.sync.fetched import Throttled

log = logging.getLogger(__name__)

THROTTLE_CODES = frozenset({4, 17, 32, 613, 80002})
_USAGE_KEYS = ("call_count", "total_cputime", "total_time")


@dataclass(frozen=True, slots=True)
class Usage:
    percent: float = 0.0  # the highest share of any budget used, 0..100+
    regain_s: float = 0.0  # how long Meta says until access returns, when it says


def read_usage(headers: Mapping[str, str]) -> Usage:
    """The worst figure across both usage headers; absent or malformed headers read as 0."""
    percent, regain_min = 0.0, 0.0
    entries: list[dict] = []
    for name in ("x-app-usage", "x-business-use-case-usage"):
        try:
            value = json.loads(headers.get(name) or "null")
        except ValueError:
            continue
        if isinstance(value, dict) and any(key in value for key in _USAGE_KEYS):
            entries.append(value)
        elif isinstance(value, dict):  # BUC: business id -> list of per-use-case entries
            entries.extend(e for v in value.values() if isinstance(v, list) for e in v if isinstance(e, dict))
    for entry in entries:
        for key in _USAGE_KEYS:
            if isinstance(entry.get(key), int | float):
                percent = max(percent, float(entry[key]))
        regain = entry.get("estimated_time_to_regain_access")
        if isinstance(regain, int | float):
            regain_min = max(regain_min, float(regain))
    return Usage(percent, regain_min * 60)


@dataclass
class GraphPacer:
    sleep: Callable[[float], None] = time.sleep
    slow_from_pct: float = 75.0
    max_pause_s: float = 60.0  # the pause at 100% usage, and the longest backoff
    first_backoff_s: float = 15.0  # after a throttling error that gives no estimate
    max_waits: int = 3  # throttling errors tolerated per call
    max_regain_s: float = 15 * 60  # a longer lockout stops the platform instead of waiting
    paused_s: list[float] = field(default_factory=list)  # every pause taken, for tests and logs

    def after(self, headers: Mapping[str, str]) -> None:
        """Pause in proportion to the usage this answer reports (nothing below `slow_from_pct`)."""
        usage = read_usage(headers)
        if usage.regain_s:
            self._pause(self._bounded(usage.regain_s, None), f"Meta asks to wait ({usage.percent:.0f}% used)")
        elif usage.percent >= self.slow_from_pct:
            share = min((usage.percent - self.slow_from_pct) / (100 - self.slow_from_pct), 1.0)
            self._pause(max(share * self.max_pause_s, 1.0), f"{usage.percent:.0f}% of the rate limit used")

    def throttled(self, headers: Mapping[str, str], code: int, attempt: int) -> None:
        """Wait out throttling error `code` on the `attempt`-th try (0-based), or raise Throttled."""
        if attempt >= self.max_waits:
            raise Throttled(f"Instagram kept rate-limiting this app (Graph API code {code}) after "
                            f"{attempt} pauses; the Instagram sync stopped and resumes on its next run.")
        regain = read_usage(headers).regain_s
        wait = regain or min(self.first_backoff_s * 2**attempt, self.max_pause_s)
        self._pause(self._bounded(wait, code), f"throttled (code {code})")

    def _bounded(self, wait_s: float, code: int | None) -> float:
        if wait_s > self.max_regain_s:
            why = f"Graph API code {code}" if code is not None else "its usage headers"
            raise Throttled(f"Instagram rate-limited this app for about {wait_s / 60:.0f} minutes ({why}); "
                            "the Instagram sync stopped and resumes on its next run.")
        return wait_s

    def _pause(self, seconds: float, why: str) -> None:
        log.info("instagram: pausing %.0fs: %s", seconds, why)
        self.paused_s.append(seconds)
        self.sleep(seconds)
