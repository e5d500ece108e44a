"""DFX005 pdm-no-cache, case by case (facts: src/pdm in pdm-project/pdm)."""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix
from dockerfix.settings import Settings

F = "FROM python:3.12\n"

NOOP = [
    pytest.param("RUN pdm --no-cache install\n", id="--no-cache before the command"),
    pytest.param(F + "ENV PDM_NO_CACHE=1\nRUN pdm install\n", id="ENV PDM_NO_CACHE=1"),
    pytest.param(F + "ENV PDM_NO_CACHE=0\nRUN pdm install\n", id="PDM_NO_CACHE=0 is non-empty: off too"),
    pytest.param(F + "ARG PDM_NO_CACHE=true\nRUN pdm sync\n", id="ARG with a value"),
    pytest.param("RUN PDM_NO_CACHE=1 pdm install\n", id="inline"),
    pytest.param("RUN export PDM_NO_CACHE=1 && pdm install\n", id="export"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pdm pdm install\n", id="cache mount"),
    pytest.param(F + "ENV PDM_CACHE_DIR=/c\nRUN --mount=type=cache,target=/c pdm install\n", id="PDM_CACHE_DIR mounted"),
    pytest.param("RUN pdm install && pdm cache clear\n", id="pdm cache clear later"),
    pytest.param("RUN pdm install && rm -rf /root/.cache/pdm\n", id="rm -rf later"),
    pytest.param("RUN pdm add --no-sync requests\n", id="add --no-sync"),
    pytest.param("RUN pdm lock\n", id="lock"),
    pytest.param("RUN pdm install --dry-run\n", id="--dry-run"),
    pytest.param("# dockerfix: ignore=DFX005\nRUN pdm install\n", id="suppressed"),
]

FIX = [
    pytest.param("RUN pdm install --prod\n", "RUN pdm --no-cache install --prod\n", id="flag before the command"),
    pytest.param("RUN pdm sync\n", "RUN pdm --no-cache sync\n", id="pdm sync"),
    pytest.param("RUN pdm add requests\n", "RUN pdm --no-cache add requests\n", id="pdm add"),
    pytest.param("RUN python -m pdm install\n", "RUN python -m pdm --no-cache install\n", id="python -m pdm"),
    pytest.param("RUN pdm install --no-cache\n", "RUN pdm --no-cache install --no-cache\n", id="after the command it is no PDM option"),
    pytest.param('RUN ["pdm", "install"]\n', 'RUN ["pdm", "--no-cache", "install"]\n', id="exec form"),
    pytest.param(F + "ENV PDM_NO_CACHE=\nRUN pdm install\n", F + "ENV PDM_NO_CACHE=\nRUN pdm --no-cache install\n", id="empty PDM_NO_CACHE"),
    pytest.param("RUN sudo pdm install\n", "RUN sudo pdm --no-cache install\n", id="behind sudo"),
]


def _dfx005(text: str) -> list:
    return [d for d in check(text) if d.code == "DFX005"]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx005(text) == []
    assert fix(text).text == text


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before).text == after
    assert _dfx005(after) == []
    assert fix(after).text == after


def test_cache_mount_strategy() -> None:
    settings = Settings(fix_strategy="cache-mount", unsafe_fixes=True)
    assert fix("RUN pdm install\n", settings).text == "RUN --mount=type=cache,target=/root/.cache/pdm pdm install\n"
