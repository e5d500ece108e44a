"""``text`` plus the source lines with carets under the span, and the fix as a mini diff.

::

    app/Dockerfile:2:5: DFX001 `pip install` keeps its download cache ... [*]
      |
    2 | RUN pip install flask
      |     ^^^^^^^^^^^
      = fix (safe): Insert `--no-cache-dir`
    2 - RUN pip install flask
    2 + RUN pip install --no-cache-dir flask
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, TextIO

from dockerfix.diagnostics import Diagnostic, Fix
from dockerfix.fix.runner import FileResult
from dockerfix.parse.source import Source
from dockerfix.report.common import findings, fix_replacement, rule_url
from dockerfix.report.text import headline

TAB = 4


def write(results: Iterable[FileResult], out: TextIO) -> None:
    for result, source, d in findings(results):
        out.write(headline(result.display, source, d, d.applies(result.unsafe_fixes)) + "\n")
        out.write("".join(line + "\n" for line in render(source, d)))
        out.write("\n")


def render(source: Source, d: Diagnostic) -> list[str]:
    rows = _rows(source, d.start, d.end)
    fix_rows = _fix_lines(source, d.fix) if d.fix is not None else []
    gutter = len(str(max([rows[-1], *(row for row, _, _ in fix_rows)])))
    blank = " " * gutter
    lines = [f"{blank} |"]
    for row in rows:
        text = source.line_text(row)
        lines.append(f"{row:>{gutter}} | {_shown(text)}".rstrip())
        carets = _carets(source, row, text, d.start, d.end)
        if carets:
            lines.append(f"{blank} | {carets}")
    lines.extend(f"{blank} = note: {note}" for note in d.notes)
    if d.fix is not None:
        lines.append(f"{blank} = fix ({d.fix.applicability}): {d.fix.message}")
        lines.extend(f"{row:>{gutter}} {sign} {_shown(text)}".rstrip() for row, sign, text in fix_rows)
    url = rule_url(d.code)
    if url:
        lines.append(f"{blank} = docs: {url}")
    return lines


def _rows(source: Source, start: int, end: int) -> list[int]:
    first, _ = source.location(start)
    last, _ = source.location(max(start, end - 1))
    return list(range(first, last + 1))


def _carets(source: Source, row: int, text: str, start: int, end: int) -> str:
    line_start = source.line_start(row)
    a = max(start, line_start) - line_start
    b = min(end, line_start + len(text)) - line_start
    if a > len(text) or (b <= a and start != end):
        return ""
    before = _width(_shown(text[:a]))
    under = max(1, _width(_shown(text[:b])) - before)
    return " " * before + "^" * under


def _fix_lines(source: Source, fix: Fix) -> list[tuple[int, str, str]]:
    """(row, "-" or "+", line) for the lines the fix touches, before and after."""
    start, end, new = fix_replacement(source, fix)
    first, _ = source.location(start)
    last, _ = source.location(end)
    block_start = source.line_start(first)
    last_end = source.line_start(last) + len(source.line_text(last))
    old_block = source.text[block_start:last_end]
    new_block = source.text[block_start:start] + new + source.text[end : max(end, last_end)]
    old = [line.rstrip("\r") for line in old_block.split("\n")]
    added = [line.rstrip("\r") for line in new_block.split("\n")]
    return [(first + i, "-", line) for i, line in enumerate(old)] + [
        (first + i, "+", line) for i, line in enumerate(added)
    ]


def _shown(text: str) -> str:
    return text.expandtabs(TAB)


def _width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )
