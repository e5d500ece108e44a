"""An all-repos push module for tests: push the fix branch to origin, as all-repos'
``github_pull_request`` push does before it asks GitHub's API for a pull request
(``git push origin HEAD:BRANCH``). Named in a test's ``all-repos.json`` as ``"push"``."""

from __future__ import annotations

from typing import NamedTuple

from all_repos import autofix_lib


class Settings(NamedTuple):
    pass


def push(settings: Settings, branch_name: str) -> None:
    autofix_lib.run("git", "push", "--quiet", "origin", f"HEAD:refs/heads/{branch_name}")
