"""Git's ignore rules for discovery: nested ``.gitignore`` files and ``.git/info/exclude``.

Each ``.gitignore`` speaks for its own directory and below, its patterns relative to that
directory. A deeper file's verdict beats a shallower one's, and within a file the last
matching pattern wins, negations included (pathspec's ``GitIgnoreSpec`` implements git's
wildmatch). ``.git/info/exclude`` ranks below every ``.gitignore``, as in git. The walker
does not enter an ignored directory, so, as in git, a ``!negation`` cannot bring back a file
inside one.

Which files count: inside a git work tree, those from the work tree's top down (walking
``services/`` still obeys the top-level ``.gitignore``); outside one, those from the walked
directory down, so an exported checkout keeps its rules and a stray ``~/.gitignore`` above
the project cannot hide it. The global ``core.excludesFile`` is not read: it is one user's
taste, and a CI machine would disagree with the laptop.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class _Rules(NamedTuple):
    """The patterns of one ignore file."""

    base: str  # absolute directory the patterns are relative to, without a trailing separator
    source: str  # the ignore file, for messages
    spec: GitIgnoreSpec
    lines: tuple[tuple[int, str], ...]  # (line number, pattern) per pattern of ``spec``


_Chain = tuple[_Rules, ...]  # shallowest first


class GitIgnore:
    """Answers "is this path ignored, and by which line?"; every ignore file is read once."""

    def __init__(self) -> None:
        self._chains: dict[tuple[str, str], _Chain] = {}
        self._tops: dict[str, str | None] = {}

    def ignored(self, path: str, is_dir: bool, floor: str) -> str | None:
        """Why the absolute ``path`` is ignored (``".gitignore:3: build/"``), or None.

        ``floor`` is the walked directory: the ``.gitignore`` files below it count, and,
        in a git work tree, those up to the work tree's top as well.
        """
        chain = self._chain(os.path.dirname(path), self._floor(floor))
        for rules in reversed(chain):
            rel = path[len(rules.base) + 1 :] if rules.base != os.sep else path[1:]
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            result = rules.spec.check_file(rel + "/" if is_dir else rel)
            if result.include is None:
                continue
            if not result.include or result.index is None:
                return None  # re-included by a ``!`` pattern
            lineno, pattern = rules.lines[result.index]
            return f"{rules.source}:{lineno}: {pattern}"
        return None

    def ignored_with_parents(self, path: str, is_dir: bool, floor: str) -> str | None:
        """Like ``ignored``, but a path inside an ignored directory is ignored too."""
        top = self._floor(floor)
        parents: list[str] = []
        parent = os.path.dirname(path)
        while _is_below(parent, top):
            parents.append(parent)
            parent = os.path.dirname(parent)
        for directory in reversed(parents):
            reason = self.ignored(directory, True, floor)
            if reason:
                return reason
        return self.ignored(path, is_dir, floor)

    def _floor(self, walked: str) -> str:
        return self._top(walked) or walked

    def _top(self, directory: str) -> str | None:
        """The git work tree containing ``directory`` (a ``.git`` directory or file), or None."""
        if directory in self._tops:
            return self._tops[directory]
        if os.path.exists(os.path.join(directory, ".git")):
            top: str | None = directory
        else:
            parent = os.path.dirname(directory)
            top = None if parent == directory else self._top(parent)
        self._tops[directory] = top
        return top

    def _chain(self, directory: str, floor: str) -> _Chain:
        key = (directory, floor)
        chain = self._chains.get(key)
        if chain is not None:
            return chain
        if directory == floor or not _is_below(directory, floor):
            chain = self._own_rules(directory, with_info_exclude=directory == self._top(directory))
        else:
            chain = self._chain(os.path.dirname(directory), floor) + self._own_rules(directory)
        self._chains[key] = chain
        return chain

    def _own_rules(self, directory: str, *, with_info_exclude: bool = False) -> _Chain:
        found: list[_Rules] = []
        if with_info_exclude:
            rules = _read(directory, os.path.join(directory, ".git", "info", "exclude"))
            found.extend(rules)
        found.extend(_read(directory, os.path.join(directory, ".gitignore")))
        return tuple(found)


def _read(base: str, path: str) -> list[_Rules]:
    """The rules of the ignore file at ``path``. One that is a FIFO, a device or larger
    than the default size limit raises (``reading.NotRegularFile``, ``FileTooLarge``, with
    ``filename`` set): a walk that went on without its rules could write ignored files."""
    from dockerfix.fix.reading import FileTooLarge, NotRegularFile, read_regular

    try:
        text = read_regular(path)[0].decode("utf-8", errors="surrogateescape")
    except (NotRegularFile, FileTooLarge) as exc:
        exc.filename = _shown(path)
        raise
    except OSError:
        return []  # absent (the usual case), or a directory, or unreadable: git skips it too
    lines = [
        (number, line.rstrip("\r"))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        return []
    from pathspec import GitIgnoreSpec  # a heavy import: only when a walk meets an ignore file

    spec = GitIgnoreSpec.from_lines([line for _, line in lines])
    if len(spec.patterns) != len(lines):
        # pathspec dropped a line we kept: line numbers would be wrong, so give none.
        lines = [(0, str(getattr(p, "pattern", p))) for p in spec.patterns]
    return [_Rules(base.rstrip(os.sep) or os.sep, _shown(path), spec, tuple(lines))]


def _shown(path: str) -> str:
    """``path`` relative to the working directory when it is below it."""
    cwd = os.getcwd()
    return os.path.relpath(path, cwd) if _is_below(path, cwd) else path


def _is_below(path: str, directory: str) -> bool:
    return path != directory and path.startswith(directory.rstrip(os.sep) + os.sep)
