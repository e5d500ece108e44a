"""Many files through ``runner.process``: in this process or over a process pool, results
in the order the files were given (the progress bar and the summary: ``cli.progress``).

Each job carries its own settings (a config file may differ per directory); they are
resolved once by the caller, never re-read per file. Workers import the core once, when
they start, and take files in chunks, so a pool costs its start-up and little else; runs
too small to repay that stay in this process.

Ctrl-C stops the run between files: workers ignore SIGINT and finish the chunk in hand
(a write is an atomic replace, so every file is either old or new), nothing more is
started, and the caller gets the files done so far with ``interrupted`` set.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import multiprocessing
    from concurrent.futures import Future

    from dockerfix.core import Settings
    from dockerfix.fix.runner import FileResult, Mode

# Files each worker must have to repay the pool (importing multiprocessing, forking, and
# handing out the first task cost about the work of this many files).
POOL_MIN_FILES = 50
# Files per task sent to a worker: big enough to amortise the round trip, small enough
# that the chunks balance and that Ctrl-C is served quickly.
MAX_CHUNK = 32

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
        from dockerfix.parse.shell import shell_parser

        shell_parser()  # made once here rather than once per worker

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
    signal.signal(signal.SIGTERM, _parent_died)
    if sys.platform == "linux":
        _ask_kernel_for_sigterm()
    if os.getppid() != parent:  # died before the request was made
        os._exit(1)
    watchdog = threading.Thread(target=_watch_parent, args=(parent,), name="dockerfix-parent-watch", daemon=True)
    watchdog.start()


def _ask_kernel_for_sigterm() -> None:
    pr_set_pdeathsig = 1  # <linux/prctl.h>
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl (another libc): the watchdog thread alone


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # handled in the main thread, between writes


def _parent_died(signum: int, frame: object) -> None:
    os._exit(1)


def _work(chunk: list[Job], mode: Mode) -> list[FileResult]:
    return [_process(job, mode) for job in chunk]
