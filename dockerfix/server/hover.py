"""Hover on a finding: its rule's ``--explain`` text."""

from __future__ import annotations

from lsprotocol import types

from dockerfix.server.checks import Checked
from dockerfix.server.diagnostics import lsp_range
from dockerfix.server.positions import LineIndex


def hover(checked: Checked, index: LineIndex, offset: int, markdown: bool = True) -> types.Hover | None:
    """The documentation of every rule with a finding at ``offset`` (into the document);
    the markdown source as plain text for a client that shows no markdown."""
    from dockerfix.rules import BY_CODE

    shift = checked.shift
    here = [d for d in checked.findings if d.start + shift <= offset <= d.end + shift]
    docs = list(dict.fromkeys(BY_CODE[d.code].doc.markdown() for d in here if d.code in BY_CODE))
    if not docs:
        return None
    start, end = min(d.start for d in here) + shift, max(d.end for d in here) + shift
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
            value="\n---\n\n".join(docs),
        ),
        range=lsp_range(index, start, end),
    )
