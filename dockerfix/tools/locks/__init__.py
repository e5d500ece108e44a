"""Lock files other than requirements files, for ``--pin-from``: which format a file is, and
its entries.

A file's format is chosen by its name and confirmed by its content (``kind_of`` then
``parse``); a name none of these formats uses is a requirements file (``dockerfix.fix.pins``).
Each reader is pure, ``text -> entries``: the file is read once, by ``dockerfix.fix.pins``.

- PEP 751, ``pylock.toml`` and ``pylock.<name>.toml``: ``dockerfix.tools.locks.pylock``
- uv, ``uv.lock``: ``dockerfix.tools.locks.uvlock``
- Poetry, ``poetry.lock``: ``dockerfix.tools.locks.poetry``
- PDM, ``pdm.lock``: ``dockerfix.tools.locks.pdm``
- Pipenv, ``Pipfile.lock``: ``dockerfix.tools.locks.pipfile``
- conda, ``environment.yml`` / ``environment.yaml``: ``dockerfix.tools.locks.conda``
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dockerfix.tools.locks import conda, pdm, pipfile, poetry, pylock, uvlock
from dockerfix.tools.locks.entries import Entry, LockFileError

__all__ = ["Entry", "LockFileError", "Parsed", "kind_of", "parse", "KINDS"]

# PEP 751 "File Name": r"^pylock\.([^.]+\.)?toml$".
_PYLOCK = re.compile(r"pylock\.(?:[^.]+\.)?toml")

KINDS = ("pylock", "uv", "poetry", "pdm", "pipfile", "conda")


class Parsed(NamedTuple):
    """A lock file's pins: ``entries`` with their versions, and, for formats that embed pip
    requirements (conda's ``pip:`` list), those lines as (line number, text)."""

    entries: list[Entry]
    requirement_lines: list[tuple[int, str]]


def kind_of(filename: str) -> str | None:
    """The lock format a file of this name holds, or None (a requirements file)."""
    if _PYLOCK.fullmatch(filename):
        return "pylock"
    return {
        "uv.lock": "uv",
        "poetry.lock": "poetry",
        "pdm.lock": "pdm",
        "Pipfile.lock": "pipfile",
        "environment.yml": "conda",
        "environment.yaml": "conda",
    }.get(filename)


def parse(kind: str, text: str, name: str) -> Parsed:
    """The pins of a ``kind`` lock file's ``text`` (``name`` is the file, for messages).
    Raises ``LockFileError`` when the content is not that format or is malformed."""
    if kind == "conda":
        return Parsed([], conda.pip_lines(text, name))
    if kind == "pipfile":
        return Parsed(pipfile.entries(text, name), [])
    reader = {"pylock": pylock, "uv": uvlock, "poetry": poetry, "pdm": pdm}[kind]
    return Parsed(reader.entries(text, name), [])
