"""Safe in-place writes for ``--write``.

A fixed file is written to a temporary file next to it and moved over the original with
``os.replace``, so a reader (or a crash, or Ctrl-C) sees either the old file or the new
one, never half of each. The original's mode is kept. If the file changed on disk after
it was read (an editor saved it meanwhile), the write is refused rather than losing that
change.

A symlink is written through: its resolved target is replaced and the link stays a link.
Whether that is allowed is the caller's decision. A file with several hard links loses
the link: the other names keep the old content (as with any atomic-replace editor).
"""

from __future__ import annotations

import os
import re
import stat
import time
from typing import Any, TypeAlias

from dockerfix.fix.reading import DEFAULT_MAX_FILE_SIZE, FileTooLarge, NotRegularFile, read_regular

StrPath: TypeAlias = "str | os.PathLike[str]"

_TEMP_SUFFIX = ".dockerfix.tmp"
# ``.NAME.PID.XXXXXXXX.dockerfix.tmp`` (8 hex digits) after the target's name: what
# ``_make_temp`` makes, and all that ``remove_stale_temps`` may remove.
_TEMP_TAIL = r"\.([0-9]+)\.[0-9a-f]{8}" + re.escape(_TEMP_SUFFIX)
# When this process began writing's clock: a temporary file newer than this may be a
# concurrent run's, whatever its PID says (see ``remove_stale_temps``).
_STARTED = time.time()


class WriteRefused(Exception):
    """The file was not written, so that no one else's change is overwritten."""

    def __init__(self, path: StrPath, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_snapshot(path: StrPath, max_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the stat taken from the same open file (not a second lookup).

    Only a regular file of at most ``max_size`` bytes is read (``reading.read_regular``).
    """
    return read_regular(path, max_size)


def write_atomic(
    path: StrPath,
    data: bytes,
    *,
    expected: os.stat_result | None = None,
    expected_data: bytes | None = None,
) -> None:
    """Replace the file at ``path`` (through a symlink) with ``data``, atomically.

    With ``expected`` / ``expected_data`` (from ``read_snapshot``), raise ``WriteRefused``
    and leave the file untouched if it no longer matches them. On any exception the
    temporary file is removed and the target is as it was.
    """
    with _CtrlCDeferred():
        _write_atomic(path, data, expected, expected_data)


class _CtrlCDeferred:
    """Ctrl-C (and SIGTERM, where Python handles it) held back while a file is written, and
    delivered when it is done.

    A KeyboardInterrupt can arrive between any two bytecodes: between ``_make_temp`` making the
    temporary file and the ``try`` that removes it, it would leave the temporary file
    behind. So while a file is written, a Python-level handler of SIGINT or SIGTERM only
    takes note, and is called once the write is done, whole or not begun. (Blocking the
    signal would not do: another thread may take it, and Python runs its handler in the
    main thread anyway.) A signal left to the OS (SIGINT in ``--jobs`` workers, SIGTERM in
    the main process) is not changed; a worker's SIGTERM handler (its parent died, see
    ``bulk``) is, so a worker ends between files, never half-way through a write.
    """

    def __enter__(self) -> None:
        import signal  # only where files are written

        self.previous: dict[int, Any] = {}
        self.received: list[int] = []
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                current = signal.getsignal(signum)
                if callable(current):
                    signal.signal(signum, self._note)
                    self.previous[signum] = current
        except ValueError:  # not the main thread: signals are the main thread's business
            pass

    def _note(self, signum: int, frame: object) -> None:
        self.received.append(signum)

    def __exit__(self, *exc: object) -> None:
        if not self.previous:
            return
        import signal

        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(self.received):
            self.previous[signum](signum, None)  # Python's own for SIGINT: raises KeyboardInterrupt


def _write_atomic(
    path: StrPath,
    data: bytes,
    expected: os.stat_result | None,
    expected_data: bytes | None,
) -> None:
    target = os.path.realpath(path)
    original = _stat_or_none(target)
    fd, temp = _make_temp(target)
    try:
        _fill(fd, temp, data, original)
        _check_unchanged(path, target, expected, expected_data)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(os.path.dirname(target))


def _make_temp(target: str) -> tuple[int, str]:
    """A new file ``.NAME.PID.XXXXXXXX.dockerfix.tmp`` next to ``target``, open for writing, 0600.

    Next to the target, so that ``os.replace`` is a rename within one filesystem; created
    with ``O_EXCL`` (never an existing file) and ``O_NOFOLLOW``. Not ``tempfile.mkstemp``,
    whose random part is not hex digits: the exact name is what ``remove_stale_temps``
    matches, and the creating process's id in it lets a later run tell a temporary file
    left by a killed run from one a live run is writing.
    """
    directory, name = os.path.split(target)
    remove_stale_temps(directory, name)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}{_TEMP_SUFFIX}")
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: no free temporary file name")


def remove_stale_temps(directory: str, name: str) -> list[str]:
    """Remove the temporary files of ``directory/name`` that a killed run left behind; the
    paths removed.

    Only a regular file named exactly as ``_make_temp`` names them for this target
    (``.NAME.PID.XXXXXXXX.dockerfix.tmp``, 8 hex digits) is removed, and only when the
    process PID can no longer be writing it and the file is older than this process: a
    live run's temporary file (its PID alive), or one made since this run began, is left
    alone. Not on Windows, where no process can be asked whether it exists without a handle.
    """
    if os.name != "posix":
        return []
    prefix = f".{name}"
    removed: list[str] = []
    try:
        with os.scandir(directory or ".") as entries:
            candidates = [e for e in entries if e.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in candidates:
        match = re.compile(_TEMP_TAIL).fullmatch(entry.name, len(prefix))
        if match is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if _may_be_writing(int(match.group(1)), st.st_mtime):
                continue
            if stat.S_ISREG(st.st_mode) and st.st_mtime < _STARTED:
                os.unlink(entry.path)
                removed.append(entry.path)
        except OSError:
            pass  # gone meanwhile, or not ours to remove: it stays
    return removed


def _may_be_writing(pid: int, made: float) -> bool:
    """Whether process ``pid`` may be the one writing a file last modified at ``made``. On
    Linux, a process that has exited but is not yet reaped (a zombie: a killed run's worker
    whose parent died too) or that started after the file was made (its PID reused) is not."""
    if not _process_exists(pid):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rpartition(b")")[2].split()
        with open("/proc/stat", "rb") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith(b"btime "))
        state, start_ticks = fields[0], int(fields[19])
        started = boot + start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return True  # not Linux, or not ours to read: it exists, so it may be writing
    return state not in (b"Z", b"X") and started <= made + 1  # btime has one-second steps


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, another user's
        return True
    return True


def _stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _fill(fd: int, temp: str, data: bytes, original: os.stat_result | None) -> None:
    # Closes fd whatever happens; the caller owns removing the file.
    with open(fd, "wb") as f:
        f.write(data)
        f.flush()
        _copy_metadata(f.fileno(), temp, original)
        # Durable before the rename, or a crash could leave an empty file in its place.
        os.fsync(f.fileno())


def _copy_metadata(fd: int, temp: str, original: os.stat_result | None) -> None:
    # The temporary file is created 0600; without this a fix would make the file private.
    mode = stat.S_IMODE(original.st_mode) if original else 0o666 & ~_current_umask()
    os.chmod(temp, mode)  # by name: os.fchmod is POSIX-only before Python 3.13
    if original and hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            os.fchown(fd, original.st_uid, original.st_gid)
        except OSError:
            pass  # best effort: e.g. a filesystem without ownership


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_unchanged(
    path: StrPath,
    target: str,
    expected: os.stat_result | None,
    expected_data: bytes | None,
) -> None:
    if expected is None and expected_data is None:
        return
    now = _stat_or_none(target)
    if now is None:
        raise WriteRefused(path, "file was removed after it was read")
    if expected is not None and _signature(now) != _signature(expected):
        raise WriteRefused(path, "file changed on disk after it was read")
    if expected_data is not None and _current_data(target, len(expected_data)) != expected_data:
        raise WriteRefused(path, "file content changed on disk after it was read")


def _current_data(target: str, size: int) -> bytes | None:
    # None: more bytes than were read, or no longer a regular file.
    try:
        return read_snapshot(target, size)[0]
    except (FileTooLarge, NotRegularFile):
        return None


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    # Inode catches an editor's own atomic save within one mtime tick.
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable; not possible on every OS or filesystem.
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
