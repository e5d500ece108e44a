"""Fix until stable, as a spec: findings applied in a later round are reported where they
were in the original text."""

from __future__ import annotations

import pytest

from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.fix.fixer import _before_edits, fix_until_stable


# -- fixes applied in a later round are reported where they were in the original ----------
@pytest.mark.parametrize(
    ("offset", "edits", "expected"),
    [
        pytest.param(3, [Edit.insertion(5, "XY")], 3, id="before the insertion"),
        pytest.param(5, [Edit.insertion(5, "XY")], 5, id="at the insertion"),
        pytest.param(6, [Edit.insertion(5, "XY")], 5, id="inside inserted text"),
        pytest.param(7, [Edit.insertion(5, "XY")], 5, id="right after inserted text"),
        pytest.param(9, [Edit.insertion(5, "XY")], 7, id="after the insertion"),
        pytest.param(8, [Edit.replacement(3, 5, "ABC")], 7, id="after a longer replacement"),
        pytest.param(4, [Edit.deletion(1, 3)], 6, id="after a deletion"),
        pytest.param(9, [Edit.insertion(1, "a"), Edit.insertion(5, "b")], 7, id="after two insertions"),
    ],
)
def test_offset_before_edits(offset: int, edits: list[Edit], expected: int) -> None:
    assert _before_edits(offset, edits) == expected


def test_applied_at_origin_across_rounds() -> None:
    # Round 1 inserts "X" before "b"; only then does round 2's finding (at "b") appear.
    def evaluate(text: str) -> tuple[list[Diagnostic], object]:
        at = text.index("b")
        content = "X" if "X" not in text else "Y" if "Y" not in text else None
        if content is None:
            return [], "shape"
        edit = Edit.insertion(at, content)
        return [Diagnostic("T001", "t", "m", at, at + 1, Fix((edit,), Applicability.SAFE, "f"))], "shape"

    outcome = fix_until_stable("ab", evaluate, lambda d: True)
    assert outcome.text == "aXYb"
    assert [d.start for d in outcome.applied] == [1, 2]
    assert [d.start for d in outcome.applied_at_origin] == [1, 1]
