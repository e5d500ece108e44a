from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerfix.cli.discovery import discover, discover_with_roots, is_dockerfile_name


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
        pytest.param("Dockerfile-gpu", id="dash-prefix"),
        pytest.param("Dockerfile_dev", id="underscore-prefix"),
        pytest.param("api.Containerfile", id="containerfile-suffix"),
        pytest.param("api.containerfile", id="containerfile-suffix-lowercase"),
        pytest.param("Containerfile-fedora", id="containerfile-dash-prefix"),
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
        pytest.param("Dockerfile-dev.dockerignore", id="dash-prefix-buildkit-ignore-file"),
        pytest.param("Dockerfile_notes.md", id="underscore-prefix-docs"),
        pytest.param("Containerfile-build.sh", id="containerfile-dash-prefix-script"),
        pytest.param("Dockerfile-compose.yml", id="dash-prefix-yaml"),
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
    ],
)
def test_errors(chdir: Path, files: list[str], args: list[str], expected_errors: list[str]) -> None:
    _tree(chdir, files)
    _, errors = discover(args)
    assert len(errors) == len(expected_errors)
    for error, expected in zip(errors, expected_errors):
        assert error.startswith(expected)


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        pytest.param(["empty/README.md"], ["empty"], ["empty: no Dockerfiles found"], id="no-dockerfiles"),
        pytest.param(["d/node_modules/Dockerfile"], ["d"], ["d: no Dockerfiles found"], id="only-excluded-dockerfiles"),
        pytest.param(["Dockerfile", "empty/README.md"], [".", "empty"], ["empty: no Dockerfiles found"], id="one-of-two"),
        pytest.param(["Dockerfile"], ["."], [], id="found"),
    ],
)
def test_nothing_found_is_a_note_not_an_error(chdir: Path, files: list[str], args: list[str], expected: list[str]) -> None:
    _tree(chdir, files)
    notes: list[str] = []
    _, errors = discover_with_roots(args, notes=notes)
    assert errors == []
    assert [n.partition(" (")[0] for n in notes] == expected


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


# -- .gitignore (nested files, negation, anchoring, .git/info/exclude) --

# (ignore files {path: text}, Dockerfiles on disk, walked argument, expected files)
GITIGNORE = [
    pytest.param({".gitignore": "gen/\n"}, ["Dockerfile", "gen/Dockerfile", "a/gen/Dockerfile"], ".", ["Dockerfile"], id="directory-pattern-anywhere"),
    pytest.param({".gitignore": "/gen/\n"}, ["gen/Dockerfile", "a/gen/Dockerfile"], ".", ["a/gen/Dockerfile"], id="anchored"),
    pytest.param({".gitignore": "*.Dockerfile\n!keep.Dockerfile\n"}, ["a.Dockerfile", "keep.Dockerfile"], ".", ["keep.Dockerfile"], id="negation"),
    pytest.param({".gitignore": "!keep.Dockerfile\n*.Dockerfile\n"}, ["a.Dockerfile", "keep.Dockerfile"], ".", [], id="last-match-wins"),
    pytest.param({".gitignore": "gen/\n!gen/Dockerfile\n"}, ["gen/Dockerfile"], ".", [], id="no-reinclude-inside-ignored-directory"),
    pytest.param({"a/.gitignore": "Dockerfile.*\n"}, ["Dockerfile.dev", "a/Dockerfile.dev", "a/b/Dockerfile.dev"], ".", ["Dockerfile.dev"], id="nested-applies-to-its-subtree"),
    pytest.param({"a/.gitignore": "/b\n"}, ["b/Dockerfile", "a/b/Dockerfile"], ".", ["b/Dockerfile"], id="nested-anchored-to-its-directory"),
    pytest.param({".gitignore": "*.Dockerfile\n", "a/.gitignore": "!x.Dockerfile\n"}, ["x.Dockerfile", "a/x.Dockerfile"], ".", ["a/x.Dockerfile"], id="deeper-file-overrides"),
    pytest.param({".gitignore": "# gen/\n\n  \nbuild.Dockerfile\n"}, ["gen/Dockerfile", "build.Dockerfile"], ".", ["gen/Dockerfile"], id="comments-and-blank-lines"),
    pytest.param({".gitignore": "a/**/Dockerfile\n"}, ["a/Dockerfile", "a/b/c/Dockerfile", "Dockerfile"], ".", ["Dockerfile"], id="double-star"),
    pytest.param({".gitignore": "gen/\n"}, ["sub/gen/Dockerfile", "sub/Dockerfile"], "sub", ["sub/Dockerfile"], id="rules-of-walked-directory-apply"),
    pytest.param({".git/info/exclude": "local.Dockerfile\n"}, ["local.Dockerfile", "Dockerfile"], ".", ["Dockerfile"], id="git-info-exclude"),
    pytest.param({".git/info/exclude": "*.Dockerfile\n", ".gitignore": "!a.Dockerfile\n"}, ["a.Dockerfile", "b.Dockerfile"], ".", ["a.Dockerfile"], id="gitignore-beats-info-exclude"),
]


@pytest.mark.parametrize(("ignores", "files", "arg", "expected"), GITIGNORE)
def test_gitignore(chdir: Path, ignores: dict[str, str], files: list[str], arg: str, expected: list[str]) -> None:
    _tree(chdir, files)
    (chdir / ".git").mkdir(exist_ok=True)
    for rel, text in ignores.items():
        (chdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (chdir / rel).write_text(text)
    found, _ = discover([arg])
    assert found == [os.path.join(*p.split("/")) for p in expected]
    assert sorted(discover([arg], respect_gitignore=False)[0]) == sorted(os.path.join(*p.split("/")) for p in files if p.startswith(arg.strip(".")))


def test_parent_gitignore_applies_inside_a_git_work_tree(chdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(chdir, ["svc/gen/Dockerfile", "svc/Dockerfile"])
    (chdir / ".git").mkdir()
    (chdir / ".gitignore").write_text("gen/\n")
    monkeypatch.chdir(chdir / "svc")
    assert discover(["."]) == (["Dockerfile"], [])


def test_gitignore_above_the_walk_ignored_outside_a_work_tree(chdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stray ~/.gitignore must not hide a project that is not in git.
    _tree(chdir, ["svc/gen/Dockerfile"])
    (chdir / ".gitignore").write_text("gen/\n")
    monkeypatch.chdir(chdir / "svc")
    assert discover(["."]) == (["gen/Dockerfile"], [])


def test_gitignore_outside_a_work_tree_from_the_walked_directory_down(chdir: Path) -> None:
    _tree(chdir, ["gen/Dockerfile", "Dockerfile"])
    (chdir / ".gitignore").write_text("gen/\n")
    assert discover(["."]) == (["Dockerfile"], [])


# -- symlinks --


def test_symlinked_file_out_of_tree_found_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found (to be checked and reported; runner.process never writes it), and -v says so."""
    _tree(tmp_path, ["outside/Dockerfile", "project/real.Dockerfile"])
    project = tmp_path / "project"
    (project / "Dockerfile").symlink_to(tmp_path / "outside" / "Dockerfile")
    (project / "alias.Dockerfile").symlink_to("real.Dockerfile")
    monkeypatch.chdir(project)
    said: list[str] = []
    assert discover(["."], log=said.append) == (["Dockerfile", "alias.Dockerfile"], [])
    target = tmp_path.resolve() / "outside" / "Dockerfile"
    assert said == [f"Dockerfile: symlink to {target}, outside the walked directory: checked and reported, never written"]
    assert discover(["Dockerfile"]) == (["Dockerfile"], [])  # named explicitly: taken


def test_symlinked_directory_logged(chdir: Path) -> None:
    _tree(chdir, ["real/Dockerfile"])
    (chdir / "link").symlink_to("real", target_is_directory=True)
    skipped: list[str] = []
    discover(["."], log=skipped.append)
    assert skipped == ["skipped link/: symlinked directory, not followed"]


# -- explicit paths and --force-exclude --

# (Dockerfiles, .gitignore text, exclude globs, arguments, expected with force_exclude)
FORCE_EXCLUDE = [
    pytest.param(["node_modules/x/Dockerfile"], "", [], ["node_modules/x/Dockerfile"], [], id="default-exclude-in-parent"),
    pytest.param(["build/Dockerfile"], "", [], ["build"], [], id="excluded-directory-named"),
    pytest.param(["gen/Dockerfile"], "gen/\n", [], ["gen/Dockerfile"], [], id="gitignored-parent"),
    pytest.param(["x.Dockerfile"], "*.Dockerfile\n", [], ["x.Dockerfile"], [], id="gitignored-file"),
    pytest.param(["vendor/Dockerfile"], "", ["vendor"], ["vendor/Dockerfile"], [], id="cli-exclude"),
    pytest.param(["Dockerfile.orig"], "", ["*.orig"], ["Dockerfile.orig"], [], id="cli-exclude-file-glob"),
    pytest.param(["app/Dockerfile"], "", [], ["app/Dockerfile"], ["app/Dockerfile"], id="not-excluded-kept"),
    pytest.param([], "", [], ["-"], ["-"], id="stdin-kept"),
]


@pytest.mark.parametrize(("files", "gitignore", "exclude", "args", "expected"), FORCE_EXCLUDE)
def test_force_exclude(chdir: Path, files: list[str], gitignore: str, exclude: list[str], args: list[str], expected: list[str]) -> None:
    _tree(chdir, files)
    (chdir / ".gitignore").write_text(gitignore)
    assert discover(args, exclude=exclude, force_exclude=True) == (expected, [])
    without = discover(args, exclude=exclude)[0]
    assert without == [os.path.join(*p.split("/")) if p != "-" else p for p in (files or ["-"])]  # named: always taken


def test_force_exclude_only_looks_below_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # /home/me/build/project/Dockerfile: the "build" above the project is not the project's.
    _tree(tmp_path, ["build/project/Dockerfile"])
    monkeypatch.chdir(tmp_path / "build" / "project")
    assert discover(["Dockerfile"], force_exclude=True) == (["Dockerfile"], [])


# -- excludes from configuration files (dockerfix.cli.config.Resolver as the excluder) --

# (files {path: text}, walked argument, expected)
CONFIG_EXCLUDES = [
    pytest.param({".dockerfix.toml": 'extend-exclude = ["legacy"]\n'}, ".", ["Dockerfile"], id="extend-exclude-adds"),
    pytest.param({".dockerfix.toml": "exclude = []\n"}, ".", ["Dockerfile", "legacy/Dockerfile", "node_modules/Dockerfile"], id="exclude-replaces-defaults"),
    pytest.param({".dockerfix.toml": 'exclude = ["legacy"]\n'}, ".", ["Dockerfile", "node_modules/Dockerfile"], id="exclude-own-list"),
    pytest.param({"legacy/.dockerfix.toml": "exclude = []\n"}, ".", ["Dockerfile", "legacy/Dockerfile"], id="nested-config-governs-its-subtree"),
    pytest.param({".dockerfix.toml": 'extend-exclude = ["legacy/Dockerfile"]\n'}, ".", ["Dockerfile"], id="path-relative-to-config"),
    pytest.param({"sub/.dockerfix.toml": 'extend-exclude = ["legacy"]\n'}, ".", ["Dockerfile", "legacy/Dockerfile"], id="other-subtree-unaffected"),
    pytest.param({".dockerfix.toml": 'extend-exclude = ["./legacy/"]\n'}, "legacy", ["legacy/Dockerfile"], id="named-directory-walked"),
]


@pytest.mark.parametrize(("files", "arg", "expected"), CONFIG_EXCLUDES)
def test_config_excludes(chdir: Path, files: dict[str, str], arg: str, expected: list[str]) -> None:
    from dockerfix.cli.config import Resolver

    _tree(chdir, ["Dockerfile", "legacy/Dockerfile", "node_modules/Dockerfile"])
    for rel, text in files.items():
        (chdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (chdir / rel).write_text(text)
    assert Resolver().discover([arg]) == ([os.path.join(*p.split("/")) for p in expected], [])


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"


def test_corpus_names_are_taken() -> None:
    """Every real Dockerfile of the corpus (stored as ``owner__repo__dirs__NAME``) has a name
    discovery takes; ``Dockerfile-gpu``, ``Dockerfile_dev`` and the like (27 of them) were
    never checked before the dash/underscore/Containerfile patterns."""
    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: corpus tests need the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    names = [p.name.split("__")[-1] for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv"]
    assert len(names) > 9000
    assert [n for n in names if not is_dockerfile_name(n)] == ["_Dockerfile"]
    assert sum(1 for n in names if n.lower().startswith(("dockerfile-", "dockerfile_"))) >= 27
