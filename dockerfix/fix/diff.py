"""Unified diffs of whole-file texts that ``git apply`` and GNU ``patch -p1`` accept.

The texts are compared exactly as they are on disk: a BOM stays on the first line, a CRLF
line keeps its ``\\r\\n`` (so the diff carries ``\\r`` before ``\\n`` on those lines, which
is what both tools expect for a CRLF file), and a missing final newline gets the
``\\ No newline at end of file`` marker, as diff(1) writes it.

Headers are ``--- a/PATH`` and ``+++ b/PATH`` (``diff_path``: a file outside the working
directory is named from the filesystem root, to be applied from ``/``). For stdin the caller passes ``-`` and
gets ``a/-`` / ``b/-``, which both tools accept; ``patch -p1 Dockerfile < diff`` then
applies a stdin diff to any named file.

Almost every fix inserts or replaces text inside lines, so the fixed text has as many lines
as the original and line ``i`` of one is line ``i`` of the other: the hunks are built
directly from the lines that differ at their position (``in_line_groups``), in time linear
in the file, where a sequence matcher is quadratic in the worst case. A fix that adds or
removes lines (``--add-syntax-directive``, a Renovate ``ARG`` line) goes to
``difflib.SequenceMatcher``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

# difflib's opcode: (tag, i1, i2, j1, j2), old lines [i1:i2] become new lines [j1:j2]
Opcode = tuple[str, int, int, int, int]

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"

_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"

# git quotes a name (C style) when it holds one of these; both tools read such names back.
_C_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# A control character, or a byte of a name that is not UTF-8 (as os.fsdecode's
# surrogateescape keeps it): a name holding one is printed in git's C-style quotes.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\udc80-\udcff]")
_HUNK_HEADER = r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@"


def unified_diff(path: str, old: str, new: str, *, context: int = 3) -> str:
    """The diff turning ``old`` into ``new``, or ``""`` when they are equal.

    ``path`` should be relative to the directory the diff is applied in: ``git apply``
    refuses absolute paths and paths with ``.`` or ``..`` components. With
    ``context=0`` git needs ``git apply --unidiff-zero``.
    """
    if old == new:
        return ""
    a, b = split_lines(old), split_lines(new)
    if len(a) == len(b):
        groups = in_line_groups(a, b, context)
    else:
        import difflib  # only when a fix adds or removes lines

        groups = list(difflib.SequenceMatcher(None, a, b).get_grouped_opcodes(context))
    name = diff_path(path)
    lines = [f"--- {_header_name('a/' + name)}\n", f"+++ {_header_name('b/' + name)}\n"]
    lines.extend(_hunk_lines(a, b, groups))
    return "".join(_mark_incomplete_lines(lines))


def in_line_groups(a: Sequence[str], b: Sequence[str], context: int) -> list[list[Opcode]]:
    """The hunks, as grouped opcodes, for two texts of as many lines, line ``i`` of one
    paired with line ``i`` of the other: each run of lines that differ is replaced, with
    ``context`` equal lines on each side; hunks closer than ``2 * context`` lines merge."""
    changed = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return _group(_runs(changed), len(a), context)


def _runs(changed: list[int]) -> list[tuple[int, int]]:
    """``[start, stop)`` of each run of consecutive positions."""
    runs = [(changed[0], changed[0] + 1)]
    for i in changed[1:]:
        if i == runs[-1][1]:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _group(runs: list[tuple[int, int]], size: int, n: int) -> list[list[Opcode]]:
    # As get_grouped_opcodes: n equal lines of context on each side of a change; a gap of
    # more than 2n equal lines ends a hunk, a gap of 2n or fewer joins the hunks around it.
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for start, stop in runs:
        if group and start - group[-1][2] > 2 * n:
            end = group[-1][2] + n
            group.append(("equal", group[-1][2], end, group[-1][2], end))
            groups.append(group)
            group = []
        if group:
            group.append(("equal", group[-1][2], start, group[-1][2], start))
        else:
            begin = max(0, start - n)
            group.append(("equal", begin, start, begin, start))
        group.append(("replace", start, stop, start, stop))
    end = min(size, group[-1][2] + n)
    group.append(("equal", group[-1][2], end, group[-1][2], end))
    groups.append(group)
    return groups


def _hunk_lines(a: Sequence[str], b: Sequence[str], groups: Iterable[list[Opcode]]) -> list[str]:
    """The hunks of ``difflib.unified_diff`` for these groups of opcodes."""
    out: list[str] = []
    for group in groups:
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += map(" ".__add__, a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                out += map("-".__add__, a[i1:i2])
            if tag in ("replace", "insert"):
                out += map("+".__add__, b[j1:j2])
    return out


def _range(start: int, stop: int) -> str:
    """A hunk header's range, as difflib writes it (``_format_range_unified``)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    # An empty range names the line before it (0 for the start of the file).
    return f"{start if length == 0 else start + 1},{length}"


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
    """``path`` as a diff header names it: forward slashes, no ``./``, ``..`` or leading ``/``
    (``git apply`` rejects them, GNU patch calls them dangerous).

    A path inside the working directory is named relative to it (``$PWD/Dockerfile`` is
    ``Dockerfile``); one outside it (absolute, or with ``..``) relative to the filesystem
    root: ``/tmp/x/Dockerfile`` and ``../x/Dockerfile`` (from ``/tmp/w``) are both
    ``tmp/x/Dockerfile``, applied from ``/`` (``git -C / apply``, ``patch -d / -p1``).
    """
    if path != "-" and (os.path.isabs(path) or ".." in path.replace(os.sep, "/").split("/")):
        absolute = os.path.abspath(path)
        cwd = os.getcwd()
        if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
            path = os.path.relpath(absolute, cwd)
        else:
            path = os.path.splitdrive(absolute)[1].lstrip(os.sep)
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path


def _header_name(name: str) -> str:
    if '"' in name or "\\" in name or _UNPRINTABLE.search(name):
        return _c_quoted(name)
    if " " in name:
        # Without the tab GNU patch stops the name at the space; git writes it too.
        return name + "\t"
    return name


def quoted_name(name: str) -> str:
    """``name`` (as the OS gave it: undecodable bytes surrogate-escaped) in git's C-style
    quotes when it holds a control character or a byte that is not UTF-8:
    ``Dockerfile.\\xff`` -> ``"Dockerfile.\\377"``, as ``git diff`` writes it
    (``core.quotePath``) and ``git apply`` reads it back. Any other name is unchanged.
    Printing it can neither fail to encode nor break a line."""
    return _c_quoted(name) if _UNPRINTABLE.search(name) else name


def _c_quoted(name: str) -> str:
    return '"' + "".join(_c_escape(ch) for ch in name) + '"'


def _c_escape(ch: str) -> str:
    if ch in _C_ESCAPES:
        return _C_ESCAPES[ch]
    if ch < " " or ch == "\x7f":
        return f"\\{ord(ch):03o}"
    if "\udc80" <= ch <= "\udcff":  # a raw byte: its value
        return f"\\{ord(ch) - 0xDC00:03o}"
    return ch


def _mark_incomplete_lines(lines: Iterable[str]) -> list[str]:
    # A file's last line without a newline would glue to the next diff line: terminate
    # it and add the marker, as diff(1) does.
    out: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n")
            out.append(NO_NEWLINE_MARKER)
    return out


def should_colorize(choice: bool | None, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """``--color`` / ``--no-color`` decide; else ``NO_COLOR`` set to anything non-empty turns
    colour off (no-color.org), and ``FORCE_COLOR`` set to anything non-empty turns it on, even
    on a pipe (force-color.org); when both are set, NO_COLOR wins, as the user who set it
    asked for no colour (ruff's and pytest's order). Otherwise a terminal gets colour and a
    pipe does not: ``git apply`` must read the diff."""
    if choice is not None:
        return choice
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
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
        elif counts := hunk_counts(body):
            colour = _CYAN
            old_left, new_left = counts
        else:
            colour = _BOLD if body.startswith(("--- ", "+++ ")) else ""
        out.append(f"{colour}{body}{_RESET}{line[len(body):]}" if colour else line)
    return "".join(out)


def hunk_counts(line: str) -> tuple[int, int] | None:
    """The old and new line counts of a line starting ``@@ -a[,b] +c[,d] @@``, else None."""
    match = re.match(_HUNK_HEADER, line)
    if match is None:
        return None
    old, new = match.groups()
    return int(old or 1), int(new or 1)


def _body_colour(body: str, old_left: int, new_left: int) -> tuple[str, int, int]:
    if body.startswith("-"):
        return _RED, old_left - 1, new_left
    if body.startswith("+"):
        return _GREEN, old_left, new_left - 1
    if body.startswith("\\"):
        return "", old_left, new_left
    return "", old_left - 1, new_left - 1
