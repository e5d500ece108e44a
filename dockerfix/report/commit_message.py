"""A commit message for bots: a subject line, a blank line, the ``markdown`` pull-request body.

``dockerfix --write --output-format commit-message -o MSG . && git commit -a -F MSG``. The
subject is imperative and short, as git and Renovate word theirs (``dockerfix: fix 3
findings in 2 Dockerfiles``, at most 72 characters); the body is exactly what ``--output-format
markdown`` prints for the same run, so a bot that splits the message at the first blank line
has the pull request's title and body. Deterministic, like the markdown body: the same files
give the same bytes.

The body's headings start with ``#``: commit it with ``-F`` or ``-m`` (git keeps such lines
unless the message is edited), or with ``--cleanup=whitespace``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from dockerfix.fix.runner import FileResult, Outcome
from dockerfix.report.common import TOOL_NAME, by_path
from dockerfix.report.markdown import render
from dockerfix.report.wording import plural

SUBJECT_LIMIT = 72  # git's and GitHub's convention for a commit subject line


def write(results: Iterable[FileResult], out: TextIO) -> None:
    ordered = by_path(results)
    out.write(f"{subject(ordered)}\n\n{render(ordered)}")


def subject(results: list[FileResult]) -> str:
    """``dockerfix: fix N findings in M Dockerfiles``: the fixes made, or that ``--write`` would make."""
    done = [r for r in results if r.outcome != Outcome.FAILED]
    fixes = sum(len(r.applied) for r in done)
    files = sum(1 for r in done if r.fixed is not None and r.original is not None)
    if not fixes:
        return f"{TOOL_NAME}: nothing to fix"
    return f"{TOOL_NAME}: fix {plural(fixes, 'finding')} in {plural(files, 'Dockerfile')}"
