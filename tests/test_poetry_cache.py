"""DFX004 poetry-cache, case by case (facts: src/poetry in python-poetry/poetry)."""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix
from dockerfix.settings import Settings

F = "FROM python:3.12\n"
UNSAFE = Settings(unsafe_fixes=True)
MOUNT = "--mount=type=cache,target=/root/.cache/pypoetry/artifacts"

REPORTED = [
    pytest.param("RUN poetry install --no-root\n", id="poetry install"),
    pytest.param("RUN poetry sync\n", id="poetry sync"),
    pytest.param("RUN poetry add requests\n", id="poetry add"),
    pytest.param("RUN poetry update\n", id="poetry update"),
    pytest.param("RUN python -m poetry install\n", id="python -m poetry"),
    pytest.param("RUN sudo -E poetry install\n", id="behind sudo"),
    pytest.param("RUN sh -c 'poetry install'\n", id="inside sh -c"),
    pytest.param('RUN ["poetry", "install"]\n', id="exec form"),
    pytest.param("RUN <<EOF\npoetry install\nEOF\n", id="heredoc"),
    pytest.param("ONBUILD RUN poetry install\n", id="ONBUILD"),
    pytest.param("RUN pip install poetry && \\\n    poetry install\n", id="continuation"),
    # --no-cache turns off only the HTTP and release-info caches, not the artifact cache
    pytest.param("RUN poetry install --no-cache\n", id="--no-cache is no exemption"),
    pytest.param("RUN poetry --no-cache install\n", id="global --no-cache is no exemption"),
    pytest.param(F + "ENV POETRY_VIRTUALENVS_CREATE=false\nRUN poetry install\n", id="POETRY_VIRTUALENVS_* do not matter"),
    pytest.param("RUN poetry install && poetry cache clear --all PyPI\n", id="cache clear empties only the repository cache"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip poetry install\n", id="a mount on another cache"),
]

NOOP = [
    pytest.param("RUN poetry lock\n", id="lock resolves only"),
    pytest.param("RUN poetry add --lock requests\n", id="add --lock"),
    pytest.param("RUN poetry install --dry-run\n", id="--dry-run"),
    pytest.param("RUN poetry config virtualenvs.create false\n", id="config"),
    pytest.param("RUN poetry export -f requirements.txt -o r.txt\n", id="export"),
    pytest.param(f"RUN {MOUNT} poetry install\n", id="mount on artifacts"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install\n", id="mount on the cache dir"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache poetry install\n", id="mount on ~/.cache"),
    pytest.param("RUN --mount=type=tmpfs,target=/root/.cache/pypoetry poetry install\n", id="tmpfs mount"),
    pytest.param(F + "ENV POETRY_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc poetry install\n", id="POETRY_CACHE_DIR mounted"),
    pytest.param("RUN poetry install && rm -rf ~/.cache/pypoetry\n", id="rm -rf later"),
    pytest.param("RUN poetry install; rm -rf /root/.cache\n", id="rm -rf of a parent"),
    pytest.param("# dockerfix: ignore=DFX004\nRUN poetry install\n", id="suppressed"),
]

FIX = [
    pytest.param("RUN poetry install\n", f"RUN {MOUNT} poetry install\n", id="mount on the artifact cache"),
    pytest.param(
        F + "ENV POETRY_CACHE_DIR=/pc\nRUN poetry install\n",
        F + "ENV POETRY_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc/artifacts poetry install\n",
        id="under POETRY_CACHE_DIR",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/xdg\nRUN poetry install\n",
        F + "ENV XDG_CACHE_HOME=/xdg\nRUN --mount=type=cache,target=/xdg/pypoetry/artifacts poetry install\n",
        id="under XDG_CACHE_HOME",
    ),
    pytest.param("RUN --network=host poetry install\n", f"RUN --network=host {MOUNT} poetry install\n", id="after the RUN's flags"),
]


def _dfx004(text: str) -> list:
    return [d for d in check(text) if d.code == "DFX004"]


@pytest.mark.parametrize("text", REPORTED)
def test_reported(text: str) -> None:
    assert len(_dfx004(text)) == 1


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx004(text) == []


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before, UNSAFE).text == after
    assert _dfx004(after) == []


def test_the_fix_is_unsafe_and_no_flag() -> None:
    assert fix("RUN poetry install\n").text == "RUN poetry install\n"


def test_no_fix_for_a_named_user() -> None:
    (d,) = _dfx004(F + "USER app\nRUN poetry install\n")
    assert d.fix is None and "USER app" in d.notes[0]
