"""The house rules on imports, checked over the source: layers import downwards only, the
domain stays pure, and production never loads the local tooling (bot/local)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "influencer_bot"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports (absolute names, relative imports resolved), lazy ones too."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _files(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def _offenders(sub: str, forbidden: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[str]:
    bad = []
    for path in _files(sub):
        if any(part in path.parts for part in skip):
            continue
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return sorted(set(bad))


def test_the_domain_imports_neither_slack_nor_sql_nor_the_layers_above():
    assert _offenders("influence", ("slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "influencer_bot.storage",
                                    "influencer_bot.handlers", "influencer_bot.bot")) == []


def test_storage_never_imports_the_slack_surface_or_the_process():
    assert _offenders("storage", ("slack_bolt", "slack_sdk", "influencer_bot.handlers", "influencer_bot.bot")) == []


def test_handlers_never_import_the_process():
    assert _offenders("handlers", ("influencer_bot.bot",)) == []


def test_creators_do_not_depend_on_search():
    """The niche index reads creators; creators never read the index (storage/ingest.py composes both)."""
    assert _offenders("storage/creators", ("influencer_bot.storage.search", "influencer_bot.storage.ingest")) == []


def test_only_the_command_line_reaches_the_local_tooling():
    """bot/cli.py imports bot/local lazily, inside `console` and `ask`; no other production module does
    (importing cli loads none of it: see the next test)."""
    importers = {o.split(" imports ")[0] for o in _offenders("", ("influencer_bot.bot.local",), skip=("local",))}
    assert importers == {"bot/cli.py"}


@pytest.mark.parametrize("entry", ["influencer_bot.bot.server", "influencer_bot.bot.scheduler",
                                   "influencer_bot.bot.runtime", "influencer_bot.bot.cli"])
def test_production_entry_points_do_not_load_the_local_tooling(entry):
    code = (f"import sys, {entry}; "
            "loaded = sorted(m for m in sys.modules if m.startswith('influencer_bot.bot.local')); print(loaded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
