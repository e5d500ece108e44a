"""Which words name pip or python, which words are assignments, and which texts may name pip
or uv (the filter in front of the analysis): ``(text, expected)`` per case."""

from __future__ import annotations

import pytest

from dockerfix.tools.mentions import may_say_install, maybe_tool
from dockerfix.tools.pip import is_pip_program, is_python_program
from dockerfix.tools.process import assignment_name


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        pytest.param("pip", True, id="pip"),
        pytest.param("pip3", True, id="major"),
        pytest.param("pip3.12", True, id="minor"),
        pytest.param("pip3.12.1", True, id="patch"),
        pytest.param("pip-3.3", True, id="debian-dash"),
        pytest.param("pip-2.7", True, id="debian-dash-two"),
        pytest.param("pip٣", True, id="arabic-indic-digit"),
        pytest.param("pip-", False, id="dash-alone"),
        pytest.param("pip--3", False, id="two-dashes"),
        pytest.param("pip3.", False, id="trailing-dot"),
        pytest.param("pip.3", False, id="leading-dot"),
        pytest.param("pip3..1", False, id="two-dots"),
        pytest.param("pip²", False, id="superscript-two"),
        pytest.param("pipx", False, id="pipx"),
        pytest.param("pip-tools", False, id="pip-tools"),
        pytest.param("Pip", False, id="capital"),
        pytest.param("pi", False, id="short"),
        pytest.param("pip3\n", False, id="trailing-newline"),
        pytest.param("", False, id="empty"),
    ],
)
def test_pip_program(program: str, expected: bool) -> None:
    assert is_pip_program(program) is expected


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        pytest.param("python", True, id="python"),
        pytest.param("python3", True, id="major"),
        pytest.param("python3.12", True, id="minor"),
        pytest.param("python3.12.1", True, id="patch"),
        pytest.param("python-3.12", False, id="dash"),
        pytest.param("python3.", False, id="trailing-dot"),
        pytest.param("python3-config", False, id="config"),
        pytest.param("Python3", False, id="capital"),
        pytest.param("pythonw", False, id="suffix-letter"),
        pytest.param("python3\n", False, id="trailing-newline"),
        pytest.param("", False, id="empty"),
    ],
)
def test_python_program(program: str, expected: bool) -> None:
    assert is_python_program(program) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("A=1", "A", id="simple"),
        pytest.param("_=", "_", id="underscore-empty-value"),
        pytest.param("A_1=x=y", "A_1", id="equals-in-value"),
        pytest.param("A=\nB", "A", id="newline-in-value"),
        pytest.param("if=1", "if", id="keyword-is-a-name"),
        pytest.param("1A=x", None, id="digit-first"),
        pytest.param("é=x", None, id="non-ascii"),
        pytest.param("A-B=x", None, id="dash"),
        pytest.param("=x", None, id="no-name"),
        pytest.param("A", None, id="no-equals"),
        pytest.param("", None, id="empty"),
    ],
)
def test_assignment_name(word: str, expected: str | None) -> None:
    assert assignment_name(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("pip install x", True, id="pip"),
        pytest.param("PIP install x", True, id="upper"),
        pytest.param('p"i"p install x', True, id="quotes-inside"),
        pytest.param("p\\\ni'p'", True, id="escaped-newline"),
        pytest.param("pİp", True, id="dotted-capital-i"),
        pytest.param("pıp", True, id="dotless-i"),
        pytest.param("U\\V", True, id="uv-backslash"),
        pytest.param("pipx", True, id="pipx"),
        pytest.param("p i p", False, id="space-splits"),
        pytest.param("apt-get install -y curl", False, id="neither"),
        pytest.param("", False, id="empty"),
    ],
)
def test_maybe_tool(text: str, expected: bool) -> None:
    assert maybe_tool(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('i"n"stall $P', True, id="install-quoted"),
        pytest.param("ins\\\ntall", True, id="escaped-newline"),
        pytest.param("INSTALL $P", False, id="install-upper"),
        pytest.param("ins tall $P", False, id="install-split"),
        pytest.param("ïnstall", False, id="not-i"),
        pytest.param("", False, id="empty"),
    ],
)
def test_may_say_install(text: str, expected: bool) -> None:
    assert may_say_install(text) is expected
