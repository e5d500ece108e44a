"""Poetry's lock file, ``poetry.lock``.

Format facts from Poetry's source (src/poetry/packages/locker.py, ``Locker._write_lock_data``,
``_dump_package`` and the ``source.type`` handling of ``locked_repository``; poetry 2.5) and checked against ``poetry lock`` output
(tests/fixtures/locks/poetry/poetry.lock): a ``[metadata]`` table with ``lock-version`` and
``content-hash``; ``[[package]]`` tables with ``name`` and ``version``; a package not from
PyPI has a ``[package.source]`` table whose ``type`` is ``git``, ``directory``, ``file``,
``url`` or ``legacy`` (a secondary index). Packages for different environments may appear
twice with different versions and ``markers``: ``dockerfix.fix.pins`` leaves such a name alone.

Only index packages (no source, or a ``legacy`` index source) are pins.
"""

from __future__ import annotations

from typing import Any

from dockerfix.tools.locks.entries import Entry, LockFileError, array_of_tables, load_toml, package_entries

_INDEX_SOURCES = frozenset({"legacy", "pypi"})


def entries(text: str, name: str) -> list[Entry]:
    data = load_toml(text, name)
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not ("lock-version" in metadata or "content-hash" in metadata):
        raise LockFileError(f"{name}: not a Poetry lock file: no `[metadata]` with `lock-version`")
    packages = array_of_tables(data, "package", name)
    found = package_entries(packages, "package", name, not_a_pin=())
    return [e if _from_index(p) else e._replace(version=None) for e, p in zip(found, packages)]


def _from_index(package: dict[str, Any]) -> bool:
    source = package.get("source")
    return not isinstance(source, dict) or source.get("type") in _INDEX_SOURCES
