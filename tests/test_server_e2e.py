"""``dockerfix server`` end to end: a real LSP client (pytest-lsp) talks to the real server
process over stdio.

What an editor sees: diagnostics on open and change (exact ranges in UTF-16 or UTF-8 code
units, code, the rule's URL, notes), none after close; quick fixes, "suppress here" and
fix-all, whose edits give exactly what ``dockerfix --write`` writes (fixtures and a corpus
sample); hover with the rule's --explain text; configuration files read again when they
change; a broken document's one diagnostic; shutdown and exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the server extra (pygls) is not installed")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from dockerfix.core import check  # noqa: E402
from dockerfix.rules import BY_CODE  # noqa: E402
from lsp_client import (  # noqa: E402
    SERVER,
    actions,
    apply,
    change_document,
    close_document,
    offset_of,
    mark,
    open_document,
    params,
    position_of,
    published,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = (ROOT / "examples" / "Dockerfile").read_text(encoding="utf-8")
CORPUS = ROOT.parent / "shared" / "corpus" / "wild"
FIXTURE_NAMES = sorted(p.parent.name for p in FIXTURES.glob("*/Dockerfile"))


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    result = await lsp_client.initialize_session(params(root=tmp_path_factory.mktemp("workspace")))
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _uri(name: str) -> str:
    return f"file:///workspace/{name}"


def cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfix", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        encoding="utf-8",
        errors="surrogateescape",
    )


def cli_write(texts: dict[str, str], tmp: Path, *options: str) -> dict[str, str]:
    """What ``dockerfix --write`` writes for each text (one run over a directory)."""
    for name, text in texts.items():
        (tmp / name).write_bytes(text.encode("utf-8"))
    cli("--write", "--quiet", *options, str(tmp))
    return {name: (tmp / name).read_bytes().decode("utf-8") for name in texts}


# -- initialize


async def test_capabilities(client: LanguageClient) -> None:
    capabilities = client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert capabilities.position_encoding == "utf-16"  # the client offered none
    assert capabilities.hover_provider
    assert isinstance(capabilities.code_action_provider, types.CodeActionOptions)
    assert list(capabilities.code_action_provider.code_action_kinds or ()) == ["quickfix", "source.fixAll.dockerfix"]
    sync = capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close and sync.change == types.TextDocumentSyncKind.Full
    server = client.initialize_result.server_info  # type: ignore[attr-defined]
    assert server is not None and server.name == "dockerfix"


# -- diagnostics


async def test_diagnostics_match_the_json_output(client: LanguageClient) -> None:
    uri = _uri("example/Dockerfile")
    got = await open_document(client, uri, EXAMPLE)
    expected = json.loads(cli("--output-format", "json", "-", stdin=EXAMPLE).stdout)
    assert len(got) == len(expected) > 0
    for diagnostic, item in zip(got, expected, strict=True):
        assert diagnostic.code == item["code"]
        assert diagnostic.source == "dockerfix"
        assert diagnostic.code_description is not None and diagnostic.code_description.href == item["url"]
        assert diagnostic.range.start == types.Position(item["location"]["row"] - 1, item["location"]["column"] - 1)
        assert diagnostic.range.end == types.Position(
            item["end_location"]["row"] - 1, item["end_location"]["column"] - 1
        )
        assert diagnostic.message.splitlines() == [item["message"], *(f"note: {n}" for n in item["notes"])]
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
    close_document(client, uri)


async def test_change_and_close(client: LanguageClient) -> None:
    uri = _uri("change/Dockerfile")
    assert await open_document(client, uri, "FROM python:3.12\n") == []
    got = await change_document(client, uri, "FROM python:3.12\nRUN pip install flask==3.0.0\n", 2)
    assert [(d.code, d.range.start.line) for d in got] == [("DFX001", 1)]
    assert await change_document(client, uri, "FROM python:3.12\n", 3) == []
    since = mark(client)
    close_document(client, uri)
    assert list((await published(client, uri, since=since)).diagnostics) == []


async def test_a_burst_of_changes_ends_with_the_last_text(client: LanguageClient) -> None:
    uri = _uri("burst/Dockerfile")
    await open_document(client, uri, "FROM python:3.12\n")
    text = "FROM python:3.12\n"
    for version in range(2, 12):
        text += f"RUN pip install pkg{version}\n"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
    last = await change_document(client, uri, text, 12)
    assert sorted({d.range.start.line for d in last}) == list(range(1, 11))
    close_document(client, uri)


# A line with characters outside the BMP (two UTF-16 units, four UTF-8 bytes) and others
# (one UTF-16 unit, two or three UTF-8 bytes) before the finding.
ASTRAL = 'FROM python:3.12\r\nRUN echo "\U0001f40d é ✓" && pip install flask==3.0.0\r\n'


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
async def test_ranges_count_the_agreed_code_units(encoding: str, tmp_path: Path) -> None:
    lsp_client = await SERVER.start()
    try:
        result = await lsp_client.initialize_session(params(encodings=[encoding]))
        assert result.capabilities.position_encoding == encoding
        uri = _uri("astral/Dockerfile")
        got = await open_document(lsp_client, uri, ASTRAL)
        finding = check(ASTRAL)[0]
        assert [d.code for d in got] == ["DFX001"]
        assert got[0].range.start == position_of(ASTRAL, finding.start, encoding)
        assert got[0].range.end == position_of(ASTRAL, finding.end, encoding)
        assert ASTRAL[offset_of(ASTRAL, got[0].range.start, encoding) :].startswith("pip install")
        fixed = await actions(lsp_client, uri, ASTRAL, only=["source.fixAll"])
        assert apply(ASTRAL, fixed[0].edit, encoding) == cli_write({"Dockerfile": ASTRAL}, tmp_path)["Dockerfile"]
        await lsp_client.shutdown_session()
    finally:
        await lsp_client.stop()


async def test_a_range_change_from_a_client_is_applied(client: LanguageClient) -> None:
    """The server asks for whole texts, yet takes a client's ranged change."""
    uri = _uri("ranged/Dockerfile")
    text = "FROM python:3.12\nRUN echo \U0001f40d && pip install flask\n"
    await open_document(client, uri, text)
    since = mark(client)
    start = position_of(text, text.index("pip"))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [types.TextDocumentContentChangePartial(range=types.Range(start, start), text="echo; ")],
        )
    )
    got = (await published(client, uri, since=since)).diagnostics
    new = text.replace("pip", "echo; pip")
    assert [d.range.start for d in got][:1] == [position_of(new, new.index("pip install"))]
    close_document(client, uri)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        pytest.param("FROM a\nRUN <<EOF\npip install x\n", "unterminated heredoc <<EOF", "<<EOF", id="heredoc"),
        pytest.param('FROM a\nRUN ["pip", 1]\n', "arrays must be comprised of strings only", '["pip"', id="json"),
        pytest.param("FROM a\nRUN echo \x00 pip install x\n", "binary file (NUL byte)", "\x00", id="nul"),
    ],
)
async def test_a_broken_document_gets_one_error(client: LanguageClient, text: str, message: str, offset: str) -> None:
    uri = _uri("broken/Dockerfile")
    got = await open_document(client, uri, text)
    assert len(got) == 1
    assert got[0].severity == types.DiagnosticSeverity.Error
    assert message in got[0].message
    assert got[0].range.start == position_of(text, text.index(offset))
    assert await actions(client, uri, text) == []
    # ... and the server goes on: fixed, the document is checked again
    assert [d.code for d in await change_document(client, uri, "FROM a\nRUN pip install x\n", 2)] == [
        "DFX001",
        "DFX002",
    ]
    close_document(client, uri)


async def test_other_documents_are_not_checked(client: LanguageClient) -> None:
    uri = _uri("notes.txt")
    since = mark(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "plaintext", 1, "RUN pip install x\n"))
    )
    await open_document(client, _uri("after-notes/Dockerfile"), "FROM a\n")  # handled in order
    published_uris = [p.uri for p in client.published[since:]]  # type: ignore[attr-defined]
    assert uri not in published_uris and _uri("after-notes/Dockerfile") in published_uris
    assert await actions(client, uri, "RUN pip install x\n") == []
    close_document(client, uri)


async def test_a_dockerfile_name_is_checked_whatever_the_language(client: LanguageClient) -> None:
    got = await open_document(client, _uri("api.Dockerfile"), "FROM a\nRUN pip install x==1\n", language_id="")
    assert [d.code for d in got] == ["DFX001"]
    close_document(client, _uri("api.Dockerfile"))


# -- code actions


def _texts() -> dict[str, str]:
    """The fixtures (one CRLF with a BOM) and the example."""
    texts = {
        f"{name}.Dockerfile": (FIXTURES / name / "Dockerfile").read_text(encoding="utf-8") for name in FIXTURE_NAMES
    }
    texts["example.Dockerfile"] = EXAMPLE
    texts["astral.Dockerfile"] = ASTRAL
    return texts


def _corpus_sample(count: int = 40) -> dict[str, str]:
    """Every n-th corpus file with a fix to apply: a spread of real files."""
    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: the corpus sample needs the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    sample: dict[str, str] = {}
    for path in files[::37]:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "\x00" in text or text.startswith("\ufeff"):
            continue
        try:
            if any(d.fixable for d in check(text)):
                sample[f"{len(sample):03}.Dockerfile"] = text
        except Exception:  # noqa: BLE001 - a file BuildKit rejects: not a fix-all case
            continue
        if len(sample) == count:
            break
    return sample


async def _fix_all(client: LanguageClient, name: str, text: str) -> str:
    uri = _uri(f"fixall/{name}")
    await open_document(client, uri, text)
    found = await actions(client, uri, text, only=["source.fixAll"])
    close_document(client, uri)
    assert all(a.kind == "source.fixAll.dockerfix" for a in found)
    return apply(text, found[0].edit) if found else text


async def test_fix_all_writes_what_write_writes(client: LanguageClient, tmp_path: Path) -> None:
    texts = _texts()
    expected = cli_write(texts, tmp_path)
    for name, text in texts.items():
        assert await _fix_all(client, name, text) == expected[name], name


@pytest.mark.corpus
async def test_fix_all_writes_what_write_writes_on_corpus_files(client: LanguageClient, tmp_path: Path) -> None:
    texts = _corpus_sample()
    assert len(texts) >= 20
    expected = cli_write(texts, tmp_path)
    for name, text in texts.items():
        assert await _fix_all(client, name, text) == expected[name], name


async def _quick_fix_until_done(client: LanguageClient, name: str, text: str, unsafe: bool = False) -> str:
    """Apply the first preferred quick fix (or, with ``unsafe``, the first fix), again and
    again, as a user would."""
    uri = _uri(f"quick/{name}")
    await open_document(client, uri, text)
    for version in range(2, 200):
        offered = [
            a
            for a in await actions(client, uri, text, only=[types.CodeActionKind.QuickFix])
            if a.is_preferred or (unsafe and not a.title.startswith("Suppress"))
        ]
        if not offered:
            break
        assert offered[0].edit is not None
        text = apply(text, offered[0].edit)
        await change_document(client, uri, text, version)
    close_document(client, uri)
    return text


async def test_quick_fixes_one_by_one_write_what_write_writes(client: LanguageClient, tmp_path: Path) -> None:
    texts = _texts()
    expected = cli_write(texts, tmp_path)
    for name, text in texts.items():
        assert await _quick_fix_until_done(client, name, text) == expected[name], name


@pytest.mark.corpus
async def test_quick_fixes_one_by_one_on_corpus_files(client: LanguageClient, tmp_path: Path) -> None:
    texts = dict(list(_corpus_sample().items())[:15])
    expected = cli_write(texts, tmp_path)
    for name, text in texts.items():
        assert await _quick_fix_until_done(client, name, text) == expected[name], name


async def test_quick_fix_actions(client: LanguageClient) -> None:
    uri = _uri("actions/Dockerfile")
    text = "FROM python:3.12\nRUN pip install flask\n"
    await open_document(client, uri, text)
    found = await actions(client, uri, text)
    titles = [(a.title, a.kind, a.is_preferred) for a in found]
    assert titles == [
        ("Insert `--no-cache-dir` (DFX001)", "quickfix", True),
        ("Suppress DFX001 here (# dockerfix: ignore=DFX001)", "quickfix", None),
        ("Suppress DFX002 here (# dockerfix: ignore=DFX002)", "quickfix", None),
        ("dockerfix: fix all (as dockerfix --write)", "source.fixAll.dockerfix", None),
    ]
    assert all(a.diagnostics and a.diagnostics[0].code in ("DFX001", "DFX002") for a in found[:3])
    # a range that touches no finding: no quick fix, still fix-all
    first_line = types.Range(types.Position(0, 0), types.Position(0, 4))
    assert [a.kind for a in await actions(client, uri, text, rng=first_line)] == ["source.fixAll.dockerfix"]
    close_document(client, uri)


async def test_unsafe_fixes_are_offered_labelled() -> None:
    lsp_client = await SERVER.start()
    try:
        options = {"fix-strategy": "cache-mount"}
        await lsp_client.initialize_session(params(options=options))
        uri = _uri("unsafe/Dockerfile")
        text = "FROM python:3.12\nRUN pip install flask==3.0.0\n"
        await open_document(lsp_client, uri, text)
        quick = await actions(lsp_client, uri, text, only=["quickfix"])
        unsafe = [a for a in quick if "unsafe" in a.title]
        assert unsafe and not any(a.is_preferred for a in unsafe)
        # fix-all applies safe fixes only, as --write without --unsafe-fixes
        assert await actions(lsp_client, uri, text, only=["source.fixAll"]) == []
        await lsp_client.shutdown_session()
    finally:
        await lsp_client.stop()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("FROM python:3.12\nRUN pip install flask==3.0.0\n", id="plain"),
        pytest.param("FROM python:3.12 AS a\n  RUN pip install x==1 \\\n    && pip install y==2\n", id="indented"),
        pytest.param("FROM a\r\n# a comment\r\nRUN pip install x==1\r\n", id="crlf"),
        pytest.param("FROM a\nONBUILD RUN pip install x==1\n", id="onbuild"),
        pytest.param("FROM a\n\rRUN pip install x==1\n", id="lone-cr-is-not-a-line-end-in-a-dockerfile"),
        pytest.param("FROM a\n# why\n# dockerfix: ignore=DFX002 \nRUN pip install x\n", id="extends-a-pragma"),
    ],
)
async def test_suppress_here(client: LanguageClient, text: str) -> None:
    uri = _uri("suppress/Dockerfile")
    await open_document(client, uri, text)
    suppress = [a for a in await actions(client, uri, text) if a.title.startswith("Suppress DFX001")]
    new = apply(text, suppress[0].edit)
    assert [d.code for d in check(new)] == []
    assert "# dockerfix: ignore=DFX001" in new or "# dockerfix: ignore=DFX002,DFX001 " in new
    assert new.count("dockerfix:") == text.count("dockerfix:") + ("dockerfix:" not in text)
    assert [d.code for d in await change_document(client, uri, new, 2)] == []
    close_document(client, uri)


# -- hover


async def test_hover_shows_the_rule_explanation(client: LanguageClient) -> None:
    uri = _uri("hover/Dockerfile")
    text = "FROM python:3.12\nRUN pip install flask==3.0.0\n"
    await open_document(client, uri, text)
    at = position_of(text, text.index("install"))
    got = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), at))
    assert got is not None and isinstance(got.contents, types.MarkupContent)
    assert got.contents.kind == types.MarkupKind.Markdown
    assert got.contents.value == cli("--explain", "DFX001").stdout.rstrip("\n") + "\n"
    assert got.contents.value == BY_CODE["DFX001"].doc.markdown()
    nowhere = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 1))
    )
    assert nowhere is None
    close_document(client, uri)


# -- configuration


async def test_configuration_files_are_read_again(client: LanguageClient, tmp_path: Path) -> None:
    config = tmp_path / ".dockerfix.toml"
    config.write_text('ignore = ["DFX002"]\n')
    dockerfile = tmp_path / "Dockerfile"
    text = "FROM a\nRUN pip install flask\n"
    uri = dockerfile.as_uri()
    assert [d.code for d in await open_document(client, uri, text)] == ["DFX001"]
    # the editor reports the change
    config.write_text('select = ["DFX002"]\n')
    since = mark(client)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(config.as_uri(), types.FileChangeType.Changed)])
    )
    assert [d.code for d in (await published(client, uri, since=since)).diagnostics] == ["DFX002"]
    # ... or does not: the next change reads it anyway
    config.write_text("ignore = []\n    # longer, so the size changes too\n")
    assert [d.code for d in await change_document(client, uri, text + "\n", 2)] == ["DFX001", "DFX002"]
    # a broken configuration is said, on the document
    config.write_text("select = [\n")
    got = await change_document(client, uri, text, 3)
    assert len(got) == 1 and got[0].severity == types.DiagnosticSeverity.Error
    assert "invalid TOML" in got[0].message
    close_document(client, uri)


async def test_settings_pushed_by_the_client_replace_the_options(client: LanguageClient) -> None:
    uri = _uri("pushed/Dockerfile")
    text = "FROM a\nRUN pip install flask\n"
    assert [d.code for d in await open_document(client, uri, text)] == ["DFX001", "DFX002"]
    since = mark(client)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"other": {"x": 1}}))
    push = {"dockerfix": {"ignore": ["DFX002"]}}
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=push))
    assert [d.code for d in (await published(client, uri, since=since)).diagnostics] == ["DFX001"]
    since = mark(client)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"dockerfix": {}}))
    assert [d.code for d in (await published(client, uri, since=since)).diagnostics] == ["DFX001", "DFX002"]
    close_document(client, uri)


async def test_initialization_options_override_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockerfix]\nignore = ["DFX001"]\n')
    (tmp_path / "constraints.txt").write_text("flask==3.0.3\n")
    lsp_client = await SERVER.start()
    try:
        options = {"select": ["DFX001", "DFX002"], "pinFrom": ["constraints.txt"], "unsafe-fixes": True}
        await lsp_client.initialize_session(params(root=tmp_path, options=options))
        text = "FROM a\nRUN pip install flask\n"
        uri = (tmp_path / "Dockerfile").as_uri()
        assert [d.code for d in await open_document(lsp_client, uri, text)] == ["DFX001", "DFX002"]
        found = await actions(lsp_client, uri, text, only=["source.fixAll"])
        expected = cli_write(
            {"Dockerfile": text},
            tmp_path,
            "--select",
            "DFX001,DFX002",
            "--pin-from",
            str(tmp_path / "constraints.txt"),
            "--unsafe-fixes",
        )
        assert apply(text, found[0].edit) == expected["Dockerfile"]
        assert "flask==3.0.3" in expected["Dockerfile"]
        await lsp_client.shutdown_session()
    finally:
        await lsp_client.stop()


async def test_bad_initialization_options_are_said_and_skipped() -> None:
    lsp_client = await SERVER.start()
    try:
        options = {"select": ["DFX999"], "colour": "blue", "unsafe-fixes": True}
        await lsp_client.initialize_session(params(options=options))
        got = await open_document(lsp_client, _uri("bad/Dockerfile"), "FROM a\nRUN pip install x\n")
        assert [d.code for d in got] == ["DFX001", "DFX002"]
        messages = [m.message for m in lsp_client.messages]
        assert any("DFX999" in m for m in messages) and any("colour" in m for m in messages)
        await lsp_client.shutdown_session()
    finally:
        await lsp_client.stop()


MOUNT_OPTIONS = {"fix-strategy": "cache-mount", "unsafe-fixes": True, "add-syntax-directive": True}
MOUNT_FLAGS = ("--fix-strategy", "cache-mount", "--unsafe-fixes", "--add-syntax-directive")


@pytest.mark.corpus
async def test_cache_mount_fixes_write_what_write_writes_on_corpus_files(tmp_path: Path) -> None:
    """With every option a fix can depend on set in initializationOptions: fix-all, and
    every quick fix (unsafe ones too) one by one, end where ``--write`` with those options does."""
    texts = _corpus_sample()
    expected = cli_write(texts, tmp_path, *MOUNT_FLAGS)
    lsp_client = await SERVER.start()
    try:
        await lsp_client.initialize_session(params(options=MOUNT_OPTIONS))
        for name, text in texts.items():
            assert await _fix_all(lsp_client, name, text) == expected[name], name
        for name, text in list(texts.items())[:15]:
            assert await _quick_fix_until_done(lsp_client, name, text, unsafe=True) == expected[name], name
        await lsp_client.shutdown_session()
    finally:
        await lsp_client.stop()
