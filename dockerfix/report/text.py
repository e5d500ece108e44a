"""``path:row:col: CODE message [*]``, one line per diagnostic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from dockerfix.diagnostics import Diagnostic
from dockerfix.fix.runner import FileResult
from dockerfix.parse.source import Source
from dockerfix.report.common import findings


def write(results: Iterable[FileResult], out: TextIO) -> None:
    for result, source, d in findings(results):
        out.write(headline(result.display, source, d, d.applies(result.unsafe_fixes)) + "\n")
        for note in d.notes:
            out.write(f"  note: {note}\n")


def headline(display: str, source: Source, d: Diagnostic, applies: bool) -> str:
    """``applies``: ``--write`` would apply the fix (``[*]``, as ruff marks it)."""
    row, col = source.location(d.start)
    marker = " [*]" if applies else ""
    return f"{display}:{row}:{col}: {d.code} {d.message}{marker}"
