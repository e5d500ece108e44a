"""Cheap text filters: may a RUN, or any RUN of a file, name pip or uv at all?

A RUN that never says "pip" or "uv" has no call to find, so the analysis skips it; a file
none of whose RUNs says either needs no analysis at all (most files), and a one-file run on
one of them never imports the analysis stack, the shell reader or the rules.

Quotes, backslashes and escaped newlines may split a word (``p"ip"``): the shell removes
them, and a word's value is its text with some of them removed. So the letters of the word
may have any of them between them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerfix.parse.instructions import Dockerfile, Instruction

_SPLIT = r"[\\'\"\n]*"
# "pip" or "uv" in any case (re also folds U+0130 and U+0131 to "i"), maybe split.
_TOOL = re.compile(_SPLIT.join("pip") + "|" + _SPLIT.join("uv"), re.IGNORECASE)
_INSTALL = _SPLIT.join("install")
# Other package managers with cache rules ("pipenv" and "micromamba" contain pip/mamba).
OTHER_TOOLS = ("poetry", "pdm", "conda", "mamba")
_OTHER = re.compile("|".join(_SPLIT.join(name) for name in OTHER_TOOLS), re.IGNORECASE)


def maybe_tool(text: str) -> bool:
    """Whether ``text`` may say "pip" or "uv", in any case, maybe split by quotes."""
    return _TOOL.search(text) is not None or _OTHER.search(text) is not None


def may_say_install(text: str) -> bool:
    """Whether ``text`` may say "install", maybe split by quotes."""
    return re.search(_INSTALL, text) is not None


def run_may_name_a_tool(instruction: Instruction) -> bool:
    """Whether the analysis must read this RUN: its line, a heredoc, or a string of its exec
    form (as exec runs it: a JSON escape may spell a letter, ``["p\\u0069p", ...]``) may say
    pip or uv."""
    if maybe_tool(instruction.line.text) or any(maybe_tool(h.body.text) for h in instruction.heredocs):
        return True
    return any(maybe_tool(e.value.text) for e in instruction.exec_form or ())


def file_may_name_a_tool(dockerfile: Dockerfile) -> bool:
    """Whether any RUN (``ONBUILD RUN`` too) of the file may name pip or uv: if none does,
    the analysis finds no call, and no rule reports anything."""
    return any(i.keyword == "RUN" and run_may_name_a_tool(i) for i in dockerfile.instructions)
