"""Suppression comments: dockerfix's own and hadolint's, mapped to our codes.

``# dockerfix: ignore=DFX001,DFX002`` (or bare ``ignore``) in the comment block directly
above an instruction; ``# dockerfix: file-ignore=DFX001`` anywhere; hadolint's
``# hadolint ignore=DL3042`` and ``# hadolint global ignore=DL3042``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import NamedTuple

from dockerfix.diagnostics import Diagnostic
from dockerfix.parse.instructions import Comment, Dockerfile

HADOLINT_CODES = {"DL3042": "DFX001", "DL3013": "DFX002"}
ALL = "*"
_DOCKERFIX = r"(?i)dockerfix\s*:\s*(file-ignore|ignore)\s*(?:=\s*(\S.*))?$"
_HADOLINT = r"(?i)hadolint\s+(global\s+)?ignore\s*=\s*(\S.*)$"
_CODE_SEPARATOR = r"[,\s]+"


class Pragma(NamedTuple):
    """A ``# dockerfix: ignore`` comment's codes and reach."""

    codes: frozenset[str]  # our codes, or {ALL}
    file_wide: bool


def parse_pragma(comment: str) -> Pragma | None:
    match = re.match(_DOCKERFIX, comment)
    if match:
        codes = _codes(match.group(2)) if match.group(2) else frozenset({ALL})
        return Pragma(codes, match.group(1).lower() == "file-ignore")
    match = re.match(_HADOLINT, comment)
    if match:
        mapped = {HADOLINT_CODES[c] for c in _codes(match.group(2)) if c in HADOLINT_CODES}
        return Pragma(frozenset(mapped), bool(match.group(1))) if mapped else None
    return None


def _codes(text: str) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in re.split(_CODE_SEPARATOR, text) if c.strip())


def _covers(codes: Iterable[str], code: str) -> bool:
    return any(c == ALL or c == code for c in codes)


def filter_suppressed(dockerfile: Dockerfile, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    file_codes: set[str] = set()
    for comment in dockerfile.comments:
        pragma = parse_pragma(comment.text)
        if pragma and pragma.file_wide:
            file_codes |= pragma.codes
    instructions = dockerfile.instructions
    starts = [i.start for i in instructions]
    kept = []
    for diagnostic in diagnostics:
        if _covers(file_codes, diagnostic.code):
            continue
        index = bisect.bisect_right(starts, diagnostic.start) - 1
        if index >= 0 and _covers(_line_codes(instructions[index].comments), diagnostic.code):
            continue
        kept.append(diagnostic)
    return kept


def _line_codes(comments: tuple[Comment, ...]) -> set[str]:
    codes: set[str] = set()
    for comment in comments:
        pragma = parse_pragma(comment.text)
        if pragma and not pragma.file_wide:
            codes |= pragma.codes
    return codes
