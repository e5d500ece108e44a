"""A pull-request body for bots: what the fixes change and why, the diff, how to opt out.

``dockerfix --output-format markdown PATH`` describes what ``--write`` would change;
``dockerfix --write --output-format markdown PATH`` what it changed. The text depends only
on the files and the rules: files sorted by path, paths relative to the working directory,
no time stamps, so a bot that re-runs it gets the same bytes and can tell "nothing new".
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple, TextIO

from dockerfix.diagnostics import Diagnostic
from dockerfix.fix.diff import unified_diff
from dockerfix.fix.runner import FileResult, Mode, Outcome
from dockerfix.parse.source import BOM, Source
from dockerfix.report.common import (
    TOOL_NAME,
    TOOL_URL,
    by_path,
    fixed_source,
    noted,
    original_source,
    relative_path,
    rule_url,
)
from dockerfix.report.wording import plural
from dockerfix.rules import BY_CODE, RULES
from dockerfix.rules.suppression import HADOLINT_CODES

# GitHub refuses a pull-request body over 65,536 characters. A body that would be longer
# is rendered again with less: first a shorter diff, then none, then fewer table rows.
BODY_LIMIT = 60_000
BUDGETS = ((500, 40_000), (500, 0), (200, 0), (50, 0))  # (table rows, diff characters)


class Row(NamedTuple):
    path: str
    row: int
    column: int
    code: str
    text: str  # the change (a fix's message) or the finding (a diagnostic's message)


def write(results: Iterable[FileResult], out: TextIO) -> None:
    out.write(render(by_path(results)))


def render(results: list[FileResult]) -> str:
    body = ""
    for max_rows, max_diff in BUDGETS:
        body = _render(results, max_rows, max_diff)
        if len(body) <= BODY_LIMIT:
            break
    return body


def _render(results: list[FileResult], max_rows: int, max_diff: int) -> str:
    done = [r for r in results if r.outcome != Outcome.FAILED]
    written = any(r.mode == Mode.WRITE for r in done)
    changes = [row for r in done for row in _rows(r, r.applied, original_source(r), fix_text=True)]
    left = [row for r in done for row in _rows(r, *_left(r), fix_text=False)]
    changed_files = [r for r in done if r.fixed is not None and r.original is not None]
    failed = [r.error for r in results if r.outcome == Outcome.FAILED and r.error]

    parts = [_title(changes, changed_files, written), _intro(changes, left, done, written)]
    if changes:
        parts.append(_why(sorted({row.code for row in changes}, key=_rule_order)))
        parts.append("### Changes\n\n" + table(("file", "line", "rule", "change"), changes, max_rows))
        parts.append(_diff(changed_files, max_diff))
    if left:
        where = "as they would be after the change" if changes and not written else "as they are"
        parts.append(
            "### Not fixed automatically\n\n"
            f"These findings have no safe automatic fix (lines in the files {where}).\n\n"
            + table(("file", "line", "rule", "finding"), left, max_rows)
        )
    if failed:
        parts.append("### Could not be checked\n\n" + "".join(f"- {code(e)}\n" for e in failed))
    if changes or left:
        parts.append(_suppress(sorted({row.code for row in changes + left}, key=_rule_order), bool(changes)))
    return "\n".join(part.rstrip("\n") + "\n" for part in parts)


def _left(result: FileResult) -> tuple[list[Diagnostic], Source | None]:
    if result.mode == Mode.CHECK:  # nothing was fixed: every finding is left
        return result.diagnostics, result.source
    return result.remaining, fixed_source(result)


def _rows(result: FileResult, diagnostics: list[Diagnostic], source: Source | None, *, fix_text: bool) -> list[Row]:
    if source is None:
        return []
    path = relative_path(result.display)
    rows = []
    for d in diagnostics:
        row, column = source.location(d.start)
        text = d.fix.message if fix_text and d.fix is not None else d.message
        text = noted(text, d.notes, "; ")
        rows.append(Row(path, row, column, d.code, text))
    return sorted(rows, key=lambda r: (r.path, r.row, r.column, r.code))


def _title(changes: list[Row], files: list[FileResult], written: bool) -> str:
    if not changes:
        return f"## {TOOL_NAME}: nothing to fix"
    verb = "fixed" if written else "would fix"
    return f"## {TOOL_NAME} {verb} {plural(len(changes), 'finding')} in {plural(len(files), 'Dockerfile')}"


def _intro(changes: list[Row], left: list[Row], done: list[FileResult], written: bool) -> str:
    tool = f"[{TOOL_NAME}]({TOOL_URL})"
    checked = plural(len(done), "Dockerfile")
    if not changes:
        found = f"; {plural(len(left), 'finding')} {'needs' if len(left) == 1 else 'need'} a manual look" if left else ""
        return f"{tool} checked {checked}: nothing to change{found}."
    if written:
        return (
            f"{tool} checked {checked} and fixed what its rules report, with `dockerfix --write`. "
            "Only the spans in the table below changed; everything else is kept byte for byte."
        )
    return (
        f"{tool} checked {checked}. `dockerfix --write` would make the changes below, and only "
        "those; nothing has been written yet."
    )


def _why(codes: list[str]) -> str:
    lines = ["### Why", ""]
    for c in codes:
        rule = BY_CODE.get(c)
        if rule is None:
            lines.append(f"- **{c}**")
            continue
        doc = rule.doc
        lines.append(f"- **[{doc.code} {doc.name}]({doc.url})**: {doc.summary} {_one_line(doc.why)}")
    return "\n".join(lines)


def _diff(files: list[FileResult], max_chars: int) -> str:
    # For reading, not applying (a bot applies with --write): no BOM, CRLF as plain lines.
    text = "".join(
        unified_diff(relative_path(r.display), _readable(r.original), _readable(r.fixed)) for r in files
    )
    if len(text) > max_chars and max_chars == 0:
        return f"The diff ({len(text)} characters) is too long for this description: `dockerfix --diff` prints it."
    note = ""
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars) + 1
        note = f"\nThe diff is cut at {cut} of {len(text)} characters: `dockerfix --diff` prints all of it.\n"
        text = text[:cut]
    summary = f"Diff ({plural(len(files), 'file')})"
    return f"<details>\n<summary>{summary}</summary>\n\n{fence(text, 'diff')}{note}\n</details>"


def _readable(raw: str | None) -> str:
    return (raw or "").removeprefix(BOM).replace("\r\n", "\n")


def _suppress(codes: list[str], changes: bool) -> str:
    joined = ",".join(codes)
    hadolint = sorted(dl for dl, ours in HADOLINT_CODES.items() if ours in codes)
    peer = f" hadolint's own pragmas work too (`# hadolint ignore={','.join(hadolint)}`)." if hadolint else ""
    how = "To keep an instruction as it is, leave out its change and put" if changes else "To silence a finding, put"
    pragma = fence(f"# dockerfix: ignore={joined}\n", "dockerfile")
    return (
        f"### Suppressing\n\n{how} a comment line directly above the instruction:\n\n{pragma}\n"
        f"`# dockerfix: file-ignore={joined}` anywhere in a Dockerfile skips the rule for the whole file.{peer}"
    )


def table(header: tuple[str, ...], rows: list[Row], max_rows: int = 500) -> str:
    """A table with rule codes as reference links, defined right below it (short rows)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows[:max_rows]:
        rule = f"[{r.code}]" if rule_url(r.code) else r.code
        lines.append(f"| {cell(code(r.path))} | {r.row} | {rule} | {cell(r.text)} |")
    if len(rows) > max_rows:
        lines.append(f"\n… and {len(rows) - max_rows} more.")
    codes = sorted({r.code for r in rows[:max_rows] if rule_url(r.code)}, key=_rule_order)
    if codes:
        lines.append("")
        lines.extend(f"[{c}]: {rule_url(c)}" for c in codes)
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """Text for a table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    text = " ".join(text.split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, lang: str) -> str:
    """A fenced code block that a line of backticks inside ``text`` cannot close."""
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", text, re.MULTILINE)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{ticks}{lang}\n{body}{ticks}\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _rule_order(code_: str) -> tuple[int, str]:
    order = {r.code: i for i, r in enumerate(RULES)}
    return order.get(code_, len(order)), code_

