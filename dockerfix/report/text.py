"""``path:row:col: CODE message [*]``, one line per diagnostic."""

from __future__ import annotations

from typing import Iterable, TextIO

from dockerfix.runner import FileResult


def write(results: Iterable[FileResult], out: TextIO) -> None:
    for result in results:
        if result.source is None:
            continue
        for d in result.diagnostics:
            row, col = result.source.location(d.start)
            marker = " [*]" if d.fixable else ""
            out.write(f"{result.display}:{row}:{col}: {d.code} {d.message}{marker}\n")
            for note in d.notes:
                out.write(f"  note: {note}\n")
