"""One configuration file (``.dockerfix.toml``, or ``[tool.dockerfix]`` in ``pyproject.toml``):
read, every key validated, and the path globs it holds.

An unknown key or a value of the wrong type is an error naming the key and the file.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from dockerfix.cli.discovery import DEFAULT_EXCLUDES, normalize_pattern
from dockerfix.fix.reading import DEFAULT_MAX_FILE_SIZE, parse_size, read_regular
from dockerfix.rules.selection import UnknownCode, normalize

_Validator = Callable[..., Any]  # the code keys' validators also take the notes list

CONFIG_NAMES = (".dockerfix.toml", "pyproject.toml")  # in one directory, the first wins
FIX_STRATEGIES = ("flag", "cache-mount")
PIN_STYLES = ("inline", "renovate")
AUTO = "auto"  # pin-from = "auto": the closest lock file (dockerfix.fix.lockfind)


class ConfigError(Exception):
    """A configuration file that cannot be used; ``str()`` names the file."""


class Config(NamedTuple):
    """One configuration file's values; None (or empty) where the file says nothing."""

    directory: str  # absolute; relative paths in the file are relative to it
    path: str | None = None  # the file; None: no file, built-in defaults
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes), in file order
    exclude: tuple[str, ...] | None = None  # None: DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    unsafe_fixes: bool | None = None
    output_format: str | None = None
    pin_from: tuple[str, ...] = ()  # absolute paths, or ("auto",)
    pin_style: str | None = None
    fix_strategy: str | None = None
    add_syntax_directive: bool | None = None
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None
    notes: tuple[str, ...] = ()  # what the file's values were read as (a hadolint code's rule)
    max_file_size: int | None = None

    @property
    def excludes(self) -> tuple[str, ...]:
        base = DEFAULT_EXCLUDES if self.exclude is None else self.exclude
        return base + self.extend_exclude

    def excluded(self, directory: str, name: str) -> str | None:
        """Why ``directory/name`` (absolute) is excluded by this configuration, or None."""
        pattern = _exclude_globs(self.excludes, self.directory).match(directory, name)
        if pattern is None:
            return None
        if self.exclude is None and pattern in DEFAULT_EXCLUDES:
            return f"default exclude {pattern!r}"
        key = "extend-exclude" if pattern in self.extend_exclude else "exclude"
        return f"{key} {pattern!r} in {shown_path(self.path or '')}"

    def per_file_codes(self, path: str) -> tuple[str, ...]:
        """The codes ``per-file-ignores`` turns off for the absolute ``path``."""
        directory, name = os.path.split(path)
        codes: list[str] = []
        for globs, negated, pattern_codes in _per_file_globs(self.per_file_ignores, self.directory):
            if (globs.match(directory, name) is not None) != negated:
                codes.extend(c for c in pattern_codes if c not in codes)
        return tuple(codes)


# A configuration's globs compiled once (a Config is an immutable value, keyed by its fields).
@cache
def _exclude_globs(excludes: tuple[str, ...], directory: str) -> _Globs:
    return _Globs(excludes, directory)


@cache
def _per_file_globs(
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...], directory: str
) -> list[tuple[_Globs, bool, tuple[str, ...]]]:
    found = []
    for pattern, codes in per_file_ignores:
        negated = pattern.startswith("!")
        found.append((_Globs((pattern[1:] if negated else pattern,), directory), negated, codes))
    return found


def load(path: str, *, explicit: bool = False, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Config | None:
    """The configuration in ``path``; None for a ``pyproject.toml`` without our table.

    A file named anything but ``pyproject.toml`` holds the keys at its top level. A file
    that is not a regular file, or is larger than ``max_size``, is refused unread.
    Raises ``ConfigError``.
    """
    shown = shown_path(path)
    try:
        raw, _ = read_regular(path, max_size)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read configuration: {exc.strerror or exc}") from None
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    if is_pyproject and not explicit and not may_hold_our_table(raw):
        return None
    import tomllib  # only when a configuration file is read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables by recursion
        raise ConfigError(f"{shown}: invalid TOML: arrays or inline tables nested too deeply") from None
    where = ""
    if is_pyproject:
        tool = data.get("tool")
        table = tool.get("dockerfix") if isinstance(tool, dict) else None
        if table is None:
            if explicit:
                raise ConfigError(f"{shown}: no [tool.dockerfix] table")
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{shown}: [tool.dockerfix] must be a table")
        data, where = table, " in [tool.dockerfix]"
    return _parse(data, os.path.abspath(path), shown, where)


def may_hold_our_table(pyproject: bytes) -> bool:
    """False when ``pyproject`` cannot configure dockerfix, because it never names it: most
    pyproject.toml files, which then cost a byte search instead of a TOML parse."""
    return b"dockerfix" in pyproject


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadValue("a list of strings")
    return tuple(value)


def _codes(value: Any, notes: list[str] | None = None) -> tuple[str, ...]:
    """Rule codes or prefixes, checked against the rules (``selection.normalize``)."""
    try:
        return normalize(_strings(value), notes)
    except UnknownCode as exc:
        raise _BadCode(str(exc)) from None


def _select(value: Any, notes: list[str] | None = None) -> tuple[str, ...] | None:
    codes = _codes(value, notes)
    return None if "ALL" in codes else codes


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _BadValue("true or false")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _BadValue("a string")
    return value


def _pin_from(value: Any) -> tuple[str, ...]:
    if value == AUTO:
        return (AUTO,)
    try:
        return _strings(value)
    except _BadValue:
        raise _BadValue(f'a list of lock files, or "{AUTO}"') from None


def _pin_style(value: Any) -> str:
    if _string(value) not in PIN_STYLES:
        raise _BadValue(" or ".join(repr(s) for s in PIN_STYLES))
    return str(value)


def _fix_strategy(value: Any) -> str:
    if _string(value) not in FIX_STRATEGIES:
        raise _BadValue(" or ".join(repr(s) for s in FIX_STRATEGIES))
    return str(value)


def _per_file_ignores(value: Any, notes: list[str] | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise _BadValue('a table of glob = ["CODE", ...]')
    found = []
    for pattern, codes in value.items():
        try:
            found.append((pattern, _codes(codes, notes)))
        except _BadCode as exc:
            raise _BadCode(f"{pattern!r}: {exc.message}") from None
        except _BadValue:
            raise _BadValue(f'a table of glob = ["CODE", ...] (see {pattern!r})') from None
    return tuple(found)


def _size(value: Any) -> int:
    expected = 'a size in bytes, or a string such as "10M"'
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _BadValue(expected)
    if isinstance(value, int):
        if value < 1:
            raise _BadValue(expected)
        return value
    try:
        return parse_size(value)
    except ValueError:
        raise _BadValue(expected) from None


_KEYS: dict[str, _Validator] = {
    "select": _select,
    "extend-select": _codes,
    "ignore": _codes,
    "per-file-ignores": _per_file_ignores,
    "exclude": _strings,
    "extend-exclude": _strings,
    "unsafe-fixes": _bool,
    "output-format": _string,
    "pin-from": _pin_from,
    "pin-style": _pin_style,
    "fix-strategy": _fix_strategy,
    "add-syntax-directive": _bool,
    "respect-gitignore": _bool,
    "force-exclude": _bool,
    "max-file-size": _size,
}
KEYS = tuple(sorted(_KEYS))
_CODE_KEYS = frozenset({"select", "extend-select", "ignore", "per-file-ignores"})  # validators taking notes


class _BadValue(Exception):
    def __init__(self, expected: str) -> None:
        self.expected = expected


class _BadCode(Exception):
    """A rule code that names no rule: ``message`` says which (``selection.UnknownCode``)."""

    def __init__(self, message: str) -> None:
        self.message = message


def _parse(table: Mapping[str, Any], path: str, shown: str, where: str) -> Config:
    directory = os.path.dirname(path)
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, raw in table.items():
        validator = _KEYS.get(key)
        if validator is None:
            import difflib  # only for the hint on an unknown key

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{shown}: unknown key {key!r}{where}{hint}")
        try:
            value = validator(raw, notes) if key in _CODE_KEYS else validator(raw)
        except _BadCode as exc:
            raise ConfigError(f"{shown}: {key!r}{where}: {exc.message}") from None
        except _BadValue as exc:
            got = type(raw).__name__
            raise ConfigError(f"{shown}: {key!r}{where} must be {exc.expected}, not {got} {raw!r}") from None
        if key == "pin-from" and value != (AUTO,):
            value = tuple(os.path.normpath(os.path.join(directory, p)) for p in value)
        values[key.replace("-", "_")] = value
    return Config(directory=directory, path=path, notes=tuple(f"{shown}: {n}" for n in notes), **values)


class _Globs:
    """ruff-style path globs: a pattern matches a file or directory by its name
    (``vendor``, ``*.Dockerfile``) or by its path relative to the configuration's
    directory (``services/legacy``, ``docs/**``); ``*`` also crosses ``/``."""

    def __init__(self, patterns: Sequence[str], directory: str) -> None:
        self.patterns = tuple(patterns)
        base = directory.replace(os.sep, "/")
        self._absolute = tuple(posixpath.normpath(posixpath.join(base, normalize_pattern(p))) for p in self.patterns)
        self._names = tuple(normalize_pattern(p) for p in self.patterns)
        # every pattern as one regex: most paths match none, and one search says so
        both = self._names + self._absolute
        self._any = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in both)) if both else None

    def match(self, directory: str, name: str) -> str | None:
        """The first pattern matching ``directory/name`` (absolute), or None."""
        if self._any is None:
            return None
        path = f"{directory}/{name}" if os.sep == "/" else os.path.join(directory, name).replace(os.sep, "/")
        if not self._any.match(name) and not self._any.match(path):
            return None
        for pattern, bare, absolute in zip(self.patterns, self._names, self._absolute):
            if fnmatch.fnmatchcase(name, bare) or fnmatch.fnmatchcase(path, absolute):
                return pattern
        return None


def shown_path(path: str) -> str:
    """``path`` relative to the working directory when it is below it."""
    if not path:
        return path
    cwd = os.getcwd()
    absolute = os.path.abspath(path)
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute
