"""Findings as LSP diagnostics: exact ranges, severity, code, the rule's URL, the notes."""

from __future__ import annotations

from lsprotocol import types

from dockerfix.diagnostics import Diagnostic
from dockerfix.server.checks import INVALID, Checked, Problem
from dockerfix.server.positions import LineIndex

SOURCE = "dockerfix"
# Every rule reports a problem worth fixing, as SARIF's "warning" level says; DFX000 asks
# for a look by hand. A document that is not a Dockerfile (or a broken configuration) is an
# error: nothing in it was checked.
_SEVERITY = {"DFX000": types.DiagnosticSeverity.Information}


def lsp_range(index: LineIndex, start: int, end: int) -> types.Range:
    a, b = index.position(start), index.position(end)
    return types.Range(types.Position(a.line, a.character), types.Position(b.line, b.character))


def to_lsp(checked: Checked, index: LineIndex) -> list[types.Diagnostic]:
    """The diagnostics to publish for a checked document (``index`` over its text)."""
    if checked.problem is not None:
        return [problem_diagnostic(checked.problem, index)]
    return [finding_diagnostic(d, index, checked.shift) for d in checked.findings]


def finding_diagnostic(d: Diagnostic, index: LineIndex, shift: int = 0) -> types.Diagnostic:
    from dockerfix.rules import BY_CODE

    rule = BY_CODE.get(d.code)
    message = d.message + "".join(f"\nnote: {note}" for note in d.notes)  # as the text report
    return types.Diagnostic(
        range=lsp_range(index, d.start + shift, d.end + shift),
        message=message,
        severity=_SEVERITY.get(d.code, types.DiagnosticSeverity.Warning),
        code=d.code,
        code_description=types.CodeDescription(href=rule.doc.url) if rule else None,
        source=SOURCE,
        data={"name": d.name, "fixable": d.fixable},
    )


def problem_diagnostic(problem: Problem, index: LineIndex) -> types.Diagnostic:
    """One diagnostic at the problem's place: to the end of its line, at least a character."""
    start = index.position(problem.offset)
    end_offset = index.ends[start.line]
    end = index.position(end_offset) if end_offset > problem.offset else start
    message = problem.message if problem.code != INVALID else f"not a valid Dockerfile: {problem.message}"
    return types.Diagnostic(
        range=types.Range(types.Position(*start), types.Position(*end)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=problem.code,
        source=SOURCE,
    )
