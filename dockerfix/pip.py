"""pip semantics on shell words: is this command pip, which words are its argv.

Wrappers (``sudo``, ``env``, ``xargs`` ...) are looked through, ``python -m pip`` is
recognised with the interpreter's own options, and ``sh -c SCRIPT`` hands back its script
so the caller can analyse it as shell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dockerfix.pip_options import ParsedArg, PipCommandLine, option_args, parse_pip_argv
from dockerfix.record import record
from dockerfix.shell import Command, Word

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
# Interpreter options that take a value (``python -W ignore -m pip``).
_PYTHON_VALUE_OPTIONS = frozenset("WX")


# Program names and assignments are matched with str operations, not regexes: `import re`
# costs a fifth of a one-file run (it loads enum). tests/test_str_patterns.py checks them
# against the regexes they replace.


def is_pip_program(program: str) -> bool:
    """``pip``, ``pip3``, ``pip3.12``."""
    return program.startswith("pip") and _is_version_suffix(program[3:])


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


@record
class PipCall:
    """One pip invocation found in a shell command."""

    program: Word  # ``pip3``, or ``python3`` in ``python3 -m pip``
    argv: tuple[Word, ...]  # the words after ``pip``
    line: PipCommandLine
    env: dict[str, Word | None]  # set for this call only: ``VAR=1 pip``, ``env VAR=1 pip``

    @property
    def subcommand(self) -> str | None:
        return self.line.subcommand

    @property
    def subcommand_word(self) -> Word | None:
        i = self.line.subcommand_index
        return None if i is None else self.argv[i]


@record
class Unresolved:
    """A command that may be pip but whose program we cannot know (``$PIP install``)."""

    word: Word
    argv: tuple[Word, ...]


def basename(word: str) -> str:
    return word.rstrip("/").rsplit("/", 1)[-1]


def resolve(command: Command) -> tuple[str, tuple[Word, ...], dict[str, Word | None]] | Unresolved | None:
    """Look through wrappers: (program basename, argv after it, per-call env), or why not."""
    env: dict[str, Word | None] = {a.name: a.value for a in command.assignments}
    return _resolve(command.words, env)


def _resolve(
    words: Sequence[Word], env: dict[str, Word | None]
) -> tuple[str, tuple[Word, ...], dict[str, Word | None]] | Unresolved | None:
    i = 0
    while i < len(words):
        word = words[i]
        name = basename(word.text)
        if word.literal is None and ("$" in name or "`" in name):
            # ``$CONDA/bin/pip`` is still pip; ``$PIP`` could be anything.
            return Unresolved(word, tuple(words[i + 1 :]))
        if name not in _WRAPPERS:
            return name, tuple(words[i + 1 :]), env
        if name == "command" and any(w.literal in ("-v", "-V") for w in words[i + 1 : i + 2]):
            return None  # `command -v pip` looks pip up, it does not run it
        i = _skip_wrapper(name, words, i + 1, env)
    return None


def _skip_wrapper(name: str, words: Sequence[Word], i: int, env: dict[str, Word | None]) -> int:
    value_options = _WRAPPER_VALUE_OPTIONS.get(name, frozenset())
    operands = _WRAPPER_OPERANDS.get(name, 0)
    while i < len(words):
        text = words[i].literal or ""
        if text == "--":
            return i + 1
        if text.startswith("-") and len(text) > 1:
            i += 2 if text in value_options else 1
            continue
        assigned = assignment_name(text) if name in _ENV_WRAPPERS else None
        if assigned is not None:
            env[assigned] = _value_part(words[i], len(assigned) + 1)
            i += 1
            continue
        if operands:
            operands -= 1
            i += 1
            continue
        return i
    return i


def _value_part(word: Word, at: int) -> Word:
    """The ``value`` of a ``NAME=value`` word, still mapped to the file."""
    value = word.value.slice(at, len(word.value))
    return Word(value.text, value.file_start(0), word.end, value, word.expands)


def pip_argv(program: str, argv: Sequence[Word]) -> tuple[int, ...] | None:
    """Index in ``argv`` where pip's own argv starts, or None if this is not pip."""
    if is_pip_program(program):
        return (0,)
    start = python_module_argv(program, argv, "pip")
    return None if start is None else (start,)


def python_module_argv(program: str, argv: Sequence[Word], module: str) -> int | None:
    """Index in ``argv`` where ``python -m MODULE``'s own argv starts, or None."""
    if not is_python_program(program):
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
    resolved = resolve(command)
    if resolved is None:
        return None
    if isinstance(resolved, Unresolved):
        return resolved if _looks_like_pip(resolved) else None
    program, argv, env = resolved
    start = pip_argv(program, argv)
    if start is None:
        return None
    program_word = command.words[len(command.words) - len(argv) - 1]
    pip_words = argv[start[0] :]
    line = parse_pip_argv([w.text for w in pip_words])
    return PipCall(program_word, tuple(pip_words), line, env)


def _looks_like_pip(unresolved: Unresolved) -> bool:
    """``$PIP install x``, ``${PYTHON} -m pip install x``: worth a could-not-analyse note."""
    raw = unresolved.word.raw.lower()
    texts = [w.text for w in unresolved.argv]
    if "install" not in texts:
        return False
    return "pip" in raw or ("python" in raw and "pip" in texts) or texts[:1] == ["install"]


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
    """``bash <<EOF`` / ``sh -s <<EOF``: a POSIX shell with no script operand and no -c."""
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


@record
class PipCache:
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
    for name, value in env.items():
        if is_pip_no_cache_dir_var(name) and value != "":  # pip drops an empty value
            # A value known only at build time is taken as meant: pip fails on a non-boolean.
            return value is None or value.lower() in PIP_BOOLEANS
    return False
