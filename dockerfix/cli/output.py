"""Where the command's words go: machine output on standard output or ``--output-file``,
messages on standard error, and what is left when either stream fails."""

from __future__ import annotations

import os
import sys

from dockerfix.fix.writer import write_atomic

EXIT_OK, EXIT_ERROR = 0, 2


class OutputError(Exception):
    """Standard output cannot be written: closed (``>&-``), or a full disk (``> /dev/full``)."""


def emit(text: str) -> None:
    """Machine output as UTF-8 bytes, newlines untouched (a CRLF file's diff keeps its \\r).

    Raises ``OutputError`` when stdout is closed or cannot take the bytes (a full disk);
    a reader that left (BrokenPipeError) is ``main``'s quiet case."""
    if not text:  # nothing to say: a closed stdout is no error (--write with nothing left)
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise OutputError("closed")
    try:
        stream.write(text.encode("utf-8", errors="surrogateescape"))
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise OutputError(getattr(exc, "strerror", None) or str(exc)) from None


def error_line(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except (AttributeError, OSError, ValueError):
        pass  # stderr closed or full: nowhere left to say it; the exit code still does


def silence_output() -> None:
    """Point stdout and stderr at /dev/null: the interpreter's final flush must not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (AttributeError, OSError, ValueError):  # closed, or not a real file (a test's capture)
            pass


class Output:
    """Where machine output goes: standard output, or ``--output-file``, written whole at the
    end of the run (a temporary file renamed over it, as ``--write`` writes Dockerfiles), so
    that a reader never sees half a report."""

    def __init__(self, path: str | None) -> None:
        self.path = path if path != "-" else None
        self._parts: list[str] = []

    def __call__(self, text: str) -> None:
        if self.path is None:
            emit(text)
        else:
            self._parts.append(text)

    def close(self) -> int:
        """Write the file; EXIT_ERROR (said on stderr) when it cannot be written, else 0."""
        if self.path is None:
            return EXIT_OK
        try:
            write_atomic(self.path, "".join(self._parts).encode("utf-8"))
        except OSError as exc:
            error_line(f"dockerfix: error: {self.path}: cannot write output file: {exc.strerror or exc}")
            return EXIT_ERROR
        return EXIT_OK
