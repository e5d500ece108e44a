"""The shell reader (tree-sitter) is bounded: a script past a limit is read as far as the
limit, and says why it stopped (``Script.unread``), which DFX000 reports."""

from __future__ import annotations

import pytest

from dockerfix.parse import shell
from dockerfix.core import check
from dockerfix.parse.mapped import Mapped
from dockerfix.settings import MAX_SHELL_NESTING


def _nested(depth: int) -> str:
    return "pip install " + "$(pip install " * depth + "x" + ")" * depth


@pytest.mark.parametrize(
    "depth",
    [pytest.param(0, id="flat"), pytest.param(3, id="three-levels"), pytest.param(MAX_SHELL_NESTING, id="at-the-limit")],
)
def test_nesting_up_to_the_limit_is_read_in_full(depth: int) -> None:
    script = shell.parse(Mapped.identity(_nested(depth), 0))
    assert script.unread is None
    assert len(script.commands) == depth + 1


def test_nesting_past_the_limit_stops_at_the_first_command_too_deep() -> None:
    text = _nested(MAX_SHELL_NESTING + 5)
    script = shell.parse(Mapped.identity(text, 4))
    assert len(script.commands) == MAX_SHELL_NESTING + 1
    assert script.unread is not None
    start, end, reason = script.unread
    assert text[start - 4 : end - 4].startswith("pip install $(")
    assert f"deeper than {MAX_SHELL_NESTING} levels" in reason


def test_nesting_past_the_limit_is_reported_by_dfx000() -> None:
    text = f"FROM python:3.12\nRUN {_nested(MAX_SHELL_NESTING + 1)}\n"
    found = [d for d in check(text) if d.code == "DFX000"]
    assert len(found) == 1
    assert "nested deeper than" in found[0].message


def test_a_parse_past_its_budget_is_unread_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell, "_parse_budget", lambda size: -1.0)
    script = shell.parse(Mapped.identity("pip install flask && echo done", 7))
    assert script.commands == [] and script.has_error
    assert script.unread is not None and script.unread[:2] == (7, 37)
    assert "could not parse it" in script.unread[2]


def test_after_a_parse_past_its_budget_the_next_parse_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_parse_budget", lambda size: -1.0)
        shell.parse(Mapped.identity("apt-get update && " * 200 + "true", 0))
    script = shell.parse(Mapped.identity("pip install flask", 0))
    assert script.unread is None
    assert [w.text for w in script.commands[0].words] == ["pip", "install", "flask"]
