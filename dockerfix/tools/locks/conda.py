"""conda environment files (``environment.yml``): the ``pip:`` list of ``dependencies``.

Format facts from conda's documentation ("Creating an environment file manually" and
"Using pip in an environment",
https://docs.conda.io/projects/conda/en/latest/user-guide/tasks/manage-environments.html):
top-level ``name``, ``channels`` and ``dependencies`` keys; ``dependencies`` is a list of conda
match specs (``python=3.11``, ``numpy=1.26.4``) and at most one mapping ``pip:`` whose list
conda hands to pip as a requirements file: each item is a requirements-file line
(``django==4.2.7``, ``-r requirements.txt``, ``--index-url ...``).

Only the ``pip:`` list gives pins. Conda's own ``name=version`` entries pin what conda
installs; dockerfix has no rule for ``conda install`` yet, so they are not read.

YAML without a YAML library: environment files use a small block-style subset, and that
subset is read strictly here. What it does not cover inside ``dependencies`` (flow lists
``[a, b]``, anchors, tags, block scalars, multi-line plain scalars) is an error naming the
line, never a guess; other top-level keys are skipped whatever they hold.
"""

from __future__ import annotations

import re

from dockerfix.tools.locks.entries import LockFileError

# A sequence item: indent, then "- " and the item (or a bare "-").
_ITEM = re.compile(r"(?P<indent> *)-(?: +(?P<value>.*))?")
_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_.-]*) *:(?: +(?P<value>.*))?")
# A comment: "#" at the start or after whitespace (YAML 1.2, 6.6).
_COMMENT = re.compile(r"(?:^| +)#.*$")
_UNSUPPORTED = ("&", "*", "!", "|", ">", "{", "[", "%", "@", "`")


def pip_lines(text: str, name: str) -> list[tuple[int, str]]:
    """(line number, requirement line) for each item of ``dependencies: - pip: [...]``."""
    lines = [(n, _COMMENT.sub("", line.rstrip("\r"))) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line.strip()]
    if any(line.startswith("\t") for _, line in lines):
        tab = next(n for n, line in lines if line.startswith("\t"))
        raise LockFileError(f"{name}:{tab}: a tab in indentation (YAML forbids it)")
    start = _dependencies_start(lines, name)
    found: list[tuple[int, str]] = []
    index = start + 1
    item_indent: int | None = None
    while index < len(lines):
        number, line = lines[index]
        indent = len(line) - len(line.lstrip(" "))
        item = _ITEM.fullmatch(line)
        if indent == 0 and item is None:
            break  # the next top-level key
        if item is None or (item_indent is not None and indent != item_indent):
            raise LockFileError(f"{name}:{number}: cannot read this line of `dependencies` (a `- item` expected)")
        item_indent = indent
        value = (item.group("value") or "").strip()
        index += 1
        if value in ("pip:", "'pip':", '"pip":'):
            index = _pip_list(lines, index, indent, name, found)
        elif _KEY.fullmatch(value):
            raise LockFileError(f"{name}:{number}: a mapping in `dependencies` other than `pip:`")
        else:
            _scalar(value, number, name)  # a conda spec: checked, not used
    return found


def _dependencies_start(lines: list[tuple[int, str]], name: str) -> int:
    for index, (number, line) in enumerate(lines):
        if line.startswith("---") or line.startswith("%"):
            if index == 0 and line.strip() == "---":
                continue
            raise LockFileError(f"{name}:{number}: several YAML documents or directives are not read")
        key = _KEY.fullmatch(line)
        if key is not None and key.group("key") == "dependencies":
            if key.group("value"):
                raise LockFileError(f"{name}:{number}: `dependencies` must be a block list (`- item` lines)")
            return index
    raise LockFileError(f"{name}: not a conda environment file: no top-level `dependencies:`")


def _pip_list(lines: list[tuple[int, str]], index: int, parent: int, name: str, found: list[tuple[int, str]]) -> int:
    """Read the items of a ``- pip:`` mapping (indented deeper than its ``-``)."""
    pip_indent: int | None = None
    while index < len(lines):
        number, line = lines[index]
        indent = len(line) - len(line.lstrip(" "))
        if indent <= parent:
            break
        item = _ITEM.fullmatch(line)
        if item is None or (pip_indent is not None and indent != pip_indent):
            raise LockFileError(f"{name}:{number}: cannot read this line of the `pip:` list (a `- item` expected)")
        pip_indent = indent
        found.append((number, _scalar((item.group("value") or "").strip(), number, name)))
        index += 1
    return index


def _scalar(value: str, number: int, name: str) -> str:
    """A plain or quoted YAML scalar's text; anything richer is an error."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        if value[0] == '"' and "\\" in inner:
            raise LockFileError(f"{name}:{number}: escapes in a double-quoted item are not read")
        return inner.replace("''", "'") if value[0] == "'" else inner
    if not value or value.startswith(_UNSUPPORTED) or value[0] in "'\"":
        raise LockFileError(f"{name}:{number}: cannot read {value!r}: only plain or quoted one-line items are read")
    return value
