"""SQLAlchemy 2 typed models, one module per aggregate. Every row belongs to a Slack
workspace (`team_id`).

Importing this package registers every table on `Base.metadata`: Alembic's env and the
models-versus-migrations test rely on that, and the ORM resolves relationships across
modules by class name once all are imported.
"""

from .base import Base, Id, UTCDateTime, utcnow
from .campaigns import Campaign, CampaignMember, Post, PostSnapshot
from .creators import Creator, MetricSnapshot, Workspace
from .digests import DigestRun, DigestSubscription
from .search import IndexBlob, IndexedCreator, NicheSynonym
from .slack_installs import bots as slack_bots, installations as slack_installations, oauth_states as slack_oauth_states
from .shortlists import Decision, Shortlist, ShortlistItem, ShortlistRound
from .sync import QuotaDay, SyncRun
from .work import AcceptedWork

__all__ = [
    "Base", "Id", "UTCDateTime", "utcnow",
    "Campaign", "CampaignMember", "Post", "PostSnapshot",
    "Creator", "MetricSnapshot", "Workspace",
    "DigestRun", "DigestSubscription",
    "IndexBlob", "IndexedCreator", "NicheSynonym",
    "Decision", "Shortlist", "ShortlistItem", "ShortlistRound",
    "QuotaDay", "SyncRun",
    "AcceptedWork",
    "slack_bots", "slack_installations", "slack_oauth_states",
]
