"""reviewdog's rdjson (``DiagnosticResult``), with fixes as ``suggestions``.

Positions are 1-based lines and columns counted in UTF-8 bytes of the file's line, the end
exclusive (reviewdog.proto). Each fix is one suggestion spanning all its edits: with
``reviewdog -reporter=github-pr-review`` a suggestion becomes a one-click GitHub
suggested change, which reviewdog builds from the whole lines the range touches.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, TextIO

from dockerfix.diagnostics import Applicability, Diagnostic
from dockerfix.fix.runner import FileResult
from dockerfix.parse.source import Source
from dockerfix.report.common import (
    TOOL_NAME,
    TOOL_URL,
    by_path,
    byte_column,
    findings,
    fix_replacement,
    noted,
    relative_path,
    rule_url,
)

SEVERITY = "WARNING"


def write(results: Iterable[FileResult], out: TextIO) -> None:
    diagnostics = [_diagnostic(relative_path(r.display), source, d) for r, source, d in findings(by_path(results))]
    document = {"source": {"name": TOOL_NAME, "url": TOOL_URL}, "severity": SEVERITY, "diagnostics": diagnostics}
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _diagnostic(path: str, source: Source, d: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {
        "message": noted(d.message, d.notes),
        "location": {"path": path, "range": _range(source, d.start, d.end)},
        "severity": SEVERITY,
        "code": {"value": d.code, "url": rule_url(d.code) or TOOL_URL},
    }
    if d.fix is not None and d.fix.applicability != Applicability.DISPLAY_ONLY:
        start, end, text = fix_replacement(source, d.fix)
        item["suggestions"] = [{"range": _range(source, start, end), "text": text}]
    return item


def _range(source: Source, start: int, end: int) -> dict[str, dict[str, int]]:
    start_line, start_column = byte_column(source, start)
    end_line, end_column = byte_column(source, end)
    return {
        "start": {"line": start_line, "column": start_column},
        "end": {"line": end_line, "column": end_column},
    }
