"""Reading the files a run is given, bounded: regular files only, and at most a size.

Every file dockerfix reads (a Dockerfile, a configuration file, a lock file, an ignore file)
comes through :func:`read_regular`, and standard input through :func:`read_stream`. A FIFO
named as a Dockerfile would block the open for ever, and ``/dev/zero`` (or a symlink to it)
would fill the memory: so a file is opened without blocking, looked at (``fstat``) before
anything is read, refused unless it is a regular file, and read only up to the size limit.

The refusals are ``OSError`` subclasses with a ``strerror``: every caller's existing
"cannot read" handling words them (``PATH: not a regular file (a FIFO)``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from typing import BinaryIO

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MiB: --max-file-size / max-file-size
_CHUNK = 1 << 20
_SIZE = r"([0-9]+)\s*(\S*)"
_UNITS = {"": 1} | dict.fromkeys(("k", "kb", "kib"), 1 << 10) | dict.fromkeys(("m", "mb", "mib"), 1 << 20)
_UNITS |= dict.fromkeys(("g", "gb", "gib"), 1 << 30)

# What fstat's file type is called in a message.
_KINDS = (
    (stat.S_ISFIFO, "a FIFO or pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """Not a regular file: a FIFO, a device, a socket."""


class FileTooLarge(OSError):
    """More bytes than the size limit allows."""


def size_text(size: int) -> str:
    """``10485760`` -> ``10 MiB``; a size that is no whole number of KiB/MiB in bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def parse_size(text: str) -> int:
    """``--max-file-size``: bytes, or a number with K, M, G (KiB, MiB, GiB; binary units).

    The ValueError's text is the usage error's."""
    match = re.fullmatch(_SIZE, text.strip())
    if match is None or match[2].lower() not in _UNITS:
        raise ValueError(f"{text!r} is not a size (bytes, or a number with K, M or G)")
    value = int(match[1]) * _UNITS[match[2].lower()]
    if value < 1:
        raise ValueError(f"{text!r} is not at least 1 byte")
    return value


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(errno.EFBIG, f"larger than the {size_text(limit)} limit (max-file-size)")


def read_regular(path: str | os.PathLike[str], limit: int = DEFAULT_MAX_FILE_SIZE) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (symlinks followed) and its stat, taken
    from the same open file. Raises ``IsADirectoryError``, ``NotRegularFile``,
    ``FileTooLarge`` or the open's own ``OSError``; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind})")
        if st.st_size > limit:
            raise too_large(limit)
        data = _read_fd(fd, limit)
    finally:
        os.close(fd)
    return data, st


def _read_fd(fd: int, limit: int) -> bytes:
    # Up to limit + 1 bytes, to tell "exactly the limit" from "more": a file can grow
    # between the fstat and the read.
    parts: list[bytes] = []
    left = limit + 1
    while left > 0:
        part = os.read(fd, min(left, _CHUNK))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    if left <= 0:
        raise too_large(limit)
    return b"".join(parts)


def read_stream(stream: BinaryIO | None, limit: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """Standard input's bytes, at most ``limit``. Raises ``OSError`` for a closed stream
    (``dockerfix - <&-``) and ``FileTooLarge`` past the limit (``- < /dev/zero``)."""
    if stream is None:
        raise OSError(errno.EBADF, "closed")
    try:
        data = stream.read(limit + 1)
    except ValueError:  # the stream object exists, its file is closed
        raise OSError(errno.EBADF, "closed") from None
    if len(data) > limit:
        raise too_large(limit)
    return data
