"""The all-repos autofixer (``python -m dockerfix.all_repos``), run by the real all-repos.

Three local git repositories serve as the organisation: ``fix-me`` (a Dockerfile to fix),
``clean`` (a Dockerfile with nothing to fix) and ``no-dockerfiles``. all-repos lists them from
a JSON file (``all_repos.source.json_file``), ``all-repos-clone`` clones them, and the
autofixer pushes to them: ``tests/all_repos_branch_push.py`` pushes the fix branch (as the
pull-request push does before it calls GitHub), and all-repos' own ``merge_to_master`` merges
it. The test checks what reached the remotes: branches, commits, diffs and messages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

pytest.importorskip("all_repos", reason="all-repos is in the test extras: pip install -e '.[test]'")

TESTS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
BRANCH = "all-repos_autofix_dockerfix"

DOCKERFILE = "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n"
FIXED = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n"
REPOS = {
    "fix-me": {"services/api/Dockerfile": DOCKERFILE, "README.md": "# fix me\n"},
    "clean": {"Dockerfile": FIXED},
    "no-dockerfiles": {"setup.py": "print('pip install x')\n", "Dockerfile.md": "RUN pip install x\n"},
}


class Org(NamedTuple):
    root: Path
    config: Path
    remotes: dict[str, Path]
    env: dict[str, str]


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(("git", *args), cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def org(tmp_path: Path) -> Org:
    """The three repositories as bare remotes, an all-repos configuration, and clones of them."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bot",
        "GIT_AUTHOR_EMAIL": "bot@example.com",
        "GIT_COMMITTER_NAME": "Bot",
        "GIT_COMMITTER_EMAIL": "bot@example.com",
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    remotes = {}
    for name, files in REPOS.items():
        work = tmp_path / "work" / name
        for path, text in files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
        git("init", "--quiet", cwd=work, env=env)
        git("add", ".", cwd=work, env=env)
        git("commit", "--quiet", "-m", "initial", cwd=work, env=env)
        remotes[name] = tmp_path / "remotes" / f"{name}.git"
        git("clone", "--quiet", "--bare", str(work), str(remotes[name]), cwd=tmp_path, env=env)
    repos_json = tmp_path / "repos.json"
    repos_json.write_text(json.dumps({name: str(path) for name, path in remotes.items()}))
    config = tmp_path / "all-repos.json"
    write_config(config, repos_json, "all_repos_branch_push")
    subprocess.run([BIN / "all-repos-clone", "-C", str(config)], cwd=tmp_path, env=env, capture_output=True, check=True)
    return Org(tmp_path, config, remotes, env)


def write_config(config: Path, repos_json: Path, push: str) -> None:
    contents = {
        "output_dir": "output",
        "source": "all_repos.source.json_file",
        "source_settings": {"filename": str(repos_json)},
        "push": push,
        "push_settings": {},
    }
    config.write_text(json.dumps(contents))
    config.chmod(0o600)  # all-repos refuses a configuration others can read


def autofix(org: Org, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dockerfix.all_repos", "-C", str(org.config), *args]
    done = subprocess.run(command, cwd=org.root, env=org.env, input=stdin, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Errored" not in done.stdout, done.stdout
    return done


def branches(org: Org) -> dict[str, list[str]]:
    """Each remote's branches."""
    return {
        name: sorted(git("for-each-ref", "--format=%(refname:short)", "refs/heads", cwd=path, env=org.env).split())
        for name, path in org.remotes.items()
    }


def untouched(org: Org) -> dict[str, list[str]]:
    return {name: ["main"] for name in REPOS}


def expected_body(tmp_path: Path) -> str:
    """What ``dockerfix --write --output-format markdown`` says about fix-me, run by hand."""
    copy = tmp_path / "by-hand"
    for path, text in REPOS["fix-me"].items():
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        (copy / path).write_text(text)
    done = subprocess.run([sys.executable, "-m", "dockerfix", "--write", "--output-format", "markdown", "."], cwd=copy, capture_output=True, text=True)
    assert (copy / "services/api/Dockerfile").read_text() == FIXED
    return done.stdout


def test_one_branch_with_the_fix_and_its_description(org: Org) -> None:
    done = autofix(org)
    # find_repos: the two repositories with a Dockerfile; not the one with Dockerfile.md only
    assert "***" + str(org.root / "output" / "fix-me") in done.stdout
    assert "***" + str(org.root / "output" / "clean") in done.stdout
    assert "no-dockerfiles" not in done.stdout
    assert branches(org) == {**untouched(org), "fix-me": ["all-repos_autofix_dockerfix", "main"]}

    remote = org.remotes["fix-me"]
    assert git("rev-list", "--count", f"main..{BRANCH}", cwd=remote, env=org.env) == "1\n"
    assert git("diff", "--name-only", "main", BRANCH, cwd=remote, env=org.env) == "services/api/Dockerfile\n"
    assert git("show", f"{BRANCH}:services/api/Dockerfile", cwd=remote, env=org.env) == FIXED
    # the message, as the github_pull_request push reads it: title = subject, body = the rest
    subject = git("log", "-1", "--format=%s", BRANCH, cwd=remote, env=org.env)
    body = git("log", "-1", "--format=%b", BRANCH, cwd=remote, env=org.env)
    assert subject == "dockerfix: fix 1 finding in 1 Dockerfile\n"
    assert len(subject) <= 72
    assert body.rstrip("\n") == expected_body(org.root) + "\nCommitted via https://github.com/asottile/all-repos"
    message = git("log", "-1", "--format=%B", BRANCH, cwd=remote, env=org.env)
    assert message == f"{subject}\n{expected_body(org.root)}\nCommitted via https://github.com/asottile/all-repos\n\n"


def test_a_second_run_pushes_the_same_commit_content(org: Org) -> None:
    """The branch name and the message are the same every run: a re-run updates its pull request."""
    autofix(org)
    first = git("rev-parse", f"{BRANCH}^{{tree}}", cwd=org.remotes["fix-me"], env=org.env)
    message = git("log", "-1", "--format=%B", BRANCH, cwd=org.remotes["fix-me"], env=org.env)
    git("branch", "--quiet", "-D", BRANCH, cwd=org.remotes["fix-me"], env=org.env)  # as if the PR were closed
    autofix(org)
    assert git("rev-parse", f"{BRANCH}^{{tree}}", cwd=org.remotes["fix-me"], env=org.env) == first
    assert git("log", "-1", "--format=%B", BRANCH, cwd=org.remotes["fix-me"], env=org.env) == message


def test_merge_to_master_then_nothing_left(org: Org) -> None:
    """all-repos' own merge_to_master push: the fix lands on main; the next run has nothing to do."""
    write_config(org.config, org.root / "repos.json", "all_repos.push.merge_to_master")
    autofix(org)
    remote = org.remotes["fix-me"]
    assert git("show", "main:services/api/Dockerfile", cwd=remote, env=org.env) == FIXED
    assert git("log", "-1", "--format=%s", "main^2", cwd=remote, env=org.env) == "dockerfix: fix 1 finding in 1 Dockerfile\n"
    head = git("rev-parse", "main", cwd=remote, env=org.env)
    subprocess.run([BIN / "all-repos-clone", "-C", str(org.config)], cwd=org.root, env=org.env, capture_output=True, check=True)
    autofix(org)
    assert git("rev-parse", "main", cwd=remote, env=org.env) == head


@pytest.mark.parametrize(
    ("args", "stdin", "pushed"),
    [
        pytest.param(["--dry-run"], "", False, id="dry-run"),
        pytest.param(["--interactive"], "n\n", False, id="interactive-no"),
        pytest.param(["--interactive"], "y\n", True, id="interactive-yes"),
        pytest.param(["--jobs", "2"], "", True, id="jobs"),
        pytest.param(["--limit", "1"], "", False, id="limit-takes-clean-first"),
        pytest.param(["--repos", "output/clean"], "", False, id="repos"),
        pytest.param(["--dockerfix-args", "--ignore DFX001"], "", False, id="dockerfix-args"),
    ],
)
def test_all_repos_options(org: Org, args: list[str], stdin: str, pushed: bool) -> None:
    done = autofix(org, *args, stdin=stdin)
    expected = {**untouched(org), "fix-me": [BRANCH, "main"]} if pushed else untouched(org)
    assert branches(org) == expected, done.stdout
    if "--dry-run" in args:
        assert "dockerfix: fix Dockerfiles" in done.stdout  # committed locally, with the plain subject


def test_a_repository_dockerfix_cannot_run_in_is_reported_and_skipped(org: Org) -> None:
    """A bad .dockerfix.toml in one repository: all-repos reports it, the others go on."""
    work = org.root / "work" / "clean"
    (work / ".dockerfix.toml").write_text("selct = []\n")
    git("add", ".", cwd=work, env=org.env)
    git("commit", "--quiet", "-m", "config", cwd=work, env=org.env)
    git("push", "--quiet", str(org.remotes["clean"]), "main", cwd=work, env=org.env)
    subprocess.run([BIN / "all-repos-clone", "-C", str(org.config)], cwd=org.root, env=org.env, capture_output=True, check=True)
    command = [sys.executable, "-m", "dockerfix.all_repos", "-C", str(org.config)]
    done = subprocess.run(command, cwd=org.root, env=org.env, capture_output=True, text=True)
    assert done.returncode == 0
    assert "***Errored" in done.stdout
    assert "unknown key 'selct'" in done.stderr
    assert branches(org) == {**untouched(org), "fix-me": [BRANCH, "main"]}


def test_find_repos(org: Org) -> None:
    """The clones with a file discovery takes for a Dockerfile (not ``Dockerfile.md``)."""
    from all_repos.config import load_config

    from dockerfix.all_repos import find_repos

    output = org.root / "output"
    assert find_repos(load_config(str(org.config))) == [str(output / "clean"), str(output / "fix-me")]


def test_without_all_repos_installed() -> None:
    probe = "import sys, runpy; sys.modules['all_repos'] = None; runpy.run_module('dockerfix.all_repos', run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("dockerfix: error: python -m dockerfix.all_repos needs all-repos (")
    assert done.stderr.endswith("pip install 'dockerfix[all-repos]'\n")
