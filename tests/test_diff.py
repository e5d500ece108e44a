from __future__ import annotations

import difflib
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.core import fix
from dockerfix.fix.diff import colorize_diff, diff_path, hunk_counts, split_lines, unified_diff
from dockerfix.parse.instructions import ScanError
from dockerfix.settings import Settings

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


# -- hunks from in-line edits; difflib for lines added or removed --------------------------


def _difflib_diff(old: str, new: str, context: int = 3) -> str:
    """The diff as difflib.unified_diff makes it (plus the marker difflib forgets)."""
    if old == new:
        return ""
    lines = difflib.unified_diff(split_lines(old), split_lines(new), "a/F", "b/F", n=context)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _changed(changes: dict[int, str], total: int = 20) -> tuple[str, str]:
    """A file of ``total`` distinct lines, and the same with ``--no-cache-dir`` on lines ``changes``."""
    old = "".join(changes.get(i, f"RUN echo {i}\n") for i in range(total))
    new = "".join(changes.get(i, f"RUN echo {i}\n").replace("install", "install --no-cache-dir") for i in range(total))
    return old, new


def _at(*rows: int, total: int = 20) -> tuple[str, str]:
    return _changed({i: f"RUN pip install x{i}\n" for i in rows}, total)


# Text inserted inside lines, as (almost) every fix makes it: old and new have as many lines.
IN_LINE = [
    pytest.param(*_at(10), id="one-changed-line"),
    pytest.param(*_at(0), id="first-line"),
    pytest.param(*_at(19), id="last-line"),
    pytest.param(*_at(0, 19), id="first-and-last-line"),
    pytest.param(*_at(1), id="second-line-context-cut-at-start"),
    pytest.param(*_at(18), id="second-last-line-context-cut-at-end"),
    pytest.param(*_at(5, 6), id="adjacent-changes"),
    pytest.param(*_at(5, 6, 7, 9), id="a-run-and-one-more"),
    pytest.param(*_at(3, 9), id="6-apart-one-hunk"),
    pytest.param(*_at(3, 10), id="7-apart-context-touches-one-hunk"),
    pytest.param(*_at(3, 11), id="8-apart-two-hunks"),
    pytest.param(*_at(2, 9, 16), id="three-changes-7-apart-one-hunk"),
    pytest.param(*_at(2, 10, 18), id="three-changes-8-apart-three-hunks"),
    pytest.param(*_at(0, total=1), id="one-line-file"),
    pytest.param(*_at(1, total=3), id="context-beyond-both-ends"),
    pytest.param("FROM a\r\nRUN pip install x\r\nCMD y\r\n", "FROM a\r\nRUN pip install --no-cache-dir x\r\nCMD y\r\n", id="crlf"),
    pytest.param("FROM a\nRUN pip install x", "FROM a\nRUN pip install --no-cache-dir x", id="no-final-newline-last-line-changed"),
    pytest.param("RUN pip install x\nFROM a\nCMD y", "RUN pip install --no-cache-dir x\nFROM a\nCMD y", id="no-final-newline-in-context"),
    pytest.param(PIP + LONG + "CMD y", PIP_FIXED + LONG + "CMD y", id="no-final-newline-out-of-context"),
    pytest.param("FROM a\nCMD y", "FROM a\nCMD y\n", id="final-newline-added"),
    pytest.param(BOM + "RUN pip install x\nCMD y\n", BOM + "RUN pip install --no-cache-dir x\nCMD y\n", id="bom-on-changed-line"),
    pytest.param(BOM + "FROM a\n" + PIP, BOM + "FROM a\n" + PIP_FIXED, id="bom-in-context"),
    pytest.param("\n\nRUN pip install x\n\n\n", "\n\nRUN pip install --no-cache-dir x\n\n\n", id="blank-lines-around"),
    pytest.param(PIP + PIP_FIXED, PIP_FIXED + PIP_FIXED, id="changed-line-equals-a-neighbour"),
    pytest.param(PIP_FIXED + "FROM a\n" + PIP, PIP_FIXED + "FROM a\n" + PIP_FIXED, id="changed-line-equals-an-earlier-line"),
    pytest.param("A\nB\nC\n", "B\nC\nD\n", id="every-line-changed"),
]

# Lines added or removed (``--add-syntax-directive``, a Renovate ``ARG`` line): difflib's diff.
LINES_ADDED_OR_REMOVED = [
    pytest.param("", "FROM a\n", id="empty-old-file"),
    pytest.param("FROM a\n", "", id="emptied"),
    pytest.param("FROM a\n" + PIP, "# syntax=docker/dockerfile:1\nFROM a\n" + PIP_FIXED, id="line-added"),
    pytest.param(LONG + PIP, "# syntax=docker/dockerfile:1\n" + LONG + PIP_FIXED, id="line-added-far-from-the-fix"),
    pytest.param("FROM a\n" + PIP + "CMD y\n", "FROM a\nCMD y\n", id="line-removed"),
    pytest.param("FROM a\nRUN pip install flask\n", "FROM a\nARG FLASK_VERSION=3.0.0\nRUN pip install flask==${FLASK_VERSION}\n", id="renovate-arg-line"),
]


@needs_git
@needs_patch
@pytest.mark.parametrize(("old", "new"), IN_LINE + LINES_ADDED_OR_REMOVED)
def test_cases_round_trip(tmp_path: Path, old: str, new: str) -> None:
    _assert_applies(tmp_path, "Dockerfile", old, new)


@pytest.mark.parametrize("context", [0, 1, 3])
@pytest.mark.parametrize(("old", "new"), IN_LINE + LINES_ADDED_OR_REMOVED)
def test_cases_apply_strictly_with_any_context(old: str, new: str, context: int) -> None:
    assert _apply(old, unified_diff("F", old, new, context=context)) == new


@pytest.mark.parametrize("context", [0, 1, 3])
@pytest.mark.parametrize(("old", "new"), IN_LINE)
def test_in_line_edits_show_only_the_lines_that_differ(old: str, new: str, context: int) -> None:
    """Line ``i`` pairs with line ``i``: each line that differs is one ``-`` and one ``+``."""
    differing = sum(x != y for x, y in zip(split_lines(old), split_lines(new), strict=True))
    assert _changed_lines(unified_diff("F", old, new, context=context)) == 2 * differing


@pytest.mark.parametrize("context", [0, 1, 3])
@pytest.mark.parametrize(("old", "new"), LINES_ADDED_OR_REMOVED)
def test_lines_added_or_removed_make_difflibs_diff(old: str, new: str, context: int) -> None:
    assert unified_diff("F", old, new, context=context) == _difflib_diff(old, new, context)


@pytest.mark.parametrize(
    ("rows", "context", "headers"),
    [
        pytest.param((10,), 3, ["@@ -8,7 +8,7 @@"], id="context-both-sides"),
        pytest.param((1,), 3, ["@@ -1,5 +1,5 @@"], id="cut-at-start"),
        pytest.param((18,), 3, ["@@ -16,5 +16,5 @@"], id="cut-at-end"),
        pytest.param((3, 9), 3, ["@@ -1,13 +1,13 @@"], id="6-apart-one-hunk"),
        pytest.param((3, 10), 3, ["@@ -1,14 +1,14 @@"], id="7-apart-context-touches-one-hunk"),
        pytest.param((3, 11), 3, ["@@ -1,7 +1,7 @@", "@@ -9,7 +9,7 @@"], id="8-apart-two-hunks"),
        pytest.param((2, 10, 18), 3, ["@@ -1,6 +1,6 @@", "@@ -8,7 +8,7 @@", "@@ -16,5 +16,5 @@"], id="three-hunks"),
        pytest.param((5, 6), 0, ["@@ -6,2 +6,2 @@"], id="no-context-adjacent"),
        pytest.param((5, 7), 0, ["@@ -6 +6 @@", "@@ -8 +8 @@"], id="no-context-apart"),
        pytest.param((5, 7), 1, ["@@ -5,5 +5,5 @@"], id="context-1-joined"),
    ],
)
def test_hunk_grouping(rows: tuple[int, ...], context: int, headers: list[str]) -> None:
    diff = unified_diff("F", *_at(*rows), context=context)
    assert [line for line in diff.split("\n") if line.startswith("@@")] == headers


def _random_lines(rng: random.Random) -> list[str]:
    # Few distinct lines, so that a changed line often equals another one.
    words = ["RUN pip install x", "RUN pip install y", "FROM a", "", "CMD z", "  && pip install x \\"]
    return [
        rng.choice(words) + rng.choice(["", "", " 1", " 2", " 3"]) + rng.choice(["\n", "\n", "\n", "\r\n"])
        for _ in range(rng.randrange(1, 40))
    ]


@pytest.mark.parametrize("seed", range(100))
def test_random_in_line_insertions_apply(seed: int) -> None:
    """Fixes as dockerfix makes them (text inserted inside lines): the diff applies strictly
    and shows exactly the lines that differ."""
    rng = random.Random(seed)
    lines = _random_lines(rng)
    old = "".join(lines).rstrip("\r\n") if rng.random() < 0.2 else "".join(lines)
    new_lines = split_lines(old)
    for i in rng.sample(range(len(new_lines)), rng.randrange(len(new_lines) + 1)):
        new_lines[i] = new_lines[i].replace("install", "install --no-cache-dir", 1)
    new = "".join(new_lines)
    diff = unified_diff("F", old, new, context=rng.choice([0, 1, 2, 3, 5]))
    assert _apply(old, diff) == new
    assert _changed_lines(diff) == 2 * sum(x != y for x, y in zip(split_lines(old), new_lines))


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("Dockerfile", False), ('a"b', True), ("a\\b", True), ("tab\there", True), ("nl\nx", True), ("del\x7fx", True),
        ("nul\x00x", True), ("line\u2028sep", False), ("nbsp\xa0x", False), ("é", False), ("a b", False), ("\x1f", True),
        ("\x80", False), ("raw\udcffbyte", True),
    ],
)
def test_header_names_quoted(name: str, quoted: bool) -> None:
    assert unified_diff(name, "a\n", "b\n").startswith('--- "') == quoted


@pytest.mark.parametrize(
    ("line", "counts"),
    [
        ("@@ -1 +1 @@", (1, 1)), ("@@ -1,2 +1,3 @@", (2, 3)), ("@@ -0,0 +1 @@", (0, 1)), ("@@ -12,0 +13,4 @@ tail", (0, 4)),
        ("@@ -1,2 +1,3 @@@", (2, 3)), ("@@ -١ +٢,٣ @@", (1, 3)), ("@@ -1 +1 @@\r", (1, 1)),
        ("@@ -1,2 +1,3@@", None), ("@@ -1, +1 @@", None), ("@@ -,1 +1 @@", None), ("@@ -1 +1,x @@", None),
        ("@@ -1 -1 @@", None), ("@@ +1 -1 @@", None), ("@@ -1  +1 @@", None), ("@@ -1 +1 +2 @@", None),
        ("@@ -1,2,3 +1 @@", None), ("@@ -² +1 @@", None), ("@@ -1 +1", None), ("@@", None), ("", None),
        (" @@ -1 +1 @@", None), ("-@@ -1 +1 @@", None),
    ],
)
def test_hunk_counts(line: str, counts: tuple[int, int] | None) -> None:
    assert hunk_counts(line) == counts


def _apply(old: str, diff: str) -> str:
    """``diff`` applied to ``old`` strictly (no offset, no fuzz): every hunk's context and
    removed lines must be the lines its header names, and its counts must add up."""
    if not diff:
        return old
    a = split_lines(old)
    lines = split_lines(diff)
    assert lines[0].startswith("--- a/") and lines[1].startswith("+++ b/"), lines[:2]
    body: list[str] = []
    for line in lines[2:]:
        if line == "\\ No newline at end of file\n":
            body[-1] = body[-1][:-1]  # the line before it has no newline in its file
        else:
            body.append(line)
    out: list[str] = []
    done = k = 0
    while k < len(body):
        header = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n", body[k])
        assert header, body[k]
        old_start, old_left, new_start, new_left = (int(g) if g else 1 for g in header.groups())
        at = old_start - (old_left > 0)  # an empty range names the line before it
        assert at >= done, "hunks out of order"
        out.extend(a[done:at])
        done = at
        assert len(out) == new_start - (new_left > 0), "the new side's start does not follow"
        k += 1
        while old_left or new_left:
            kind, text = body[k][0], body[k][1:]
            k += 1
            if kind in " -":
                assert a[done] == text, (done, a[done], text)
                done, old_left = done + 1, old_left - 1
            if kind in " +":
                out.append(text)
                new_left -= 1
            assert kind in " -+" and old_left >= 0 and new_left >= 0, body[k - 1]
    return "".join(out + a[done:])


def _changed_lines(diff: str) -> int:
    return sum(1 for line in split_lines(diff)[2:] if line[:1] in "-+")


def _corpus_fixes() -> list[tuple[str, str, str]]:
    """(name, text, fixed) for every corpus file that ``--unsafe-fixes`` changes."""
    from test_corpus import read_corpus_texts

    settings = Settings(unsafe_fixes=True)
    changed = []
    for name, text in read_corpus_texts():
        if "pip" not in text and "uv" not in text:
            continue  # nothing to fix without --pin-from
        try:
            fixed = fix(text, settings).text
        except ScanError:
            continue
        if fixed != text:
            changed.append((name, text, fixed))
    return changed


@pytest.mark.corpus
def test_corpus_diffs_apply(pytestconfig: pytest.Config, tmp_path: Path) -> None:
    """Every corpus file fixed as ``--unsafe-fixes`` does: the diff applies strictly and gives
    the fixed text; built from in-line edits it shows exactly the lines that differ, and with
    lines added it is difflib's. A sample of them, as one multi-file diff, goes through
    ``git apply`` and ``patch -p1`` too."""
    from test_corpus import print_totals

    changed = _corpus_fixes()
    in_line = 0
    for name, text, fixed in changed:
        diff = unified_diff(name, text, fixed)
        assert _apply(text, diff) == fixed, name
        a, b = split_lines(text), split_lines(fixed)
        if len(a) == len(b):
            in_line += 1
            assert _changed_lines(diff) == 2 * sum(x != y for x, y in zip(a, b)), name
        else:
            assert diff.split("\n", 2)[2] == _difflib_diff(text, fixed).split("\n", 2)[2], name
    print_totals(pytestconfig, [f"  diffs: {len(changed)} files changed, {in_line} built from in-line edits"])
    assert len(changed) > 1000 and in_line > 0.9 * len(changed)
    if shutil.which("git") and shutil.which("patch"):
        _assert_sample_applies(tmp_path, changed[::25])


def _assert_sample_applies(tmp_path: Path, sample: list[tuple[str, str, str]]) -> None:
    files = [(f"f{i}/Dockerfile", text, fixed) for i, (_, text, fixed) in enumerate(sample)]
    diff = "".join(unified_diff(path, text, fixed) for path, text, fixed in files)
    env = _git_env(tmp_path)
    for tool in ("git", "patch"):
        work = tmp_path / tool
        work.mkdir()
        for path, text, _ in files:
            (work / path).parent.mkdir()
            (work / path).write_bytes(text.encode("utf-8"))
        if tool == "git":
            subprocess.run(["git", "init", "-q", "."], cwd=work, env=env, check=True)
            command = ["git", "apply", "-"]
        else:
            command = ["patch", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch"]
        result = subprocess.run(command, cwd=work, env=env, input=diff.encode("utf-8"), capture_output=True)
        assert result.returncode == 0, result.stdout + result.stderr
        for path, _, fixed in files:
            assert (work / path).read_bytes() == fixed.encode("utf-8"), (tool, path)


@pytest.mark.parametrize(
    ("path", "header"),
    [
        pytest.param("/tmp/x/Dockerfile", "--- a/tmp/x/Dockerfile\n", id="absolute-outside-from-root"),
        pytest.param("{cwd}/sub/Dockerfile", "--- a/sub/Dockerfile\n", id="absolute-inside-relative"),
        pytest.param("sub/../Dockerfile", "--- a/Dockerfile\n", id="dot-dot-inside"),
        pytest.param("../x/Dockerfile", "--- a{parent}/x/Dockerfile\n", id="dot-dot-outside-from-root"),
    ],
)
def test_headers_outside_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, header: str) -> None:
    cwd = tmp_path / "w"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    path = path.format(cwd=cwd)
    assert unified_diff(path, "a\n", "b\n").startswith(header.format(parent=str(tmp_path)))


@needs_git
@needs_patch
@pytest.mark.parametrize("how", [pytest.param("absolute", id="absolute"), pytest.param("relative", id="dot-dot")])
def test_diff_of_a_file_outside_applies_from_the_root(tmp_path: Path, how: str) -> None:
    """What the README says: such a diff names the file from ``/``; ``git -C / apply`` and
    ``patch -d / -p1`` apply it (here really, to the file under tmp_path)."""
    (tmp_path / "x").mkdir()
    (tmp_path / "w").mkdir()
    target = tmp_path / "x" / "Dockerfile"
    old, new = "FROM python:3.12\nRUN pip install flask==1\n", "FROM python:3.12\nRUN pip install --no-cache-dir flask==1\n"
    arg = str(target) if how == "absolute" else "../x/Dockerfile"
    for tool in (["git", "-C", "/", "apply", "--verbose"], ["patch", "-d", "/", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch"]):
        target.write_text(old)
        diff = subprocess.run(
            [sys.executable, "-m", "dockerfix", "-q", "--diff", arg], cwd=tmp_path / "w", capture_output=True, timeout=60
        ).stdout
        assert diff.startswith(f"--- a{tmp_path.resolve()}/x/Dockerfile\n".encode()) or diff.startswith(
            f"--- a{tmp_path}/x/Dockerfile\n".encode()
        )
        result = subprocess.run([*tool, "-"] if tool[0] == "git" else tool, input=diff, capture_output=True, env=_git_env(tmp_path))
        assert result.returncode == 0, result.stderr
        assert target.read_text() == new, tool[0]
