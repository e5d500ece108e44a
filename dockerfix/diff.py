"""Unified diffs of whole-file texts that ``git apply`` and GNU ``patch -p1`` accept.

The texts are compared exactly as they are on disk: a BOM stays on the first line, a CRLF
line keeps its ``\\r\\n`` (so the diff carries ``\\r`` before ``\\n`` on those lines, which
is what both tools expect for a CRLF file), and a missing final newline gets the
``\\ No newline at end of file`` marker that difflib leaves out.

Headers are ``--- a/PATH`` and ``+++ b/PATH``. For stdin the caller passes ``-`` and
gets ``a/-`` / ``b/-``, which both tools accept; ``patch -p1 Dockerfile < diff`` then
applies a stdin diff to any named file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time (~5 ms)
if TYPE_CHECKING:
    from typing import TextIO

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"

_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"

# A pattern for a rare path stays a string: re compiles (and caches) it on first use, not on
# every start-up.
# git quotes a name (C style) when it holds these; both tools read such names back.
_NEEDS_QUOTING = r'["\\\x00-\x1f\x7f]'
_C_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_HUNK_HEADER = r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@"


def unified_diff(path: str, old: str, new: str, *, context: int = 3) -> str:
    """The diff turning ``old`` into ``new``, or ``""`` when they are equal.

    ``path`` should be relative to the directory the diff is applied in: ``git apply``
    refuses absolute paths and paths with ``.`` or ``..`` components. With
    ``context=0`` git needs ``git apply --unidiff-zero``.
    """
    if old == new:
        return ""
    import difflib  # ~2 ms: the CLI imports this module for should_colorize on every run

    name = diff_path(path)
    lines = difflib.unified_diff(
        split_lines(old),
        split_lines(new),
        fromfile=_header_name("a/" + name),
        tofile=_header_name("b/" + name),
        n=context,
    )
    return "".join(_mark_incomplete_lines(lines))


def split_lines(text: str) -> list[str]:
    """Lines with their terminators, split on ``\\n`` only.

    ``str.splitlines`` would also split on a lone ``\\r``, form feed, U+2028 and others,
    which neither ``patch`` nor ``git apply`` treat as line ends.
    """
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    if last:
        result.append(last)
    return result


def diff_path(path: str) -> str:
    """``path`` with forward slashes and no leading ``./`` (``git apply`` rejects ``.``)."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path


def _header_name(name: str) -> str:
    if re.search(_NEEDS_QUOTING, name):
        return '"' + "".join(_c_escape(ch) for ch in name) + '"'
    if " " in name:
        # Without the tab GNU patch stops the name at the space; git writes it too.
        return name + "\t"
    return name


def _c_escape(ch: str) -> str:
    if ch in _C_ESCAPES:
        return _C_ESCAPES[ch]
    if ch < " " or ch == "\x7f":
        return f"\\{ord(ch):03o}"
    return ch


def _mark_incomplete_lines(lines: Iterable[str]) -> list[str]:
    # difflib emits the last line of a file without a newline as-is, which glues it to
    # the next diff line; terminate it and add the marker as diff(1) does.
    out: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n")
            out.append(NO_NEWLINE_MARKER)
    return out


def should_colorize(choice: bool | None, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """``--color`` / ``--no-color`` decide; else colour a terminal, unless ``NO_COLOR`` is set
    to anything non-empty (no-color.org). A pipe never gets escape codes: ``git apply``
    must read the diff."""
    if choice is not None:
        return choice
    if environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colorize_diff(diff: str) -> str:
    """``diff`` with ANSI colours for a terminal; line terminators are kept as they were.

    Hunk line counts are followed so that a removed line reading ``-- x`` is red, not
    taken for a ``--- `` header; several files' diffs may be concatenated.
    """
    out: list[str] = []
    old_left = new_left = 0
    for line in split_lines(diff):
        body = line.rstrip("\r\n")
        if old_left or new_left:
            colour, old_left, new_left = _body_colour(body, old_left, new_left)
        elif match := re.match(_HUNK_HEADER, body):
            colour = _CYAN
            old_left, new_left = _count(match[1]), _count(match[2])
        else:
            colour = _BOLD if body.startswith(("--- ", "+++ ")) else ""
        out.append(f"{colour}{body}{_RESET}{line[len(body):]}" if colour else line)
    return "".join(out)


def _count(group: str | None) -> int:
    return 1 if group is None else int(group)


def _body_colour(body: str, old_left: int, new_left: int) -> tuple[str, int, int]:
    if body.startswith("-"):
        return _RED, old_left - 1, new_left
    if body.startswith("+"):
        return _GREEN, old_left, new_left - 1
    if body.startswith("\\"):
        return "", old_left, new_left
    return "", old_left - 1, new_left - 1
