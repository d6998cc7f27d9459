"""bench/load.py end to end on a small input: a real `run` process, signed requests, the stand-in."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import load  # noqa: E402


@pytest.mark.bench
def test_the_load_bench_runs_and_reports_every_shortlist_posted_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert load.main(["--creators", "300", "--burst", "8", "--total", "12", "--concurrency", "4",
                      "--no-postgres"]) == 0
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith("| SQLite, this branch")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "8/8"  # burst acks within 3 s
    assert cells[5] == "8/8"  # posted once
    assert cells[7] == "0" and cells[-1] == "0"  # no errors, no duplicates
