"""Output formats: one module each, all reading the same ``FileResult``s.

Every format module has ``write(results, out)``; ``load`` imports the one chosen.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module, in the order ``--help`` lists them
MODULES: dict[str, str] = {
    "text": "dockerfix.report.text",
    "full": "dockerfix.report.full",
    "json": "dockerfix.report.json",
    "json-lines": "dockerfix.report.json_lines",
    "sarif": "dockerfix.report.sarif",
    "github": "dockerfix.report.github",
    "rdjson": "dockerfix.report.rdjson",
    "markdown": "dockerfix.report.markdown",
    "commit-message": "dockerfix.report.commit_message",
}
FORMATS = tuple(MODULES)

# Formats that describe what the fixes would change even in report mode: the runner
# computes the fixes for them (as for --diff) without writing anything.
PREVIEWS_FIXES = frozenset({"markdown", "commit-message"})


def load(name: str) -> ModuleType:
    """The format module of ``name`` (a key of ``MODULES``)."""
    return importlib.import_module(MODULES[name])
