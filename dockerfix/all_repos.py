"""An all-repos autofixer: ``dockerfix --write`` in every repository that has a Dockerfile.

asottile's all-repos (``pip install dockerfix[all-repos]``) clones every repository of an
organisation (``all-repos-clone``); this is an autofixer in the shape of its own
(``all_repos/autofix/*.py``), with its standard options::

    all-repos-clone -C all-repos.json
    python -m dockerfix.all_repos -C all-repos.json [--dry-run | -i | -j N] [--limit N] [--repos ...]

- ``find_repos``: the clones whose tracked files (``git ls-files``) include a name dockerfix's
  directory walk takes for a Dockerfile (``dockerfix.cli.discovery.is_dockerfile_name``).
- ``apply_fix``: ``dockerfix --write`` in a fresh clone of each, with ``--dockerfix-args``;
  ``autofix_lib.fix`` commits when something changed, on the branch
  ``all-repos_autofix_dockerfix`` (the same name every run: a re-run updates its pull request).
- The commit message is dockerfix's ``commit-message`` output for that repository: a subject
  (``dockerfix: fix 3 findings in 2 Dockerfiles``) and the markdown pull-request body, then
  all-repos' own ``Committed via`` line. all-repos commits with one message for every
  repository, so the message is put on the commit just before it is pushed, by a wrapper
  around the configured push (which reads it back: ``github_pull_request`` makes the pull
  request's title and body from it). A ``--dry-run`` pushes nothing, so its commits keep
  the plain subject.
"""

from __future__ import annotations

import argparse
import functools
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

from dockerfix.cli.discovery import is_dockerfile_name

try:
    from all_repos import autofix_lib
    from all_repos.config import Config
    from all_repos.find_files import ls_files
except ImportError as exc:  # a command line tool: say what to install, no traceback
    print(f"dockerfix: error: python -m dockerfix.all_repos needs all-repos ({exc}): pip install 'dockerfix[all-repos]'", file=sys.stderr)
    raise SystemExit(2) from None

BRANCH = "dockerfix"  # all-repos names the branch all-repos_autofix_dockerfix
SUBJECT = "dockerfix: fix Dockerfiles"  # replaced by the repository's own before pushing
MESSAGE_FILE = "dockerfix-commit-message"  # in the clone's git directory: never committed


def find_repos(config: Config) -> list[str]:
    """The cloned repositories (their paths, as all-repos names them) with a Dockerfile."""
    found = []
    for repo in config.get_cloned_repos():
        path, files = ls_files(config, repo)
        if any(is_dockerfile_name(os.path.basename(os.fsdecode(f))) for f in files):
            found.append(path)
    return sorted(found)


def apply_fix(dockerfix_args: Sequence[str]) -> None:
    """``dockerfix --write`` in the clone (the working directory), keeping its commit message.

    Exit 1 (findings left) and 2 (a file that could not be fixed: the message says which)
    leave the other fixes to commit; a run that wrote no message (a bad configuration)
    fails this repository, as all-repos reports an autofixer's exception.
    """
    message = _git_path(MESSAGE_FILE)
    # -I: a repository with a dockerfix/ directory of its own (this one) does not shadow ours
    command = (sys.executable, "-I", "-m", "dockerfix", "--write", *dockerfix_args, "--output-format", "commit-message", "-o", message, ".")
    if os.path.exists(message):
        os.remove(message)
    done = autofix_lib.run(*command, check=False)
    if not os.path.exists(message):
        raise subprocess.CalledProcessError(done.returncode, command)


def push_with_message(push: Callable[[Any, str], None], settings: Any, branch_name: str) -> None:
    """Give the commit this repository's message (kept by ``apply_fix``), then ``push``."""
    with open(_git_path(MESSAGE_FILE), encoding="utf-8", newline="") as f:
        ours = f.read().rstrip("\n")
    current = subprocess.run(("git", "log", "-1", "--format=%B"), capture_output=True, text=True, check=True).stdout
    _, _, trailer = current.partition("\n\n")  # all-repos' "Committed via ..." line
    message = f"{ours}\n\n{trailer.strip()}\n" if trailer.strip() else f"{ours}\n"
    # -F, --cleanup=whitespace: the body's markdown headings start with '#', which "strip" would drop
    autofix_lib.run("git", "commit", "--amend", "--quiet", "--no-verify", "--cleanup=whitespace", "-F", "-", input=message, text=True)
    push(settings, branch_name)


def _git_path(name: str) -> str:
    out = subprocess.run(("git", "rev-parse", "--git-path", name), capture_output=True, text=True, check=True).stdout
    return os.path.abspath(out.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dockerfix.all_repos",
        description="Run `dockerfix --write` in every repository all-repos cloned that has a Dockerfile.",
    )
    autofix_lib.add_fixer_args(parser)
    parser.add_argument(
        "--dockerfix-args",
        default="",
        metavar="ARGS",
        help="more dockerfix options, as one string (`--ignore DFX002 --fix-strategy cache-mount`).",
    )
    args = parser.parse_args(argv)
    repos, config, commit, settings = autofix_lib.from_cli(args, find_repos=find_repos, msg=SUBJECT, branch_name=BRANCH)
    config = config._replace(push=functools.partial(push_with_message, config.push))
    autofix_lib.fix(
        repos,
        apply_fix=functools.partial(apply_fix, tuple(shlex.split(args.dockerfix_args))),
        config=config,
        commit=commit,
        autofix_settings=settings,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
