"""Helpers for the language-server tests: a client's side of the protocol, written apart from
the server's code (positions are counted here with Python's own UTF-16/UTF-8 codecs)."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

TIMEOUT = 20


def params(
    root: Path | None = None, encodings: Sequence[str] | None = None, options: object = None
) -> types.InitializeParams:
    """InitializeParams of a client that takes versioned edits and, optionally, offers
    position encodings and initializationOptions."""
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=list(encodings)) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
        ),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                    )
                ),
                is_preferred_support=True,
            ),
        ),
    )
    folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root else None
    return types.InitializeParams(capabilities=capabilities, workspace_folders=folders, initialization_options=options)


def _keep(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)  # type: ignore[attr-defined]
    client.diagnostics[params.uri] = params.diagnostics


def _make_client() -> LanguageClient:
    """pytest-lsp's client, keeping every publishDiagnostics in order (``client.published``):
    waiting for "the next notification" would miss one that arrives with another."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _keep}
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "dockerfix", "server"], client_factory=_make_client)


def mark(client: LanguageClient) -> int:
    """How many publishDiagnostics the client has had: ``published``'s ``since``."""
    return len(client.published)  # type: ignore[attr-defined]


async def published(
    client: LanguageClient, uri: str, version: object = ..., since: int = 0
) -> types.PublishDiagnosticsParams:
    """The first diagnostics published for ``uri`` (for its ``version``, if given) after
    the ``since``-th publication."""
    seen = since
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        for got in client.published[seen:]:  # type: ignore[attr-defined]
            if got.uri == uri and (version is ... or got.version == version):
                return got
        await asyncio.sleep(0.002)
    raise TimeoutError(f"no diagnostics for {uri} (version {version})")


async def open_document(
    client: LanguageClient, uri: str, text: str, language_id: str = "dockerfile", version: int = 1
) -> list[types.Diagnostic]:
    since = mark(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language_id, version, text))
    )
    return list((await published(client, uri, version, since)).diagnostics)


async def change_document(client: LanguageClient, uri: str, text: str, version: int) -> list[types.Diagnostic]:
    """Send the whole new text; the diagnostics published for that version."""
    since = mark(client)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return list((await published(client, uri, version, since)).diagnostics)


def close_document(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))


async def actions(
    client: LanguageClient, uri: str, text: str, only: Sequence[str] | None = None, rng: types.Range | None = None
) -> list[types.CodeAction]:
    """The code actions for the whole document (or ``rng``)."""
    whole = rng or types.Range(types.Position(0, 0), end_position(text))
    got = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri),
                range=whole,
                context=types.CodeActionContext(diagnostics=[], only=list(only) if only else None),
            )
        ),
        TIMEOUT,
    )
    return [a for a in got or () if isinstance(a, types.CodeAction)]


# -- an independent position model: LSP lines, code units by Python's codecs

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines(text: str) -> list[str]:
    """The LSP lines of ``text``, terminators kept; a final empty line when it ends in one."""
    found = _LINES.findall(text)
    if not found or found[-1].endswith(("\n", "\r")):
        found.append("")
    return found


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def offset_of(text: str, position: types.Position, encoding: str = "utf-16") -> int:
    all_lines = lines(text)
    before = sum(len(line) for line in all_lines[: position.line])
    line = all_lines[position.line].rstrip("\r\n")
    for i in range(len(line) + 1):
        if _units(line[:i], encoding) == position.character:
            return before + i
    raise AssertionError(f"{position} is not at a character boundary of {line!r}")


def position_of(text: str, offset: int, encoding: str = "utf-16") -> types.Position:
    line_no, start = 0, 0
    for line_no, line in enumerate(lines(text)):
        if offset <= start + len(line.rstrip("\r\n")):
            return types.Position(line_no, _units(text[start:offset], encoding))
        start += len(line)
    raise AssertionError(f"offset {offset} is past the text")


def end_position(text: str) -> types.Position:
    all_lines = lines(text)
    return types.Position(len(all_lines) - 1, _units(all_lines[-1], "utf-16"))


def apply(text: str, edit: types.WorkspaceEdit, encoding: str = "utf-16") -> str:
    """A WorkspaceEdit's text edits applied to ``text`` (all ranges into the original)."""
    edits: list[types.TextEdit] = []
    for change in edit.document_changes or ():
        assert isinstance(change, types.TextDocumentEdit)
        edits.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    for uri_edits in (edit.changes or {}).values():
        edits.extend(uri_edits)
    spans = sorted(
        (offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), i, e.new_text)
        for i, e in enumerate(edits)
    )
    out, pos = [], 0
    for start, end, _, new in spans:
        assert start >= pos, "overlapping edits"
        out.append(text[pos:start] + new)
        pos = end
    return "".join(out) + text[pos:]
