"""pip on shell words: is this command pip (``pip3``, ``python -m pip``, through its
wrappers: ``dockerfix.tools.wrappers``), and which words are its argv."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from dockerfix.parse.shell_script import Command, Word
from dockerfix.tools.pip_command_line import PipCommandLine, parse_pip_argv
from dockerfix.tools.process import Scope, basename, literal_at
from dockerfix.tools.wrappers import Layer, Unresolved

# ``pip``, ``pip3``, ``pip3.12``, and Debian's old ``pip-3.3``; ``python``, ``python3.12``.
_PIP_PROGRAM = re.compile(r"pip(?:-?\d+(?:\.\d+)*)?")
_PYTHON_PROGRAM = re.compile(r"python(?:\d+(?:\.\d+)*)?")
# Interpreter options that take a value (``python -W ignore -m pip``).
_PYTHON_VALUE_OPTIONS = frozenset("WX")


def is_pip_program(program: str) -> bool:
    """``pip``, ``pip3``, ``pip3.12``, and Debian's old ``pip-3.3`` / ``pip-2.7``."""
    return _PIP_PROGRAM.fullmatch(program) is not None


def is_python_program(program: str) -> bool:
    """``python``, ``python3``, ``python3.12``."""
    return _PYTHON_PROGRAM.fullmatch(program) is not None


class PipCall(NamedTuple):
    """One pip invocation found in a shell command."""

    program: Word  # ``pip3``, or ``python3`` in ``python3 -m pip``
    argv: tuple[Word, ...]  # the words after ``pip``
    line: PipCommandLine
    env: dict[str, Word | None]  # set for this call only: ``VAR=1 pip``, ``env VAR=1 pip``
    scope: Scope = Scope()  # what its wrappers did to its environment: ``env -i``, ``su -``

    @property
    def subcommand(self) -> str | None:
        return self.line.subcommand

    @property
    def subcommand_word(self) -> Word | None:
        i = self.line.subcommand_index
        return None if i is None else self.argv[i]


def pip_argv(program: str, argv: Sequence[Word]) -> tuple[int, ...] | None:
    """Index in ``argv`` where pip's own argv starts, or None if this is not pip."""
    if is_pip_program(program):
        return (0,)
    start = python_module_argv(program, argv, "pip")
    if start is None:
        start = _python_script_argv(program, argv)
    return None if start is None else (start,)


def _python_script_argv(program: str, argv: Sequence[Word]) -> int | None:
    """``python3.4 /usr/bin/pip3 install x``: the interpreter runs pip's own script."""
    if not (is_python_program(program) or program == "py"):
        return None
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None or text == "-" or text.startswith("--"):
            return None
        if not text.startswith("-"):
            return i + 1 if is_pip_program(basename(text)) else None
        if "c" in text or "m" in text:
            return None  # -c CODE, -m MODULE: not a script
        i += 2 if text[-1] in _PYTHON_VALUE_OPTIONS and len(text) == 2 else 1
    return None


def python_module_argv(program: str, argv: Sequence[Word], module: str) -> int | None:
    """Index in ``argv`` where ``python -m MODULE``'s own argv starts, or None (the Windows
    launcher ``py -3.12 -m pip`` too)."""
    if not (is_python_program(program) or program == "py"):
        return None
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None or not text.startswith("-") or text.startswith("--") or text == "-":
            return None
        for pos in range(1, len(text)):
            flag = text[pos]
            if flag == "c":
                return None
            if flag == "m":
                name, nxt = (text[pos + 1 :], i + 1) if pos + 1 < len(text) else (literal_at(argv, i + 1), i + 2)
                return nxt if name == module else None
            if flag in _PYTHON_VALUE_OPTIONS:
                if pos + 1 == len(text):
                    i += 1
                break
        i += 1
    return None


def pip_call(command: Command, layer: Layer, start: int) -> PipCall:
    pip_words = layer.argv[start:]
    line = parse_pip_argv([w.text for w in pip_words])
    return PipCall(command.words[layer.index], tuple(pip_words), line, layer.env, layer.scope)


def looks_like_pip(unresolved: Unresolved) -> bool:
    """``$PIP install x``, ``${PYTHON} -m pip install x``, ``$RUNNER pip install x``: worth a
    could-not-analyse note."""
    raw = unresolved.word.raw.lower()
    texts = [w.text for w in unresolved.argv]
    if "install" not in texts:
        return False
    before = texts[: texts.index("install")]
    named = any(is_pip_program(basename(t)) for t in before) or ("-m" in before and "pip" in before)
    return "pip" in raw or ("python" in raw and "pip" in texts) or texts[:1] == ["install"] or named
