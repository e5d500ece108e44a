"""What every lock reader returns, and the error they raise; TOML reading they share."""

from __future__ import annotations

import re
import tomllib
from typing import Any, NamedTuple

from packaging.version import InvalidVersion, Version


class LockFileError(Exception):
    """A lock file that is not its format or is malformed; ``str()`` names the file and the
    line or key."""


class Entry(NamedTuple):
    """One locked package: its name, and its exact version (None: not a pin, e.g. a local
    directory or a VCS checkout)."""

    name: str
    version: str | None
    where: str  # the TOML/JSON key or line, for messages: "package[3]"


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(text: str, name: str) -> dict[str, Any]:
    """``text`` parsed by ``tomllib``; a syntax error names the file and line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        where = f"{name}:{at.group(1)}" if at else name
        reason = _TOML_AT.sub("", message).strip().rstrip(".") or "invalid TOML"
        raise LockFileError(f"{where}: not valid TOML: {reason}") from None
    except RecursionError:
        raise LockFileError(f"{name}: not readable: its TOML is nested too deeply") from None
    except ValueError as exc:  # an integer too long to convert (sys.get_int_max_str_digits)
        raise LockFileError(f"{name}: not readable: {exc}") from None


def array_of_tables(data: dict[str, Any], key: str, name: str, required: bool = False) -> list[dict[str, Any]]:
    """``data[key]`` as a list of tables (``[[key]]``); anything else is an error."""
    value = data.get(key)
    if value is None:
        if required:
            raise LockFileError(f"{name}: no `[[{key}]]` tables")
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise LockFileError(f"{name}: `{key}` must be an array of tables (`[[{key}]]`)")
    return value


def string(table: dict[str, Any], key: str, where: str, name: str, required: bool = False) -> str | None:
    """``table[key]`` when it is a string; missing: None (or an error if ``required``)."""
    value = table.get(key)
    if value is None:
        if required:
            raise LockFileError(f"{name}: {where}: no `{key}`")
        return None
    if not isinstance(value, str):
        raise LockFileError(f"{name}: {where}.{key} must be a string, not {type(value).__name__} {value!r}")
    return value


def version(value: str | None, where: str, name: str) -> str | None:
    """A PEP 440 version as written, or an error naming where it is."""
    if value is None:
        return None
    try:
        Version(value)
    except InvalidVersion:
        raise LockFileError(f"{name}: {where}.version: {value!r} is not a PEP 440 version") from None
    return value


def package_entries(packages: list[dict[str, Any]], key: str, name: str, not_a_pin: tuple[str, ...]) -> list[Entry]:
    """``name``/``version`` of each table of ``[[key]]``; tables with a key of ``not_a_pin``
    (a local path, a VCS source, ...) give no version."""
    found = []
    for index, package in enumerate(packages):
        where = f"{key}[{index}]"
        package_name = string(package, "name", where, name, required=True)
        assert package_name is not None
        pinned = version(string(package, "version", where, name), where, name)
        if any(k in package for k in not_a_pin):
            pinned = None
        found.append(Entry(package_name, pinned, where))
    return found
