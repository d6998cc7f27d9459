"""docker-compose.yml, .env.example and the Dockerfile agree with the code they deploy.

Docker is not on these machines, so the files are checked against what they name: every command is
parsed by the `influencer-bot` argparse parser, every variable is a field of bot/settings.py, and the
health check command is run against a real /healthz."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from waitress import create_server

from influencer_bot.bot import cli
from influencer_bot.bot.server import wsgi_app
from influencer_bot.bot.settings import Settings
from influencer_bot.bot.socket_health import with_socket_health

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("migrate", "web", "scheduler")
POSTGRES_IMAGE_VARS = {"POSTGRES_PASSWORD"}  # read by the postgres image (and put into DATABASE_URL)
SETTINGS = {name.upper() for name in Settings.model_fields}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _cli(argv: list[str]):  # type: ignore[no-untyped-def]
    assert argv[0] == "influencer-bot", f"{argv}: not the influencer-bot command"
    try:
        return cli._parser().parse_args(argv[1:])
    except SystemExit:
        pytest.fail(f"`{' '.join(argv)}` is not a valid influencer-bot command line")


def _dockerfile_exec(instruction: str) -> list[str]:
    """The JSON (exec) form of a Dockerfile instruction's command; shell form fails the test."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    (line,) = [ln for ln in text.splitlines() if ln.startswith(instruction + " ")]
    command = line.split("CMD", 1)[1].strip() if instruction == "HEALTHCHECK" else line[len(instruction):].strip()
    assert command.startswith("["), f"{instruction} is in shell form: {line}"
    return json.loads(command)


def test_the_four_services_run_real_commands(compose):
    services = compose["services"]
    assert {"postgres", "migrate", "web", "scheduler"} <= set(services)
    migrate = _cli(services["migrate"]["command"])
    assert (migrate.command, migrate.action) == ("db", "upgrade")
    web = _cli(services["web"]["command"])
    assert web.command == "run" and web.no_scheduler
    assert _cli(services["scheduler"]["command"]).command == "scheduler"
    assert _cli(_dockerfile_exec("CMD")).command == "run"


def test_start_order_and_one_shot_migration(compose):
    services = compose["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["restart"] == "no", "a restarting one-shot never completes"


def test_web_scales_and_every_app_process_gets_time_to_stop(compose):
    web = compose["services"]["web"]
    assert "container_name" not in web and "ports" not in web, "replicas would clash on a name or host port"
    grace = Settings.model_fields["shutdown_grace_s"].default
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        stop = re.fullmatch(r"(\d+)s", service["stop_grace_period"])
        assert stop and int(stop.group(1)) > grace, f"{name}: docker would SIGKILL it before SHUTDOWN_GRACE_S"


def test_health_checks_are_exec_form(compose):
    services = compose["services"]
    for name, service in services.items():
        check = service.get("healthcheck")
        if check is None or check.get("disable"):
            continue
        assert isinstance(check["test"], list) and check["test"][0] == "CMD", f"{name}: not exec form"
    assert services["postgres"]["healthcheck"]["test"][1] == "pg_isready"
    assert services["web"]["healthcheck"]["test"][1:] == _dockerfile_exec("HEALTHCHECK")


@pytest.fixture
def healthz_server(engine) -> Iterator[tuple[str, list[bool]]]:
    """The real /healthz (Socket Mode flavour, so the test can take the connection down)."""
    connected = [True]
    server = create_server(with_socket_health(wsgi_app(None, engine), lambda: connected[0]),
                           host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield str(server.effective_port), connected
    server.task_dispatcher.shutdown()
    server.close()


def test_the_web_health_check_asks_healthz(compose, healthz_server):
    port, connected = healthz_server
    argv = compose["services"]["web"]["healthcheck"]["test"][1:]
    assert argv[0] == "python"

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *argv[1:]], env={"PORT": port}, capture_output=True, text=True,
                              timeout=60)

    healthy = check()
    assert healthy.returncode == 0 and json.loads(healthy.stdout) == {"status": "ok"}
    connected[0] = False
    unhealthy = check()
    assert unhealthy.returncode == 1 and "Slack Socket Mode connection down" in unhealthy.stdout


def _env_example() -> dict[str, str]:
    """Every NAME=value line of .env.example, set or commented out (which shows the default)."""
    pairs = re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    return dict(pairs)


def test_every_variable_is_a_real_setting_and_every_setting_is_documented(compose):
    documented = _env_example()
    interpolated = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    app_env = {key for name in APP_SERVICES for key in compose["services"][name].get("environment", {})}
    unknown = (set(documented) | interpolated | app_env) - SETTINGS - POSTGRES_IMAGE_VARS
    assert not unknown, f"not settings that bot/settings.py reads: {sorted(unknown)}"
    assert not SETTINGS - set(documented), f"settings missing from .env.example: {sorted(SETTINGS - set(documented))}"


def test_the_defaults_shown_in_env_example_are_the_real_defaults():
    for name, value in _env_example().items():
        if name not in SETTINGS or not value or value.startswith(("xoxb-replace", "replace")):
            continue
        field = name.lower()
        assert getattr(Settings(_env_file=None, **{field: value}), field) == Settings.model_fields[field].default, name


def test_compose_file_is_yamllint_clean():
    result = subprocess.run([sys.executable, "-m", "yamllint", "--strict", "-c", str(ROOT / ".yamllint.yaml"),
                             str(COMPOSE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
