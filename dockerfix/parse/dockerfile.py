"""An offset-exact Dockerfile scanner that splits a file the way BuildKit does.

It mirrors BuildKit's ``frontend/dockerfile/parser``: parser directives, the escape
character, continuation lines (with empty and comment lines inside them skipped), builder
flags, exec (JSON) form, heredocs and ONBUILD. Unlike BuildKit it keeps, for every logical
character, the file offset it came from (``Mapped``), so later stages can report and edit
exact spans.
"""

from __future__ import annotations

from typing import NamedTuple

from dockerfix.parse.mapped import Mapped, MappedBuilder
from dockerfix.settings import MAX_JSON_NESTING

_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_SPACE = " \t\v\f\r"


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
    """How many whitespace characters ``s`` has from ``pos`` on (``str.lstrip``'s), without
    copying the rest of ``s``: an instruction's text can be a long RUN's whole script."""
    start = pos
    n = len(s)
    while pos < n and s[pos].isspace():
        pos += 1
    return pos - start


def _is_comment(content: str) -> bool:
    return content.lstrip().startswith("#")


# The scanner's patterns are str operations, not regexes: `import re` costs a fifth of a
# one-file run (it loads enum). tests/test_str_patterns.py checks each against its regex.


def _keyword_end(text: str, pos: int) -> int:
    """Where the keyword starting at ``pos`` ends: BuildKit splits it off at ``_SPACE``
    (not at other whitespace). ``pos`` itself when there is none."""
    end = pos
    n = len(text)
    while end < n and text[end] not in _SPACE:
        end += 1
    return end


def _directive(line: str) -> tuple[str, str] | None:
    """``(name, value)`` of a ``#name=value`` line (whitespace allowed around both sides of
    ``=``), or None. ``name`` is ASCII letters and digits, starting with a letter."""
    if not line.startswith("#"):
        return None
    rest = line[1:].lstrip()
    name_end = 0
    while name_end < len(rest) and _is_ascii_alnum(rest[name_end]):
        name_end += 1
    name = rest[:name_end]
    if not name or name[0].isdigit():
        return None
    after = rest[name_end:].lstrip()
    if not after.startswith("="):
        return None
    value = _directive_value(after[1:])
    return None if value is None else (name, value)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _directive_value(text: str) -> str | None:
    """The value after ``=``, blanks around it dropped; on one line (no ``\\n``) and not
    empty. A value of blanks only is its last blank (kept as BuildKit's regex keeps it)."""
    value = text.strip()
    if value:
        return None if "\n" in value else value
    blanks = text.rstrip("\n")
    return blanks[-1] if blanks else None


def _heredoc_word_parts(raw: str) -> tuple[bool, str] | None:
    """For ``<<NAME``, ``<<-NAME`` (a file descriptor may come first: ``3<<NAME``):
    whether it has the ``-`` and the part after, which holds no ``<``. None for other words."""
    at = 0
    while at < len(raw) and raw[at].isdecimal():
        at += 1
    if not raw.startswith("<<", at):
        return None
    rest = raw[at + 2 :]
    chomp = rest.startswith("-")
    if chomp:
        rest = rest[1:]
    return None if "<" in rest else (chomp, rest)


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
            content = self.content(line).lstrip()
            directive = _directive(content)
            if directive is None or directive[0].lower() not in _KNOWN_DIRECTIVES:
                return index
            key, value = directive[0].lower(), directive[1]
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
        rest_at = _keyword_end(text, stripped_start)
        if rest_at == stripped_start:
            return None, i
        keyword = text[stripped_start:rest_at].upper()
        start = logical.file_start(stripped_start)
        onbuild = False
        if keyword == "ONBUILD":
            sub_at = rest_at + _lstrip_len(text, rest_at)
            sub_end = _keyword_end(text, sub_at)
            if sub_end > sub_at:
                keyword, onbuild, rest_at = text[sub_at:sub_end].upper(), True, sub_end
        flags, args_index = self._flags(logical, rest_at)
        args = logical.slice(args_index, len(text))
        exec_form = _exec_form(args)
        heredocs: tuple[Heredoc, ...] = ()
        end = logical.file_end(len(text))
        if keyword in _HEREDOC_INSTRUCTIONS and exec_form is None and "<<" in text:
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
            exec_form=exec_form,
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
            word, pos = _unquote_word(text, pos)
            if word == "--":
                return tuple(flags), pos
            name, eq, value = word[2:].partition("=")
            start, end = logical.file_span(word_start, pos)
            flags.append(Flag(name.lower(), value if eq else None, start, end))

    def _heredocs(self, logical: Mapped, i: int) -> tuple[tuple[Heredoc, ...], int]:
        docs: list[Heredoc] = []
        for word_start, word_end, raw in _docker_words(logical.text):
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


def _unquote_word(text: str, pos: int) -> tuple[str, int]:
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


def _docker_words(text: str) -> list[tuple[int, int, str]]:
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
    parts = _heredoc_word_parts(raw)
    if parts is None or not parts[1]:
        return None
    chomp, rest = parts
    inner = _docker_words(rest)
    if len(inner) != 1:
        return None
    name, _ = _unquote_word(rest, inner[0][0])
    if not name:
        return None
    quoted = any(q in rest for q in "'\"")
    return name, chomp, quoted


def _exec_form(args: Mapped) -> tuple[JsonString, ...] | None:
    """The JSON array of strings BuildKit would take as exec form, else None.

    BuildKit decodes the first JSON value and ignores what follows it (Go's json.Decoder),
    and rejects an array that holds anything but strings."""
    text = args.text
    lead = _lstrip_len(text)
    if not text.startswith("[", lead):
        return None
    plain = string_array(args, lead)
    if plain is not None:
        return plain[0]
    import json  # here: most files have only plain arrays, and json costs ~2 ms to load

    # Not plainly an array of strings: the json module says what it is, once we know its
    # recursion will not run out of stack.
    too_deep = _nesting_past(text, lead, MAX_JSON_NESTING)
    if too_deep is not None:
        raise ScanError(f"JSON array nested deeper than {MAX_JSON_NESTING} levels", args.file_start(too_deep))
    try:
        value, _ = json.JSONDecoder().raw_decode(text, lead)
    except ValueError:
        return None
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise ScanError("when using JSON array syntax, arrays must be comprised of strings only", args.file_start(lead))
    return None  # not an array: an array of strings is read above (tests/test_corpus.py)


_JSON_TOKEN = r'"(?:[^"\\]|\\.)*"|[\[\]{}]'  # a string, or a bracket


def _nesting_past(text: str, pos: int, limit: int) -> int | None:
    """Where the JSON value at ``text[pos]`` opens its array or object ``limit + 1`` levels
    deep, or None: brackets counted outside strings, up to the end of that value."""
    import re

    depth = 0
    for token in re.compile(_JSON_TOKEN).finditer(text, pos):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return token.start()
        elif bracket in "]}":
            depth -= 1
            if depth <= 0:
                return None
    return None


_JSON_SPACE = frozenset(" \t\n\r")
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset("0123456789abcdefABCDEF")


def string_array(args: Mapped, pos: int) -> tuple[tuple[JsonString, ...], int] | None:
    """The strings of the JSON array at ``args.text[pos]`` (a ``[``), decoded and mapped to
    the file, and where the array ends, when it is an array of strings as the json module
    would read it; None for anything else (other values, invalid JSON)."""
    text = args.text
    n = len(text)
    strings: list[JsonString] = []
    pos = _json_space(text, pos + 1)
    if pos < n and text[pos] == "]":
        return (), pos + 1
    while pos < n and text[pos] == '"':
        read = _json_string(args, pos)
        if read is None:
            return None
        string, pos = read
        strings.append(string)
        pos = _json_space(text, pos)
        if pos < n and text[pos] == "]":
            return tuple(strings), pos + 1
        if pos >= n or text[pos] != ",":
            return None
        pos = _json_space(text, pos + 1)
    return None


def _json_string(args: Mapped, pos: int) -> tuple[JsonString, int] | None:
    """The JSON string at ``args.text[pos]`` (a ``"``), its characters mapped to the file,
    and the index just past it; None if it is not strict JSON."""
    text = args.text
    n = len(text)
    builder = MappedBuilder()
    i = pos + 1
    while i < n and text[i] != '"':
        ch = text[i]
        if ch == "\\":
            esc = text[i + 1 : i + 2]
            if esc == "u":
                code = _hex4(text, i + 2)
                if code is None:
                    return None
                width = 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i + 6):
                    low = _hex4(text, i + 8)
                    if low is None:
                        return None
                    if 0xDC00 <= low < 0xE000:  # a pair; else two escapes, as json reads them
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        width = 12
                builder.add_char(chr(code), args.file_start(i))
                i += width
            elif esc in _JSON_ESCAPES:
                builder.add_char(_JSON_ESCAPES[esc], args.file_start(i))
                i += 2
            else:
                return None
        elif ch < " ":  # strict JSON: control characters must be escaped
            return None
        else:
            builder.add_char(ch, args.file_start(i))
            i += 1
    if i >= n:
        return None
    string = JsonString(builder.build(args.file_start(i)), args.file_start(pos), args.file_start(i) + 1)
    return string, i + 1


def _hex4(text: str, pos: int) -> int | None:
    digits = text[pos : pos + 4]
    return int(digits, 16) if len(digits) == 4 and set(digits) <= _HEX else None


def _json_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _JSON_SPACE:
        pos += 1
    return pos
