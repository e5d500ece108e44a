"""Each document's ``Settings``: the CLI's configuration resolution, and the editor's overrides.

The closest ``.dockerfix.toml`` / ``[tool.dockerfix]`` governs a document, as it governs the
file on the command line (``dockerfix.cli.config.Resolver``); an unsaved buffer uses its
workspace folder's. ``initializationOptions`` play the command line's part (select, ignore,
unsafe-fixes, fix-strategy, pin-from...). A configuration file that changes is read again:
each look-up compares the stat of every configuration file that could govern the document
(and of its pin files) with the last one seen, a few dozen ``stat`` calls, so it holds also
for clients that do not report file changes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from dockerfix.cli.config import Overrides, Resolver
from dockerfix.cli.config_file import CONFIG_NAMES, FIX_STRATEGIES, ConfigError
from dockerfix.settings import Settings

DEFAULT_DEBOUNCE = 0.05  # seconds: a burst of changes to one document is checked once


class Options(NamedTuple):
    """What the client's ``initializationOptions`` set, and what in them was wrong."""

    overrides: Overrides
    debounce: float
    errors: tuple[str, ...]


def _kebab(key: str) -> str:
    """``unsafeFixes`` / ``unsafe_fixes`` -> ``unsafe-fixes``: editors spell settings all ways."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).replace("_", "-").lower()


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v for v in re.split(r"[,\s]+", value) if v)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("must be a list of strings")


def _codes(value: Any, notes: list[str]) -> tuple[str, ...]:
    from dockerfix.rules.selection import UnknownCode, normalize

    try:
        return normalize(_strings(value), notes)
    except UnknownCode as exc:
        raise ValueError(str(exc)) from None


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _strategy(value: Any) -> str:
    if value not in FIX_STRATEGIES:
        raise ValueError(f"must be one of {', '.join(FIX_STRATEGIES)}")
    return str(value)


def _debounce(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10_000:
        raise ValueError("must be a number of milliseconds from 0 to 10000")
    return value / 1000


def read_options(raw: Any, root: str | None) -> Options:
    """``initializationOptions`` (a ``dockerfix`` table inside them works too) as
    ``Overrides``; a bad key is left out and said in ``errors``."""
    if isinstance(raw, Mapping) and isinstance(raw.get("dockerfix"), Mapping):
        raw = raw["dockerfix"]
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return Options(Overrides(), DEFAULT_DEBOUNCE, ("initializationOptions must be an object",))
    values: dict[str, Any] = {}
    errors: list[str] = []
    notes: list[str] = []
    debounce = DEFAULT_DEBOUNCE
    readers: dict[str, Callable[[Any], object]] = {
        "select": lambda v: _codes(v, notes) or None,
        "extend-select": lambda v: _codes(v, notes),
        "ignore": lambda v: _codes(v, notes),
        "unsafe-fixes": _bool,
        "fix-strategy": _strategy,
        "add-syntax-directive": _bool,
        "pin-from": lambda v: tuple(os.path.join(root or os.getcwd(), p) for p in _strings(v)),
    }
    for key, value in raw.items():
        name = _kebab(str(key))
        try:
            if name == "debounce":
                debounce = _debounce(value)
            elif name in readers:
                values[name.replace("-", "_")] = readers[name](value)
            else:
                errors.append(f"initializationOptions: unknown option {key!r}")
        except ValueError as exc:
            errors.append(f"initializationOptions: {key!r} {exc}")
    return Options(Overrides(**values), debounce, tuple(errors))


class SettingsStore:
    """``Settings`` per document path, read again when a file they came from changed."""

    def __init__(self, overrides: Overrides = Overrides(), root: str | None = None) -> None:
        self.overrides = overrides
        self.root = root
        self._resolver: Resolver | None = None
        self._stamps: dict[str, tuple[object, ...]] = {}

    def settings_for(self, path: str | None) -> Settings:
        """The settings of the document at ``path`` (None: an unsaved buffer, which is
        governed as a file in the workspace folder would be). Raises ``ConfigError``."""
        target = path or os.path.join(self.root or os.getcwd(), "Dockerfile")
        directory = os.path.dirname(os.path.abspath(target))
        if self._resolver is None:
            self._resolver = Resolver(self.overrides)
        stamp = self._stamp(directory)
        if self._stamps.get(directory) != stamp:
            # A new resolver reads every file again; other directories' stamps stay true.
            self._resolver = Resolver(self.overrides)
            self._stamps[directory] = stamp
        return self._resolver.settings_for(target)

    def reload(self) -> None:
        """Forget every configuration read: the next look-up reads the files again."""
        self._resolver = None
        self._stamps.clear()

    def _stamp(self, directory: str) -> tuple[object, ...]:
        """The stat of every configuration file that could govern ``directory``, and of the
        pin files those name (found as the resolver finds them, without its cache)."""
        stamps: list[object] = []
        current = directory
        while True:
            stamps.extend(_stat(os.path.join(current, name)) for name in CONFIG_NAMES)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        pin_files = self.overrides.pin_from
        if pin_files is None and self._resolver is not None:
            try:
                pin_files = self._resolver.config_for_directory(directory).pin_from
            except ConfigError:
                pin_files = ()
        stamps.extend(_stat(p) for p in pin_files or ())
        return tuple(stamps)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size
