"""Start-up cost: standard modules a one-file run must not import (issue 5).

Two checks, in fresh interpreters:

- Who imports: a spy on ``import`` records which module asked for each forbidden one, so
  that an import of a module already loaded counts too (an editable install's import hook,
  what CI installs, loads ``re`` and ``enum`` before dockerfix runs, and ``-X importtime``
  shows only the first import). No dockerfix module may be among them, whatever the file
  needs: third-party code (tree-sitter's extension, packaging) may load ``re`` itself.
- Whole run: with ``-S`` (no site, so no import hook) and the checkout on ``PYTHONPATH``, a
  run on a file that needs no packaging (tree-sitter's directory on the path) leaves every
  one of them out of ``sys.modules``.

What each costs on a one-file run is in benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "Dockerfile"
# re (with enum) ~12 ms, argparse with gettext and locale ~8 ms, difflib ~2 ms, typing ~5 ms,
# dataclasses ~25 ms, fnmatch loads re; json and tomllib only for what needs them.
FORBIDDEN = ("re", "enum", "fnmatch", "argparse", "gettext", "locale", "difflib", "typing", "dataclasses", "json", "tomllib")
ESCAPE_CHAIN = """\
# escape=`
FROM python:3.12-slim
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
# install the app
RUN apt-get update && pip install "flask" 'gunicorn==21.2' --upgrade `
    && echo "done" > /tmp/log
RUN <<EOT
set -e
pip install requests
EOT
RUN ["pip", "install", "whitenoise"]
RUN python3 -m pip install -r requirements.txt && env PIP_NO_INPUT=1 pip3.12 install x
"""
FILES = {
    "example": EXAMPLE.read_text(encoding="utf-8"),
    "escape-chain-quotes-heredoc-exec-form": ESCAPE_CHAIN,
    "heredocs": (ROOT / "tests" / "fixtures" / "heredoc-exec-form" / "Dockerfile").read_text(encoding="utf-8"),
}

# Records, for each import of a module named in argv[2], the module whose code asked for it;
# runs the command line after it; writes {forbidden module: [importers]} to argv[1].
SPY = """
import builtins, json, sys

out, forbidden = sys.argv[1], set(sys.argv[2].split())
importers = {}
real_import = builtins.__import__


def spy(name, globals=None, locals=None, fromlist=(), level=0):
    top = name.partition(".")[0]
    if level == 0 and top in forbidden:
        importers.setdefault(top, set()).add((globals or {}).get("__name__", "?"))
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = spy
from dockerfix.cli import main  # not entry(): its quick exit would skip what follows

try:
    main(sys.argv[3:])
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump({name: sorted(who) for name, who in importers.items()}, f)
"""


def _project(tmp_path: Path, dockerfile: str) -> Path:
    # A project that depends on dockerfix names it in its pyproject.toml (read, then).
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\ndependencies = ["dockerfix"]\n')
    (tmp_path / "Dockerfile").write_text(dockerfile)
    return tmp_path


@pytest.mark.parametrize(
    ("file", "argv"),
    [
        pytest.param("example", ["--diff", "Dockerfile"], id="example-diff"),
        pytest.param("example", ["Dockerfile"], id="example-check"),
        pytest.param("example", ["-q", "--output-format=json", "Dockerfile"], id="example-json"),
        pytest.param("example", ["--output-format", "sarif", "Dockerfile"], id="example-sarif"),
        pytest.param("example", ["--version"], id="version"),
        pytest.param("escape-chain-quotes-heredoc-exec-form", ["--diff", "Dockerfile"], id="escape-chain-diff"),
        pytest.param("heredocs", ["--diff", "Dockerfile"], id="heredocs-diff"),
    ],
)
def test_no_dockerfix_module_imports_them(tmp_path: Path, file: str, argv: list[str]) -> None:
    project = _project(tmp_path, FILES[file])
    out = tmp_path / "importers.json"
    command = [sys.executable, "-c", SPY, str(out), " ".join(FORBIDDEN), *argv]
    subprocess.run(command, check=True, capture_output=True, cwd=project)
    importers = json.loads(out.read_text())
    if any("json" in word or "sarif" in word for word in argv):
        assert importers.pop("json")  # those formats do need it (and the spy sees it)
    ours = {name: [m for m in who if m.split(".")[0] == "dockerfix"] for name, who in importers.items()}
    assert {name: who for name, who in ours.items() if who} == {}


def _loaded(project: Path, argv: list[str], modules: tuple[str, ...], *path: str) -> tuple[str, str]:
    """Which of ``modules`` a run loaded, and its stdout: with ``-S`` (no site, so no import
    hook) and the checkout on ``PYTHONPATH``, then ``path``."""
    probe = (
        "import sys\nfrom dockerfix.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *path]))
    run = subprocess.run([sys.executable, "-S", "-c", probe], cwd=project, env=env, capture_output=True, text=True)
    assert run.stderr.splitlines(), run.stderr
    return run.stderr.splitlines()[-1], run.stdout


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--diff", "Dockerfile"], id="diff"),
        pytest.param(["Dockerfile"], id="check"),
        pytest.param(["--write", "Dockerfile"], id="write"),
    ],
)
def test_a_plain_one_file_run_loads_none_of_them(tmp_path: Path, argv: list[str]) -> None:
    import tree_sitter  # every script is read by tree-sitter: its directory on the path

    packages = str(Path(tree_sitter.__file__).parents[1])
    # tree-sitter's extension loads re (and enum) itself; the spy above checks that no
    # dockerfix module asks for them.
    modules = tuple(m for m in FORBIDDEN if m not in ("re", "enum"))
    loaded, stdout = _loaded(_project(tmp_path, FILES["example"]), argv, modules, packages)
    expected: list[str] = []
    assert loaded == str(expected)
    if argv[0] == "--diff":
        assert "+RUN pip install --no-cache-dir -r requirements.txt" in stdout


SPECIFIERS_AND_PATHS = """\
FROM python:3.12
COPY . /app
RUN pip install "flask>=2,<3" 'uvicorn[standard]~=0.30' requests[socks]==2.31 . ./plugins/auth[dev]
"""


VCS_URLS = "FROM python:3.12\nRUN pip install git+https://github.com/org/lib@v1.2 git+https://github.com/org/other\n"


@pytest.mark.parametrize(
    ("dockerfile", "heavy", "reported"),
    [
        # read as strings: no packaging (~28 ms), no urllib (~5 ms)
        pytest.param(
            SPECIFIERS_AND_PATHS, ("packaging", "urllib.parse", "dataclasses"), "flask>=2,<3", id="specifiers-and-paths"
        ),
        # urlsplit reads a URL; packaging would only name an egg or an archive file
        pytest.param(VCS_URLS, ("packaging", "dataclasses"), "git+https://github.com/org/other", id="vcs-urls"),
    ],
)
def test_common_requirement_shapes_do_not_load_packaging(
    tmp_path: Path, dockerfile: str, heavy: tuple[str, ...], reported: str
) -> None:
    """Of the corpus' 388 files that loaded packaging, 126 still do."""
    # With the directory that holds tree-sitter (the quoted words need it) and packaging on
    # the path: an import of packaging would succeed, and show.
    import tree_sitter

    packages = str(Path(tree_sitter.__file__).parents[1])
    loaded, stdout = _loaded(_project(tmp_path, dockerfile), ["Dockerfile"], heavy, packages)
    assert loaded == "[]"
    assert f"DFX002 `{reported}" in stdout.replace('"', ""), stdout  # still read and reported


NO_TOOL = "FROM alpine:3.20\nRUN apk add --no-cache curl \\\n    && curl -fsSL https://example.com/x.sh | sh\nCMD [\"sh\"]\n"


@pytest.mark.parametrize("argv", [["--diff", "Dockerfile"], ["Dockerfile"]], ids=["diff", "check"])
def test_a_file_that_names_no_tool_is_scanned_not_analysed(tmp_path: Path, argv: list[str]) -> None:
    """72% of the corpus' files: no RUN names pip or uv, so no analysis stack and no rules."""
    stack = ("dockerfix.analysis", "dockerfix.shell", "dockerfix.pip", "dockerfix.uv", "dockerfix.cache", "dockerfix.rules")
    loaded, stdout = _loaded(_project(tmp_path, NO_TOOL), argv, stack)
    assert loaded == "[]"
    assert stdout == ""  # nothing to fix, nothing found
