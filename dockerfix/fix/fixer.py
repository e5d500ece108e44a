"""Apply edits, and fix a file until it is stable.

Edits are data; ``apply_edits`` is the one place text changes. A round of fixes is
re-analysed before it is accepted: a round that would change the instruction structure,
or make a RUN's shell fail to parse, is refused fix by fix.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from dockerfix.diagnostics import Diagnostic, Edit, Fix

MAX_ROUNDS = 10


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (callers drop overlaps first)."""
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : edit.start])
        out.append(edit.content)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def select_fixes(fixes: list[Fix]) -> list[Fix]:
    """Keep fixes whose edits touch no other kept fix's range (first come, first kept).

    An edit identical to one already kept is shared, not a conflict: several findings in one
    RUN may be fixed by one cache mount, and every cache-mount fix of a file may carry the
    same syntax directive."""
    kept: list[Fix] = []
    taken: list[tuple[int, int]] = []
    edits: set[Edit] = set()
    furthest = -1  # the largest end taken: a fix starting after it overlaps nothing
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        own = [e for e in fix.edits if e not in edits]
        if own:
            start, end = min(e.start for e in own), max(e.end for e in own)
            # Linear in the common case (a file with thousands of fixes), exact in all.
            if start <= furthest and any(_overlaps(start, end, a, b) for a, b in taken):
                continue
            taken.append((start, end))
            edits.update(own)
            furthest = max(furthest, end)
        kept.append(fix)
    return kept


def edits_of(fixes: list[Fix]) -> list[Edit]:
    """The edits of ``fixes``, each applied once."""
    return list(dict.fromkeys(e for f in fixes for e in f.edits))


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    if a0 == a1 == b0 == b1:
        return True  # two insertions at one point: their order would be a guess
    return a0 < b1 and b0 < a1


class FixOutcome:
    """The fixed text and what happened on the way."""

    __slots__ = ("text", "initial", "remaining", "applied", "applied_at_origin", "refused", "rounds")

    def __init__(
        self, text: str, initial: list[Diagnostic] | None = None, remaining: list[Diagnostic] | None = None
    ) -> None:
        self.text = text
        self.initial = [] if initial is None else initial  # of the text before any fix
        self.remaining = [] if remaining is None else remaining  # of the final text
        self.applied: list[Diagnostic] = []  # offsets into the text of their round
        # ``applied`` with spans and edits moved back into the original text, for reports that
        # describe a change (a later round's offsets point into an intermediate text).
        self.applied_at_origin: list[Diagnostic] = []
        self.refused: list[tuple[Diagnostic, str]] = []
        self.rounds = 0


# A text's diagnostics, and a value that no fix may change (its instruction structure).
Evaluation = tuple[list[Diagnostic], object]
REFUSED = "the fix would change the Dockerfile's structure or break its shell syntax"


def fix_until_stable(
    text: str,
    evaluate: Callable[[str], Evaluation],
    fixable: Callable[[Diagnostic], bool],
    initial: Evaluation | None = None,
    keeps: Callable[[object, object], bool] = operator.eq,
) -> FixOutcome:
    """Apply fixes round by round until none is left; each round is evaluated once.

    ``initial`` is ``evaluate(text)`` when the caller already has it; ``keeps(baseline,
    shape)`` says whether a fixed text kept the structure (default: it is equal)."""
    diagnostics, baseline = initial if initial is not None else evaluate(text)
    outcome = FixOutcome(text, initial=diagnostics, remaining=diagnostics)
    refused: set[tuple[str, int, int]] = set()
    steps: list[list[Edit]] = []  # every accepted application, to map offsets back
    for _ in range(MAX_ROUNDS):
        candidates = [d for d in outcome.remaining if d.fix is not None and fixable(d) and _key(d) not in refused]
        by_fix = {id(d.fix): d for d in candidates}
        chosen = select_fixes([d.fix for d in candidates if d.fix is not None])
        if not chosen:
            break
        outcome.rounds += 1
        new = apply_edits(outcome.text, edits_of(chosen))
        new_diagnostics, shape = evaluate(new)
        if keeps(baseline, shape):
            _record(outcome, [by_fix[id(f)] for f in chosen], steps)
            steps.append(edits_of(chosen))
            outcome.text, outcome.remaining = new, new_diagnostics
            continue
        # Something in this round broke the structure: find the fixes that do, one by one.
        for fix in chosen:
            diagnostic = by_fix[id(fix)]
            single = apply_edits(outcome.text, list(fix.edits))
            single_diagnostics, single_shape = evaluate(single)
            if keeps(baseline, single_shape):
                _record(outcome, [diagnostic], steps)
                steps.append(list(fix.edits))
                outcome.text, outcome.remaining = single, single_diagnostics
                break  # the other fixes' offsets are stale now: re-diagnose
            refused.add(_key(diagnostic))
            outcome.refused.append((diagnostic, REFUSED))
    return outcome


def _record(outcome: FixOutcome, applied: list[Diagnostic], steps: list[list[Edit]]) -> None:
    outcome.applied.extend(applied)
    outcome.applied_at_origin.extend(_at_origin(d, steps) for d in applied)


def _at_origin(d: Diagnostic, steps: list[list[Edit]]) -> Diagnostic:
    if not steps:
        return d

    def back(offset: int) -> int:
        for edits in reversed(steps):
            offset = _before_edits(offset, edits)
        return offset

    fix = d.fix
    if fix is not None:
        edits = tuple(Edit(back(e.start), back(e.end), e.content) for e in fix.edits)
        fix = fix._replace(edits=edits)
    return d._replace(start=back(d.start), end=back(d.end), fix=fix)


def _before_edits(offset: int, edits: list[Edit]) -> int:
    """An offset into the text after ``edits`` -> the offset it came from before them.

    An offset inside inserted text has no origin: it maps to where the insertion was made."""
    shift = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        if offset < start:
            break
        if offset < start + len(edit.content):
            return edit.start
        shift += len(edit.content) - (edit.end - edit.start)
    return offset - shift


def _key(d: Diagnostic) -> tuple[str, int, int]:
    return (d.code, d.start, d.end)
