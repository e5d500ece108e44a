"""uv semantics on shell words: is this command uv, which command does it run, is its cache off.

Taken from uv's own sources (``crates/uv-cli/src/lib.rs``, ``crates/uv-cache/src/cli.rs``)
and its CLI reference (``docs/reference/cli.md``):

* ``uv [OPTIONS] <COMMAND> [<SUBCOMMAND>] [ARGS]``; ``uvx`` is ``uv tool run``.
* ``--no-cache`` (alias ``--no-cache-dir``, short ``-n``) and ``--cache-dir DIR`` are clap
  ``global = true`` options: accepted before or after the (sub)command, never after the
  command ``uv run`` / ``uv tool run`` / ``uvx`` execute (those words belong to it), nor
  after ``--``. clap does not accept abbreviations (uv does not set ``infer_long_args``),
  short flags cluster (``-qn``), and a flag given a value (``--no-cache=1``) is an error.
* ``UV_NO_CACHE`` is read by clap's ``BoolishValueParser``: only ``y yes t true on 1`` (any
  case) turn the cache off; ``n no f false off 0`` leave it on; anything else is an error.
  Unlike ``PIP_NO_CACHE_DIR``, ``UV_NO_CACHE=0`` does *not* disable the cache.
* Precedence, unlike pip's: uv's ``no_cache`` (``--no-cache`` or ``UV_NO_CACHE``, or-ed with
  ``no-cache`` from uv.toml in ``CacheSettings::resolve``, crates/uv/src/settings.rs) is
  tested before the cache directory in ``Cache::from_settings`` (crates/uv-cache/src/cli.rs):
  it turns the cache off whatever ``--cache-dir`` / ``UV_CACHE_DIR`` say, before or after it
  on the command line. So the flag may go anywhere among uv's options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell_script import Command, Word
from dockerfix.tools.pip import python_module_argv
from dockerfix.tools.process import Scope, basename
from dockerfix.tools.wrappers import Layer

UV_PROGRAMS = frozenset({"uv", "uvx"})
NO_CACHE_FLAGS = frozenset({"--no-cache", "--no-cache-dir"})
# clap's TRUE_LITERALS (clap_builder/src/util/str_to_bool.rs), compared lower-cased.
UV_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})

# Commands whose first positional names a subcommand.
_NAMESPACES = frozenset({"pip", "tool", "python", "cache", "self", "auth", "workspace"})
# Commands that execute the first positional word: what follows it is that command's argv.
_RUNNERS = frozenset({("run",), ("tool", "run"), ("tool", "uvx")})
# Long options that take a value (the union over uv's commands; from cli.md, `<i>value</i>`).
_VALUE_OPTIONS = frozenset(
    {
        "--allow-insecure-host", "--trusted-host", "--cache-dir", "--color", "--config-file",
        "--directory", "--project", "--python-preference", "--python-fetch", "--preview-features",
        "--preview-feature", "--python", "--index", "--default-index", "--index-url",
        "--extra-index-url", "--find-links", "--index-strategy", "--keyring-provider",
        "--resolution", "--prerelease", "--fork-strategy", "--exclude-newer",
        "--exclude-newer-package", "--link-mode", "--config-setting", "--config-settings",
        "--config-settings-package", "--no-build-isolation-package", "--no-build-package",
        "--no-binary-package", "--refresh-package", "--reinstall-package", "--upgrade-package",
        "--extra", "--no-extra", "--group", "--no-group", "--only-group", "--package", "--with",
        "--with-editable", "--with-requirements", "--env-file", "--from", "--constraints",
        "--constraint", "--overrides", "--override", "--build-constraints", "--build-constraint",
        "--requirements", "--requirement", "--editable", "--target", "--prefix", "--python-version",
        "--python-platform", "--torch-backend", "--output-file", "--excludes", "--exclude",
        "--script", "--no-install-package", "--only-install-package",
    }
)
# `uv run --script`/`-s`, `--module`/`-m` and `--gui-script` are flags (`uv sync --script P` is not).
_RUN_FLAGS = frozenset({"--script", "--gui-script", "--module"})
_SHORT_VALUE = frozenset("pifCPcbreotw")
_RUN_SHORT_FLAGS = frozenset("sm")
# Options under which `uv run` installs packages into an environment kept *in* the cache.
_RUN_WITH = frozenset({"--with", "--with-editable", "--with-requirements"})


class UvCall(NamedTuple):
    """One uv (or uvx) invocation found in a shell command."""

    program: Word  # ``uv``, ``uvx`` (or ``python3`` in ``python3 -m uv``)
    argv: tuple[Word, ...]  # the words after the program
    command: tuple[str, ...]  # ("pip", "install"), ("sync",); uvx: ("tool", "run")
    command_words: tuple[Word, ...]  # the words that name it (none for uvx)
    env: dict[str, Word | None]  # set for this call only: ``UV_NO_CACHE=1 uv ...``
    no_cache: bool  # --no-cache / --no-cache-dir / -n among uv's own options
    no_cache_with_value: bool  # --no-cache=... (clap rejects a value on a flag)
    cache_dir: str | None  # --cache-dir DIR, when literal
    options: frozenset[str]  # long options given (``--no-sync``, ``--with`` ...)
    positionals: tuple[Word, ...]  # words after the command, up to the end of uv's options
    scope: Scope = Scope()  # what its wrappers did to its environment: ``env -i``, ``su -``

    @property
    def name(self) -> str:
        """How the call reads: ``uv pip install``, ``uvx``."""
        if not self.command_words:
            return basename(self.program.text)
        return "uv " + " ".join(self.command)

    @property
    def writes_cache(self) -> bool:
        """Does this command download or build packages into uv's cache?

        Installing commands do. Resolving only (``lock``, ``pip compile``, ``export``,
        ``tree``) fetches metadata; ``build`` fetches only build backends; ``venv`` and
        ``python install`` keep what they fetch elsewhere; a plain ``uv run`` only runs a
        command in the environment an earlier ``uv sync`` made, unless ``--with`` asks for
        packages (installed in an environment inside the cache)."""
        command = self.command
        if command in (("pip", "install"), ("pip", "sync"), ("sync",), ("tool", "install")):
            return True
        if command in (("tool", "run"), ("tool", "uvx")):
            return True
        if command == ("add",):
            return "--no-sync" not in self.options
        if command == ("run",):
            return bool(self.options & _RUN_WITH)
        return False

    @property
    def cleans_cache(self) -> bool:
        """``uv cache clean`` with no package names empties the whole cache."""
        return self.command == ("cache", "clean") and not self.positionals


def call_in(command: Command, layer: Layer) -> UvCall | None:
    """The uv call at this layer of ``command``, if its program is uv (or ``python -m uv``)."""
    program, argv = layer.program, layer.argv
    if program in UV_PROGRAMS:
        start = 0
    else:
        module = python_module_argv(program, argv, "uv")
        if module is None:
            return None
        start = module
    call = _parse(command.words[layer.index], tuple(argv[start:]), layer.env, uvx=program == "uvx")
    return call._replace(scope=layer.scope) if layer.scope != Scope() else call


def runner_command_start(argv: tuple[Word, ...], uvx: bool) -> int | None:
    """``uv run [OPTIONS] COMMAND``, ``uv tool run``, ``uvx``: where in ``argv`` (the words
    after ``uv``) the command it runs starts; None for other commands, or none given."""
    program = Word("uvx" if uvx else "uv", 0, 0, Mapped("", [0]), False)
    call = _parse(program, argv, {}, uvx=uvx)
    if call.command not in _RUNNERS:
        return None
    if call.positionals:
        first = call.positionals[0]
        return next(i for i, w in enumerate(argv) if w is first)
    dashes = next((i for i, w in enumerate(argv) if w.literal == "--"), None)
    return None if dashes is None or dashes + 1 >= len(argv) else dashes + 1


def _parse(program: Word, argv: tuple[Word, ...], env: dict[str, Word | None], uvx: bool) -> UvCall:
    command: list[str] = ["tool", "run"] if uvx else []
    command_words: list[Word] = []
    positionals: list[Word] = []
    options: set[str] = set()
    no_cache = with_value = False
    cache_dir: str | None = None
    i = 0
    while i < len(argv):
        word = argv[i]
        text = word.literal
        if text is None:
            if _needs_subcommand(command):
                break  # `uv $CMD ...`: we cannot know what runs
            positionals.append(word)
            if tuple(command) in _RUNNERS:
                break
            i += 1
            continue
        if text == "--":
            break
        if text.startswith("--"):
            name, eq, value = text.partition("=")
            options.add(name)
            if name in NO_CACHE_FLAGS:
                no_cache, with_value = (no_cache or not eq), with_value or bool(eq)
            takes = name in _VALUE_OPTIONS and not (tuple(command) in _RUNNERS and name in _RUN_FLAGS)
            if takes and not eq:
                value = (argv[i + 1].literal if i + 1 < len(argv) else None) or ""
                i += 1
            if name == "--cache-dir" and value:
                cache_dir = value
            i += 1
            continue
        if text.startswith("-") and len(text) > 1:
            hit, consumes = _short_cluster(text[1:], tuple(command) in _RUNNERS)
            no_cache = no_cache or hit
            i += 2 if consumes else 1
            continue
        if _needs_subcommand(command):
            command.append(text)
            command_words.append(word)
            i += 1
            continue
        positionals.append(word)
        if tuple(command) in _RUNNERS:
            break
        i += 1
    return UvCall(
        program, argv, tuple(command), tuple(command_words), env, no_cache, with_value, cache_dir,
        frozenset(options), tuple(positionals),
    )


def _needs_subcommand(command: list[str]) -> bool:
    return not command or (len(command) == 1 and command[0] in _NAMESPACES)


def _short_cluster(letters: str, runner: bool) -> tuple[bool, bool]:
    """(``n`` is among the flags, the next word is a value) for ``-qn`` style clusters."""
    for pos, letter in enumerate(letters):
        if letter == "n":
            return True, False
        if letter in _SHORT_VALUE and not (runner and letter in _RUN_SHORT_FLAGS):
            return False, pos == len(letters) - 1
    return False, False


def turns_cache_off(value: str | None) -> bool:
    """``UV_NO_CACHE``'s value: a value known only at build time is taken as meant."""
    return value is None or value.lower() in UV_TRUE


def env_turns_cache_off(env: Mapping[str, str | None]) -> bool:
    """``UV_NO_CACHE`` in the environment the call sees turns uv's cache off."""
    return "UV_NO_CACHE" in env and turns_cache_off(env["UV_NO_CACHE"])


def cache_off(call: UvCall, env: Mapping[str, str | None]) -> bool:
    """uv's cache is off for this call: ``--no-cache`` (or an alias) or ``UV_NO_CACHE``."""
    return call.no_cache or env_turns_cache_off(env)
