"""All configuration, read once from the environment and an optional `.env` file.

Every setting has a default that works locally except the Slack credentials; `run`
explains a missing one in a single line.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..influence.activity import AD_SATURATED_SHARE, INACTIVE_POSTS_PER_WEEK
from ..influence.flags import QualityRules
from ..influence.optimizer import TIME_LIMIT_S
from ..influence.semantic import INSTALL_HINT, extra_installed
from ..influence.synonyms import BUILTIN, Synonyms, load_file
from ..influence.tiers import TierThresholds

SLACK_API_DEFAULT = "https://slack.com/api/"
# the bot scopes of manifest.json (tests/bot/test_oauth_install.py keeps the two the same)
SLACK_BOT_SCOPES = "commands,chat:write,chat:write.public,users:read,files:write"
LOCAL_WORKSPACE = "T0LOCAL"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///./influencer.db"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    # OAuth (many workspaces, README "Installing in many workspaces"): instead of SLACK_BOT_TOKEN
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None
    slack_scopes: str = SLACK_BOT_SCOPES  # comma-separated bot scopes asked for at install
    port: int = Field(3000, ge=1, le=65535)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object a line, with the request id (README)

    # Slack: each Web API call and response_url post gives up after SLACK_TIMEOUT_S, and is retried
    # SLACK_MAX_RETRIES times on 429 (after Retry-After), 5xx and lost connections (backoff from
    # SLACK_RETRY_BACKOFF_S, doubling). A read timeout is not retried: the post may have landed.
    slack_timeout_s: float = Field(10.0, gt=0, le=60)
    slack_max_retries: int = Field(3, ge=0, le=10)
    slack_retry_backoff_s: float = Field(0.5, ge=0, le=30)

    # the database: seconds to connect, to get a pooled connection, and per statement (PostgreSQL's
    # statement_timeout and idle-in-transaction timeout; SQLite's busy_timeout); a server that does not
    # answer within DB_STATEMENT_TIMEOUT_S + 2 s has its connection cut by the client. 0 = no limit.
    db_connect_timeout_s: float = Field(5.0, ge=0, le=300)
    db_pool_timeout_s: float = Field(5.0, ge=0, le=300)
    db_statement_timeout_s: float = Field(30.0, ge=0, le=3600)
    # database work done before a Slack request is answered (a button's re-read): Slack waits 3 s
    db_request_timeout_s: float = Field(2.0, gt=0, le=2.9)
    # /slack/events refuses larger bodies with 413 before reading them (bot/edge.py says why 512 KiB)
    max_request_body_bytes: int = Field(512 * 1024, ge=16 * 1024, le=16 * 1024 * 1024)
    default_workspace: str = LOCAL_WORKSPACE
    # on SIGTERM, `run` and `scheduler` finish work in hand for at most this long, then exit
    shutdown_grace_s: float = Field(20.0, ge=0, le=600)

    tier_nano_min: int = 1_000
    tier_micro_min: int = 10_000
    tier_macro_min: int = 100_000
    tier_mega_min: int = 1_000_000

    flag_low_engagement_ratio: float = 0.3
    flag_high_engagement_ratio: float = 4.0
    flag_follow_ratio: float = 0.8
    flag_max_daily_growth: int = 5_000
    flag_inactive_posts_per_week: float = Field(INACTIVE_POSTS_PER_WEEK, ge=0)
    flag_ad_saturated_share: float = Field(AD_SATURATED_SHARE, gt=0, le=1)

    # the work after an ack (bot/work_queue.py): worker threads (0: one per core, at least two), how
    # many requests may wait for one before new ones are told the bot is busy, and how long a process
    # holds an accepted piece of work before another may resume it (it renews the hold while alive)
    work_workers: int = Field(0, ge=0, le=64)
    work_queue_max: int = Field(500, ge=1, le=100_000)
    work_lease_seconds: float = Field(30.0, ge=0.5, le=600)

    synonyms_file: str | None = None  # extra niche synonyms for every workspace (see influence/synonyms.py)
    optimizer_time_limit_s: float = Field(TIME_LIMIT_S, gt=0, le=2.5)  # then the best set found, with its proven gap
    # auto: on where the extra is installed (pip install 'influencer-bot[semantic]'); on: the extra is required
    semantic_matching: Literal["auto", "on", "off"] = "auto"

    # digests: a run missed while the bot was down is posted if it is at most this late, else skipped
    digest_grace_hours: float = Field(6.0, ge=0, le=24 * 7)
    digest_sync_seconds: float = Field(30.0, ge=1, le=3600)  # how soon a change from Slack takes effect
    digest_max_attempts: int = Field(5, ge=1, le=100)  # per period, then it stays failed (logged)
    digest_claim_lease_minutes: float = Field(15.0, ge=1)  # a claim older than this is a dead worker's

    # platform sync (storage/sync/): keys and tokens are secrets, never logged; base URLs default
    # to the real hosts, so that tests and corporate proxies can point them elsewhere
    youtube_api_key: SecretStr | None = None
    youtube_api_url: str = "https://www.googleapis.com/youtube/v3/"
    youtube_daily_quota: int = Field(10_000, ge=1)  # units per day, reset at midnight Pacific time
    # YouTube's public per-channel Atom feed (not the Data API: no key, no quota): latest upload ids
    youtube_feed_url: str = "https://www.youtube.com/feeds/videos.xml"
    instagram_access_token: SecretStr | None = None
    instagram_user_id: str | None = None  # the team's own Instagram business account, for business_discovery
    instagram_api_url: str = "https://graph.facebook.com/v21.0/"
    tiktok_client_key: SecretStr | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_api_url: str = "https://open.tiktokapis.com/v2/"
    sync_every_hours: float = Field(24.0, gt=0, le=24 * 30)  # the scheduler's creator sync cadence
    sync_stale_after_days: float = Field(7.0, ge=0)  # creators synced more recently are skipped
    sync_timeout_s: float = Field(10.0, gt=0, le=120)  # per HTTP call to a platform
    sync_max_attempts: int = Field(5, ge=1, le=20)  # per call, on 429, 5xx and timeouts

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        self.tiers  # validates the ordering early, with a clear message
        self.synonyms  # a bad SYNONYMS_FILE is a configuration error at start, not at the first search
        if self.semantic_matching == "on" and not extra_installed():
            raise ValueError(f"SEMANTIC_MATCHING=on needs the semantic extra: {INSTALL_HINT} "
                             "(or SEMANTIC_MATCHING=off)")
        for name in ("slack_api_url", "youtube_api_url", "instagram_api_url", "tiktok_api_url"):
            if not getattr(self, name).endswith("/"):
                setattr(self, name, getattr(self, name) + "/")
        return self

    @property
    def semantic(self) -> bool:
        """Whether finds re-judge partial matches semantically (storage/search/semantic_rank.py)."""
        return self.semantic_matching == "on" or (self.semantic_matching == "auto" and extra_installed())

    @cached_property
    def tiers(self) -> TierThresholds:
        try:
            return TierThresholds(self.tier_nano_min, self.tier_micro_min, self.tier_macro_min, self.tier_mega_min)
        except ValueError as exc:
            raise ValueError(f"TIER_*_MIN settings: {exc}") from None

    @cached_property
    def synonyms(self) -> Synonyms:
        """Built-in niche synonyms plus those of SYNONYMS_FILE (lines like `vegan = plant-based, plantbased`)."""
        return BUILTIN.with_pairs(load_file(self.synonyms_file)) if self.synonyms_file else BUILTIN

    @cached_property
    def quality_rules(self) -> QualityRules:
        return QualityRules(
            low_engagement_ratio=self.flag_low_engagement_ratio,
            high_engagement_ratio=self.flag_high_engagement_ratio,
            follow_ratio=self.flag_follow_ratio,
            max_daily_growth=self.flag_max_daily_growth,
            inactive_posts_per_week=self.flag_inactive_posts_per_week,
            ad_saturated_share=self.flag_ad_saturated_share,
        )

    @property
    def oauth(self) -> bool:
        """Whether the app is installed by OAuth (each workspace its own token) rather than SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id or self.slack_client_secret or self.slack_state_secret)

    @property
    def scopes(self) -> list[str]:
        return [s.strip() for s in self.slack_scopes.split(",") if s.strip()]

    def _missing_for_oauth(self) -> str | None:
        if self.slack_bot_token:
            return ("SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET are both set: "
                    "choose one mode. Keep SLACK_BOT_TOKEN for one workspace, or unset it to install by OAuth "
                    "in many (README, “Installing in many workspaces”)")
        for name in ("slack_client_id", "slack_client_secret", "slack_state_secret"):
            if not getattr(self, name):
                return (f"{name.upper()} is not set: OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET (your app's "
                        "“Basic Information → App Credentials”) and SLACK_STATE_SECRET (any long random string, "
                        "e.g. `openssl rand -hex 32`)")
        return None

    def missing_for_scheduler(self) -> str | None:
        """The scheduler only posts: it needs the bot token (or OAuth's installations), not the signing secret."""
        if self.oauth:
            return self._missing_for_oauth()
        if not self.slack_bot_token:
            return ("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your app's "
                    "“OAuth & Permissions” page at https://api.slack.com/apps")
        return None

    def missing_for_run(self) -> str | None:
        """The one line that says which credential `run` still needs, or None."""
        missing = self.missing_for_scheduler()
        if missing:
            return missing
        if self.oauth and self.slack_app_token:
            return ("SLACK_APP_TOKEN (Socket Mode) cannot serve the OAuth install pages: unset it and serve HTTP "
                    "with SLACK_SIGNING_SECRET")
        if not self.slack_app_token and not self.slack_signing_secret:
            return ("SLACK_SIGNING_SECRET is not set: copy it from your app's “Basic Information” page at "
                    "https://api.slack.com/apps (or set SLACK_APP_TOKEN, xapp-…, to use Socket Mode)")
        return None
