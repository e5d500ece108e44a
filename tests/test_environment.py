"""ENV and ARG values as BuildKit expands them (analysis/environment.py)."""

from __future__ import annotations

import pytest

from dockerfix.analysis.environment import env_pairs, expand, expand_known


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        pytest.param("/opt/venv", {}, "/opt/venv", id="no-variable"),
        pytest.param("/venv/bin:$PATH", {"PATH": "/usr/bin"}, "/venv/bin:/usr/bin", id="dollar-name"),
        pytest.param("${HOME}/.cache", {"HOME": "/root"}, "/root/.cache", id="braced-name"),
        pytest.param("$A$B", {"A": "x", "B": "y"}, "xy", id="two-in-a-row"),
        pytest.param("$A_1-x", {"A_1": "v"}, "v-x", id="name-ends-at-a-non-name-character"),
        pytest.param("$HOME/x", {}, None, id="unknown-is-not-literal"),
        pytest.param("$HOME/x", {"HOME": None}, None, id="not-literal-is-not-literal"),
        pytest.param("${A:-d}", {"A": "x"}, None, id="modifier-is-not-literal"),
        pytest.param("cost $", {}, None, id="lone-dollar-is-not-literal"),
        pytest.param("$1", {}, None, id="digit-is-no-name"),
    ],
)
def test_expand(value: str, env: dict[str, str | None], expected: str | None) -> None:
    assert expand(value, env) == expected


def test_expand_stops_a_value_that_doubles_past_the_bound() -> None:
    env: dict[str, str | None] = {"A": "x" * 40_000}
    assert expand("$A$A", env) is None


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        pytest.param("$HOME/.cache", {}, "$HOME/.cache", id="unknown-left-as-written"),
        pytest.param("${C}/pip", {"C": "/c"}, "/c/pip", id="braced-known"),
        pytest.param("$C/pip", {"C": None}, "$C/pip", id="not-literal-left-as-written"),
    ],
)
def test_expand_known(text: str, env: dict[str, str | None], expected: str) -> None:
    assert expand_known(text, env) == expected


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        pytest.param("A=1 B=$A", {}, {"A": "1", "B": "1"}, id="a-later-pair-sees-an-earlier-one"),
        pytest.param('P="/a b" Q=$P', {}, {"P": "/a b", "Q": "/a b"}, id="quoted-value"),
        pytest.param("P /opt/x y", {}, {"P": "/opt/x y"}, id="legacy-form"),
        pytest.param("P=$V", {"V": "2"}, {"P": "2"}, id="from-the-stage"),
    ],
)
def test_env_pairs(text: str, current: dict[str, str | None], expected: dict[str, str | None]) -> None:
    assert env_pairs(text, current) == expected
