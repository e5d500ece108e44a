"""``pin-from = "auto"``: the lock file closest to a Dockerfile.

Looked for in the Dockerfile's directory, then its parents up to the repository root (the
directory holding ``.git``; without one, only the Dockerfile's own directory is looked at:
a lock file elsewhere on the machine is no evidence about this project). The closest
directory with one wins; in a directory, the order below (a tool's lock before a
requirements file, which may hold ranges).
"""

from __future__ import annotations

import os

# In this order within one directory. ``pylock.*.toml`` (named PEP 751 locks) come right
# after ``pylock.toml``, sorted.
LOCK_NAMES = (
    "pylock.toml",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "Pipfile.lock",
    "environment.yml",
    "environment.yaml",
    "requirements.lock",
    "requirements.txt",
)


def find_lock(directory: str) -> str | None:
    """The closest lock file for a Dockerfile in the absolute ``directory``, or None."""
    chain = _directories(directory)
    for candidate in chain:
        found = _lock_in(candidate)
        if found is not None:
            return found
    return None


def _directories(directory: str) -> list[str]:
    """``directory`` and its parents up to the one holding ``.git``; just ``directory``
    when no parent holds one."""
    chain = [directory]
    current = directory
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return [directory]
        chain.append(parent)
        current = parent
    return chain


def _lock_in(directory: str) -> str | None:
    try:
        names = set(os.listdir(directory))
    except OSError:
        return None
    named_pylocks = sorted(n for n in names if n.startswith("pylock.") and n.endswith(".toml") and n != "pylock.toml")
    for name in (LOCK_NAMES[0], *named_pylocks, *LOCK_NAMES[1:]):
        if name in names and os.path.isfile(os.path.join(directory, name)):
            return os.path.join(directory, name)
    return None
