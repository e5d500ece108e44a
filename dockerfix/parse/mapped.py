"""Text that knows where each of its characters came from in the file.

A Dockerfile's shell command is not a substring of the file: continuations are removed,
comment lines inside them skipped, JSON and shell strings unescaped. ``Mapped`` keeps, for
every character of such a derived text, the file offset it was read from, so spans found in
the derived text turn back into exact file spans.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence


class Mapped:
    """A derived text and, per character, the file offset it came from.

    A plain class, not a NamedTuple: its length is the text's, not a field count."""

    __slots__ = ("text", "offsets")

    def __init__(self, text: str, offsets: Sequence[int]) -> None:
        self.text = text
        # offsets[i] is the file offset of text[i]; offsets[len(text)] is where the text ends.
        self.offsets = offsets

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapped) and self.text == other.text and self.offsets == other.offsets

    def __hash__(self) -> int:
        return hash((self.text, self.offsets))

    def __repr__(self) -> str:
        return f"Mapped(text={self.text!r}, offsets={self.offsets!r})"

    @classmethod
    def identity(cls, text: str, start: int) -> Mapped:
        return cls(text, range(start, start + len(text) + 1))

    def __len__(self) -> int:
        return len(self.text)

    def file_start(self, index: int) -> int:
        return self.offsets[index]

    def file_end(self, index: int) -> int:
        """File offset just past the character before ``index`` (an exclusive end)."""
        if index == 0:
            return self.offsets[0]
        return self.offsets[index - 1] + 1

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            at = self.offsets[start]
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1

    def slice(self, start: int, end: int) -> Mapped:
        if isinstance(self.offsets, range) and end > start:
            # Contiguous stays contiguous: no per-character list (most lines are).
            return Mapped.identity(self.text[start:end], self.offsets[start])
        offsets = self.offsets[start:end]  # an array (or a list) as this one's
        if not isinstance(offsets, (array, list)):
            offsets = list(offsets)
        offsets.append(self.file_end(end) if end > start else self.offsets[start])
        return Mapped(self.text[start:end], offsets)

    def is_contiguous(self, start: int = 0, end: int | None = None) -> bool:
        """True when text[start:end] is exactly a substring of the file."""
        end = len(self.text) if end is None else end
        return end <= start or self.offsets[end - 1] - self.offsets[start] == end - 1 - start


class MappedBuilder:
    """Accumulates pieces of text with their file offsets.

    The offsets go in an array of machine integers: eight bytes a character, where a list
    holds a pointer and an int object for each (a long RUN has millions of characters).
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._offsets = array("q")

    def add(self, text: str, start: int) -> None:
        self._parts.append(text)
        self._offsets.extend(range(start, start + len(text)))

    def add_mapped(self, text: str, offsets: Sequence[int]) -> None:
        """``text`` whose characters came from ``offsets``, one each."""
        self._parts.append(text)
        self._offsets.extend(offsets)

    def add_char(self, char: str, offset: int) -> None:
        self._parts.append(char)
        self._offsets.append(offset)

    def build(self, end: int) -> Mapped:
        """The text so far; the builder is done with (its offsets become the Mapped's)."""
        self._offsets.append(end)
        return Mapped("".join(self._parts), self._offsets)
