"""The GitHub Action (``action.yml``): install dockerfix, run it by ``mode``, set the outputs.

``action.yml`` runs this module twice, as two steps of a composite action:

    python3 -I -X utf8 "$GITHUB_ACTION_PATH/dockerfix/action.py" install  # a venv with dockerfix
    "$DOCKERFIX_PYTHON" -I -X utf8 -m dockerfix.action run                 # dockerfix by mode

The inputs come in as ``INPUT_*`` environment variables (a composite action passes them
explicitly: ``env: INPUT_MODE: ${{ inputs.mode }}``); results go where the runner reads them:
workflow commands on standard output, ``name<<delimiter`` blocks appended to
``GITHUB_OUTPUT``, markdown appended to ``GITHUB_STEP_SUMMARY``, files under ``RUNNER_TEMP``.
Nothing here imports dockerfix: ``install`` runs before dockerfix is installed, and ``run``
drives the installed ``dockerfix`` command the way a user would, so the action and the command
line cannot drift apart. Tests run both steps with those variables pointing at temporary files.

Modes:

- ``report``: annotations (``--output-format github``, which also writes the job summary),
  exit 1 on findings; with ``sarif: true`` also a SARIF file, named by the ``sarif-file`` output.
- ``diff``: the diff in the log and the markdown description (with the diff) in the job
  summary; exit 1 when ``--write`` would change a file.
- ``write``: fixes the checkout; ``--output-format commit-message`` gives the ``pr-title``
  output and the PR body file (``pr-body-file``), also shown in the job summary. Findings left
  do not fail the step (a fix job must still open its pull request); errors do.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from typing import NamedTuple

MODES = ("report", "diff", "write")
# Options that choose the mode or the output: the action chooses those itself.
RESERVED_ARGS = ("--diff", "--write", "--output-format", "-o", "--output-file", "--statistics", "--show-settings", "--explain", "--list-rules")
EXIT_ERROR = 2
VENV = "dockerfix-venv"


class Inputs(NamedTuple):
    paths: list[str]
    mode: str
    args: list[str]  # the user's dockerfix options, from ``args``, ``pin-from`` and ``fix-strategy``
    sarif: bool


class ActionError(Exception):
    """An input the action cannot use: reported as an ``::error::`` annotation, exit 2."""


class Runner:
    """Where the runner reads and writes: the ``GITHUB_*`` files and a private directory."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        temp = environ.get("RUNNER_TEMP") or tempfile.gettempdir()
        self.directory = os.path.join(temp, "dockerfix")  # never the checkout: a PR must not commit it
        os.makedirs(self.directory, exist_ok=True)

    def path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def set_output(self, name: str, value: str) -> None:
        """``name<<delimiter`` / value / delimiter: the multi-line form, which takes any value."""
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"  # as @actions/core makes one
        _append(self.environ.get("GITHUB_OUTPUT"), f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def add_summary(self, markdown: str) -> None:
        _append(self.environ.get("GITHUB_STEP_SUMMARY"), markdown.rstrip("\n") + "\n\n")


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(text)


def read_inputs(environ: Mapping[str, str]) -> Inputs:
    """The action's inputs from ``INPUT_*``: words split as a shell would (quotes keep spaces)."""
    mode = environ.get("INPUT_MODE", "").strip() or "report"
    if mode not in MODES:
        raise ActionError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    args = _words("args", environ.get("INPUT_ARGS", ""))
    for arg in args:
        if arg.split("=", 1)[0] in RESERVED_ARGS:
            raise ActionError(f"args: {arg.split('=', 1)[0]} is chosen by the action: use the mode input")
    for lock in _words("pin-from", environ.get("INPUT_PIN_FROM", "")):
        args += ["--pin-from", lock]
    strategy = environ.get("INPUT_FIX_STRATEGY", "").strip()
    if strategy:
        args += ["--fix-strategy", strategy]
    paths = _words("paths", environ.get("INPUT_PATHS", "")) or ["."]
    return Inputs(paths, mode, args, _boolean("sarif", environ.get("INPUT_SARIF", "")))


def _words(name: str, text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as exc:
        raise ActionError(f"{name}: {exc}") from None


def _boolean(name: str, text: str) -> bool:
    """YAML 1.2's booleans, as ``core.getBooleanInput`` reads them; empty is false."""
    value = text.strip()
    if value in ("", "false", "False", "FALSE"):
        return False
    if value in ("true", "True", "TRUE"):
        return True
    raise ActionError(f"{name}: {value!r} is not true or false")


def dockerfix(inputs: Inputs, *options: str) -> int:
    """``dockerfix ARGS OPTIONS -- PATHS``, printing to the log (the command line first)."""
    print(f"$ {shlex.join(_argv(inputs, options))}", flush=True)
    return subprocess.run(_command(inputs, options)).returncode


def dockerfix_to_file(inputs: Inputs, path: str, *options: str) -> bool:
    """``dockerfix ... -o PATH``, quietly: whether it wrote the file (else its errors are shown).

    The mode's own run has already printed the findings and errors once."""
    if os.path.exists(path):  # a second run in the same job must not read the first one's
        os.remove(path)
    done = subprocess.run(_command(inputs, ("--exit-zero", "-q", *options, "-o", path)), stderr=subprocess.PIPE, text=True)
    if not os.path.exists(path):
        sys.stderr.write(done.stderr)
        return False
    return True


def _argv(inputs: Inputs, options: Sequence[str]) -> list[str]:
    return ["dockerfix", *inputs.args, *options, "--", *inputs.paths]


def _command(inputs: Inputs, options: Sequence[str]) -> list[str]:
    # -I: the checkout's own directories never shadow the installed dockerfix; -X utf8 for
    # the log on any runner (-I ignores PYTHONIOENCODING and PYTHONUTF8)
    return [sys.executable, "-I", "-X", "utf8", "-m", *_argv(inputs, options)]


def count_findings(inputs: Inputs, runner: Runner, name: str) -> int:
    """The number of findings ``dockerfix`` reports on the files as they are now."""
    path = runner.path(name)
    if not dockerfix_to_file(inputs, path, "--output-format", "json"):
        return 0  # dockerfix could not run (a bad configuration): it said why
    with open(path, encoding="utf-8") as f:
        return len(json.load(f))


def report(inputs: Inputs, runner: Runner) -> int:
    code = dockerfix(inputs, "--output-format", "github")
    runner.set_output("findings", str(count_findings(inputs, runner, "findings.json")))
    runner.set_output("fixed", "0")
    sarif = runner.path("dockerfix.sarif")
    if inputs.sarif and dockerfix_to_file(inputs, sarif, "--output-format", "sarif"):
        runner.set_output("sarif-file", sarif)
    return code


def diff(inputs: Inputs, runner: Runner) -> int:
    code = dockerfix(inputs, "--diff")
    body = runner.path("diff.md")
    if dockerfix_to_file(inputs, body, "--output-format", "markdown"):
        runner.add_summary(_read(body))
    runner.set_output("findings", str(count_findings(inputs, runner, "findings.json")))
    runner.set_output("fixed", "0")
    return code


def write(inputs: Inputs, runner: Runner) -> int:
    """Fix, then describe the fixes. A file that could not be fixed is named in the body
    ("Could not be checked") and does not stop the pull request; a run that could not
    start (a bad configuration) fails the step."""
    before = count_findings(inputs, runner, "findings-before.json")
    message = runner.path("commit-message.txt")
    if os.path.exists(message):
        os.remove(message)
    dockerfix(inputs, "--write", "--output-format", "commit-message", "-o", message)
    after = count_findings(inputs, runner, "findings-after.json")
    runner.set_output("findings", str(before))
    runner.set_output("fixed", str(max(before - after, 0)))
    if not os.path.exists(message):
        return EXIT_ERROR
    title, _, body = _read(message).partition("\n\n")
    body_file = runner.path("pr-body.md")
    with open(body_file, "w", encoding="utf-8", newline="") as f:
        f.write(body)
    runner.set_output("pr-title", title)
    runner.set_output("pr-body-file", body_file)
    runner.add_summary(body)
    return 0


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def run(environ: Mapping[str, str]) -> int:
    try:
        inputs = read_inputs(environ)
    except ActionError as exc:
        print(f"::error title=dockerfix::{exc}", flush=True)
        return EXIT_ERROR
    runner = Runner(environ)
    return {"report": report, "diff": diff, "write": write}[inputs.mode](inputs, runner)


REPOSITORY = "https://github.com/dockerfix/dockerfix"


def requirement(version: str, action_path: str) -> str:
    """What pip installs: the action's own checkout, a release's tag, or a requirement for dockerfix.

    A version number names the tag ``vVERSION`` of dockerfix's repository, not a package
    index's ``dockerfix`` (a name there could be anyone's); any other value must be a pip
    requirement that names dockerfix (``dockerfix @ git+https://...@main``), so that a ref
    such as ``main`` is never taken for a package of that name.
    """
    version = version.strip()
    if not version:
        return action_path
    if re.fullmatch(r"v?\d+(\.\d+)*([-.]?\w+)?", version):  # 0.2.0, v0.2.0, 0.2.0rc1
        return f"dockerfix @ git+{REPOSITORY}@v{version.removeprefix('v')}"
    if re.match(r"dockerfix\b", version):
        return version
    raise ActionError(f"version: {version!r} is neither a version number nor a requirement for dockerfix (dockerfix @ git+{REPOSITORY}@REF)")


def install(environ: Mapping[str, str]) -> int:
    """A virtual environment under ``RUNNER_TEMP`` with dockerfix; its python is the ``python`` output."""
    action_path = environ.get("GITHUB_ACTION_PATH") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runner = Runner(environ)
    venv = runner.path(VENV)
    python = os.path.join(venv, "Scripts", "python.exe") if os.name == "nt" else os.path.join(venv, "bin", "python")
    try:
        wanted = requirement(environ.get("INPUT_VERSION", ""), action_path)
    except ActionError as exc:
        print(f"::error title=dockerfix::{exc}", flush=True)
        return EXIT_ERROR
    for command in (
        [sys.executable, "-m", "venv", "--clear", venv],
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wanted],
    ):
        print(f"$ {shlex.join(command)}", flush=True)
        if subprocess.run(command).returncode:
            print(f"::error title=dockerfix::could not install {wanted}", flush=True)
            return EXIT_ERROR
    runner.set_output("python", python)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["install"]:
        return install(os.environ)
    if args == ["run"]:
        return run(os.environ)
    print("usage: python -m dockerfix.action {install,run}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
