"""Hostile files, names, pipes and streams (issue 13): every attack ends in bounded time
and memory with exit 0, 1 or 2, one ``dockerfix: error: PLACE: what`` line where it is an
error, never a traceback or an "internal error", and files byte-identical unless fixed.

Each attack runs the command in a subprocess under a time limit and an address-space
limit (``run_limited``): a hang is a timeout, a runaway read a MemoryError, both failures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfix.cli.discovery import is_dockerfile_name

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero, rlimits: POSIX")

BROKEN = "FROM python:3.12\nRUN pip install flask==2.3.2\n"
FIXED = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"
TIME_LIMIT = 30.0  # seconds: a hang is a test failure, not a stuck suite
MEMORY_LIMIT = 1 << 30  # bytes of address space: reading /dev/zero whole would pass it
MIB = 1 << 20


class Ran(NamedTuple):
    code: int
    stdout: bytes
    stderr: str


def run_limited(
    args: Sequence[str],
    cwd: Path,
    *,
    stdin: IO[bytes] | int | None = subprocess.DEVNULL,
    stdout: IO[bytes] | int | None = subprocess.PIPE,
    close: Sequence[int] = (),
    timeout: float = TIME_LIMIT,
    memory: int = MEMORY_LIMIT,
) -> Ran:
    """``python -m dockerfix ARGS`` in ``cwd`` with at most ``memory`` bytes of address
    space and ``timeout`` seconds; ``close`` lists the standard descriptors the child
    starts without (a shell's ``<&-`` / ``>&-``). Fails the test on a timeout."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        for fd in close:
            os.close(fd)

    try:
        done = subprocess.run(
            [sys.executable, "-m", "dockerfix", *args],
            cwd=cwd,
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            preexec_fn=limit,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"dockerfix {' '.join(args)}: no exit within {timeout} s (a hang)")
    return Ran(done.returncode, done.stdout or b"", done.stderr.decode("utf-8", "replace"))


def assert_bounded(ran: Ran, *, code: int | None = None, error: str | None = None) -> None:
    """The policy every attack must meet, and the exit code and error line expected."""
    assert ran.code in (0, 1, 2), ran
    assert "Traceback" not in ran.stderr, ran.stderr
    assert "internal error" not in ran.stderr, ran.stderr
    assert "MemoryError" not in ran.stderr, ran.stderr
    if code is not None:
        assert ran.code == code, ran
    if error is not None:
        assert f"dockerfix: error: {error}\n" in ran.stderr, ran.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    """The regular files under ``root`` (not following links), by relative path."""
    found = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    found[os.path.relpath(path, root)] = f.read()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(BROKEN)
    return tmp_path


# -- files that are not regular files ---------------------------------------------------


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")


SPECIAL = [pytest.param(_fifo, id="fifo"), pytest.param(_zero, id="dev-zero-link")]


@pytest.mark.parametrize("make", SPECIAL)
@pytest.mark.parametrize(
    ("name", "args", "error"),
    [
        pytest.param("x/Dockerfile", ["x/Dockerfile", "Dockerfile"], "x/Dockerfile: not a regular file", id="dockerfile"),
        pytest.param("cfg.toml", ["--config", "cfg.toml", "Dockerfile"], "cfg.toml: cannot read configuration: not a regular file", id="config"),
        pytest.param("lock.txt", ["--pin-from", "lock.txt", "Dockerfile"], "lock.txt: cannot read pin file: not a regular file", id="pin-from"),
        pytest.param(".gitignore", ["."], ".gitignore: not a regular file", id="gitignore"),
        pytest.param(".git/info/exclude", ["."], ".git/info/exclude: not a regular file", id="git-info-exclude"),
    ],
)
def test_a_special_file_is_refused_unread(
    project: Path, make: Callable[[Path], None], name: str, args: list[str], error: str
) -> None:
    (project / ".git").mkdir()
    make(project / name)
    before = snapshot(project)
    ran = run_limited(["--write", *args], project)
    assert_bounded(ran, code=2)
    assert f"dockerfix: error: {error} (a " in ran.stderr
    if name == "x/Dockerfile":  # a file's error: the other files are still processed
        assert (project / "Dockerfile").read_text() == FIXED
    else:  # a setting's error: the run stops before any file is touched
        assert snapshot(project) == before


@pytest.mark.parametrize("make", SPECIAL)
def test_a_special_file_included_by_a_lock_file_is_refused(project: Path, make: Callable[[Path], None]) -> None:
    (project / "lock.txt").write_text("-r included.txt\nflask==2.3.2\n")
    make(project / "included.txt")
    ran = run_limited(["--write", "--pin-from", "lock.txt", "Dockerfile"], project)
    assert_bounded(ran, code=2)
    assert "dockerfix: error: included.txt: cannot read pin file: not a regular file (a " in ran.stderr
    assert (project / "Dockerfile").read_text() == BROKEN


def test_a_special_file_met_while_walking_is_not_taken(project: Path) -> None:
    # Neither a Dockerfile nor a configuration file (config.Resolver looks for files only).
    _fifo(project / "a" / "Dockerfile")
    _zero(project / "b" / "Dockerfile")
    _fifo(project / ".dockerfix.toml")
    _zero(project / "a" / "pyproject.toml")
    ran = run_limited(["--write", "."], project)
    assert_bounded(ran, code=0)
    assert (project / "Dockerfile").read_text() == FIXED


def test_standard_input_from_dev_zero_is_read_up_to_the_limit(project: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        ran = run_limited(["-"], project, stdin=zero, memory=512 * MIB)
    assert_bounded(ran, code=2, error="standard input: larger than the 10 MiB limit (max-file-size)")


# -- the size limit ---------------------------------------------------------------------


def _big(path: Path, size: int) -> None:
    path.write_bytes(b"FROM python:3.12\n" + b"# padding\n" * (size // 10))


@pytest.mark.parametrize(
    ("args", "config", "code", "error"),
    [
        pytest.param(["big"], None, 2, "big: larger than the 10 MiB limit (max-file-size)", id="default-limit"),
        pytest.param(["--max-file-size", "1M", "big"], None, 2, "big: larger than the 1 MiB limit (max-file-size)", id="option-lower"),
        pytest.param(["--max-file-size", "20M", "big"], None, 0, None, id="option-higher"),
        pytest.param(["big"], "max-file-size = \"20M\"\n", 0, None, id="config-key"),
        pytest.param(["big"], "max-file-size = 1024\n", 2, "big: larger than the 1 KiB limit (max-file-size)", id="config-bytes"),
        pytest.param(["--max-file-size", "0", "big"], None, 2, "argument --max-file-size: '0' is not at least 1 byte", id="zero"),
        pytest.param(["big"], "max-file-size = \"lots\"\n", 2, None, id="config-bad-value"),
    ],
)
def test_max_file_size(tmp_path: Path, args: list[str], config: str | None, code: int, error: str | None) -> None:
    _big(tmp_path / "big", 11 * MIB)
    if config is not None:
        (tmp_path / ".dockerfix.toml").write_text(config)
    ran = run_limited(args, tmp_path)
    assert_bounded(ran, code=code, error=error)


@pytest.mark.parametrize(
    ("name", "args", "error"),
    [
        pytest.param("cfg.toml", ["--config", "cfg.toml"], "cfg.toml: cannot read configuration: larger than the 1 KiB limit", id="config"),
        pytest.param("lock.txt", ["--pin-from", "lock.txt"], "lock.txt: cannot read pin file: larger than the 1 KiB limit", id="lock"),
        pytest.param("-", ["-"], "standard input: larger than the 1 KiB limit", id="stdin"),
    ],
)
def test_the_limit_holds_for_every_file_read(project: Path, name: str, args: list[str], error: str) -> None:
    text = b"# a comment line\n" * 100
    if name != "-":
        (project / name).write_bytes(text)
    with open(project / "input", "wb+") as stdin:
        stdin.write(text)
        stdin.seek(0)
        ran = run_limited(["--max-file-size", "1K", *args, "Dockerfile"], project, stdin=stdin)
    assert_bounded(ran, code=2, error=f"{error} (max-file-size)")


# -- names that are not UTF-8, or hold control characters -------------------------------

ODD_NAMES = [
    pytest.param(b"Dockerfile.\xff", b'"Dockerfile.\\377"', id="not-utf8"),
    pytest.param(b"Dockerfile.a\nb", b'"Dockerfile.a\\nb"', id="newline"),
    pytest.param(b"Dockerfile.a\tb", b'"Dockerfile.a\\tb"', id="tab"),
    pytest.param(b"Dockerfile.\x1b[31m", b'"Dockerfile.\\033[31m"', id="escape"),
    pytest.param("Dockerfile.café".encode(), "Dockerfile.café".encode(), id="utf8-unquoted"),
]


@pytest.mark.parametrize(("name", "shown"), ODD_NAMES)
@pytest.mark.parametrize("walk", [pytest.param(True, id="walk"), pytest.param(False, id="named")])
def test_an_odd_name_is_printed_quoted_and_processed(tmp_path: Path, name: bytes, shown: bytes, walk: bool) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as f:
        f.write(BROKEN.encode())
    target = ["."] if walk else [os.fsdecode(name)]
    report = run_limited(target, tmp_path)
    assert_bounded(report, code=1)
    assert report.stdout.startswith(shown + b":2:5: DFX001 ")
    for fmt in ("json", "json-lines", "sarif", "rdjson", "github", "full", "markdown") if walk else ("json",):
        out = run_limited(["--output-format", fmt, *target], tmp_path)
        assert_bounded(out, code=1)
        out.stdout.decode("utf-8")  # every format's output is UTF-8 text
        if fmt in ("json", "sarif", "rdjson"):
            json.loads(out.stdout)
    diff = run_limited(["--diff", *target], tmp_path)
    assert_bounded(diff, code=1)
    assert diff.stdout.startswith(b"--- " + _header(b"a/", name, shown) + b"\n+++ " + _header(b"b/", name, shown))
    write = run_limited(["--write", *target], tmp_path)
    assert_bounded(write, code=0)
    with open(path, "rb") as f:
        assert f.read() == FIXED.encode()


def _header(side: bytes, name: bytes, shown: bytes) -> bytes:
    return b'"' + side + shown[1:] if shown.startswith(b'"') else side + shown


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(("name", "shown"), ODD_NAMES)
def test_git_apply_reads_the_quoted_diff_header(tmp_path: Path, name: bytes, shown: bytes) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as f:
        f.write(BROKEN.encode())
    diff = run_limited(["--diff", "."], tmp_path)
    assert_bounded(diff, code=1)
    (tmp_path / "fix.patch").write_bytes(diff.stdout)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    applied = subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stderr
    with open(path, "rb") as f:
        assert f.read() == FIXED.encode()


def _a_dockerfile_suffix(suffix: bytes) -> bool:
    """A file name ``Dockerfile.SUFFIX`` can have, and that the walk takes for a Dockerfile
    (``Dockerfile.~`` is an editor's backup, not one)."""
    return b"/" not in suffix and b"\x00" not in suffix and is_dockerfile_name(os.fsdecode(b"Dockerfile." + suffix))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(min_size=1, max_size=12).filter(_a_dockerfile_suffix), min_size=1, max_size=4, unique=True))
def test_generated_names_never_break_a_format(tmp_path_factory: pytest.TempPathFactory, suffixes: list[bytes]) -> None:
    root = tmp_path_factory.mktemp("names")
    for suffix in suffixes:
        with open(os.path.join(os.fsencode(root), b"Dockerfile." + suffix), "wb") as f:
            f.write(BROKEN.encode())
    for args in (["."], ["--output-format", "json", "."], ["--diff", "."]):
        ran = run_limited(args, root)
        assert_bounded(ran, code=1)
        text = ran.stdout.decode("utf-8")
        if "json" in args:
            assert len(json.loads(text)) == len(suffixes)
    assert_bounded(run_limited(["--write", "."], root), code=0)
    assert set(snapshot(root).values()) == {FIXED.encode()}


# -- output that cannot be written, input that is closed --------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["Dockerfile"], id="report"),
        pytest.param(["--diff", "Dockerfile"], id="diff"),
        pytest.param(["--output-format", "json", "Dockerfile"], id="json"),
        pytest.param(["--version"], id="version"),
        pytest.param(["--help"], id="help"),
        pytest.param(["--explain", "DFX001"], id="explain"),
        pytest.param(["--show-settings"], id="show-settings"),
    ],
)
@pytest.mark.parametrize("where", [pytest.param("closed", id="closed"), pytest.param("/dev/full", id="dev-full")])
def test_output_that_cannot_be_written(project: Path, args: list[str], where: str) -> None:
    if where == "closed":
        ran = run_limited(args, project, stdout=None, close=(1,))
        expected = "standard output: closed"
    else:
        with open(where, "wb") as full:
            ran = run_limited(args, project, stdout=full)
        expected = "standard output: No space left on device"
    assert_bounded(ran, code=2, error=expected)
    assert ran.stderr.count("dockerfix: error:") == 1
    assert (project / "Dockerfile").read_text() == BROKEN


def test_write_with_stdout_closed_still_fixes_the_file(project: Path) -> None:
    # Nothing to print (no findings left): the closed stdout is never needed.
    ran = run_limited(["--write", "Dockerfile"], project, stdout=None, close=(1,))
    assert_bounded(ran, code=0)
    assert (project / "Dockerfile").read_text() == FIXED


@pytest.mark.parametrize("args", [pytest.param(["-"], id="report"), pytest.param(["--write", "-"], id="write")])
def test_standard_input_closed(project: Path, args: list[str]) -> None:
    ran = run_limited(args, project, stdin=None, close=(0,))
    assert_bounded(ran, code=2, error="standard input: closed")


def test_standard_input_closed_other_files_still_processed(project: Path) -> None:
    ran = run_limited(["--write", "-", "Dockerfile"], project, stdin=None, close=(0,))
    assert_bounded(ran, code=2, error="standard input: closed")
    assert (project / "Dockerfile").read_text() == FIXED


@pytest.mark.parametrize(("name", "shown"), ODD_NAMES)
def test_an_odd_stdin_filename_is_quoted_once(tmp_path: Path, name: bytes, shown: bytes) -> None:
    with open(tmp_path / "input", "wb+") as stdin:
        stdin.write(BROKEN.encode())
        stdin.seek(0)
        ran = run_limited(["--diff", "--stdin-filename", os.fsdecode(name), "-"], tmp_path, stdin=stdin)
    assert_bounded(ran, code=1)
    assert ran.stdout.startswith(b"--- " + _header(b"a/", name, shown) + b"\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stderr_closed_keeps_stdout_clean(project: Path, fmt: str) -> None:
    os.mkfifo(project / "fifo")
    ran = run_limited(["--output-format", fmt, "fifo", "Dockerfile"], project, close=(2,))
    assert ran.code == 2
    assert b"error" not in ran.stdout and b"Traceback" not in ran.stdout
    if fmt == "json":
        assert json.loads(ran.stdout)  # the report alone, valid


def test_a_missing_odd_name_is_one_quoted_error_line(tmp_path: Path) -> None:
    ran = run_limited([os.fsdecode(b"no\nsuch\xff")], tmp_path)
    assert_bounded(ran, code=2, error='"no\\nsuch\\377": No such file or directory')
