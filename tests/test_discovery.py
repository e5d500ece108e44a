from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerfix.discovery import discover, is_dockerfile_name


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Dockerfile", id="Dockerfile"),
        pytest.param("dockerfile", id="lowercase-docker-fallback"),
        pytest.param("DOCKERFILE", id="uppercase"),
        pytest.param("Containerfile", id="Containerfile"),
        pytest.param("api.Dockerfile", id="suffix"),
        pytest.param("api.dockerfile", id="suffix-lowercase"),
        pytest.param("Dockerfile.prod", id="prefix"),
        pytest.param("Dockerfile.dev.arm64", id="prefix-two-dots"),
        pytest.param("Containerfile.fedora", id="containerfile-prefix"),
        pytest.param("Dockerfile.template", id="template"),
        pytest.param("base.Dockerfile.dockerfile", id="suffix-wins"),
    ],
)
def test_dockerfile_names(name: str) -> None:
    assert is_dockerfile_name(name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("README.md", id="unrelated"),
        pytest.param("Dockerfile.dockerignore", id="buildkit-ignore-file"),
        pytest.param("api.Dockerfile.dockerignore", id="buildkit-ignore-file-suffix-form"),
        pytest.param(".dockerignore", id="dockerignore"),
        pytest.param("Dockerfile.orig", id="patch-backup"),
        pytest.param("Dockerfile.rej", id="patch-reject"),
        pytest.param("Dockerfile~", id="editor-backup"),
        pytest.param("dockerfile.py", id="python-module"),
        pytest.param("Dockerfile.md", id="docs"),
        pytest.param("docker-compose.yml", id="compose"),
        pytest.param("MyDockerfile", id="no-separator"),
        pytest.param("Dockerfiles", id="plural"),
    ],
)
def test_not_dockerfile_names(name: str) -> None:
    assert not is_dockerfile_name(name)


def _tree(root: Path, files: list[str]) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("FROM scratch\n")


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# (files on disk, arguments, excludes, expected files)
WALKS = [
    pytest.param(["Dockerfile", "README.md"], ["."], [], ["Dockerfile"], id="dot-has-no-prefix"),
    pytest.param(["b/Dockerfile", "a/Dockerfile", "Dockerfile"], ["."], [], ["Dockerfile", "a/Dockerfile", "b/Dockerfile"], id="sorted"),
    pytest.param(["a-b/Dockerfile", "a/b/Dockerfile", "a/Dockerfile"], ["."], [], ["a/Dockerfile", "a/b/Dockerfile", "a-b/Dockerfile"], id="sorted-by-component"),
    pytest.param(["src/Dockerfile", "src/x/api.Dockerfile"], ["src"], [], ["src/Dockerfile", "src/x/api.Dockerfile"], id="named-dir-prefix"),
    pytest.param(["src/Dockerfile"], ["src/"], [], ["src/Dockerfile"], id="trailing-slash"),
    pytest.param(["src/Dockerfile"], ["./src"], [], ["./src/Dockerfile"], id="dot-slash-kept-as-given"),
    pytest.param([".devcontainer/Dockerfile"], ["."], [], [".devcontainer/Dockerfile"], id="hidden-dir-walked"),
    pytest.param(["Dockerfile", "node_modules/x/Dockerfile", ".git/Dockerfile", "a/build/Dockerfile", ".venv/Dockerfile"], ["."], [], ["Dockerfile"], id="default-excludes"),
    pytest.param(["build/Dockerfile"], ["build"], [], ["build/Dockerfile"], id="excluded-name-given-explicitly"),
    pytest.param(["Dockerfile", "vendor/Dockerfile"], ["."], ["vendor"], ["Dockerfile"], id="exclude-by-name"),
    pytest.param(["Dockerfile", "a/vendor/Dockerfile"], ["."], ["vendor/"], ["Dockerfile"], id="exclude-trailing-slash"),
    pytest.param(["Dockerfile", "a/vendor/Dockerfile", "vendor/Dockerfile"], ["."], ["a/vendor"], ["Dockerfile", "vendor/Dockerfile"], id="exclude-relative-path"),
    pytest.param(["Dockerfile", "vendor/Dockerfile"], ["."], ["./vendor"], ["Dockerfile"], id="exclude-dot-slash"),
    pytest.param(["Dockerfile", "a.Dockerfile", "b.Dockerfile"], ["."], ["*.Dockerfile"], ["Dockerfile"], id="exclude-file-glob"),
    pytest.param(["x/Dockerfile", "x/test/Dockerfile"], ["x"], ["x/test"], ["x/Dockerfile"], id="exclude-path-as-shown"),
    pytest.param(["x/Dockerfile", "x/test/Dockerfile"], ["x"], ["test"], ["x/Dockerfile"], id="exclude-relative-to-argument"),
    pytest.param(["Dockerfile", "Dockerfile.dockerignore", "Dockerfile.orig"], ["."], [], ["Dockerfile"], id="non-dockerfiles-skipped"),
    pytest.param(["notes.txt"], ["notes.txt"], [], ["notes.txt"], id="explicit-file-any-name"),
    pytest.param(["Dockerfile.orig"], ["Dockerfile.orig"], ["*.orig"], ["Dockerfile.orig"], id="explicit-file-not-excluded"),
    pytest.param([], ["-"], [], ["-"], id="stdin"),
    pytest.param([], ["-", "-"], [], ["-"], id="stdin-once"),
    pytest.param(["Dockerfile"], ["Dockerfile", "Dockerfile"], [], ["Dockerfile"], id="same-file-twice"),
    pytest.param(["a/Dockerfile", "b/Dockerfile"], ["a/Dockerfile", "."], [], ["a/Dockerfile", "b/Dockerfile"], id="file-then-its-directory"),
    pytest.param(["a/Dockerfile", "b/Dockerfile"], ["b", "."], [], ["b/Dockerfile", "a/Dockerfile"], id="argument-order-kept"),
    pytest.param(["a/Dockerfile"], ["./a/Dockerfile", "a/Dockerfile"], [], ["./a/Dockerfile"], id="two-spellings-one-file"),
]


@pytest.mark.parametrize(("files", "args", "exclude", "expected"), WALKS)
def test_discover(
    chdir: Path, files: list[str], args: list[str], exclude: list[str], expected: list[str]
) -> None:
    _tree(chdir, files)
    found, errors = discover(args, exclude=exclude)
    assert errors == []
    assert found == [os.path.join(*p.split("/")) if p != "-" else p for p in expected]


def test_absolute_directory(tmp_path: Path) -> None:
    _tree(tmp_path, ["Dockerfile", "a/Dockerfile"])
    found, errors = discover([str(tmp_path)])
    assert (found, errors) == ([str(tmp_path / "Dockerfile"), str(tmp_path / "a" / "Dockerfile")], [])


@pytest.mark.parametrize(
    ("files", "args", "expected_errors"),
    [
        pytest.param([], ["missing"], ["missing: No such file or directory"], id="missing-path"),
        pytest.param(["Dockerfile"], ["missing", "."], ["missing: No such file or directory"], id="missing-among-good"),
        pytest.param(["empty/README.md"], ["empty"], ["empty: directory contains no Dockerfiles"], id="no-dockerfiles"),
        pytest.param(["d/node_modules/Dockerfile"], ["d"], ["d: directory contains no Dockerfiles"], id="only-excluded-dockerfiles"),
    ],
)
def test_errors(chdir: Path, files: list[str], args: list[str], expected_errors: list[str]) -> None:
    _tree(chdir, files)
    _, errors = discover(args)
    assert len(errors) == len(expected_errors)
    for error, expected in zip(errors, expected_errors):
        assert error.startswith(expected)


def test_directory_reached_twice_is_no_error(chdir: Path) -> None:
    _tree(chdir, ["a/Dockerfile"])
    assert discover([".", "a"]) == (["a/Dockerfile"], [])


def test_symlinked_directory_not_followed(chdir: Path) -> None:
    _tree(chdir, ["real/Dockerfile"])
    (chdir / "link").symlink_to("real", target_is_directory=True)
    (chdir / "loop").symlink_to(".", target_is_directory=True)
    assert discover(["."]) == (["real/Dockerfile"], [])


def test_symlinked_directory_given_explicitly_is_walked(chdir: Path) -> None:
    _tree(chdir, ["real/Dockerfile"])
    (chdir / "link").symlink_to("real", target_is_directory=True)
    assert discover(["link"]) == (["link/Dockerfile"], [])


def test_symlinked_file_listed_once(chdir: Path) -> None:
    _tree(chdir, ["base/Dockerfile"])
    (chdir / "Dockerfile").symlink_to("base/Dockerfile")
    assert discover(["."]) == (["Dockerfile"], [])


def test_dangling_symlink_skipped_in_walk_but_error_when_named(chdir: Path) -> None:
    _tree(chdir, ["Dockerfile"])
    (chdir / "Dockerfile.old").symlink_to("gone")
    assert discover(["."]) == (["Dockerfile"], [])
    assert discover(["Dockerfile.old"]) == ([], ["Dockerfile.old: No such file or directory"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any directory")
def test_unreadable_directory_reported(chdir: Path) -> None:
    _tree(chdir, ["Dockerfile", "locked/Dockerfile"])
    (chdir / "locked").chmod(0)
    try:
        found, errors = discover(["."])
    finally:
        (chdir / "locked").chmod(0o755)
    assert found == ["Dockerfile"]
    assert errors == ["locked: Permission denied"]
