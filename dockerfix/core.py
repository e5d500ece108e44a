"""The pure core: ``text -> diagnostics`` and ``text -> fixed text``. No I/O here."""

from __future__ import annotations

import gc
from typing import Any

from dockerfix.analysis.analyzer import analyze
from dockerfix.analysis.cache import is_cache_mount
from dockerfix.analysis.model import Analysis
from dockerfix.diagnostics import Diagnostic
from dockerfix.fix.fixer import FixOutcome, fix_until_stable
from dockerfix.parse.dockerfile import scan
from dockerfix.parse.instructions import Dockerfile, ScanError
from dockerfix.rules import RULES
from dockerfix.rules.cache_fix import merge_mount_fixes
from dockerfix.rules.suppression import filter_suppressed
from dockerfix.settings import DEFAULT, Settings
from dockerfix.tools.mentions import file_may_name_a_tool

__all__ = ["ScanError", "Settings", "check", "check_analysis", "evaluate", "fix", "structure"]


def check_analysis(analysis: Analysis, settings: Settings = DEFAULT) -> list[Diagnostic]:
    """What every enabled rule finds, less what the file suppresses, in file order."""
    found: list[Diagnostic] = []
    for rule in RULES:
        if settings.enabled(rule.code):
            found.extend(rule.check(analysis, settings))
    found = merge_mount_fixes(filter_suppressed(analysis.dockerfile, found))
    return sorted(found, key=lambda d: (d.start, d.end, d.code))


class _CollectorPaused:
    """Python's cyclic garbage collector paused while a file is analysed.

    An analysis makes many small objects and keeps them until it returns, and makes no
    reference cycles, so the collector's passes over them would find nothing to free.
    Reference counting still frees everything; the collector runs again when the file is done.
    """

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


def check(text: str, settings: Settings = DEFAULT) -> list[Diagnostic]:
    """All diagnostics for a Dockerfile's text. Raises ``ScanError`` on a broken file."""
    with _CollectorPaused():
        dockerfile = scan(text)
        if not file_may_name_a_tool(dockerfile):
            return []  # no RUN names pip or uv: the analysis would find no call
        return check_analysis(analyze(text, dockerfile), settings)


def structure(analysis: Analysis) -> object:
    """What a fix must not change: the instructions BuildKit sees and which RUNs parse."""
    shape = tuple(
        (
            i.keyword,
            i.onbuild,
            i.exec_form is not None and len(i.exec_form) > 0,
            len(i.heredocs),
            tuple((f.name, f.value) for f in i.flags),
        )
        for i in analysis.dockerfile.instructions
    )
    unparsed = sum(1 for u in analysis.unanalysed if "parse" in u.reason)
    return shape, unparsed


def keeps_structure(before: object, after: object) -> bool:
    """``after`` is ``before``'s structure, but for cache mounts added to RUN instructions
    (``--fix-strategy cache-mount``) and ARG instructions added (``--pin-style renovate``):
    the changes a fix may make to it. Every flag a RUN had is still there, in order; every
    instruction is still there, in order; nothing else may differ."""
    if before == after:
        return True
    if not (isinstance(before, tuple) and isinstance(after, tuple)) or "error" in (before[0], after[0]):
        return False
    (old_shape, old_unparsed), (new_shape, new_unparsed) = before, after
    if old_unparsed != new_unparsed:
        return False
    if len(old_shape) != len(new_shape):
        new_shape = _without_added_args(old_shape, new_shape)
        if new_shape is None:
            return False
    return all(_only_cache_mounts_added(old, new) for old, new in zip(old_shape, new_shape))


_PLAIN_ARG = ("ARG", False, False, 0, ())


def _without_added_args(old_shape: tuple[Any, ...], new_shape: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """``new_shape`` less the plain ARG instructions that are not in ``old_shape``, or None
    when more than ARGs were added."""
    kept: list[Any] = []
    for entry in new_shape:
        position = len(kept)
        if position < len(old_shape) and old_shape[position][:4] == entry[:4]:
            kept.append(entry)
        elif entry != _PLAIN_ARG:
            return None
    return tuple(kept) if len(kept) == len(old_shape) else None


def _only_cache_mounts_added(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    if old[:4] != new[:4] or old[0] != "RUN":
        return bool(old == new)
    old_flags, kept, added = old[4], 0, []
    for flag in new[4]:
        if kept < len(old_flags) and flag == old_flags[kept]:
            kept += 1
        else:
            added.append(flag)
    return kept == len(old_flags) and all(name == "mount" and value and is_cache_mount(value) for name, value in added)


def evaluate(
    text: str, settings: Settings = DEFAULT, dockerfile: Dockerfile | None = None
) -> tuple[list[Diagnostic], object]:
    """One analysis of ``text``: its diagnostics and its structure (an error is a structure).
    ``dockerfile`` is ``scan(text)`` when the caller already has it."""
    try:
        analysis = analyze(text, dockerfile)
    except ScanError as exc:
        return [], ("error", exc.message)
    return check_analysis(analysis, settings), structure(analysis)


def fix(text: str, settings: Settings = DEFAULT) -> FixOutcome:
    """Apply every applicable fix until nothing changes. Raises ``ScanError`` on a broken file."""
    with _CollectorPaused():
        return _fix(text, settings)


def _fix(text: str, settings: Settings) -> FixOutcome:
    dockerfile = scan(text)  # a broken file raises the scanner's own error, with its offset
    if not file_may_name_a_tool(dockerfile):
        return FixOutcome(text)  # nothing to find, so nothing to fix
    initial = evaluate(text, settings, dockerfile)

    def fixable(d: Diagnostic) -> bool:
        return d.applies(settings.unsafe_fixes)

    return fix_until_stable(
        text, lambda t: evaluate(t, settings), fixable, initial=initial, keeps=keeps_structure
    )
