"""DFX003 uv-no-cache, case by case.

``NOOP``: Dockerfiles with no DFX003 finding, which ``fix`` leaves alone.
``FIX``: (before, after) pairs, ``fix(before).text == after`` exactly.
"""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix

F = "FROM python:3.12\n"

NOOP = [
    # -- the cache is already off: uv's own options (global: before or after the subcommand) --
    pytest.param("RUN uv pip install --no-cache x\n", id="flag after install"),
    pytest.param("RUN uv pip install x --no-cache\n", id="flag after the packages"),
    pytest.param("RUN uv --no-cache pip install x\n", id="flag before the command"),
    pytest.param("RUN uv pip --no-cache install x\n", id="flag between command and subcommand"),
    pytest.param("RUN uv pip install --no-cache-dir x\n", id="alias --no-cache-dir"),
    pytest.param("RUN uv pip install -n x\n", id="short -n"),
    pytest.param("RUN uv -n sync\n", id="short -n before the command"),
    pytest.param("RUN uv pip install -qn x\n", id="-n in a cluster"),
    pytest.param("RUN uv sync --frozen --no-cache\n", id="uv sync --no-cache"),
    pytest.param("RUN uvx --no-cache ruff check\n", id="uvx --no-cache"),
    pytest.param("RUN uv tool install --no-cache ruff\n", id="uv tool install --no-cache"),
    pytest.param("RUN uv run --no-cache --with rich python x.py\n", id="uv run --with --no-cache"),
    pytest.param('RUN ["uv", "sync", "--no-cache"]\n', id="flag in exec form"),
    # -- uv's precedence: no-cache wins over any cache dir, in any order (Cache::from_settings
    # in crates/uv-cache/src/cli.rs, CacheSettings::resolve in crates/uv/src/settings.rs) --
    pytest.param("RUN uv pip install --cache-dir /c --no-cache x\n", id="--no-cache after --cache-dir"),
    pytest.param("RUN uv pip install --no-cache --cache-dir /c x\n", id="--no-cache before --cache-dir"),
    pytest.param("RUN uv --no-cache pip install --cache-dir=/c x\n", id="global --no-cache, later --cache-dir="),
    pytest.param("FROM python:3.12\nENV UV_NO_CACHE=1\nRUN uv pip install --cache-dir /c x\n", id="UV_NO_CACHE beats --cache-dir"),
    pytest.param("FROM python:3.12\nENV UV_CACHE_DIR=/c UV_NO_CACHE=1\nRUN uv sync\n", id="UV_NO_CACHE beats UV_CACHE_DIR"),
    pytest.param("RUN UV_CACHE_DIR=/c uv sync --no-cache\n", id="--no-cache beats UV_CACHE_DIR"),
    pytest.param("RUN sh -c 'uv sync --no-cache'\n", id="flag inside sh -c"),
    # -- UV_NO_CACHE: only the values clap's BoolishValueParser reads as true ---------------
    pytest.param(F + "ENV UV_NO_CACHE=1\nRUN uv sync\n", id="ENV 1"),
    pytest.param(F + "ENV UV_NO_CACHE=true\nRUN uv sync\n", id="ENV true"),
    pytest.param(F + "ENV UV_NO_CACHE=TRUE\nRUN uv sync\n", id="ENV TRUE"),
    pytest.param(F + "ENV UV_NO_CACHE=yes\nRUN uv sync\n", id="ENV yes"),
    pytest.param(F + "ENV UV_NO_CACHE=On\nRUN uv sync\n", id="ENV On"),
    pytest.param(F + "ENV UV_NO_CACHE=y\nRUN uv sync\n", id="ENV y"),
    pytest.param(F + "ENV UV_NO_CACHE=t\nRUN uv sync\n", id="ENV t"),
    pytest.param(F + "ENV UV_NO_CACHE 1\nRUN uv sync\n", id="ENV K V legacy"),
    pytest.param(F + "ARG X\nENV UV_NO_CACHE=$X\nRUN uv sync\n", id="ENV value known at build time"),
    pytest.param(F + "ARG UV_NO_CACHE=1\nRUN uv sync\n", id="ARG with a value"),
    pytest.param(
        "FROM python:3.12 AS base\nENV UV_NO_CACHE=1\nFROM base\nRUN uv pip install x\n", id="ENV in an ancestor stage"
    ),
    pytest.param("RUN UV_NO_CACHE=1 uv sync\n", id="inline assignment"),
    pytest.param("RUN env UV_NO_CACHE=1 uv sync\n", id="env VAR=1"),
    pytest.param("RUN export UV_NO_CACHE=1 && uv sync && uvx ruff\n", id="export earlier in the script"),
    # -- a cache or tmpfs mount on uv's cache dir --------------------------------------------
    pytest.param("RUN --mount=type=cache,target=/root/.cache/uv uv sync\n", id="cache mount (uv's Docker guide)"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache uv sync\n", id="cache mount on the parent"),
    pytest.param("RUN --mount=type=tmpfs,target=/root/.cache/uv uv sync\n", id="tmpfs mount"),
    pytest.param(
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
        "    uv sync --locked --no-install-project\n",
        id="uv's Docker guide, intermediate layers",
    ),
    pytest.param(F + "ENV UV_CACHE_DIR=/opt/uv-cache/\nRUN --mount=type=cache,target=/opt/uv-cache uv sync\n", id="UV_CACHE_DIR"),
    pytest.param(F + "ENV XDG_CACHE_HOME=/xc\nRUN --mount=type=cache,target=/xc/uv uv sync\n", id="XDG_CACHE_HOME"),
    pytest.param("RUN --mount=type=cache,target=/c uv --cache-dir /c sync\n", id="--cache-dir"),
    pytest.param("RUN --mount=type=cache,target=/c uv sync --cache-dir=/c\n", id="--cache-dir="),
    pytest.param(F + "USER app\nRUN --mount=type=cache,target=/home/app/.cache/uv uv sync\n", id="USER's home"),
    # -- the cache is emptied before the layer is written -------------------------------------
    pytest.param("RUN uv pip install x && uv cache clean\n", id="uv cache clean afterwards"),
    pytest.param("RUN uv sync --frozen; \\\n    uv cache clean\n", id="uv cache clean on a continuation line"),
    pytest.param("RUN uv sync && rm -rf /root/.cache/uv\n", id="rm -rf /root/.cache/uv afterwards"),
    pytest.param("RUN uv pip install x && rm -rf ~/.cache\n", id="rm -rf ~/.cache afterwards"),
    pytest.param("RUN uv sync --cache-dir /c && rm -rf /c\n", id="rm -rf the --cache-dir afterwards"),
    pytest.param("RUN uv sync --cache-dir /c && uv cache clean --cache-dir /c\n", id="uv cache clean of the same --cache-dir"),
    pytest.param("RUN uv sync || true; uv cache clean\n", id="uv cache clean after || true;"),
    # -- commands that do not put packages into the cache --------------------------------------
    pytest.param("RUN uv lock\n", id="uv lock resolves only"),
    pytest.param("RUN uv pip compile requirements.in -o requirements.txt\n", id="uv pip compile"),
    pytest.param("RUN uv export --frozen > requirements.txt\n", id="uv export"),
    pytest.param("RUN uv venv /opt/venv\n", id="uv venv"),
    pytest.param("RUN uv python install 3.12\n", id="uv python install"),
    pytest.param("RUN uv run python manage.py collectstatic\n", id="plain uv run"),
    pytest.param("RUN uv add --no-sync requests\n", id="uv add --no-sync"),
    pytest.param("RUN uv pip uninstall x\n", id="uv pip uninstall"),
    pytest.param("RUN uv pip list\n", id="uv pip list"),
    pytest.param("RUN uv cache clean\n", id="uv cache clean"),
    pytest.param("RUN uv --version\n", id="uv --version"),
    pytest.param("RUN uv $CMD install x\n", id="command from a variable"),
    # -- not uv at all ----------------------------------------------------------------------------
    pytest.param("RUN echo uv sync\n", id="argument of echo"),
    pytest.param('RUN echo "uv pip install x"\n', id="quoted"),
    pytest.param("RUN uvicorn app:app\n", id="uvicorn"),
    pytest.param("RUN pip install --no-cache-dir uv\n", id="installing uv with pip"),
    pytest.param("# uv sync\nRUN echo\n", id="comment"),
    pytest.param('CMD ["uv", "run", "--with", "x", "app"]\n', id="CMD is run time"),
    # -- suppressions ------------------------------------------------------------------------------
    pytest.param("# dockerfix: ignore=DFX003\nRUN uv sync\n", id="dockerfix ignore=DFX003"),
    pytest.param("# dockerfix: file-ignore=DFX003\nRUN uv sync\nRUN uvx ruff\n", id="file-ignore"),
]

FIX = [
    # -- the commands that fill the cache ------------------------------------------------------
    pytest.param("RUN uv pip install x\n", "RUN uv pip install --no-cache x\n", id="uv pip install"),
    pytest.param("RUN uv pip install --system -r r.txt\n", "RUN uv pip install --no-cache --system -r r.txt\n", id="--system -r"),
    pytest.param("RUN uv pip sync requirements.txt\n", "RUN uv pip sync --no-cache requirements.txt\n", id="uv pip sync"),
    pytest.param("RUN uv sync\n", "RUN uv sync --no-cache\n", id="uv sync"),
    pytest.param("RUN uv sync --frozen --no-dev\n", "RUN uv sync --no-cache --frozen --no-dev\n", id="uv sync with options"),
    pytest.param("RUN uv add requests\n", "RUN uv add --no-cache requests\n", id="uv add"),
    pytest.param("RUN uv tool install ruff\n", "RUN uv tool install --no-cache ruff\n", id="uv tool install"),
    pytest.param("RUN uv tool run ruff check\n", "RUN uv tool run --no-cache ruff check\n", id="uv tool run"),
    pytest.param("RUN uvx ruff check\n", "RUN uvx --no-cache ruff check\n", id="uvx: after the program"),
    pytest.param(
        "RUN uv run --with rich python x.py\n", "RUN uv run --no-cache --with rich python x.py\n", id="uv run --with"
    ),
    pytest.param("RUN uv --directory /app sync\n", "RUN uv --directory /app sync --no-cache\n", id="global option first"),
    pytest.param("RUN uv -q pip install x\n", "RUN uv -q pip install --no-cache x\n", id="-q is not -n"),
    pytest.param("RUN python -m uv pip install x\n", "RUN python -m uv pip install --no-cache x\n", id="python -m uv"),
    pytest.param("RUN /usr/local/bin/uv sync\n", "RUN /usr/local/bin/uv sync --no-cache\n", id="uv by path"),
    # -- wrappers and places, as for pip ----------------------------------------------------------
    pytest.param("RUN sudo -H uv pip install x\n", "RUN sudo -H uv pip install --no-cache x\n", id="sudo"),
    pytest.param("RUN env A=1 uv sync\n", "RUN env A=1 uv sync --no-cache\n", id="env"),
    pytest.param("RUN cd /app && uv sync\n", "RUN cd /app && uv sync --no-cache\n", id="after &&"),
    pytest.param('RUN ["uv", "sync"]\n', 'RUN ["uv", "sync", "--no-cache"]\n', id="exec form"),
    pytest.param('RUN ["uv","pip","install","x"]\n', 'RUN ["uv","pip","install","--no-cache","x"]\n', id="exec form, no spaces"),
    pytest.param("RUN sh -c 'uv sync'\n", "RUN sh -c 'uv sync --no-cache'\n", id="sh -c"),
    pytest.param('RUN ["sh", "-c", "uv sync"]\n', 'RUN ["sh", "-c", "uv sync --no-cache"]\n', id="exec form sh -c"),
    pytest.param("RUN <<EOF\nset -e\nuv sync\nEOF\n", "RUN <<EOF\nset -e\nuv sync --no-cache\nEOF\n", id="heredoc"),
    pytest.param("ONBUILD RUN uv sync\n", "ONBUILD RUN uv sync --no-cache\n", id="ONBUILD"),
    pytest.param("RUN uv pip \\\n    install x\n", "RUN uv pip \\\n    install --no-cache x\n", id="continuation"),
    pytest.param("RUN uv sy\\\nnc\n", "RUN uv sy\\\nnc --no-cache\n", id="subcommand split by a continuation"),
    pytest.param("FROM a\r\nRUN uv sync\r\n", "FROM a\r\nRUN uv sync --no-cache\r\n", id="CRLF"),
    pytest.param(
        "RUN pip install uv && uv pip install x\n",
        "RUN pip install --no-cache-dir uv && uv pip install --no-cache x\n",
        id="with DFX001 in one RUN",
    ),
    # -- near misses: none of these turns uv's cache off ---------------------------------------
    pytest.param(F + "ENV UV_NO_CACHE=0\nRUN uv sync\n", F + "ENV UV_NO_CACHE=0\nRUN uv sync --no-cache\n", id="ENV 0"),
    pytest.param(F + "ENV UV_NO_CACHE=false\nRUN uv sync\n", F + "ENV UV_NO_CACHE=false\nRUN uv sync --no-cache\n", id="ENV false"),
    pytest.param(F + "ENV UV_NO_CACHE=no\nRUN uv sync\n", F + "ENV UV_NO_CACHE=no\nRUN uv sync --no-cache\n", id="ENV no"),
    pytest.param(F + "ENV UV_NO_CACHE=\nRUN uv sync\n", F + "ENV UV_NO_CACHE=\nRUN uv sync --no-cache\n", id="ENV empty"),
    pytest.param(
        F + "ENV UV_LINK_MODE=copy\nRUN uv sync\n", F + "ENV UV_LINK_MODE=copy\nRUN uv sync --no-cache\n", id="UV_LINK_MODE"
    ),
    pytest.param(
        F + "ENV UV_COMPILE_BYTECODE=1\nRUN uv sync\n",
        F + "ENV UV_COMPILE_BYTECODE=1\nRUN uv sync --no-cache\n",
        id="UV_COMPILE_BYTECODE",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN uv pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN uv pip install --no-cache x\n",
        id="pip's variable",
    ),
    pytest.param(
        F + "ARG UV_NO_CACHE\nRUN uv sync\n", F + "ARG UV_NO_CACHE\nRUN uv sync --no-cache\n", id="ARG without a value"
    ),
    pytest.param(
        F + "RUN export UV_NO_CACHE=1\nRUN uv sync\n",
        F + "RUN export UV_NO_CACHE=1\nRUN uv sync --no-cache\n",
        id="export in an earlier RUN",
    ),
    pytest.param(
        "RUN uv sync --no-cache && uvx ruff\n",
        "RUN uv sync --no-cache && uvx --no-cache ruff\n",
        id="flag in another uv call",
    ),
    pytest.param("RUN uv pip install --no-cach x\n", "RUN uv pip install --no-cache --no-cach x\n", id="no abbreviations"),
    pytest.param(
        "RUN uv run --with x python s.py -n\n",
        "RUN uv run --no-cache --with x python s.py -n\n",
        id="-n of the command uv run runs",
    ),
    pytest.param("RUN uvx ruff -n\n", "RUN uvx --no-cache ruff -n\n", id="-n of the tool uvx runs"),
    pytest.param("RUN uv pip install -- -n\n", "RUN uv pip install --no-cache -- -n\n", id="-n after --"),
    pytest.param(
        "RUN UV_NO_CACHE=0 uv pip install --cache-dir /c x\n",
        "RUN UV_NO_CACHE=0 uv pip install --no-cache --cache-dir /c x\n",
        id="--no-cache before --cache-dir: uv heeds it in any order",
    ),
    pytest.param("RUN uv sync || uv cache clean\n", "RUN uv sync --no-cache || uv cache clean\n", id="|| uv cache clean"),
    pytest.param(
        "RUN uv sync && if [ -n \"$C\" ]; then uv cache clean; fi\n",
        "RUN uv sync --no-cache && if [ -n \"$C\" ]; then uv cache clean; fi\n",
        id="uv cache clean in a branch",
    ),
    pytest.param(
        "RUN uv sync --cache-dir /c && uv cache clean\n",
        "RUN uv sync --no-cache --cache-dir /c && uv cache clean\n",
        id="uv cache clean of another cache dir",
    ),
    pytest.param(
        "RUN uv sync && rm -rf ~/.cache/pip\n", "RUN uv sync --no-cache && rm -rf ~/.cache/pip\n", id="rm of pip's cache"
    ),
    pytest.param(
        "RUN uv sync && uv cache clean &\n", "RUN uv sync --no-cache && uv cache clean &\n", id="uv cache clean in the background"
    ),
    pytest.param(
        "RUN uv cache clean && uv sync\n", "RUN uv cache clean && uv sync --no-cache\n", id="uv cache clean before"
    ),
    pytest.param(
        "RUN uv sync && uv cache clean ruff\n",
        "RUN uv sync --no-cache && uv cache clean ruff\n",
        id="uv cache clean of one package",
    ),
    pytest.param(
        "RUN --mount=type=bind,target=/root/.cache/uv uv sync\n",
        "RUN --mount=type=bind,target=/root/.cache/uv uv sync --no-cache\n",
        id="bind mount on the cache dir",
    ),
    pytest.param(
        "# hadolint ignore=DL3042\nRUN uv sync\n", "# hadolint ignore=DL3042\nRUN uv sync --no-cache\n", id="DL3042 is pip's"
    ),
]


def _dfx003(text: str) -> list:
    return [d for d in check(text) if d.code == "DFX003"]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx003(text) == []
    assert fix(text).text == text


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before).text == after
    assert [d for d in _dfx003(after) if d.fix is not None] == []
    assert fix(after).text == after


SPANS = [
    pytest.param("RUN uv pip install x\n", ["uv pip install"], id="uv pip install"),
    pytest.param("RUN uv --directory /app sync\n", ["uv --directory /app sync"], id="global option inside"),
    pytest.param("RUN uvx ruff\n", ["uvx"], id="uvx"),
    pytest.param("RUN sudo python3 -m uv sync\n", ["python3 -m uv sync"], id="python -m uv"),
    pytest.param('RUN ["uv", "sync"]\n', ['"uv", "sync"'], id="exec form"),
]


@pytest.mark.parametrize(("text", "spans"), SPANS)
def test_span(text: str, spans: list[str]) -> None:
    assert [text[d.start : d.end] for d in _dfx003(text)] == spans


def test_message_names_the_command() -> None:
    (d,) = _dfx003("RUN uv tool install ruff\n")
    assert d.message.startswith("`uv tool install` keeps uv's cache")


def test_flag_with_a_value_is_reported_without_a_fix() -> None:
    # clap rejects a value on a flag (`--no-cache=1`): no exemption, and no insertion either.
    (d,) = _dfx003("RUN uv sync --no-cache=1\n")
    assert d.fix is None
    assert "takes no value" in d.notes[0]
