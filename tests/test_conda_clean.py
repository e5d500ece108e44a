"""DFX006 conda-clean, case by case (facts: conda/base/context.py, conda/cli/main_clean.py)."""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix
from dockerfix.settings import Settings

F = "FROM continuumio/miniconda3\n"
UNSAFE = Settings(unsafe_fixes=True)
MOUNT = Settings(fix_strategy="cache-mount", unsafe_fixes=True)

NOOP = [
    pytest.param("RUN conda install -y numpy && conda clean -afy\n", id="conda clean -afy"),
    pytest.param("RUN conda install -y numpy; conda clean --all --yes\n", id="--all after ;"),
    pytest.param("RUN conda install -y numpy && conda clean -tipsy\n", id="the old -tipsy"),
    pytest.param("RUN mamba install -y numpy && mamba clean -afy\n", id="mamba"),
    pytest.param("RUN micromamba install -y -n base numpy && micromamba clean --all --yes\n", id="micromamba"),
    pytest.param("RUN conda install -y numpy && rm -rf /opt/conda/pkgs\n", id="rm -rf the package cache"),
    pytest.param("RUN mamba install -y x && rm -rf /opt/mambaforge/pkgs/*\n", id="rm -rf of a usual root"),
    pytest.param(F + "ENV CONDA_DIR=/c\nRUN conda install -y x && rm -rf $CONDA_DIR/pkgs\n", id="rm under CONDA_DIR"),
    pytest.param("RUN --mount=type=cache,target=/opt/conda/pkgs conda install -y numpy\n", id="cache mount"),
    pytest.param("RUN --mount=type=cache,target=/srv/x/pkgs conda install -y numpy\n", id="mount on any pkgs"),
    pytest.param(F + "ENV CONDA_PKGS_DIRS=/p\nRUN --mount=type=cache,target=/p conda install x\n", id="CONDA_PKGS_DIRS mounted"),
    pytest.param("RUN conda install --dry-run numpy\n", id="--dry-run"),
    pytest.param("RUN conda run -n env pip install --no-cache-dir x\n", id="conda run is a wrapper"),
    pytest.param("RUN conda config --add channels conda-forge\n", id="config"),
    pytest.param("# dockerfix: ignore=DFX006\nRUN conda install -y x\n", id="suppressed"),
]

REPORTED = [
    pytest.param("RUN conda install -y numpy\nRUN conda clean -afy\n", id="a cleaning in a later RUN"),
    pytest.param("RUN conda install -y numpy || conda clean -afy\n", id="after ||"),
    pytest.param("RUN conda install -y x && conda clean -i\n", id="index cache only"),
    pytest.param("RUN conda env create -f environment.yml\n", id="env create"),
    pytest.param("RUN conda env update -n base -f environment.yml\n", id="env update"),
    pytest.param("RUN conda create -n py python=3.12\n", id="create"),
    pytest.param("RUN python -m conda install x\n", id="python -m conda"),
    pytest.param("RUN sh -c 'conda install -y x'\n", id="sh -c"),
    pytest.param('RUN ["conda", "install", "-y", "x"]\n', id="exec form"),
]

FIX = [
    pytest.param("RUN conda install -y numpy\n", "RUN conda install -y numpy && conda clean -afy\n", id="append"),
    pytest.param(
        "RUN conda install -y numpy && \\\n    python -c 'import numpy'\n",
        "RUN conda install -y numpy && \\\n    python -c 'import numpy' && conda clean -afy\n",
        id="after the last command",
    ),
    pytest.param("RUN mamba install -y x; echo ok\n", "RUN mamba install -y x; echo ok && mamba clean -afy\n", id="mamba"),
    pytest.param(
        "RUN micromamba install -y -n base x\n", "RUN micromamba install -y -n base x && micromamba clean --all --yes\n", id="micromamba"
    ),
    pytest.param(
        "RUN /opt/conda/bin/conda install -y x\n", "RUN /opt/conda/bin/conda install -y x && /opt/conda/bin/conda clean -afy\n", id="program as written"
    ),
]

NO_FIX = [
    pytest.param("RUN if true; then conda install -y x; fi\n", id="in a branch"),
    pytest.param("RUN conda install -y x || true\n", id="after ||"),
    pytest.param("RUN conda install -y x && echo done > /log\n", id="the last command has a redirection"),
    pytest.param("RUN sh -c 'conda install -y x'\n", id="inside sh -c"),
    pytest.param('RUN ["conda", "install", "-y", "x"]\n', id="exec form"),
    pytest.param("RUN <<EOF\nconda install -y x\nEOF\n", id="heredoc"),
    pytest.param('RUN ["bash", "-c", "conda install -y x"]\n', id="the script of an exec-form shell"),
    pytest.param("RUN conda install -y x; echo $(date)\n", id="the last command holds a $( )"),
]


def _dfx006(text: str, settings: Settings = Settings()) -> list:
    return [d for d in check(text, settings) if d.code == "DFX006"]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx006(text) == []


@pytest.mark.parametrize("text", REPORTED)
def test_reported(text: str) -> None:
    assert len(_dfx006(text)) == 1


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before).text == before  # unsafe: only with --unsafe-fixes
    assert fix(before, UNSAFE).text == after
    assert _dfx006(after) == []


@pytest.mark.parametrize("text", NO_FIX)
def test_no_fix_where_the_cleaning_may_not_run(text: str) -> None:
    (d,) = _dfx006(text)
    assert d.fix is None and d.notes[-1].startswith("no automatic fix")


def test_cache_mount_strategy_where_the_cache_is_named() -> None:
    text = "FROM mambaorg/micromamba\nENV MAMBA_ROOT_PREFIX=/opt/conda\nRUN micromamba install -y x\n"
    assert fix(text, MOUNT).text == text.replace("RUN ", "RUN --mount=type=cache,target=/opt/conda/pkgs ")


def test_cache_mount_strategy_falls_back_to_the_cleaning() -> None:
    assert fix("RUN conda install -y x\n", MOUNT).text == "RUN conda install -y x && conda clean -afy\n"
