"""What listeners need from the process: the database and the settings.

bot/ builds one `Services` and a middleware puts it in every request's context, so
handlers never import bot/ and tests can hand in their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.context.respond import Respond

from sqlalchemy.orm import Session, sessionmaker

from ..influence.flags import QualityRules
from ..influence.optimizer import TIME_LIMIT_S
from ..influence.synonyms import BUILTIN, Synonyms
from ..influence.tiers import TierThresholds
from ..storage.search.semantic_rank import SemanticRanker
from ..storage.sync.configured import SyncPlatforms


@dataclass(frozen=True, slots=True)
class Services:
    sessions: sessionmaker[Session]
    thresholds: TierThresholds = TierThresholds()
    quality_rules: QualityRules = QualityRules()
    optimizer_time_limit_s: float = TIME_LIMIT_S  # past it, the best set found is posted with its proven gap
    synonyms: Synonyms = BUILTIN  # built-in + SYNONYMS_FILE; each workspace's own are added per request
    sync: SyncPlatforms = SyncPlatforms()  # the platforms this process can sync (bot/sync_clients.py)
    db_request_timeout_s: float = 2.0  # database work before an ack must end by then: Slack waits 3 s
    semantic: SemanticRanker | None = None  # SEMANTIC_MATCHING=on with the extra installed (bot/runtime.py)
    # replies to a stored response_url (work resumed from the outbox): bot/ gives one with retries
    respond_to: Callable[[str | None], Respond] = lambda url: Respond(response_url=url)
