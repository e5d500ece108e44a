"""Character offsets <-> LSP positions (line, character in the negotiated code units).

dockerfix speaks in character offsets into the document's text; LSP in zero-based lines and
columns counted in UTF-16 code units unless the client and server agreed on UTF-8 or UTF-32
(``positionEncoding``, LSP 3.17). Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as the
specification says (not at ``str.splitlines``'s form feeds and U+2028). Pure: no lsprotocol.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_END = re.compile(r"\r\n?|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Pos(NamedTuple):
    """An LSP position: zero-based line, and column in the encoding's code units."""

    line: int
    character: int


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + len(_ASTRAL.findall(text))  # astral characters are surrogate pairs


class LineIndex:
    """Where each line of ``text`` starts, and conversions in one position encoding."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
        # A line's content ends where its terminator starts; the last line at the text's end.
        self.ends = [m.start() for m in _LINE_END.finditer(text)] + [len(text)]

    def position(self, offset: int) -> Pos:
        """The position of a character offset (clamped to the text). An offset between a
        CRLF's two characters is the line's end (``safe_span`` keeps edits off it)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        column = min(offset, self.ends[line]) - start
        return Pos(line, units(self.text[start : start + column], self.encoding))

    def offset(self, line: int, character: int) -> int:
        """The character offset of a position; past a line's end is its end, past the last
        line the text's end (the specification's rule), inside a character its start."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        count = 0
        for index in range(start, end):
            count += units(self.text[index], self.encoding)
            if count > character:
                return index
        return end

    def safe_span(self, start: int, end: int, content: str) -> tuple[int, int, str]:
        """An edit that starts or ends between a CRLF's ``\\r`` and ``\\n`` (which no position
        names) widened to the whole CRLF, the content carrying the part it kept."""
        text = self.text
        if 0 < start < len(text) and text[start - 1 : start + 1] == "\r\n":
            start, content = start - 1, "\r" + content
        if 0 < end < len(text) and text[end - 1 : end + 1] == "\r\n":
            end, content = end + 1, content + "\n"
        return start, end, content
