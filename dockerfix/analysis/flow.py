"""Does one command of a RUN surely run after another? Shell control flow, read from the tree.

A tool's cache that a later command of the same RUN empties (``pip cache purge``,
``uv cache clean``, ``rm -rf ~/.cache``) never reaches the layer, but only when that command
runs whenever the install did. The shell's own structure says so:

* ``a; b``, ``a`` newline ``b``, statements of one ``{ }``, ``( )``, loop body or ``then``
  branch: ``b`` runs after ``a``;
* ``a && b``: ``b`` runs when ``a`` succeeded. A failed install fails the RUN unless something
  after it hides the status, so this counts, as it does for commands chained between them;
* ``a || b``, ``b`` in a branch, loop body, function or ``$( )`` that ``a`` is not in, ``a``
  or ``b`` in the background (``&``), ``a | b`` (they run side by side), ``! a``: not sure.

A place in a RUN is a :data:`Place`: for each shell script on the way in (the RUN's command,
then the script of ``sh -c '...'`` inside it ...), the script and the file offset where the
command starts in it. Scripts are read again with tree-sitter only when asked, which is rare
(a RUN with an install and a cleaning command).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell import shell_parser

if TYPE_CHECKING:
    from tree_sitter import Node

# (script, file offset of a command's first character in it), outermost script first.
Place = tuple[tuple[Mapped, int], ...]

# Nodes whose children run one after the other, each once the one before is done.
_SEQUENCES = frozenset({"program", "compound_statement", "subshell", "do_group", "else_clause", "case_item"})
# Nodes that run their child once they run (a command in a pipeline runs beside the others).
_TRANSPARENT = frozenset({"program", "compound_statement", "subshell", "redirected_statement", "pipeline"})


def surely_after(first: Place, second: Place) -> bool:
    """``second`` runs after ``first`` whenever ``first`` ran (and the RUN succeeds)."""
    if not is_later(first, second):
        return False  # decided without reading the script again
    for level, ((script, a), (other, b)) in enumerate(zip(first, second)):
        if script is not other:
            return False
        if a == b:  # the same command (``sh -c '...'``): compare inside it
            if not _tree(script).foreground(a):
                return False
            continue
        if not _tree(script).after(a, b):
            return False
        # Inside ``first``'s command, nothing may outlive it; inside ``second``'s, the
        # cleaning command runs whenever its script does.
        return all(_tree(s).not_deferred(at) for s, at in first[level + 1 :]) and all(
            _tree(s).unconditional(at) for s, at in second[level + 1 :]
        )
    return False


_TREES: list[_Tree] = []  # the last scripts read: a RUN's calls are asked about in turn


def _tree(script: Mapped) -> _Tree:
    for tree in _TREES:
        if tree.script is script:
            return tree
    tree = _Tree(script)
    _TREES[:] = [tree, *_TREES[:3]]
    return tree


def is_later(first: Place, second: Place) -> bool:
    """``second`` starts after ``first`` in a script they share."""
    for (script, a), (other, b) in zip(first, second):
        if script is not other:
            return False
        if a != b:
            return b > a
    return False


class _Tree:
    """One script read by tree-sitter, to answer questions about its commands.

    A command is found by walking down from the root, keeping the path: in tree-sitter a
    node's parent and siblings are found again from the root on every ask, which in a long
    ``&&`` chain (a tree thousands of levels deep) would make each walk up quadratic.
    """

    def __init__(self, script: Mapped) -> None:
        self.script = script
        self.data = script.text.encode("utf-8")
        parser, _ = shell_parser()
        self.root = parser.parse(self.data).root_node

    def path(self, offset: int) -> list[_Step] | None:
        """Root first, the steps down to the simple command that starts at file ``offset``."""
        index = bisect_left(self.script.offsets, offset)
        byte = len(self.script.text[:index].encode("utf-8"))
        node, siblings, at = self.root, [self.root], 0
        path = [_Step(node, siblings, at)]
        while not (node.type == "command" and node.start_byte == byte):
            children = node.children
            at = next((i for i, c in enumerate(children) if c.start_byte <= byte < c.end_byte), -1)
            if at < 0:
                return None
            node, siblings = children[at], children
            path.append(_Step(node, siblings, at))
        return path

    def after(self, a: int, b: int) -> bool:
        first, second = self.path(a), self.path(b)
        if first is None or second is None:
            return False
        k = 0  # the common ancestors: a shared prefix of the two paths
        while k < min(len(first), len(second)) and first[k].key == second[k].key:
            k += 1
        if k == len(first) or k == len(second):
            return False  # one inside the other's arguments: ``pip install $(rm ...)``
        return (
            _foreground(first[1:k])
            and _not_deferred(first[k - 1 :])
            and not second[k].backgrounded
            and _unconditional(second[k:])
            and _in_order(first[k - 1].node, first[k], second[k])
        )

    def foreground(self, at: int) -> bool:
        path = self.path(at)
        return path is not None and _foreground(path[1:])

    def not_deferred(self, at: int) -> bool:
        path = self.path(at)
        return path is not None and _not_deferred(path)

    def unconditional(self, at: int) -> bool:
        path = self.path(at)
        return path is not None and _unconditional(path)


class _Step:
    """A node on the way down, with its parent's children and its place among them."""

    __slots__ = ("node", "siblings", "at", "key")

    def __init__(self, node: Node, siblings: list[Node], at: int) -> None:
        self.node, self.siblings, self.at = node, siblings, at
        self.key = (node.start_byte, node.end_byte, node.kind_id)

    @property
    def backgrounded(self) -> bool:
        """``node &``: the shell goes on without waiting for it."""
        nxt = self.at + 1
        return nxt < len(self.siblings) and self.siblings[nxt].type == "&"

    @property
    def operator_before(self) -> str | None:
        return self.siblings[self.at - 1].type if self.at > 0 else None


def _foreground(steps: Sequence[_Step]) -> bool:
    """No step runs in the background: the RUN ends when its shell does, and what the shell
    did not wait for may not have run (or finished) by then."""
    return not any(step.backgrounded for step in steps)


def _not_deferred(path: Sequence[_Step]) -> bool:
    """The command at the end of ``path`` is done when ``path[0]`` is: not in a function body
    (run later, if at all), not in the background, not negated."""
    for parent, step in zip(path, path[1:]):
        if parent.node.type in ("function_definition", "negated_command", "process_substitution"):
            return False
        if step.backgrounded:
            return False
    return True


def _unconditional(path: Sequence[_Step]) -> bool:
    """The command at the end of ``path`` runs whenever ``path[0]`` does (through ``&&``:
    when what comes before it succeeds), and the shell waits for it."""
    for parent, step in zip(path, path[1:]):
        if step.backgrounded:
            return False
        kind = parent.node.type
        if kind == "list":
            if step.at != 0 and step.operator_before != "&&":
                return False
        elif kind == "redirected_statement":
            if step.at != 0:
                return False
        elif kind not in _TRANSPARENT:
            return False
    return True


def _in_order(common: Node, a: _Step, b: _Step) -> bool:
    """Within ``common``, ``b`` (which comes after ``a``) surely runs once ``a`` is done."""
    if a.backgrounded:
        return False
    kind = common.type
    if kind in _SEQUENCES:
        return True
    if kind == "list":
        return b.operator_before == "&&"
    if kind in ("if_statement", "elif_clause"):
        # Both in the ``then`` branch; not the condition, not another branch.
        then = next((i for i, c in enumerate(a.siblings) if c.type == "then"), None)
        return then is not None and a.at > then and b.node.type not in ("elif_clause", "else_clause")
    return False
