"""The pre-commit hooks as a user meets them: the real ``pre-commit`` (from PyPI) installs
this checkout's committed HEAD as a hook repository, in a throwaway git repository.

The hook environment is built by pip from this checkout, so the first test needs the
package index (about half a minute); its cache lives in a temporary PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from identify.identify import tags_from_filename

from dockerfix.cli.discovery import is_dockerfile_name

CHECKOUT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text())

BROKEN = "FROM python:3.12\nRUN pip install flask==2.3.2\n"
FIXED = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _head() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    try:
        return _git("rev-parse", "HEAD", cwd=CHECKOUT)
    except subprocess.CalledProcessError:
        pytest.skip(f"{CHECKOUT} is not a git checkout: pre-commit installs hooks from a git repository")


def _selected_by_precommit(hook: dict[str, object], path: str) -> bool:
    """pre-commit's own filter for one file: ``types`` (identify's tags), ``files``, ``exclude``."""
    types = set(hook.get("types", ["file"]))  # type: ignore[arg-type]
    tags = tags_from_filename(path) | {"file", "text"}  # a Dockerfile is text: identify reads its bytes to say so
    files = re.compile(str(hook.get("files", "")))
    exclude = re.compile(str(hook.get("exclude", "^$")))
    return types <= tags and bool(files.search(path)) and not exclude.search(path)


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Dockerfile", id="Dockerfile"),
        pytest.param("Containerfile", id="Containerfile"),
        pytest.param("api.Dockerfile", id="suffix"),
        pytest.param("Dockerfile.prod", id="prefix"),
        pytest.param("Dockerfile.dev.arm64", id="prefix-two-dots"),
        pytest.param("Containerfile.fedora", id="containerfile-prefix"),
        pytest.param("base.Dockerfile.dockerfile", id="suffix-wins"),
        pytest.param("Dockerfile.orig", id="patch-backup"),
        pytest.param("Dockerfile.dockerignore", id="buildkit-ignore-file"),
        pytest.param("Dockerfile.py", id="python-module"),
        pytest.param("x.Dockerfile.bak", id="suffix-form-backup"),
        pytest.param("api.Dockerfile.template", id="suffix-form-then-more"),
        pytest.param("x.Containerfile", id="containerfile-suffix-form"),
        pytest.param("Dockerfile~", id="editor-backup"),
        pytest.param("README.md", id="unrelated"),
        pytest.param("dockerfile", id="lowercase"),
        pytest.param("api.dockerfile", id="lowercase-suffix-form"),
        pytest.param("Dockerfile-gpu", id="dash-prefix"),
        pytest.param("Dockerfile_dev", id="underscore-prefix"),
        pytest.param("Containerfile-fedora", id="containerfile-dash-prefix"),
        pytest.param("Containerfile_x", id="containerfile-underscore-is-not-taken"),
        pytest.param("Dockerfile-dev.md", id="dash-prefix-docs"),
        pytest.param("Dockerfiles", id="plural"),
        pytest.param("MyDockerfile", id="no-separator"),
    ],
)
@pytest.mark.parametrize("directory", ["", "services/api/"], ids=["top", "nested"])
def test_hook_selects_what_discovery_selects(hook: dict[str, object], name: str, directory: str) -> None:
    assert _selected_by_precommit(hook, directory + name) == is_dockerfile_name(name)


CORPUS = CHECKOUT.parent / "shared" / "corpus" / "wild"


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_hook_selects_what_discovery_selects_on_the_corpus(hook: dict[str, object]) -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPUS} not found")
        pytest.skip(f"{CORPUS} not found: corpus tests need the shared corpus")
    names = [p.name.split("__")[-1] for p in CORPUS.iterdir()]
    assert [n for n in names if _selected_by_precommit(hook, n) != is_dockerfile_name(n)] == []


def test_hooks_are_the_documented_ones() -> None:
    by_id = {h["id"]: h for h in HOOKS}
    assert by_id["dockerfix"]["entry"].split()[:2] == ["dockerfix", "--write"]
    assert by_id["dockerfix-check"]["entry"].split()[0] == "dockerfix"
    assert "--write" not in by_id["dockerfix-check"]["entry"]
    assert all(h["types"] == ["text"] and h["language"] == "python" for h in HOOKS)


def test_precommit_fixes_then_passes(tmp_path: Path) -> None:
    rev = _head()
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "Dockerfile").write_text(BROKEN)
    (repo / "Dockerfile.orig").write_text(BROKEN)  # a patch backup: not a Dockerfile
    (repo / "vendor").mkdir()
    (repo / "vendor" / "Dockerfile").write_text(BROKEN)  # excluded by the project's configuration
    (repo / ".dockerfix.toml").write_text('extend-exclude = ["vendor"]\n')
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {CHECKOUT}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: dockerfix\n"
        "      - id: dockerfix-check\n"
    )
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=600,
        )

    first = run()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "Dockerfile").read_text() == FIXED
    assert (repo / "Dockerfile.orig").read_text() == BROKEN
    assert (repo / "vendor" / "Dockerfile").read_text() == BROKEN

    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"^dockerfix \(check only\)\.+Passed$", second.stdout, re.M), second.stdout
    assert re.search(r"^dockerfix\.+Passed$", second.stdout, re.M), second.stdout


def _readme_snippet() -> str:
    """The README's .pre-commit-config.yaml, as a user copies it."""
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## pre-commit\n") :]
    start = section.index("```yaml\n") + len("```yaml\n")
    return section[start : section.index("```\n", start)]


def test_readme_snippet_is_cache_only_and_names_a_usable_rev() -> None:
    config = yaml.safe_load(_readme_snippet())
    [repo] = config["repos"]
    assert repo["repo"] == "https://github.com/dockerfix/dockerfix"
    assert repo["rev"] == "main"  # no tag exists; README says to run pre-commit autoupdate
    [hook] = repo["hooks"]
    assert hook == {"id": "dockerfix", "args": ["--ignore", "DFX002"]}


def test_readme_snippet_works_as_written(tmp_path: Path) -> None:
    """The README's snippet, pointed at this checkout and at the commit `pre-commit autoupdate`
    would write: an unpinned package does not fail the commit, the cache flag does."""
    rev = _head()
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "Dockerfile").write_text("FROM python:3.12\nRUN pip install flask\n")
    snippet = _readme_snippet().replace("https://github.com/dockerfix/dockerfix", str(CHECKOUT))
    (repo / ".pre-commit-config.yaml").write_text(re.sub(r"rev: main\b", f"rev: {rev}", snippet))
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=600,
        )

    first = run()
    assert first.returncode == 1, first.stdout + first.stderr
    assert (repo / "Dockerfile").read_text() == "FROM python:3.12\nRUN pip install --no-cache-dir flask\n"
    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
