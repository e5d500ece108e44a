from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from dockerfix.diff import colorize_diff, diff_path, split_lines, unified_diff

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
needs_patch = pytest.mark.skipif(
    shutil.which("patch") is None, reason="GNU patch not installed (apt-get install patch)"
)

BOM = "\ufeff"
PIP = "RUN pip install flask\n"
PIP_FIXED = "RUN pip install --no-cache-dir flask\n"
LONG = "".join(f"RUN echo {i}\n" for i in range(30))


def _lines_with(changes: dict[int, str], total: int = 30) -> str:
    return "".join(changes.get(i, f"RUN echo {i}\n") for i in range(total))


# (old, new) pairs; each must round-trip through both git apply and patch -p1.
ROUND_TRIP = [
    pytest.param("FROM python\n" + PIP, "FROM python\n" + PIP_FIXED, id="insertion-mid-line"),
    pytest.param("FROM python\r\nRUN pip install x\r\nCMD y\r\n", "FROM python\r\nRUN pip install --no-cache-dir x\r\nCMD y\r\n", id="crlf"),
    pytest.param("FROM a\r\nRUN pip install x", "FROM a\r\nRUN pip install --no-cache-dir x", id="crlf-no-final-newline"),
    pytest.param("FROM a\nRUN x\r\nRUN pip install y\r\n", "FROM a\nRUN x\r\nRUN pip install --no-cache-dir y\r\n", id="mixed-line-endings"),
    pytest.param(BOM + "RUN pip install x\nCMD y\n", BOM + "RUN pip install --no-cache-dir x\nCMD y\n", id="bom-change-on-first-line"),
    pytest.param(BOM + "FROM a\n" + PIP, BOM + "FROM a\n" + PIP_FIXED, id="bom-change-elsewhere"),
    pytest.param("FROM a\nRUN pip install x", "FROM a\nRUN pip install --no-cache-dir x", id="no-final-newline-change-last-line"),
    pytest.param("FROM a\n" + PIP + "CMD y", "FROM a\n" + PIP_FIXED + "CMD y", id="no-final-newline-change-near-end"),
    pytest.param(PIP + LONG + "CMD y", PIP_FIXED + LONG + "CMD y", id="no-final-newline-change-far-away"),
    pytest.param("FROM a\nCMD y", "FROM a\nCMD y\n", id="add-final-newline"),
    pytest.param("FROM a\nCMD y\n", "FROM a\nCMD y", id="remove-final-newline"),
    pytest.param(_lines_with({2: PIP}), _lines_with({2: PIP_FIXED}), id="one-hunk-in-long-file"),
    pytest.param(_lines_with({2: PIP, 25: PIP}), _lines_with({2: PIP_FIXED, 25: PIP_FIXED}), id="several-hunks"),
    pytest.param(_lines_with({2: PIP, 9: PIP}), _lines_with({2: PIP_FIXED, 9: PIP_FIXED}), id="hunks-merged-by-context"),
    pytest.param("", "FROM a\n", id="empty-file-filled"),
    pytest.param("FROM a\n", "", id="file-emptied"),
    pytest.param("\n", "\n\n", id="blank-lines-only"),
    pytest.param("RUN a\rb\nRUN pip install x\n", "RUN a\rb\nRUN pip install --no-cache-dir x\n", id="lone-cr-inside-line"),
    pytest.param("RUN a\u2028b\x0cc\nRUN pip install x\n", "RUN a\u2028b\x0cc\nRUN pip install --no-cache-dir x\n", id="unicode-line-separator-and-form-feed"),
    pytest.param("RUN echo héllo \\\n  && pip install x\n", "RUN echo héllo \\\n  && pip install --no-cache-dir x\n", id="non-ascii-and-continuation"),
    pytest.param("RUN pip install x  \n\tCMD y\n", "RUN pip install --no-cache-dir x  \n\tCMD y\n", id="trailing-whitespace-kept"),
]

PATHS = [
    pytest.param("Dockerfile", id="plain"),
    pytest.param("docker/app/Dockerfile.prod", id="subdirectory"),
    pytest.param("./Dockerfile", id="dot-slash-prefix"),
    pytest.param("my app/Dockerfile", id="space-in-name"),
    pytest.param("dïr/Dockerfile", id="non-ascii-name"),
    pytest.param('we"ird\\na\tme', id="quoted-name"),
    pytest.param("-", id="stdin"),
]


def _git_env(home: Path) -> dict[str, str]:
    # The user's own config (autocrlf, apply.whitespace=fix) must not change the result.
    env = dict(os.environ, HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def _setup(directory: Path, path: str, old: str, diff: str) -> Path:
    target = directory / diff_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(old.encode("utf-8"))
    (directory.parent / f"{directory.name}.diff").write_bytes(diff.encode("utf-8"))
    return target


def _git_apply(tmp_path: Path, path: str, old: str, diff: str) -> bytes:
    repo = tmp_path / "git"
    repo.mkdir()
    env = _git_env(tmp_path)
    # A repository of its own: inside another one git apply resolves paths from its root.
    subprocess.run(["git", "init", "-q", "."], cwd=repo, env=env, check=True)
    target = _setup(repo, path, old, diff)
    result = subprocess.run(
        ["git", "apply", "--verbose", str(tmp_path / "git.diff")],
        cwd=repo, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


def _patch(tmp_path: Path, path: str, old: str, diff: str) -> bytes:
    work = tmp_path / "patch"
    work.mkdir()
    target = _setup(work, path, old, diff)
    result = subprocess.run(
        ["patch", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch", "-i", str(tmp_path / "patch.diff")],
        cwd=work, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Applied cleanly: not merely somewhere else, or with a whitespace/CR workaround.
    assert "offset" not in result.stdout and "fuzz" not in result.stdout, result.stdout
    assert "stripping trailing CRs" not in result.stdout + result.stderr
    assert sorted(p.name for p in work.rglob("*") if p.suffix in (".orig", ".rej")) == []
    return target.read_bytes()


def _assert_applies(tmp_path: Path, path: str, old: str, new: str) -> None:
    diff = unified_diff(path, old, new)
    assert diff
    expected = new.encode("utf-8")
    assert _git_apply(tmp_path, path, old, diff) == expected
    assert _patch(tmp_path, path, old, diff) == expected


@needs_git
@needs_patch
@pytest.mark.parametrize(("old", "new"), ROUND_TRIP)
def test_round_trip(tmp_path: Path, old: str, new: str) -> None:
    _assert_applies(tmp_path, "Dockerfile", old, new)


@needs_git
@needs_patch
@pytest.mark.parametrize("path", PATHS)
def test_round_trip_paths(tmp_path: Path, path: str) -> None:
    _assert_applies(tmp_path, path, "FROM a\n" + PIP, "FROM a\n" + PIP_FIXED)


def _random_text(rng: random.Random) -> str:
    words = ["RUN pip install x", "FROM a", "", "  && y \\", "CMD z", "é\u2028", "\t"]
    lines = [rng.choice(words) + rng.choice(["\n", "\n", "\r\n"]) for _ in range(rng.randrange(12))]
    text = "".join(lines)
    return text.rstrip("\r\n") if rng.random() < 0.3 else text


def _random_edit(rng: random.Random, text: str) -> str:
    lines = split_lines(text)
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(len(lines) + 1)
        op = rng.choice(["insert", "delete", "change"])
        if op == "insert" or i == len(lines):
            lines.insert(i, rng.choice(["NEW\n", "NEW\r\n", "NEW"]))
        elif op == "delete":
            del lines[i]
        else:
            lines[i] = lines[i].replace("install", "install --no-cache-dir", 1) + "#"
    return "".join(lines)


@needs_git
@needs_patch
@pytest.mark.parametrize("seed", range(25))
def test_random_edits_round_trip(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    old = _random_text(rng)
    new = _random_edit(rng, old)
    if old == new:
        assert unified_diff("Dockerfile", old, new) == ""
        return
    _assert_applies(tmp_path, "Dockerfile", old, new)


# Exact text, independent of the external tools.
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("a\n", "a\n", "", id="equal-is-empty"),
        pytest.param("a\nb", "a\nc", "--- a/F\n+++ b/F\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n", id="marker-on-both-sides"),
        pytest.param("a\nb", "x\nb", "--- a/F\n+++ b/F\n@@ -1,2 +1,2 @@\n-a\n+x\n b\n\\ No newline at end of file\n", id="marker-after-context"),
        pytest.param("a\nb", "a\nb\n", "--- a/F\n+++ b/F\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", id="marker-only-old"),
        pytest.param("a\r\n", "b\r\n", "--- a/F\n+++ b/F\n@@ -1 +1 @@\n-a\r\n+b\r\n", id="crlf-kept"),
        pytest.param("", "a\n", "--- a/F\n+++ b/F\n@@ -0,0 +1 @@\n+a\n", id="from-empty"),
    ],
)
def test_diff_text(old: str, new: str, expected: str) -> None:
    assert unified_diff("F", old, new) == expected


@pytest.mark.parametrize(
    ("path", "header"),
    [
        pytest.param("Dockerfile", "--- a/Dockerfile\n+++ b/Dockerfile\n", id="plain"),
        pytest.param("-", "--- a/-\n+++ b/-\n", id="stdin"),
        pytest.param("././x/Dockerfile", "--- a/x/Dockerfile\n+++ b/x/Dockerfile\n", id="dot-slash-stripped"),
        pytest.param("a b/Dockerfile", "--- a/a b/Dockerfile\t\n+++ b/a b/Dockerfile\t\n", id="space-gets-tab"),
        pytest.param('q"\\', '--- "a/q\\"\\\\"\n+++ "b/q\\"\\\\"\n', id="c-quoted"),
    ],
)
def test_headers(path: str, header: str) -> None:
    assert unified_diff(path, "a\n", "b\n", context=0).startswith(header)


def test_context_is_honoured() -> None:
    diff = unified_diff("F", LONG, LONG.replace("echo 15\n", "echo X\n"), context=1)
    assert "@@ -15,3 +15,3 @@\n" in diff


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("a\nb", ["a\n", "b"], id="no-final-newline"),
        pytest.param("a\r\nb\n", ["a\r\n", "b\n"], id="crlf"),
        pytest.param("a\rb\u2028c\x0c\n", ["a\rb\u2028c\x0c\n"], id="only-lf-splits"),
    ],
)
def test_split_lines(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines
    assert "".join(lines) == text


def test_colorize() -> None:
    diff = unified_diff("F", "keep\n-- old\r\n", "keep\n-- new\r\n")
    assert colorize_diff(diff) == (
        "\x1b[1m--- a/F\x1b[0m\n"
        "\x1b[1m+++ b/F\x1b[0m\n"
        "\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n"
        " keep\n"
        "\x1b[31m--- old\x1b[0m\r\n"
        "\x1b[32m+-- new\x1b[0m\r\n"
    )


def test_colorize_concatenated_diffs_and_marker() -> None:
    diff = unified_diff("A", "x", "y") + unified_diff("B", "p\n", "q\n")
    lines = colorize_diff(diff).split("\n")
    assert lines[4] == "\\ No newline at end of file"
    assert lines[7] == "\x1b[1m--- a/B\x1b[0m"
