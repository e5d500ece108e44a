"""What every rule is: a code, a name, its documentation, and a check over an Analysis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from dockerfix.analysis.model import Analysis
from dockerfix.diagnostics import Diagnostic
from dockerfix.settings import Settings

DOCS_URL = "https://github.com/dockerfix/dockerfix/blob/main/docs/rules.md#{code}"


class RuleDoc(NamedTuple):
    """A rule's documentation: --explain, docs/rules.md, the README and SARIF."""

    code: str
    name: str
    summary: str  # one line, for tables and SARIF shortDescription
    what: str  # markdown paragraphs, for --explain, the README and SARIF help
    why: str
    example: str  # a Dockerfile snippet that triggers the rule
    fix: str  # what the fix does and how safe it is
    hadolint: str | None = None  # the peer rule it corresponds to

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code.lower())

    def markdown(self) -> str:
        peer = f"\n\nCorresponds to hadolint's {self.hadolint}." if self.hadolint else ""
        return (
            f"# {self.code} {self.name}\n\n{self.summary}\n\n"
            f"## What it does\n{self.what}{peer}\n\n"
            f"## Why is this bad?\n{self.why}\n\n"
            f"## Example\n```dockerfile\n{self.example.rstrip()}\n```\n\n"
            f"## Fix\n{self.fix}\n"
        )


class Rule(NamedTuple):
    """A rule: its documentation and its check."""

    doc: RuleDoc
    check: Callable[[Analysis, Settings], Iterator[Diagnostic]]

    @property
    def code(self) -> str:
        return self.doc.code
