"""Read exact versions from lock files and constraints files (``--pin-from``).

Lock files of other tools (``pylock.toml``, ``uv.lock``, ``poetry.lock``, ``pdm.lock``,
``Pipfile.lock``, conda's ``environment.yml``) are chosen by file name and read by
``dockerfix.tools.locks``; every other file is a requirements file, read here.

Accepted: ``pip freeze``, ``pip-compile`` and ``uv pip compile`` output (hashes, ``# via``
comments, environment markers, option lines) and pip constraints files. Lines are read the
way pip reads requirements files (pip/_internal/req/req_file.py): ``\\`` joins lines, a ``#``
at the start or after whitespace starts a comment, the first word that starts with ``-`` ends
the requirement and begins its per-line options (``--hash=...``). ``-r``/``-c`` includes are
followed, relative to the including file.

Only exact pins (``==V`` without a wildcard, ``===V``) give a version. A name pinned to two
different versions (``numpy==1.24; python_version<'3.9'`` and ``numpy==1.26; ...``) gives
none: which one the image gets depends on its Python, so the fix would be a guess.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from dockerfix.fix.reading import DEFAULT_MAX_FILE_SIZE, read_regular
from dockerfix.settings import MAX_INCLUDE_DEPTH
from dockerfix.tools import locks
from dockerfix.tools.requirements import canonical_name, exact_version

_COMMENT = re.compile(r"(^|\s+)#.*$")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$")


class PinFileError(Exception):
    """A lock file that cannot be read; ``str()`` names the file and line."""


class Pins:
    """The exact pins of lock files, by canonical name."""

    __slots__ = ("versions", "ambiguous", "conflicts")

    def __init__(self) -> None:
        self.versions: dict[str, str] = {}  # canonical name -> version
        self.ambiguous: set[str] = set()  # pinned to several versions
        self.conflicts: dict[str, list[str]] = {}  # ambiguous name -> its versions

    def add(self, name: str, version: str) -> None:
        key = canonical_name(name)
        if key in self.ambiguous:
            if version not in self.conflicts[key]:
                self.conflicts[key].append(version)
            return
        if self.versions.get(key, version) != version:
            self.conflicts[key] = [self.versions.pop(key), version]
            self.ambiguous.add(key)
        else:
            self.versions[key] = version


def load(paths: list[str | Path], *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Pins:
    """Every exact pin in ``paths`` (and the files they include). Raises ``PinFileError``,
    also for a file that is not a regular file or is larger than ``max_size``."""
    pins = Pins()
    seen: set[Path] = set()
    for path in paths:
        _read(Path(path), pins, seen, max_size)
    return pins


def parse(text: str, name: str = "<string>") -> Pins:
    """The pins in one file's text (includes are not followed)."""
    pins = Pins()
    for lineno, line in _logical_lines(text):
        _line(line, name, lineno, pins, None, set())
    return pins


def _read(
    path: Path, pins: Pins, seen: set[Path], max_size: int = DEFAULT_MAX_FILE_SIZE, depth: int = 0, included_at: str = ""
) -> None:
    if depth > MAX_INCLUDE_DEPTH:
        raise PinFileError(f"{included_at}: includes nested deeper than {MAX_INCLUDE_DEPTH} files")
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    try:
        text = read_regular(path, max_size)[0].decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PinFileError(f"{path}: cannot read pin file: {reason}") from None
    if _read_lock(path, text, pins, seen):
        return
    for lineno, line in _logical_lines(text):
        _line(line, str(path), lineno, pins, path.parent, seen, depth, max_size)


def _read_lock(path: Path, text: str, pins: Pins, seen: set[Path]) -> bool:
    """Read ``text`` as the lock format its file name says; False: a requirements file."""
    kind = locks.kind_of(path.name)
    if kind is None:
        return False
    try:
        parsed = locks.parse(kind, text, str(path))
    except locks.LockFileError as exc:
        raise PinFileError(str(exc)) from None
    for entry in parsed.entries:
        if entry.version is not None:
            pins.add(entry.name, entry.version)
    for lineno, line in parsed.requirement_lines:  # conda's pip: list, read as requirements
        _line(line, str(path), lineno, pins, path.parent, seen)
    return True


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) after pip's ``join_lines`` and ``ignore_comments``."""
    joined: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        is_comment = _COMMENT.match(line) is not None
        if line.endswith("\\") and not is_comment:
            if not pending:
                first = number
            pending.append(line.strip("\\"))
            continue
        if is_comment:
            line = " " + line  # a comment line ends a continuation, and is dropped below
        if pending:
            joined.append((first, "".join(pending) + line))
            pending = []
        else:
            joined.append((number, line))
    if pending:
        joined.append((first, "".join(pending)))
    stripped = ((n, _COMMENT.sub("", line).strip()) for n, line in joined)
    return [(n, line) for n, line in stripped if line]


def _line(
    line: str, name: str, lineno: int, pins: Pins, base: Path | None, seen: set[Path], depth: int = 0,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> None:
    if line.startswith("-"):
        include = _INCLUDE.match(line)
        if include and base is not None:
            _read(base / include.group(2), pins, seen, max_size, depth + 1, f"{name}:{lineno}")
        return  # an option line (--index-url, -e ..., --hash ...): no pin
    words = line.split()
    args = []
    for word in words:
        if word.startswith("-"):
            break
        args.append(word)
    text = " ".join(args)
    if "://" in text.split(";")[0] or text.startswith((".", "/")):
        return  # a URL, VCS or path line (pip freeze of an editable or a local install)
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise PinFileError(f"{name}:{lineno}: not a requirement: {text!r} ({exc})") from None
    if requirement.url:
        return
    version = exact_version(requirement.specifier)
    if version is not None:
        pins.add(requirement.name, version)
