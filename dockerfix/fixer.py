"""Apply edits, and fix a file until it is stable.

Edits are data; ``apply_edits`` is the one place text changes. A round of fixes is
re-analysed before it is accepted: a round that would change the instruction structure,
or make a RUN's shell fail to parse, is refused fix by fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

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
    """Keep fixes whose edits touch no other kept fix's range (first come, first kept)."""
    kept: list[Fix] = []
    taken: list[tuple[int, int]] = []
    furthest = -1  # the largest end taken: a fix starting after it overlaps nothing
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        start, end = fix.start, fix.end
        # Linear in the common case (a file with thousands of fixes), exact in all.
        if start <= furthest and any(_overlaps(start, end, a, b) for a, b in taken):
            continue
        kept.append(fix)
        taken.append((start, end))
        furthest = max(furthest, end)
    return kept


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    if a0 == a1 == b0 == b1:
        return True  # two insertions at one point: their order would be a guess
    return a0 < b1 and b0 < a1


@dataclass
class FixOutcome:
    text: str
    initial: list[Diagnostic] = field(default_factory=list)  # of the text before any fix
    remaining: list[Diagnostic] = field(default_factory=list)  # of the final text
    applied: list[Diagnostic] = field(default_factory=list)
    refused: list[tuple[Diagnostic, str]] = field(default_factory=list)
    rounds: int = 0


# A text's diagnostics, and a value that no fix may change (its instruction structure).
Evaluation = tuple[list[Diagnostic], object]
REFUSED = "the fix would change the Dockerfile's structure or break its shell syntax"


def fix_until_stable(
    text: str,
    evaluate: Callable[[str], Evaluation],
    fixable: Callable[[Diagnostic], bool],
    initial: Evaluation | None = None,
) -> FixOutcome:
    """Apply fixes round by round until none is left; each round is evaluated once.

    ``initial`` is ``evaluate(text)`` when the caller already has it."""
    diagnostics, baseline = initial if initial is not None else evaluate(text)
    outcome = FixOutcome(text, initial=diagnostics, remaining=diagnostics)
    refused: set[tuple[str, int, int]] = set()
    for _ in range(MAX_ROUNDS):
        candidates = [d for d in outcome.remaining if d.fix is not None and fixable(d) and _key(d) not in refused]
        by_fix = {id(d.fix): d for d in candidates}
        chosen = select_fixes([d.fix for d in candidates if d.fix is not None])
        if not chosen:
            break
        outcome.rounds += 1
        new = apply_edits(outcome.text, [e for f in chosen for e in f.edits])
        new_diagnostics, shape = evaluate(new)
        if shape == baseline:
            outcome.applied.extend(by_fix[id(f)] for f in chosen)
            outcome.text, outcome.remaining = new, new_diagnostics
            continue
        # Something in this round broke the structure: find the fixes that do, one by one.
        for fix in chosen:
            diagnostic = by_fix[id(fix)]
            single = apply_edits(outcome.text, list(fix.edits))
            single_diagnostics, single_shape = evaluate(single)
            if single_shape == baseline:
                outcome.applied.append(diagnostic)
                outcome.text, outcome.remaining = single, single_diagnostics
                break  # the other fixes' offsets are stale now: re-diagnose
            refused.add(_key(diagnostic))
            outcome.refused.append((diagnostic, REFUSED))
    return outcome


def _key(d: Diagnostic) -> tuple[str, int, int]:
    return (d.code, d.start, d.end)
