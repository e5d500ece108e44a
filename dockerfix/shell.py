"""tree-sitter-bash adapter: the simple commands of a script, with word spans in file offsets.

The script is a ``Mapped`` text (a RUN's logical command, a heredoc body, or the string
argument of ``sh -c``), so every word comes back with the file span it was read from and,
where it has no expansions, its shell value mapped character by character. tree-sitter
counts UTF-8 bytes; we convert to characters once per script.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from dockerfix.mapped import Mapped, MappedBuilder
from dockerfix.record import field, record

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

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


@record
class Word:
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


@record
class Assignment:
    """``NAME=value`` before a command or in ``export``."""

    name: str
    value: Word | None
    start: int
    end: int


@record
class Command:
    """A simple command: leading assignments, then argv (redirections left out)."""

    assignments: tuple[Assignment, ...]
    words: tuple[Word, ...]
    start: int
    end: int
    in_error: bool = False  # inside or beside a region tree-sitter could not parse


@record
class Export:
    """``export NAME=value`` (or ``declare -x``): sets the environment of later commands."""

    assignment: Assignment
    start: int


@record(frozen=False)
class Script:
    """The commands and exports of one shell script, in document order."""

    mapped: Mapped
    commands: list[Command] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    has_error: bool = False

    def events(self) -> Iterator[Command | Export]:
        """Commands and exports in document order."""
        events: list[Command | Export] = [*self.commands, *self.exports]
        return iter(sorted(events, key=lambda e: e.start))


@lru_cache(maxsize=1)
def _parser() -> Parser:
    """One parser per process, made on first use (a file without pip never needs one)."""
    from tree_sitter import Language, Parser

    return Parser(Language(_bash_language()))


def _bash_language() -> object:
    """tree-sitter-bash's compiled grammar.

    The package's ``__init__`` imports ``importlib.resources`` (and with it pathlib,
    tempfile, zipfile...) for query files we never read: about a fifth of a one-file run.
    So the extension module is loaded by itself, and the package is imported only if its
    layout is not the one expected.
    """
    import os
    import sys
    from importlib import machinery

    name = "tree_sitter_bash._binding"
    try:
        spec = machinery.PathFinder.find_spec("tree_sitter_bash")
        for directory in (spec and spec.submodule_search_locations) or ():
            for suffix in machinery.EXTENSION_SUFFIXES:
                path = os.path.join(directory, "_binding" + suffix)
                if os.path.isfile(path):
                    loader = machinery.ExtensionFileLoader(name, path)
                    module = loader.create_module(machinery.ModuleSpec(name, loader, origin=path))
                    loader.exec_module(module)
                    sys.modules.setdefault(name, module)
                    return sys.modules[name].language()
    except (ImportError, OSError, AttributeError):
        pass
    import tree_sitter_bash

    return tree_sitter_bash.language()


def parse(mapped: Mapped) -> Script:
    data = mapped.text.encode("utf-8")
    tree = _parser().parse(data)
    script = Script(mapped, has_error=tree.root_node.has_error)
    _Walker(mapped, data, script).walk(tree.root_node, in_error=False)
    return script


# (what to do, the node, words a redirection moved onto the command, inside an error)
_Step = tuple[str, "Node", tuple["Node", ...], bool]


class _Walker:
    def __init__(self, mapped: Mapped, data: bytes, script: Script) -> None:
        self.mapped = mapped
        self.data = data
        self.script = script
        self.ascii = len(data) == len(mapped.text)
        self._char_of_byte: list[int] | None = None
        # words a redirection on an enclosing list took from the command that ends the list
        self._pending_extra: dict[tuple[int, int], tuple[Node, ...]] = {}

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

    def walk(self, root: Node, in_error: bool) -> None:
        """Collect commands and exports in document order.

        An explicit stack, not recursion: a RUN chaining thousands of commands with
        ``&&`` is a syntax tree thousands of levels deep. Each step pushes its parts in
        reverse so that they are taken in order, exactly as a recursive walk would.
        """
        stack: list[_Step] = [("walk", root, (), in_error)]
        while stack:
            kind, node, extra, in_error = stack.pop()
            if kind == "walk":
                stack.extend(reversed(self._walk_steps(node, in_error)))
            elif kind == "command":
                stack.extend(reversed(self._command(node, extra, in_error)))
            else:
                stack.extend(reversed(self._nested(node, in_error)))

    def _walk_steps(self, node: Node, in_error: bool) -> list[_Step]:
        in_error = in_error or node.type == "ERROR" or node.is_missing
        kind = node.type
        if kind == "redirected_statement":
            return self._redirected(node, in_error)
        if kind == "command":
            extra = self._pending_extra.pop((node.start_byte, node.end_byte), ())
            return [("command", node, extra, in_error)]
        if kind == "declaration_command":
            self._declaration(node)
        # A leaf (a word, an operator) holds no command: no step for it.
        return [("walk", child, (), in_error) for child in node.children if child.child_count]

    def _redirected(self, node: Node, in_error: bool) -> list[_Step]:
        body = node.child_by_field_name("body")
        extra: list[Node] = []
        steps: list[_Step] = []
        for child in node.children:
            if child.type == "file_redirect":
                # tree-sitter-bash hangs the words after a redirection's target on the
                # redirection (`pip >log install x`); for the shell they are arguments.
                targets = [c for c in child.children if c.type in _WORD_TYPES]
                extra.extend(targets[1:])
                steps.extend(("walk", target, (), in_error) for target in targets[:1])
            elif child != body:
                steps.append(("walk", child, (), in_error))
        if body is None:
            return steps
        # `a && pip install x>=1 y`: tree-sitter hangs the redirection (and `y`) on the whole
        # list; for the shell they belong to the list's last simple command.
        last = _last_command(body)
        if last is None:
            steps.append(("walk", body, (), in_error))
            steps.extend(("walk", word, (), in_error) for word in extra)
        elif last == body:
            steps.append(("command", body, tuple(extra), in_error))
        else:
            self._pending_extra[(last.start_byte, last.end_byte)] = tuple(extra)
            steps.append(("walk", body, (), in_error))
        return steps

    def _command(self, node: Node, extra: tuple[Node, ...], in_error: bool) -> list[_Step]:
        assignments: list[Assignment] = []
        words: list[Node] = []
        moved = False
        children = node.children
        for child in children:
            kind = child.type  # tree-sitter makes a new string per access: read it once
            if kind in _WORD_TYPES:
                words.append(child)
            elif kind == "variable_assignment":
                assignments.append(self._assignment(child))
            elif kind == "command_name":
                words.extend(c for c in child.children if c.type in _WORD_TYPES)
            elif kind in ("file_redirect", "herestring_redirect"):
                targets = [c for c in child.children if c.type in _WORD_TYPES]
                words.extend(targets[1:])
                moved = True
        words.extend(extra)
        if moved or extra:  # otherwise the children came in document order
            words.sort(key=lambda n: n.start_byte)
        start, end = self.span(node)
        if extra:
            end = max(end, self.index(extra[-1].end_byte))
        self.script.commands.append(
            Command(
                tuple(assignments),
                tuple([self.word(w) for w in words]),
                self.mapped.file_start(start),
                self.mapped.file_end(end),
                in_error,
            )
        )
        # Commands nested in arguments (`$(pip install x)`) run too.
        steps: list[_Step] = [
            ("nested", child, (), in_error) for child in children if child.child_count and child.type != "command_name"
        ]
        return steps + [("nested", w, (), in_error) for w in extra]

    def _nested(self, node: Node, in_error: bool) -> list[_Step]:
        if node.type in ("command_substitution", "process_substitution"):
            return [("walk", child, (), in_error) for child in node.children if child.child_count]
        return [("nested", child, (), in_error) for child in node.children if child.child_count]

    def _declaration(self, node: Node) -> None:
        keyword = node.children[0].type if node.children else ""
        flags = [self.mapped.text[slice(*self.span(c))] for c in node.children if c.type == "word"]
        exported = keyword == "export" or any(f.startswith("-") and "x" in f for f in flags)
        if not exported:
            return
        for child in node.children:
            if child.type == "variable_assignment":
                a = self._assignment(child)
                self.script.exports.append(Export(a, a.start))

    def _assignment(self, node: Node) -> Assignment:
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
        if node.type in ("word", "number") and "\\" not in raw:
            # The common case, without building the value character by character: a
            # plain word is its own value (what ``_value`` would build, much faster).
            offsets = [*mapped.offsets[start:end], mapped.file_end(end)]
            return Word(raw, mapped.offsets[start], offsets[-1], Mapped(raw, offsets), "$" in raw or "`" in raw)
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
        for i in range(start, end):
            builder.add_char(self.mapped.text[i], self.mapped.offsets[i])

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


def _last_command(node: Node) -> Node | None:
    """The simple command that ends ``node`` through lists and pipelines, if it is one."""
    while node.type in ("list", "pipeline", "negated_command") and node.named_children:
        node = node.named_children[-1]
    return node if node.type == "command" else None
