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

from dockerfix.mapped import Mapped

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
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
    for level, ((script, a), (other, b)) in enumerate(zip(first, second)):
        if script is not other:
            return False
        if a == b:  # the same command (``sh -c '...'``): compare inside it
            if not _Tree(script).foreground(a):
                return False
            continue
        tree = _Tree(script)
        if not tree.after(a, b):
            return False
        # Inside ``first``'s command, nothing may outlive it; inside ``second``'s, the
        # cleaning command runs whenever its script does.
        return all(_Tree(s).not_deferred(at) for s, at in first[level + 1 :]) and all(
            _Tree(s).unconditional(at) for s, at in second[level + 1 :]
        )
    return False


class _Tree:
    """One script read by tree-sitter, to answer questions about its commands."""

    def __init__(self, script: Mapped) -> None:
        from dockerfix.shell import _parser

        self.script = script
        self.data = script.text.encode("utf-8")
        parser, _ = _parser()
        self.root = parser.parse(self.data).root_node

    def command(self, offset: int) -> Node | None:
        """The simple command that starts at file ``offset``."""
        index = bisect_left(self.script.offsets, offset)
        byte = len(self.script.text[:index].encode("utf-8"))
        node = self.root.descendant_for_byte_range(byte, byte + 1)
        while node is not None and not (node.type == "command" and node.start_byte == byte):
            node = node.parent
        return node

    def after(self, a: int, b: int) -> bool:
        first, second = self.command(a), self.command(b)
        if first is None or second is None or first.start_byte >= second.start_byte:
            return False
        up_a, up_b = _ancestors(first), _ancestors(second)
        common = next((n for n in up_b if n in up_a), None)
        if common is None or common == first or common == second:
            return False  # (one inside the other's arguments: ``pip install $(rm ...)``)
        a_top = up_a[up_a.index(common) - 1]
        b_top = up_b[up_b.index(common) - 1]
        return (
            _foreground(up_a[up_a.index(common) :])
            and _not_deferred(up_a[: up_a.index(common) + 1])
            and _unconditional(up_b[: up_b.index(common)])
            and _in_order(common, a_top, b_top)
        )

    def foreground(self, at: int) -> bool:
        node = self.command(at)
        return node is not None and _foreground(_ancestors(node))

    def not_deferred(self, at: int) -> bool:
        node = self.command(at)
        return node is not None and _not_deferred(_ancestors(node))

    def unconditional(self, at: int) -> bool:
        node = self.command(at)
        return node is not None and _unconditional(_ancestors(node))


def _ancestors(node: Node) -> list[Node]:
    """``node``, its parent, ... up to the script's root."""
    out = [node]
    while out[-1].parent is not None:
        out.append(out[-1].parent)
    return out


def _backgrounded(node: Node) -> bool:
    """``node &``: the shell goes on without waiting for it."""
    sibling = node.next_sibling
    return sibling is not None and sibling.type == "&"


def _foreground(chain: Sequence[Node]) -> bool:
    """No node of ``chain`` runs in the background: the RUN ends when its shell does, and
    what the shell did not wait for may not have run (or finished) by then."""
    return not any(_backgrounded(node) for node in chain[:-1])


def _not_deferred(chain: Sequence[Node]) -> bool:
    """The command at ``chain[0]`` is done when its ancestor ``chain[-1]`` is: not in a
    function body (run later, if at all), not in the background, not negated."""
    for node, parent in zip(chain, chain[1:]):
        if parent.type in ("function_definition", "negated_command", "process_substitution"):
            return False
        if _backgrounded(node):
            return False
    return True


def _unconditional(chain: Sequence[Node]) -> bool:
    """The command at ``chain[0]`` runs whenever ``chain[-1]`` does (through ``&&``: when
    what comes before it succeeds)."""
    for node, parent in zip(chain, chain[1:]):
        if _backgrounded(node):
            return False
        if parent.type == "list":
            if node != parent.children[0] and _operator_before(node) != "&&":
                return False
        elif parent.type == "redirected_statement":
            if node != parent.children[0]:
                return False
        elif parent.type not in _TRANSPARENT:
            return False
    return True


def _operator_before(node: Node) -> str | None:
    previous = node.prev_sibling
    return previous.type if previous is not None else None


def _in_order(common: Node, a: Node, b: Node) -> bool:
    """Within ``common``, ``b`` (which comes after ``a``) surely runs once ``a`` is done."""
    if _backgrounded(a):
        return False
    kind = common.type
    if kind in _SEQUENCES:
        return True
    if kind == "list":
        return _operator_before(b) == "&&"
    if kind in ("if_statement", "elif_clause"):
        # Both in the ``then`` branch; not the condition, not another branch.
        then = next((i for i, c in enumerate(common.children) if c.type == "then"), None)
        index = common.children.index(a)
        return then is not None and index > then and b.type not in ("elif_clause", "else_clause")
    return False
