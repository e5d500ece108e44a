"""The LSP glue (pygls): documents in, diagnostics, code actions and hovers out.

Everything else is the pure core and the modules beside this one; here are the handlers,
the debounce, and the per-document caches. Every handler is guarded: an exception is
logged and answered with nothing, and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from dockerfix import __version__
from dockerfix.fix.fixer import FixOutcome
from dockerfix.server.actions import FIX_ALL, QUICK_FIX, Request, TextChange, code_actions
from dockerfix.server.checks import Checked, check_document, fix_document
from dockerfix.server.diagnostics import lsp_range, to_lsp
from dockerfix.server.documents import Document, uri_to_path
from dockerfix.server.hover import hover
from dockerfix.server.positions import UTF16, LineIndex
from dockerfix.server.settings import DEFAULT_DEBOUNCE, SettingsStore, read_options

log = logging.getLogger("dockerfix.server")
T = TypeVar("T")
CONFIG_GLOBS = ("**/.dockerfix.toml", "**/pyproject.toml")


class DockerfixServer(LanguageServer):
    """pygls's server, with the open documents and what was last computed for each."""

    def __init__(self) -> None:
        super().__init__("dockerfix", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.documents: dict[str, Document] = {}
        self.checked: dict[str, Checked] = {}
        self.fixes: dict[str, tuple[Checked, FixOutcome | None]] = {}
        self.store = SettingsStore()
        self.debounce = DEFAULT_DEBOUNCE
        self.option_errors: tuple[str, ...] = ()
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.last_check: dict[str, float] = {}
        self.shut_down = False

    @property
    def encoding(self) -> str:
        """The position encoding agreed at initialization (pygls picks the client's first
        supported one; UTF-16 when the client offers none)."""
        try:
            return str(self.workspace.position_encoding or UTF16)
        except RuntimeError:  # not initialized
            return UTF16

    def apply_options(self, raw: object, root: str | None) -> None:
        """The client's options (initializationOptions, or a settings push) from now on."""
        options = read_options(raw, root)
        self.store = SettingsStore(options.overrides, root)
        self.debounce = options.debounce
        self.option_errors = options.errors

    def show_option_errors(self) -> None:
        for error in self.option_errors:
            log.warning("%s", error)
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=f"dockerfix: {error}")
            )

    @property
    def capabilities(self) -> types.ClientCapabilities:
        """The client's capabilities (none before initialize)."""
        return getattr(self.protocol, "client_capabilities", None) or types.ClientCapabilities()

    def index(self, text: str) -> LineIndex:
        return LineIndex(text, self.encoding)

    # -- checking

    def schedule(self, uri: str) -> None:
        """Check ``uri`` soon: at once after a quiet spell, else when ``debounce`` has passed
        since the last check. A pending check reads the latest text, so the changes of a
        burst are checked together, at most once per ``debounce``."""
        if uri in self.timers:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the event loop (in-process tests)
            self.publish(uri)
            return
        wait = max(0.0, self.last_check.get(uri, -math.inf) + self.debounce - loop.time())
        self.timers[uri] = loop.call_later(wait, self._timer_fired, uri)

    def _timer_fired(self, uri: str) -> None:
        self.timers.pop(uri, None)
        try:
            self.publish(uri)
        except Exception:  # noqa: BLE001 - a timer callback must not kill the loop
            log.exception("publishing diagnostics for %s failed", uri)

    def current(self, uri: str) -> Checked | None:
        """The check of the document's current text (made now if it is stale)."""
        document = self.documents.get(uri)
        if document is None or not document.is_dockerfile:
            return None
        checked = self.checked.get(uri)
        if checked is None or checked.document is not document:
            checked = check_document(document, self.store)
            self.checked[uri] = checked
        return checked

    def publish(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            self.last_check[uri] = asyncio.get_running_loop().time()
        except RuntimeError:
            pass
        checked = self.current(uri)
        if checked is None:
            return
        diagnostics = to_lsp(checked, self.index(checked.document.text))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=checked.document.version)
        )

    def outcome(self, checked: Checked) -> FixOutcome | None:
        """``core.fix`` of a checked document, computed once per version."""
        uri = checked.document.uri
        cached = self.fixes.get(uri)
        if cached is None or cached[0] is not checked:
            cached = (checked, fix_document(checked))
            self.fixes[uri] = cached
        return cached[1]

    def forget(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        for cache in (self.documents, self.checked, self.fixes, self.last_check):
            cache.pop(uri, None)

    # -- edits

    def make_edit(self, document: Document, index: LineIndex) -> Callable[[list[TextChange]], types.WorkspaceEdit]:
        """TextChanges as a WorkspaceEdit: versioned when the client takes documentChanges."""
        versioned = bool(_capability(self.capabilities, "workspace.workspace_edit.document_changes"))

        def make(changes: list[TextChange]) -> types.WorkspaceEdit:
            edits = [types.TextEdit(range=lsp_range(index, c.start, c.end), new_text=c.content) for c in changes]
            if versioned:
                identifier = types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
                return types.WorkspaceEdit(
                    document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(edits))]
                )
            return types.WorkspaceEdit(changes={document.uri: list(edits)})

        return make


def _capability(capabilities: object, path: str) -> Any:
    value = capabilities
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def guarded(handler: Callable[..., T]) -> Callable[..., T | None]:
    """A handler that logs its exception and answers nothing: nothing a client sends may
    stop the server."""

    @functools.wraps(handler)
    def run(*args: Any) -> T | None:
        try:
            return handler(*args)
        except Exception:  # noqa: BLE001
            log.exception("%s failed", handler.__name__)
            return None

    return run


def _apply_change(text: str, change: Any, encoding: str) -> str:
    """A content change: the whole text, or (from a client that sends ranges though we ask
    for whole texts) a range replaced, positions read in the agreed encoding."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        index = LineIndex(text, encoding)
        start = index.offset(change.range.start.line, change.range.start.character)
        end = index.offset(change.range.end.line, change.range.end.character)
        return text[:start] + change.text + text[max(start, end) :]
    return str(change.text)


def make_server() -> DockerfixServer:
    server = DockerfixServer()

    @server.feature(types.INITIALIZE)
    @guarded
    def initialize(ls: DockerfixServer, params: types.InitializeParams) -> None:
        ls.apply_options(params.initialization_options, _root(params))

    @server.feature(types.INITIALIZED)
    @guarded
    def initialized(ls: DockerfixServer, params: types.InitializedParams) -> None:
        ls.show_option_errors()
        if _capability(ls.capabilities, "workspace.did_change_watched_files.dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in CONFIG_GLOBS]
            registration = types.Registration(
                id="dockerfix-configuration",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: DockerfixServer, params: None) -> None:
        ls.shut_down = True

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded
    def did_open(ls: DockerfixServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents[item.uri] = Document(item.uri, item.text, item.version, item.language_id or "")
        ls.publish(item.uri)  # at once: the document was just opened

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    def did_change(ls: DockerfixServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            return
        text = document.text
        for change in params.content_changes:
            text = _apply_change(text, change, ls.encoding)
        ls.documents[uri] = document._replace(text=text, version=params.text_document.version)
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded
    def did_close(ls: DockerfixServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.forget(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    def did_change_watched_files(ls: DockerfixServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.store.reload()
        for uri in list(ls.documents):
            ls.checked.pop(uri, None)
            ls.publish(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded
    def did_change_configuration(ls: DockerfixServer, params: types.DidChangeConfigurationParams) -> None:
        """Settings pushed by the client: a ``dockerfix`` table in them replaces the
        initializationOptions (anything else, such as an empty push at start-up, is not ours)."""
        settings = params.settings
        if not (isinstance(settings, dict) and isinstance(settings.get("dockerfix"), dict)):
            return
        ls.apply_options(settings["dockerfix"], ls.store.root)
        ls.show_option_errors()
        for uri in list(ls.documents):
            ls.checked.pop(uri, None)
            ls.publish(uri)

    code_action_options = types.CodeActionOptions(code_action_kinds=[QUICK_FIX, FIX_ALL], resolve_provider=False)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, code_action_options)
    @guarded
    def code_action(ls: DockerfixServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        checked = ls.current(params.text_document.uri)
        if checked is None or checked.problem is not None:
            return None
        index = ls.index(checked.document.text)
        r = params.range
        request = Request(
            index.offset(r.start.line, r.start.character),
            index.offset(r.end.line, r.end.character),
            params.context.only,
        )
        make_edit = ls.make_edit(checked.document, index)
        return code_actions(checked, index, request, lambda: ls.outcome(checked), make_edit) or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    def on_hover(ls: DockerfixServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.current(params.text_document.uri)
        if checked is None:
            return None
        index = ls.index(checked.document.text)
        formats = _capability(ls.capabilities, "text_document.hover.content_format")
        markdown = not formats or types.MarkupKind.Markdown in formats
        return hover(checked, index, index.offset(params.position.line, params.position.character), markdown)

    return server


def _root(params: types.InitializeParams) -> str | None:
    """The first workspace folder, else the root URI or path: where an unsaved buffer's
    configuration is looked for, and what relative ``pin-from`` paths start from."""
    if params.workspace_folders:
        return uri_to_path(params.workspace_folders[0].uri)
    if params.root_uri:
        return uri_to_path(params.root_uri)
    return os.path.abspath(params.root_path) if params.root_path else None


def serve() -> int:
    """Serve over stdio until the client's exit; 0 when it asked for a shutdown first."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="dockerfix server: %(levelname)s: %(message)s")
    if sys.stdin.isatty():  # started by hand: say what it is waiting for
        sys.stderr.write(
            "dockerfix server: speaking LSP on standard input and output; editors start it (Ctrl-C stops)\n"
        )
    server = make_server()
    # The protocol gets its own copy of standard output, which pygls closes at exit; anything
    # else printed meanwhile goes to standard error, never into the protocol's stream.
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:
        sys.stdout = saved
    return 0 if server.shut_down else 1
