"""Every Prometheus metric the bot exports, in one place, so names and labels stay consistent.

They live in prometheus-client's default registry; `/metrics` (bot/server.py) serves it. Label values
are bounded sets (command names, outcomes, Slack method names and error codes), never user input,
so a hostile request cannot grow the registry.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Seconds from a request reaching the app to its HTTP answer (the ack) and to the end of its work.
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
_SLOW = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

REQUESTS = Counter(
    "influencer_requests_total", "Slack requests handled, by kind, command or action, and outcome.",
    ["kind", "name", "outcome"])
ACK_SECONDS = Histogram(
    "influencer_ack_seconds", "Time from a Slack request's arrival to its acknowledgement.",
    ["kind"], buckets=_FAST)
WORK_SECONDS = Histogram(
    "influencer_work_seconds", "Duration of the work done after an ack (a find, a refresh, a post).",
    ["name"], buckets=_SLOW)
QUEUE_DEPTH = Gauge(
    "influencer_work_queue_depth", "Accepted work waiting for a worker.")
QUEUE_WAIT_SECONDS = Histogram(
    "influencer_work_queue_wait_seconds", "Time accepted work waited for a worker.", buckets=_SLOW)
QUEUE_REJECTED = Counter(
    "influencer_work_rejected_total", "Requests turned away because the work queue was full.")
SLACK_API_ERRORS = Counter(
    "influencer_slack_api_errors_total", "Slack Web API and response_url failures, by method and error code.",
    ["method", "code"])
DIGEST_RUNS = Counter(
    "influencer_digest_runs_total", "Digest deliveries attempted, by outcome.", ["outcome"])
DB_POOL_IN_USE = Gauge(
    "influencer_db_pool_connections_in_use", "Database connections checked out of the pool.")
