"""The vocabulary every rule and output speaks: Edit, Fix, Diagnostic.

Spans are character offsets into ``Source.text`` (start inclusive, end exclusive).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Applicability(StrEnum):
    """How sure a fix is: ``safe`` fixes apply with --write, ``unsafe`` need --unsafe-fixes."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class Edit(NamedTuple):
    start: int
    end: int
    content: str

    @classmethod
    def insertion(cls, offset: int, content: str) -> Edit:
        return cls(offset, offset, content)

    @classmethod
    def replacement(cls, start: int, end: int, content: str) -> Edit:
        return cls(start, end, content)

    @classmethod
    def deletion(cls, start: int, end: int) -> Edit:
        return cls(start, end, "")

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


class Diagnostic(NamedTuple):
    code: str  # e.g. "DFX001"
    name: str  # e.g. "pip-no-cache-dir"
    message: str
    start: int
    end: int
    fix: Fix | None = None
    notes: tuple[str, ...] = ()

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.fix.applicability != Applicability.DISPLAY_ONLY

    def applies(self, unsafe_fixes: bool) -> bool:
        """Whether ``--write`` applies this fix: safe ones always, unsafe ones with
        ``--unsafe-fixes``, display-only ones never."""
        if self.fix is None:
            return False
        return self.fix.applicability == Applicability.SAFE or (
            unsafe_fixes and self.fix.applicability == Applicability.UNSAFE
        )
