"""What the words before a program do to its process: the environment scope wrappers leave,
``NAME=value`` words, and the parts of a word these are read from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from dockerfix.parse.shell_script import Word

# A shell name (POSIX "Name": ASCII letters, digits, underscores) before "=".
_ASSIGNMENT = r"([A-Za-z_][A-Za-z0-9_]*)="


class Scope(NamedTuple):
    """What the wrappers before a call did to its process, beyond setting variables."""

    clean: bool = False  # the inherited environment (ENV, ARG, export) was cleared: `env -i`, `su -`
    user: str | None = None  # `su USER`, `runuser -u USER`: HOME is that user's home
    unset: frozenset[str] = frozenset()  # `env -u NAME`
    keep: frozenset[str] = frozenset()  # `su - -w NAME,...`: inherited names kept through a clean


def assignment_name(text: str) -> str | None:
    """The ``NAME`` of a ``NAME=value`` word, else None."""
    match = re.match(_ASSIGNMENT, text)
    return None if match is None else match.group(1)


def basename(word: str) -> str:
    return word.rstrip("/").rsplit("/", 1)[-1]


def value_part(word: Word, at: int) -> Word:
    """The ``value`` of a ``NAME=value`` (or ``--command=value``, ``-cvalue``) word, still
    mapped to the file; its raw text keeps its quotes when the part before it is written plainly."""
    value = word.value.slice(at, len(word.value))
    raw = word.raw[at:] if word.raw.startswith(word.text[:at]) else value.text
    return Word(raw, value.file_start(0), word.end, value, word.expands)


def literal_at(words: Sequence[Word], i: int) -> str | None:
    return words[i].literal if i < len(words) else None
