"""``--fix-strategy cache-mount``: DFX001/DFX003 fixed by a BuildKit cache mount on the RUN.

``FIX``: (before, after) pairs under the cache-mount strategy with unsafe fixes on.
``FALLBACK``: where no mount target is known, the flag is inserted instead (with a note).
"""

from __future__ import annotations

import pytest

from dockerfix.analysis.analyzer import analyze
from dockerfix.core import check, fix, keeps_structure, structure
from dockerfix.diagnostics import Applicability, Edit, Fix
from dockerfix.fix.fixer import edits_of, select_fixes
from dockerfix.settings import Settings

F = "FROM python:3.12\n"
MOUNT = Settings(fix_strategy="cache-mount", unsafe_fixes=True)
DIRECTIVE = Settings(fix_strategy="cache-mount", unsafe_fixes=True, add_syntax_directive=True)
PIP = "--mount=type=cache,target=/root/.cache/pip"
UV = "--mount=type=cache,target=/root/.cache/uv"

FIX = [
    pytest.param("RUN pip install x\n", f"RUN {PIP} pip install x\n", id="pip"),
    pytest.param("RUN uv sync\n", f"RUN {UV} uv sync\n", id="uv"),
    pytest.param("RUN uvx ruff\n", f"RUN {UV} uvx ruff\n", id="uvx"),
    pytest.param(
        "RUN pip install x && pip3 install y\n", f"RUN {PIP} pip install x && pip3 install y\n", id="one mount per RUN"
    ),
    pytest.param(
        "RUN pip install uv && uv pip install --system x\n",
        f"RUN {PIP} {UV} pip install uv && uv pip install --system x\n",
        id="pip and uv in one RUN: both mounts at once",
    ),
    pytest.param(
        "RUN --mount=type=bind,source=r.txt,target=/r.txt pip install -r /r.txt\n",
        f"RUN --mount=type=bind,source=r.txt,target=/r.txt {PIP} pip install -r /r.txt\n",
        id="after the RUN's own mounts",
    ),
    pytest.param(
        "RUN --network=host --mount=type=secret,id=n pip install x\n",
        f"RUN --network=host --mount=type=secret,id=n {PIP} pip install x\n",
        id="after the last flag",
    ),
    pytest.param(
        "RUN --mount=type=bind,target=/x \\\n    pip install x\n",
        f"RUN --mount=type=bind,target=/x {PIP} \\\n    pip install x\n",
        id="last flag before a continuation",
    ),
    pytest.param("RUN \\\n    pip install x\n", f"RUN \\\n    {PIP} pip install x\n", id="command on the next line"),
    pytest.param('RUN ["pip", "install", "x"]\n', f'RUN {PIP} ["pip", "install", "x"]\n', id="exec form"),
    pytest.param("RUN <<EOF\npip install x\nEOF\n", f"RUN {PIP} <<EOF\npip install x\nEOF\n", id="heredoc"),
    pytest.param("ONBUILD RUN pip install x\n", f"ONBUILD RUN {PIP} pip install x\n", id="ONBUILD RUN"),
    pytest.param("run\tpip install x\n", f"run\t{PIP} pip install x\n", id="lower case, tab"),
    pytest.param(
        "RUN sh -c pip\\ install\\ x\n", f"RUN {PIP} sh -c pip\\ install\\ x\n", id="where the flag cannot go, a mount can"
    ),
    pytest.param(
        "RUN pip install x\nRUN uv sync\n", f"RUN {PIP} pip install x\nRUN {UV} uv sync\n", id="every RUN its own"
    ),
    # -- the target: the cache directory in effect --------------------------------------------
    pytest.param(
        F + "ENV PIP_CACHE_DIR=/pc\nRUN pip install x\n",
        F + "ENV PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install x\n",
        id="PIP_CACHE_DIR",
    ),
    pytest.param(
        F + "ENV UV_CACHE_DIR=/opt/uv-cache/\nRUN uv sync\n",
        F + "ENV UV_CACHE_DIR=/opt/uv-cache/\nRUN --mount=type=cache,target=/opt/uv-cache uv sync\n",
        id="UV_CACHE_DIR",
    ),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/xc\nRUN pip install x\n",
        F + "ENV XDG_CACHE_HOME=/xc\nRUN --mount=type=cache,target=/xc/pip pip install x\n",
        id="XDG_CACHE_HOME",
    ),
    pytest.param(
        F + "ENV HOME=/app\nRUN uv sync\n",
        F + "ENV HOME=/app\nRUN --mount=type=cache,target=/app/.cache/uv uv sync\n",
        id="ENV HOME",
    ),
    pytest.param(
        "RUN pip install --cache-dir /c x\n", "RUN --mount=type=cache,target=/c pip install --cache-dir /c x\n", id="--cache-dir"
    ),
    pytest.param("RUN uv --cache-dir=/c sync\n", "RUN --mount=type=cache,target=/c uv --cache-dir=/c sync\n", id="uv --cache-dir="),
    pytest.param(F + "USER root\nRUN pip install x\n", F + f"USER root\nRUN {PIP} pip install x\n", id="USER root"),
    pytest.param(
        F + "USER 1000\nENV HOME=/home/app\nRUN pip install x\n",
        F + "USER 1000\nENV HOME=/home/app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install x\n",
        id="numeric USER with a known home: the mount is made theirs",
    ),
]

FALLBACK = [
    pytest.param(F + "USER app\nRUN pip install x\n", "pip install --no-cache-dir x", "USER app", id="named USER"),
    pytest.param(F + "USER 1000\nRUN uv sync\n", "uv sync --no-cache", "home of USER 1000", id="numeric USER, home unknown"),
    pytest.param(F + "USER $U\nRUN pip install x\n", "pip install --no-cache-dir x", "USER $U", id="USER from a variable"),
    pytest.param(
        F + "ARG D\nENV PIP_CACHE_DIR=$D\nRUN pip install x\n", "pip install --no-cache-dir x", "PIP_CACHE_DIR", id="unknown dir"
    ),
    pytest.param("RUN pip install --cache-dir c x\n", "install --cache-dir c --no-cache-dir x", "--cache-dir", id="relative dir"),
    pytest.param("RUN pip install --cache-dir '/a b' x\n", "install --cache-dir '/a b' --no-cache-dir x", "--cache-dir", id="dir with a space"),
]

# A RUN that already has a cache mount is left alone by both strategies: still reported (the
# tool's cache is in the layer), never edited.
LEFT_ALONE = [
    pytest.param("RUN --mount=type=cache,target=/var/cache/apt pip install x\n", id="pip, apt's cache mounted"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip-tools pip install x\n", id="sibling with a common prefix"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip uv sync\n", id="uv, pip's cache mounted"),
    pytest.param("RUN --mount=type=cache,id=x,target=/x,sharing=locked uvx ruff\n", id="uvx, a cache with more fields"),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before, MOUNT).text == after
    assert [d for d in check(after, MOUNT) if d.fix is not None] == []
    assert fix(after, MOUNT).text == after


@pytest.mark.parametrize(("before", "after"), FIX)
def test_the_mount_fix_is_unsafe_and_says_buildkit(before: str, after: str) -> None:
    found = [d for d in check(before, MOUNT) if d.code in ("DFX001", "DFX003")]
    assert found
    for d in found:
        assert d.fix is not None and d.fix.applicability == Applicability.UNSAFE
        assert any("needs BuildKit" in note for note in d.notes)
    assert fix(before, Settings(fix_strategy="cache-mount")).text == before  # not without --unsafe-fixes


@pytest.mark.parametrize(("before", "inserted", "why"), FALLBACK)
def test_fallback_to_the_flag(before: str, inserted: str, why: str) -> None:
    (d,) = [d for d in check(before, MOUNT) if d.code in ("DFX001", "DFX003")]
    assert d.fix is not None and d.fix.applicability == Applicability.SAFE
    assert why in d.notes[0] and "instead" in d.notes[0]
    assert inserted in fix(before, MOUNT).text


@pytest.mark.parametrize("strategy", ["flag", "cache-mount"])
@pytest.mark.parametrize("text", LEFT_ALONE)
def test_a_run_with_a_cache_mount_is_left_alone(text: str, strategy: str) -> None:
    settings = Settings(fix_strategy=strategy, unsafe_fixes=True)
    (d,) = [d for d in check(text, settings) if d.code in ("DFX001", "DFX003")]
    assert d.fix is None
    assert "already has a cache mount" in d.notes[0]
    assert fix(text, settings).text == text


DIRECTIVES = [
    pytest.param("RUN pip install x\n", f"# syntax=docker/dockerfile:1\nRUN {PIP} pip install x\n", id="added"),
    pytest.param(
        "FROM a\r\nRUN uv sync\r\n", f"# syntax=docker/dockerfile:1\r\nFROM a\r\nRUN {UV} uv sync\r\n", id="CRLF file"
    ),
    pytest.param(
        "# escape=`\nRUN pip install x\n",
        f"# syntax=docker/dockerfile:1\n# escape=`\nRUN {PIP} pip install x\n",
        id="before another directive",
    ),
    pytest.param(
        "# syntax=docker/dockerfile:1.7\nRUN pip install x\n",
        f"# syntax=docker/dockerfile:1.7\nRUN {PIP} pip install x\n",
        id="the file's own directive is kept",
    ),
    pytest.param(
        "".join(f"RUN pip install p{i}\n" for i in range(12)),
        "# syntax=docker/dockerfile:1\n" + "".join(f"RUN {PIP} pip install p{i}\n" for i in range(12)),
        id="once for many RUNs, in one round",
    ),
    pytest.param(F + "USER app\nRUN pip install x\n", F + "USER app\nRUN pip install --no-cache-dir x\n", id="not for a flag fix"),
]


@pytest.mark.parametrize(("before", "after"), DIRECTIVES)
def test_add_syntax_directive(before: str, after: str) -> None:
    outcome = fix(before, DIRECTIVE)
    assert outcome.text == after
    assert outcome.rounds == 1
    assert fix(after, DIRECTIVE).text == after


def test_without_add_syntax_directive_the_note_suggests_it() -> None:
    (d,) = [d for d in check("RUN pip install x\n", MOUNT) if d.code == "DFX001"]
    assert "--add-syntax-directive" in d.notes[0]


@pytest.mark.parametrize(
    ("text", "settings", "advice"),
    [
        pytest.param("RUN pip install x\n", MOUNT, "add a BuildKit cache mount for it", id="pip, mount"),
        pytest.param("RUN uv sync\n", MOUNT, "add a BuildKit cache mount for it", id="uv, mount"),
        pytest.param("RUN pip install x\n", Settings(), "add `--no-cache-dir`", id="pip, flag"),
        pytest.param(F + "USER app\nRUN uv sync\n", MOUNT, "add `--no-cache`", id="uv, fell back to the flag"),
    ],
)
def test_the_message_advises_the_fix_it_carries(text: str, settings: Settings, advice: str) -> None:
    (d,) = [d for d in check(text, settings) if d.code in ("DFX001", "DFX003")]
    assert d.message.endswith(advice)


def test_the_flag_strategy_is_the_default() -> None:
    assert fix("RUN pip install x && uv sync\n").text == "RUN pip install --no-cache-dir x && uv sync --no-cache\n"


def _structure(text: str) -> object:
    return structure(analyze(text))


GUARD = [
    pytest.param("RUN x\n", f"RUN {PIP} x\n", True, id="a cache mount added"),
    pytest.param("RUN --network=host x\n", f"RUN --network=host {PIP} {UV} x\n", True, id="two added after a flag"),
    pytest.param("RUN x\n", "RUN x\n", True, id="nothing changed"),
    pytest.param("RUN x\n", "RUN --mount=type=bind,target=/x x\n", False, id="a bind mount added"),
    pytest.param("RUN x\n", "RUN --network=none x\n", False, id="another flag added"),
    pytest.param("RUN --network=host x\n", f"RUN {PIP} x\n", False, id="a flag replaced"),
    pytest.param("RUN --a=1 --b=2 x\n", "RUN --b=2 --a=1 x\n", False, id="flags reordered"),
    pytest.param("COPY x /x\n", f"COPY {PIP} x /x\n", False, id="not on a RUN"),
    pytest.param("RUN x\nRUN y\n", f"RUN {PIP} x y\n", False, id="instructions merged"),
]


@pytest.mark.parametrize(("before", "after", "kept"), GUARD)
def test_structure_guard_allows_only_added_cache_mounts(before: str, after: str, kept: bool) -> None:
    assert keeps_structure(_structure(before), _structure(after)) is kept


def _fix(*edits: Edit) -> Fix:
    return Fix(edits, Applicability.UNSAFE, "")


SELECT = [
    pytest.param([_fix(Edit.insertion(4, "a ")), _fix(Edit.insertion(4, "a "))], 2, id="identical edits are shared"),
    pytest.param([_fix(Edit.insertion(4, "a ")), _fix(Edit.insertion(4, "b "))], 1, id="different insertions at one point"),
    pytest.param(
        [_fix(Edit.insertion(0, "d\n"), Edit.insertion(4, "a ")), _fix(Edit.insertion(0, "d\n"), Edit.insertion(9, "b "))],
        2,
        id="a shared directive does not make its fixes overlap",
    ),
    pytest.param([_fix(Edit.replacement(2, 6, "x")), _fix(Edit.insertion(4, "a "))], 1, id="overlap inside a range"),
]


@pytest.mark.parametrize(("fixes", "kept"), SELECT)
def test_select_fixes(fixes: list[Fix], kept: int) -> None:
    chosen = select_fixes(fixes)
    assert len(chosen) == kept
    assert len(edits_of(chosen)) == len({e for f in chosen for e in f.edits})
