"""Pipenv's lock file, ``Pipfile.lock`` (JSON).

Format facts from pipenv's documentation (https://pipenv.pypa.io/en/latest/pipfile.html,
"Pipfile.lock") and checked against ``pipenv lock`` output
(tests/fixtures/locks/pipenv/Pipfile.lock): a JSON object with ``_meta`` (hash,
``pipfile-spec``, sources) and one object per package category: ``default`` (``[packages]``),
``develop`` (``[dev-packages]``) and any custom category. Each maps a package name to an
object whose ``version`` is ``"==X"``; a package pipenv did not resolve for the lock's Python
has ``"*"`` (it is then skipped), and VCS, file and path packages have no ``version``
(``git``, ``file``, ``path`` keys). All categories are read: a name locked to different
versions in two of them gives no pin.
"""

from __future__ import annotations

import json
from typing import Any

from dockerfix.tools.locks.entries import Entry, LockFileError, version


def entries(text: str, name: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockFileError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise LockFileError(f"{name}: not readable: its JSON is nested too deeply") from None
    except ValueError as exc:  # an integer too long to convert (sys.get_int_max_str_digits)
        raise LockFileError(f"{name}: not readable: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("_meta"), dict):
        raise LockFileError(f"{name}: not a Pipfile.lock: no `_meta` object")
    found = []
    for category, packages in data.items():
        if category == "_meta":
            continue
        if not isinstance(packages, dict):
            raise LockFileError(f"{name}: `{category}` must be an object of packages")
        for package_name, package in packages.items():
            found.append(_entry(package_name, package, f"{category}.{package_name}", name))
    return found


def _entry(package_name: str, package: Any, where: str, name: str) -> Entry:
    if not isinstance(package, dict):
        raise LockFileError(f"{name}: `{where}` must be an object")
    spec = package.get("version")
    if spec is None or any(k in package for k in ("git", "hg", "svn", "bzr", "file", "path", "editable")):
        return Entry(package_name, None, where)
    if not isinstance(spec, str):
        raise LockFileError(f"{name}: `{where}.version` must be a string")
    for operator in ("===", "=="):
        if spec.startswith(operator):
            return Entry(package_name, version(spec[len(operator) :].strip(), where, name), where)
    return Entry(package_name, None, where)  # "*" or a range: not a pin
