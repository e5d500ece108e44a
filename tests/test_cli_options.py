"""Issue 19 section 4: a command line that means what it says. Rule selection is checked
(an unknown code is an error, never a run of no rule), ruff's options behave as ruff users
expect, and every machine format carries the notes the text report shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.rules import selection
from dockerfix.fix.diff import should_colorize
from dockerfix.report import FORMATS
from dockerfix.rules import RULES

# One DFX001 (fixable) and one DFX002 (not fixable without a lock).
DOCKERFILE = "FROM python:3.12\nRUN pip install flask\n"
# A RUN that already has a cache mount: DFX001 is reported with a note and no fix.
NOTED = "FROM python:3.12\nRUN --mount=type=cache,target=/var/cache/apt pip install flask==1.0\n"
NOTE = "no automatic fix: this RUN already has a cache mount"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def test_the_code_list_is_the_rule_registry() -> None:
    assert selection.RULE_NAMES == {r.code: r.doc.name for r in RULES}


SELECTIONS = [
    pytest.param(["--select", "ALL"], 1, ["DFX001", "DFX002"], "", id="select-all"),
    pytest.param(["--select", "all"], 1, ["DFX001", "DFX002"], "", id="select-all-any-case"),
    pytest.param(["--select", "DFX0"], 1, ["DFX001", "DFX002"], "", id="select-prefix"),
    pytest.param(["--select", "DL3042"], 1, ["DFX001"], "note: --select: DL3042 is hadolint's code for DFX001", id="hadolint-alias"),
    pytest.param(["--ignore", "DL3013"], 1, ["DFX001"], "note: --ignore: DL3013 is hadolint's code for DFX002", id="hadolint-alias-ignored"),
    pytest.param(["--ignore", "ALL"], 0, [], "", id="ignore-all"),
    pytest.param(["--select", "DFX001", "--extend-select", "DFX002"], 1, ["DFX001", "DFX002"], "", id="extend-select"),
    pytest.param(["--select", "DFX9"], 2, [], "error: --select: unknown rule code 'DFX9'; did you mean", id="unknown-prefix"),
    pytest.param(["--select", "DL3042,DFX01"], 2, [], "error: --select: unknown rule code 'DFX01'; did you mean 'DFX001'?", id="unknown-in-list"),
    pytest.param(["--ignore", "E501"], 2, [], "error: --ignore: unknown rule code 'E501'", id="unknown-ignore"),
    pytest.param(["--extend-select", "DFX4"], 2, [], "error: --extend-select: unknown rule code 'DFX4'", id="unknown-extend-select"),
    pytest.param(["--select", "DL3008"], 2, [], "error: --select: unknown rule code 'DL3008': dockerfix has no counterpart", id="hadolint-without-counterpart"),
]


@pytest.mark.parametrize(("args", "code", "rules", "stderr"), SELECTIONS)
def test_rule_selection(project: Path, args: list[str], code: int, rules: list[str], stderr: str) -> None:
    result = run(*args, "--output-format", "json", "Dockerfile", cwd=project)
    assert result.returncode == code, result.stderr
    if code != 2:
        assert sorted(d["code"] for d in json.loads(result.stdout)) == rules
    else:
        assert result.stdout == ""
    assert stderr in result.stderr


CONFIG_SELECTIONS = [
    pytest.param('select = ["DFX9"]', "'select': unknown rule code 'DFX9'", id="select"),
    pytest.param('ignore = ["DFX0001"]', "'ignore': unknown rule code 'DFX0001'; did you mean 'DFX001'?", id="ignore"),
    pytest.param('extend-select = ["X"]', "'extend-select': unknown rule code 'X'", id="extend-select"),
    pytest.param('[per-file-ignores]\n"a/*" = ["DFX01"]', "'per-file-ignores': 'a/*': unknown rule code 'DFX01'", id="per-file-ignores"),
]


@pytest.mark.parametrize(("config", "message"), CONFIG_SELECTIONS)
def test_unknown_code_in_configuration(project: Path, config: str, message: str) -> None:
    (project / ".dockerfix.toml").write_text(config + "\n")
    result = run("Dockerfile", cwd=project)
    assert result.returncode == 2
    assert f"dockerfix: error: .dockerfix.toml: {message}" in result.stderr


def test_hadolint_alias_in_configuration_is_said(project: Path) -> None:
    (project / ".dockerfix.toml").write_text('ignore = ["DL3013"]\n')
    result = run("--output-format", "json", "Dockerfile", cwd=project)
    assert [d["code"] for d in json.loads(result.stdout)] == ["DFX001"]
    assert "dockerfix: note: .dockerfix.toml: DL3013 is hadolint's code for DFX002 (pip-unpinned): using DFX002" in result.stderr


@pytest.mark.parametrize(
    ("config", "args", "rules"),
    [
        pytest.param('ignore = ["DFX0"]', ["--extend-select", "DFX002"], ["DFX002"], id="cli-extend-select-beats-file-ignore"),
        pytest.param('select = ["DFX001"]\nextend-select = ["DFX002"]', [], ["DFX001", "DFX002"], id="file-extend-select"),
        pytest.param('select = ["DFX001"]', ["--extend-select", "DL3013"], ["DFX001", "DFX002"], id="cli-adds-to-file-select"),
        pytest.param('select = ["DFX002"]', ["--select", "ALL", "--ignore", "DFX002"], ["DFX001"], id="cli-select-all-replaces"),
    ],
)
def test_extend_select_layers(project: Path, config: str, args: list[str], rules: list[str]) -> None:
    (project / ".dockerfix.toml").write_text(config + "\n")
    result = run(*args, "--output-format", "json", "Dockerfile", cwd=project)
    assert sorted(d["code"] for d in json.loads(result.stdout)) == rules


def test_statistics_text_is_ruffs(project: Path) -> None:
    (project / "b.Dockerfile").write_text("FROM python:3.12\nRUN pip install flask && pip install -r r.txt\n")
    result = run("--statistics", ".", cwd=project)
    assert result.returncode == 1
    assert result.stdout == "3\tDFX001\t[*] pip-no-cache-dir\n2\tDFX002\t[ ] pip-unpinned\n"


def test_statistics_json(project: Path) -> None:
    result = run("--statistics", "--output-format", "json", "Dockerfile", cwd=project)
    assert json.loads(result.stdout) == [
        {"code": "DFX001", "name": "pip-no-cache-dir", "count": 1, "fixable": True},
        {"code": "DFX002", "name": "pip-unpinned", "count": 1, "fixable": False},
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--statistics", "--output-format", "sarif"], "--statistics prints as text, full or json, not sarif", id="format"),
        pytest.param(["--statistics", "--diff"], "--statistics and --diff cannot be used together", id="diff"),
    ],
)
def test_statistics_refuses(project: Path, args: list[str], message: str) -> None:
    result = run(*args, "Dockerfile", cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert f"dockerfix: error: {message}" in result.stderr


@pytest.mark.parametrize(
    ("args", "name"),
    [
        pytest.param(["-o", "out.json", "--output-format", "json"], "out.json", id="json"),
        pytest.param(["--output-file=sub/r.txt"], "sub/r.txt", id="text"),
        pytest.param(["--diff", "-o", "fix.patch"], "fix.patch", id="diff"),
    ],
)
def test_output_file(project: Path, args: list[str], name: str) -> None:
    (project / "sub").mkdir()
    expected = run(*[a for a in args if a not in ("-o", name) and not a.startswith("--output-file")], "Dockerfile", cwd=project)
    result = run(*args, "Dockerfile", cwd=project)
    assert (result.returncode, result.stdout) == (1, "")
    assert (project / name).read_text() == expected.stdout != ""
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_output_file_that_cannot_be_written(project: Path) -> None:
    result = run("-o", "missing/out.txt", "Dockerfile", cwd=project)
    assert result.returncode == 2
    assert "dockerfix: error: missing/out.txt: cannot write output file: No such file or directory" in result.stderr


@pytest.mark.parametrize(
    ("argument", "title"),
    [
        pytest.param("DFX001", "# DFX001 pip-no-cache-dir", id="code"),
        pytest.param("dfx003", "# DFX003 uv-no-cache", id="code-any-case"),
        pytest.param("pip-unpinned", "# DFX002 pip-unpinned", id="name"),
        pytest.param("DL3042", "# DFX001 pip-no-cache-dir", id="hadolint-code"),
    ],
)
def test_explain(tmp_path: Path, argument: str, title: str) -> None:
    result = run("--explain", argument, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(title + "\n")


def test_explain_unknown_says_did_you_mean(tmp_path: Path) -> None:
    result = run("--explain", "pip-no-cache", cwd=tmp_path)
    assert result.returncode == 2
    assert "--explain: unknown rule 'pip-no-cache'; did you mean 'pip-no-cache-dir'?" in result.stderr


@pytest.mark.parametrize("args", [pytest.param(["--list-rules"], id="list-rules"), pytest.param(["--explain"], id="explain-alone")])
def test_rule_listing(tmp_path: Path, args: list[str]) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [[r.code, r.doc.name] for r in RULES]


@pytest.mark.parametrize("output_format", [f for f in FORMATS if f not in ("text", "full")])
def test_machine_formats_carry_the_notes(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "Dockerfile").write_text(NOTED)
    text = run("Dockerfile", cwd=tmp_path).stdout
    assert f"  note: {NOTE}" in text
    result = run("--output-format", output_format, "Dockerfile", cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": ""})
    assert NOTE in result.stdout


def test_json_notes_key(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(NOTED)
    [finding] = json.loads(run("--output-format", "json", "Dockerfile", cwd=tmp_path).stdout)
    assert [n[: len(NOTE)] for n in finding["notes"]] == [NOTE]


@pytest.mark.parametrize(
    ("choice", "environ", "tty", "colour"),
    [
        pytest.param(None, {}, False, False, id="pipe"),
        pytest.param(None, {}, True, True, id="terminal"),
        pytest.param(None, {"NO_COLOR": "1"}, True, False, id="no-color"),
        pytest.param(None, {"NO_COLOR": ""}, True, True, id="no-color-empty-is-unset"),
        pytest.param(None, {"FORCE_COLOR": "1"}, False, True, id="force-color-on-a-pipe"),
        pytest.param(None, {"FORCE_COLOR": "0"}, False, True, id="force-color-any-non-empty"),
        pytest.param(None, {"FORCE_COLOR": ""}, False, False, id="force-color-empty-is-unset"),
        pytest.param(None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False, id="no-color-wins"),
        pytest.param(False, {"FORCE_COLOR": "1"}, True, False, id="no-color-option-wins"),
        pytest.param(True, {"NO_COLOR": "1"}, False, True, id="color-option-wins"),
    ],
)
def test_colour(choice: bool | None, environ: dict[str, str], tty: bool, colour: bool) -> None:
    class Stream:
        def isatty(self) -> bool:
            return tty

    assert should_colorize(choice, Stream(), environ) is colour  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mode", "stdout"),
    [
        pytest.param([], "Dockerfile:2:5: DFX001", id="check-reports"),
        pytest.param(["--diff"], "", id="diff-shows-no-change"),
        pytest.param(["--write"], "Dockerfile:2:5: DFX001", id="write-reports-and-writes-nothing"),
    ],
)
def test_symlink_leading_outside_the_walk(tmp_path: Path, mode: list[str], stdout: str) -> None:
    """Checked and reported, never written or diffed, counted as skipped; -v names it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "Dockerfile").write_text(DOCKERFILE)
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").symlink_to(tmp_path / "outside" / "Dockerfile")
    (project / "b.Dockerfile").write_text("FROM python:3.12\n")
    result = run(*mode, "-v", "--select", "DFX001", ".", cwd=project)
    assert result.stdout.startswith(stdout)
    if not stdout:
        assert result.stdout == ""
    assert "0 failed" in result.stderr and ", 1 skipped, " in result.stderr
    assert "  skipped: 1 symlink to a file outside the searched directory" in result.stderr
    assert "dockerfix: Dockerfile: symlink to " in result.stderr and "checked and reported, never written" in result.stderr
    assert (tmp_path / "outside" / "Dockerfile").read_text() == DOCKERFILE
