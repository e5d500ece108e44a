"""A JSON array, one object per diagnostic (SPEC section 5)."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from dockerfix.fix.runner import FileResult
from dockerfix.report.common import diagnostic_dict


def write(results: Iterable[FileResult], out: TextIO) -> None:
    items = [
        diagnostic_dict(r.display, r.source, d) for r in results if r.source is not None for d in r.diagnostics
    ]
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")
