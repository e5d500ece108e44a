"""Many files through ``runner.process``: in this process or over a process pool, results
in the order the files were given, a progress bar for long runs, and the end summary.

Each job carries its own settings (a config file may differ per directory); they are
resolved once by the caller, never re-read per file. Workers import the core once, when
they start, and take files in chunks, so a pool costs its start-up and little else; runs
too small to repay that stay in this process.

Ctrl-C stops the run between files: workers ignore SIGINT and finish the chunk in hand
(a write is an atomic replace, so every file is either old or new), nothing more is
started, and the caller gets the files done so far with ``interrupted`` set.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO

from dockerfix.report.wording import plural

if TYPE_CHECKING:
    import multiprocessing
    from concurrent.futures import Future

    from dockerfix.core import Settings
    from dockerfix.fix.runner import FileResult, Mode

# Files each worker must have to repay the pool: starting one costs ~65 ms here (30 to
# import multiprocessing, 30 to fork and hand out the first task), the work of ~90 files.
POOL_MIN_FILES = 50
# Files per task sent to a worker: big enough to amortise the round trip, small enough
# that the chunks balance and that Ctrl-C is served quickly.
MAX_CHUNK = 32
# A progress bar appears for runs of at least this many files, or lasting longer than...
PROGRESS_MIN_FILES = 200
PROGRESS_AFTER_SECONDS = 1.0
_REDRAW_SECONDS = 0.1


class Job(NamedTuple):
    path: str
    display: str
    data: bytes | None  # the bytes already read (stdin), or None to read ``path``
    settings: Settings
    root: str | None = None  # the directory walked to find it; None: named explicitly


class Run(NamedTuple):
    results: list[FileResult]  # one per file processed, in job order
    total: int  # files there were to process
    interrupted: bool


def default_jobs() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(
    jobs: Sequence[Job],
    mode: Mode,
    *,
    workers: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Run:
    """Process every job; ``workers`` None means one per CPU, 1 means in this process.

    ``on_result`` sees each result as soon as it is known (for a progress bar); the
    returned results are in job order whatever the number of workers.
    """
    count = worker_count(workers, len(jobs))
    results: list[FileResult] = []
    step = _record(results, on_result)
    try:
        if count <= 1:
            for job in jobs:
                step(_process(job, mode))
        else:
            _run_pool(jobs, mode, count, step)
    except KeyboardInterrupt:
        return Run(results, len(jobs), True)
    return Run(results, len(jobs), False)


def worker_count(asked: int | None, files: int) -> int:
    """Processes to use: as asked (None: one per CPU), but no more than the run repays."""
    wanted = default_jobs() if asked is None else max(1, asked)
    return min(wanted, files // POOL_MIN_FILES or 1)


def _record(results: list[FileResult], on_result: Callable[[FileResult], None] | None) -> Callable[[FileResult], None]:
    def step(result: FileResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    return step


def _process(job: Job, mode: Mode) -> FileResult:
    from dockerfix.fix.runner import FileResult, Mode, Outcome, process

    try:
        result = process(job.path, job.display, job.data, mode, job.settings, root=job.root)
        if result.fixed is not None and result.original is not None and mode == Mode.DIFF:
            from dockerfix.fix.diff import unified_diff

            # In the worker, so that a pool makes the diffs in parallel too.
            # Named as given (not its printable form): the header quotes it as git does.
            result.diff = unified_diff(job.display, result.original, result.fixed)
        return _slim(result)
    except Exception as exc:  # noqa: BLE001  (a bug on one file must not end a 10,000-file run)
        from dockerfix.fix.diff import quoted_name

        display = quoted_name(job.display)
        error = f"{display}: internal error: {type(exc).__name__}: {exc} (please report it)"
        return FileResult(job.path, display, Outcome.FAILED, error=error, reason="internal error")


def _slim(result: FileResult) -> FileResult:
    # A file with nothing to report or print needs no text: less to pickle back from a
    # worker, less to keep for a 10,000-file run.
    from dockerfix.fix.runner import Outcome

    # Standard input keeps its text: `--write -` echoes it back even when nothing changed.
    if result.path == "-":
        return result
    if result.outcome == Outcome.UNCHANGED and not result.diagnostics and not result.refused:
        result.source = result.original = None
    return result


def _chunks(jobs: Sequence[Job], workers: int) -> Iterator[list[Job]]:
    size = max(1, min(MAX_CHUNK, len(jobs) // (workers * 4)))
    for start in range(0, len(jobs), size):
        yield list(jobs[start : start + size])


def _run_pool(jobs: Sequence[Job], mode: Mode, workers: int, step: Callable[[FileResult], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork (Linux) starts a worker with the core already imported; elsewhere the
    # initializer imports it once per worker.
    fork = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    import dockerfix.core  # noqa: F401  (imported before the fork, inherited by the workers)

    if fork:
        from dockerfix.parse.shell import _parser

        _parser()  # made once here rather than once per worker

    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),))
    futures: list[Future[list[FileResult]]] = []
    cursor = _Cursor()
    try:
        futures = [executor.submit(_work, chunk, mode) for chunk in _chunks(jobs, workers)]
        cursor.drain(futures, step, finished_only=False)
    except KeyboardInterrupt:
        # Let the chunks in hand finish (each write is done or not begun), start no
        # more, and keep what finished so that the summary counts it.
        for future in futures:
            future.cancel()
        try:
            executor.shutdown(wait=True, cancel_futures=True)
            cursor.drain(futures, step, finished_only=True)
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: stop waiting; workers end after their chunk
        raise
    except BaseException:  # SystemExit of a SIGTERM (cli), or a bug: the workers stop too
        workers_now = _workers(executor)  # before shutdown, which forgets them
        executor.shutdown(wait=False, cancel_futures=True)
        _stop(workers_now)
        raise
    # Waited for: shutting down without waiting races the executor's exit handler
    # (CPython 3.11 then prints "Bad file descriptor" at exit).
    executor.shutdown(wait=True)


def _workers(executor: object) -> list[multiprocessing.Process]:
    return list((getattr(executor, "_processes", None) or {}).values())  # the executor's own table (CPython)


def _stop(workers: list[multiprocessing.Process]) -> None:
    """SIGTERM to each worker: it ends after the write in hand (``_die_with_parent``),
    instead of working through the chunks already queued for a run that is over."""
    for process in workers:
        try:
            process.terminate()
        except (OSError, ValueError):
            pass  # already gone


class _Cursor:
    """How far the results of the futures have been passed on: Ctrl-C can come between
    any two of them, and no result may be passed on twice or skipped."""

    def __init__(self) -> None:
        self.future = 0
        self.item = 0

    def drain(self, futures: Sequence[Future[list[FileResult]]], step: Callable[[FileResult], None], *, finished_only: bool) -> None:
        while self.future < len(futures):
            future = futures[self.future]
            if finished_only and (not future.done() or future.cancelled() or future.exception() is not None):
                self.future, self.item = self.future + 1, 0
                continue
            batch = future.result()
            while self.item < len(batch):
                self.item += 1
                step(batch[self.item - 1])
            self.future, self.item = self.future + 1, 0


def _init_worker(parent: int) -> None:
    import signal

    # Ctrl-C reaches the whole process group; the parent alone decides to stop, and a
    # worker finishes the file in hand instead of dying half-way through a chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    import dockerfix.core  # noqa: F401  (once per worker, not per file)


# How often a worker looks whether its parent is still there, where the OS cannot tell it.
_PARENT_POLL_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    """End this worker soon after ``parent`` dies (SIGKILL gives it no chance to stop
    its pool), and never half-way through a write.

    The parent's death becomes a SIGTERM to this worker: from the kernel on Linux
    (``prctl(PR_SET_PDEATHSIG)``), elsewhere from a thread that polls ``os.getppid()``
    (the parent's death makes the worker someone else's child). Its handler exits; a write
    in progress holds it back until the file is replaced or not begun (``writer``).
    """
    import signal
    import threading

    signal.signal(signal.SIGTERM, _parent_died)
    if sys.platform == "linux":
        _ask_kernel_for_sigterm()
    if os.getppid() != parent:  # died before the request was made
        os._exit(1)
    watchdog = threading.Thread(target=_watch_parent, args=(parent,), name="dockerfix-parent-watch", daemon=True)
    watchdog.start()


def _ask_kernel_for_sigterm() -> None:
    import ctypes
    import signal

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl (another libc): the watchdog thread alone


def _watch_parent(parent: int) -> None:
    import signal

    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # handled in the main thread, between writes


def _parent_died(signum: int, frame: object) -> None:
    os._exit(1)


def _work(chunk: list[Job], mode: Mode) -> list[FileResult]:
    return [_process(job, mode) for job in chunk]


class Progress:
    """``[#####.....] 120/500 files, 3 changed, 7 findings`` on one line of a terminal.

    Drawn only when ``enabled`` (the CLI passes: stderr is a TTY and not ``-q``) and the
    run is long: ``PROGRESS_MIN_FILES`` files or more, or still going after
    ``PROGRESS_AFTER_SECONDS``. The line is erased at the end, before the summary.
    """

    def __init__(self, stream: TextIO, total: int, *, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.clock = clock
        self.started = clock()
        self.done = self.changed = self.findings = 0
        self._drawn_at: float | None = None

    def __call__(self, result: FileResult) -> None:
        from dockerfix.fix.runner import Outcome

        self.done += 1
        self.changed += result.outcome == Outcome.CHANGED
        self.findings += len(result.diagnostics)
        if not self.enabled:
            return
        now = self.clock()
        long_run = self.total >= PROGRESS_MIN_FILES or now - self.started >= PROGRESS_AFTER_SECONDS
        if long_run and (self._drawn_at is None or now - self._drawn_at >= _REDRAW_SECONDS or self.done == self.total):
            self._draw(now)

    def line(self) -> str:
        width = 20
        filled = width * self.done // self.total if self.total else width
        bar = "#" * filled + "." * (width - filled)
        return f"[{bar}] {self.done}/{self.total} files, {self.changed} changed, {plural(self.findings, 'finding')}"

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        self.stream.write("\r" + self.line() + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn_at = None


def summary(done: Run, mode: Mode) -> str:
    """The end summary: the headline sentence, then for a run of several files what came
    of each (changed / unchanged / skipped and why / failed and why) and findings by rule."""
    lines = [_headline(done, mode)]
    results = done.results
    if len(results) > 1 or done.interrupted or any(r.reason for r in results):
        lines.extend(_details(results, mode))
    return "\n".join(lines)


def _headline(done: Run, mode: Mode) -> str:
    from dockerfix.fix.runner import Mode, Outcome

    results = done.results
    found = sum(len(r.diagnostics) for r in results)
    fixable = sum(1 for r in results for d in r.diagnostics if d.applies(r.unsafe_fixes))
    hidden = sum(1 for r in results for d in r.diagnostics if d.fixable and not d.applies(r.unsafe_fixes))
    changed = sum(1 for r in results if r.outcome == Outcome.CHANGED)
    applied = sum(r.fixes_applied for r in results if r.outcome == Outcome.CHANGED)
    refused = sum(len(r.refused) for r in results)
    failed = sum(1 for r in results if r.outcome == Outcome.FAILED)
    files = plural(len(results), "file")
    if done.interrupted:
        line = f"Interrupted after {len(results)} of {plural(done.total, 'file')}: "
        line += "files are either as they were or fully fixed."
    elif mode == Mode.DIFF:
        line = f"Would fix {plural(applied, 'finding')} in {plural(changed, 'file')} ({files} checked)."
    elif mode == Mode.WRITE:
        line = f"Fixed {plural(applied, 'finding')} in {plural(changed, 'file')} ({files} checked)"
        line += f"; {plural(found, 'finding')} remaining." if found else "."
    elif found:
        hints = [f"{fixable} fixable with --write"] if fixable else []
        hints += [f"{hidden} more with --unsafe-fixes"] if hidden else []
        hint = f" ({'; '.join(hints)})" if hints else ""
        line = f"Found {plural(found, 'finding')}{hint} in {files}."
    elif results:
        line = f"All checks passed ({files} checked)."
    else:
        line = "No Dockerfiles checked."
    if hidden and mode != Mode.CHECK and not done.interrupted:
        line += f" {hidden} more fixable with --unsafe-fixes."
    if refused:
        line += f" {plural(refused, 'fix', 'fixes')} refused (the result would not parse the same)."
    if failed:
        line += f" {plural(failed, 'file')} could not be processed."
    return line


def _details(results: list[FileResult], mode: Mode) -> list[str]:
    from dockerfix.fix.runner import Mode, Outcome

    outcomes = Counter(r.outcome for r in results)
    if mode == Mode.CHECK:
        processed = [r for r in results if r.outcome in (Outcome.CHANGED, Outcome.UNCHANGED)]
        flagged = sum(1 for r in processed if r.diagnostics)
        parts = [f"{flagged} with findings", f"{len(processed) - flagged} clean"]
    else:
        changed = "changed" if mode == Mode.WRITE else "would change"
        parts = [f"{outcomes[Outcome.CHANGED]} {changed}", f"{outcomes[Outcome.UNCHANGED]} unchanged"]
    parts += [f"{outcomes[Outcome.SKIPPED]} skipped", f"{outcomes[Outcome.FAILED]} failed"]
    lines = [f"  files: {', '.join(parts)}"]
    by_rule = Counter(d.code for r in results for d in r.diagnostics)
    if by_rule:
        lines.append("  findings: " + ", ".join(f"{code} {n}" for code, n in sorted(by_rule.items())))
    for outcome in (Outcome.SKIPPED, Outcome.FAILED):
        reasons = Counter(r.reason or "unknown" for r in results if r.outcome == outcome)
        if reasons:
            listed = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"  {outcome}: {listed}")
    return lines

