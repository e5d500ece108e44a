"""GitHub Actions workflow commands: one ``::warning`` annotation per finding.

``::warning file=PATH,line=R,col=C,endLine=R,endColumn=C,title=CODE::message``, escaped as
the Actions toolkit does (``escapeData`` / ``escapeProperty`` in @actions/core): in the
message ``%``, CR and LF; in properties also ``:`` and ``,``. Columns count characters,
the end one past the span, as in the ``json`` format. When ``GITHUB_STEP_SUMMARY`` names a
file, a markdown summary is appended to it (the runner collects every step's summary).
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, TextIO

from dockerfix.fix.runner import FileResult, Outcome
from dockerfix.report.common import TOOL_NAME, by_path, findings, fix_command, noted, relative_path, rule_url
from dockerfix.report.markdown import Row, table
from dockerfix.report.wording import plural

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def write(results: Iterable[FileResult], out: TextIO) -> None:
    ordered = by_path(results)
    for result, source, d in findings(ordered):
        row, col = source.location(d.start)
        end_row, end_col = source.location(d.end)
        properties = {
            "file": relative_path(result.display),
            "line": row,
            "col": col,
            "endLine": end_row,
            "endColumn": end_col,
            "title": d.code,
        }
        fixer = fix_command(d)
        lines = [d.message + (f" (fixable with `{fixer}`)" if fixer else "")]
        lines.extend(f"note: {note}" for note in d.notes)
        url = rule_url(d.code)
        if url:
            lines.append(url)
        out.write(command("warning", properties, "\n".join(lines)))
    for result in ordered:
        if result.outcome == Outcome.FAILED and result.error:
            properties = {"file": relative_path(result.display), "title": TOOL_NAME}
            out.write(command("error", properties, result.error))
    path = os.environ.get(SUMMARY_ENV)
    if path:
        _append(path, step_summary(ordered))


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def step_summary(results: list[FileResult]) -> str:
    rows = sorted(
        (
            Row(relative_path(r.display), *source.location(d.start), d.code, noted(d.message + (" [*]" if d.applies(r.unsafe_fixes) else ""), d.notes, "; "))
            for r, source, d in findings(results)
        ),
        key=lambda row: (row.path, row.row, row.column, row.code),
    )
    checked = sum(1 for r in results if r.outcome != Outcome.FAILED)
    fixable = sum(1 for r, _, d in findings(results) if d.applies(r.unsafe_fixes))
    lines = [f"### {TOOL_NAME}", ""]
    if rows:
        hint = f" ({fixable} fixable with `dockerfix --write`, marked [*])" if fixable else ""
        lines += [f"Found {plural(len(rows), 'finding')}{hint} in {plural(checked, 'Dockerfile')}.", ""]
        lines.append(table(("file", "line", "rule", "finding"), rows))
    else:
        lines += [f"No findings in {plural(checked, 'Dockerfile')}.", ""]
    failed = len(results) - checked
    if failed:
        lines += [f"{plural(failed, 'file')} could not be checked; see the annotations.", ""]
    return "\n".join(lines).rstrip("\n") + "\n\n"


def _append(path: str, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as exc:
        print(f"dockerfix: warning: could not append to {SUMMARY_ENV} ({path}): {exc.strerror or exc}", file=sys.stderr)

