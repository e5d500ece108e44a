"""DFX007 no-cache-with-cache-mount, case by case: the one fix that deletes text."""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix

PIP = "--mount=type=cache,target=/root/.cache/pip"
UV = "--mount=type=cache,target=/root/.cache/uv"
PDM = "--mount=type=cache,target=/root/.cache/pdm"

NOOP = [
    pytest.param(f"RUN {PIP} pip install -r r.txt\n", id="mount, cache on"),
    pytest.param("RUN pip install --no-cache-dir -r r.txt\n", id="flag, no mount"),
    pytest.param("RUN --mount=type=tmpfs,target=/root/.cache/pip pip install --no-cache-dir x\n", id="tmpfs keeps nothing"),
    pytest.param(f"RUN {UV} pip install --no-cache-dir x\n", id="a mount on another tool's cache"),
    pytest.param(f"RUN {PIP} uv pip install --no-cache x\n", id="uv's flag under pip's mount"),
    pytest.param("RUN --mount=type=cache,target=/tmp/x pip install --no-cache-dir x\n", id="a mount elsewhere"),
    pytest.param(f"RUN {UV} uv lock --no-cache\n", id="uv lock writes no cache"),
    pytest.param(f"RUN {PIP} pip download --no-cache-dir x\n", id="pip download is not install"),
    pytest.param(f"# dockerfix: ignore=DFX007\nRUN {PIP} pip install --no-cache-dir x\n", id="suppressed"),
]

FIX = [
    pytest.param(f"RUN {PIP} pip install --no-cache-dir -r r.txt\n", f"RUN {PIP} pip install -r r.txt\n", id="pip flag"),
    pytest.param(f"RUN {PIP} pip install -r r.txt --no-cache-dir\n", f"RUN {PIP} pip install -r r.txt\n", id="pip flag last"),
    pytest.param(f"RUN --mount=type=cache,target=/root/.cache pip install --no-cache-dir x\n", "RUN --mount=type=cache,target=/root/.cache pip install x\n", id="mount on a parent"),
    pytest.param(f"RUN {PIP} pip install --no-cache x\n", f"RUN {PIP} pip install x\n", id="pip abbreviation"),
    pytest.param(f"RUN {UV} uv sync --frozen --no-cache\n", f"RUN {UV} uv sync --frozen\n", id="uv --no-cache"),
    pytest.param(f"RUN {UV} uv pip install -n x\n", f"RUN {UV} uv pip install x\n", id="uv -n"),
    pytest.param(f"RUN {UV} uv --no-cache-dir sync\n", f"RUN {UV} uv sync\n", id="uv alias"),
    pytest.param(f"RUN {PDM} pdm --no-cache install\n", f"RUN {PDM} pdm install\n", id="pdm --no-cache"),
    pytest.param(
        f"RUN {PIP} pip install \\\n    --no-cache-dir \\\n    x\n", f"RUN {PIP} pip install \\\n    x\n", id="alone on a continued line"
    ),
    pytest.param(f"RUN {PIP} pip install --no-cache-dir \\\n    x\n", f"RUN {PIP} pip install \\\n    x\n", id="before a continuation"),
    pytest.param(f'RUN {PIP} ["pip", "install", "--no-cache-dir", "x"]\n', f'RUN {PIP} ["pip", "install", "x"]\n', id="exec form"),
    pytest.param(f"RUN {PIP} sh -c 'pip install --no-cache-dir x'\n", f"RUN {PIP} sh -c 'pip install x'\n", id="inside sh -c"),
    pytest.param(f"RUN {PIP} pip install --no-cache-dir a && pip install --no-cache-dir b\n", f"RUN {PIP} pip install a && pip install b\n", id="two calls"),
]

NO_FIX = [
    pytest.param(f"FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN {PIP} pip install x\n", id="PIP_NO_CACHE_DIR from ENV"),
    pytest.param(f"FROM python:3.12\nENV UV_NO_CACHE=1\nRUN {UV} uv sync\n", id="UV_NO_CACHE from ENV"),
    pytest.param(f"FROM python:3.12\nENV PDM_NO_CACHE=1\nRUN {PDM} pdm install\n", id="PDM_NO_CACHE from ENV"),
    pytest.param(f"FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN {PIP} pip install --no-cache-dir x\n", id="flag and variable"),
    pytest.param(f"RUN {UV} uv pip install -qn x\n", id="in a cluster"),
    pytest.param(f"RUN {PIP} pip install x \\\n    --no-cache-dir\n", id="alone on the last line"),
]


def _dfx007(text: str) -> list:
    return [d for d in check(text) if d.code == "DFX007"]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx007(text) == []


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before).text == after
    assert _dfx007(after) == []
    assert fix(after).text == after


@pytest.mark.parametrize("text", NO_FIX)
def test_reported_without_a_fix(text: str) -> None:
    found = _dfx007(text)
    assert found and all(d.fix is None for d in found)


def test_the_fix_is_safe_and_deletes_the_flag_only() -> None:
    (d,) = _dfx007(f"RUN {PIP} pip install --no-cache-dir x\n")
    assert d.fix is not None and d.fix.applicability == "safe"
    assert [(e.content, e.end - e.start) for e in d.fix.edits] == [("", len("--no-cache-dir "))]
