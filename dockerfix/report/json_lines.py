"""One JSON object per line, the same objects as ``json`` (SPEC section 5)."""

from __future__ import annotations

import json

from dockerfix.report.common import diagnostic_dict, findings
from dockerfix.runner import FileResult

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time (~5 ms)
if TYPE_CHECKING:
    from typing import Iterable, TextIO


def write(results: Iterable[FileResult], out: TextIO) -> None:
    for result, source, d in findings(results):
        out.write(json.dumps(diagnostic_dict(result.display, source, d), ensure_ascii=False) + "\n")
