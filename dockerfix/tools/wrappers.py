"""Wrappers: the programs a command runs, one layer per program.

A command is read as layers, looking through wrappers (``sudo``, ``env``, ``conda run``,
``uv run``, ``runuser -u``, ``find -exec`` ...) with the environment each gives the next
(``env -i`` and ``su -`` clear it, ``su USER`` moves HOME).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from dockerfix.parse.shell_script import Command, Word
from dockerfix.tools.process import Scope, assignment_name, basename, literal_at, value_part
from dockerfix.tools.su import su_options

# Options that take a separate value, per wrapper; other dash words are flags.
_WRAPPER_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "-c"}),
    "env": frozenset({"-u", "-C", "-S", "--unset", "--chdir", "--split-string"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "nohup": frozenset(),
    "time": frozenset({"-f", "-o", "--format", "--output"}),
    "command": frozenset(),
    "exec": frozenset({"-a"}),
    "xargs": frozenset({"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
}
# Wrappers whose first operand is not the command: timeout's duration, gosu's user.
_WRAPPER_OPERANDS = {"timeout": 1, "gosu": 1, "su-exec": 1}
_WRAPPERS = frozenset(_WRAPPER_VALUE_OPTIONS) | frozenset(_WRAPPER_OPERANDS)
# Wrappers that take ``NAME=value`` words before the command (they set the environment).
_ENV_WRAPPERS = frozenset({"env", "sudo"})


class Runner(NamedTuple):
    """``TOOL [options] run [options] COMMAND...``: a tool that runs a command in an
    environment it manages (conda, poetry...). Options are the ones that take a value."""

    global_values: frozenset[str]  # before ``run``
    run_values: frozenset[str]  # after ``run``, before the command
    env_option: frozenset[str] = frozenset()  # ``-e NAME=VALUE`` sets a variable
    clean_option: frozenset[str] = frozenset()  # starts from an empty environment


# conda (conda/cli/main_run.py: `executable_call` is argparse.REMAINDER, so every word after
# the first positional is the command's; -n/--name, -p/--prefix, --cwd take values;
# -v, --dev, --debug-wrapper-scripts, --no-capture-output/--live-stream are flags).
_CONDA_RUN = Runner(frozenset(), frozenset({"-n", "--name", "-p", "--prefix", "--cwd"}))
# micromamba run (docs/source/user_guide/micromamba.rst, `run`): -a/--attach, --cwd,
# -e/--env, --label, prefix options -r/--root-prefix, -p/--prefix, -n/--name; --clean-env,
# -d/--detach are flags. mamba 2 is the same program.
_MICROMAMBA_RUN = Runner(
    frozenset({"-r", "--root-prefix", "--rc-file", "--log-level"}),
    frozenset(
        {"-n", "--name", "-p", "--prefix", "-r", "--root-prefix", "-a", "--attach", "--cwd", "--label",
         "-e", "--env", "--rc-file", "--log-level"}
    ),
    env_option=frozenset({"-e", "--env"}),
    clean_option=frozenset({"--clean-env"}),
)
# poetry run: only the global options (-C/--directory, -P/--project take values).
_POETRY_OPTIONS = frozenset({"-C", "--directory", "-P", "--project"})
_POETRY_RUN = Runner(_POETRY_OPTIONS, _POETRY_OPTIONS)
# pipenv run [--python X] [--pypi-mirror X] [-v] ... COMMAND.
_PIPENV_RUN = Runner(frozenset({"--python", "--pypi-mirror"}), frozenset({"--python", "--pypi-mirror"}))
_RUNNERS = {
    "conda": _CONDA_RUN,
    "mamba": _MICROMAMBA_RUN,
    "micromamba": _MICROMAMBA_RUN,
    "poetry": _POETRY_RUN,
    "pipenv": _PIPENV_RUN,
}

class Unresolved(NamedTuple):
    """A command that may be pip but whose program we cannot know (``$PIP install``)."""

    word: Word
    argv: tuple[Word, ...]


class Layer:
    """One program of a command, after the wrappers before it: ``sudo``, ``pip`` in
    ``sudo pip install x``; ``uv``, ``pip`` in ``uv run pip install x``.

    A plain class, not a NamedTuple: its ``index`` field would hide ``tuple.index``."""

    __slots__ = ("program", "index", "argv", "env", "scope")

    def __init__(self, program: str, index: int, argv: tuple[Word, ...], env: dict[str, Word | None], scope: Scope) -> None:
        self.program = program  # basename
        self.index = index  # of the program word in the command's words
        self.argv = argv  # the words after it
        self.env = env  # set for this program: ``VAR=1 pip``, ``env VAR=1 pip``
        self.scope = scope

    def __repr__(self) -> str:
        return f"Layer({self.program!r}, {self.index!r}, {self.argv!r}, {self.env!r}, {self.scope!r})"


def layers(command: Command) -> Iterator[Layer | Unresolved]:
    """Each program of ``command``, looking through wrappers, outermost first; an
    ``Unresolved`` ends the walk where a program is known only at build time."""
    words = command.words
    env: dict[str, Word | None] = {a.name: a.value for a in command.assignments}
    scope = Scope()
    i = 0
    while i < len(words):
        word = words[i]
        name = basename(word.text)
        if (word.literal is None and ("$" in name or "`" in name)) or _is_cmd_variable(name):
            # ``$CONDA/bin/pip`` is still pip; ``$PIP`` (or cmd's ``%PYTHON%``) could be anything.
            yield Unresolved(word, tuple(words[i + 1 :]))
            return
        yield Layer(name, i, tuple(words[i + 1 :]), env, scope)
        if name == "command" and any(w.literal in ("-v", "-V") for w in words[i + 1 : i + 2]):
            return  # `command -v pip` looks pip up, it does not run it
        if name == "find":
            found = _find_exec(words, i + 1)
            if found is None:
                return
            i, end = found
            words = words[:end]  # the command ends at its `;` or `+`
            continue
        step = _wrapped(name, words, i + 1, dict(env), scope)
        if step is None:
            return
        i, env, scope = step


def _is_cmd_variable(name: str) -> bool:
    """``%PYTHON_CMD%``: a variable of Windows' cmd, which a Windows image's RUN expands."""
    return len(name) > 2 and name[0] == name[-1] == "%" and "%" not in name[1:-1]


def resolve(command: Command) -> tuple[str, tuple[Word, ...], dict[str, Word | None]] | Unresolved | None:
    """Look through wrappers: (program basename, argv after it, per-call env), or why not."""
    last = None
    for last in layers(command):
        pass
    if last is None or isinstance(last, Unresolved):
        return last
    return last.program, last.argv, last.env


_Step = tuple[int, dict[str, Word | None], Scope]


def _wrapped(name: str, words: Sequence[Word], i: int, env: dict[str, Word | None], scope: Scope) -> _Step | None:
    """Where the command a wrapper runs starts, with the environment it runs in; None
    when ``name`` is no wrapper, or not used as one here (``conda install``, ``su -c``)."""
    if name in _WRAPPERS:
        return _skip_wrapper(name, words, i, env, scope)
    if name in _RUNNERS:
        return _skip_runner(_RUNNERS[name], words, i, env, scope)
    if name == "runuser":
        su = su_options(words, i)
        if su is not None and su.command_at is not None:
            return su.command_at, su.environment(env), su.scope(scope)
        return None
    if name == "scl":  # scl enable COLLECTION... -- COMMAND ARGS
        texts = [w.literal for w in words[i:]]
        if texts[:1] == ["enable"] and "--" in texts:
            return i + texts.index("--") + 1, env, scope
        return None
    if name in ("uv", "uvx"):
        from dockerfix.tools import uv  # here, not at the top: uv's module reads calls through layers()

        start = uv.runner_command_start(tuple(words[i:]), uvx=name == "uvx")
        return None if start is None else (i + start, env, scope)
    return None


def _skip_wrapper(name: str, words: Sequence[Word], i: int, env: dict[str, Word | None], scope: Scope) -> _Step:
    value_options = _WRAPPER_VALUE_OPTIONS.get(name, frozenset())
    operands = _WRAPPER_OPERANDS.get(name, 0)
    sudo: list[str] | None = [] if name == "sudo" else None  # its option words, read at the first operand
    while i < len(words):
        text = words[i].literal
        if sudo is not None and not (text is not None and text.startswith("-") and len(text) > 1 and text != "--"):
            env, scope = _sudo_environment(sudo, words, env, scope)
            sudo = None
        if text == "--":
            return i + 1, env, scope
        if text == "-" and name == "env":  # `env -`: as -i
            env.clear()
            scope, i = scope._replace(clean=True, unset=frozenset()), i + 1
            continue
        if text is not None and text.startswith("-") and len(text) > 1:
            if name == "env":
                scope = _env_option(text, words, i, env, scope)
            if sudo is not None:
                sudo.append(text)
                if _takes_value(text, value_options) and i + 1 < len(words):
                    sudo.append(words[i + 1].text)
            i += 2 if _takes_value(text, value_options) else 1
            continue
        raw_text = words[i].text  # `env FOO=$BAR pip`: the value expands, the name does not
        assigned = assignment_name(raw_text) if name in _ENV_WRAPPERS else None
        if assigned is not None:
            env[assigned] = value_part(words[i], len(assigned) + 1)
            i += 1
            continue
        if operands:
            operands -= 1
            i += 1
            continue
        return i, env, scope
    return i, env, scope


def _sudo_environment(
    options: list[str], words: Sequence[Word], env: dict[str, Word | None], scope: Scope
) -> tuple[dict[str, Word | None], Scope]:
    """sudo runs its command in a new, minimal environment (sudoers' ``env_reset``, on by
    default; its ``env_keep`` lists no ``PIP_``/``UV_`` name): ENV, ARG and assignments before
    it do not reach the command, unless ``-E``/``--preserve-env`` (a ``--preserve-env=LIST``
    keeps LIST). ``-u USER`` runs it as USER, whose home is in the image."""
    preserve: frozenset[str] | None = None
    user = None
    i = 0
    while i < len(options):
        text = options[i]
        if text.startswith("--preserve-env"):
            names = text.partition("=")[2]
            preserve = frozenset(names.split(",")) - {""} if names else None
            if not names:
                return env, scope
        elif text.startswith("--user="):
            user = text.partition("=")[2]
        elif text == "--user" and i + 1 < len(options):
            user, i = options[i + 1], i + 1
        elif not text.startswith("--"):
            for pos, letter in enumerate(text[1:], 1):
                if letter == "E":
                    return env, scope if user is None else scope._replace(user=user)
                if "-" + letter in _WRAPPER_VALUE_OPTIONS["sudo"]:
                    value = text[pos + 1 :] or (options[i + 1] if i + 1 < len(options) else "")
                    if letter == "u":
                        user = value
                    if not text[pos + 1 :]:
                        i += 1
                    break
        i += 1
    keep = preserve or frozenset()
    scope = scope._replace(clean=True, keep=keep, unset=frozenset())
    if user is not None and user not in ("root", "0", "#0"):
        scope = scope._replace(user=user)
    return {k: v for k, v in env.items() if k in keep}, scope


def _takes_value(text: str, value_options: frozenset[str]) -> bool:
    """Whether the option word ``text`` takes the next word as its value: ``-u``, or a
    cluster of short flags ending with one that does (``sudo -Hu USER``)."""
    if text in value_options or text.startswith("--") or "=" in text:
        return False if text not in value_options else True
    for pos, letter in enumerate(text[1:], 1):
        if "-" + letter in value_options:
            return pos == len(text) - 1  # else the rest of the word is its value
    return False


def _find_exec(words: Sequence[Word], i: int) -> tuple[int, int] | None:
    """``find PATH... -exec COMMAND {} ;`` (or ``-execdir``, ``-ok``, ``-okdir``, ending
    with ``+``): where COMMAND starts and ends."""
    for start in range(i, len(words)):
        if words[start].literal in ("-exec", "-execdir", "-ok", "-okdir"):
            for end in range(start + 1, len(words)):
                if words[end].literal in (";", "+"):
                    return (start + 1, end) if end > start + 1 else None
            return None
    return None


def _skip_runner(runner: Runner, words: Sequence[Word], i: int, env: dict[str, Word | None], scope: Scope) -> _Step | None:
    """``conda run -n env pip ...``: where the command starts; None if this is not ``run``."""
    i = _skip_options(words, i, runner.global_values)
    if i >= len(words) or words[i].literal != "run":
        return None
    i += 1
    while i < len(words):
        text = words[i].literal
        if text == "--":
            return i + 1, env, scope
        if text is None or not text.startswith("-") or text == "-":
            return i, env, scope
        name, eq, value = text.partition("=")
        if name in runner.clean_option:
            env.clear()
            scope = scope._replace(clean=True, unset=frozenset())
        if name in runner.env_option:
            word = words[i] if eq else (words[i + 1] if i + 1 < len(words) else None)
            at = len(name) + 1 if eq else 0
            if word is not None:
                assigned = assignment_name(word.text[at:])
                if assigned is not None:
                    env[assigned] = value_part(word, at + len(assigned) + 1)
        i += 2 if name in runner.run_values and not eq else 1
    return i, env, scope


def _skip_options(words: Sequence[Word], i: int, values: frozenset[str]) -> int:
    """Past the dash words at ``i`` (and the values of those in ``values``)."""
    while i < len(words):
        text = words[i].literal
        if text is None or not text.startswith("-") or text in ("-", "--"):
            return i
        i += 2 if text in values else 1
    return i


def _env_option(text: str, words: Sequence[Word], i: int, env: dict[str, Word | None], scope: Scope) -> Scope:
    """GNU env: ``-i``/``--ignore-environment`` starts from an empty environment (the
    assignments before it are gone too), ``-u NAME``/``--unset=NAME`` removes NAME."""
    if text in ("--ignore-environment", "--ignore-environmen", "--ignore"):
        text = "-i"
    if text.startswith("--unset"):
        name = text.partition("=")[2] or literal_at(words, i + 1)
        return _unset(scope, env, name)
    if text.startswith("--"):
        return scope
    for pos, letter in enumerate(text[1:], 1):
        if letter == "i":
            env.clear()
            scope = scope._replace(clean=True, unset=frozenset())
        elif letter == "u":
            return _unset(scope, env, text[pos + 1 :] or literal_at(words, i + 1))
        elif letter in "CS":
            break  # the rest of the word (or the next one) is its value
    return scope


def _unset(scope: Scope, env: dict[str, Word | None], name: str | None) -> Scope:
    if not name:
        return scope
    env.pop(name, None)
    return scope._replace(unset=scope.unset | {name})
