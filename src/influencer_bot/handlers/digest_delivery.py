"""Putting a digest in a channel: build it, post it (or edit the one already posted), add the chart.

Shared by `/influencer digest now` and the scheduler, so both say exactly the same thing.
Posting goes through the app's WebClient, whose retry handlers already wait out 429
Retry-After and back off on 5xx and dropped connections; what still fails raises to the
caller, which decides what that means (an apology, or a ledger row marked failed).
The chart is best effort: a failure to render or upload it is logged and the digest stands.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from ..storage.db import transaction
from ..storage.digests.content import DigestContent, build_content, chart_data
from .services import Services
from .views.digest import digest_blocks, digest_text
from .views.digest_chart import render_chart

log = logging.getLogger("influencer_bot.digests")


def load_digest(services: Services, team_id: str, campaign_id: int | None, *, as_of: datetime,
                previous: dict[str, Any] | None = None, since: datetime | None = None) -> DigestContent:
    with transaction(services.sessions) as session:
        return build_content(session, team_id, campaign_id, as_of=as_of, previous=previous, since=since,
                             thresholds=services.thresholds)


def send_digest(client: WebClient, channel_id: str, content: DigestContent, *, cadence: str | None = None,
                update_ts: str | None = None) -> str:
    """Post the digest, or replace the message at `update_ts` (a retry after a partial failure); its ts."""
    text, blocks = digest_text(content), digest_blocks(content, cadence=cadence)
    if update_ts is not None:
        client.chat_update(channel=channel_id, ts=update_ts, text=text, blocks=blocks)
        return update_ts
    response = client.chat_postMessage(channel=channel_id, text=text, blocks=blocks, unfurl_links=False,
                                       unfurl_media=False)
    return str(response["ts"])


def attach_chart(client: WebClient, services: Services, content: DigestContent, channel_id: str,
                 thread_ts: str) -> bool:
    """Upload the chart into the digest's thread; False (and a log line) when it could not be."""
    if content.quiet or not content.campaigns:
        return False
    try:
        with transaction(services.sessions) as session:
            data = chart_data(session, content.team_id, content)
        if data is None:
            return False
        png = render_chart(data)
        client.files_upload_v2(channel=channel_id, thread_ts=thread_ts, file=png,
                               filename=f"digest-{content.as_of:%Y-%m-%d}.png",
                               title=f"{data.title}: engagements and spend against budget")
        return True
    except Exception:  # noqa: BLE001 - the chart is an extra; the digest is already posted
        log.exception("digest chart for %s in %s (message %s) failed; the digest stands without it",
                      content.team_id, channel_id, thread_ts)
        return False
