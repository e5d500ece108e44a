"""Command-line paths -> the Dockerfiles to check.

Name matching is case-insensitive: docker itself falls back from ``Dockerfile`` to
``dockerfile``, and on the case-insensitive filesystems of macOS and Windows the two are
the same file anyway. ``Dockerfile.*`` / ``Containerfile.*`` would also catch files that
are plainly something else (BuildKit's ``Dockerfile.dockerignore``, the ``.orig`` and
``.rej`` that ``patch`` leaves, a ``dockerfile.py`` module), so those suffixes are
skipped while walking. A file named on the command line is always taken.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence

STDIN = "-"

DOCKERFILE_NAME_PATTERNS: tuple[str, ...] = (
    "Dockerfile",
    "Containerfile",
    "*.Dockerfile",
    "*.dockerfile",
    "Dockerfile.*",
    "Containerfile.*",
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

_LOWER_PATTERNS = tuple(p.lower() for p in DOCKERFILE_NAME_PATTERNS)


def is_dockerfile_name(name: str) -> bool:
    """Whether a file called ``name`` (no directory part) is taken as a Dockerfile."""
    lower = name.lower()
    if not any(fnmatch.fnmatchcase(lower, p) for p in _LOWER_PATTERNS):
        return False
    if lower.endswith(".dockerfile"):
        return True
    return lower in ("dockerfile", "containerfile") or not lower.endswith(
        NOT_DOCKERFILE_SUFFIXES
    )


def discover(paths: Sequence[str], *, exclude: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The files to check, in argument order, and one error string per bad argument.

    Each directory's Dockerfiles come sorted by path. A file reached twice (same argument
    given twice, a file inside a directory also given, a symlink to another one) is
    listed once, where it was first reached.
    """
    found, errors = discover_with_roots(paths, exclude=exclude)
    return [path for path, _ in found], errors


def discover_with_roots(
    paths: Sequence[str], *, exclude: Sequence[str] = ()
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Like ``discover``, each file paired with the directory argument it was found in
    (None for a file named explicitly): ``--write`` edits no found file outside it."""
    patterns = tuple(_normalize_pattern(p) for p in exclude)
    files: list[tuple[str, str | None]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for arg in paths:
        found, arg_errors = _expand(arg, patterns)
        errors.extend(arg_errors)
        root = arg if arg != STDIN and os.path.isdir(arg) else None
        for path in found:
            key = path if path == STDIN else os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                files.append((path, root))
    return files, errors


def _expand(arg: str, patterns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    if arg == STDIN:
        return [arg], []
    if os.path.isdir(arg):
        return _expand_directory(arg, patterns)
    if os.path.exists(arg):
        # Named explicitly: taken whatever its name (and even if it is a pipe, e.g. <(...)).
        return [arg], []
    return [], [f"{arg}: No such file or directory"]


def _expand_directory(root: str, patterns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    found = sorted(_walk(root, patterns, errors), key=lambda rel: rel.split("/"))
    if not found and not errors:
        wanted = ", ".join(DOCKERFILE_NAME_PATTERNS)
        errors.append(f"{root}: directory contains no Dockerfiles (looked for {wanted})")
    return [_join(root, rel) for rel in found], errors


def _walk(root: str, patterns: tuple[str, ...], errors: list[str]) -> Iterator[str]:
    """Relative ``/``-separated paths of the Dockerfiles under ``root``."""
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        directory = _join(root, rel_dir) if rel_dir else root
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError as exc:
            errors.append(f"{directory}: {exc.strerror or exc}")
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _excluded(entry.name, rel, root, patterns):
                continue
            if _is_real_directory(entry):
                pending.append(rel)
            elif is_dockerfile_name(entry.name) and _is_file(entry):
                yield rel


def _excluded(name: str, rel: str, root: str, patterns: tuple[str, ...]) -> bool:
    if name in DEFAULT_EXCLUDES:
        return True
    candidates = (name, rel, _join(root, rel).replace(os.sep, "/"))
    return any(fnmatch.fnmatchcase(c, p) for p in patterns for c in candidates)


def _is_real_directory(entry: os.DirEntry[str]) -> bool:
    # A symlinked directory is not followed: it can loop, or lead out of the project.
    try:
        return entry.is_dir(follow_symlinks=False)
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


def _normalize_pattern(pattern: str) -> str:
    # ``./vendor`` and ``vendor/`` are how people write "the vendor directory".
    pattern = pattern.replace(os.sep, "/") if os.sep != "/" else pattern
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern
