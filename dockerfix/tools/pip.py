"""pip semantics on shell words: is this command pip, which words are its argv.

A command is read as layers, one per program, looking through wrappers (``sudo``, ``env``,
``conda run``, ``uv run``, ``runuser -u``, ``find -exec`` ...) with the environment each
gives the next (``env -i`` and ``su -`` clear it, ``su USER`` moves HOME). ``python -m pip``
is recognised with the interpreter's own options, and ``sh -c SCRIPT`` / ``su -c SCRIPT``
hand back their script so the caller can analyse it as shell.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from dockerfix.parse.shell import Command, Word
from dockerfix.tools.pip_options import ParsedArg, PipCommandLine, option_args, parse_pip_argv

POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})

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
# Interpreter options that take a value (``python -W ignore -m pip``).
_PYTHON_VALUE_OPTIONS = frozenset("WX")


# Program names and assignments are matched with str operations, not regexes: `import re`
# costs a fifth of a one-file run (it loads enum). tests/test_str_patterns.py checks them
# against the regexes they replace.


def is_pip_program(program: str) -> bool:
    """``pip``, ``pip3``, ``pip3.12``, and Debian's old ``pip-3.3`` / ``pip-2.7``."""
    if not program.startswith("pip"):
        return False
    suffix = program[3:]
    if suffix.startswith("-") and len(suffix) > 1:  # `pip-` alone is not a version
        suffix = suffix[1:]
    return _is_version_suffix(suffix)


def is_python_program(program: str) -> bool:
    """``python``, ``python3``, ``python3.12``."""
    return program.startswith("python") and _is_version_suffix(program[6:])


def _is_version_suffix(text: str) -> bool:
    """Empty, or dot-separated numbers (``3``, ``3.12``): any Unicode decimal digits, as
    re's ``\\d`` takes them."""
    return text == "" or all(part.isdecimal() for part in text.split("."))


def assignment_name(text: str) -> str | None:
    """The ``NAME`` of a ``NAME=value`` word (``NAME`` an ASCII shell name), else None."""
    name, equals, _ = text.partition("=")
    return name if equals and name.isascii() and name.isidentifier() else None


class Scope(NamedTuple):
    """What the wrappers before a call did to its process, beyond setting variables."""

    clean: bool = False  # the inherited environment (ENV, ARG, export) was cleared: `env -i`, `su -`
    user: str | None = None  # `su USER`, `runuser -u USER`: HOME is that user's home
    unset: frozenset[str] = frozenset()  # `env -u NAME`
    keep: frozenset[str] = frozenset()  # `su - -w NAME,...`: inherited names kept through a clean


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


class Unresolved(NamedTuple):
    """A command that may be pip but whose program we cannot know (``$PIP install``)."""

    word: Word
    argv: tuple[Word, ...]


def basename(word: str) -> str:
    return word.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Layer:
    """One program of a command, after the wrappers before it: ``sudo``, ``pip`` in
    ``sudo pip install x``; ``uv``, ``pip`` in ``uv run pip install x``."""

    program: str  # basename
    index: int  # of the program word in the command's words
    argv: tuple[Word, ...]  # the words after it
    env: dict[str, Word | None]  # set for this program: ``VAR=1 pip``, ``env VAR=1 pip``
    scope: Scope


class Script(NamedTuple):
    """The script a program runs as shell: ``sh -c SCRIPT``, ``su USER -c SCRIPT``."""

    word: Word
    env: dict[str, Word | None]  # set for the shell by the program (``su -w`` keeps only some)
    scope: Scope


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
        from dockerfix.tools import uv

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
            env[assigned] = _value_part(words[i], len(assigned) + 1)
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
                    env[assigned] = _value_part(word, at + len(assigned) + 1)
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


class SuCall(NamedTuple):
    """util-linux ``su`` / ``runuser`` (login-utils/su-common.c, ``su_main``): getopt_long
    with ``c:fg:G:lmpPs:u:hVw:``, options anywhere before ``--`` (GNU permutes them), then
    ``-`` (a login shell), the user (root by default), and the arguments of its shell."""

    user: str  # as written: `$APP_USER` when it is a variable
    command: Word | None  # -c / --command / --session-command
    login: bool  # -, -l, --login: the environment is cleared but TERM (and -w names)
    preserve: bool  # -m, -p, --preserve-environment: HOME is not reset
    keep: frozenset[str]  # -w NAME,...
    shell: str | None  # -s SHELL
    command_at: int | None  # runuser -u USER [--] COMMAND: where COMMAND starts

    def environment(self, env: dict[str, Word | None]) -> dict[str, Word | None]:
        return {k: v for k, v in env.items() if k in self.keep} if self.login else env

    def scope(self, scope: Scope) -> Scope:
        if self.login:
            scope = Scope(clean=True, keep=self.keep)
        if self.preserve and not self.login:
            return scope
        return scope._replace(user=self.user)


_SU_VALUES = {"c": "command", "g": "group", "G": "supp-group", "s": "shell", "u": "user", "w": "whitelist-environment"}
_SU_LONG = (
    "command", "session-command", "fast", "login", "preserve-environment", "pty", "shell", "group",
    "supp-group", "user", "whitelist-environment", "help", "version",
)
_SU_LONG_VALUES = frozenset({"command", "session-command", "shell", "group", "supp-group", "user", "whitelist-environment"})


def su_options(words: Sequence[Word], i: int) -> SuCall | None:
    """Read ``su``/``runuser``'s words from ``i``; None if an option is not literal or unknown."""
    values: dict[str, Word] = {}
    flags: set[str] = set()
    operands: list[int] = []
    while i < len(words):
        word = words[i]
        text = word.literal
        if text is None or not text.startswith("-") or text == "-":
            operands.append(i)
            if "user" in values:  # runuser -u U COMMAND: the rest is COMMAND's
                break
            i += 1
            continue
        if text == "--":
            operands.extend(range(i + 1, len(words)))
            break
        if text.startswith("--"):
            name, eq, _ = text[2:].partition("=")
            matches = [n for n in _SU_LONG if n.startswith(name)]
            full = name if name in _SU_LONG else (matches[0] if len(matches) == 1 else None)
            if full is None:
                return None
            if full in _SU_LONG_VALUES:
                if eq:
                    values[full] = _value_part(word, len(name) + 3)
                elif i + 1 < len(words):
                    values[full] = words[i + 1]
                    i += 1
            else:
                flags.add(full)
            i += 1
            continue
        for pos, letter in enumerate(text[1:], 1):
            if letter in _SU_VALUES:
                if pos + 1 < len(text):
                    values[_SU_VALUES[letter]] = _value_part(word, pos + 1)
                elif i + 1 < len(words):
                    values[_SU_VALUES[letter]] = words[i + 1]
                    i += 1
                break
            flags.add({"l": "login", "m": "preserve-environment", "p": "preserve-environment"}.get(letter, letter))
        i += 1
    login = "login" in flags
    runuser = values.get("user")
    command_at = None
    if runuser is not None:
        user = runuser.text  # `$APP_USER` stays as written: its home is unknown
        command_at = operands[0] if operands else None
    else:
        if operands and words[operands[0]].literal == "-":
            login, operands = True, operands[1:]
        user = words[operands[0]].text if operands else "root"
    command = values.get("command") or values.get("session-command")
    keep_word = values.get("whitelist-environment")
    keep = frozenset((keep_word.literal or "").split(",")) - {""} if keep_word is not None else frozenset()
    shell_word = values.get("shell")
    shell = None if shell_word is None else (shell_word.literal or "?")
    preserve = "preserve-environment" in flags
    return SuCall(user, command, login, preserve, keep, shell, command_at)


def _env_option(text: str, words: Sequence[Word], i: int, env: dict[str, Word | None], scope: Scope) -> Scope:
    """GNU env: ``-i``/``--ignore-environment`` starts from an empty environment (the
    assignments before it are gone too), ``-u NAME``/``--unset=NAME`` removes NAME."""
    if text in ("--ignore-environment", "--ignore-environmen", "--ignore"):
        text = "-i"
    if text.startswith("--unset"):
        name = text.partition("=")[2] or _lit(words, i + 1)
        return _unset(scope, env, name)
    if text.startswith("--"):
        return scope
    for pos, letter in enumerate(text[1:], 1):
        if letter == "i":
            env.clear()
            scope = scope._replace(clean=True, unset=frozenset())
        elif letter == "u":
            return _unset(scope, env, text[pos + 1 :] or _lit(words, i + 1))
        elif letter in "CS":
            break  # the rest of the word (or the next one) is its value
    return scope


def _unset(scope: Scope, env: dict[str, Word | None], name: str | None) -> Scope:
    if not name:
        return scope
    env.pop(name, None)
    return scope._replace(unset=scope.unset | {name})


def _value_part(word: Word, at: int) -> Word:
    """The ``value`` of a ``NAME=value`` (or ``--command=value``, ``-cvalue``) word, still
    mapped to the file; its raw text keeps its quotes when the part before it is written plainly."""
    value = word.value.slice(at, len(word.value))
    raw = word.raw[at:] if word.raw.startswith(word.text[:at]) else value.text
    return Word(raw, value.file_start(0), word.end, value, word.expands)


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
                name, nxt = (text[pos + 1 :], i + 1) if pos + 1 < len(text) else (_lit(argv, i + 1), i + 2)
                return nxt if name == module else None
            if flag in _PYTHON_VALUE_OPTIONS:
                if pos + 1 == len(text):
                    i += 1
                break
        i += 1
    return None


def _lit(words: Sequence[Word], i: int) -> str | None:
    return words[i].literal if i < len(words) else None


def find_pip_call(command: Command) -> PipCall | Unresolved | None:
    """The pip call ``command`` makes, through its wrappers (``sudo``, ``conda run``,
    ``uv run`` ...), or the program it runs that may be pip but is known only at build time."""
    for layer in layers(command):
        if isinstance(layer, Unresolved):
            return layer if _looks_like_pip(layer) else None
        start = pip_argv(layer.program, layer.argv)
        if start is not None:
            return _pip_call(command, layer, start[0])
    return None


def _pip_call(command: Command, layer: Layer, start: int) -> PipCall:
    pip_words = layer.argv[start:]
    line = parse_pip_argv([w.text for w in pip_words])
    return PipCall(command.words[layer.index], tuple(pip_words), line, layer.env, layer.scope)


def _looks_like_pip(unresolved: Unresolved) -> bool:
    """``$PIP install x``, ``${PYTHON} -m pip install x``, ``$RUNNER pip install x``: worth a
    could-not-analyse note."""
    raw = unresolved.word.raw.lower()
    texts = [w.text for w in unresolved.argv]
    if "install" not in texts:
        return False
    before = texts[: texts.index("install")]
    named = any(is_pip_program(basename(t)) for t in before) or ("-m" in before and "pip" in before)
    return "pip" in raw or ("python" in raw and "pip" in texts) or texts[:1] == ["install"] or named


def script_of(layer: Layer, words: Sequence[Word]) -> Script | None:
    """The shell script a program runs: ``sh -c SCRIPT``, ``su [-] [USER] -c SCRIPT``,
    ``runuser -l USER -c SCRIPT``, with the environment the script starts with."""
    word = shell_script(layer.program, layer.argv)
    if word is not None:
        return Script(word, layer.env, layer.scope)
    if layer.program == "scl":  # scl enable COLLECTION... 'COMMAND': run by bash
        texts = [w.literal for w in layer.argv]
        if len(texts) >= 3 and texts[0] == "enable" and "--" not in texts:
            return Script(layer.argv[-1], layer.env, layer.scope)
        return None
    if layer.program not in ("su", "runuser"):
        return None
    su = su_options(words, layer.index + 1)
    if su is None or su.command is None or su.command_at is not None:
        return None
    if su.shell is not None and basename(su.shell) not in POSIX_SHELLS:
        return None
    return Script(su.command, su.environment(layer.env), su.scope(layer.scope))


def shell_script(program: str, argv: Sequence[Word]) -> Word | None:
    """The SCRIPT word of ``sh -c SCRIPT`` (options may cluster: ``-ec``, ``-xc``)."""
    if program not in POSIX_SHELLS:
        return None
    has_c = False
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None:
            return argv[i] if has_c else None
        if text == "--":
            i += 1
            break
        if text.startswith("--"):
            i += 2 if text in ("--rcfile", "--init-file") else 1
            continue
        if text[:1] in "-+" and len(text) > 1:
            has_c = has_c or (text[0] == "-" and "c" in text[1:])
            i += 2 if text[1:] in ("o", "O") else 1
            continue
        break
    return argv[i] if has_c and i < len(argv) else None


def reads_script_from_stdin(program: str, argv: Sequence[Word]) -> bool:
    """``bash <<EOF`` / ``sh -s <<EOF``: a POSIX shell with no script operand and no -c;
    ``su USER <<EOF``: su with no -c runs USER's shell on its input."""
    if program in ("su", "runuser"):
        su = su_options(argv, 0)
        ok = su is not None and su.command is None and su.command_at is None
        return ok and (su.shell is None or basename(su.shell) in POSIX_SHELLS)  # type: ignore[union-attr]
    if program not in POSIX_SHELLS:
        return False
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None:
            return False
        if text == "--":
            return i + 1 >= len(argv)
        if text[:1] in "-+" and len(text) > 1:
            if text[0] == "-" and not text.startswith("--") and "c" in text[1:]:
                return False
            if "s" in text[1:] and not text.startswith("--"):
                return True  # -s: read commands from stdin, the rest are $1...
            i += 2 if text[1:] in ("o", "O") or text in ("--rcfile", "--init-file") else 1
            continue
        return False
    return True


# pip's strtobool: PIP_NO_CACHE_DIR disables the cache for any of these (see
# _handle_no_cache_dir in pip/_internal/cli/cmdoptions.py, true and false alike).
PIP_BOOLEANS = frozenset({"y", "yes", "t", "true", "on", "1", "n", "no", "f", "false", "off", "0"})


def is_pip_no_cache_dir_var(name: str) -> bool:
    """pip reads ``PIP_<NAME>`` with NAME lower-cased, ``_`` read as ``-`` and a leading
    ``--`` dropped (``Configuration.get_environ_vars``, ``_normalize_name``)."""
    return name.startswith("PIP_") and name[4:].lower().replace("_", "-").removeprefix("--") == "no-cache-dir"


# -- is pip's cache on for this call: pip's own precedence ------------------------------------
#
# pip 26.3, in the order it applies them (later wins):
# 1. the default, USER_CACHE_DIR;
# 2. config files, then PIP_* environment variables (ConfigOptionParser._update_defaults in
#    pip/_internal/cli/parser.py). An empty value is dropped. ``no-cache-dir`` is a callback
#    option evaluated late: once it appears in any config or env source, with any boolean
#    (``_handle_no_cache_dir`` in cli/cmdoptions.py), the default is off, whatever
#    ``cache-dir`` says there. With ``--isolated`` pip skips the environment and the user's
#    config file (``Configuration.load``; cli/main.py tests the exact word ``--isolated``);
# 3. the command line, left to right (optparse): ``--cache-dir DIR`` sets the cache to DIR,
#    ``--no-cache-dir`` turns it off, the last one wins. An empty DIR is off (pip only uses a
#    truthy cache_dir, base_command.py and cache.py).


class PipCache(NamedTuple):
    """Whether pip's cache is on for a call, and what decided it."""

    on: bool
    decided_by: ParsedArg | None  # the last cache option on the command line, if any
    overridden: str | None  # an off setting pip does not heed here: "env", "config"


def is_isolated(line: PipCommandLine) -> bool:
    """pip ignores the environment and the user's config when its argv (less the subcommand
    word) has the exact word ``--isolated`` (``create_command(..., isolated="--isolated" in
    cmd_args)``): an abbreviation sets the option but does not isolate the configuration."""
    return any(a.text == "--isolated" for a in line.args)


def last_cache_option(line: PipCommandLine) -> ParsedArg | None:
    """The last valid ``--cache-dir``/``--no-cache-dir`` on the command line (any spelling
    pip accepts): the one that decides, pip's options being read left to right."""
    found = option_args(line, "cache_dir")
    return found[-1] if found else None


def cache_dir_value(line: PipCommandLine, option: ParsedArg) -> ParsedArg | str | None:
    """The value of a ``--cache-dir`` entry: its value entry (``--cache-dir DIR``), the
    inline text (``--cache-dir=DIR``), or None for ``--no-cache-dir``."""
    if option.option is None or "--cache-dir" not in option.option.long:
        return None
    if option.inline_value is not None:
        return option.inline_value
    return next((a for a in line.args if a.kind == "value" and a.index == option.index + 1), None)


def pip_cache(line: PipCommandLine, env: Mapping[str, str | None], config_no_cache: bool) -> PipCache:
    """Is pip's cache on for this call? ``env``: what the process sees (None: set, value
    known only at build time, taken as meant); ``config_no_cache``: an earlier ``pip config
    set ...no-cache-dir`` (the user's config file, which ``--isolated`` skips)."""
    off_setting = "env" if _env_turns_cache_off(env) else "config" if config_no_cache else None
    option = last_cache_option(line)
    if option is None:
        if off_setting is not None and not is_isolated(line):
            return PipCache(False, None, None)
        return PipCache(True, None, off_setting)
    value = cache_dir_value(line, option)
    text = value.text if isinstance(value, ParsedArg) else value
    on = option.option is not None and "--cache-dir" in option.option.long and text != ""
    return PipCache(on, option, off_setting if on else None)


def _env_turns_cache_off(env: Mapping[str, str | None]) -> bool:
    for name in _no_cache_dir_vars(env):
        value = env[name]
        if value != "":  # pip drops an empty value
            # A value known only at build time is taken as meant: pip fails on a non-boolean.
            return value is None or value.lower() in PIP_BOOLEANS
    return False


def _no_cache_dir_vars(env: Mapping[str, str | None]) -> list[str]:
    """The names in ``env`` that pip reads as PIP_NO_CACHE_DIR, in ``env``'s order. A site's
    env is a ChainMap of its own assignments over the environment the stage's RUNs share
    (analysis.py): that one is searched once, not once per call."""
    if not isinstance(env, ChainMap):
        return [n for n in env if is_pip_no_cache_dir_var(n)]
    global _last_shared
    *over, shared = env.maps
    if _last_shared is None or _last_shared[0] is not shared:
        _last_shared = (shared, [n for n in shared if is_pip_no_cache_dir_var(n)])
    names = list(_last_shared[1])  # the shared names come first in a ChainMap's order
    for own in reversed(over):
        names += [n for n in own if is_pip_no_cache_dir_var(n) and n not in names]
    return names


# The last shared environment searched, and the names found in it (held: its id stays its own).
_last_shared: tuple[Mapping[str, str | None], list[str]] | None = None
