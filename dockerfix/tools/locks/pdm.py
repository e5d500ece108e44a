"""PDM's lock file, ``pdm.lock``.

Format facts from PDM's documentation (https://pdm-project.org/latest/usage/lockfile/) and
source (src/pdm/models/candidates.py, ``Candidate.as_lockfile_entry``; pdm 2.29), checked
against ``pdm lock`` output (tests/fixtures/locks/pdm/pdm.lock): a ``[metadata]`` table with
``lock_version``; ``[[package]]`` tables with ``name`` and ``version``; a package not from an
index has a ``path`` or ``url`` key, a VCS key named after its tool (``git``, ``hg``, ``svn``,
``bzr``) or ``editable = true``.

Only index packages are pins.
"""

from __future__ import annotations

from dockerfix.tools.locks.entries import Entry, LockFileError, array_of_tables, load_toml, package_entries


def entries(text: str, name: str) -> list[Entry]:
    data = load_toml(text, name)
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or "lock_version" not in metadata:
        raise LockFileError(f"{name}: not a PDM lock file: no `[metadata]` with `lock_version`")
    packages = array_of_tables(data, "package", name)
    return package_entries(packages, "package", name, not_a_pin=("path", "url", "git", "hg", "svn", "bzr", "editable"))
