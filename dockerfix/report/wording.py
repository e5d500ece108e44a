"""Words for human output, shared by the summary and the report formats."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``2 files``; ``many`` for an irregular plural (``fixes``)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
