"""What a bulk run shows: a progress bar on a terminal while it runs, and the summary at the end."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from dockerfix.report.wording import plural

if TYPE_CHECKING:
    from dockerfix.cli.bulk import Run
    from dockerfix.fix.runner import FileResult, Mode

# A progress bar appears for runs of at least this many files, or lasting longer than...
PROGRESS_MIN_FILES = 200
PROGRESS_AFTER_SECONDS = 1.0
_REDRAW_SECONDS = 0.1


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

