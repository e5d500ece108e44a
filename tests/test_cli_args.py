"""The command line's grammar: options, their forms, usage errors, and what reaches the
configuration resolver. Run in this process (``main(argv)``) where the output is enough;
the streams-and-exit-codes contract of whole runs is in test_cli.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix import __version__

from dockerfix.cli import options
from dockerfix.cli.main import main
from dockerfix.cli.parser import parse
from dockerfix.cli.config import Overrides

DOCKERFILE = "FROM python:3.12\nRUN pip install flask==2.3.2\n"

# Every option a user may type, as the click version offered them.
OPTIONS = [
    "--diff", "--write", "--output-format", "--select", "--ignore", "--unsafe-fixes", "--no-unsafe-fixes",
    "--pin-from", "--fix-strategy", "--add-syntax-directive", "--exclude", "--force-exclude",
    "--no-force-exclude", "--respect-gitignore", "--no-respect-gitignore", "--config", "--isolated",
    "--show-settings", "--stdin-filename", "--explain", "--exit-zero", "-q", "--quiet", "-v", "--verbose",
    "--color", "--no-color", "-j", "--jobs", "--version", "-h", "--help",
    # issue 19: what ruff users expect
    "--extend-select", "--statistics", "-o", "--output-file", "--list-rules",
]


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``dockerfix ARGS`` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "b.Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "-x.Dockerfile").write_text(DOCKERFILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


USAGE_ERRORS = [
    pytest.param(["--diff", "--write", "."], "--diff and --write cannot be used together", id="diff-and-write"),
    pytest.param(["--config", "c.toml", "--isolated"], "--config and --isolated cannot be used together", id="config-and-isolated"),
    pytest.param(["--output-format", "xml"], "argument --output-format: invalid choice: 'xml'", id="bad-format"),
    pytest.param(["--output-format", "JSON"], "argument --output-format: invalid choice: 'JSON'", id="format-is-case-sensitive"),
    pytest.param(["--fix-strategy", "both"], "argument --fix-strategy: invalid choice: 'both'", id="bad-strategy"),
    pytest.param(["-j", "0"], "argument -j/--jobs: 0 is not at least 1", id="jobs-zero"),
    pytest.param(["--jobs=-3"], "argument -j/--jobs: -3 is not at least 1", id="jobs-negative"),
    pytest.param(["-j", "x"], "argument -j/--jobs: 'x' is not an integer", id="jobs-not-a-number"),
    pytest.param(["--bogus"], "unrecognized arguments: --bogus", id="unknown-option"),
    pytest.param(["--dif", "."], "unrecognized arguments: --dif", id="abbreviated-flag"),
    pytest.param(["--output-form", "json"], "unrecognized arguments: --output-form", id="abbreviated-option"),
    pytest.param(["--no-diff"], "unrecognized arguments: --no-diff", id="no-form-of-a-plain-flag"),
    pytest.param(["--config"], "argument --config: expected one argument", id="missing-value"),
    pytest.param(["--diff=yes"], "argument --diff: ignored explicit argument 'yes'", id="value-for-a-flag"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = invoke(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("usage: dockerfix [OPTIONS] [PATHS]...\n")
    assert f"dockerfix: error: {message}" in err


ACCEPTED_FORMS = [
    pytest.param(["Dockerfile", "--diff"], 1, "--- a/Dockerfile\n", id="option-after-path"),
    pytest.param(["Dockerfile", "--diff", "b.Dockerfile"], 1, "--- a/Dockerfile\n", id="option-between-paths"),
    pytest.param(["-x.Dockerfile"], 2, "", id="dash-path-needs-dash-dash"),
    pytest.param(["--diff", "--", "-x.Dockerfile"], 1, "--- a/-x.Dockerfile\n", id="dash-dash-then-path"),
    pytest.param(["--", "--diff"], 2, "", id="after-dash-dash-a-path"),
    pytest.param(["-qj1", "Dockerfile"], 1, "Dockerfile:2:5: DFX001", id="clustered-short-options"),
    pytest.param(["--jobs=1", "-q", "Dockerfile"], 1, "Dockerfile:2:5: DFX001", id="long-option-equals"),
    pytest.param(["--output-format=json-lines", "-q", "Dockerfile"], 1, '{"code": "DFX001"', id="choice-equals"),
    pytest.param(["--select", "dfx000", "--select=DFX002", "Dockerfile"], 0, "", id="select-repeated"),
    pytest.param(["--ignore", "DFX000,dfx001", "Dockerfile"], 0, "", id="ignore-comma-separated"),
    pytest.param(["--explain", "dfx001", "--diff", "--write"], 0, "# DFX001 pip-no-cache-dir\n", id="explain-first"),
]


@pytest.mark.parametrize(("args", "code", "stdout"), ACCEPTED_FORMS)
def test_accepted_forms(project: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, stdout: str) -> None:
    got_code, out, _ = invoke(capsys, *args)
    assert (got_code, out[: len(stdout)] if stdout else out) == (code, stdout)


# (configuration file, command line, the line --show-settings prints)
GIVEN_OR_NOT = [
    pytest.param("unsafe-fixes = true", [], "unsafe-fixes = true", id="unsafe-not-given"),
    pytest.param("unsafe-fixes = true", ["--no-unsafe-fixes"], "unsafe-fixes = false", id="no-unsafe-fixes"),
    pytest.param("unsafe-fixes = false", ["--unsafe-fixes"], "unsafe-fixes = true", id="unsafe-fixes"),
    pytest.param('output-format = "json"', [], 'output-format = "json"', id="format-not-given"),
    pytest.param('output-format = "json"', ["--output-format", "text"], 'output-format = "text"', id="format-default-given"),
    pytest.param('fix-strategy = "cache-mount"', [], 'fix-strategy = "cache-mount"', id="strategy-not-given"),
    pytest.param('fix-strategy = "cache-mount"', ["--fix-strategy", "flag"], 'fix-strategy = "flag"', id="strategy-default-given"),
    pytest.param("add-syntax-directive = true", [], "add-syntax-directive = true", id="directive-not-given"),
    pytest.param("add-syntax-directive = false", ["--add-syntax-directive"], "add-syntax-directive = true", id="directive-given"),
    pytest.param("respect-gitignore = false", [], "respect-gitignore = false", id="gitignore-not-given"),
    pytest.param("respect-gitignore = false", ["--respect-gitignore"], "respect-gitignore = true", id="respect-gitignore"),
    pytest.param("respect-gitignore = true", ["--no-respect-gitignore"], "respect-gitignore = false", id="no-respect-gitignore"),
    pytest.param("force-exclude = true", [], "force-exclude = true", id="force-exclude-not-given"),
    pytest.param("force-exclude = true", ["--no-force-exclude"], "force-exclude = false", id="no-force-exclude"),
    pytest.param("force-exclude = false", ["--force-exclude"], "force-exclude = true", id="force-exclude"),
    pytest.param('select = ["DFX000"]', [], 'select = ["DFX000"]', id="select-not-given"),
    pytest.param('select = ["DFX000"]', ["--select", "dfx001,DFX002"], 'select = ["DFX001", "DFX002"]', id="select-given"),
    pytest.param('pin-from = ["a.lock"]', [], 'pin-from = ["a.lock"]', id="pin-from-not-given"),
    pytest.param('pin-from = ["a.lock"]', ["--pin-from", "b.lock"], 'pin-from = ["b.lock"]', id="pin-from-given"),
]


@pytest.mark.parametrize(("config", "args", "line"), GIVEN_OR_NOT)
def test_configuration_fills_only_what_is_not_given(
    project: Path, capsys: pytest.CaptureFixture[str], config: str, args: list[str], line: str
) -> None:
    (project / ".dockerfix.toml").write_text(config + "\n")
    for lock in ("a.lock", "b.lock"):
        (project / lock).write_text("flask==2.3.2\n")
    code, out, _ = invoke(capsys, "--show-settings", *args, "Dockerfile")
    assert code == 0
    key = line.split(" =")[0]
    assert [shown for shown in out.replace(f"{project}/", "").splitlines() if shown.startswith(f"{key} =")] == [line]


def test_nothing_given_overrides_nothing(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Overrides] = []

    class Recorder:
        def __init__(self, overrides: Overrides, **_: object) -> None:
            seen.append(overrides)
            raise KeyboardInterrupt  # stop here; also shows that Ctrl-C exits 130 quietly

    monkeypatch.setattr("dockerfix.cli.main.Resolver", Recorder)
    assert invoke(capsys, "Dockerfile") == (130, "", "")
    assert seen == [Overrides()]


COLOURS = [
    pytest.param([], {}, False, id="auto-not-a-terminal"),
    pytest.param(["--color"], {"NO_COLOR": "1"}, True, id="color-forced"),
    pytest.param(["--color", "--no-color"], {}, False, id="last-wins"),
    pytest.param(["--no-color", "--color"], {}, True, id="last-wins-again"),
]


@pytest.mark.parametrize(("args", "env", "coloured"), COLOURS)
def test_color(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], env: dict[str, str], coloured: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = invoke(capsys, "--diff", *args, "Dockerfile")
    assert ("\x1b[" in out) is coloured


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_lists_every_option(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out, err = invoke(capsys, flag)
    assert (code, err) == (0, "")
    assert out.startswith("usage: dockerfix [OPTIONS] [PATHS]...\n\nFind and fix pip cache bloat in Dockerfiles.\n")
    words = out.replace(",", " ").split()
    assert [option for option in OPTIONS if option not in words] == []
    assert "--output-format {text,full,json,json-lines,sarif,github,rdjson,markdown,commit-message}" in out
    assert "--fix-strategy {flag,cache-mount}" in out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--version"], id="version"),
        pytest.param(["--diff", "--write", "--version", "x"], id="version-before-the-conflict-check"),
    ],
)
def test_version(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert invoke(capsys, *args) == (0, f"dockerfix, version {__version__}\n", "")


def test_closed_pipe_exits_quietly(project: Path) -> None:
    """``dockerfix --diff . | head -1``: no traceback when the reader goes away (exit 1, as with click)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "dockerfix", "--diff", "-q", "Dockerfile"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the child writes its diff
    err = process.stderr.read()
    assert (process.wait(timeout=60), err) == (1, b"")


# What the parser reads: argparse's defaults are False for a flag, None (not given) for the rest.
DEFAULTS: dict[str, object] = {
    o.dest: False if o.kind == options.FLAG else None for o in options.OPTIONS if o.kind not in (options.VERSION, options.HELP)
}

READ = [
    pytest.param(["--diff", "Dockerfile"], {"diff_mode": True, "paths": ["Dockerfile"]}, id="diff"),
    pytest.param([], {"paths": []}, id="nothing"),
    pytest.param(["Dockerfile", "-", "--write"], {"write_mode": True, "paths": ["Dockerfile", "-"]}, id="intermixed-and-stdin"),
    pytest.param(["-qv", "-j4", "."], {"quiet": True, "verbose": True, "jobs": 4, "paths": ["."]}, id="short-cluster-and-attached-value"),
    pytest.param(["-qj", "2"], {"quiet": True, "jobs": 2, "paths": []}, id="cluster-value-next-word"),
    pytest.param(["--jobs", "03"], {"jobs": 3, "paths": []}, id="jobs-as-int-reads-it"),
    pytest.param(["--select", "DFX001", "--select=dfx002"], {"select": ["DFX001", "dfx002"], "paths": []}, id="append"),
    pytest.param(["--output-format=json", "--fix-strategy", "cache-mount"], {"output_format": "json", "fix_strategy": "cache-mount", "paths": []}, id="choices"),
    pytest.param(["--color", "--no-color", "--no-unsafe-fixes"], {"color": False, "unsafe_fixes": False, "paths": []}, id="on-off"),
    pytest.param(["--add-syntax-directive"], {"add_syntax_directive": True, "paths": []}, id="const"),
    pytest.param(["--stdin-filename", "x", "-", "--", "-x", "--diff"], {"stdin_filename": "x", "paths": ["-", "-x", "--diff"]}, id="dash-dash"),
    pytest.param(["--pin-from=a=b.lock", "ü"], {"pin_from": ["a=b.lock"], "paths": ["ü"]}, id="equals-in-value-unicode-path"),
    pytest.param(["--statistics", "-o", "r.txt", "--extend-select=DFX002"], {"statistics": True, "output_file": "r.txt", "extend_select": ["DFX002"], "paths": []}, id="issue-19-options"),
]


@pytest.mark.parametrize(("argv", "given"), READ)
def test_parse(argv: list[str], given: dict[str, object]) -> None:
    assert vars(parse(argv)) == {**DEFAULTS, **given}
