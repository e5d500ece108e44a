"""DFX000 could-not-analyse: a likely ``pip install`` that is reported, never edited.

Each case: a Dockerfile and the spans (as text) of its DFX000 findings. ``fix`` must leave
every one of these files unchanged, and no DFX001 may be reported for the same call.
"""

from __future__ import annotations

import pytest

from dockerfix.core import Settings, check, fix

PS = 'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\n'

NOT_ANALYSED = [
    # -- a non-POSIX SHELL: found by a careful text search, never parsed as sh --------------
    pytest.param(PS + "RUN pip install x\n", ["pip install"], id="powershell"),
    pytest.param(
        'FROM python:3.12\nSHELL ["pwsh", "-Command"]\nRUN python -m pip install x; pip3 install y\n',
        ["python -m pip install", "pip3 install"],
        id="pwsh, two calls",
    ),
    pytest.param('FROM python:3.12\nSHELL ["cmd", "/S", "/C"]\nRUN pip install x\n', ["pip install"], id="cmd"),
    pytest.param(
        'FROM python:3.12 AS base\nSHELL ["powershell", "-Command"]\nFROM base\nRUN pip install x\n',
        ["pip install"],
        id="SHELL inherited from the parent stage",
    ),
    pytest.param(PS + "RUN pip install \\\n    x\n", ["pip install"], id="powershell, continuation after install"),
    pytest.param(PS + "RUN uv pip install x; uv sync\n", ["uv pip install", "uv sync"], id="powershell, uv"),
    pytest.param(PS + "RUN uvx ruff check\n", ["uvx"], id="powershell, uvx"),
    # -- the program is a variable -----------------------------------------------------------
    pytest.param("RUN $PIP install x\n", ["$PIP install"], id="$PIP"),
    pytest.param("RUN ${PIP} install x\n", ["${PIP} install"], id="${PIP}"),
    pytest.param("RUN $PYTHON -m pip install x\n", ["$PYTHON -m pip install"], id="$PYTHON -m pip"),
    pytest.param("RUN apt-get update && $PIP install x\n", ["$PIP install"], id="$PIP in a chain"),
    # -- the shell around it does not parse (bash -n rejects these too) -----------------------
    pytest.param("RUN pip install x $(\n", ["pip install"], id="unclosed $("),
    pytest.param("RUN pip install x && (\n", ["pip install"], id="unclosed subshell"),
    pytest.param("RUN if true; then pip install x\n", ["pip install"], id="if without fi"),
    pytest.param("RUN pip install 'x\n", ["pip install"], id="unterminated quote"),
    pytest.param("RUN pip install x )\n", ["pip install"], id="stray )"),
    pytest.param("RUN uv pip install x $(\n", ["uv pip install"], id="uv, unclosed $("),
    pytest.param(
        "RUN apt-get update && \\\n    pip install x && \\\n    (cd /app\n", ["pip install"], id="syntax error after a continuation"
    ),
]


@pytest.mark.parametrize(("text", "spans"), NOT_ANALYSED)
def test_not_analysed(text: str, spans: list[str]) -> None:
    found = check(text)
    assert [text[d.start : d.end] for d in found if d.code == "DFX000"] == spans
    assert [d for d in found if d.code == "DFX001"] == []
    for d in found:
        assert d.fix is None
        assert d.name == "could-not-analyse"
        assert "check it by hand" in d.message
    outcome = fix(text)
    assert outcome.text == text
    assert outcome.applied == []


NOT_REPORTED = [
    pytest.param(PS + "RUN uv pip install --no-cache x\n", id="powershell, uv with --no-cache"),
    pytest.param(PS + "RUN uv lock; uv venv\n", id="powershell, uv commands that keep no cache"),
    pytest.param("RUN uv lock $(\n", id="uv lock in shell that does not parse"),
]


@pytest.mark.parametrize("text", NOT_REPORTED)
def test_not_reported(text: str) -> None:
    assert [d for d in check(text) if d.code == "DFX000"] == []


ANALYSED = [
    # Exec form does not go through the SHELL: analysed and fixed as usual.
    pytest.param(
        PS + 'RUN ["pip", "install", "x"]\n',
        PS + 'RUN ["pip", "install", "--no-cache-dir", "x"]\n',
        id="exec form after a powershell SHELL",
    ),
    pytest.param(
        PS + 'RUN ["python", "-m", "pip", "install", "x"]\n',
        PS + 'RUN ["python", "-m", "pip", "install", "--no-cache-dir", "x"]\n',
        id="exec form python -m pip after a powershell SHELL",
    ),
    pytest.param(
        PS + 'RUN ["cmd", "/c", "pip install x"]\n',
        PS + 'RUN ["cmd", "/c", "pip install x"]\n',
        id="exec form cmd /c is not a POSIX shell: left alone",
    ),
    pytest.param(
        PS + 'SHELL ["/bin/sh", "-c"]\nRUN pip install x\n',
        PS + 'SHELL ["/bin/sh", "-c"]\nRUN pip install --no-cache-dir x\n',
        id="SHELL switched back to sh",
    ),
    pytest.param(
        PS + 'FROM python:3.12\nRUN pip install x\n',
        PS + 'FROM python:3.12\nRUN pip install --no-cache-dir x\n',
        id="a new unrelated stage has the default shell",
    ),
    pytest.param(PS + "RUN pip install --no-cache-dir x\n", PS + "RUN pip install --no-cache-dir x\n", id="powershell with the flag"),
    pytest.param(PS + "RUN pip download x\n", PS + "RUN pip download x\n", id="powershell pip download"),
    pytest.param(PS + "RUN pipx install x\n", PS + "RUN pipx install x\n", id="powershell pipx"),
    pytest.param("RUN $PIP download x\n", "RUN $PIP download x\n", id="variable program, not install"),
    pytest.param("RUN $CC install.c\n", "RUN $CC install.c\n", id="variable program, not pip"),
]


@pytest.mark.parametrize(("before", "after"), ANALYSED)
def test_analysed(before: str, after: str) -> None:
    assert [d for d in check(before) if d.code == "DFX000"] == []
    assert fix(before).text == after


def test_suppressed_with_a_pragma() -> None:
    assert check("# dockerfix: ignore=DFX000\nRUN $PIP install x\n") == []
    assert check("# dockerfix: file-ignore=DFX000\nRUN $PIP install x\nRUN $PIP install y\n") == []


def test_not_selected() -> None:
    text = "RUN $PIP install x\n"
    assert check(text, Settings(select=["DFX001"])) == []
    assert [d.code for d in check(text, Settings(ignore=["DFX001"]))] == ["DFX000"]
