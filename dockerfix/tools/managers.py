"""Poetry, PDM and conda-style package managers on shell words: which tool a command runs,
which subcommand, and which options it was given.

The three tools share one command-line shape, ``TOOL [GLOBAL OPTIONS] COMMAND [SUBCOMMAND]
[OPTIONS] [ARGS]`` (cleo for Poetry, argparse for PDM and conda, CLI11 for micromamba); what
each command means for its cache is in the tool's own module (``tools/poetry.py``,
``tools/pdm.py``, ``tools/conda.py``), from its sources.
"""

from __future__ import annotations

from typing import NamedTuple

from dockerfix.parse.shell_script import Command, Word
from dockerfix.tools.pip import python_module_argv
from dockerfix.tools.process import Scope, basename
from dockerfix.tools.wrappers import Layer


class Spec(NamedTuple):
    """What dockerfix reads of one tool's command line."""

    tool: str  # "poetry", "pdm", "conda"
    programs: frozenset[str]  # program basenames
    modules: frozenset[str]  # ``python -m MODULE``
    value_options: frozenset[str]  # options that take the next word as their value
    namespaces: frozenset[str]  # commands whose next positional names a subcommand (``conda env``)


class ManagerCall(NamedTuple):
    """One call of a package manager found in a shell command."""

    spec: Spec
    program: Word  # ``poetry``, or ``python3`` in ``python3 -m poetry``
    name_word: Word  # the word that names the tool: ``poetry`` (the module word after ``-m``)
    argv: tuple[Word, ...]  # the words after ``name_word``
    command: tuple[str, ...]  # ("install",), ("env", "create")
    command_words: tuple[Word, ...]  # the words that name it
    options: tuple[Word, ...]  # literal option words before ``--``, as written (``-afy``)
    global_options: tuple[Word, ...]  # those before the command
    positionals: tuple[Word, ...]  # words after the command that are no option or option value
    env: dict[str, Word | None]  # set for this call only: ``PDM_NO_CACHE=1 pdm ...``
    scope: Scope = Scope()

    @property
    def tool_name(self) -> str:
        return basename(self.name_word.text)

    @property
    def name(self) -> str:
        """How the call reads: ``poetry install``, ``conda env create``."""
        return " ".join((self.tool_name, *self.command))

    def has(self, *names: str) -> bool:
        """A long option among ``names`` (``--all``, also as ``--all=...``), or a short one
        (``-a``, also in a cluster such as ``-afy``)."""
        for word in self.options:
            text = word.text
            if text.startswith("--"):
                if text.partition("=")[0] in names:
                    return True
            elif any(f"-{c}" in names for c in text[1:]):
                return True
        return False


def call_in(command: Command, layer: Layer, specs: tuple[Spec, ...]) -> ManagerCall | None:
    """The call of one of ``specs`` at this layer of ``command`` (``poetry``, ``python -m
    poetry``), or None."""
    program, argv = layer.program, layer.argv
    for spec in specs:
        if program in spec.programs:
            name_word, start = command.words[layer.index], 0
        else:
            module = next((m for m in spec.modules if python_module_argv(program, argv, m) is not None), None)
            if module is None:
                continue
            start = python_module_argv(program, argv, module) or 0
            name_word = argv[start - 1]
        return _parse(spec, command.words[layer.index], name_word, tuple(argv[start:]), layer.env, layer.scope)
    return None


def _parse(
    spec: Spec, program: Word, name_word: Word, argv: tuple[Word, ...], env: dict[str, Word | None], scope: Scope
) -> ManagerCall:
    command: list[str] = []
    command_words: list[Word] = []
    options: list[Word] = []
    global_options: list[Word] = []
    positionals: list[Word] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        text = word.literal
        if text == "--":
            break
        if text is None:
            if not command:
                break  # ``poetry $CMD``: the command is known only at build time
            positionals.append(word)
        elif text.startswith("-") and text != "-":
            options.append(word)
            if not command:
                global_options.append(word)
            if text in spec.value_options:
                i += 1  # its value
        elif not command or (len(command) == 1 and command[0] in spec.namespaces and not positionals):
            command.append(text)
            command_words.append(word)
        else:
            positionals.append(word)
        i += 1
    return ManagerCall(
        spec, program, name_word, argv, tuple(command), tuple(command_words), tuple(options),
        tuple(global_options), tuple(positionals), env, scope,
    )
