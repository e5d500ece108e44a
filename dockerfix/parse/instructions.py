"""What the Dockerfile scanner reads: instructions with their flags, exec form and heredocs,
comments and parser directives, every span in file offsets."""

from __future__ import annotations

from typing import NamedTuple

from dockerfix.parse.mapped import Mapped


class ScanError(ValueError):
    """The file is not a Dockerfile BuildKit would accept; ``offset`` says where."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class Comment(NamedTuple):
    """A comment line."""

    text: str  # after '#', stripped
    start: int  # offset of '#'
    end: int


class Flag(NamedTuple):
    """A builder flag such as ``--mount=type=cache,target=/root/.cache``."""

    name: str  # "mount"
    value: str | None  # unquoted value after '=', None for a bare ``--flag``
    start: int
    end: int


class JsonString(NamedTuple):
    """One element of an exec-form array: its decoded value mapped to the file."""

    value: Mapped  # decoded characters; the sentinel is the closing quote's offset
    start: int  # opening quote
    end: int  # just past the closing quote


class Heredoc(NamedTuple):
    """A heredoc introduced on an instruction line (``<<EOF``) and its body."""

    name: str
    chomp: bool  # <<-
    quoted: bool  # <<"EOF" / <<'EOF': the body is not expanded
    word_start: int  # the ``<<`` word on the instruction line
    word_end: int
    logical_start: int  # same word, as an index into ``Instruction.line``
    logical_end: int
    body: Mapped  # the lines between the instruction and the terminator
    end: int  # just past the terminator line's text


class Instruction(NamedTuple):
    """One instruction with its logical line and builder flags."""

    keyword: str  # upper case; ``ONBUILD RUN`` is "RUN" with ``onbuild`` set
    start: int  # first character of the instruction (``ONBUILD`` for triggers)
    end: int  # just past its last character (heredoc terminators included)
    line: Mapped  # the logical line, keyword included, continuations removed
    args: Mapped  # after the keyword and builder flags (``line`` suffix)
    args_index: int  # where ``args`` starts in ``line``
    flags: tuple[Flag, ...] = ()
    exec_form: tuple[JsonString, ...] | None = None
    heredocs: tuple[Heredoc, ...] = ()
    onbuild: bool = False
    comments: tuple[Comment, ...] = ()  # the comment block directly above

    def flag_values(self, name: str) -> list[str]:
        return [f.value for f in self.flags if f.name == name and f.value is not None]


class Dockerfile(NamedTuple):
    """A scanned Dockerfile: instructions, comments and parser directives."""

    instructions: tuple[Instruction, ...]
    comments: tuple[Comment, ...]  # every comment line, for file-wide pragmas
    directives: dict[str, str]
    escape: str = "\\"
