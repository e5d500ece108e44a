"""``dockerfix server`` in process: positions, the settings it reads, the handlers under
random documents (hypothesis), and the process's start and end.

The end-to-end tests (a real client over stdio) are in ``test_server_e2e.py``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfix.server.documents import Document
from dockerfix.server.positions import UTF8, UTF16, UTF32, LineIndex, Pos, units
from dockerfix.server.settings import read_options

ROOT = Path(__file__).resolve().parents[1]
ENCODINGS = [UTF8, UTF16, UTF32]
CODECS = {UTF8: ("utf-8", 1), UTF16: ("utf-16-le", 2), UTF32: ("utf-32-le", 4)}


def _codec_units(text: str, encoding: str) -> int:
    codec, width = CODECS[encoding]
    return len(text.encode(codec)) // width


# -- positions


@pytest.mark.parametrize(
    ("text", "offset", "encoding", "expected"),
    [
        pytest.param("ab\ncd", 4, UTF16, Pos(1, 1), id="second-line"),
        pytest.param("ab\r\ncd", 5, UTF16, Pos(1, 1), id="crlf"),
        pytest.param("ab\rcd", 4, UTF16, Pos(1, 1), id="lone-cr-ends-a-line"),
        pytest.param("a\x0cb\u2028c", 4, UTF16, Pos(0, 4), id="form-feed-and-u2028-do-not"),
        pytest.param("\U0001f40dx", 1, UTF16, Pos(0, 2), id="astral-utf16"),
        pytest.param("\U0001f40dx", 1, UTF8, Pos(0, 4), id="astral-utf8"),
        pytest.param("\U0001f40dx", 1, UTF32, Pos(0, 1), id="astral-utf32"),
        pytest.param("éx", 1, UTF8, Pos(0, 2), id="two-byte-utf8"),
        pytest.param("ab\r\ncd", 3, UTF16, Pos(0, 2), id="inside-crlf-is-the-line-end"),
        pytest.param("ab\n", 3, UTF16, Pos(1, 0), id="after-the-last-newline"),
        pytest.param("ab", 99, UTF16, Pos(0, 2), id="past-the-end-is-the-end"),
    ],
)
def test_position(text: str, offset: int, encoding: str, expected: Pos) -> None:
    assert LineIndex(text, encoding).position(offset) == expected


@pytest.mark.parametrize(
    ("text", "line", "character", "encoding", "expected"),
    [
        pytest.param("ab\ncd", 1, 1, UTF16, 4, id="second-line"),
        pytest.param("ab\ncd", 0, 99, UTF16, 2, id="past-the-line-end"),
        pytest.param("ab\ncd", 9, 0, UTF16, 5, id="past-the-last-line"),
        pytest.param("\U0001f40dx", 0, 1, UTF16, 0, id="inside-a-surrogate-pair"),
        pytest.param("\U0001f40dx", 0, 2, UTF16, 1, id="after-a-surrogate-pair"),
        pytest.param("\U0001f40dx", 0, 4, UTF8, 1, id="after-four-bytes"),
    ],
)
def test_offset(text: str, line: int, character: int, encoding: str, expected: int) -> None:
    assert LineIndex(text, encoding).offset(line, character) == expected


TEXTS = st.lists(
    st.sampled_from(["a", "é", "✓", "\U0001f40d", "\n", "\r", "\r\n", " ", "\x0c", "\u2028"]), max_size=40
).map("".join)


@given(TEXTS, st.sampled_from(ENCODINGS), st.data())
def test_positions_round_trip_and_count_as_the_codecs(text: str, encoding: str, data: st.DataObject) -> None:
    index = LineIndex(text, encoding)
    offset = data.draw(st.integers(0, len(text)))
    position = index.position(offset)
    if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # between a CRLF's two characters: no position, the line's end stands in
    assert index.offset(*position) == offset
    line_start = index.starts[position.line]
    assert position.character == _codec_units(text[line_start:offset], encoding)
    assert units(text, encoding) == _codec_units(text, encoding)


@given(TEXTS, st.data())
def test_safe_span_keeps_crlf_whole(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end, content = index.safe_span(start, end, "X")
    assert text[:new_start] + content + text[new_end:] == text[:start] + "X" + text[end:]
    for offset in (new_start, new_end):
        assert not (0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n")


def test_minimal_change() -> None:
    from dockerfix.server.actions import minimal_change

    assert minimal_change("RUN pip install x\n", "RUN pip install --no-cache-dir x\n") == (16, 16, "--no-cache-dir ")
    assert minimal_change("a\r\nb", "a\r\nXb") == (3, 3, "X")
    assert minimal_change("a\r\nb", "a\rX\nb") == (1, 3, "\rX\n")  # never inside a CRLF


@given(TEXTS, TEXTS)
def test_minimal_change_turns_old_into_new(old: str, new: str) -> None:
    from dockerfix.server.actions import minimal_change

    start, end, content = minimal_change(old, new)
    assert old[:start] + content + old[end:] == new


# -- documents and options


@pytest.mark.parametrize(
    ("uri", "language_id", "checked"),
    [
        pytest.param("file:///p/Dockerfile", "", True, id="name"),
        pytest.param("file:///p/api.dockerfile", "", True, id="suffix"),
        pytest.param("file:///p/Containerfile.dev", "", True, id="prefix"),
        pytest.param("untitled:Untitled-1", "dockerfile", True, id="language"),
        pytest.param("file:///p/notes.txt", "plaintext", False, id="other"),
        pytest.param("file:///p/Dockerfile.orig", "", False, id="backup"),
    ],
)
def test_which_documents_are_checked(uri: str, language_id: str, checked: bool) -> None:
    assert Document(uri, "", 1, language_id).is_dockerfile is checked


def test_initialization_options() -> None:
    options = read_options(
        {
            "select": "DFX001, DL3013",
            "unsafeFixes": True,
            "fix_strategy": "cache-mount",
            "pin-from": ["c.txt"],
            "debounce": 0,
        },
        "/w",
    )
    assert options.errors == ()
    assert options.overrides.select == ("DFX001", "DFX002")
    assert options.overrides.unsafe_fixes is True and options.overrides.fix_strategy == "cache-mount"
    assert options.overrides.pin_from == (os.path.join("/w", "c.txt"),)
    assert options.debounce == 0
    assert read_options({"dockerfix": {"ignore": ["DFX002"]}}, None).overrides.ignore == ("DFX002",)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        pytest.param({"select": ["DFX999"]}, "'select'", id="unknown-code"),
        pytest.param({"fix-strategy": "mount"}, "must be one of flag, cache-mount", id="strategy"),
        pytest.param({"unsafe-fixes": "yes"}, "must be true or false", id="bool"),
        pytest.param({"colour": 1}, "unknown option 'colour'", id="unknown-key"),
        pytest.param([1], "must be an object", id="not-an-object"),
    ],
)
def test_bad_initialization_options(raw: object, error: str) -> None:
    assert any(error in e for e in read_options(raw, None).errors)


# -- the handlers, in process, on random documents


def _handlers():
    from lsprotocol import types

    from dockerfix.server.protocol import make_server

    server = make_server()
    published: list[object] = []
    server.text_document_publish_diagnostics = published.append  # type: ignore[method-assign]
    features = server.protocol.fm.features
    return server, published, features, types


LINES = st.sampled_from(
    [
        "FROM python:3.12\n",
        "RUN pip install flask\n",
        'RUN ["pip", "install", "x"]\n',
        "RUN <<EOF\npip install y\nEOF\n",
        "RUN uv pip install z \\\n  && pip install -r r.txt\n",
        "# dockerfix: ignore=DFX001\n",
        "# escape=`\n",
        "ONBUILD RUN pip3 install a==1\n",
        "  RUN python -m pip install b\r\n",
        "\U0001f40d é\r",
        "\x00",
        "\ufeff",
        "RUN pip install 'c[d]>=1' ; echo $((1+\n",
        'SHELL ["pwsh"]\n',
    ]
)
DOCUMENTS = st.one_of(st.lists(LINES, max_size=8).map("".join), st.text(max_size=60))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.data())
def test_no_document_crashes_the_handlers(text: str, data: st.DataObject) -> None:
    server, published, features, types = _handlers()
    errors = _Errors()
    logging.getLogger("dockerfix").addHandler(errors)
    try:
        _drive(text, data, published, features, types)
    finally:
        logging.getLogger("dockerfix").removeHandler(errors)
    assert errors.records == []  # a guard caught nothing: no handler failed


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def _drive(text: str, data: st.DataObject, published: list, features: dict, types) -> None:  # type: ignore[type-arg]
    uri = "file:///fuzz/Dockerfile"
    features[types.TEXT_DOCUMENT_DID_OPEN](
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "dockerfile", 1, text))
    )
    assert len(published) == 1
    for diagnostic in published[0].diagnostics:  # type: ignore[attr-defined]
        assert diagnostic.range.start.line <= text.count("\n") + text.count("\r")
    line = data.draw(st.integers(0, 10))
    character = data.draw(st.integers(0, 80))
    position = types.Position(line, character)
    whole = types.Range(types.Position(0, 0), types.Position(99, 0))
    context = types.CodeActionContext(diagnostics=[])
    found = features[types.TEXT_DOCUMENT_CODE_ACTION](
        types.CodeActionParams(types.TextDocumentIdentifier(uri), whole, context)
    )
    for action in found or ():
        assert action.edit is not None
    features[types.TEXT_DOCUMENT_HOVER](types.HoverParams(types.TextDocumentIdentifier(uri), position))
    change = types.TextDocumentContentChangePartial(range=types.Range(position, position), text=data.draw(TEXTS))
    features[types.TEXT_DOCUMENT_DID_CHANGE](
        types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=2), [change]),
    )
    assert len(published) == 2


# -- the process


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], capture_output=True, text=True, check=False)


def test_shutdown_then_exit_ends_the_process_with_0() -> None:
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    data = b"".join(
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in (json.dumps(m).encode() for m in messages)
    )
    done = subprocess.run(
        [sys.executable, "-m", "dockerfix", "server"], input=data, capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['pygls'] = None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "dockerfix", "server"], capture_output=True, text=True, env=env, check=False, timeout=30
    )
    assert done.returncode == 2
    assert "pip install 'dockerfix[server]'" in done.stderr
    assert done.stderr.startswith("dockerfix: error: server:")


def test_server_help() -> None:
    done = cli("server", "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: dockerfix server")
    assert cli("server", "--frobnicate").returncode == 2
