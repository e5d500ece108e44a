"""Bulk runs: a pool that changes nothing but speed, progress on terminals only, the end
summary, Ctrl-C, and which files --write may touch."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockerfix.cli import bulk
from dockerfix.cli.progress import PROGRESS_MIN_FILES, Progress, summary
from dockerfix.core import Settings
from dockerfix.fix.runner import FileResult, Mode, Outcome

# Pinned, so that only DFX001 speaks in these cases.
BROKEN = "FROM python:3.12\nRUN pip install flask==2.3.2\n"
FIXED = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"
CLEAN = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"
SETTINGS = Settings()


def _tree(root: Path, count: int) -> list[Path]:
    """``count`` Dockerfiles: most need a fix, some are clean, one does not decode."""
    paths = []
    for i in range(count):
        path = root / f"svc{i:04d}" / "Dockerfile"
        path.parent.mkdir(parents=True)
        if i % 7 == 3:
            path.write_bytes(b"FROM x\nRUN echo caf\xe9\n")
        else:
            path.write_text(CLEAN if i % 5 == 0 else BROKEN.replace("flask", f"pkg{i}"))
        paths.append(path)
    return paths


def _jobs(paths: list[Path]) -> list[bulk.Job]:
    return [bulk.Job(str(p), str(p), None, SETTINGS) for p in paths]


def _view(result: FileResult) -> tuple[object, ...]:
    return (result.path, result.outcome, result.fixed, [(d.code, d.start) for d in result.diagnostics], result.error)


@pytest.mark.parametrize("mode", [pytest.param(Mode.CHECK, id="check"), pytest.param(Mode.DIFF, id="diff")])
def test_pool_gives_the_same_results_in_the_same_order(tmp_path: Path, mode: Mode) -> None:
    jobs = _jobs(_tree(tmp_path, 3 * bulk.POOL_MIN_FILES))
    alone = bulk.run(jobs, mode, workers=1)
    pooled = bulk.run(jobs, mode, workers=2)
    assert not alone.interrupted and not pooled.interrupted
    assert [_view(r) for r in pooled.results] == [_view(r) for r in alone.results]
    assert [r.path for r in pooled.results] == [j.path for j in jobs]


def test_pool_writes(tmp_path: Path) -> None:
    paths = _tree(tmp_path, 2 * bulk.POOL_MIN_FILES)
    done = bulk.run(_jobs(paths), Mode.WRITE, workers=2)
    outcomes = {r.path: r.outcome for r in done.results}
    assert list(outcomes.values()).count(Outcome.CHANGED) > bulk.POOL_MIN_FILES
    for path in paths:
        if outcomes[str(path)] == Outcome.CHANGED:
            assert path.read_text() == FIXED.replace("flask", f"pkg{int(path.parent.name[3:])}")


def test_each_job_keeps_its_own_settings(tmp_path: Path) -> None:
    paths = _tree(tmp_path, 2)
    jobs = [bulk.Job(str(paths[1]), "a", None, SETTINGS), bulk.Job(str(paths[1]), "b", None, Settings(ignore=["DFX001"]))]
    done = bulk.run(jobs, Mode.CHECK, workers=1)
    assert [len(r.diagnostics) for r in done.results] == [1, 0]


def test_an_internal_error_fails_one_file_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfix.fix import runner

    paths = _tree(tmp_path, 2)
    real = runner.process

    def flaky(path: str, *args: object, **kwargs: object) -> FileResult:
        if path == str(paths[0]):
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "process", flaky)
    done = bulk.run(_jobs(paths), Mode.CHECK, workers=1)
    assert done.results[0].outcome == Outcome.FAILED and done.results[0].reason == "internal error"
    assert "internal error: RuntimeError: boom" in (done.results[0].error or "")
    assert done.results[1].outcome == Outcome.UNCHANGED and done.results[1].diagnostics


@pytest.mark.parametrize(
    ("workers", "files", "expected"),
    [
        pytest.param(1, 1000, 1, id="one-means-in-process"),
        pytest.param(4, bulk.POOL_MIN_FILES - 1, 1, id="small-run-stays-in-process"),
        pytest.param(4, 2 * bulk.POOL_MIN_FILES, 2, id="no-more-workers-than-the-files-repay"),
        pytest.param(2, 1000, 2, id="as-asked"),
    ],
)
def test_worker_count(workers: int, files: int, expected: int) -> None:
    assert bulk.worker_count(workers, files) == expected


# -- progress --------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _result(outcome: Outcome = Outcome.UNCHANGED) -> FileResult:
    return FileResult("Dockerfile", "Dockerfile", outcome)


def test_progress_bar_on_a_long_run() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, PROGRESS_MIN_FILES, enabled=True, clock=clock)
    for i in range(PROGRESS_MIN_FILES):
        clock.now += 0.01
        progress(_result(Outcome.CHANGED if i < 3 else Outcome.UNCHANGED))
    assert out.getvalue().startswith("\r[")
    assert out.getvalue().endswith(f"] {PROGRESS_MIN_FILES}/{PROGRESS_MIN_FILES} files, 3 changed, 0 findings\x1b[K")
    progress.close()
    assert out.getvalue().endswith("\r\x1b[K")  # erased before the summary


def test_progress_redraws_at_most_ten_times_a_second() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, 1000, enabled=True, clock=clock)
    for _ in range(999):
        clock.now += 0.001
        progress(_result())
    assert out.getvalue().count("\r") == 10


@pytest.mark.parametrize(
    ("enabled", "total", "seconds", "drawn"),
    [
        pytest.param(True, 10, 0.5, False, id="short-run"),
        pytest.param(True, 10, 1.5, True, id="slow-short-run"),
        pytest.param(True, PROGRESS_MIN_FILES, 0.0, True, id="many-files"),
        pytest.param(False, 10_000, 60.0, False, id="not-a-terminal-or-quiet"),
    ],
)
def test_when_progress_shows(enabled: bool, total: int, seconds: float, drawn: bool) -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, total, enabled=enabled, clock=clock)
    clock.now = seconds
    progress(_result())
    assert bool(out.getvalue()) is drawn


def test_cli_progress_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from dockerfix.cli import main as cli

    _tree(tmp_path, PROGRESS_MIN_FILES)
    monkeypatch.chdir(tmp_path)
    for tty, quiet, shown in [(True, False, True), (False, False, False), (True, True, False)]:
        monkeypatch.setattr(sys.stderr, "isatty", lambda tty=tty: tty)
        cli.main([".", "--isolated", "--jobs", "1", *(["--quiet"] if quiet else [])])
        err = capsysbinary.readouterr().err.decode()
        assert ("\x1b[K" in err) is shown, (tty, quiet)


# -- summary ---------------------------------------------------------------------------


def _run_of(*outcomes: tuple[Outcome, str | None, int], interrupted: bool = False, total: int | None = None) -> bulk.Run:
    from dockerfix.diagnostics import Diagnostic

    results = []
    for i, (outcome, reason, findings) in enumerate(outcomes):
        r = FileResult(f"f{i}", f"f{i}", outcome, reason=reason)
        r.diagnostics = [Diagnostic("DFX001" if k % 2 == 0 else "DFX000", "n", "m", k, k + 1) for k in range(findings)]
        results.append(r)
    return bulk.Run(results, len(results) if total is None else total, interrupted)


@pytest.mark.parametrize(
    ("done", "mode", "expected"),
    [
        pytest.param(_run_of((Outcome.UNCHANGED, None, 1)), Mode.CHECK, ["Found 1 finding in 1 file."], id="one-file-one-line"),
        pytest.param(_run_of((Outcome.UNCHANGED, None, 0)), Mode.CHECK, ["All checks passed (1 file checked)."], id="one-clean-file"),
        pytest.param(_run_of(), Mode.CHECK, ["No Dockerfiles checked."], id="nothing"),
        pytest.param(
            _run_of((Outcome.UNCHANGED, None, 3), (Outcome.UNCHANGED, None, 0)),
            Mode.CHECK,
            ["Found 3 findings in 2 files.", "  files: 1 with findings, 1 clean, 0 skipped, 0 failed", "  findings: DFX000 1, DFX001 2"],
            id="findings-by-rule",
        ),
        pytest.param(
            _run_of(
                (Outcome.CHANGED, None, 0),
                (Outcome.UNCHANGED, None, 0),
                (Outcome.SKIPPED, "symlink to a file outside the searched directory", 1),
                (Outcome.FAILED, "not UTF-8 text", 0),
                (Outcome.FAILED, "not UTF-8 text", 0),
                (Outcome.FAILED, "file changed on disk after it was read", 0),
            ),
            Mode.WRITE,
            [
                "Fixed 0 findings in 1 file (6 files checked); 1 finding remaining. 3 files could not be processed.",
                "  files: 1 changed, 1 unchanged, 1 skipped, 3 failed",
                "  findings: DFX001 1",
                "  skipped: 1 symlink to a file outside the searched directory",
                "  failed: 2 not UTF-8 text, 1 file changed on disk after it was read",
            ],
            id="every-outcome-with-reasons",
        ),
        pytest.param(
            _run_of((Outcome.CHANGED, None, 0), (Outcome.UNCHANGED, None, 0), interrupted=True, total=500),
            Mode.WRITE,
            [
                "Interrupted after 2 of 500 files: files are either as they were or fully fixed.",
                "  files: 1 changed, 1 unchanged, 0 skipped, 0 failed",
            ],
            id="interrupted",
        ),
        pytest.param(
            _run_of((Outcome.CHANGED, None, 0), (Outcome.UNCHANGED, None, 0)),
            Mode.DIFF,
            ["Would fix 0 findings in 1 file (2 files checked).", "  files: 1 would change, 1 unchanged, 0 skipped, 0 failed"],
            id="diff",
        ),
    ],
)
def test_summary(done: bulk.Run, mode: Mode, expected: list[str]) -> None:
    assert summary(done, mode).splitlines() == expected


# -- which files --write may touch -----------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, timeout=120)


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """repo/ holds a Dockerfile linking outside it, and one linking to a file inside it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "Dockerfile").write_text(BROKEN)
    repo = tmp_path / "repo"
    (repo / "shared").mkdir(parents=True)
    (repo / "shared" / "base.Dockerfile").write_text(BROKEN)
    (repo / "app").mkdir()
    (repo / "app" / "Dockerfile").symlink_to(tmp_path / "outside" / "Dockerfile")
    (repo / "api.Dockerfile").symlink_to("shared/base.Dockerfile")
    return tmp_path


def test_walk_does_not_write_through_a_link_leading_outside(linked: Path) -> None:
    # Found by the walk, checked and reported (process(root=...)), never written: the
    # summary counts it as skipped, -v says why, and its finding is left (exit 1).
    result = _cli("-v", "--write", "repo", cwd=linked)
    assert (linked / "outside" / "Dockerfile").read_text() == BROKEN
    assert (linked / "repo" / "shared" / "base.Dockerfile").read_text() == FIXED  # inside: written
    assert (linked / "repo" / "api.Dockerfile").is_symlink()
    err = result.stderr.decode()
    assert "repo/app/Dockerfile: symlink to " in err and "checked and reported, never written" in err
    assert "  skipped: 1 symlink to a file outside the searched directory" in err
    assert result.stdout.startswith(b"repo/app/Dockerfile:2:5: DFX001")
    assert result.returncode == 1


def test_a_link_named_explicitly_is_written_through(linked: Path) -> None:
    result = _cli("--write", "repo/app/Dockerfile", cwd=linked)
    assert result.returncode == 0
    assert (linked / "outside" / "Dockerfile").read_text() == FIXED
    assert (linked / "repo" / "app" / "Dockerfile").is_symlink()


# -- Ctrl-C ----------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("jobs", [pytest.param("1", id="in-process"), pytest.param("2", id="pool")])
def test_ctrl_c_leaves_every_file_old_or_new(tmp_path: Path, jobs: str) -> None:
    count = 3000
    for i in range(count):
        (tmp_path / f"{i:05d}.Dockerfile").write_text(BROKEN * 20)
    first = tmp_path / "00000.Dockerfile"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockerfix", "--write", "--jobs", jobs, "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 60
    while first.read_text() == BROKEN * 20 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole group gets it
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "Interrupted after " in err.decode() and f" of {count} files" in err.decode()
    contents = {p.read_text() for p in tmp_path.iterdir()}
    assert contents <= {BROKEN * 20, FIXED * 20}
    assert len(contents) == 2  # it had started and had not finished
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- SIGTERM and SIGKILL over a copied corpus slice; workers die with their parent ------

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
SLICE = 600  # corpus files per kill test: enough for a pool of 2 and a run of ~1 s


@pytest.fixture(scope="module")
def corpus_slice() -> list[tuple[str, bytes, bytes]]:
    """(name, original bytes, fully fixed bytes) for a slice of the corpus; the fixed
    bytes are what ``--write`` makes of the file alone (``runner.process`` in DIFF mode)."""
    from dockerfix.fix.runner import process

    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: the kill tests run over a slice of the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())[:SLICE]
    found = []
    for i, path in enumerate(files):
        data = path.read_bytes()
        result = process(str(path), str(path), data, Mode.DIFF, SETTINGS)
        fixed = result.fixed.encode() if result.fixed is not None else data
        found.append((f"{i:04d}/Dockerfile", data, fixed))
    return found


def _copy_slice(root: Path, corpus: list[tuple[str, bytes, bytes]]) -> None:
    for name, data, _ in corpus:
        (root / name).parent.mkdir(parents=True)
        (root / name).write_bytes(data)


def _start_write(root: Path, jobs: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dockerfix", "-q", "--write", "--jobs", jobs, "."],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_first_write(root: Path, corpus: list[tuple[str, bytes, bytes]], proc: subprocess.Popen[bytes]) -> None:
    changing = [name for name, data, fixed in corpus if data != fixed][:3]
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if any((root / name).read_bytes() != data for name, data, _ in corpus if name in changing):
            return
        time.sleep(0.002)


def _original_or_fixed(root: Path, corpus: list[tuple[str, bytes, bytes]]) -> list[str]:
    """The files that are neither as they were nor fully fixed (must be none)."""
    return [name for name, data, fixed in corpus if (root / name).read_bytes() not in (data, fixed)]


def _temps(root: Path) -> list[Path]:
    return sorted(root.rglob("*.dockerfix.tmp"))


def _alive(pid: int) -> bool:
    """``pid`` runs (a zombie, dead but not yet reaped by init, does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("sig", "group"),
    [
        pytest.param(signal.SIGINT, True, id="sigint-group"),
        pytest.param(signal.SIGTERM, True, id="sigterm-group"),
        pytest.param(signal.SIGTERM, False, id="sigterm-parent"),
        pytest.param(signal.SIGKILL, False, id="sigkill-parent"),
        pytest.param(signal.SIGKILL, True, id="sigkill-group"),
    ],
)
@pytest.mark.parametrize("jobs", [pytest.param("1", id="in-process"), pytest.param("2", id="pool")])
def test_a_killed_run_leaves_every_file_original_or_fully_fixed(
    tmp_path: Path, corpus_slice: list[tuple[str, bytes, bytes]], sig: signal.Signals, group: bool, jobs: str
) -> None:
    _copy_slice(tmp_path, corpus_slice)
    proc = _start_write(tmp_path, jobs)
    _wait_for_first_write(tmp_path, corpus_slice, proc)
    workers = _children(proc.pid)  # Linux; elsewhere none are looked for
    if group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 3
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if _alive(w)] == []  # a SIGTERM'd run stops its workers too
    assert _original_or_fixed(tmp_path, corpus_slice) == []
    # SIGKILL cannot be held back: it may stop the process that writes (the run itself with
    # --jobs 1, every worker with the group) half-way through a write, leaving its temporary
    # file for the next run to remove. Any other signal ends a writer between writes.
    if not (sig == signal.SIGKILL and (group or jobs == "1")):
        assert _temps(tmp_path) == []
    # A later run finishes the job and leaves no temporary file, a dead run's included.
    again = _cli("-q", "--write", "--jobs", jobs, ".", cwd=tmp_path)
    assert b"Traceback" not in again.stderr
    assert [name for name, _, fixed in corpus_slice if (tmp_path / name).read_bytes() != fixed] == []
    assert _temps(tmp_path) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    count = 3000
    for i in range(count):
        (tmp_path / f"{i:05d}.Dockerfile").write_text(BROKEN * 20)
    proc = _start_write(tmp_path, "2")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the pool did not start"
    proc.kill()  # SIGKILL: the parent cannot stop its pool
    proc.wait(timeout=60)
    deadline = time.monotonic() + 3
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if _alive(w)] == []
    contents = {p.read_text() for p in tmp_path.iterdir()}
    assert contents <= {BROKEN * 20, FIXED * 20}


# -- the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["--jobs", "0", "."], 2, id="jobs-zero-is-a-usage-error"),
        pytest.param(["--jobs", "x", "."], 2, id="jobs-not-a-number"),
        pytest.param(["-j", "1", "."], 1, id="short-option"),
    ],
)
def test_jobs_option(tmp_path: Path, args: list[str], code: int) -> None:
    _tree(tmp_path, 2)
    assert _cli(*args, cwd=tmp_path).returncode == code


@pytest.mark.parametrize("mode", [pytest.param([], id="report"), pytest.param(["--diff"], id="diff")])
def test_cli_output_is_the_same_with_a_pool(tmp_path: Path, mode: list[str]) -> None:
    _tree(tmp_path, 2 * bulk.POOL_MIN_FILES + 3)
    alone = _cli(*mode, "--jobs", "1", ".", cwd=tmp_path)
    pooled = _cli(*mode, "--jobs", "2", ".", cwd=tmp_path)
    assert pooled.stdout == alone.stdout and pooled.stdout
    assert pooled.stderr == alone.stderr
    assert pooled.returncode == alone.returncode == 2  # the undecodable files
