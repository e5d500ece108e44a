"""tree-sitter-bash adapter: the simple commands of a script, with word spans in file offsets.

The script is a ``Mapped`` text (a RUN's logical command, a heredoc body, or the string
argument of ``sh -c``), so every word comes back with the file span it was read from and,
where it has no expansions, its shell value mapped character by character. tree-sitter
counts UTF-8 bytes; we convert to characters once per script.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from dockerfix.parse.mapped import Mapped, MappedBuilder
from dockerfix.settings import MAX_SHELL_NESTING, PARSE_SECONDS, PARSE_SECONDS_PER_BYTE

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Tree

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
        self._parts: _Parts | Callable[[], _Parts] = (assignments, words)
        self.start = start  # file offsets
        self.end = end
        self.in_error = in_error
        self.text = text

    @classmethod
    def lazy(cls, parts: Callable[[], _Parts], start: int, end: int, in_error: bool, text: str) -> Command:
        command = cls.__new__(cls)  # one per command of a long RUN: no __init__ to run twice
        command._parts = parts
        command.start, command.end, command.in_error, command.text = start, end, in_error, text
        return command

    def _built(self) -> _Parts:
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


_Parts = tuple[tuple[Assignment, ...], tuple[Word, ...]]


class Export(NamedTuple):
    """``export NAME=value`` (or ``declare -x``): sets the environment of later commands."""

    assignment: Assignment
    start: int


@dataclass
class Script:
    """The commands and exports of one shell script, in document order."""

    mapped: Mapped
    commands: list[Command] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    has_error: bool = False
    # (file start, file end, why): part of the script was not read (see ``parse``)
    unread: tuple[int, int, str] | None = None

    def events(self) -> Iterator[Command | Export]:
        """Commands and exports in document order."""
        if not self.exports:  # the walk found the commands in document order
            return iter(self.commands)
        events: list[Command | Export] = [*self.commands, *self.exports]
        return iter(sorted(events, key=lambda e: e.start))


class _Kinds:
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


@lru_cache(maxsize=1)
def _parser() -> tuple[Parser, _Kinds]:
    """One parser per process, made on first use (a file without pip never needs one)."""
    binding = _extension("tree_sitter", "_binding")
    grammar = _extension("tree_sitter_bash", "_binding")
    language = binding.Language(grammar.language())
    return binding.Parser(language), _Kinds(language)


def _extension(package: str, name: str) -> Any:
    """A package's compiled extension module, loaded without the package's ``__init__``.

    tree-sitter-bash's ``__init__`` imports ``importlib.resources`` (and with it pathlib,
    tempfile, zipfile...) for query files we never read, tree-sitter's imports ``typing``:
    together about a fifth of a one-file run. The extension modules need neither. The
    package is imported the usual way only if its layout is not the one expected; a later
    ``import tree_sitter`` finds the same extension module in ``sys.modules``.
    """
    import importlib
    import os
    import sys
    from importlib import machinery

    qualified = f"{package}.{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    try:
        spec = machinery.PathFinder.find_spec(package)
        for directory in (spec and spec.submodule_search_locations) or ():
            for suffix in machinery.EXTENSION_SUFFIXES:
                path = os.path.join(directory, name + suffix)
                if os.path.isfile(path):
                    loader = machinery.ExtensionFileLoader(qualified, path)
                    module = loader.create_module(machinery.ModuleSpec(qualified, loader, origin=path))
                    loader.exec_module(module)
                    return sys.modules.setdefault(qualified, module)
    except (ImportError, OSError, AttributeError):
        pass
    return importlib.import_module(qualified)


def parse(mapped: Mapped) -> Script:
    """The script's commands and exports, read by tree-sitter.

    Bounded: a parse that runs past its time budget, or commands nested past
    ``MAX_SHELL_NESTING``, leave ``Script.unread`` saying why; what was read stays.
    """
    data = mapped.text.encode("utf-8")
    parser, kinds = _parser()
    tree = _parse_in_budget(parser, data)
    if tree is None:
        script = Script(mapped, has_error=True)
        seconds = _parse_budget(len(data))
        script.unread = (mapped.file_start(0), mapped.file_end(len(mapped.text)), f"tree-sitter could not parse it in {seconds:.0f} s")
        return script
    script = Script(mapped, has_error=tree.root_node.has_error)
    _Walker(_Reader(mapped, data, kinds), script).walk(tree.root_node)
    return script


def _parse_budget(size: int) -> float:
    """CPU seconds a parse of ``size`` bytes may take: many times what it takes on real
    scripts, so that only a pathological one (tree-sitter's error recovery on some inputs
    is quadratic) meets it."""
    return PARSE_SECONDS + size * PARSE_SECONDS_PER_BYTE


def _parse_in_budget(parser: Parser, data: bytes) -> Tree | None:
    """tree-sitter's tree of ``data``, or None when the parse ran past its budget."""
    clock = time.process_time
    deadline = clock() + _parse_budget(len(data))
    view = memoryview(data)
    try:
        tree = parser.parse(lambda at, _point: view[at:], progress_callback=lambda _at, _error: clock() > deadline)
    except ValueError:  # the binding's word for a parse the callback cancelled
        tree = None
    if tree is None or clock() > deadline:
        parser.reset()  # else the next parse would resume this one
        return None
    return tree


def _plain_word(mapped: Mapped, start: int, end: int, *, expands: bool) -> Word:
    """The word ``mapped.text[start:end]``, without quotes or escapes: its own value."""
    value = mapped.slice(start, end)
    return Word(value.text, value.offsets[0], value.offsets[-1], value, expands)


class _Reader:
    """Reads a script's nodes into commands' parts: words with their file spans and values.

    Apart from the walker, and holding no command, so that a command's lazy parts (which
    hold the reader) make no reference cycle: a long RUN's commands are freed by reference
    counting, not left for the cyclic garbage collector.
    """

    def __init__(self, mapped: Mapped, data: bytes, kinds: _Kinds) -> None:
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

    def parts(self, node: Node, extra: tuple[Node, ...]) -> _Parts:
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


class _Walker:
    def __init__(self, reader: _Reader, script: Script) -> None:
        self.reader = reader
        self.kinds = reader.kinds
        self.script = script
        # words a redirection on an enclosing list took from the command that ends the list
        self._pending_extra: dict[tuple[int, int], tuple[Node, ...]] = {}

    def walk(self, root: Node) -> None:
        """Collect commands and exports in document order.

        An explicit stack, not recursion: a RUN chaining thousands of commands with
        ``&&`` is a syntax tree thousands of levels deep. Children are pushed in reverse
        so that they are taken in order. A leaf (a word, an operator) holds no command and
        is never pushed. This loop meets every node of a long RUN:
        it reads integer kinds and does nothing else per node.
        """
        kinds = self.kinds
        # Each entry: a node, and how many commands it sits in (`$(..)` in an argument).
        stack: list[tuple[Node, int]] = [(root, 0)]
        pop, push = stack.pop, stack.extend
        while stack:
            node, depth = pop()
            kind = node.kind_id
            if kind in kinds.command:
                if depth > MAX_SHELL_NESTING:
                    # Each level's text holds every level inside it: past a bound, the
                    # walk would cost the square of the script.
                    start, end = self.reader.span(node)
                    mapped = self.reader.mapped
                    reason = f"its commands are nested deeper than {MAX_SHELL_NESTING} levels ($(..), `..`)"
                    self.script.unread = (mapped.file_start(start), mapped.file_end(end), reason)
                    return
                if self._command(node):
                    # Commands nested in arguments (`$(pip install x)`, `<(..)`) and in the
                    # name (`$(pip install x)` alone, `if $(..); then`) run too.
                    inner = depth + 1
                    push([(c, inner) for c in reversed(node.children) if c.child_count])
                continue
            if kind in kinds.redirected:
                push([(c, depth) for c in self._redirected(node)])
                continue
            if kind in kinds.declaration:
                self._declaration(node)
            push([(c, depth) for c in reversed(node.children) if c.child_count])

    def _redirected(self, node: Node) -> list[Node]:
        """Note the words a redirection takes from its command; return what to walk next.

        tree-sitter hangs the words after a redirection's target on the redirection
        (`pip >log install x`); for the shell they are arguments of the command. A
        redirection holds a command only in a substitution (`> $(..)`): with
        `cmd >> /tmp/log` on every line of a long RUN, look inside only when one is written.
        """
        kinds, reader = self.kinds, self.reader
        extra: list[Node] = []
        walk: list[Node] = []
        for child in node.children:
            if not child.child_count:
                continue
            if child.kind_id not in kinds.file_redirect:
                walk.append(child)
                continue
            if child.named_child_count > 1:  # a target and more
                extra.extend([c for c in child.named_children if c.kind_id in kinds.words][1:])
            if _may_nest(reader.mapped.text[slice(*reader.span(child))]):
                walk.append(child)
        walk.reverse()
        body = node.child_by_field_name("body") if extra else None
        if body is not None:
            # `a && pip install x>=1 y`: tree-sitter hangs the redirection (and `y`) on the
            # whole list; for the shell they belong to the list's last simple command.
            last = self._last_command(body)
            if last is not None:
                self._pending_extra[(last.start_byte, last.end_byte)] = tuple(extra)
        return walk

    def _last_command(self, node: Node) -> Node | None:
        """The simple command that ends ``node`` through lists and pipelines, if it is one."""
        while node.kind_id in self.kinds.list and node.named_child_count:
            node = node.named_children[-1]
        return node if node.kind_id in self.kinds.command else None

    def _command(self, node: Node) -> bool:
        """Record a simple command; say whether its arguments may hold commands."""
        extra = self._pending_extra.pop((node.start_byte, node.end_byte), ()) if self._pending_extra else ()
        reader = self.reader
        start, end = reader.span(node)
        if extra:
            end = max(end, reader.index(extra[-1].end_byte))
        mapped = reader.mapped
        text = mapped.text[start:end]
        self.script.commands.append(
            Command.lazy(
                lambda: reader.parts(node, extra),
                mapped.file_start(start),
                mapped.file_end(end),
                self.script.has_error,
                text,
            )
        )
        return _may_nest(text)

    def _declaration(self, node: Node) -> None:
        keyword = node.children[0].type if node.children else ""
        text = self.reader.mapped.text
        flags = [text[slice(*self.reader.span(c))] for c in node.children if c.type == "word"]
        exported = keyword == "export" or any(f.startswith("-") and "x" in f for f in flags)
        if not exported:
            return
        for child in node.children:
            if child.type == "variable_assignment":
                a = self.reader.assignment(child)
                self.script.exports.append(Export(a, a.start))


def _may_nest(text: str) -> bool:
    """Whether a piece of script may hold commands of its own: $(..), `..`, <(..), >(..)."""
    return "$(" in text or "`" in text or "<(" in text or ">(" in text
