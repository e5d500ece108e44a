"""The shell reader: the simple commands of a script, read by tree-sitter-bash, with word
spans in file offsets.

The script is a ``Mapped`` text (a RUN's logical command, a heredoc body, or the string
argument of ``sh -c``), so every word comes back with the file span it was read from and,
where it has no expansions, its shell value mapped character by character.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import TYPE_CHECKING

from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell_reader import Kinds, Reader
from dockerfix.parse.shell_script import Script
from dockerfix.parse.shell_walker import Walker
from dockerfix.settings import PARSE_SECONDS, PARSE_SECONDS_PER_BYTE

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree

__all__ = ["parse", "shell_parser"]


@lru_cache(maxsize=1)
def shell_parser() -> tuple[Parser, Kinds]:
    """One parser per process, made on first use. tree-sitter is imported here, not at the
    top: a file that names no pip or uv never needs it."""
    import tree_sitter
    import tree_sitter_bash

    language = tree_sitter.Language(tree_sitter_bash.language())
    return tree_sitter.Parser(language), Kinds(language)


def parse(mapped: Mapped) -> Script:
    """The script's commands and exports, read by tree-sitter.

    Bounded: a parse that runs past its time budget, or commands nested past
    ``MAX_SHELL_NESTING``, leave ``Script.unread`` saying why; what was read stays.
    """
    data = mapped.text.encode("utf-8")
    parser, kinds = shell_parser()
    tree = _parse_in_budget(parser, data)
    if tree is None:
        script = Script(mapped, has_error=True)
        seconds = _parse_budget(len(data))
        script.unread = (mapped.file_start(0), mapped.file_end(len(mapped.text)), f"tree-sitter could not parse it in {seconds:.0f} s")
        return script
    script = Script(mapped, has_error=tree.root_node.has_error)
    Walker(Reader(mapped, data, kinds), script).walk(tree.root_node)
    return script


def _parse_budget(size: int) -> float:
    """CPU seconds a parse of ``size`` bytes may take: many times what it takes on real
    scripts, so that only a pathological one (tree-sitter's error recovery on some inputs
    is quadratic) meets it."""
    return PARSE_SECONDS + size * PARSE_SECONDS_PER_BYTE


def _parse_in_budget(parser: Parser, data: bytes) -> Tree | None:
    """tree-sitter's tree of ``data``, or None when the parse ran past its budget."""
    clock = time.process_time
    deadline = clock() + _parse_budget(len(data))
    view = memoryview(data)
    try:
        tree = parser.parse(lambda at, _point: view[at:], progress_callback=lambda _at, _error: clock() > deadline)
    except ValueError:  # the binding's word for a parse the callback cancelled
        tree = None
    if tree is None or clock() > deadline:
        parser.reset()  # else the next parse would resume this one
        return None
    return tree
