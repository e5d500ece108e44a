"""Wrappers: the commands that run pip (or uv) for you, looked through (issue 19 §3).

``FIX``: (before, after) pairs, ``fix(before).text == after`` exactly: the call inside the
wrapper is found, reported and fixed where it is written.
``NOOP``: no cache finding, ``fix`` changes nothing: the wrapper's environment turns the
cache off, or its cache is mounted, or the words are no pip call.
``REPORTED_WITHOUT_FIX``: DFX001 with no edit (the RUN already has a cache mount).
``NOT_ANALYSED``: DFX000 spans, never an edit: what a wrapper hides until build time.
"""

from __future__ import annotations

import pytest

from dockerfix.core import check, fix

F = "FROM python:3.12\n"
CACHE_CODES = ("DFX001", "DFX003")

FIX = [
    # -- env: any assignment, -i, -u ---------------------------------------------------------
    pytest.param("RUN env FOO=$BAR pip install x\n", "RUN env FOO=$BAR pip install --no-cache-dir x\n", id="env, an assignment from a variable"),
    pytest.param(
        "RUN env -i PATH=$PATH pip install x\n", "RUN env -i PATH=$PATH pip install --no-cache-dir x\n", id="env -i with a PATH"
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env -i PATH=$PATH pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env -i PATH=$PATH pip install --no-cache-dir x\n",
        id="env -i clears the ENV that turned the cache off",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env - pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env - pip install --no-cache-dir x\n",
        id="env - is env -i",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env --ignore-environment pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env --ignore-environment pip install --no-cache-dir x\n",
        id="env --ignore-environment",
    ),
    pytest.param(
        "RUN PIP_NO_CACHE_DIR=1 env -i pip install x\n",
        "RUN PIP_NO_CACHE_DIR=1 env -i pip install --no-cache-dir x\n",
        id="env -i clears an assignment before it",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env -u PIP_NO_CACHE_DIR pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env -u PIP_NO_CACHE_DIR pip install --no-cache-dir x\n",
        id="env -u unsets the ENV",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env --unset=PIP_NO_CACHE_DIR pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN env --unset=PIP_NO_CACHE_DIR pip install --no-cache-dir x\n",
        id="env --unset=NAME",
    ),
    # -- sudo: env_reset, on by default ----------------------------------------------------------
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN sudo pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN sudo pip install --no-cache-dir x\n",
        id="sudo resets the environment: the ENV does not reach pip",
    ),
    pytest.param(
        "RUN PIP_NO_CACHE_DIR=1 sudo pip install x\n",
        "RUN PIP_NO_CACHE_DIR=1 sudo pip install --no-cache-dir x\n",
        id="sudo resets an assignment before it",
    ),
    pytest.param(
        "RUN pip config set global.no-cache-dir true\nRUN su app -c 'pip install x'\n",
        "RUN pip config set global.no-cache-dir true\nRUN su app -c 'pip install --no-cache-dir x'\n",
        id="root's pip config is not app's",
    ),
    # -- conda / mamba / micromamba run ------------------------------------------------------
    pytest.param("RUN conda run -n env pip install x\n", "RUN conda run -n env pip install --no-cache-dir x\n", id="conda run -n"),
    pytest.param(
        "RUN conda run --name env --no-capture-output pip install x\n",
        "RUN conda run --name env --no-capture-output pip install --no-cache-dir x\n",
        id="conda run --name --no-capture-output",
    ),
    pytest.param(
        "RUN conda run -p /opt/env --live-stream --cwd /app python -m pip install x\n",
        "RUN conda run -p /opt/env --live-stream --cwd /app python -m pip install --no-cache-dir x\n",
        id="conda run -p --live-stream --cwd, python -m pip",
    ),
    pytest.param("RUN mamba run -n env pip install x\n", "RUN mamba run -n env pip install --no-cache-dir x\n", id="mamba run"),
    pytest.param(
        "RUN micromamba run -n base -a '' pip install x\n",
        "RUN micromamba run -n base -a '' pip install --no-cache-dir x\n",
        id="micromamba run -a ''",
    ),
    pytest.param(
        "RUN micromamba run -r /opt/conda -p /opt/env pip install x\n",
        "RUN micromamba run -r /opt/conda -p /opt/env pip install --no-cache-dir x\n",
        id="micromamba run -r -p",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN micromamba run --clean-env -n base pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN micromamba run --clean-env -n base pip install --no-cache-dir x\n",
        id="micromamba run --clean-env clears the ENV",
    ),
    pytest.param(
        'RUN ["conda", "run", "-n", "env", "pip", "install", "x"]\n',
        'RUN ["conda", "run", "-n", "env", "pip", "install", "--no-cache-dir", "x"]\n',
        id="conda run in exec form",
    ),
    # -- su / runuser --------------------------------------------------------------------------
    pytest.param('RUN su app -c "pip install x"\n', 'RUN su app -c "pip install --no-cache-dir x"\n', id="su USER -c"),
    pytest.param('RUN su -c "pip install x" app\n', 'RUN su -c "pip install --no-cache-dir x" app\n', id="su -c STRING USER"),
    pytest.param("RUN su -c 'pip install x'\n", "RUN su -c 'pip install --no-cache-dir x'\n", id="su -c, root"),
    pytest.param(
        'RUN su - app -c "pip install x && pip3 install y"\n',
        'RUN su - app -c "pip install --no-cache-dir x && pip3 install --no-cache-dir y"\n',
        id="su - USER -c, two calls",
    ),
    pytest.param(
        F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su - app -c "pip install x"\n',
        F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su - app -c "pip install --no-cache-dir x"\n',
        id="su - clears the ENV",
    ),
    pytest.param(
        F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su -l app -c "pip install x"\n',
        F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su -l app -c "pip install --no-cache-dir x"\n',
        id="su -l clears the ENV",
    ),
    pytest.param(
        "RUN su -s /bin/sh -c 'pip install x' app\n", "RUN su -s /bin/sh -c 'pip install --no-cache-dir x' app\n", id="su -s SHELL"
    ),
    pytest.param(
        "RUN su --command='pip install x' app\n", "RUN su --command='pip install --no-cache-dir x' app\n", id="su --command=STRING"
    ),
    pytest.param(
        "RUN su -ls /bin/bash -c 'pip install x' app\n",
        "RUN su -ls /bin/bash -c 'pip install --no-cache-dir x' app\n",
        id="su -ls SHELL, clustered (a real corpus RUN)",
    ),
    pytest.param('RUN su app -c "pip install \\"x\\""\n', 'RUN su app -c "pip install --no-cache-dir \\"x\\""\n', id="su -c, escaped quotes"),
    pytest.param('RUN ["su", "app", "-c", "pip install x"]\n', 'RUN ["su", "app", "-c", "pip install --no-cache-dir x"]\n', id="su in exec form"),
    pytest.param(
        "RUN runuser -u app -- pip install x\n", "RUN runuser -u app -- pip install --no-cache-dir x\n", id="runuser -u USER --"
    ),
    pytest.param("RUN runuser -u app pip install x\n", "RUN runuser -u app pip install --no-cache-dir x\n", id="runuser -u USER"),
    pytest.param(
        "RUN su app <<EOF\npip install x\nEOF\n", "RUN su app <<EOF\npip install --no-cache-dir x\nEOF\n", id="su USER <<EOF: its shell reads the body"
    ),
    pytest.param(
        "RUN runuser -l app -c 'pip install x'\n", "RUN runuser -l app -c 'pip install --no-cache-dir x'\n", id="runuser -l USER -c"
    ),
    pytest.param(
        "RUN --mount=type=cache,target=/root/.cache/pip su app -c true && pip install x\n",
        "RUN --mount=type=cache,target=/root/.cache/pip su app -c true && pip install x\n",
        id="a mount RUN is left alone (control)",
    ),
    # -- poetry / pipenv / uv run, uvx ---------------------------------------------------------
    pytest.param("RUN poetry run pip install x\n", "RUN poetry run pip install --no-cache-dir x\n", id="poetry run"),
    pytest.param(
        "RUN poetry -C /app run python -m pip install x\n",
        "RUN poetry -C /app run python -m pip install --no-cache-dir x\n",
        id="poetry -C DIR run, python -m pip",
    ),
    pytest.param("RUN pipenv run pip install x\n", "RUN pipenv run pip install --no-cache-dir x\n", id="pipenv run"),
    pytest.param(
        "RUN pipenv run --python 3.12 pip install x\n",
        "RUN pipenv run --python 3.12 pip install --no-cache-dir x\n",
        id="pipenv run --python",
    ),
    pytest.param("RUN uv run pip install x\n", "RUN uv run pip install --no-cache-dir x\n", id="uv run pip"),
    pytest.param("RUN uv run -- pip install x\n", "RUN uv run -- pip install --no-cache-dir x\n", id="uv run -- pip"),
    pytest.param("RUN uv run -m pip install x\n", "RUN uv run -m pip install --no-cache-dir x\n", id="uv run -m pip"),
    pytest.param(
        "RUN conda run -n env bash <<EOF\npip install x\nEOF\n",
        "RUN conda run -n env bash <<EOF\npip install --no-cache-dir x\nEOF\n",
        id="conda run bash <<EOF",
    ),
    pytest.param(
        "ONBUILD RUN conda run -n env pip install x\n", "ONBUILD RUN conda run -n env pip install --no-cache-dir x\n", id="ONBUILD RUN conda run"
    ),
    pytest.param(
        "RUN uv run --with requests python -m pip install x\n",
        "RUN uv run --no-cache --with requests python -m pip install --no-cache-dir x\n",
        id="uv run --with: DFX003 for uv, DFX001 for pip",
    ),
    pytest.param(
        "RUN uvx pip install x\n", "RUN uvx --no-cache pip install --no-cache-dir x\n", id="uvx pip: both caches"
    ),
    # -- uv through the same wrappers ----------------------------------------------------------
    pytest.param("RUN conda run -n env uv pip install x\n", "RUN conda run -n env uv pip install --no-cache x\n", id="uv in conda run"),
    pytest.param('RUN su app -c "uv sync"\n', 'RUN su app -c "uv sync --no-cache"\n', id="uv in su -c"),
    pytest.param("RUN env -i uv pip install x\n", "RUN env -i uv pip install --no-cache x\n", id="uv under env -i"),
    pytest.param(
        F + "ENV UV_NO_CACHE=1\nRUN env -i uv pip install x\n",
        F + "ENV UV_NO_CACHE=1\nRUN env -i uv pip install --no-cache x\n",
        id="uv: env -i clears UV_NO_CACHE",
    ),
    pytest.param("RUN runuser -u app -- uvx ruff\n", "RUN runuser -u app -- uvx --no-cache ruff\n", id="uvx in runuser"),
    # -- other wrappers ------------------------------------------------------------------------
    pytest.param(
        "RUN find /w -name '*.whl' -exec pip install {} \\;\n",
        "RUN find /w -name '*.whl' -exec pip install --no-cache-dir {} \\;\n",
        id="find -exec ;",
    ),
    pytest.param(
        "RUN find /w -name '*.whl' -exec pip3 install {} +\n",
        "RUN find /w -name '*.whl' -exec pip3 install --no-cache-dir {} +\n",
        id="find -exec +",
    ),
    pytest.param(
        'RUN scl enable python33 "pip3.3 install x"\n', 'RUN scl enable python33 "pip3.3 install --no-cache-dir x"\n', id="scl enable 'CMD'"
    ),
    pytest.param(
        "RUN scl enable python33 -- pip install x\n", "RUN scl enable python33 -- pip install --no-cache-dir x\n", id="scl enable -- CMD"
    ),
    pytest.param("RUN sudo -Hu app pip install x\n", "RUN sudo -Hu app pip install --no-cache-dir x\n", id="sudo -Hu USER, clustered"),
    pytest.param(
        "RUN sudo -Hu app /bin/bash -c 'pip install x'\n",
        "RUN sudo -Hu app /bin/bash -c 'pip install --no-cache-dir x'\n",
        id="sudo -Hu USER bash -c (a real corpus RUN)",
    ),
    pytest.param('RUN echo "pip install x" | bash\n', 'RUN echo "pip install --no-cache-dir x" | bash\n', id="echo STRING | bash"),
    pytest.param("RUN echo 'pip install x' | sudo sh\n", "RUN echo 'pip install --no-cache-dir x' | sudo sh\n", id="echo STRING | sudo sh"),
    # -- pip by other names --------------------------------------------------------------------
    pytest.param("RUN pip-3.3 install x\n", "RUN pip-3.3 install --no-cache-dir x\n", id="Debian pip-3.3"),
    pytest.param("RUN pip-2.7 install x\n", "RUN pip-2.7 install --no-cache-dir x\n", id="Debian pip-2.7"),
    pytest.param(
        "RUN python3.4 /usr/bin/pip3 install x\n", "RUN python3.4 /usr/bin/pip3 install --no-cache-dir x\n", id="python runs pip's script"
    ),
    pytest.param("RUN py -3.11 -m pip install x\n", "RUN py -3.11 -m pip install --no-cache-dir x\n", id="the py launcher"),
    # -- command substitution ------------------------------------------------------------------
    pytest.param(
        "RUN MSG=$(./setup.sh && pip install aistore); echo $MSG\n",
        "RUN MSG=$(./setup.sh && pip install --no-cache-dir aistore); echo $MSG\n",
        id="$(...) in an assignment (NVIDIA/NeMo)",
    ),
    pytest.param(
        "RUN INSTALL_MSG=$(/bin/bash /tmp/i.sh && pip install aistore); INSTALL_CODE=$?; \\\n"
        '  if [ ${INSTALL_CODE} -ne 0 ]; then echo "failed"; exit ${INSTALL_CODE}; fi\n',
        "RUN INSTALL_MSG=$(/bin/bash /tmp/i.sh && pip install --no-cache-dir aistore); INSTALL_CODE=$?; \\\n"
        '  if [ ${INSTALL_CODE} -ne 0 ]; then echo "failed"; exit ${INSTALL_CODE}; fi\n',
        id="$(...) with an if after it",
    ),
    pytest.param("RUN MSG=`pip install x`\n", "RUN MSG=`pip install --no-cache-dir x`\n", id="backticks"),
    pytest.param('RUN echo "$(pip install x)"\n', 'RUN echo "$(pip install --no-cache-dir x)"\n', id="$(...) in a string argument"),
    pytest.param("RUN $(pip install x)\n", "RUN $(pip install --no-cache-dir x)\n", id="$(...) as the command name"),
    pytest.param(
        "RUN if $(pip install x); then true; fi\n", "RUN if $(pip install --no-cache-dir x); then true; fi\n", id="$(...) as an if's command"
    ),
    pytest.param(
        "RUN export V=$(pip install x)\n", "RUN export V=$(pip install --no-cache-dir x)\n", id="$(...) in an export"
    ),
    pytest.param(
        "RUN X=$(env -i pip install x)\n", "RUN X=$(env -i pip install --no-cache-dir x)\n", id="a wrapper inside $(...)"
    ),
]

NOOP = [
    pytest.param("RUN env PIP_NO_CACHE_DIR=1 pip install x\n", id="env sets PIP_NO_CACHE_DIR"),
    pytest.param("RUN env -i PIP_NO_CACHE_DIR=1 pip install x\n", id="env -i, then sets PIP_NO_CACHE_DIR"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN env FOO=1 pip install x\n", id="env without -i keeps the ENV"),
    pytest.param("RUN micromamba run -e PIP_NO_CACHE_DIR=1 -n base pip install x\n", id="micromamba run -e NAME=VALUE"),
    pytest.param("RUN sudo PIP_NO_CACHE_DIR=1 pip install x\n", id="sudo NAME=VALUE"),
    pytest.param("RUN pip config set global.no-cache-dir true\nRUN su -c 'pip install x'\n", id="root's pip config, su to root"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN sudo -E pip install x\n", id="sudo -E keeps the ENV"),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN sudo --preserve-env=PIP_NO_CACHE_DIR pip install x\n", id="sudo --preserve-env=NAME"
    ),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip sudo pip install x\n", id="sudo to root: root's home"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN conda run -n env pip install x\n", id="conda run keeps the ENV"),
    pytest.param(F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su app -c "pip install x"\n', id="su without - keeps the ENV"),
    pytest.param(F + 'ENV PIP_NO_CACHE_DIR=1\nRUN su - -w PIP_NO_CACHE_DIR app -c "pip install x"\n', id="su - -w NAME keeps it"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN runuser -u app -- pip install x\n", id="runuser -u keeps the ENV"),
    pytest.param('RUN su app -c "pip install --no-cache-dir x"\n', id="the flag inside su -c"),
    pytest.param("RUN conda run -n env pip install --no-cache-dir x\n", id="the flag inside conda run"),
    pytest.param(
        'RUN --mount=type=cache,target=/home/app/.cache/pip su app -c "pip install x"\n', id="a mount on the user's home cache"
    ),
    pytest.param('RUN --mount=type=cache,target=/root/.cache/pip su -c "pip install x"\n', id="su to root: root's home"),
    pytest.param(
        'RUN --mount=type=cache,target=/root/.cache/pip su -m app -c "pip install x"\n', id="su -m keeps HOME: the mount still covers it"
    ),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip env -i pip install x\n", id="env -i: HOME from root's passwd entry"),
    pytest.param("RUN conda install -y numpy && conda run -n env python -c 'import x'\n", id="conda without pip"),
    pytest.param("RUN su app -c 'echo pip install x'\n", id="su -c, pip only echoed"),
    pytest.param("RUN uv run python -c 'print(1)'\n", id="a plain uv run"),
    pytest.param("RUN echo 'pip install x' > /tmp/notes\n", id="echo into a file"),
    pytest.param("RUN pip-compile requirements.in\n", id="pip-compile is not pip"),
    pytest.param("RUN find . -name '*.pyc' -delete\n", id="find without -exec"),
    pytest.param("RUN command -v pip && pip --version\n", id="command -v"),
]

REPORTED_WITHOUT_FIX = [
    pytest.param('RUN --mount=type=cache,target=/root/.cache/pip su app -c "pip install x"\n', id="su app: HOME is app's, not /root"),
    pytest.param(
        "RUN --mount=type=cache,target=/root/.cache/pip runuser -u app -- pip install x\n", id="runuser -u app: HOME is app's"
    ),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip sudo -u app pip install x\n", id="sudo -u app: HOME is app's"),
    pytest.param("RUN su app -c pip\\ install\\ x\n", id="su -c, an unquoted string: an edit would split it"),
    pytest.param(
        'RUN --mount=type=cache,target=/root/.cache/pip su $U -c "pip install x"\n', id="su $U: a user from a variable, home unknown"
    ),
]

NOT_ANALYSED = [
    pytest.param("RUN $RUNNER pip install x\n", ["$RUNNER pip install"], id="a runner from a variable"),
    pytest.param("RUN env $OPTS pip install x\n", ["$OPTS pip install"], id="env with options from a variable"),
    pytest.param("RUN su app -c $'pip install x'\n", ["$'pip install x'"], id="su -c $'...'"),
    pytest.param("RUN echo pip install x | sh\n", ["echo pip install x"], id="echo WORDS | sh"),
    pytest.param("RUN %PYTHON% -m pip install x\n", ["%PYTHON% -m pip install"], id="cmd's %VAR% program"),
    pytest.param("RUN ${PY_BIN} -m pip install x\n", ["${PY_BIN} -m pip install"], id="${PY_BIN} -m pip"),
    pytest.param(
        'SHELL ["powershell", "-Command"]\nRUN pip-3.3 install x\n', ["pip-3.3 install"], id="pip-3.3 under a non-POSIX SHELL"
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    text = before if before.startswith("FROM") else F + before
    expected = after if after.startswith("FROM") else F + after
    assert fix(text).text == expected
    assert [d for d in check(expected) if d.code in CACHE_CODES and d.fix is not None] == []


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    text = text if text.startswith("FROM") else F + text
    assert [d for d in check(text) if d.code in (*CACHE_CODES, "DFX000")] == []
    assert fix(text).text == text


@pytest.mark.parametrize("text", REPORTED_WITHOUT_FIX)
def test_reported_without_fix(text: str) -> None:
    text = F + text
    found = [d for d in check(text) if d.code == "DFX001"]
    assert len(found) == 1
    assert found[0].fix is None
    assert fix(text).text == text


@pytest.mark.parametrize(("text", "spans"), NOT_ANALYSED)
def test_not_analysed(text: str, spans: list[str]) -> None:
    text = F + text
    found = check(text)
    assert [text[d.start : d.end] for d in found if d.code == "DFX000"] == spans
    assert [d for d in found if d.code in CACHE_CODES] == []
    assert fix(text).text == text
