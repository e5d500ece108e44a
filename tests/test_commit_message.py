"""``--output-format commit-message``: a subject line, a blank line, and exactly the markdown body."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.report.commit_message import SUBJECT_LIMIT

PROJECT = Path(__file__).resolve().parent / "golden" / "project"


def dockerfix(*args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], cwd=cwd, env=env, capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    ("args", "subject"),
    [
        pytest.param((".",), "dockerfix: fix 6 findings in 2 Dockerfiles", id="report"),
        pytest.param(("--write", "."), "dockerfix: fix 6 findings in 2 Dockerfiles", id="write"),
        pytest.param(("clean.Dockerfile",), "dockerfix: nothing to fix", id="clean"),
        pytest.param(("--select", "DFX002", "."), "dockerfix: nothing to fix", id="findings-without-fixes"),
        pytest.param(("--write", "worker"), "dockerfix: fix 3 findings in 1 Dockerfile", id="one-file"),
    ],
)
def test_subject_then_the_markdown_body(tmp_path: Path, args: tuple[str, ...], subject: str) -> None:
    for name in ("a", "b"):
        shutil.copytree(PROJECT, tmp_path / name)
    message = dockerfix("--output-format", "commit-message", *args, cwd=tmp_path / "a")
    body = dockerfix("--output-format", "markdown", *args, cwd=tmp_path / "b")
    assert message == f"{subject}\n\n{body}"
    assert len(subject) <= SUBJECT_LIMIT
    assert body.startswith("## dockerfix")


def test_git_keeps_the_body_with_commit_f(tmp_path: Path) -> None:
    """The body's headings start with '#': `git commit -F` keeps them (no editor, no strip)."""
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT, repo)
    (tmp_path / "gitconfig").write_text("")  # none of this machine's settings (commit.cleanup, signing)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b"}
    env.pop("GITHUB_STEP_SUMMARY", None)

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout

    git("init", "--quiet")
    git("add", ".")
    git("commit", "--quiet", "-m", "initial")
    subprocess.run([sys.executable, "-m", "dockerfix", "--write", "--output-format", "commit-message", "-o", str(tmp_path / "msg"), "."], cwd=repo, env=env)
    git("commit", "--quiet", "-a", "-F", str(tmp_path / "msg"))
    assert git("log", "-1", "--format=%B") == (tmp_path / "msg").read_text() + "\n"
