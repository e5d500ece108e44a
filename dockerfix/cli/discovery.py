"""Command-line paths -> the Dockerfiles to check.

Name matching is case-insensitive: docker itself falls back from ``Dockerfile`` to
``dockerfile``, and on the case-insensitive filesystems of macOS and Windows the two are
the same file anyway. ``Dockerfile.*`` / ``Containerfile.*`` would also catch files that
are plainly something else (BuildKit's ``Dockerfile.dockerignore``, the ``.orig`` and
``.rej`` that ``patch`` leaves, a ``dockerfile.py`` module), so those suffixes are
skipped while walking. A file named on the command line is always taken, unless
``force_exclude`` (pre-commit passes every file by name; ruff's ``--force-exclude``).

While walking, a path is skipped when it matches the excludes (``DEFAULT_EXCLUDES`` or a
configuration's, see ``dockerfix.cli.config``), a ``--exclude`` glob, or git's ignore rules
(``dockerfix.cli.gitignore``). Symlinked directories are not entered (they can loop), and a
symlinked Dockerfile whose target lies outside the walked directory is found but marked:
it is checked and reported, never written (``runner.process``'s ``root``). Every skip can
be logged with its reason (``-v``). A directory argument with no Dockerfile to check is
not an error (ruff's rule: a warning, exit 0); the warning says what was skipped and why.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from dockerfix.fix.diff import quoted_name  # names printed in git's quotes when they hold odd bytes

if TYPE_CHECKING:
    from dockerfix.cli.gitignore import GitIgnore

STDIN = "-"

DOCKERFILE_NAME_PATTERNS: tuple[str, ...] = (
    "Dockerfile",
    "Containerfile",
    "*.Dockerfile",
    "*.dockerfile",
    "Dockerfile.*",
    "Containerfile.*",
    "Dockerfile-*",
    "Dockerfile_*",
    "*.Containerfile",
    "Containerfile-*",
)

# Suffixes that make a ``Dockerfile.*`` name something other than a Dockerfile.
NOT_DOCKERFILE_SUFFIXES: tuple[str, ...] = (
    ".dockerignore",
    ".orig",
    ".rej",
    ".bak",
    ".swp",
    "~",
    ".py",
    ".go",
    ".rs",
    ".js",
    ".ts",
    ".sh",
    ".md",
    ".rst",
    ".html",
    ".json",
    ".yml",
    ".yaml",
    ".toml",
)

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".tox",
    ".mypy_cache",
)

# (absolute directory, entry name, is a directory) -> why it is excluded, or None
Excluder = Callable[[str, str, bool], str | None]
Log = Callable[[str], None]

# The name patterns as one regex over the lowered name.
_DOCKERFILE_NAME = "|".join(f"(?:{fnmatch.translate(p.lower())})" for p in DOCKERFILE_NAME_PATTERNS)


def is_dockerfile_name(name: str) -> bool:
    """Whether a file called ``name`` (no directory part) is taken as a Dockerfile."""
    lower = name.lower()
    if not re.match(_DOCKERFILE_NAME, lower):
        return False
    if lower.endswith((".dockerfile", ".containerfile")):
        return True
    return lower in ("dockerfile", "containerfile") or not lower.endswith(
        NOT_DOCKERFILE_SUFFIXES
    )


def default_excluder(directory: str, name: str, is_dir: bool) -> str | None:
    return f"default exclude {name!r}" if name in DEFAULT_EXCLUDES else None


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    excluder: Excluder = default_excluder,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    log: Log | None = None,
) -> tuple[list[str], list[str]]:
    """The files to check, in argument order, and one error string per bad argument.

    Each directory's Dockerfiles come sorted by path. A file reached twice (same argument
    given twice, a file inside a directory also given, a symlink to another one) is
    listed once, where it was first reached. ``exclude`` globs match a name, the path
    relative to the walked directory, or the path as shown.
    """
    found, errors = discover_with_roots(
        paths,
        exclude=exclude,
        excluder=excluder,
        respect_gitignore=respect_gitignore,
        force_exclude=force_exclude,
        log=log,
    )
    return [path for path, _ in found], errors


def discover_with_roots(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    excluder: Excluder = default_excluder,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    log: Log | None = None,
    notes: list[str] | None = None,
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Like ``discover``, each file paired with the directory argument it was found in
    (None for a file named explicitly): ``--write`` edits no found file outside it.
    ``notes`` gets a warning for each directory argument with no Dockerfile to check."""
    walker = _Walker(
        tuple(normalize_pattern(p) for p in exclude),
        excluder,
        respect_gitignore,
        force_exclude,
        log,
    )
    files: list[tuple[str, str | None]] = []
    errors: list[str] = []
    seen: set[str] = set()
    walker.notes = notes
    for arg in paths:
        found, arg_errors = walker.expand(arg)
        errors.extend(arg_errors)
        root = arg if arg != STDIN and os.path.isdir(arg) else None
        for path in found:
            key = path if path == STDIN else os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                files.append((path, root))
    return files, errors


def excluded_path(
    path: str,
    *,
    exclude: Sequence[str] = (),
    excluder: Excluder = default_excluder,
    respect_gitignore: bool = True,
) -> str | None:
    """Why ``--force-exclude`` would drop ``path`` (which need not exist: a
    ``--stdin-filename``), or None."""
    walker = _Walker(
        tuple(normalize_pattern(p) for p in exclude), excluder, respect_gitignore, True, None
    )
    return walker._explicit_reason(path, os.path.isdir(path))


class _Walker:
    """One directory walk's settings."""

    def __init__(
        self,
        patterns: tuple[str, ...],
        excluder: Excluder,
        respect_gitignore: bool,
        force_exclude: bool,
        log: Log | None,
    ) -> None:
        self.patterns = patterns
        self.excluder = excluder
        self.respect_gitignore = respect_gitignore
        self._gitignore: GitIgnore | None = None  # made when a walk first needs it
        self.force_exclude = force_exclude
        self.log = log
        self._cwd = os.getcwd()
        self.notes: list[str] | None = None  # where an empty directory argument is reported
        self.skipped: list[tuple[str, bool]] = []  # (reason, is a directory) of every skip

    def _ignore_files(self) -> GitIgnore:
        if self._gitignore is None:
            from dockerfix.cli.gitignore import GitIgnore  # a named file needs no ignore files

            self._gitignore = GitIgnore()
        return self._gitignore

    def expand(self, arg: str) -> tuple[list[str], list[str]]:
        if arg == STDIN:
            return [arg], []
        is_dir = os.path.isdir(arg)
        if not is_dir and not os.path.exists(arg):
            return [], [f"{quoted_name(arg)}: No such file or directory"]
        if self.force_exclude:
            reason = self._explicit_reason(arg, is_dir)
            if reason:
                self._skip(arg + ("/" if is_dir and not arg.endswith("/") else ""), reason)
                return [], []
        if is_dir:
            return self._expand_directory(arg)
        # Named explicitly: taken whatever its name; a FIFO or device is refused when read
        # (runner, reading.read_regular), with its own error line.
        return [arg], []

    def _expand_directory(self, root: str) -> tuple[list[str], list[str]]:
        errors: list[str] = []
        first_skip = len(self.skipped)
        found = sorted(self._walk(root, errors), key=lambda rel: rel.split("/"))
        if not found and not errors and self.notes is not None:
            self.notes.append(_nothing_found(root, self.skipped[first_skip:]))
        return [_join(root, rel) for rel in found], errors

    def _walk(self, root: str, errors: list[str]) -> Iterator[str]:
        """Relative ``/``-separated paths of the Dockerfiles under ``root``."""
        abs_root = os.path.abspath(root)
        real_root = os.path.realpath(root)
        pending = [""]
        while pending:
            rel_dir = pending.pop()
            directory = _join(root, rel_dir) if rel_dir else root
            abs_dir = os.path.join(abs_root, *rel_dir.split("/")) if rel_dir else abs_root
            try:
                with os.scandir(directory) as it:
                    entries = list(it)
            except OSError as exc:
                errors.append(f"{quoted_name(directory)}: {exc.strerror or exc}")
                continue
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                is_dir = _is_real_directory(entry)
                if not is_dir and not is_dockerfile_name(entry.name):
                    if self.log and _is_symlinked_directory(entry):
                        self._skip(_join(root, rel) + "/", "symlinked directory, not followed")
                    continue
                reason = self._reason(abs_dir, entry.name, rel, root, is_dir, abs_root)
                if reason is None and not is_dir and self.log and entry.is_symlink():
                    outside = _outside(entry.path, real_root)
                    if outside:
                        self.log(f"{_join(root, rel)}: {outside}: checked and reported, never written")
                if reason:
                    self._skip(_join(root, rel) + ("/" if is_dir else ""), reason)
                elif is_dir:
                    pending.append(rel)
                elif _is_file(entry):
                    yield rel

    def _reason(self, abs_dir: str, name: str, rel: str, root: str, is_dir: bool, floor: str) -> str | None:
        reason = self.excluder(abs_dir, name, is_dir)
        if reason:
            return reason
        pattern = _matching_pattern(name, rel, root, self.patterns)
        if pattern is not None:
            return f"excluded by --exclude {pattern!r}"
        if self.respect_gitignore:
            ignored = self._ignore_files().ignored(os.path.join(abs_dir, name), is_dir, floor)
            if ignored:
                return f"gitignored ({ignored})"
        return None

    def _explicit_reason(self, arg: str, is_dir: bool) -> str | None:
        """Why ``--force-exclude`` drops a path named on the command line: the path itself
        or one of its directories below the working directory is excluded."""
        path = os.path.abspath(arg)
        floor = self._cwd if path.startswith(self._cwd.rstrip(os.sep) + os.sep) else os.path.dirname(path)
        chain: list[tuple[str, bool]] = [(path, is_dir)]
        parent = os.path.dirname(path)
        while parent.startswith(floor.rstrip(os.sep) + os.sep):
            chain.append((parent, True))
            parent = os.path.dirname(parent)
        for current, current_is_dir in reversed(chain):
            abs_dir, name = os.path.split(current)
            shown = os.path.relpath(current, self._cwd) if floor == self._cwd else current
            reason = self._reason(abs_dir, name, shown.replace(os.sep, "/"), ".", current_is_dir, floor)
            if reason:
                return reason
        return None

    def _skip(self, shown: str, reason: str) -> None:
        self.skipped.append((reason, shown.endswith("/")))
        if self.log:
            self.log(f"skipped {quoted_name(shown)}: {reason}")


def _nothing_found(root: str, skipped: list[tuple[str, bool]]) -> str:
    """The warning for a directory argument with no Dockerfile to check: what was looked for,
    and what was skipped and why (a default exclude of a directory, ``.git``, goes unsaid)."""
    wanted = ", ".join(DOCKERFILE_NAME_PATTERNS)
    counts: dict[tuple[str, bool], int] = {}
    for reason, is_dir in skipped:
        if not (is_dir and reason.startswith("default exclude")):
            counts[reason, is_dir] = counts.get((reason, is_dir), 0) + 1
    said = [
        f"{n} {('directory' if n == 1 else 'directories') if is_dir else ('file' if n == 1 else 'files')} skipped: {reason}"
        for (reason, is_dir), n in counts.items()
    ]
    skips = f"; {'; '.join(said)}" if said else ""
    return f"{quoted_name(root)}: no Dockerfiles found (looked for {wanted}){skips}"


def _matching_pattern(name: str, rel: str, root: str, patterns: tuple[str, ...]) -> str | None:
    if not patterns:
        return None
    candidates = (name, rel, _join(root, rel).replace(os.sep, "/"))
    for pattern in patterns:
        if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
            return pattern
    return None


def _outside(path: str, real_root: str) -> str | None:
    target = os.path.realpath(path)
    if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return f"symlink to {target}, outside the walked directory"


def _is_real_directory(entry: os.DirEntry[str]) -> bool:
    # A symlinked directory is not followed: it can loop, or lead out of the project.
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_symlinked_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    # Follows a symlink to a file (the dedup in ``discover`` keeps one copy); a dangling
    # link is skipped.
    try:
        return entry.is_file()
    except OSError:
        return False


def _join(root: str, rel: str) -> str:
    """``root/rel`` as the user would write it: ``.`` adds no ``./`` prefix."""
    if root in (".", "./"):
        return rel
    return os.path.join(root, *rel.split("/"))


def normalize_pattern(pattern: str) -> str:
    # ``./vendor`` and ``vendor/`` are how people write "the vendor directory".
    pattern = pattern.replace(os.sep, "/") if os.sep != "/" else pattern
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern
