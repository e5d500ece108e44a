"""What the shell reader finds in a script: simple commands with their words and
assignments, and exports, every span in file offsets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from dockerfix.parse.mapped import Mapped


class Word(NamedTuple):
    """One shell word: its raw text, file span, and literal value when it has one."""

    raw: str
    start: int  # file offsets
    end: int
    # The word after quote removal, mapped to the file. Expansions stay as written
    # (``$X``), and ``expands`` says they are there.
    value: Mapped
    expands: bool

    @property
    def text(self) -> str:
        return self.value.text

    @property
    def literal(self) -> str | None:
        return None if self.expands else self.value.text


class Assignment(NamedTuple):
    """``NAME=value`` before a command or in ``export``."""

    name: str
    value: Word | None
    start: int
    end: int


class Command:
    """A simple command: leading assignments, then argv (redirections left out).

    ``text`` is the command as written in the script. Its assignments and words are built
    on first use: most commands of a long RUN (``echo``, ``apt-get``) are never looked at
    past their text, and building words is most of what a walk would cost.
    """

    __slots__ = ("start", "end", "in_error", "text", "_parts")

    def __init__(
        self,
        assignments: tuple[Assignment, ...],
        words: tuple[Word, ...],
        start: int,
        end: int,
        in_error: bool = False,  # in a script tree-sitter could not parse in full
        text: str = "",
    ) -> None:
        self._parts: Parts | Callable[[], Parts] = (assignments, words)
        self.start = start  # file offsets
        self.end = end
        self.in_error = in_error
        self.text = text

    @classmethod
    def lazy(cls, parts: Callable[[], Parts], start: int, end: int, in_error: bool, text: str) -> Command:
        command = cls.__new__(cls)  # one per command of a long RUN: no __init__ to run twice
        command._parts = parts
        command.start, command.end, command.in_error, command.text = start, end, in_error, text
        return command

    def _built(self) -> Parts:
        parts = self._parts
        if callable(parts):
            parts = self._parts = parts()
        return parts

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return self._built()[0]

    @property
    def words(self) -> tuple[Word, ...]:
        return self._built()[1]

    def __repr__(self) -> str:
        return f"Command({self.text!r}, start={self.start}, end={self.end})"


Parts = tuple[tuple[Assignment, ...], tuple[Word, ...]]


class Export(NamedTuple):
    """``export NAME=value`` (or ``declare -x``): sets the environment of later commands."""

    assignment: Assignment
    start: int


class Script:
    """The commands and exports of one shell script, in document order."""

    __slots__ = ("mapped", "commands", "exports", "has_error", "unread")

    def __init__(self, mapped: Mapped, has_error: bool = False) -> None:
        self.mapped = mapped
        self.commands: list[Command] = []
        self.exports: list[Export] = []
        self.has_error = has_error
        # (file start, file end, why): part of the script was not read (see ``parse``)
        self.unread: tuple[int, int, str] | None = None

    def events(self) -> Iterator[Command | Export]:
        """Commands and exports in document order."""
        if not self.exports:  # the walk found the commands in document order
            return iter(self.commands)
        events: list[Command | Export] = [*self.commands, *self.exports]
        return iter(sorted(events, key=lambda e: e.start))
