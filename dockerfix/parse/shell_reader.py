"""Reads tree-sitter-bash nodes into words and assignments: file spans, and values after
quote removal mapped character by character. tree-sitter counts UTF-8 bytes; the reader
converts them to characters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerfix.parse.mapped import Mapped, MappedBuilder
from dockerfix.parse.shell_script import Assignment, Parts, Word

if TYPE_CHECKING:
    from tree_sitter import Language, Node

_WORD_TYPES = frozenset(
    {
        "word",
        "string",
        "raw_string",
        "concatenation",
        "simple_expansion",
        "expansion",
        "command_substitution",
        "number",
        "ansi_c_string",
        "translated_string",
        "process_substitution",
        "arithmetic_expansion",
        "brace_expression",
    }
)
_EXPANSIONS = frozenset(
    {"simple_expansion", "expansion", "command_substitution", "process_substitution", "arithmetic_expansion"}
)
# Inside double quotes a backslash escapes only these characters (POSIX 2.2.3).
_DQ_ESCAPABLE = frozenset('$`"\\\n')


class Kinds:
    """tree-sitter-bash's node kinds as the grammar's integer ids.

    ``Node.type`` makes a new string on every read; ``kind_id`` is an int. A name can
    belong to several ids (aliases), so each is a set of every id with that name.
    """

    def __init__(self, language: Language) -> None:
        ids: dict[str, set[int]] = {}
        for i in range(language.node_kind_count):
            kind = language.node_kind_for_id(i)
            if kind is not None and language.node_kind_is_named(i):
                ids.setdefault(kind, set()).add(i)

        def of(*kinds: str) -> frozenset[int]:
            return frozenset(i for kind in kinds for i in ids.get(kind, ()))

        self.command = of("command")
        self.redirected = of("redirected_statement")
        self.declaration = of("declaration_command")
        self.words = of(*_WORD_TYPES)
        self.plain = of("word", "number")
        self.assignment = of("variable_assignment")
        self.command_name = of("command_name")
        self.redirect = of("file_redirect", "herestring_redirect")
        self.file_redirect = of("file_redirect")
        self.list = of("list", "pipeline", "negated_command")


def _plain_word(mapped: Mapped, start: int, end: int, *, expands: bool) -> Word:
    """The word ``mapped.text[start:end]``, without quotes or escapes: its own value."""
    value = mapped.slice(start, end)
    return Word(value.text, value.offsets[0], value.offsets[-1], value, expands)


class Reader:
    """Reads a script's nodes into commands' parts: words with their file spans and values.

    Apart from the walker, and holding no command, so that a command's lazy parts (which
    hold the reader) make no reference cycle: a long RUN's commands are freed by reference
    counting, not left for the cyclic garbage collector.
    """

    def __init__(self, mapped: Mapped, data: bytes, kinds: Kinds) -> None:
        self.mapped = mapped
        self.kinds = kinds
        self.ascii = len(data) == len(mapped.text)
        self._char_of_byte: list[int] | None = None

    def index(self, byte: int) -> int:
        """Character index in the script of a UTF-8 byte offset."""
        if self.ascii:
            return byte
        if self._char_of_byte is None:
            table = []
            for i, ch in enumerate(self.mapped.text):
                table.extend([i] * len(ch.encode("utf-8")))
            table.append(len(self.mapped.text))
            self._char_of_byte = table
        return self._char_of_byte[byte]

    def span(self, node: Node) -> tuple[int, int]:
        if self.ascii:
            return node.start_byte, node.end_byte
        return self.index(node.start_byte), self.index(node.end_byte)

    def parts(self, node: Node, extra: tuple[Node, ...]) -> Parts:
        kinds = self.kinds
        assignments: list[Assignment] = []
        words: list[Node] = []
        moved = False
        for child in node.children:
            kind = child.kind_id
            if kind in kinds.words:
                words.append(child)
            elif kind in kinds.assignment:
                assignments.append(self.assignment(child))
            elif kind in kinds.command_name:
                words.extend(c for c in child.children if c.kind_id in kinds.words)
            elif kind in kinds.redirect:
                words.extend([c for c in child.children if c.kind_id in kinds.words][1:])
                moved = True
        words.extend(extra)
        if moved or extra:  # otherwise the children came in document order
            words.sort(key=lambda n: n.start_byte)
        return tuple(assignments), tuple([self.word(w) for w in words])

    def assignment(self, node: Node) -> Assignment:
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        name = self.mapped.text[slice(*self.span(name_node))] if name_node is not None else ""
        start, end = self.span(node)
        value = self.word(value_node) if value_node is not None else None
        return Assignment(name, value, self.mapped.file_start(start), self.mapped.file_end(end))

    def word(self, node: Node) -> Word:
        start, end = self.span(node)
        mapped = self.mapped
        raw = mapped.text[start:end]
        if node.kind_id in self.kinds.plain and "\\" not in raw:
            # The common case, without building the value character by character: a
            # plain word is its own value (what ``_value`` would build, much faster).
            return _plain_word(mapped, start, end, expands="$" in raw or "`" in raw)
        if node.type in _EXPANSIONS:  # `$(..)` as a whole word: its value is as written
            return _plain_word(mapped, start, end, expands=True)
        builder = MappedBuilder()
        expands = self._value(node, builder)
        return Word(
            raw=raw,
            start=self.mapped.file_start(start),
            end=self.mapped.file_end(end),
            value=builder.build(self.mapped.file_end(end)),
            expands=expands,
        )

    def _add(self, builder: MappedBuilder, start: int, end: int) -> None:
        builder.add_mapped(self.mapped.text[start:end], self.mapped.offsets[start:end])

    def _value(self, node: Node, builder: MappedBuilder) -> bool:
        """Append the node's value after quote removal; return True if it expands."""
        kind = node.type
        start, end = self.span(node)
        text = self.mapped.text
        if kind == "raw_string":
            self._add(builder, start + 1, end - 1)
            return False
        if kind in _EXPANSIONS:
            self._add(builder, start, end)
            return True
        if kind == "string":
            inner_start, inner_end = start + 1, end - 1
            expands = False
            pos = inner_start
            for child in node.children:
                c_start, c_end = self.span(child)
                if child.type in _EXPANSIONS:
                    self._unescape(builder, pos, c_start, double_quoted=True)
                    self._add(builder, c_start, c_end)
                    pos, expands = c_end, True
            self._unescape(builder, pos, inner_end, double_quoted=True)
            return expands
        if kind == "concatenation":
            expands = False
            pos = start
            for child in node.children:
                c_start, c_end = self.span(child)
                self._unescape(builder, pos, c_start, double_quoted=False)
                expands |= self._value(child, builder)
                pos = c_end
            self._unescape(builder, pos, end, double_quoted=False)
            return expands
        if kind == "ansi_c_string":
            # $'..' escapes are rare in RUN lines; keep them raw but call them expanding
            # so nothing relies on their value.
            self._add(builder, start, end)
            return True
        if kind in ("word", "number"):
            self._unescape(builder, start, end, double_quoted=False)
            return "$" in text[start:end] or "`" in text[start:end]
        self._add(builder, start, end)
        return True

    def _unescape(self, builder: MappedBuilder, start: int, end: int, *, double_quoted: bool) -> None:
        text = self.mapped.text
        i = start
        while i < end:
            ch = text[i]
            if ch == "\\" and i + 1 < end:
                nxt = text[i + 1]
                if nxt == "\n":
                    i += 2
                    continue
                if not double_quoted or nxt in _DQ_ESCAPABLE:
                    builder.add_char(nxt, self.mapped.offsets[i + 1])
                    i += 2
                    continue
            builder.add_char(ch, self.mapped.offsets[i])
            i += 1
