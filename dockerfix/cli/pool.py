"""The process pool behind ``--jobs``: chunks of jobs handed to worker processes, results
passed on in job order, and workers that stop with their parent (``bulk`` decides when a
run is big enough to repay one).

Ctrl-C stops the run between files: workers ignore SIGINT and finish the chunk in hand
(a write is an atomic replace, so every file is either old or new), nothing more is
started, and the caller gets the files done so far.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerfix.cli.bulk import Job
    from dockerfix.fix.runner import FileResult, Mode

# Files per task sent to a worker: big enough to amortise the round trip, small enough
# that the chunks balance and that Ctrl-C is served quickly.
MAX_CHUNK = 32


def _chunks(jobs: Sequence[Job], workers: int) -> Iterator[list[Job]]:
    size = max(1, min(MAX_CHUNK, len(jobs) // (workers * 4)))
    for start in range(0, len(jobs), size):
        yield list(jobs[start : start + size])


def run(
    jobs: Sequence[Job],
    mode: Mode,
    workers: int,
    step: Callable[[FileResult], None],
    work: Callable[[list[Job], Mode], list[FileResult]],
) -> None:
    """Each chunk of ``jobs`` through ``work`` in a pool of ``workers`` processes; ``step``
    sees every result, in job order."""
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
        futures = [executor.submit(work, chunk, mode) for chunk in _chunks(jobs, workers)]
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
