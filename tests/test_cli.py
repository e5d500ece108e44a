"""The command line as a user meets it: modes, streams, exit codes, bad input."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Pinned, so that DFX002 stays quiet and these cases speak of DFX001 only.
BROKEN = "FROM python:3.12\nRUN pip install flask==2.3.2\n"
FIXED = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"
CLEAN = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfix", *args], cwd=cwd, input=stdin, capture_output=True, timeout=60
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(BROKEN)
    (tmp_path / "clean.Dockerfile").write_text(CLEAN)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["app/Dockerfile"], 1, id="report-findings"),
        pytest.param(["clean.Dockerfile"], 0, id="report-clean"),
        pytest.param(["--diff", "app/Dockerfile"], 1, id="diff-printed"),
        pytest.param(["--diff", "clean.Dockerfile"], 0, id="diff-nothing"),
        pytest.param(["--exit-zero", "app/Dockerfile"], 0, id="exit-zero"),
        pytest.param(["missing/Dockerfile"], 2, id="missing-file"),
        pytest.param(["--diff", "--write", "."], 2, id="diff-and-write"),
        pytest.param(["--explain", "DFX999"], 2, id="explain-unknown"),
        pytest.param(["--explain", "dfx001"], 0, id="explain-any-case"),
        pytest.param(["--select", "DFX000", "app/Dockerfile"], 0, id="select-other-rule"),
        pytest.param(["--ignore", "DFX001", "app/Dockerfile"], 0, id="ignore-rule"),
    ],
)
def test_exit_codes(repo: Path, args: list[str], code: int) -> None:
    assert run(*args, cwd=repo).returncode == code


def test_report_goes_to_stdout_summary_to_stderr(repo: Path) -> None:
    result = run("app/Dockerfile", cwd=repo)
    assert result.stdout.decode() == (
        "app/Dockerfile:2:5: DFX001 `pip install` keeps its download cache in the image layer; "
        "add `--no-cache-dir` [*]\n"
    )
    assert result.stderr.decode() == "Found 1 finding (1 fixable with --write) in 1 file.\n"


def test_directory_is_walked(repo: Path) -> None:
    result = run(".", cwd=repo)
    assert result.returncode == 1
    assert result.stdout.decode().startswith("app/Dockerfile:2:5: DFX001")
    assert "in 2 files" in result.stderr.decode()


def test_diff_applies_with_git_apply_and_patch(repo: Path) -> None:
    diff = run("--diff", "app/Dockerfile", cwd=repo).stdout
    assert diff.startswith(b"--- a/app/Dockerfile\n+++ b/app/Dockerfile\n")
    assert (repo / "app" / "Dockerfile").read_text() == BROKEN  # --diff writes nothing
    if shutil.which("git"):
        subprocess.run(["git", "apply", "-"], cwd=repo, input=diff, check=True)
        assert (repo / "app" / "Dockerfile").read_text() == FIXED
        (repo / "app" / "Dockerfile").write_text(BROKEN)
    if shutil.which("patch"):
        subprocess.run(["patch", "-p1", "-s"], cwd=repo, input=diff, check=True)
        assert (repo / "app" / "Dockerfile").read_text() == FIXED


def test_write_fixes_in_place_and_keeps_mode(repo: Path) -> None:
    target = repo / "app" / "Dockerfile"
    target.chmod(0o640)
    result = run("--write", ".", cwd=repo)
    assert result.returncode == 0
    assert target.read_text() == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "Fixed 1 finding in 1 file" in result.stderr.decode()
    assert run("--write", ".", cwd=repo).returncode == 0  # idempotent


def test_write_leaves_unchanged_files_alone(repo: Path) -> None:
    clean = repo / "clean.Dockerfile"
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    run("--write", ".", cwd=repo)
    assert clean.stat().st_mtime_ns == 1_000_000_000


def test_write_reports_what_it_could_not_fix(repo: Path) -> None:
    (repo / "ps.Dockerfile").write_text('FROM x\nSHELL ["pwsh", "-Command"]\nRUN pip install flask\n')
    result = run("--write", "ps.Dockerfile", cwd=repo)
    assert result.returncode == 1
    assert b"DFX000" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["-"], b"-:2:5: DFX001", id="report-as-dash"),
        pytest.param(["--stdin-filename", "svc/Dockerfile", "-"], b"svc/Dockerfile:2:5: DFX001", id="report-named"),
        pytest.param(["--diff", "-"], b"--- a/-\n+++ b/-\n", id="diff"),
        pytest.param(["--write", "-"], FIXED.encode(), id="write-prints-fixed-text"),
    ],
)
def test_stdin(tmp_path: Path, args: list[str], expected: bytes) -> None:
    result = run(*args, cwd=tmp_path, stdin=BROKEN.encode())
    assert result.stdout.startswith(expected)


def test_json_output(repo: Path) -> None:
    result = run("--output-format", "json", "app/Dockerfile", cwd=repo)
    [item] = json.loads(result.stdout)
    assert item == {
        "code": "DFX001",
        "name": "pip-no-cache-dir",
        "message": "`pip install` keeps its download cache in the image layer; add `--no-cache-dir`",
        "filename": "app/Dockerfile",
        "location": {"row": 2, "column": 5},
        "end_location": {"row": 2, "column": 16},
        "fix": {
            "applicability": "safe",
            "message": "Insert `--no-cache-dir`",
            "edits": [
                {
                    "content": " --no-cache-dir",
                    "location": {"row": 2, "column": 16},
                    "end_location": {"row": 2, "column": 16},
                }
            ],
        },
        "url": "https://github.com/dockerfix/dockerfix/blob/main/docs/rules.md#dfx001",
        "notes": [],
    }


def test_json_columns_count_characters(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\nRUN echo ✓✓ && pip install a==1\n", encoding="utf-8")
    [item] = json.loads(run("--output-format", "json", "Dockerfile", cwd=tmp_path).stdout)
    assert item["location"] == {"row": 2, "column": 16}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("latin1.Dockerfile", "FROM x\nRUN echo caf\xe9\n".encode("latin-1"), "latin1.Dockerfile:2:13: not valid UTF-8", id="not-utf8"),
        pytest.param("binary.Dockerfile", b"FROM x\n\x00\x01", "binary.Dockerfile:2:1: binary file", id="binary"),
        pytest.param("heredoc.Dockerfile", b"FROM x\nRUN <<EOF\npip install a\n", "heredoc.Dockerfile:2:5: unterminated heredoc", id="unterminated-heredoc"),
    ],
)
def test_bad_input_is_named_and_untouched(repo: Path, name: str, content: bytes, message: str) -> None:
    bad = repo / name
    bad.write_bytes(content)
    result = run("--write", name, "app/Dockerfile", cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert bad.read_bytes() == content
    assert (repo / "app" / "Dockerfile").read_text() == FIXED  # the other file was still processed


NOTHING_FOUND = [
    pytest.param({}, [], "", id="empty"),
    pytest.param({"d/Dockerfile": BROKEN, "d/x/Dockerfile": BROKEN}, ["--exclude", "Dockerfile"],
                 "; 2 files skipped: excluded by --exclude 'Dockerfile'", id="excluded-by-option"),
    pytest.param({"d/Dockerfile": BROKEN, "d/.gitignore": "Dockerfile\n"}, [],
                 "; 1 file skipped: gitignored (d/.gitignore:1: Dockerfile)", id="gitignored"),
    pytest.param({"d/vendor/Dockerfile": BROKEN}, ["--exclude", "vendor"],
                 "; 1 directory skipped: excluded by --exclude 'vendor'", id="directory-excluded"),
    pytest.param({"d/node_modules/Dockerfile": BROKEN}, [], "", id="default-excluded-directory-unsaid"),
    pytest.param({"d/README.md": "x"}, [], "", id="no-dockerfile-name"),
]


@pytest.mark.parametrize(("files", "args", "skipped"), NOTHING_FOUND)
def test_directory_without_dockerfiles_warns_and_exits_0(
    tmp_path: Path, files: dict[str, str], args: list[str], skipped: str
) -> None:
    """ruff's rule for a directory with nothing to check: a warning that says what was
    skipped and why, exit 0. A path that does not exist stays an error (exit 2)."""
    (tmp_path / "d").mkdir()
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = run(*args, "d", cwd=tmp_path)
    assert result.returncode == 0
    err = result.stderr.decode()
    assert err.startswith("dockerfix: warning: d: no Dockerfiles found (looked for Dockerfile, ")
    assert err.splitlines()[0].endswith(f"Containerfile-*){skipped}")
    assert err.splitlines()[1] == "No Dockerfiles checked."


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(repo: Path) -> None:
    target = repo / "app" / "Dockerfile"
    target.chmod(0)
    result = run("app/Dockerfile", cwd=repo)
    assert result.returncode == 2
    assert "app/Dockerfile" in result.stderr.decode()


def test_crlf_and_no_final_newline_survive_write(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_bytes(b"\xef\xbb\xbfFROM x\r\nRUN pip install \\\r\n    flask")
    run("--write", "Dockerfile", cwd=tmp_path)
    assert target.read_bytes() == b"\xef\xbb\xbfFROM x\r\nRUN pip install --no-cache-dir \\\r\n    flask"


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "dockerfix", "--version"], capture_output=True)
    assert result.returncode == 0 and b"dockerfix" in result.stdout


def test_a_profiler_still_writes_its_report_at_exit() -> None:
    # The command exits through SystemExit: a profiler still writes its report.
    result = subprocess.run([sys.executable, "-m", "cProfile", "-m", "dockerfix", "--version"], capture_output=True)
    assert result.returncode == 0 and b"dockerfix, version" in result.stdout
    assert b"function calls" in result.stdout


@pytest.mark.parametrize(
    ("args", "marked", "summary"),
    [
        pytest.param([], [False, True], "Found 2 findings (1 fixable with --write; 1 more with --unsafe-fixes)", id="report"),
        pytest.param(["--unsafe-fixes"], [True, True], "Found 2 findings (2 fixable with --write)", id="report-unsafe"),
        pytest.param(["--diff"], None, "Would fix 1 finding in 1 file (1 file checked). 1 more fixable with --unsafe-fixes.", id="diff"),
    ],
)
def test_unsafe_fixes_are_marked_only_when_write_would_apply_them(
    tmp_path: Path, args: list[str], marked: list[bool] | None, summary: str
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir django>=4 flask\n")
    (tmp_path / "requirements.lock").write_text("django==4.2.7\nflask==2.3.2\n")
    result = run(*args, "--pin-from", "requirements.lock", "Dockerfile", cwd=tmp_path)
    if marked is not None:
        assert [line.endswith("[*]") for line in result.stdout.decode().splitlines()] == marked
    assert result.stderr.decode().startswith(summary)
