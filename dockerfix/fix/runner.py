"""One file through the core: read, decode, check or fix, and a closed set of outcomes.

The CLI only chooses the mode and prints; everything a file can come to is here.
"""

from __future__ import annotations

import os
from enum import StrEnum

from dockerfix import core
from dockerfix.diagnostics import Diagnostic
from dockerfix.fix.diff import quoted_name
from dockerfix.fix.reading import FileTooLarge, NotRegularFile
from dockerfix.fix.writer import WriteRefused, read_snapshot, write_atomic
from dockerfix.parse.instructions import ScanError
from dockerfix.parse.source import DecodeError, Source
from dockerfix.settings import Settings


class Mode(StrEnum):
    CHECK = "check"
    DIFF = "diff"
    WRITE = "write"


class Outcome(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # written (--write) or would change (--diff)
    FAILED = "failed"  # unreadable, undecodable, not a Dockerfile BuildKit accepts, not written
    SKIPPED = "skipped"  # checked, but deliberately not written (``reason`` says why)


class FileResult:
    """What became of one file (sent back from worker processes: it must pickle)."""

    def __init__(
        self,
        path: str,  # as given / discovered; "-" for stdin
        display: str,  # the name to print (``--stdin-filename`` for stdin), ``diff.quoted_name``-quoted
        outcome: Outcome = Outcome.UNCHANGED,
        *,
        source: Source | None = None,  # the text the diagnostics' offsets point into
        diagnostics: list[Diagnostic] | None = None,
        original: str | None = None,  # raw text (BOM included) as read
        fixed: str | None = None,  # raw text after fixes, when it differs
        fixes_applied: int = 0,
        mode: Mode = Mode.CHECK,  # what ``process`` did: reports say "would change" or "changed"
        # What the fixes did (DIFF and WRITE only), for reports that describe a change: the
        # fixes applied, offsets into ``original``, and the findings left, offsets into
        # ``fixed`` (into ``original`` when nothing changed).
        applied: list[Diagnostic] | None = None,
        remaining: list[Diagnostic] | None = None,
        refused: list[tuple[Diagnostic, str]] | None = None,
        error: str | None = None,  # "display:row:col: message" or "display: message"
        reason: str | None = None,  # why FAILED or SKIPPED, short enough to count in a summary
        unsafe_fixes: bool = False,  # the file's setting: does --write apply unsafe fixes (``[*]``)
        diff: str | None = None,  # --diff: the unified diff, made where the file was processed
    ) -> None:
        self.path = path
        self.display = display
        self.outcome = outcome
        self.source = source
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.original = original
        self.fixed = fixed
        self.fixes_applied = fixes_applied
        self.mode = mode
        self.applied = [] if applied is None else applied
        self.remaining = [] if remaining is None else remaining
        self.refused = [] if refused is None else refused
        self.error = error
        self.reason = reason
        self.unsafe_fixes = unsafe_fixes
        self.diff = diff


def process(
    path: str,
    display: str,
    data: bytes | None,
    mode: Mode,
    settings: Settings,
    *,
    root: str | None = None,
) -> FileResult:
    """``data`` is the file's bytes (already read for stdin), or None to read ``path``.

    ``root`` is the directory walked to find ``path`` (None: the path was named
    explicitly); a found symlink leading outside it is reported but not written.
    """
    # Printed quoted (as git does) when the name holds bytes that are not UTF-8 or control
    # characters: every format and message can print it, on one line.
    display = quoted_name(display)
    result = FileResult(path, display, mode=mode, unsafe_fixes=settings.unsafe_fixes)
    snapshot: os.stat_result | None = None
    if data is None:
        try:
            data, snapshot = read_snapshot(path, settings.max_file_size)
        except IsADirectoryError:
            return _fail(result, f"{display}: is a directory", "not a file")
        except NotRegularFile as exc:
            return _fail(result, f"{display}: {exc.strerror}", "not a regular file")
        except FileTooLarge as exc:
            return _fail(result, f"{display}: {exc.strerror}", "too large")
        except OSError as exc:
            return _fail(result, f"{display}: {exc.strerror or exc}", "unreadable")
    try:
        source = Source.decode(data)
    except DecodeError as exc:
        return _fail(result, f"{display}:{exc.row}:{exc.column}: {exc.message}", "not UTF-8 text")
    result.source, result.original = source, source.raw_text
    # A walk enters no symlinked directory: only the file itself can be a link leading out.
    leaves_root = root is not None and path != "-" and os.path.islink(path) and _leaves_root(path, root)
    try:
        if mode == Mode.CHECK or leaves_root:
            result.diagnostics = core.check(source.text, settings)
            if leaves_root:  # checked and reported as on disk; a walk must not edit files elsewhere
                result.outcome, result.reason = Outcome.SKIPPED, "symlink to a file outside the searched directory"
            return result
        outcome = core.fix(source.text, settings)
    except ScanError as exc:
        row, col = source.location(exc.offset)
        return _fail(result, f"{display}:{row}:{col}: {exc.message}", "not a valid Dockerfile")
    except MemoryError:  # a safety net: the limits (README) should stop any file before it
        return _fail(result, f"{display}: too large or complex to analyse: out of memory", "out of memory")
    except RecursionError:  # a safety net too: every walk over the file is iterative
        return _fail(result, f"{display}: too deeply nested to analyse", "too deeply nested")
    result.fixes_applied = len(outcome.applied)
    result.applied, result.remaining = outcome.applied_at_origin, outcome.remaining
    result.refused = outcome.refused
    fixed_source = Source(outcome.text, bom=source.bom)
    if mode == Mode.DIFF:
        result.diagnostics = outcome.initial  # the report after a diff speaks of the file on disk
    else:
        result.diagnostics, result.source = outcome.remaining, fixed_source
    if outcome.text != source.text:
        result.fixed = fixed_source.raw_text
        result.outcome = Outcome.CHANGED
        if mode == Mode.WRITE and path != "-":
            _write(result, path, fixed_source.encode(), snapshot, data)
    return result


def _leaves_root(path: str, root: str) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, real_root]) != real_root


def _write(result: FileResult, path: str, data: bytes, snapshot: os.stat_result | None, original: bytes) -> None:
    try:
        write_atomic(path, data, expected=snapshot, expected_data=original)
    except WriteRefused as exc:
        _fail(result, f"{result.display}: not written: {exc.reason}", exc.reason)
    except OSError as exc:
        _fail(result, f"{result.display}: not written: {exc.strerror or exc}", "write failed")


def _fail(result: FileResult, message: str, reason: str) -> FileResult:
    result.outcome = Outcome.FAILED
    result.error = message
    result.reason = reason
    return result
