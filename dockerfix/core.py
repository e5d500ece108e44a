"""The pure core: ``text -> diagnostics`` and ``text -> fixed text``. No I/O here."""

from __future__ import annotations

from dockerfix.analysis import Analysis, analyze
from dockerfix.diagnostics import Applicability, Diagnostic
from dockerfix.dockerfile import ScanError
from dockerfix.fixer import FixOutcome, fix_until_stable
from dockerfix.rules import RULES
from dockerfix.settings import DEFAULT, Settings
from dockerfix.suppression import filter_suppressed

__all__ = ["ScanError", "Settings", "check", "check_analysis", "evaluate", "fix", "structure"]


def check_analysis(analysis: Analysis, settings: Settings = DEFAULT) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in RULES:
        if settings.enabled(rule.code):
            found.extend(rule.check(analysis, settings))
    found = filter_suppressed(analysis.dockerfile, found)
    return sorted(found, key=lambda d: (d.start, d.end, d.code))


def check(text: str, settings: Settings = DEFAULT) -> list[Diagnostic]:
    """All diagnostics for a Dockerfile's text. Raises ``ScanError`` on a broken file."""
    return check_analysis(analyze(text), settings)


def structure(analysis: Analysis) -> object:
    """What a fix must not change: the instructions BuildKit sees and which RUNs parse."""
    shape = tuple(
        (i.keyword, i.onbuild, i.exec_form is not None and len(i.exec_form) > 0, len(i.heredocs), len(i.flags))
        for i in analysis.dockerfile.instructions
    )
    unparsed = sum(1 for u in analysis.unanalysed if "parse" in u.reason)
    return shape, unparsed


def evaluate(text: str, settings: Settings = DEFAULT) -> tuple[list[Diagnostic], object]:
    """One analysis of ``text``: its diagnostics and its structure (an error is a structure)."""
    try:
        analysis = analyze(text)
    except ScanError as exc:
        return [], ("error", exc.message)
    return check_analysis(analysis, settings), structure(analysis)


def fix(text: str, settings: Settings = DEFAULT) -> FixOutcome:
    """Apply every applicable fix until nothing changes. Raises ``ScanError`` on a broken file."""
    diagnostics, shape = evaluate(text, settings)
    if isinstance(shape, tuple) and shape[:1] == ("error",):
        analyze(text)  # raise the scanner's own error, with its offset

    def fixable(d: Diagnostic) -> bool:
        assert d.fix is not None
        if d.fix.applicability is Applicability.SAFE:
            return True
        return settings.unsafe_fixes and d.fix.applicability is Applicability.UNSAFE

    return fix_until_stable(text, lambda t: evaluate(t, settings), fixable, initial=(diagnostics, shape))
