"""The vocabulary every rule and output speaks: Edit, Fix, Diagnostic.

Spans are character offsets into ``Source.text`` (start inclusive, end exclusive).
"""

from __future__ import annotations

from dockerfix.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time (~5 ms)
if TYPE_CHECKING:
    from typing import Final, Literal

    ApplicabilityValue = Literal["safe", "unsafe", "display-only"]


# Plain strings, not an Enum: importing enum costs ~8 ms of a one-file run. The type is
# ApplicabilityValue; the names below keep call sites readable and mypy checks them.
class Applicability:
    """How sure a fix is: ``safe`` fixes apply with --write, ``unsafe`` need --unsafe-fixes."""

    SAFE: Final = "safe"
    UNSAFE: Final = "unsafe"
    DISPLAY_ONLY: Final = "display-only"


@record(order=True)
class Edit:
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


@record
class Fix:
    edits: tuple[Edit, ...]
    applicability: ApplicabilityValue
    message: str

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@record
class Diagnostic:
    code: str  # e.g. "DFX001"
    name: str  # e.g. "pip-no-cache-dir"
    message: str
    start: int
    end: int
    fix: Fix | None = None
    notes: tuple[str, ...] = field(default=())

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
