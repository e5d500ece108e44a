"""PEP 751 lock files: ``pylock.toml`` and ``pylock.<name>.toml``.

Format facts from the specification (https://packaging.python.org/specifications/pylock-toml/,
originally PEP 751): the file name matches ``^pylock\\.([^.]+\\.)?toml$``; the top-level
``lock-version`` is required (``"1.0"``; an installer must refuse a major version it does
not know); ``[[packages]]`` tables have a required ``name`` and an optional ``version``, which
is absent for sources whose version is not fixed (``packages.vcs``, ``packages.directory``).
Several tables may share a name with different ``marker`` values (one per environment):
``dockerfix.fix.pins`` leaves such a name alone. Checked against ``uv export --format
pylock.toml`` output (tests/fixtures/locks/uv/pylock.toml).

A package from a VCS checkout, a local directory or a direct archive URL is not a pin:
``pkg==V`` would fetch ``V`` from the index, which may not be the same thing.
"""

from __future__ import annotations

from dockerfix.tools.locks.entries import Entry, LockFileError, array_of_tables, load_toml, package_entries, string


def entries(text: str, name: str) -> list[Entry]:
    data = load_toml(text, name)
    lock_version = string(data, "lock-version", "top level", name)
    if lock_version is None:
        raise LockFileError(f"{name}: not a PEP 751 lock file: no top-level `lock-version`")
    if lock_version.split(".")[0] != "1":
        raise LockFileError(f"{name}: lock-version {lock_version!r}: only version 1.x is known")
    packages = array_of_tables(data, "packages", name)
    return package_entries(packages, "packages", name, not_a_pin=("vcs", "directory", "archive"))
