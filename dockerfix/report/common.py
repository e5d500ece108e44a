"""What every format says about one diagnostic, computed once at the edge."""

from __future__ import annotations

from typing import Any

from dockerfix.diagnostics import Diagnostic
from dockerfix.rules import BY_CODE
from dockerfix.source import Source


def location(source: Source, offset: int) -> dict[str, int]:
    row, column = source.location(offset)
    return {"row": row, "column": column}


def diagnostic_dict(filename: str, source: Source, d: Diagnostic) -> dict[str, Any]:
    """SPEC section 5: ruff-compatible keys; columns count characters, end exclusive."""
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {"content": e.content, "location": location(source, e.start), "end_location": location(source, e.end)}
                for e in d.fix.edits
            ],
        }
    rule = BY_CODE.get(d.code)
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": filename,
        "location": location(source, d.start),
        "end_location": location(source, d.end),
        "fix": fix,
        "url": rule.doc.url if rule else None,
    }
