"""Scheduled digests on a simulated clock: exactly once, across workers, restarts and failures.

Every test counts what reached the local Slack Web API: a duplicate digest is a second
successful chat.postMessage for one period, and that is what these tests forbid.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from conftest import TEAM
from digest_world import NOW, make_world
from influencer_bot.bot import digest_runner
from influencer_bot.bot.digest_runner import DigestRunner, Outcome
from influencer_bot.bot.scheduler import DigestScheduler
from influencer_bot.bot.metrics import DIGEST_RUNS
from influencer_bot.bot.slack_client import make_web_client
from influencer_bot.influence.digest_schedule import Cadence, occurrences
from influencer_bot.storage.digests import subscriptions as store
from influencer_bot.storage.db import transaction
from influencer_bot.storage.models import DigestRun
from influencer_bot.storage.workspaces import ensure_workspace
from scheduler_worker import run_steps

MARCH = datetime(2027, 3, 1, tzinfo=UTC)  # a month with both DST changes (US 14th, EU 28th)


def subscribe(factory, channel: str, cadence: Cadence, *, campaign_id=None, chart=False, created=MARCH) -> int:
    with transaction(factory) as s:
        ensure_workspace(s, TEAM)
        sub, _ = store.subscribe(s, TEAM, channel, store.Schedule(cadence, campaign_id, chart), "U1")
        sub.created_at = created
    return sub.id


def posts(slack, channel: str | None = None) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if not c.failed
            and (channel is None or c.params["channel"] == channel)]


def ledger_rows(factory, sub_id: int) -> list[DigestRun]:
    with factory() as s:
        return list(s.scalars(select(DigestRun).where(DigestRun.subscription_id == sub_id)
                              .order_by(DigestRun.scheduled_for)))


@pytest.fixture
def runner(services, slack) -> DigestRunner:
    return DigestRunner(services, make_web_client("xoxb-test", slack.api_url), worker_id="w1")


SCHEDULES = {
    "CPARIS": Cadence("daily", "09:00", "Europe/Paris"),
    "CNYC": Cadence("daily", "07:30", "America/New_York"),
    "CTOKYO": Cadence("weekly", "09:00", "Asia/Tokyo", 0),
}


def _expected(end: datetime) -> dict[str, int]:
    return {ch: len(occurrences(c, MARCH, end)) for ch, c in SCHEDULES.items()}


def assert_each_worker_did_its_part(factory, outcomes: dict[str, dict[str, int]], sub_ids, total: int) -> None:
    """Both workers posted some of the digests, each one what the ledger says it claimed, and
    together all of them: the ledger, not luck, kept them apart."""
    rows = [r for sub_id in sub_ids for r in ledger_rows(factory, sub_id)]
    by_ledger = Counter(r.claimed_by for r in rows if r.status == "posted")
    reported = {name: o.get(Outcome.POSTED.value, 0) for name, o in outcomes.items()}
    assert reported == {name: by_ledger[name] for name in reported} and by_ledger.total() == total, by_ledger
    assert len(reported) == 2 and all(n > 0 for n in reported.values()), reported
    assert all(set(o) <= {Outcome.POSTED.value, Outcome.NOT_OURS.value} for o in outcomes.values()), outcomes


def test_two_workers_over_a_month_post_each_digest_exactly_once(session_factory, db_url, slack):
    world = make_world(session_factory, TEAM, now=MARCH + timedelta(days=10))
    ids = {ch: subscribe(session_factory, ch, c, campaign_id=world.campaign_id if ch == "CPARIS" else None,
                         chart=ch == "CPARIS") for ch, c in SCHEDULES.items()}
    steps = [MARCH + timedelta(hours=2 * n, minutes=7) for n in range(12 * 31)]
    barrier = threading.Barrier(2)
    results: queue.Queue = queue.Queue()
    workers = [threading.Thread(target=run_steps, args=(db_url, slack.api_url, f"w{n}", steps, barrier, results))
               for n in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=280)
    outcomes = dict(results.get_nowait() for _ in workers)
    expected = _expected(steps[-1])
    assert expected == {"CPARIS": 31, "CNYC": 31, "CTOKYO": 4}  # Monday 1st 09:00 Tokyo is before the start
    for channel, count in expected.items():
        assert len(posts(slack, channel)) == count, channel
        rows = ledger_rows(session_factory, ids[channel])
        assert [r.status for r in rows] == ["posted"] * count
        assert len({r.period_key for r in rows}) == count and len({r.message_ts for r in rows}) == count
        zone = ZoneInfo(SCHEDULES[channel].timezone)  # 09:00 local on both sides of the DST change
        assert {r.scheduled_for.astimezone(zone).strftime("%H:%M") for r in rows} == {SCHEDULES[channel].time_of_day}
    assert_each_worker_did_its_part(session_factory, outcomes, ids.values(), sum(expected.values()))
    # Paris has the chart, on every digest that has news (the world stops moving on the 11th)
    newsy = [c for c in posts(slack, "CPARIS") if "no new activity" not in c.params["text"]]
    assert 10 <= len(newsy) < 31
    assert len(slack.calls_to("files.completeUploadExternal")) == len(newsy)


def test_two_os_processes_on_one_database_post_each_digest_once(session_factory, db_url, slack):
    ids = [subscribe(session_factory, "CPARIS", SCHEDULES["CPARIS"]),
           subscribe(session_factory, "CTOKYO", SCHEDULES["CTOKYO"])]
    steps = [MARCH + timedelta(hours=6 * n, minutes=3) for n in range(4 * 30)]
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=run_steps, args=(db_url, slack.api_url, f"p{n}", steps, barrier, results))
             for n in (1, 2)]
    for p in procs:
        p.start()
    outcomes = dict(results.get(timeout=240) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    expected = {ch: len(occurrences(SCHEDULES[ch], MARCH, steps[-1])) for ch in ("CPARIS", "CTOKYO")}
    assert {ch: len(posts(slack, ch)) for ch in expected} == expected
    assert_each_worker_did_its_part(session_factory, outcomes, ids, sum(expected.values()))


def test_a_restart_after_a_missed_digest_posts_it_once_within_grace_and_skips_it_after(
        session_factory, services, slack, runner, caplog):
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "UTC"))
    assert runner.run_due(MARCH + timedelta(hours=8)) == []  # the bot goes down at 08:00…
    # …and is back at 11:00: the 09:00 digest is posted once, by whichever process looks first
    assert runner.run_due(MARCH + timedelta(hours=11)) == [(sub_id, "2027-03-01", Outcome.POSTED)]
    restarted = DigestRunner(services, runner.client, worker_id="w-restarted")
    assert [o for *_, o in restarted.run_due(MARCH + timedelta(hours=11, minutes=1))] == []
    assert [o for *_, o in runner.run_due(MARCH + timedelta(hours=12))] == []
    # down again from before 09:00 on the 2nd until 16:00: 7 hours late is beyond the 6-hour grace
    with caplog.at_level(logging.WARNING, logger="influencer_bot.digests"):
        assert restarted.run_due(MARCH + timedelta(days=1, hours=16)) == [(sub_id, "2027-03-02", Outcome.SKIPPED)]
    assert "2027-03-02" in caplog.text and "grace" in caplog.text
    assert restarted.run_due(MARCH + timedelta(days=2, hours=9)) == [(sub_id, "2027-03-03", Outcome.POSTED)]
    assert [r.status for r in ledger_rows(session_factory, sub_id)] == ["posted", "skipped", "posted"]
    assert len(posts(slack)) == 2


@pytest.mark.parametrize("status", [429, 500])
def test_rate_limits_and_server_errors_are_retried_without_duplicates(session_factory, slack, runner, status):
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "UTC"))
    slack.fail_next("chat.postMessage", status=status, retry_after=0)
    assert runner.run_due(MARCH + timedelta(hours=9, minutes=1)) == [(sub_id, "2027-03-01", Outcome.POSTED)]
    attempts = slack.calls_to("chat.postMessage")
    assert [c.failed for c in attempts] == [True, False]
    assert len(slack.messages("C1")) == 1


def digest_runs_counted() -> dict[str, float]:
    """influencer_digest_runs_total by outcome, as /metrics shows it."""
    return {s.labels["outcome"]: s.value for m in DIGEST_RUNS.collect() for s in m.samples if s.name.endswith("_total")}


def test_a_digest_that_still_fails_is_recorded_and_posted_once_on_the_next_tick(session_factory, slack, runner):
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "UTC"))
    before = digest_runs_counted()
    slack.error_next("chat.postMessage", "internal_error")  # not retried by the client: the ledger retries
    assert runner.run_due(MARCH + timedelta(hours=9)) == [(sub_id, "2027-03-01", Outcome.FAILED)]
    (row,) = ledger_rows(session_factory, sub_id)
    assert (row.status, row.attempts, row.message_ts) == ("failed", 1, None) and "internal_error" in row.last_error
    assert runner.run_due(MARCH + timedelta(hours=9, minutes=1)) == [(sub_id, "2027-03-01", Outcome.POSTED)]
    assert runner.run_due(MARCH + timedelta(hours=9, minutes=2)) == []
    (row,) = ledger_rows(session_factory, sub_id)
    assert (row.status, row.attempts) == ("posted", 2)
    assert len(posts(slack)) == 1
    after = digest_runs_counted()  # the metric counts each attempt by what became of it
    assert {o: after.get(o, 0) - before.get(o, 0) for o in ("failed", "posted")} == {"failed": 1, "posted": 1}


def test_a_failure_after_posting_edits_the_message_instead_of_posting_again(
        session_factory, slack, runner, monkeypatch):
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "UTC"))
    real = digest_runner.ledger.record_posted
    calls = []

    def broken_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE digest_runs", {}, Exception("connection lost"))
        return real(*args, **kwargs)

    monkeypatch.setattr(digest_runner.ledger, "record_posted", broken_once)
    assert runner.run_due(MARCH + timedelta(hours=9)) == [(sub_id, "2027-03-01", Outcome.FAILED)]
    (row,) = ledger_rows(session_factory, sub_id)
    assert row.status == "failed" and row.message_ts == slack.messages("C1")[0]["ts"]
    assert runner.run_due(MARCH + timedelta(hours=9, minutes=1)) == [(sub_id, "2027-03-01", Outcome.UPDATED)]
    assert len(posts(slack)) == 1 and len(slack.calls_to("chat.update")) == 1
    assert len(slack.messages("C1")) == 1
    (row,) = ledger_rows(session_factory, sub_id)
    assert row.status == "posted"


def test_a_failed_chart_upload_does_not_make_the_digest_fail(session_factory, slack, runner):
    world = make_world(session_factory, TEAM, now=MARCH)
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "UTC"), campaign_id=world.campaign_id,
                       chart=True)
    slack.error_next("files.completeUploadExternal", "internal_error")
    assert runner.run_due(MARCH + timedelta(hours=9)) == [(sub_id, "2027-03-01", Outcome.POSTED)]
    assert [r.status for r in ledger_rows(session_factory, sub_id)] == ["posted"]
    assert runner.run_due(MARCH + timedelta(hours=10)) == []
    assert len(posts(slack)) == 1


def _section_text(call) -> str:
    return "\n".join(b.get("text", {}).get("text", "") for b in call.params["blocks"] if b["type"] == "section")


def test_digests_show_the_change_since_the_last_one_and_say_so_when_nothing_moved(session_factory, slack, runner):
    world = make_world(session_factory, TEAM, now=NOW)
    subscribe(session_factory, "C1", Cadence("daily", "13:00", "UTC"), campaign_id=world.campaign_id,
              created=NOW - timedelta(days=5))
    for day in (-3, -2, 1, 2):
        runner.run_due(NOW + timedelta(days=day, hours=1, minutes=5))
    first, second, third, quiet = posts(slack, "C1")
    assert "(+" not in _section_text(first)
    assert "*Engagement* " in _section_text(second) and "(+" in _section_text(second)
    assert "(+" in _section_text(third)  # two days of snapshots since the 18th
    assert _section_text(quiet).startswith("No new activity on 1 campaign since the last digest")
    assert len(quiet.params["blocks"]) == 3


def test_the_apscheduler_layer_follows_the_database(session_factory, services, slack, runner):
    clock = [MARCH + timedelta(hours=9, minutes=30)]
    scheduler = DigestScheduler(runner, sync_seconds=0.2, clock=lambda: clock[0])
    sub_id = subscribe(session_factory, "C1", Cadence("daily", "09:00", "Europe/Paris"))
    assert scheduler.sync() == (1, 0)
    (job,) = [j for j in scheduler.scheduler.get_jobs()]
    assert str(job.trigger.timezone) == "Europe/Paris" and "hour='9'" in str(job.trigger)
    with transaction(session_factory) as s:  # changed from Slack: the job follows without a restart
        store.subscribe(s, TEAM, "C1", store.Schedule(Cadence("weekly", "10:15", "Asia/Tokyo", 2), None), "U1")
    assert scheduler.sync() == (1, 1)
    (job,) = scheduler.scheduler.get_jobs()
    assert "day_of_week='2'" in str(job.trigger) and "minute='15'" in str(job.trigger)
    with transaction(session_factory) as s:
        store.unsubscribe(s, TEAM, "C1", None, every=True)
    assert scheduler.sync() == (0, 1)
    # started for real: the first tick catches up the digest missed at 09:00 Paris (08:00 UTC)
    subscribe(session_factory, "C2", Cadence("daily", "09:00", "Europe/Paris"))
    scheduler.start()
    try:
        slack.wait_for("chat.postMessage", timeout=10)
    finally:
        scheduler.shutdown()
    assert len(posts(slack, "C2")) == 1
    assert posts(slack, "C1") == [] and ledger_rows(session_factory, sub_id) == []  # its job went with it


def test_the_scheduler_process_needs_only_the_bot_token(monkeypatch, tmp_path, capsys):
    from influencer_bot.bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["scheduler"]) == 2
    assert "SLACK_BOT_TOKEN is not set" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["run", "--no-scheduler"]) == 2  # run still needs the signing secret (or an app token)
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
