"""Configuration files: ``.dockerfix.toml`` and ``[tool.dockerfix]`` in ``pyproject.toml``.

Resolution follows ruff's:

- each Dockerfile uses the closest configuration file, found by walking up from its
  directory; settings are not merged across files (the closest one is used whole);
- a ``pyproject.toml`` without a ``[tool.dockerfix]`` table does not count; in one
  directory ``.dockerfix.toml`` beats ``pyproject.toml``;
- paths in a file (``pin-from``, ``exclude``, ``per-file-ignores``) are relative to its
  directory. Unlike ruff, this holds for ``--config FILE`` too: the same file means the same
  thing however it was found;
- ``--config FILE`` uses that one file for every Dockerfile, ``--isolated`` no file at all;
- command-line options override every file's values. A ``--select`` replaces the file's
  ``select``, ``extend-select`` and ``ignore`` (ruff's rule-selection order); a
  ``--extend-select`` adds rules, also ones the file ignores; a ``--ignore`` adds to them.
  Every rule code is checked (``dockerfix.rules.selection``): one that names no rule is an error.
- run-wide settings (``output-format``, ``respect-gitignore``, ``force-exclude``,
  ``max-file-size``) come from
  the configuration of the working directory.

A configuration error stops the run before any file is touched. Parsed files are cached
per directory: a bulk run reads each configuration file once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from dockerfix.cli.config_file import AUTO, CONFIG_NAMES, FIX_STRATEGIES, KEYS, PIN_STYLES, Config, ConfigError, load, shown_path, may_hold_our_table
from dockerfix.cli.discovery import DEFAULT_EXCLUDES, STDIN, Log, discover_with_roots, excluded_path
from dockerfix.fix.reading import DEFAULT_MAX_FILE_SIZE
from dockerfix.rules.selection import CODES
from dockerfix.settings import Settings

if TYPE_CHECKING:
    from dockerfix.fix.pins import Pins

_T = TypeVar("_T")


class Overrides(NamedTuple):
    """Values given on the command line; None where the option was not given."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # --exclude globs, added to every configuration's (see discovery.discover)
    unsafe_fixes: bool | None = None
    output_format: str | None = None
    pin_from: tuple[str, ...] | None = None
    pin_style: str | None = None
    fix_strategy: str | None = None
    add_syntax_directive: bool | None = None
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None
    max_file_size: int | None = None


class Resolver:
    """Which configuration each path uses, and the per-file ``Settings`` it gives."""

    def __init__(
        self,
        overrides: Overrides = Overrides(),
        *,
        config_file: str | None = None,
        isolated: bool = False,
        log: Log | None = None,
        note: Log | None = None,
    ) -> None:
        self.overrides = overrides
        self._log = log
        self._note = note  # told what a configuration file's values were read as (Config.notes)
        self._cwd = os.getcwd()
        self._default = Config(directory=self._cwd)
        self._fixed: Config | None = None
        if isolated:
            self._fixed = self._default
        elif config_file is not None:
            self._fixed = load(config_file, explicit=True, max_size=self._config_size)
        self._by_directory: dict[str, Config] = {}
        self._settings: dict[tuple[int, tuple[str, ...], tuple[str, ...]], Settings] = {}
        self._pins: dict[tuple[str, ...], Pins] = {}
        self._announced: set[str] = set()
        self._announced_pins: set[tuple[str, str]] = set()
        self._noted: set[int] = set()

    # -- which configuration

    def config_for_directory(self, directory: str) -> Config:
        """The configuration for files in the absolute ``directory``."""
        if self._fixed is not None:
            return self._fixed
        found = self._by_directory.get(directory)
        if found is None:
            found = self._config_in(directory)
            if found is None:
                parent = os.path.dirname(directory)
                found = self._default if parent == directory else self.config_for_directory(parent)
            self._by_directory[directory] = found
        return found

    def config_for(self, path: str) -> Config:
        if path == STDIN:
            return self.config_for_directory(self._cwd)
        return self.config_for_directory(os.path.dirname(os.path.abspath(path)))

    def _config_in(self, directory: str) -> Config | None:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                config = load(candidate, max_size=self._config_size)
                if config is not None:
                    return config
        return None

    @property
    def run_config(self) -> Config:
        """The configuration of the working directory: run-wide settings come from it."""
        return self.config_for_directory(self._cwd)

    # -- run-wide settings

    def output_format(self, given: str, choices: Sequence[str]) -> str:
        """``given`` (the CLI's value or default) unless only the configuration names one."""
        if self.overrides.output_format is not None or self.run_config.output_format is None:
            return given
        value = self.run_config.output_format
        if value not in choices:
            shown = shown_path(self.run_config.path or "")
            raise ConfigError(f"{shown}: 'output-format' must be one of {', '.join(choices)}, not {value!r}")
        return value

    @property
    def respect_gitignore(self) -> bool:
        return _first(self.overrides.respect_gitignore, self.run_config.respect_gitignore, True)

    @property
    def force_exclude(self) -> bool:
        return _first(self.overrides.force_exclude, self.run_config.force_exclude, False)

    @property
    def _config_size(self) -> int:
        # A configuration file cannot raise the limit it is itself read under.
        return self.overrides.max_file_size or DEFAULT_MAX_FILE_SIZE

    @property
    def max_file_size(self) -> int:
        """The largest Dockerfile or lock file read, in bytes (run-wide)."""
        return _first(self.overrides.max_file_size, self.run_config.max_file_size, DEFAULT_MAX_FILE_SIZE)

    # -- discovery

    def excluded(self, directory: str, name: str, is_dir: bool) -> str | None:
        """A ``discovery.Excluder``: the excludes of the configuration governing ``directory``."""
        return self.config_for_directory(directory).excluded(directory, name)

    def discover(self, paths: Sequence[str]) -> tuple[list[str], list[str]]:
        found, errors = self.discover_with_roots(paths)
        return [path for path, _ in found], errors

    def discover_with_roots(
        self, paths: Sequence[str], notes: list[str] | None = None
    ) -> tuple[list[tuple[str, str | None]], list[str]]:
        """Each file with the directory argument it was found in (None: named explicitly);
        ``notes`` gets a warning per directory argument with no Dockerfile to check."""
        return discover_with_roots(
            paths,
            notes=notes,
            exclude=self.overrides.exclude,
            excluder=self.excluded,
            respect_gitignore=self.respect_gitignore,
            force_exclude=self.force_exclude,
            log=self._log,
        )

    # -- per-file settings

    def settings_for_stdin(self, filename: str | None) -> Settings:
        """Settings for standard input named ``filename`` (``--stdin-filename``). With
        ``--force-exclude`` and an excluded name, no rule runs: an editor piping every
        buffer through dockerfix gets the text back unchanged and no findings (ruff's rule)."""
        if filename is None:
            return self.settings_for(STDIN)
        if self.force_exclude:
            reason = excluded_path(
                filename, exclude=self.overrides.exclude, excluder=self.excluded, respect_gitignore=self.respect_gitignore
            )
            if reason:
                if self._log:
                    self._log(f"skipped {filename} (standard input): {reason}")
                return Settings(select=())
        return self.settings_for(filename)

    def settings_for(self, path: str) -> Settings:
        """The settings for the Dockerfile at ``path`` (``-``: the working directory's)."""
        config = self.config_for(path)
        extra = config.per_file_codes(os.path.abspath(path)) if path != STDIN else ()
        self._announce(path, config)
        if config.notes and self._note is not None and id(config) not in self._noted:
            self._noted.add(id(config))
            for note in config.notes:
                self._note(note)
        pin_files = self._pin_files(config, path)
        key = (id(config), extra, pin_files)
        settings = self._settings.get(key)
        if settings is None:
            select, ignore = self._rules(config)
            o = self.overrides
            pins = self._pins_for(config, pin_files)
            settings = Settings(
                select=select,
                ignore=ignore + tuple(c for c in extra if c not in ignore),
                unsafe_fixes=_first(o.unsafe_fixes, config.unsafe_fixes, False),
                pins=pins.versions if pins else {},
                pin_conflicts={name: tuple(versions) for name, versions in pins.conflicts.items()} if pins else {},
                pin_style=_first(o.pin_style, config.pin_style, "inline"),
                fix_strategy=_first(o.fix_strategy, config.fix_strategy, "flag"),
                add_syntax_directive=_first(o.add_syntax_directive, config.add_syntax_directive, False),
                max_file_size=self.max_file_size,
            )
            self._settings[key] = settings
        return settings

    def _rules(self, config: Config) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        """(select, ignore) for files under ``config``, as ruff layers them: the file's
        ``select`` + ``extend-select`` - ``ignore``, then the command line's. A ``--select``
        starts over; a ``--extend-select`` adds rules, also ones the file ignores; a
        ``--ignore`` removes them."""
        o = self.overrides
        if o.select is not None:
            return _extended(o.select, o.extend_select), o.ignore
        select = _extended(_extended(config.select, config.extend_select), o.extend_select)
        ignore = config.ignore
        if o.extend_select:  # the file's ignores, as codes, less what --extend-select adds back

            expanded = [code for code in CODES if any(code.startswith(c) or c == "ALL" for c in ignore)]
            ignore = tuple(c for c in expanded if not any(c.startswith(e) or e == "ALL" for e in o.extend_select))
        return select, ignore + tuple(c for c in o.ignore if c not in ignore)

    def _pin_files(self, config: Config, path: str) -> tuple[str, ...]:
        """The --pin-from files for ``path``: as configured, or with ``auto`` the closest
        lock file (none found: none), told in ``-v``."""
        paths = self.overrides.pin_from if self.overrides.pin_from is not None else config.pin_from
        if tuple(paths) != (AUTO,):
            return tuple(paths)
        from dockerfix.fix.lockfind import find_lock

        directory = self._cwd if path == STDIN else os.path.dirname(os.path.abspath(path))
        found = find_lock(directory)
        if self._log is not None and (AUTO, directory) not in self._announced_pins:
            self._announced_pins.add((AUTO, directory))
            shown = shown_path(path) if path != STDIN else "standard input"
            self._log(f"{shown}: pin-from auto: {shown_path(found) if found else 'no lock file found'}")
        return (found,) if found else ()

    def _pins_for(self, config: Config, paths: tuple[str, ...]) -> Pins | None:
        if not paths:
            return None  # and dockerfix.fix.pins (packaging) is not loaded
        key = tuple(paths)
        if key not in self._pins:
            from dockerfix.fix.pins import PinFileError
            from dockerfix.fix.pins import load as load_pins

            try:
                self._pins[key] = load_pins(list(paths), max_size=self.max_file_size)
            except PinFileError as exc:
                where = f" (pin-from in {shown_path(config.path)})" if self.overrides.pin_from is None and config.path else ""
                raise ConfigError(f"{exc}{where}") from None
        return self._pins[key]

    def _announce(self, path: str, config: Config) -> None:
        if self._log is None:
            return
        directory = os.path.dirname(path) if path != STDIN else "."
        if directory in self._announced:
            return
        self._announced.add(directory)
        source = shown_path(config.path) if config.path else "no configuration file (defaults)"
        self._log(f"{directory or '.'}/: using {source}")

    # -- --show-settings

    def show(self, path: str) -> str:
        """Every setting ``path`` gets, one ``key = value`` a line, in a stable order."""
        config = self.config_for(path)
        settings = self.settings_for(path)
        per_file = {pattern: list(codes) for pattern, codes in config.per_file_ignores}
        values: dict[str, Any] = {
            "add-syntax-directive": settings.add_syntax_directive,
            "exclude": list(DEFAULT_EXCLUDES if config.exclude is None else config.exclude),
            "extend-exclude": list(config.extend_exclude + self.overrides.exclude),  # the file's, then --exclude
            "fix-strategy": settings.fix_strategy,
            "force-exclude": self.force_exclude,
            "max-file-size": self.max_file_size,
            "ignore": list(settings.ignore),
            "output-format": self.overrides.output_format or self.run_config.output_format or "text",
            "per-file-ignores": per_file,
            "pin-from": list(self.overrides.pin_from if self.overrides.pin_from is not None else config.pin_from),
            "pin-style": settings.pin_style,
            "respect-gitignore": self.respect_gitignore,
            "select": ["ALL"] if settings.select is None else list(settings.select),
            "extend-select": list(config.extend_select + self.overrides.extend_select),
            "unsafe-fixes": settings.unsafe_fixes,
        }
        from dockerfix.rules import RULES

        lines = [
            f"Resolved settings for: {path}",
            f"Settings path: {shown_path(config.path) if config.path else '(none: built-in defaults)'}",
            "",
            *(f"{key} = {_toml(values[key])}" for key in sorted(values)),
            "",
            f"Rules enabled: {', '.join(r.code for r in RULES if settings.enabled(r.code)) or '(none)'}",
        ]
        return "\n".join(lines) + "\n"


def _extended(select: tuple[str, ...] | None, extra: tuple[str, ...]) -> tuple[str, ...] | None:
    """``select`` with the codes of ``extra`` added; None (every rule) stays None."""
    if select is None or "ALL" in extra:
        return None
    return select + tuple(c for c in extra if c not in select)


def _first(given: _T | None, configured: _T | None, default: _T) -> _T:
    return given if given is not None else configured if configured is not None else default


def _toml(value: Any) -> str:
    import json  # only to show a configuration

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


__all__ = [
    "AUTO", "CONFIG_NAMES", "FIX_STRATEGIES", "KEYS", "PIN_STYLES", "Config", "ConfigError", "Overrides", "Resolver", "load", "may_hold_our_table",
]
