"""DFX000 could-not-analyse: a pip install dockerfix saw but could not analyse safely."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis.model import Analysis
from dockerfix.diagnostics import Diagnostic
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings

DOC = RuleDoc(
    code="DFX000",
    name="could-not-analyse",
    summary="A `pip install` (or uv install) that dockerfix could not analyse safely; check it by hand.",
    what=(
        "Reports a likely `pip install`, or a uv command that fills uv's cache (`uv pip install`, "
        "`uv sync`, `uvx` ...), in a RUN that dockerfix will not reason about or edit: the "
        "stage's SHELL is not a POSIX shell (PowerShell, cmd), the shell text around it does "
        "not parse, the program is a variable (`$PIP install`, `${PY} -m pip install`, "
        "`$RUNNER pip install`, cmd's `%PYTHON% -m pip install`), a wrapper's script is a "
        "`$'...'` string (`su app -c $'pip install x'`), words echoed into a shell "
        "(`echo pip install x | sh`), or the script is past a limit (commands nested in `$(..)` "
        "more than 16 levels deep, or a script tree-sitter cannot parse within its time budget: "
        "see Limits in the README). Rather than skip it silently, dockerfix names it and its "
        "span. The wrappers whose meaning is plain are looked through instead, and the call "
        "inside them is reported and fixed by DFX001/DFX003: `sudo`, `env` (any assignments, "
        "`-i`, `-u`), `conda`/`mamba`/`micromamba run`, `poetry run`, `pipenv run`, `uv run`, "
        "`uvx`, `su [-] [USER] -c '...'`, `runuser -u USER --`, `runuser -l USER -c '...'`, "
        "`find -exec ... ;`, `scl enable`, `echo '...' | sh`, and `$(...)`/backticks."
    ),
    why="A silent skip would read as \"nothing to fix\". A wrong edit in a Dockerfile breaks a build, so these are left to you.",
    example='SHELL ["powershell", "-Command"]\nRUN pip install flask',
    fix="None: add `--no-cache-dir` (or pin versions) by hand, or suppress with `# dockerfix: ignore=DFX000`.",
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    for item in analysis.unanalysed:
        message = f"could not analyse this pip install: {item.reason}; check it by hand"
        yield Diagnostic(DOC.code, DOC.name, message, item.start, item.end)


RULE = Rule(DOC, check)
