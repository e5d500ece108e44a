"""Many files through ``runner.process``: in this process or over a process pool, results
in the order the files were given (the progress bar and the summary: ``cli.progress``).

Each job carries its own settings (a config file may differ per directory); they are
resolved once by the caller, never re-read per file. A run big enough to repay a process
pool goes to ``cli.pool``; smaller runs stay in this process. Ctrl-C stops the run between
files, and the caller gets the files done so far with ``interrupted`` set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dockerfix.settings import Settings
    from dockerfix.fix.runner import FileResult, Mode

# Files each worker must have to repay the pool (importing multiprocessing, forking, and
# handing out the first task cost about the work of this many files).
POOL_MIN_FILES = 50


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
            from dockerfix.cli import pool  # only for runs big enough to repay the workers

            pool.run(jobs, mode, count, step, _work)
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


def _work(chunk: list[Job], mode: Mode) -> list[FileResult]:
    return [_process(job, mode) for job in chunk]
