"""Decoded Dockerfile text, and the conversions between offsets and (row, column).

Everything inside dockerfix speaks in character offsets into ``Source.text``; rows and
columns are computed only at the edges (reports, JSON, SARIF).
"""

from __future__ import annotations

import bisect

BOM = "\ufeff"


class DecodeError(ValueError):
    """The bytes are not a UTF-8 text file; carries where it went wrong."""

    def __init__(self, message: str, row: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return f"{self.row}:{self.column}: {self.message}"


class Source:
    """A decoded file. ``text`` excludes a leading BOM, which ``encode`` puts back."""

    __slots__ = ("text", "bom", "_line_starts")

    def __init__(self, text: str, bom: bool = False) -> None:
        self.text = text
        self.bom = bom
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and (self.text, self.bom) == (other.text, other.bom)

    def __hash__(self) -> int:
        return hash((self.text, self.bom))

    def __repr__(self) -> str:
        return f"Source(text={self.text!r}, bom={self.bom!r})"

    @classmethod
    def decode(cls, data: bytes) -> Source:
        if b"\x00" in data:
            i = data.index(b"\x00")
            row, col = _row_col_of_byte(data, i)
            raise DecodeError("binary file (NUL byte)", row, col)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            row, col = _row_col_of_byte(data, exc.start)
            raise DecodeError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", row, col) from None
        if text.startswith(BOM):
            return cls(text[1:], bom=True)
        return cls(text)

    def encode(self, text: str | None = None) -> bytes:
        body = self.text if text is None else text
        return ((BOM if self.bom else "") + body).encode("utf-8")

    @property
    def raw_text(self) -> str:
        """The text as stored on disk, BOM included (what diffs must be made of)."""
        return (BOM if self.bom else "") + self.text

    def location(self, offset: int) -> tuple[int, int]:
        """1-based (row, column) of a character offset; columns count characters."""
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row + 1, offset - self._line_starts[row] + 1

    def line_start(self, row: int) -> int:
        return self._line_starts[row - 1]

    def line_text(self, row: int) -> str:
        """Row ``row`` without its line terminator."""
        start = self._line_starts[row - 1]
        end = self.text.find("\n", start)
        line = self.text[start:] if end == -1 else self.text[start:end]
        return line[:-1] if line.endswith("\r") else line

    @property
    def newline(self) -> str:
        """The file's own line terminator, for text we insert on new lines."""
        i = self.text.find("\n")
        return "\r\n" if i > 0 and self.text[i - 1] == "\r" else "\n"


def _row_col_of_byte(data: bytes, index: int) -> tuple[int, int]:
    row = data.count(b"\n", 0, index) + 1
    line_start = data.rfind(b"\n", 0, index) + 1
    col = len(data[line_start:index].decode("utf-8", errors="replace")) + 1
    return row, col
