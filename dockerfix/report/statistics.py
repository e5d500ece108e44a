"""``--statistics``: the number of findings per rule, as ruff prints them.

Text, as ruff (after flake8): one line per rule, most frequent first, the count right-aligned,
a tab, the code, a tab, ``[*] `` when ``--write`` fixes every finding of the rule (``[ ] ``
when not, and nothing when no rule is fixable), and the rule's name. JSON: ruff's list of
``{"code", "name", "count", "fixable"}`` objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from dockerfix.fix.runner import FileResult


def statistics(results: Iterable[FileResult]) -> list[dict[str, Any]]:
    """Per rule: code, name, count, fixable; most frequent first, then by code."""
    counts: dict[str, list[Any]] = {}
    for result in results:
        for d in result.diagnostics:
            entry = counts.setdefault(d.code, [d.name, 0, True])
            entry[1] += 1
            entry[2] = entry[2] and d.applies(result.unsafe_fixes)
    rows = [{"code": code, "name": name, "count": n, "fixable": fixable} for code, (name, n, fixable) in counts.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["code"]))


def write(results: Iterable[FileResult], out: TextIO, *, as_json: bool = False) -> None:
    rows = statistics(results)
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    if not rows:
        return
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    any_fixable = any(row["fixable"] for row in rows)
    for row in rows:
        mark = ("[*] " if row["fixable"] else "[ ] ") if any_fixable else ""
        out.write(f"{row['count']:>{count_width}}\t{row['code']:<{code_width}}\t{mark}{row['name']}\n")
