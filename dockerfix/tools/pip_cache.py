"""Is pip's cache on for a call: pip's own precedence of its defaults, config files,
environment and command line."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import NamedTuple

from dockerfix.tools.pip_command_line import ParsedArg, PipCommandLine, option_args

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


def explicit_cache_dir(line: PipCommandLine) -> str | None:
    """The ``--cache-dir`` value pip uses: that of the last cache option, if it is one."""
    option = last_cache_option(line)
    value = None if option is None else cache_dir_value(line, option)
    text = value.text if isinstance(value, ParsedArg) else value
    return text or None


def pip_cache(
    line: PipCommandLine, env: Mapping[str, str | None], config_no_cache: bool, names: NoCacheDirNames | None = None
) -> PipCache:
    """Is pip's cache on for this call? ``env``: what the process sees (None: set, value
    known only at build time, taken as meant); ``config_no_cache``: an earlier ``pip config
    set ...no-cache-dir`` (the user's config file, which ``--isolated`` skips); ``names``:
    see ``env_turns_cache_off``."""
    off_setting = "env" if env_turns_cache_off(env, names) else "config" if config_no_cache else None
    option = last_cache_option(line)
    if option is None:
        if off_setting is not None and not is_isolated(line):
            return PipCache(False, None, None)
        return PipCache(True, None, off_setting)
    value = cache_dir_value(line, option)
    text = value.text if isinstance(value, ParsedArg) else value
    on = option.option is not None and "--cache-dir" in option.option.long and text != ""
    return PipCache(on, option, off_setting if on else None)


def env_turns_cache_off(env: Mapping[str, str | None], names: NoCacheDirNames | None = None) -> bool:
    """Does a ``PIP_NO_CACHE_DIR`` spelling in ``env`` turn the cache off? ``names``: a finder
    the caller keeps across the calls of one analysis (else each call searches all of ``env``)."""
    for name in (names or NoCacheDirNames())(env):
        value = env[name]
        if value != "":  # pip drops an empty value
            # A value known only at build time is taken as meant: pip fails on a non-boolean.
            return value is None or value.lower() in PIP_BOOLEANS
    return False


class NoCacheDirNames:
    """Finds the names in a call's environment that pip reads as PIP_NO_CACHE_DIR, in the
    environment's order. A site's env is a ChainMap of its own assignments over the
    environment the stage's RUNs share (the analysis): one finder, kept by a rule across the
    sites of one analysis, searches that shared environment once, not once per call."""

    def __init__(self) -> None:
        # The last shared environment searched, and the names found in it (held, so that
        # ``is`` compares it with a live object).
        self._shared: tuple[Mapping[str, str | None], list[str]] | None = None

    def __call__(self, env: Mapping[str, str | None]) -> list[str]:
        if not isinstance(env, ChainMap):
            return [n for n in env if is_pip_no_cache_dir_var(n)]
        *over, shared = env.maps
        if self._shared is None or self._shared[0] is not shared:
            self._shared = (shared, [n for n in shared if is_pip_no_cache_dir_var(n)])
        names = list(self._shared[1])  # the shared names come first in a ChainMap's order
        for own in reversed(over):
            names += [n for n in own if is_pip_no_cache_dir_var(n) and n not in names]
        return names
