"""One JSON object per line, the same objects as ``json`` (SPEC section 5)."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from dockerfix.fix.runner import FileResult
from dockerfix.report.common import diagnostic_dict, findings


def write(results: Iterable[FileResult], out: TextIO) -> None:
    for result, source, d in findings(results):
        out.write(json.dumps(diagnostic_dict(result.display, source, d), ensure_ascii=False) + "\n")
