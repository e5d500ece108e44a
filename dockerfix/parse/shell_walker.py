"""Walks a tree-sitter-bash tree for the simple commands and exports of a script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerfix.parse.shell_reader import Reader
from dockerfix.parse.shell_script import Command, Export, Script
from dockerfix.settings import MAX_SHELL_NESTING

if TYPE_CHECKING:
    from tree_sitter import Node


class Walker:
    def __init__(self, reader: Reader, script: Script) -> None:
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
            if may_nest(reader.mapped.text[slice(*reader.span(child))]):
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
        return may_nest(text)

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


def may_nest(text: str) -> bool:
    """Whether a piece of script may hold commands of its own: $(..), `..`, <(..), >(..)."""
    return "$(" in text or "`" in text or "<(" in text or ">(" in text
