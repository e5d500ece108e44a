"""Code actions: a quick fix per finding, fix-all, and "suppress DFX00x here".

Every edit is the fixer's own: a quick fix is its finding's ``Fix``, fix-all is ``core.fix``
(the text ``--write`` writes) as one edit spanning what changed. A quick fix ``--write``
would refuse (it breaks the structure) is not offered, so applying quick fixes one by one
ends where ``--write`` does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import NamedTuple

from lsprotocol import types

from dockerfix.diagnostics import Applicability, Diagnostic
from dockerfix.fix.fixer import FixOutcome
from dockerfix.parse.instructions import Comment
from dockerfix.server.checks import Checked
from dockerfix.server.diagnostics import finding_diagnostic
from dockerfix.server.positions import LineIndex

FIX_ALL = "source.fixAll.dockerfix"
QUICK_FIX = types.CodeActionKind.QuickFix


class TextChange(NamedTuple):
    """An edit to the document: offsets into its text (BOM included)."""

    start: int
    end: int
    content: str


class Request(NamedTuple):
    """What the client asked for: a span of the document and the kinds it wants (None: all)."""

    start: int
    end: int
    only: Sequence[str] | None = None

    def wants(self, kind: str) -> bool:
        """LSP's rule: ``only`` names a kind or a parent of it (``source`` covers ``source.fixAll``)."""
        return self.only is None or any(kind == k or kind.startswith(k + ".") for k in self.only)


# How a TextChange list becomes the client's WorkspaceEdit (versioned or not).
EditMaker = Callable[[list[TextChange]], types.WorkspaceEdit]


def code_actions(
    checked: Checked,
    index: LineIndex,
    request: Request,
    outcome: Callable[[], FixOutcome | None],
    make_edit: EditMaker,
) -> list[types.CodeAction]:
    """The actions for the findings overlapping the request's span, then fix-all.
    ``outcome`` is the document's ``core.fix`` (computed on first use)."""
    actions: list[types.CodeAction] = []
    shift = checked.shift
    here = [d for d in checked.findings if d.start + shift <= request.end and request.start <= d.end + shift]
    if here and request.wants(QUICK_FIX):
        fixed = outcome()
        refused = {(d.code, d.start, d.end) for d, _ in fixed.refused} if fixed else set()
        for d in here:
            diagnostic = finding_diagnostic(d, index, shift)
            if d.fixable and (d.code, d.start, d.end) not in refused:
                actions.append(_quick_fix(d, diagnostic, index, shift, make_edit))
        for d in here:
            actions.append(_suppress(d, finding_diagnostic(d, index, shift), checked, make_edit))
    if checked.findings and request.wants(FIX_ALL):
        fix_all = _fix_all(checked, outcome(), make_edit)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _quick_fix(
    d: Diagnostic, diagnostic: types.Diagnostic, index: LineIndex, shift: int, make_edit: EditMaker
) -> types.CodeAction:
    assert d.fix is not None
    unsafe = d.fix.applicability == Applicability.UNSAFE
    changes = [TextChange(*index.safe_span(e.start + shift, e.end + shift, e.content)) for e in d.fix.edits]
    title = f"{d.fix.message} ({d.code}{', unsafe fix' if unsafe else ''})"
    return types.CodeAction(
        title=title,
        kind=QUICK_FIX,
        diagnostics=[diagnostic],
        is_preferred=not unsafe,
        edit=make_edit(changes),
    )


def _suppress(d: Diagnostic, diagnostic: types.Diagnostic, checked: Checked, make_edit: EditMaker) -> types.CodeAction:
    """``# dockerfix: ignore=CODE`` on a line of its own above the finding's instruction,
    indented as the instruction is (``dockerfix.rules.suppression`` reads that comment block); or
    ``,CODE`` added to a ``# dockerfix: ignore=...`` already there."""
    from dockerfix.parse.dockerfile import scan

    body, shift = checked.body, checked.shift
    instructions = scan(body).instructions
    at = bisect.bisect_right([i.start for i in instructions], d.start) - 1
    title = f"Suppress {d.code} here (# dockerfix: ignore={d.code})"
    if at >= 0:
        extended = _extend_pragma(body, instructions[at].comments, d.code)
        if extended is not None:
            change = TextChange(extended + shift, extended + shift, f",{d.code}")
            return types.CodeAction(title=title, kind=QUICK_FIX, diagnostics=[diagnostic], edit=make_edit([change]))
    instruction_start = instructions[at].start if at >= 0 else d.start
    line_start = body.rfind("\n", 0, instruction_start) + 1  # a Dockerfile's lines end at \n alone
    indent = body[line_start:instruction_start]
    if indent.strip(" \t"):
        indent = ""
    newline = "\r\n" if "\r\n" in body else "\n"
    comment = f"{indent}# dockerfix: ignore={d.code}{newline}"
    change = TextChange(line_start + shift, line_start + shift, comment)
    return types.CodeAction(title=title, kind=QUICK_FIX, diagnostics=[diagnostic], edit=make_edit([change]))


def _extend_pragma(body: str, comments: Sequence[Comment], code: str) -> int | None:
    """Where ``,CODE`` goes in the instruction's last ``# dockerfix: ignore=CODES`` comment
    (the end of its codes), or None when it has none."""
    from dockerfix.rules.suppression import ALL, parse_pragma

    for comment in reversed(comments):
        pragma = parse_pragma(comment.text)
        if pragma is None or pragma.file_wide or ALL in pragma.codes or "=" not in comment.text:
            continue
        if not comment.text[:9].lower() == "dockerfix":  # hadolint's take only DL codes
            continue
        return comment.start + len(body[comment.start : comment.end].rstrip())
    return None


def _fix_all(checked: Checked, outcome: FixOutcome | None, make_edit: EditMaker) -> types.CodeAction | None:
    if outcome is None or outcome.text == checked.body:
        return None
    change = minimal_change(checked.body, outcome.text)
    shift = checked.shift
    return types.CodeAction(
        title="dockerfix: fix all (as dockerfix --write)",
        kind=FIX_ALL,
        edit=make_edit([TextChange(change.start + shift, change.end + shift, change.content)]),
    )


def minimal_change(old: str, new: str) -> TextChange:
    """One edit turning ``old`` into ``new``: the span between their common prefix and
    suffix. Neither end splits a CRLF (no LSP position names its middle)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start, old_end, new_end = prefix, len(old) - suffix, len(new) - suffix
    if 0 < start and old[start - 1 : start + 1] == "\r\n":
        start -= 1
    if old_end < len(old) and old[old_end - 1 : old_end + 1] == "\r\n":
        old_end, new_end = old_end + 1, new_end + 1
    return TextChange(start, old_end, new[start:new_end])
