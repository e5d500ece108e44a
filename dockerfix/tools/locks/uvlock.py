"""uv's lock file, ``uv.lock``.

Format facts from uv's documentation (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile:
"a universal lockfile", TOML, written by ``uv lock``) and its source (crates/uv-resolver/src/lock/mod.rs,
``Lock``/``Package``/``Source``): a top-level integer ``version`` (1); ``[[package]]`` tables
with ``name``, ``version`` (absent for a source tree whose version is dynamic) and a ``source``
inline table whose one key says where the package comes from: ``registry`` (an index),
``git``, ``url``, ``path``, ``directory``, ``editable`` or ``virtual``. The project itself and
the workspace members are ``virtual`` or ``editable`` entries. A resolution fork (different
requirements per Python version or platform) gives several tables of one name with
different versions: ``dockerfix.fix.pins`` leaves such a name alone. Checked against ``uv lock``
output (tests/fixtures/locks/uv/uv.lock).

Only ``registry`` packages are pins: ``pkg==V`` fetches ``V`` from the index, which is not
what a git, URL or local source is.
"""

from __future__ import annotations

from dockerfix.tools.locks.entries import Entry, LockFileError, array_of_tables, load_toml, string, version


def entries(text: str, name: str) -> list[Entry]:
    data = load_toml(text, name)
    lock_version = data.get("version")
    if not isinstance(lock_version, int) or isinstance(lock_version, bool):
        raise LockFileError(f"{name}: not a uv lock file: no integer top-level `version`")
    if lock_version != 1:
        raise LockFileError(f"{name}: version {lock_version}: only uv lock version 1 is known")
    found = []
    for index, package in enumerate(array_of_tables(data, "package", name)):
        where = f"package[{index}]"
        package_name = string(package, "name", where, name, required=True)
        assert package_name is not None
        pinned = version(string(package, "version", where, name), where, name)
        source = package.get("source")
        if source is not None and not isinstance(source, dict):
            raise LockFileError(f"{name}: {where}.source must be a table, not {type(source).__name__}")
        if source is None or "registry" not in source:
            pinned = None
        found.append(Entry(package_name, pinned, where))
    return found
