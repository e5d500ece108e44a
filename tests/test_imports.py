"""Start-up cost: standard modules dockerfix's own code must not import (issue 5).

Checked in a fresh interpreter that records who calls ``import``: "not in sys.modules"
cannot be the test, because an editable install's import hook (what CI installs) loads
``re`` and ``enum`` before dockerfix runs, and a module another one already loaded is
imported again without a trace in ``-X importtime``. Only dockerfix's own imports count
here: third-party code (packaging) and the standard library (``re`` imports ``enum``) are
other branches' business.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "Dockerfile"

# Records, for each import of ``argv[2]``, the module whose code asked for it; then runs the
# command line after it, then imports the modules named in ``argv[3]`` (may be none).
SPY = """
import builtins, json, sys

out, forbidden, modules = sys.argv[1], sys.argv[2], sys.argv[3].split()
importers = set()
real_import = builtins.__import__


def spy(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and (name == forbidden or name.startswith(forbidden + ".")):
        importers.add((globals or {}).get("__name__", "?"))
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = spy
from dockerfix.cli import main  # not entry(): its quick exit would skip what follows

try:
    main(sys.argv[4:])
except SystemExit:
    pass
for module in modules:
    __import__(module)
with open(out, "w") as f:
    json.dump(sorted(importers), f)
"""


def _importers(tmp_path: Path, forbidden: str, modules: list[str], argv: list[str]) -> list[str]:
    out = tmp_path / "importers.json"
    command = [sys.executable, "-c", SPY, str(out), forbidden, " ".join(modules), *argv]
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    return json.loads(out.read_text())


@pytest.mark.parametrize(
    ("forbidden", "modules", "argv"),
    [
        pytest.param("enum", ["dockerfix.diagnostics", "dockerfix.runner", "dockerfix.requirements"], ["--diff", str(EXAMPLE)], id="enum-diff"),  # noqa: E501
        pytest.param("enum", [], ["--isolated", str(EXAMPLE)], id="enum-check"),
        pytest.param("enum", [], ["--isolated", "--output-format", "json", str(EXAMPLE)], id="enum-json"),
        pytest.param("enum", [], ["--isolated", "--output-format", "sarif", str(EXAMPLE)], id="enum-sarif"),
    ],
)
def test_one_file_run_does_not_import(tmp_path: Path, forbidden: str, modules: list[str], argv: list[str]) -> None:
    importers = _importers(tmp_path, forbidden, modules, argv)
    assert [name for name in importers if name.split(".")[0] == "dockerfix"] == []


def test_the_spy_sees_an_import_of_a_module_already_loaded(tmp_path: Path) -> None:
    # os is loaded at start-up, and runner imports it: the check must not depend on order.
    assert "dockerfix.runner" in _importers(tmp_path, "os", ["dockerfix.runner"], ["--version"])
