"""An offset-exact Dockerfile scanner that splits a file the way BuildKit does.

It mirrors BuildKit's ``frontend/dockerfile/parser``: parser directives, the escape
character, continuation lines (with empty and comment lines inside them skipped), builder
flags, exec (JSON) form, heredocs and ONBUILD. Unlike BuildKit it keeps, for every logical
character, the file offset it came from (``Mapped``), so later stages can report and edit
exact spans.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dockerfix.parse.exec_form import exec_form
from dockerfix.parse.instructions import Comment, Dockerfile, Flag, Heredoc, Instruction, ScanError
from dockerfix.parse.mapped import Mapped, MappedBuilder

__all__ = ["docker_words", "scan", "unquote_word"]

_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_KEYWORD = re.compile(r"[^\t\v\f\r ]+")  # BuildKit splits the keyword off at these, not at other whitespace
_HEREDOC_WORD = r"(\d*)<<(-?)([^<]*)$"  # [fd]<<[-]NAME
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})


class _Line(NamedTuple):
    """One physical line of the file."""

    start: int  # first character
    end: int  # end of content: before trailing '\r's and the '\n'
    next: int  # start of the next line


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for piece in text.split("\n"):
        nxt = pos + len(piece) + 1
        # BuildKit's trimNewline drops every trailing '\r' and '\n'.
        lines.append(_Line(pos, pos + len(piece.rstrip("\r")), nxt))
        pos = nxt
    if lines and lines[-1].start == len(text):  # the text ended with '\n': no line after it
        lines.pop()
    else:  # no final newline: the last line ends the text
        lines[-1] = _Line(lines[-1].start, lines[-1].end, len(text))
    return lines


def _lstrip_len(s: str, pos: int = 0) -> int:
    """How many whitespace characters ``s`` has from ``pos`` on (what ``str.lstrip`` strips),
    without copying the rest of ``s`` (a long RUN's whole script)."""
    start = pos
    n = len(s)
    while pos < n and s[pos].isspace():
        pos += 1
    return pos - start


def _is_comment(content: str) -> bool:
    return content.lstrip().startswith("#")


def scan(text: str) -> Dockerfile:
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _split_lines(text)
        self.escape = "\\"
        self.directives: dict[str, str] = {}
        self.comments: list[Comment] = []

    def content(self, line: _Line) -> str:
        return self.text[line.start : line.end]

    def run(self) -> Dockerfile:
        first = self._read_directives()
        instructions: list[Instruction] = []
        pending: list[Comment] = []
        i = first
        while i < len(self.lines):
            line = self.lines[i]
            content = self.content(line)
            if _is_comment(content):
                comment = self._comment(line)
                self.comments.append(comment)
                pending.append(comment)
                i += 1
                continue
            if not content.strip():
                # A blank line ends the comment block a pragma may stand in.
                pending = []
                i += 1
                continue
            instruction, i = self._instruction(i, tuple(pending))
            pending = []
            if instruction is not None:
                instructions.append(instruction)
        return Dockerfile(tuple(instructions), tuple(self.comments), self.directives, self.escape)

    def _comment(self, line: _Line) -> Comment:
        content = self.content(line)
        hash_at = line.start + _lstrip_len(content)
        return Comment(self.text[hash_at + 1 : line.end].strip(), hash_at, line.end)

    def _read_directives(self) -> int:
        """Parse the directive block; return the index of the first line after it."""
        seen: set[str] = set()
        for index, line in enumerate(self.lines):
            match = _DIRECTIVE.match(self.content(line).lstrip())
            if match is None or match.group(1).lower() not in _KNOWN_DIRECTIVES:
                return index
            key, value = match.group(1).lower(), match.group(2)
            offset = line.start + _lstrip_len(self.content(line))
            if key in seen:
                raise ScanError(f"only one {key} parser directive can be used", offset)
            seen.add(key)
            if key == "escape":
                if value not in ("\\", "`"):
                    raise ScanError(f"invalid escape token '{value}' does not match ` or \\", offset)
                self.escape = value
            self.directives[key] = value
            self.comments.append(self._comment(line))
        return len(self.lines)

    def _trim_continuation(self, content: str) -> tuple[int, bool]:
        """Length of ``content`` to keep, and whether the instruction continues: an escape
        at the end of the line (spaces and tabs after it aside) continues it, unless it is
        itself escaped (``\\\\``)."""
        stripped = content.rstrip(" \t")
        esc = self.escape
        if stripped.endswith(esc) and not stripped.endswith(esc + esc):
            return len(stripped) - 1, True
        return len(content), False

    def _instruction(self, i: int, comments: tuple[Comment, ...]) -> tuple[Instruction | None, int]:
        builder = MappedBuilder()
        line = self.lines[i]
        content = self.content(line)
        lead = _lstrip_len(content)
        keep, continues = self._trim_continuation(content[lead:])
        if not continues:  # one line, most instructions: a plain substring of the file
            return self._parse(Mapped.identity(content[lead : lead + keep], line.start + lead), comments, i + 1)
        builder.add(content[lead : lead + keep], line.start + lead)
        last_end = line.start + lead + keep
        i += 1
        while continues and i < len(self.lines):
            line = self.lines[i]
            content = self.content(line)
            i += 1
            if _is_comment(content) or not content.strip():
                continue
            keep, continues = self._trim_continuation(content)
            builder.add(content[:keep], line.start)
            last_end = line.start + keep
        logical = builder.build(last_end)
        return self._parse(logical, comments, i)

    def _parse(self, logical: Mapped, comments: tuple[Comment, ...], i: int) -> tuple[Instruction | None, int]:
        text = logical.text
        stripped_start = _lstrip_len(text)
        match = _KEYWORD.match(text, stripped_start)
        if match is None:
            return None, i
        keyword = match.group().upper()
        start = logical.file_start(stripped_start)
        onbuild = False
        rest_at = match.end()
        if keyword == "ONBUILD":
            sub = _KEYWORD.match(text, rest_at + _lstrip_len(text, rest_at))
            if sub is not None:
                keyword, onbuild, rest_at = sub.group().upper(), True, sub.end()
        flags, args_index = self._flags(logical, rest_at)
        args = logical.slice(args_index, len(text))
        exec_array = exec_form(args)
        heredocs: tuple[Heredoc, ...] = ()
        end = logical.file_end(len(text))
        if keyword in _HEREDOC_INSTRUCTIONS and exec_array is None and "<<" in text:
            heredocs, i = self._heredocs(logical, i)
            if heredocs:
                end = heredocs[-1].end
        instruction = Instruction(
            keyword=keyword,
            start=start,
            end=end,
            line=logical,
            args=args,
            args_index=args_index,
            flags=flags,
            exec_form=exec_array,
            heredocs=heredocs,
            onbuild=onbuild,
            comments=comments,
        )
        return instruction, i

    def _flags(self, logical: Mapped, pos: int) -> tuple[tuple[Flag, ...], int]:
        """BuildKit's extractBuilderFlags: leading ``--name[=value]`` words."""
        text = logical.text
        flags: list[Flag] = []
        n = len(text)
        while True:
            while pos < n and text[pos].isspace():
                pos += 1
            if not text.startswith("--", pos):
                return tuple(flags), pos
            word_start = pos
            word, pos = unquote_word(text, pos)
            if word == "--":
                return tuple(flags), pos
            name, eq, value = word[2:].partition("=")
            start, end = logical.file_span(word_start, pos)
            flags.append(Flag(name.lower(), value if eq else None, start, end))

    def _heredocs(self, logical: Mapped, i: int) -> tuple[tuple[Heredoc, ...], int]:
        docs: list[Heredoc] = []
        for word_start, word_end, raw in docker_words(logical.text):
            parsed = _parse_heredoc_word(raw)
            if parsed is None:
                continue
            name, chomp, quoted = parsed
            body_start = self.lines[i].start if i < len(self.lines) else len(self.text)
            body_end = end = body_start
            terminated = False
            while i < len(self.lines):
                line = self.lines[i]
                i += 1
                candidate = self.content(line)
                if chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    terminated, body_end, end = True, line.start, line.end
                    break
            if not terminated:
                raise ScanError(f"unterminated heredoc <<{name}", logical.file_start(word_start))
            start, stop = logical.file_span(word_start, word_end)
            docs.append(
                Heredoc(
                    name=name,
                    chomp=chomp,
                    quoted=quoted,
                    word_start=start,
                    word_end=stop,
                    logical_start=word_start,
                    logical_end=word_end,
                    body=Mapped.identity(self.text[body_start:body_end], body_start),
                    end=end,
                )
            )
        return tuple(docs), i


def unquote_word(text: str, pos: int) -> tuple[str, int]:
    """Read one word BuildKit-style (quotes and backslashes removed); return it and the end."""
    out: list[str] = []
    quote = ""
    n = len(text)
    while pos < n:
        ch = text[pos]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and pos + 1 < n:
                pos += 1
                out.append(text[pos])
            elif ch != "\\":
                out.append(ch)
        elif ch.isspace():
            break
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            if pos + 1 < n:
                pos += 1
                out.append(text[pos])
        else:
            out.append(ch)
        pos += 1
    return "".join(out), pos


def docker_words(text: str) -> list[tuple[int, int, str]]:
    """Split a line into raw words the way BuildKit's lexer does (quotes and escapes kept)."""
    words: list[tuple[int, int, str]] = []
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            break
        start = pos
        quote = ""
        while pos < n:
            ch = text[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and quote == '"' and pos + 1 < n:
                    pos += 1
            elif ch.isspace():
                break
            elif ch in "'\"":
                quote = ch
            elif ch == "\\" and pos + 1 < n:
                pos += 1
            pos += 1
        words.append((start, pos, text[start:pos]))
    return words


def _parse_heredoc_word(raw: str) -> tuple[str, bool, bool] | None:
    """``(name, chomp, quoted)`` of a heredoc word such as ``<<EOF``, ``<<-"EOF"`` or
    ``3<<EOF``; None for any other word."""
    match = re.match(_HEREDOC_WORD, raw)
    if match is None or not match.group(3):
        return None
    chomp, rest = match.group(2) == "-", match.group(3)
    inner = docker_words(rest)
    if len(inner) != 1:
        return None
    name, _ = unquote_word(rest, inner[0][0])
    if not name:
        return None
    quoted = any(q in rest for q in "'\"")
    return name, chomp, quoted
