"""The shell adapter's plain-words path: a script of plain words is one simple command,
read without tree-sitter, exactly as tree-sitter reads it."""

from __future__ import annotations

import pytest

from dockerfix.mapped import Mapped
from dockerfix.shell import _plain_command, parse, parse_with_tree_sitter
from shell_shape import script_shape


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("pip install -r requirements.txt", id="plain"),
        pytest.param("  pip install flask==2.3.2  ", id="blanks-around"),
        pytest.param("python3 -m pip install\tgunicorn", id="tab"),
        pytest.param("pip install a=b --index-url=https://x.example/simple", id="equals-in-later-words"),
        pytest.param("pip3.12 install pkg@1 x+y 100% a:b c,d", id="other-plain-characters"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
    ],
)
def test_plain_scripts_are_read_as_tree_sitter_reads_them(text: str) -> None:
    mapped = Mapped.identity(text, 10)
    plain = _plain_command(mapped)
    assert plain is not None
    assert script_shape(plain) == script_shape(parse_with_tree_sitter(mapped))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("PIP_NO_CACHE_DIR=1 pip install x", id="assignment-first"),
        pytest.param("export PIP_NO_CACHE_DIR=1", id="export"),
        pytest.param("unset PIP_NO_CACHE_DIR", id="unset"),
        pytest.param("time pip install x", id="reserved-word"),
        pytest.param("pip install 'x'", id="quotes"),
        pytest.param("pip install $PKG", id="expansion"),
        pytest.param("pip install x && true", id="operator"),
        pytest.param("pip install x > log", id="redirection"),
        pytest.param("pip install x # comment", id="comment"),
        pytest.param("pip install pkg[extra]", id="brackets"),
        pytest.param("pip install *.whl", id="glob"),
        pytest.param("pip install \\\n x", id="newline"),
    ],
)
def test_other_scripts_go_to_tree_sitter(text: str) -> None:
    mapped = Mapped.identity(text, 0)
    assert _plain_command(mapped) is None
    assert script_shape(parse(mapped)) == script_shape(parse_with_tree_sitter(mapped))
