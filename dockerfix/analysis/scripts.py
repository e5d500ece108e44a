"""Where a RUN's shell scripts are, and how it is written: the shell a stage runs RUN lines
with, which heredoc bodies are scripts, the exec form's own separator, a script piped into a
shell (``echo "..." | sh``)."""

from __future__ import annotations

import re

from dockerfix.parse.dockerfile import docker_words
from dockerfix.parse.instructions import Heredoc, Instruction
from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell_script import Command, Script, Word
from dockerfix.tools.process import basename
from dockerfix.tools.shells import POSIX_SHELLS, reads_script_from_stdin
from dockerfix.tools.wrappers import Unresolved, resolve

# What follows a command whose output a POSIX shell reads as its script: `| bash`, `| sudo sh -s`.
TO_SHELL = (
    r"\s*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?(?:ba|da|a|k|z|mk)?sh(?:\s+-[a-z]*s[a-z]*)?\s*(?:$|[;&|)\n])"
)
# A pip or uv install in the text of a RUN whose SHELL is not POSIX.
NON_POSIX_PIP = (
    r"(?i)(?<![\w.-])(?:(?:pip(?:-?[0-9][0-9.]*)?(?:\.exe)?|python[0-9.]*(?:\.exe)?\s+(?:-\w+\s+)*-m\s*pip)\s+install\b"
    r"|uv(?:\.exe)?\s+(?:pip\s+(?:install|sync)|sync|add|tool\s+(?:install|run))\b|uvx(?:\.exe)?\b)"
)
STATEMENT_END = re.compile(r"[;&|\n]")


def posix_shell(shell_argv: tuple[str, ...]) -> str:
    """The shell a SHELL runs RUN lines with: its program, or a POSIX shell it wraps
    (``SHELL ["conda", "run", "-n", "env", "/bin/bash", "-c"]``)."""
    names = [basename(a) for a in shell_argv]
    if not names:
        return "sh"
    if names[0] not in POSIX_SHELLS and shell_argv[-1] == "-c":
        wrapped = [n for n in names if n in POSIX_SHELLS]
        if wrapped:
            return wrapped[-1]
    return names[0]


def exec_separator(text: str, ins: Instruction) -> str:
    """Match the array's own style: ``, `` if its first comma is followed by a space."""
    elements = ins.exec_form or ()
    if len(elements) < 2:
        return ", "
    between = text[elements[0].end : elements[1].start]
    comma = between.find(",")
    return ", " if comma != -1 and between[comma + 1 : comma + 2] in (" ", "\t") else ","


def is_quoted(word: Word) -> bool:
    raw = word.raw
    return len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0]


def blank_heredoc_words(ins: Instruction) -> Mapped:
    """The RUN's command with each ``<<EOF`` word blanked, so tree-sitter does not look for
    bodies that BuildKit has already taken out of the line."""
    text = list(ins.line.text)
    for heredoc in ins.heredocs:
        for i in range(heredoc.logical_start, heredoc.logical_end):
            text[i] = " "
    line = Mapped("".join(text), ins.line.offsets)
    return line.slice(ins.args_index, len(line.text))


def heredoc_is_shell(ins: Instruction, heredoc: Heredoc, script: Script) -> bool:
    words = docker_words(ins.args.text)
    if len(words) == 1 and ins.heredocs and heredoc is ins.heredocs[0]:
        # BuildKit runs a lone ``RUN <<EOF`` body with the stage's shell, or with its
        # shebang's interpreter when it has one.
        body = heredoc.body.text
        if body.startswith("#!"):
            interpreter = body[2:].split("\n", 1)[0].split()
            if interpreter and basename(interpreter[0]) == "env":
                interpreter = interpreter[1:]
            return bool(interpreter) and basename(interpreter[0]) in POSIX_SHELLS
        return True
    command = _reader_of(heredoc.word_start, heredoc.word_end, script)
    if command is None:
        return False
    resolved = resolve(command)
    if resolved is None or isinstance(resolved, Unresolved):
        return False
    program, argv, _ = resolved
    return reads_script_from_stdin(program, argv)


def _reader_of(start: int, end: int, script: Script) -> Command | None:
    """The command a ``<<EOF`` word (now blanked) redirects: the one around it, or the
    one right before or after it."""
    for command in script.commands:
        if command.start <= start and end <= command.end:
            return command
    before = [c for c in script.commands if c.end <= start]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in script.commands if c.start >= end]
    return min(after, key=lambda c: c.start) if after else None
