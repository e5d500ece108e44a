"""SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it.

One run; ``tool.driver.rules`` lists every rule dockerfix knows, so a result's
``ruleIndex`` is stable across files. Regions count Unicode code points
(``columnKind: unicodeCodePoints``), 1-based, the end column one past the last
character, as in the ``json`` format. Every fix becomes ``fixes[].artifactChanges[]``
with one ``replacement`` per edit (an insertion is an empty ``deletedRegion``).
``partialFingerprints.primaryLocationLineHash`` hashes the rule and the text of the
finding, not its line number, so an alert survives lines added above it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, Iterable, TextIO

from dockerfix import __version__
from dockerfix.diagnostics import Diagnostic, Fix
from dockerfix.fix.runner import FileResult, Outcome
from dockerfix.parse.source import Source
from dockerfix.report.common import TOOL_NAME, TOOL_URL, by_path, file_uri, noted
from dockerfix.rules import RULES
from dockerfix.rules.base import RuleDoc

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = "warning"


def write(results: Iterable[FileResult], out: TextIO) -> None:
    json.dump(document(results), out, indent=2, ensure_ascii=False)
    out.write("\n")


def document(results: Iterable[FileResult]) -> dict[str, Any]:
    ordered = by_path(results)
    index = {rule.code: i for i, rule in enumerate(RULES)}
    sarif_results: list[dict[str, Any]] = []
    for result in ordered:
        if result.source is None:
            continue
        uri = file_uri(result.display)
        seen: Counter[str] = Counter()
        for d in result.diagnostics:
            sarif_results.append(_result(uri, result.source, d, index.get(d.code), seen))
    errors = [r.error for r in ordered if r.outcome == Outcome.FAILED and r.error]
    run: dict[str, Any] = {
        "tool": {"driver": _driver()},
        "invocations": [_invocation(errors)],
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _driver() -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": TOOL_URL,
        "rules": [_rule(rule.doc) for rule in RULES],
    }


def _rule(doc: RuleDoc) -> dict[str, Any]:
    help_text = doc.markdown()
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.what},
        "helpUri": doc.url,
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVEL},
    }


def _invocation(errors: list[str]) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in errors
        ]
    return invocation


def _result(uri: str, source: Source, d: Diagnostic, rule_index: int | None, seen: Counter[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"ruleId": d.code}
    if rule_index is not None:
        item["ruleIndex"] = rule_index
    item["level"] = LEVEL
    item["message"] = {"text": noted(d.message, d.notes)}
    item["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region(source, d.start, d.end)}}]
    item["partialFingerprints"] = {"primaryLocationLineHash": _fingerprint(source, d, seen)}
    if d.fix is not None:
        item["fixes"] = [_fix(uri, source, d.fix)]
    return item


def region(source: Source, start: int, end: int) -> dict[str, int]:
    start_line, start_column = source.location(start)
    end_line, end_column = source.location(end)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def _fix(uri: str, source: Source, fix: Fix) -> dict[str, Any]:
    replacements = [
        {"deletedRegion": region(source, e.start, e.end), "insertedContent": {"text": e.content}}
        for e in sorted(fix.edits, key=lambda e: (e.start, e.end))
    ]
    return {
        "description": {"text": fix.message},
        "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
    }


def _fingerprint(source: Source, d: Diagnostic, seen: Counter[str]) -> str:
    """``<hash>:<n>``, GitHub's own shape: the nth finding with that hash in the file."""
    row, _ = source.location(d.start)
    words = " ".join(source.line_text(row).split())
    span = " ".join(source.text[d.start : d.end].split())
    digest = hashlib.sha256(f"{d.code}\0{span}\0{words}".encode("utf-8")).hexdigest()[:16]
    seen[digest] += 1
    return f"{digest}:{seen[digest]}"
