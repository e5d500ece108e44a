"""What every format says about one diagnostic, computed once at the edge."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.fix.fixer import apply_edits
from dockerfix.fix.runner import FileResult
from dockerfix.parse.source import BOM, Source
from dockerfix.rules import BY_CODE

TOOL_NAME = "dockerfix"
TOOL_URL = "https://github.com/dockerfix/dockerfix"


def location(source: Source, offset: int) -> dict[str, int]:
    row, column = source.location(offset)
    return {"row": row, "column": column}


def diagnostic_dict(filename: str, source: Source, d: Diagnostic) -> dict[str, Any]:
    """SPEC section 5: ruff-compatible keys; columns count characters, end exclusive."""
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "message": d.fix.message,
            "edits": [
                {"content": e.content, "location": location(source, e.start), "end_location": location(source, e.end)}
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": filename,
        "location": location(source, d.start),
        "end_location": location(source, d.end),
        "fix": fix,
        "url": rule_url(d.code),
        "notes": list(d.notes),  # what the text report prints as `note:` lines
    }


def noted(message: str, notes: Iterable[str], separator: str = "\n") -> str:
    """``message`` followed by each note as ``note: ...``, as the text report prints them."""
    return message + "".join(f"{separator}note: {note}" for note in notes)


def rule_url(code: str) -> str | None:
    rule = BY_CODE.get(code)
    return rule.doc.url if rule else None


def fix_command(d: Diagnostic) -> str | None:
    """The command that applies ``d``'s fix, or None when it has none to apply."""
    if not d.fixable:
        return None
    assert d.fix is not None
    unsafe = d.fix.applicability == Applicability.UNSAFE
    return "dockerfix --write --unsafe-fixes" if unsafe else "dockerfix --write"


def findings(results: Iterable[FileResult]) -> Iterator[tuple[FileResult, Source, Diagnostic]]:
    """(result, source, diagnostic) for every diagnostic of the files that were read."""
    for result in results:
        if result.source is not None:
            for d in result.diagnostics:
                yield result, result.source, d


def by_path(results: Iterable[FileResult]) -> list[FileResult]:
    """Machine formats list files by path, whatever order they were processed in."""
    return sorted(results, key=lambda r: relative_path(r.display))


def relative_path(display: str) -> str:
    """The file as a ``/``-separated path relative to the working directory, where it can be.

    CI services (code scanning, annotations, reviewdog) resolve paths against the checkout.
    ``-`` (stdin without ``--stdin-filename``) stays ``-``."""
    if display == "-":
        return display
    try:
        rel = os.path.relpath(os.path.abspath(display))
    except ValueError:  # another drive on Windows: no relative path exists
        return os.path.abspath(display).replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def file_uri(display: str) -> str:
    """A relative URI reference for the file (SARIF ``artifactLocation.uri``)."""
    from pathlib import Path  # SARIF's only: not for every report
    from urllib.parse import quote

    path = relative_path(display)
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path, safe="/")


def byte_column(source: Source, offset: int) -> tuple[int, int]:
    """1-based (row, column) with the column counted in UTF-8 bytes of the file's line.

    A BOM is 3 bytes at the start of line 1 in the file, so it counts on that line."""
    row, _ = source.location(offset)
    start = source.line_start(row)
    column = len(source.text[start:offset].encode("utf-8")) + 1
    if row == 1 and source.bom:
        column += len(BOM.encode("utf-8"))
    return row, column


def fix_replacement(source: Source, fix: Fix) -> tuple[int, int, str]:
    """A fix as one replacement: the span from its first to its last edit, and the new text.

    Review tools show one suggestion per comment; several edits are merged into one."""
    start, end = fix.start, fix.end
    shifted = [Edit(e.start - start, e.end - start, e.content) for e in fix.edits]
    return start, end, apply_edits(source.text[start:end], shifted)


def original_source(result: FileResult) -> Source | None:
    """The text as read: what ``FileResult.applied`` offsets point into."""
    if result.original is None:
        return None
    return _source_of(result.original)


def fixed_source(result: FileResult) -> Source | None:
    """The text after fixes (the original when nothing changed): ``FileResult.remaining``'s."""
    raw = result.fixed if result.fixed is not None else result.original
    return None if raw is None else _source_of(raw)


def _source_of(raw: str) -> Source:
    return Source(raw[1:], bom=True) if raw.startswith(BOM) else Source(raw)
