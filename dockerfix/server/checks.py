"""A document through the pure core: the same ``check`` and ``fix`` as the command line.

Whatever the text holds, the result is data: findings, or one ``Problem`` (a document
BuildKit would not accept, a configuration that cannot be read, a bug of ours) at the place
it names. No lsprotocol here.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from dockerfix import core
from dockerfix.cli.config_file import ConfigError
from dockerfix.diagnostics import Diagnostic
from dockerfix.fix.fixer import FixOutcome
from dockerfix.parse.instructions import ScanError
from dockerfix.parse.source import BOM
from dockerfix.server.documents import Document
from dockerfix.server.settings import SettingsStore
from dockerfix.settings import Settings

log = logging.getLogger(__name__)

# What a Problem is, as its diagnostic's ``code``.
INVALID, CONFIG, INTERNAL = "invalid-dockerfile", "configuration", "internal-error"


class Problem(NamedTuple):
    """Why a document has no findings: said once, at ``offset`` (into the document)."""

    code: str
    message: str
    offset: int = 0


class Checked(NamedTuple):
    """One version of a document, checked. Findings' offsets are into ``body``: the text
    without a leading BOM, as the command line reads a file; ``shift`` is the BOM's length."""

    document: Document
    settings: Settings | None
    findings: tuple[Diagnostic, ...] = ()
    problem: Problem | None = None

    @property
    def shift(self) -> int:
        return 1 if self.document.text.startswith(BOM) else 0

    @property
    def body(self) -> str:
        return self.document.text[self.shift :]


def check_document(document: Document, store: SettingsStore) -> Checked:
    """``core.check`` of the document with its settings; never raises."""
    try:
        settings = store.settings_for(document.path)
    except ConfigError as exc:
        return Checked(document, None, problem=Problem(CONFIG, f"dockerfix configuration: {exc}"))
    except Exception as exc:  # noqa: BLE001 - an editor session must survive our bugs
        log.exception("reading the configuration failed")
        return Checked(document, None, problem=Problem(INTERNAL, f"dockerfix internal error: {exc!r}"))
    checked = Checked(document, settings)
    body = checked.body
    nul = body.find("\x00")
    if nul != -1:  # what the command line says of such a file (source.Source.decode)
        return checked._replace(problem=Problem(INVALID, "binary file (NUL byte)", nul + checked.shift))
    try:
        return checked._replace(findings=tuple(core.check(body, settings)))
    except ScanError as exc:
        return checked._replace(problem=Problem(INVALID, exc.message, exc.offset + checked.shift))
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError on huge input, our bugs
        log.exception("checking %s failed", document.uri)
        return checked._replace(problem=Problem(INTERNAL, f"dockerfix internal error: {exc!r}"))


def fix_document(checked: Checked) -> FixOutcome | None:
    """``core.fix`` of the document, as ``--write`` would fix it: None when it cannot be fixed."""
    if checked.problem is not None or checked.settings is None or not checked.findings:
        return None
    try:
        return core.fix(checked.body, checked.settings)
    except Exception:  # noqa: BLE001 - a ScanError cannot happen after a clean check; our bugs
        log.exception("fixing %s failed", checked.document.uri)
        return None
