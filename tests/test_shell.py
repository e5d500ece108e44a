"""The shell adapter's plain path: a script of plain words, list and pipe operators and
simple redirections is read without tree-sitter, exactly as tree-sitter reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfix.mapped import Mapped
from dockerfix.shell import _plain_script, parse, parse_with_tree_sitter
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
        pytest.param("pip install x && true", id="and"),
        pytest.param("apt-get update || true; pip install -U pip | tee log", id="or-semicolon-pipe"),
        pytest.param("apt-get update; pip install x;", id="semicolon-glued"),
        pytest.param("pip install x > log", id="redirection"),
        pytest.param("pip install x >>/tmp/log 2>&1 && echo done", id="redirections-glued"),
        pytest.param("pip install x 2> err < /dev/null", id="descriptor-and-input"),
        pytest.param("pip install x >&2", id="duplication"),
        pytest.param("set -e     && pip install a==1     && echo step 1 >> /tmp/log     && true", id="long-run-shape"),
        pytest.param("pip3 install a 2 >f", id="digit-word-before-redirection"),
        pytest.param("pip install /wheels/*.whl && rm -rf /var/lib/apt/lists/*", id="globs"),
    ],
)
def test_plain_scripts_are_read_as_tree_sitter_reads_them(text: str) -> None:
    mapped = Mapped.identity(text, 10)
    plain = _plain_script(mapped)
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
        pytest.param("pip install x &", id="background"),
        pytest.param("pip install - 2>err", id="dash-before-descriptor"),
        pytest.param("- A=1", id="dash-command"),
        pytest.param("apt-get update ;pip install x", id="semicolon-glued-before"),
        pytest.param("pip install x && ", id="dangling-operator"),
        pytest.param("&& pip install x", id="leading-operator"),
        pytest.param("a ; ; pip install x", id="empty-command"),
        pytest.param("a;; pip install x", id="case-terminator"),
        pytest.param("pip >log install x", id="redirection-first-word"),
        pytest.param("> log pip install x", id="redirection-first"),
        pytest.param("pip install x >log y", id="word-after-redirection"),
        pytest.param("pip install x>=1", id="glued-redirection"),
        pytest.param("pip install x >", id="redirection-without-target"),
        pytest.param("pip install x &>log", id="and-redirection"),
        pytest.param("pip install x |& tee", id="pipe-both"),
        pytest.param("true && PIP_NO_CACHE_DIR=1 pip install x", id="assignment-later"),
        pytest.param("true; export X=1", id="export-later"),
        pytest.param("pip install x # comment", id="comment"),
        pytest.param("pip install pkg[extra]", id="brackets"),
        pytest.param("pip install x?", id="question-mark"),
        pytest.param("pip install \\\n x", id="newline"),
    ],
)
def test_other_scripts_go_to_tree_sitter(text: str) -> None:
    mapped = Mapped.identity(text, 0)
    assert _plain_script(mapped) is None
    assert script_shape(parse(mapped)) == script_shape(parse_with_tree_sitter(mapped))


# Scripts built from the plain path's pieces and its near misses, so that both what it
# takes and what it must decline come up: whenever it takes a script, tree-sitter reads the
# same commands, words and spans.
_TOKENS = st.sampled_from(
    [
        "pip", "pip3", "install", "-r", "x==1", "a.txt", "echo", "true", "2", "12", "x", "-", "--", "+", "%", "@", ":", ",", "=", "-x", "/",
        "&&", "||", ";", "|", "&", ";;", "|&", "x;", "2;", ";x",
        ">", ">>", "<", "2>", "2>>", "1>", "2>&1", ">&2", "<&0", ">>&1", "&>", ">/tmp/log", "2>/dev/null", ">x;",
        "x>1", "a2>f", "*", "*.whl", "/var/lib/apt/lists/*", "a?b", "?", "**", "-*", "*=1", "x*=", "export", "time", "A=1",
    ]
)  # fmt: skip
_BLANKS = st.sampled_from([" ", "  ", "\t", " \t "])


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(_TOKENS, max_size=12))
    pieces = [draw(_BLANKS) if draw(st.booleans()) else ""]
    for token in tokens:
        pieces += [token, draw(_BLANKS)]
    return "".join(pieces)


@given(_scripts(), st.integers(min_value=0, max_value=50))
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
def test_generated_scripts_the_plain_path_takes_read_as_tree_sitter_reads_them(text: str, start: int) -> None:
    mapped = Mapped.identity(text, start)
    plain = _plain_script(mapped)
    if plain is not None:
        assert script_shape(plain) == script_shape(parse_with_tree_sitter(mapped))
