from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockerfix.fix.reading import parse_size
from dockerfix.fix import writer
from dockerfix.fix.writer import WriteRefused, read_snapshot, write_atomic

OLD = b"FROM a\nRUN pip install x\n"
NEW = b"FROM a\nRUN pip install --no-cache-dir x\n"


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_bytes(OLD)
    return path


def test_snapshot_reads_bytes_and_stat(dockerfile: Path) -> None:
    data, st = read_snapshot(dockerfile)
    assert data == OLD
    assert st.st_size == len(OLD)
    assert st.st_ino == dockerfile.stat().st_ino


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(0o644, id="rw-r--r--"),
        pytest.param(0o600, id="private"),
        pytest.param(0o755, id="executable"),
        pytest.param(0o664, id="group-writable"),
        pytest.param(0o444, id="read-only"),
    ],
)
def test_mode_kept(dockerfile: Path, mode: int) -> None:
    dockerfile.chmod(mode)
    data, st = read_snapshot(dockerfile)
    write_atomic(dockerfile, NEW, expected=st, expected_data=data)
    assert dockerfile.read_bytes() == NEW
    assert stat.S_IMODE(dockerfile.stat().st_mode) == mode
    assert _leftovers(dockerfile.parent) == []


def test_new_file_gets_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    old_mask = os.umask(0o022)
    try:
        write_atomic(path, NEW)
    finally:
        os.umask(old_mask)
    assert path.read_bytes() == NEW
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_replaced_atomically_new_inode(dockerfile: Path) -> None:
    before = dockerfile.stat().st_ino
    write_atomic(dockerfile, NEW)
    assert dockerfile.stat().st_ino != before


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(OSError(28, "No space left on device"), id="oserror"),
        pytest.param(KeyboardInterrupt(), id="keyboard-interrupt"),
    ],
)
def test_temp_removed_when_replace_fails(
    dockerfile: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    def fail(src: object, dst: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(error)):
        write_atomic(dockerfile, NEW)
    assert dockerfile.read_bytes() == OLD
    assert _leftovers(dockerfile.parent) == []


def test_temp_removed_when_fsync_fails(dockerfile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        write_atomic(dockerfile, NEW)
    assert dockerfile.read_bytes() == OLD
    assert _leftovers(dockerfile.parent) == []


def _append(path: Path) -> None:
    with open(path, "ab") as f:
        f.write(b"CMD y\n")


def _same_size_new_mtime(path: Path) -> None:
    path.write_bytes(OLD.replace(b"x", b"y"))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _replaced_by_editor(path: Path) -> None:
    other = path.with_name("other")
    other.write_bytes(OLD)
    os.replace(other, path)


def _deleted(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(_append, "changed on disk", id="appended"),
        pytest.param(_same_size_new_mtime, "changed on disk", id="same-size-new-mtime"),
        pytest.param(_replaced_by_editor, "changed on disk", id="replaced-by-rename"),
        pytest.param(_deleted, "removed", id="deleted"),
    ],
)
def test_refused_when_changed_on_disk(
    dockerfile: Path, change: Callable[[Path], None], reason: str
) -> None:
    data, st = read_snapshot(dockerfile)
    change(dockerfile)
    before = dockerfile.read_bytes() if dockerfile.exists() else None
    with pytest.raises(WriteRefused, match=reason) as info:
        write_atomic(dockerfile, NEW, expected=st, expected_data=data)
    assert str(dockerfile) in str(info.value)
    assert (dockerfile.read_bytes() if dockerfile.exists() else None) == before
    assert _leftovers(dockerfile.parent) == []


def test_refused_on_content_even_if_stat_matches(dockerfile: Path) -> None:
    data, st = read_snapshot(dockerfile)
    # Same size and restored mtime: only the content comparison can tell.
    dockerfile.write_bytes(OLD.replace(b"x", b"y"))
    os.utime(dockerfile, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(WriteRefused, match="content changed"):
        write_atomic(dockerfile, NEW, expected=st, expected_data=data)
    assert _leftovers(dockerfile.parent) == []


def test_unchanged_file_is_written(dockerfile: Path) -> None:
    data, st = read_snapshot(dockerfile)
    write_atomic(dockerfile, NEW, expected=st, expected_data=data)
    assert dockerfile.read_bytes() == NEW


@pytest.mark.parametrize(
    "link_target",
    [
        pytest.param("real/Dockerfile", id="relative-link"),
        pytest.param(None, id="absolute-link"),
    ],
)
def test_symlink_stays_a_symlink(tmp_path: Path, link_target: str | None) -> None:
    real = tmp_path / "real" / "Dockerfile"
    real.parent.mkdir()
    real.write_bytes(OLD)
    real.chmod(0o640)
    link = tmp_path / "Dockerfile"
    link.symlink_to(link_target or real)
    data, st = read_snapshot(link)
    write_atomic(link, NEW, expected=st, expected_data=data)
    assert link.is_symlink()
    assert os.readlink(link) == (link_target or str(real))
    assert real.read_bytes() == NEW
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == [] and _leftovers(real.parent) == []


def test_temp_file_is_hidden_and_next_to_target(
    dockerfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen.append(str(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(dockerfile, NEW)
    temp = Path(seen[0])
    assert temp.parent == dockerfile.parent
    assert temp.name.startswith(".Dockerfile.") and temp.name.endswith(writer._TEMP_SUFFIX)


def test_error_message_names_path_and_reason() -> None:
    err = WriteRefused(Path("x/Dockerfile"), "file changed on disk after it was read")
    assert str(err) == "x/Dockerfile: file changed on disk after it was read"
    assert err.path == Path("x/Dockerfile")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_owner_kept_when_root(dockerfile: Path) -> None:
    os.chown(dockerfile, 1234, 4321)
    write_atomic(dockerfile, NEW)
    st = dockerfile.stat()
    assert (st.st_uid, st.st_gid) == (1234, 4321)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_a_write_arrives_when_the_write_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Right after the temporary file is made, before the code that would remove it: without
    # the signal held back, the KeyboardInterrupt left an empty temporary file behind.
    target = tmp_path / "Dockerfile"
    target.write_bytes(b"old")
    real_make_temp = writer._make_temp

    def make_temp_then_ctrl_c(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real_make_temp(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return made

    monkeypatch.setattr(writer, "_make_temp", make_temp_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_temporary_files_are_new_private_and_named_after_the_file(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile.dev"
    made = [writer._make_temp(str(target)) for _ in range(20)]
    for fd, _ in made:
        os.close(fd)
    names = [os.path.basename(name) for _, name in made]
    assert len(set(names)) == 20
    assert all(n.startswith(".Dockerfile.dev.") and n.endswith(writer._TEMP_SUFFIX) for n in names)
    assert all(stat.S_IMODE(os.stat(name).st_mode) == 0o600 for _, name in made)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_a_write_arrives_when_the_write_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A --jobs worker's SIGTERM handler (its parent died) waits for the write in hand.
    target = tmp_path / "Dockerfile"
    target.write_bytes(b"old")
    real_make_temp = writer._make_temp
    received: list[int] = []

    def make_temp_then_sigterm(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real_make_temp(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        assert received == []  # held back
        return made

    monkeypatch.setattr(writer, "_make_temp", make_temp_then_sigterm)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        write_atomic(target, b"new")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == [signal.SIGTERM]
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


# -- temporary files a killed run left behind -------------------------------------------


def _dead_pid() -> int:
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leave(directory: Path, name: str, *, age: float = 3600.0) -> Path:
    path = directory / name
    path.write_bytes(b"half a file")
    past = writer._STARTED - age
    os.utime(path, (past, past))
    return path


@pytest.mark.skipif(os.name != "posix", reason="asks the OS whether a process exists")
def test_a_dead_runs_temporary_file_is_removed_by_the_next_write(dockerfile: Path) -> None:
    stale = _leave(dockerfile.parent, f".Dockerfile.{_dead_pid()}.0123abcd{writer._TEMP_SUFFIX}")
    write_atomic(dockerfile, NEW)
    assert dockerfile.read_bytes() == NEW
    assert not stale.exists()
    assert _leftovers(dockerfile.parent) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("state", ["zombie", "pid-reused"])
def test_a_pid_that_cannot_be_the_writer_does_not_keep_a_temporary_file(dockerfile: Path, state: str) -> None:
    """A worker killed with its parent stays a zombie until something reaps it; a PID may be
    reused by a process started after the file was made. Neither is writing the file."""
    import subprocess
    import time

    code = "pass" if state == "zombie" else "import time; time.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        if state == "zombie":  # not waited for: it exits and stays a zombie
            deadline = time.monotonic() + 10
            while b") Z " not in Path(f"/proc/{child.pid}/stat").read_bytes() and time.monotonic() < deadline:
                time.sleep(0.01)
        stale = _leave(dockerfile.parent, f".Dockerfile.{child.pid}.0123abcd{writer._TEMP_SUFFIX}")
        write_atomic(dockerfile, NEW)
        assert not stale.exists()
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(os.name != "posix", reason="asks the OS whether a process exists")
@pytest.mark.parametrize(
    ("name", "age"),
    [
        # made just before this run, by a process (our parent) that started before it
        pytest.param(".Dockerfile.{live}.0123abcd.dockerfix.tmp", 0.5, id="live-process"),
        pytest.param(".Dockerfile.{dead}.0123abcd.dockerfix.tmp", -5.0, id="newer-than-this-run"),
        pytest.param(".Dockerfile.0123abcd.dockerfix.tmp", 3600.0, id="no-pid-older-format"),
        pytest.param(".Dockerfile.{dead}.0123abcg.dockerfix.tmp", 3600.0, id="not-hex"),
        pytest.param(".Dockerfile.{dead}.0123abcde.dockerfix.tmp", 3600.0, id="nine-digits"),
        pytest.param(".Dockerfile.dev.{dead}.0123abcd.dockerfix.tmp", 3600.0, id="another-files"),
        pytest.param("Dockerfile.{dead}.0123abcd.dockerfix.tmp", 3600.0, id="no-leading-dot"),
        pytest.param(".Dockerfile.{dead}.0123abcd.dockerfix.tmp.bak", 3600.0, id="other-suffix"),
    ],
)
def test_anything_else_is_left_alone(dockerfile: Path, name: str, age: float) -> None:
    kept = _leave(dockerfile.parent, name.format(live=os.getppid(), dead=_dead_pid()), age=age)
    write_atomic(dockerfile, NEW)
    assert kept.read_bytes() == b"half a file"


@pytest.mark.skipif(os.name != "posix", reason="asks the OS whether a process exists")
def test_a_directory_or_link_with_a_temporary_name_is_left_alone(dockerfile: Path) -> None:
    dead = _dead_pid()
    directory = dockerfile.parent / f".Dockerfile.{dead}.00000000{writer._TEMP_SUFFIX}"
    directory.mkdir()
    link = dockerfile.parent / f".Dockerfile.{dead}.11111111{writer._TEMP_SUFFIX}"
    link.symlink_to(dockerfile)
    assert writer.remove_stale_temps(str(dockerfile.parent), "Dockerfile") == []
    assert directory.is_dir() and link.is_symlink()


@pytest.mark.parametrize("name", ["Dockerfile", "api.Dockerfile", "Dockerfile.dev", "Containerfile", "dockerfile"])
def test_a_walk_never_takes_a_temporary_file_for_a_dockerfile(tmp_path: Path, name: str) -> None:
    # What a stale temporary file is until a later --write of its target removes it: ignored.
    from dockerfix.cli.discovery import is_dockerfile_name

    fd, temp = writer._make_temp(str(tmp_path / name))
    os.close(fd)
    assert not is_dockerfile_name(os.path.basename(temp))


@pytest.mark.parametrize(
    ("text", "size"),
    [
        pytest.param("10", 10, id="bytes"),
        pytest.param("10k", 10 << 10, id="k"),
        pytest.param("10K", 10 << 10, id="upper-k"),
        pytest.param(" 10 MiB ", 10 << 20, id="mib-spaced"),
        pytest.param("1GB", 1 << 30, id="gb"),
        pytest.param("0", None, id="zero"),
        pytest.param("x", None, id="no-number"),
        pytest.param("k", None, id="unit-alone"),
        pytest.param("10 k b", None, id="two-words"),
        pytest.param("10T", None, id="unknown-unit"),
        pytest.param("\uff11", None, id="fullwidth-digit"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_size(text: str, size: int | None) -> None:
    if size is None:
        with pytest.raises(ValueError, match="is not"):
            parse_size(text)
    else:
        assert parse_size(text) == size
