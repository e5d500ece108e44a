"""DFX001 pip-no-cache-dir, case by case (SPEC sections 2, 3 and 6).

``NOOP``: Dockerfiles with no DFX001 finding, which ``fix`` leaves alone.
``FIX``: (before, after) pairs, ``fix(before).text == after`` exactly.
"""

from __future__ import annotations

import json

import pytest

from dockerfix.core import check, fix
from dockerfix.parse.source import Source

F = "FROM python:3.12\n"

NOOP = [
    # -- the cache is already off: the flag in the call's own argv -----------------------
    pytest.param("RUN pip install --no-cache-dir x\n", id="flag after install"),
    pytest.param("RUN pip install x --no-cache-dir\n", id="flag after the packages"),
    pytest.param("RUN pip --no-cache-dir install x\n", id="flag before install"),
    pytest.param("RUN pip install --no-cache x\n", id="abbreviation --no-cache"),
    pytest.param("RUN pip install --no-cache-d x\n", id="abbreviation --no-cache-d"),
    pytest.param("RUN python -m pip install --no-cache-dir x\n", id="flag with python -m pip"),
    pytest.param('RUN ["pip", "install", "--no-cache-dir", "x"]\n', id="flag in exec form"),
    pytest.param("RUN sh -c 'pip install --no-cache-dir x'\n", id="flag inside sh -c"),
    # -- PIP_NO_CACHE_DIR: ENV, both syntaxes, any boolean pip accepts ------------------
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n", id="ENV K=V"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR 1\nRUN pip install x\n", id="ENV K V legacy"),
    pytest.param(F + "ENV A=b PIP_NO_CACHE_DIR=on C=d\nRUN pip install x\n", id="ENV several pairs"),
    pytest.param(F + 'ENV PIP_NO_CACHE_DIR="true"\nRUN pip install x\n', id="ENV quoted value"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=0\nRUN pip install x\n", id="ENV value 0"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=true\nRUN pip install x\n", id="ENV value true"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=false\nRUN pip install x\n", id="ENV value false"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=yes\nRUN pip install x\n", id="ENV value yes"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=no\nRUN pip install x\n", id="ENV value no"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=on\nRUN pip install x\n", id="ENV value on"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=off\nRUN pip install x\n", id="ENV value off"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=Y\nRUN pip install x\n", id="ENV value Y"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=N\nRUN pip install x\n", id="ENV value N"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=T\nRUN pip install x\n", id="ENV value T"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=F\nRUN pip install x\n", id="ENV value F"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=TRUE\nRUN pip install x\n", id="ENV value TRUE"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=Off\nRUN pip install x\n", id="ENV value Off"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=nO\nRUN pip install x\n", id="ENV value nO"),
    pytest.param(
        "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base AS b2\nRUN pip install x\n",
        id="ENV in an ancestor stage",
    ),
    pytest.param(
        "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base AS b2\nFROM b2\nRUN pip install x\n",
        id="ENV in a grandparent stage",
    ),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install x\nRUN pip3 install y\n", id="ENV covers every later RUN"),
    # -- PIP_NO_CACHE_DIR: ARG with a value, per call, export -----------------------------
    pytest.param(F + "ARG PIP_NO_CACHE_DIR=1\nRUN pip install x\n", id="ARG with a value"),
    pytest.param("RUN PIP_NO_CACHE_DIR=1 pip install x\n", id="inline assignment"),
    pytest.param(
        "RUN env PIP_NO_CACHE_DIR=1 pip install x\n",
        id="env VAR=1",
    ),
    pytest.param(
        "RUN sudo PIP_NO_CACHE_DIR=1 pip install x\n",
        id="sudo VAR=1",
    ),
    pytest.param(
        "RUN --mount=type=cache,target=/c env PIP_CACHE_DIR=/c pip install x\n",
        id="cache mount on env PIP_CACHE_DIR=",
    ),
    pytest.param("RUN --mount=type=cache,target=/c PIP_CACHE_DIR=/c pip install x\n", id="cache mount on inline PIP_CACHE_DIR="),
    pytest.param(
        "ARG PIP_NO_CACHE_DIR=1\nFROM python:3.12\nARG PIP_NO_CACHE_DIR\nRUN pip install x\n",
        id="global ARG re-declared in the stage",
    ),
    pytest.param("RUN export PIP_NO_CACHE_DIR=1 && pip install x\n", id="export earlier in the script"),
    pytest.param("RUN export PIP_NO_CACHE_DIR=1; pip install x; pip install y\n", id="export covers later calls"),
    # -- pip's precedence: the command line left to right, then env, then config ---------
    # (pip/_internal/cli/parser.py ConfigOptionParser, cmdoptions.py _handle_no_cache_dir)
    pytest.param("RUN pip install --cache-dir=/c --no-cache-dir x\n", id="--no-cache-dir after --cache-dir"),
    pytest.param("RUN pip install --cache-dir /c x --no-cache-dir\n", id="--no-cache-dir last, after the packages"),
    pytest.param("RUN pip --cache-dir /c install --no-cache-dir x\n", id="--cache-dir before install, flag after"),
    pytest.param("RUN pip install --cache-dir /c --no-cache x\n", id="later abbreviation --no-cache"),
    pytest.param('RUN pip install --cache-dir "" x\n', id="--cache-dir empty: pip uses no cache"),
    pytest.param("RUN pip install --cache-dir= x\n", id="--cache-dir= empty"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1 PIP_CACHE_DIR=/c\nRUN pip install x\n", id="env no-cache-dir beats env cache-dir"),
    pytest.param(F + "ENV PIP_CACHE_DIR=/c\nRUN PIP_NO_CACHE_DIR=1 pip install x\n", id="env cache-dir then inline no-cache-dir"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --isol x\n", id="--isol sets the option but does not isolate"),
    pytest.param(F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --isolated --no-cache-dir x\n", id="--isolated with the flag"),
    pytest.param(F + "ENV PIP_no_cache_dir=1\nRUN pip install x\n", id="env name read lower-cased"),
    # -- the cache is emptied later in the same RUN, on a path that surely runs -----------
    pytest.param("RUN pip install x && pip cache purge\n", id="&& pip cache purge"),
    pytest.param("RUN pip install x; pip cache purge\n", id="; pip cache purge"),
    pytest.param("RUN pip install x\\\n && python -m pip cache purge\n", id="python -m pip cache purge"),
    pytest.param("RUN pip install x && pip cache remove '*'\n", id="pip cache remove '*'"),
    pytest.param('RUN pip install x && pip cache remove "*"\n', id='pip cache remove "*"'),
    pytest.param("RUN pip install x && rm -rf /root/.cache/pip\n", id="rm -rf /root/.cache/pip"),
    pytest.param("RUN pip install x && rm -rf /root/.cache\n", id="rm -rf /root/.cache"),
    pytest.param("RUN pip install x && rm -rf /root/.cache/pip/\n", id="rm -rf trailing slash"),
    pytest.param("RUN pip install x && rm -fr ~/.cache\n", id="rm -fr ~/.cache"),
    pytest.param("RUN pip install x && rm -r -f ~/.cache/pip\n", id="rm -r -f"),
    pytest.param("RUN pip install x && rm --recursive --force ~/.cache/pip\n", id="rm --recursive --force"),
    pytest.param("RUN pip install x && rm -Rf $HOME/.cache/pip\n", id="rm -Rf $HOME/.cache/pip"),
    pytest.param('RUN pip install x && rm -rf "${HOME}/.cache"\n', id="rm -rf quoted ${HOME}/.cache"),
    pytest.param("RUN pip install x && rm -rf /tmp/* /root/.cache/pip\n", id="rm -rf among other operands"),
    pytest.param("RUN pip install x && rm -rf -- /root/.cache\n", id="rm -rf --"),
    pytest.param("RUN pip install x && rm -rf /root/.cache/*\n", id="rm -rf /root/.cache/*"),
    pytest.param("RUN pip install x && rm -rf /root/.cache/pip/*\n", id="rm -rf the cache's contents"),
    pytest.param("RUN pip install x && sudo rm -rf /root/.cache\n", id="sudo rm -rf"),
    pytest.param(F + "ENV PIP_CACHE_DIR=/pc\nRUN pip install x && rm -rf $PIP_CACHE_DIR\n", id="rm -rf $PIP_CACHE_DIR"),
    pytest.param(F + "ENV PIP_CACHE_DIR=/pc\nRUN pip install x && rm -rf /pc\n", id="rm -rf PIP_CACHE_DIR's value"),
    pytest.param(
        "ARG PIP_CACHE_DIR\nFROM python:3.12\nARG PIP_CACHE_DIR\nRUN pip install x && rm -rf ${PIP_CACHE_DIR}\n",
        id="rm -rf ${PIP_CACHE_DIR} of a build argument",
    ),
    pytest.param("RUN pip install --cache-dir /c x && rm -rf /c\n", id="rm -rf the --cache-dir"),
    pytest.param(F + "USER app\nRUN pip install x && rm -rf /home/app/.cache\n", id="rm -rf USER's cache"),
    pytest.param("RUN pip install x && apt-get clean && rm -rf /root/.cache\n", id="&&-chained commands between"),
    pytest.param("RUN pip install x || true; rm -rf /root/.cache\n", id="after || true;"),
    pytest.param("RUN x || pip install x && pip cache purge\n", id="install after || then &&"),
    pytest.param("RUN if [ -f r.txt ]; then pip install -r r.txt; fi; rm -rf /root/.cache\n", id="install in a branch, rm after it"),
    pytest.param("RUN if true; then pip install x && rm -rf ~/.cache; fi\n", id="both in one then-branch"),
    pytest.param("RUN for p in a b; do pip install $p; done && pip cache purge\n", id="install in a loop, purge after"),
    pytest.param("RUN (pip install x) && rm -rf ~/.cache\n", id="install in a subshell"),
    pytest.param("RUN { pip install x; pip cache purge; }\n", id="in one brace group"),
    pytest.param("RUN pip install x 2>&1 | tee log; rm -rf ~/.cache\n", id="install in a pipeline, rm after"),
    pytest.param("RUN sh -c 'pip install x' && rm -rf ~/.cache/pip\n", id="install in sh -c, rm after it"),
    pytest.param("RUN sh -c 'pip install x && pip cache purge'\n", id="both in sh -c"),
    pytest.param('RUN ["sh", "-c", "pip install x && rm -rf /root/.cache"]\n', id="exec-form sh -c"),
    pytest.param("RUN <<EOF\npip install x\nrm -rf /root/.cache/pip\nEOF\n", id="heredoc, rm on the next line"),
    pytest.param("RUN set -e; pip install x; rm -rf /root/.cache/pip\n", id="set -e"),
    # -- pip config ------------------------------------------------------------------------
    pytest.param(
        F + "RUN pip config set global.no-cache-dir false\nRUN pip install x\n",
        id="pip config set in an earlier RUN",
    ),
    pytest.param(
        F + "RUN pip config set install.no-cache-dir 1\nRUN pip install x\n",
        id="pip config set install.no-cache-dir",
    ),
    pytest.param(
        "FROM python:3.12 AS base\nRUN pip config set global.no-cache-dir false\nFROM base\nRUN pip install x\n",
        id="pip config set in an ancestor stage",
    ),
    # -- a cache or tmpfs mount on pip's cache dir -----------------------------------------
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip pip install x\n", id="cache mount target pip dir"),
    pytest.param("RUN --mount=type=cache,target=/root/.cache pip install x\n", id="cache mount target parent"),
    pytest.param("RUN --mount=type=cache,dst=/root/.cache/pip pip install x\n", id="cache mount dst="),
    pytest.param("RUN --mount=type=cache,destination=/root/.cache/pip pip install x\n", id="cache mount destination="),
    pytest.param("RUN --mount=type=tmpfs,target=/root/.cache pip install x\n", id="tmpfs mount"),
    pytest.param("RUN --mount=type=cache,target=$HOME/.cache/pip pip install x\n", id="cache mount $HOME"),
    pytest.param(
        "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install x\n", id="cache mount then continuation"
    ),
    pytest.param(
        F + "ENV PIP_CACHE_DIR=/pipcache\nRUN --mount=type=cache,target=/pipcache pip install x\n",
        id="cache mount on PIP_CACHE_DIR",
    ),
    pytest.param(
        'FROM python:3.12\nRUN --mount=type=cache,target="/root/.cache/pip" pip install x\n', id="cache mount quoted target"
    ),
    pytest.param(
        "RUN --mount=type=cache,id=pip,target=/root/.cache/pip,sharing=locked pip install x\n",
        id="cache mount with more fields",
    ),
    pytest.param("RUN --mount=type=cache,target=/root/.cache/pip/ pip install x\n", id="cache mount trailing slash"),
    pytest.param(
        "RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/root/.cache/pip pip install x\n",
        id="second of two mounts",
    ),
    pytest.param(
        F + "USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install x\n", id="cache mount in USER's home"
    ),
    pytest.param(F + "ENV HOME=/app\nRUN --mount=type=cache,target=/app/.cache pip install x\n", id="cache mount in ENV HOME"),
    pytest.param(
        F + "ENV XDG_CACHE_HOME=/xc\nRUN --mount=type=cache,target=/xc pip install x\n", id="cache mount on XDG_CACHE_HOME"
    ),
    pytest.param("RUN --mount=type=cache,target=/c pip install --cache-dir /c x\n", id="cache mount on --cache-dir"),
    pytest.param("RUN --mount=type=cache,target=/c pip install --cache-dir=/c x\n", id="cache mount on --cache-dir="),
    pytest.param(
        'RUN --mount=type=cache,target=/root/.cache/pip ["pip", "install", "x"]\n', id="cache mount with exec form"
    ),
    pytest.param(
        # SPEC 3 lists /root/.cache/pip unconditionally, so this counts even though pip
        # run as `app` caches under /home/app/.cache/pip.
        F + "USER app\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n",
        id="cache mount in root's home after USER app",
    ),
    pytest.param("# DOCKERFIX: IGNORE=dfx001\nRUN pip install x\n", id="pragma in any case"),
    pytest.param("#dockerfix:ignore=DFX001\nRUN pip install x\n", id="pragma without spaces"),
    pytest.param("# dockerfix: ignore=DFX001\nONBUILD RUN pip install x\n", id="pragma above ONBUILD"),
    pytest.param(
        "# dockerfix: ignore=DFX001\nRUN pip install x && \\\n    pip install y\n", id="pragma covers a continued RUN"
    ),
    pytest.param(
        "# dockerfix: ignore=DFX001\nRUN <<EOF\npip install x\nEOF\n", id="pragma covers a heredoc body"
    ),
    # -- suppressions (SPEC 6) ---------------------------------------------------------------
    pytest.param("# dockerfix: ignore=DFX001\nRUN pip install x\n", id="dockerfix ignore=DFX001"),
    pytest.param("# dockerfix: ignore\nRUN pip install x\n", id="dockerfix ignore all"),
    pytest.param("# dockerfix: ignore=DFX002,DFX001\nRUN pip install x\n", id="dockerfix ignore list"),
    pytest.param(
        "# dockerfix: ignore=DFX001\n# install the app\n# and its deps\nRUN pip install x\n",
        id="comment lines between pragma and instruction",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install x\n# dockerfix: file-ignore=DFX001\nRUN pip install y\n",
        id="file-ignore anywhere",
    ),
    pytest.param("# hadolint ignore=DL3042\nRUN pip install x\n", id="hadolint ignore"),
    pytest.param("# hadolint ignore=DL3008,DL3042\nRUN pip install x\n", id="hadolint ignore list"),
    pytest.param(
        "FROM python:3.12\nRUN pip install x\n# hadolint global ignore=DL3042\nRUN pip install y\n",
        id="hadolint global ignore",
    ),
    # -- not a pip install at all -----------------------------------------------------------
    pytest.param('RUN echo "pip install x"\n', id="quoted in echo"),
    pytest.param("RUN echo pip install x\n", id="argument of echo"),
    pytest.param("RUN echo a && \\\n# pip install x\n    echo b\n", id="comment line inside continuation"),
    pytest.param("# pip install x\nRUN echo b\n", id="comment line"),
    pytest.param("RUN sed 's/<<EOF//' /etc/pip.conf\n", id="<< inside quotes is not a heredoc"),
    pytest.param("RUN pipx install x\n", id="pipx"),
    pytest.param("RUN pipenv install x\n", id="pipenv"),
    pytest.param("RUN uv pip install --no-cache x\n", id="uv pip (DFX003)"),
    pytest.param("RUN pip-compile requirements.in\n", id="pip-compile"),
    pytest.param("RUN pip-sync requirements.txt\n", id="pip-sync"),
    pytest.param("RUN poetry add x\n", id="poetry add"),
    pytest.param("RUN pip freeze > requirements.txt\n", id="pip freeze"),
    pytest.param("RUN pip list\n", id="pip list"),
    pytest.param("RUN pip show x\n", id="pip show"),
    pytest.param("RUN pip uninstall -y x\n", id="pip uninstall"),
    pytest.param("RUN pip download x\n", id="pip download"),
    pytest.param("RUN pip wheel x\n", id="pip wheel"),
    pytest.param("RUN pip --version\n", id="pip without subcommand"),
    pytest.param("RUN python -c 'import pip' install\n", id="python -c is not -m pip"),
    pytest.param("RUN python -m pipx install x\n", id="python -m pipx"),
    pytest.param("CMD pip install x\n", id="CMD is run time"),
    pytest.param('ENTRYPOINT ["pip","install","x"]\n', id="ENTRYPOINT is run time"),
    pytest.param("RUN command -v pip\n", id="command -v pip"),
    pytest.param("RUN command -v pip install\n", id="command -v pip install"),
    pytest.param('RUN ["echo", "pip install x"]\n', id="exec form echo"),
    pytest.param("RUN [pip install x]\n", id="not JSON: shell form, the program is [pip"),
    pytest.param('RUN ["pip", "install", x]\n', id="invalid JSON: shell form, the program is [pip,"),
    pytest.param("RUN bash script.sh <<EOF\npip install x\nEOF\n", id="heredoc is stdin of a script"),
    pytest.param("RUN bash -c 'cat' <<EOF\npip install x\nEOF\n", id="heredoc is stdin of bash -c"),
    # An unknown instruction is BuildKit's problem at build time, not a reason to crash;
    # keywords that are also names of analyser helpers once raised TypeError.
    pytest.param(
        "FROM python:3.12\nRUN apt-get update\n    set -ex\nRUN pip install --no-cache-dir x\n",
        id="unknown instruction SET (a forgotten continuation)",
    ),
    pytest.param("FROM python:3.12\nCOMMAND x\nSCRIPT y\nPIP_CALL z\nEXEC_FORM w\n", id="unknown instructions"),
    pytest.param("FROM python:3.12\nFOO pip install x\n", id="unknown instruction"),
    # -- heredoc bodies that are not shell ---------------------------------------------------
    pytest.param("RUN <<EOF python3\npip install x\nEOF\n", id="heredoc read by python3 after <<"),
    pytest.param("RUN python3 <<EOF\npip install x\nEOF\n", id="heredoc read by python3"),
    pytest.param("RUN cat <<EOF > /x.sh\npip install x\nEOF\n", id="heredoc written to a file"),
    pytest.param("RUN <<EOF\n#!/usr/bin/env python3\npip install x\nEOF\n", id="heredoc python shebang"),
    pytest.param("COPY <<EOF /x.sh\npip install x\nEOF\n", id="COPY heredoc"),
    pytest.param("RUN <<EOF\n#!/usr/bin/python3\npip install x\nEOF\n", id="heredoc python shebang by path"),
    pytest.param("RUN python3 - <<EOF\npip install x\nEOF\n", id="heredoc read by python3 -"),
]

FIX = [
    # -- program spellings (SPEC 2) ----------------------------------------------------------
    pytest.param("RUN pip install x\n", "RUN pip install --no-cache-dir x\n", id="pip"),
    pytest.param("RUN pip2 install x\n", "RUN pip2 install --no-cache-dir x\n", id="pip2"),
    pytest.param("RUN pip3 install x\n", "RUN pip3 install --no-cache-dir x\n", id="pip3"),
    pytest.param("RUN pip3.12 install x\n", "RUN pip3.12 install --no-cache-dir x\n", id="pip3.12"),
    pytest.param("RUN /usr/local/bin/pip install x\n", "RUN /usr/local/bin/pip install --no-cache-dir x\n", id="pip by path"),
    pytest.param("RUN python -m pip install x\n", "RUN python -m pip install --no-cache-dir x\n", id="python -m pip"),
    pytest.param("RUN python3 -m pip install x\n", "RUN python3 -m pip install --no-cache-dir x\n", id="python3 -m pip"),
    pytest.param("RUN python3.12 -m pip install x\n", "RUN python3.12 -m pip install --no-cache-dir x\n", id="python3.12 -m pip"),
    pytest.param(
        "RUN /opt/venv/bin/python -m pip install x\n",
        "RUN /opt/venv/bin/python -m pip install --no-cache-dir x\n",
        id="venv python by path",
    ),
    pytest.param("RUN python -u -m pip install x\n", "RUN python -u -m pip install --no-cache-dir x\n", id="python -u -m pip"),
    pytest.param("RUN python -I -m pip install x\n", "RUN python -I -m pip install --no-cache-dir x\n", id="python -I -m pip"),
    pytest.param("RUN python -mpip install x\n", "RUN python -mpip install --no-cache-dir x\n", id="python -mpip"),
    pytest.param(
        "RUN python -W ignore -m pip install x\n",
        "RUN python -W ignore -m pip install --no-cache-dir x\n",
        id="python option with a value",
    ),
    pytest.param("RUN pip install\n", "RUN pip install --no-cache-dir\n", id="install without arguments"),
    pytest.param(
        "RUN pip install -r requirements.txt\n", "RUN pip install --no-cache-dir -r requirements.txt\n", id="-r file"
    ),
    pytest.param(
        "RUN pip --timeout 60 install x\n", "RUN pip --timeout 60 install --no-cache-dir x\n", id="general option with value"
    ),
    pytest.param("RUN pip -q install x\n", "RUN pip -q install --no-cache-dir x\n", id="general flag before install"),
    # -- wrappers (SPEC 2) -------------------------------------------------------------------
    pytest.param("RUN sudo pip install x\n", "RUN sudo pip install --no-cache-dir x\n", id="sudo"),
    pytest.param("RUN sudo -H pip install x\n", "RUN sudo -H pip install --no-cache-dir x\n", id="sudo -H"),
    pytest.param("RUN sudo -u user pip install x\n", "RUN sudo -u user pip install --no-cache-dir x\n", id="sudo -u user"),
    pytest.param("RUN sudo -H -u user pip install x\n", "RUN sudo -H -u user pip install --no-cache-dir x\n", id="sudo -H -u"),
    pytest.param("RUN env VAR=v pip install x\n", "RUN env VAR=v pip install --no-cache-dir x\n", id="env VAR=v"),
    pytest.param("RUN env -i pip install x\n", "RUN env -i pip install --no-cache-dir x\n", id="env -i"),
    pytest.param("RUN env -i A=1 B=2 pip install x\n", "RUN env -i A=1 B=2 pip install --no-cache-dir x\n", id="env -i VARs"),
    pytest.param("RUN nice pip install x\n", "RUN nice pip install --no-cache-dir x\n", id="nice"),
    pytest.param("RUN nice -n 10 pip install x\n", "RUN nice -n 10 pip install --no-cache-dir x\n", id="nice -n 10"),
    pytest.param("RUN nohup pip install x\n", "RUN nohup pip install --no-cache-dir x\n", id="nohup"),
    pytest.param("RUN time pip install x\n", "RUN time pip install --no-cache-dir x\n", id="time"),
    pytest.param("RUN command pip install x\n", "RUN command pip install --no-cache-dir x\n", id="command"),
    pytest.param("RUN exec pip install x\n", "RUN exec pip install --no-cache-dir x\n", id="exec"),
    pytest.param("RUN xargs pip install < req.txt\n", "RUN xargs pip install --no-cache-dir < req.txt\n", id="xargs"),
    pytest.param(
        "RUN cat req.txt | xargs -n 1 pip install\n",
        "RUN cat req.txt | xargs -n 1 pip install --no-cache-dir\n",
        id="xargs -n 1",
    ),
    pytest.param("RUN VAR=value pip install x\n", "RUN VAR=value pip install --no-cache-dir x\n", id="leading VAR=value"),
    pytest.param(
        "RUN A=1 B=2 sudo -H env C=3 nice pip install x\n",
        "RUN A=1 B=2 sudo -H env C=3 nice pip install --no-cache-dir x\n",
        id="stacked wrappers",
    ),
    pytest.param(
        "RUN sudo python3 -m pip install x\n", "RUN sudo python3 -m pip install --no-cache-dir x\n", id="sudo python -m pip"
    ),
    pytest.param(
        "RUN p\"ip\" install x\n",
        "RUN p\"ip\" install --no-cache-dir x\n",
        id="program word built from quotes",
    ),
    pytest.param('RUN "pip" install x\n', 'RUN "pip" install --no-cache-dir x\n', id="quoted program word"),
    pytest.param("RUN pip 'install' x\n", "RUN pip 'install' --no-cache-dir x\n", id="quoted install word"),
    pytest.param("RUN \\pip install x\n", "RUN \\pip install --no-cache-dir x\n", id="backslash before the program"),
    pytest.param("RUN sudo -- pip install x\n", "RUN sudo -- pip install --no-cache-dir x\n", id="sudo --"),
    pytest.param("RUN timeout 600 pip install x\n", "RUN timeout 600 pip install --no-cache-dir x\n", id="timeout"),
    pytest.param("RUN python3 -Im pip install x\n", "RUN python3 -Im pip install --no-cache-dir x\n", id="python3 -Im pip"),
    pytest.param(
        "RUN pip --log install install x\n",
        "RUN pip --log install install --no-cache-dir x\n",
        id="--log consumes the first install",
    ),
    pytest.param(
        "RUN pip install x 2>&1 | tee /log\n", "RUN pip install --no-cache-dir x 2>&1 | tee /log\n", id="redirection"
    ),
    pytest.param("RUN pip >/log install x\n", "RUN pip >/log install --no-cache-dir x\n", id="redirection before install"),
    pytest.param('RUN echo "$(pip install x)"\n', 'RUN echo "$(pip install --no-cache-dir x)"\n', id="$( ) in quotes"),
    pytest.param(
        'RUN bash -lc "pip install x"\n', 'RUN bash -lc "pip install --no-cache-dir x"\n', id="bash -lc"
    ),
    pytest.param(
        'RUN ["sh", "-c", "echo \\u00e9 && pip install x"]\n',
        'RUN ["sh", "-c", "echo \\u00e9 && pip install --no-cache-dir x"]\n',
        id="exec form sh -c with a JSON escape before",
    ),
    pytest.param(
        'RUN ["pip","\\u0069nstall","x"]\n',
        'RUN ["pip","\\u0069nstall","--no-cache-dir","x"]\n',
        id="exec form install spelt with a JSON escape",
    ),
    pytest.param(
        'RUN ["p\\u0069p", "install", "x"]\n',
        'RUN ["p\\u0069p", "install", "--no-cache-dir", "x"]\n',
        id="exec form pip spelt with a JSON escape",
    ),
    pytest.param(
        'RUN ["sh", "-c", "\\u0070ip install x"]\n',
        'RUN ["sh", "-c", "\\u0070ip install --no-cache-dir x"]\n',
        id="exec form sh -c script spelt with a JSON escape",
    ),
    # -- where in the script (SPEC 2) --------------------------------------------------------
    pytest.param(
        "RUN apt-get update && pip install x\n", "RUN apt-get update && pip install --no-cache-dir x\n", id="after &&"
    ),
    pytest.param("RUN false || pip install x\n", "RUN false || pip install --no-cache-dir x\n", id="after ||"),
    pytest.param("RUN cd /app; pip install x\n", "RUN cd /app; pip install --no-cache-dir x\n", id="after ;"),
    pytest.param(
        "RUN echo x | pip install -r /dev/stdin\n",
        "RUN echo x | pip install --no-cache-dir -r /dev/stdin\n",
        id="after |",
    ),
    pytest.param("RUN pip install x & wait\n", "RUN pip install --no-cache-dir x & wait\n", id="before &"),
    pytest.param(
        "RUN if true; then pip install x; fi\n", "RUN if true; then pip install --no-cache-dir x; fi\n", id="if then fi"
    ),
    pytest.param(
        "RUN for p in a b; do pip install $p; done\n",
        "RUN for p in a b; do pip install --no-cache-dir $p; done\n",
        id="for do done",
    ),
    pytest.param(
        "RUN while read p; do pip install $p; done < req.txt\n",
        "RUN while read p; do pip install --no-cache-dir $p; done < req.txt\n",
        id="while",
    ),
    pytest.param("RUN (cd /app && pip install .)\n", "RUN (cd /app && pip install --no-cache-dir .)\n", id="subshell"),
    pytest.param("RUN { pip install x; }\n", "RUN { pip install --no-cache-dir x; }\n", id="brace group"),
    pytest.param("RUN echo $(pip install x)\n", "RUN echo $(pip install --no-cache-dir x)\n", id="command substitution"),
    pytest.param(
        "RUN pip install x && pip3 install y\n",
        "RUN pip install --no-cache-dir x && pip3 install --no-cache-dir y\n",
        id="two calls in one RUN",
    ),
    pytest.param("RUN sh -c 'pip install x'\n", "RUN sh -c 'pip install --no-cache-dir x'\n", id="sh -c single quotes"),
    pytest.param('RUN bash -c "pip install x"\n', 'RUN bash -c "pip install --no-cache-dir x"\n', id="bash -c double quotes"),
    pytest.param("RUN sh -ec 'pip install x'\n", "RUN sh -ec 'pip install --no-cache-dir x'\n", id="sh -ec"),
    pytest.param("RUN /bin/sh -c 'pip install x'\n", "RUN /bin/sh -c 'pip install --no-cache-dir x'\n", id="/bin/sh -c"),
    pytest.param(
        "RUN sh -c \"bash -c 'pip install x'\"\n",
        "RUN sh -c \"bash -c 'pip install --no-cache-dir x'\"\n",
        id="nested sh -c",
    ),
    pytest.param(
        "RUN echo start && sh -c 'cd /app && pip install .' && echo done\n",
        "RUN echo start && sh -c 'cd /app && pip install --no-cache-dir .' && echo done\n",
        id="sh -c in a chain",
    ),
    # -- exec form ---------------------------------------------------------------------------
    pytest.param('RUN ["pip","install","x"]\n', 'RUN ["pip","install","--no-cache-dir","x"]\n', id="exec form compact"),
    pytest.param(
        'RUN ["pip", "install", "x"]\n', 'RUN ["pip", "install", "--no-cache-dir", "x"]\n', id="exec form spaced"
    ),
    pytest.param(
        'RUN ["python3", "-m", "pip", "install", "x"]\n',
        'RUN ["python3", "-m", "pip", "install", "--no-cache-dir", "x"]\n',
        id="exec form python -m pip",
    ),
    pytest.param('RUN ["pip", "install"]\n', 'RUN ["pip", "install", "--no-cache-dir"]\n', id="exec form install last"),
    pytest.param(
        'RUN ["sh", "-c", "pip install x"]\n', 'RUN ["sh", "-c", "pip install --no-cache-dir x"]\n', id="exec form sh -c"
    ),
    pytest.param(
        'RUN ["/bin/bash","-c","pip install x && pip install y"]\n',
        'RUN ["/bin/bash","-c","pip install --no-cache-dir x && pip install --no-cache-dir y"]\n',
        id="exec form bash -c two calls",
    ),
    pytest.param(
        'RUN --mount=type=bind,source=.,target=/src ["pip", "install", "/src"]\n',
        'RUN --mount=type=bind,source=.,target=/src ["pip", "install", "--no-cache-dir", "/src"]\n',
        id="exec form after a flag",
    ),
    pytest.param(
        'RUN ["pip", \\\n    "install", "x"]\n',
        'RUN ["pip", \\\n    "install", "--no-cache-dir", "x"]\n',
        id="exec form across a continuation",
    ),
    pytest.param(
        # The first comma is followed by the escape, not a space: compact style.
        'RUN ["pip",\\\n    "install", "x"]\n',
        'RUN ["pip",\\\n    "install","--no-cache-dir", "x"]\n',
        id="exec form, first comma before a continuation",
    ),
    pytest.param(
        'RUN [ "pip" , "install" , "x" ]\n',
        'RUN [ "pip" , "install", "--no-cache-dir" , "x" ]\n',
        id="exec form with space before comma",
    ),
    pytest.param(
        # BuildKit decodes the first JSON value and ignores the rest of the line.
        'RUN ["pip", "install", "x"] # deps\n',
        'RUN ["pip", "install", "--no-cache-dir", "x"] # deps\n',
        id="exec form with trailing text",
    ),
    # -- heredocs ----------------------------------------------------------------------------
    pytest.param("RUN <<EOF\npip install x\nEOF\n", "RUN <<EOF\npip install --no-cache-dir x\nEOF\n", id="heredoc"),
    pytest.param(
        "RUN <<-EOF\n\tpip install x\n\tEOF\n", "RUN <<-EOF\n\tpip install --no-cache-dir x\n\tEOF\n", id="heredoc <<- tabs"
    ),
    pytest.param(
        'RUN <<"EOF"\npip install x\nEOF\n', 'RUN <<"EOF"\npip install --no-cache-dir x\nEOF\n', id="heredoc quoted name"
    ),
    pytest.param(
        "RUN bash <<EOF\npip install x\nEOF\n", "RUN bash <<EOF\npip install --no-cache-dir x\nEOF\n", id="bash <<EOF"
    ),
    pytest.param(
        "RUN <<EOF bash\npip install x\nEOF\n", "RUN <<EOF bash\npip install --no-cache-dir x\nEOF\n", id="<<EOF bash"
    ),
    pytest.param(
        "RUN <<EOF\nset -e\napt-get update\npip install x\nEOF\n",
        "RUN <<EOF\nset -e\napt-get update\npip install --no-cache-dir x\nEOF\n",
        id="heredoc multi-line script",
    ),
    pytest.param(
        "RUN <<EOF\n#!/bin/bash\npip install x\nEOF\n",
        "RUN <<EOF\n#!/bin/bash\npip install --no-cache-dir x\nEOF\n",
        id="heredoc bash shebang",
    ),
    pytest.param(
        "RUN bash <<A && bash <<B\npip install x\nA\npip install y\nB\n",
        "RUN bash <<A && bash <<B\npip install --no-cache-dir x\nA\npip install --no-cache-dir y\nB\n",
        id="two shell heredocs",
    ),
    pytest.param(
        "RUN cat <<A > /req.txt && bash <<B\npip install x\nA\npip install y\nB\n",
        "RUN cat <<A > /req.txt && bash <<B\npip install x\nA\npip install --no-cache-dir y\nB\n",
        id="two heredocs, only the second is shell",
    ),
    pytest.param(
        "RUN pip install x && cat <<EOF > /x\npip install y\nEOF\n",
        "RUN pip install --no-cache-dir x && cat <<EOF > /x\npip install y\nEOF\n",
        id="pip on the heredoc line, body not shell",
    ),
    pytest.param(
        "RUN <<EOF\n#!/usr/bin/env bash\npip install x\nEOF\n",
        "RUN <<EOF\n#!/usr/bin/env bash\npip install --no-cache-dir x\nEOF\n",
        id="heredoc env bash shebang",
    ),
    pytest.param(
        "RUN <<EOF\n#!/bin/sh -e\npip install x\nEOF\n",
        "RUN <<EOF\n#!/bin/sh -e\npip install --no-cache-dir x\nEOF\n",
        id="heredoc sh shebang with an option",
    ),
    pytest.param(
        "RUN bash -s <<EOF\npip install x\nEOF\n",
        "RUN bash -s <<EOF\npip install --no-cache-dir x\nEOF\n",
        id="bash -s <<EOF",
    ),
    pytest.param(
        "RUN /bin/sh -e <<EOF\npip install x\nEOF\n",
        "RUN /bin/sh -e <<EOF\npip install --no-cache-dir x\nEOF\n",
        id="/bin/sh -e <<EOF",
    ),
    pytest.param("RUN <<EOF\npip install x\nEOF", "RUN <<EOF\npip install --no-cache-dir x\nEOF", id="heredoc at EOF"),
    pytest.param(
        "RUN <<EOF\r\npip install x\r\nEOF\r\n",
        "RUN <<EOF\r\npip install --no-cache-dir x\r\nEOF\r\n",
        id="heredoc CRLF",
    ),
    pytest.param(
        "RUN --mount=type=cache,target=/root/.cache/pip <<EOF\npip install x\nEOF\nRUN <<EOF\npip install y\nEOF\n",
        "RUN --mount=type=cache,target=/root/.cache/pip <<EOF\npip install x\nEOF\nRUN <<EOF\npip install --no-cache-dir y\nEOF\n",
        id="heredoc: a mount covers only its own RUN",
    ),
    # -- Dockerfile syntax: ONBUILD, continuations, escape, line endings ---------------------
    pytest.param("ONBUILD RUN pip install x\n", "ONBUILD RUN pip install --no-cache-dir x\n", id="ONBUILD RUN"),
    pytest.param(
        "ONBUILD RUN <<EOF\npip install x\nEOF\n",
        "ONBUILD RUN <<EOF\npip install --no-cache-dir x\nEOF\n",
        id="ONBUILD RUN heredoc",
    ),
    pytest.param("onbuild run pip install x\n", "onbuild run pip install --no-cache-dir x\n", id="lower-case keywords"),
    pytest.param(
        "RUN apt-get update && \\\n    pip install x\n",
        "RUN apt-get update && \\\n    pip install --no-cache-dir x\n",
        id="continuation",
    ),
    pytest.param(
        "RUN pip install \\\n    x \\\n    y\n",
        "RUN pip install --no-cache-dir \\\n    x \\\n    y\n",
        id="install at end of a continued line",
    ),
    pytest.param("RUN pip inst\\\nall x\n", "RUN pip inst\\\nall --no-cache-dir x\n", id="install word split"),
    pytest.param("RUN pip \\\ninstall x\n", "RUN pip \\\ninstall --no-cache-dir x\n", id="program and install split"),
    pytest.param(
        "RUN pip install \\  \n    x\n", "RUN pip install --no-cache-dir \\  \n    x\n", id="spaces after the backslash"
    ),
    pytest.param(
        "# escape=`\nFROM python:3.12\nRUN pip install `\n    x\n",
        "# escape=`\nFROM python:3.12\nRUN pip install --no-cache-dir `\n    x\n",
        id="escape backtick",
    ),
    pytest.param(
        "# escape=`\nRUN pip inst`\nall x\n",
        "# escape=`\nRUN pip inst`\nall --no-cache-dir x\n",
        id="escape backtick install word split",
    ),
    pytest.param(
        "RUN apt-get update && \\\n# a comment\n    pip install x\n",
        "RUN apt-get update && \\\n# a comment\n    pip install --no-cache-dir x\n",
        id="comment line inside continuation",
    ),
    pytest.param(
        "RUN apt-get update && \\\n\n    pip install x\n",
        "RUN apt-get update && \\\n\n    pip install --no-cache-dir x\n",
        id="empty line inside continuation",
    ),
    pytest.param(
        "RUN pip install \\\n  # not a comment for bash: BuildKit drops this line\n    x\n",
        "RUN pip install --no-cache-dir \\\n  # not a comment for bash: BuildKit drops this line\n    x\n",
        id="indented comment line inside continuation",
    ),
    pytest.param(
        "FROM python:3.12\r\nRUN pip install \\\r\n    x\r\n",
        "FROM python:3.12\r\nRUN pip install --no-cache-dir \\\r\n    x\r\n",
        id="CRLF",
    ),
    pytest.param(
        "FROM python:3.12\r\nRUN pip install x\r\n", "FROM python:3.12\r\nRUN pip install --no-cache-dir x\r\n", id="CRLF simple"
    ),
    pytest.param("RUN pip install x", "RUN pip install --no-cache-dir x", id="no final newline"),
    pytest.param("RUN pip install", "RUN pip install --no-cache-dir", id="install is the last word of the file"),
    pytest.param("RUN\tpip\tinstall\tx\n", "RUN\tpip\tinstall --no-cache-dir\tx\n", id="tabs"),
    pytest.param("  RUN pip install x  \n", "  RUN pip install --no-cache-dir x  \n", id="indented, trailing spaces"),
    pytest.param(
        'RUN echo "héllo ✓" && pip install x\n',
        'RUN echo "héllo ✓" && pip install --no-cache-dir x\n',
        id="non-ASCII before the call",
    ),
    pytest.param(
        'RUN echo "日本語 🐍" && \\\n    pip install x\n',
        'RUN echo "日本語 🐍" && \\\n    pip install --no-cache-dir x\n',
        id="astral characters before a continuation",
    ),
    pytest.param(
        "RUN sh -c 'echo ✓ && pip install x'\n",
        "RUN sh -c 'echo ✓ && pip install --no-cache-dir x'\n",
        id="non-ASCII inside sh -c",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nRUN pip install x\nFROM python:3.12 AS b\nRUN pip install y\n",
        "FROM python:3.12 AS a\nRUN pip install --no-cache-dir x\nFROM python:3.12 AS b\nRUN pip install --no-cache-dir y\n",
        id="every stage",
    ),
    # -- near misses: none of these turns the cache off ----------------------------------------
    pytest.param(
        "RUN pip install --no-cache-dir x && pip install y\n",
        "RUN pip install --no-cache-dir x && pip install --no-cache-dir y\n",
        id="flag in another pip call of the same RUN",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12 AS b\nRUN pip install x\n",
        "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12 AS b\nRUN pip install --no-cache-dir x\n",
        id="ENV in a non-ancestor stage",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install x\nENV PIP_NO_CACHE_DIR=1\n",
        "FROM python:3.12\nRUN pip install --no-cache-dir x\nENV PIP_NO_CACHE_DIR=1\n",
        id="ENV after the RUN",
    ),
    pytest.param(
        F + "ARG PIP_NO_CACHE_DIR\nRUN pip install x\n",
        F + "ARG PIP_NO_CACHE_DIR\nRUN pip install --no-cache-dir x\n",
        id="ARG without a value",
    ),
    pytest.param(
        "ARG PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install x\n",
        "ARG PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install --no-cache-dir x\n",
        id="global ARG not re-declared in the stage",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nARG PIP_NO_CACHE_DIR=1\nFROM a\nRUN pip install x\n",
        "FROM python:3.12 AS a\nARG PIP_NO_CACHE_DIR=1\nFROM a\nRUN pip install --no-cache-dir x\n",
        id="ARG is not inherited by a child stage",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=\nRUN pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=\nRUN pip install --no-cache-dir x\n",
        id="ENV empty value",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=banana\nRUN pip install x\n",
        F + "ENV PIP_NO_CACHE_DIR=banana\nRUN pip install --no-cache-dir x\n",
        id="ENV value pip rejects",
    ),
    pytest.param(
        'FROM python:3.12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN pip install x\n',
        'FROM python:3.12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN pip install --no-cache-dir x\n',
        id="SHELL bash",
    ),
    pytest.param(
        'FROM python:3.12\nSHELL ["powershell", "-Command"]\nFROM python:3.12\nRUN pip install x\n',
        'FROM python:3.12\nSHELL ["powershell", "-Command"]\nFROM python:3.12\nRUN pip install --no-cache-dir x\n',
        id="SHELL does not reach an unrelated stage",
    ),
    pytest.param(
        "# dockerfix: ignore=DFX0011\nRUN pip install x\n",
        "# dockerfix: ignore=DFX0011\nRUN pip install --no-cache-dir x\n",
        id="pragma with a longer code",
    ),
    pytest.param(
        "# dockerfix: ignore=DFX00\nRUN pip install x\n",
        "# dockerfix: ignore=DFX00\nRUN pip install --no-cache-dir x\n",
        id="pragma with a code prefix",
    ),
    pytest.param(
        "RUN pip install x # dockerfix: ignore\n",
        "RUN pip install --no-cache-dir x # dockerfix: ignore\n",
        id="pragma at end of line is shell text",
    ),
    pytest.param(
        "RUN echo PIP_NO_CACHE_DIR=1 && pip install x\n",
        "RUN echo PIP_NO_CACHE_DIR=1 && pip install --no-cache-dir x\n",
        id="echo PIP_NO_CACHE_DIR=1",
    ),
    pytest.param(
        "RUN PIP_NO_CACHE_DIR=1 pip install x && pip install y\n",
        "RUN PIP_NO_CACHE_DIR=1 pip install x && pip install --no-cache-dir y\n",
        id="inline assignment covers only its own call",
    ),
    pytest.param(
        "RUN pip install x && export PIP_NO_CACHE_DIR=1\n",
        "RUN pip install --no-cache-dir x && export PIP_NO_CACHE_DIR=1\n",
        id="export after the call",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIRS=1\nRUN pip install x\n",
        F + "ENV PIP_NO_CACHE_DIRS=1\nRUN pip install --no-cache-dir x\n",
        id="a different variable",
    ),
    pytest.param(
        F + "RUN pip config set global.cache-dir /x\nRUN pip install x\n",
        F + "RUN pip config set global.cache-dir /x\nRUN pip install --no-cache-dir x\n",
        id="pip config of another key",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nRUN pip config set global.no-cache-dir false\nFROM python:3.12\nRUN pip install x\n",
        "FROM python:3.12 AS a\nRUN pip config set global.no-cache-dir false\nFROM python:3.12\nRUN pip install --no-cache-dir x\n",
        id="pip config in a non-ancestor stage",
    ),
    pytest.param(
        "RUN --mount=type=bind,target=/root/.cache pip install x\n",
        "RUN --mount=type=bind,target=/root/.cache pip install --no-cache-dir x\n",
        id="bind mount on the cache dir",
    ),
    pytest.param(
        "RUN --mount=target=/root/.cache pip install x\n",
        "RUN --mount=target=/root/.cache pip install --no-cache-dir x\n",
        id="mount without a type is a bind",
    ),
    pytest.param("RUN pip install --no-c x\n", "RUN pip install --no-cache-dir --no-c x\n", id="--no-c is ambiguous"),
    # -- pip's precedence: the flag goes where pip heeds it, after the last --cache-dir ---
    pytest.param(
        "RUN pip install --no-cache-dir --cache-dir=/tmp/pipcache x\n",
        "RUN pip install --no-cache-dir --cache-dir=/tmp/pipcache --no-cache-dir x\n",
        id="--cache-dir after --no-cache-dir turns the cache back on",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --cache-dir=/tmp/c x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --cache-dir=/tmp/c --no-cache-dir x\n",
        id="--cache-dir overrides ENV PIP_NO_CACHE_DIR",
    ),
    pytest.param(
        "RUN PIP_NO_CACHE_DIR=1 pip install --cache-dir /c x\n",
        "RUN PIP_NO_CACHE_DIR=1 pip install --cache-dir /c --no-cache-dir x\n",
        id="--cache-dir overrides an inline PIP_NO_CACHE_DIR",
    ),
    pytest.param(
        F + "RUN pip config set global.no-cache-dir 1\nRUN pip install --cache-dir /c x\n",
        F + "RUN pip config set global.no-cache-dir 1\nRUN pip install --cache-dir /c --no-cache-dir x\n",
        id="--cache-dir overrides pip config",
    ),
    pytest.param("RUN pip install --cache-dir /x x\n", "RUN pip install --cache-dir /x --no-cache-dir x\n", id="--cache-dir"),
    pytest.param("RUN pip install --cache /x x\n", "RUN pip install --cache /x --no-cache-dir x\n", id="--cache abbreviation"),
    pytest.param("RUN pip install x --cache-dir /x\n", "RUN pip install x --cache-dir /x --no-cache-dir\n", id="--cache-dir last"),
    pytest.param(
        "RUN pip install --cache-dir /a -r r.txt --cache-dir=/b x\n",
        "RUN pip install --cache-dir /a -r r.txt --cache-dir=/b --no-cache-dir x\n",
        id="after the last of two --cache-dir",
    ),
    pytest.param(
        "RUN pip install --cache-dir --no-cache-dir x\n",
        "RUN pip install --cache-dir --no-cache-dir --no-cache-dir x\n",
        id="--cache-dir takes the next word as its value",
    ),
    pytest.param(
        'RUN pip install --cache-dir "$DIR" x\n', 'RUN pip install --cache-dir "$DIR" --no-cache-dir x\n', id="quoted variable value"
    ),
    pytest.param(
        "RUN pip install --cache-dir /x \\\n    x\n",
        "RUN pip install --cache-dir /x --no-cache-dir \\\n    x\n",
        id="value before a continuation",
    ),
    pytest.param(
        "RUN pip --cache-dir /x install x\n", "RUN pip --cache-dir /x install --no-cache-dir x\n", id="--cache-dir before install"
    ),
    pytest.param(
        "RUN pip --no-cache-dir install --cache-dir /x x\n",
        "RUN pip --no-cache-dir install --cache-dir /x --no-cache-dir x\n",
        id="general --no-cache-dir before install, --cache-dir after",
    ),
    pytest.param(
        'RUN ["pip", "install", "--cache-dir", "/c", "x"]\n',
        'RUN ["pip", "install", "--cache-dir", "/c", "--no-cache-dir", "x"]\n',
        id="exec form --cache-dir",
    ),
    pytest.param(
        "RUN sh -c 'pip install --cache-dir=/c x'\n",
        "RUN sh -c 'pip install --cache-dir=/c --no-cache-dir x'\n",
        id="sh -c --cache-dir",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --isolated x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install --no-cache-dir --isolated x\n",
        id="--isolated ignores PIP_NO_CACHE_DIR",
    ),
    pytest.param(
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip --isolated install x\n",
        F + "ENV PIP_NO_CACHE_DIR=1\nRUN pip --isolated install --no-cache-dir x\n",
        id="--isolated before install",
    ),
    pytest.param(
        F + "RUN pip config set global.no-cache-dir 1\nRUN pip install --isolated x\n",
        F + "RUN pip config set global.no-cache-dir 1\nRUN pip install --no-cache-dir --isolated x\n",
        id="--isolated ignores the user's pip config",
    ),
    pytest.param(
        "RUN PIP_NO_CACHE_DIR= pip install x\n", "RUN PIP_NO_CACHE_DIR= pip install --no-cache-dir x\n", id="empty value is dropped"
    ),
    # -- emptied later, but not surely (or not the cache pip used): still a finding --------
    pytest.param(
        "RUN pip install x || pip cache purge\n", "RUN pip install --no-cache-dir x || pip cache purge\n", id="|| pip cache purge"
    ),
    pytest.param(
        "RUN pip cache purge && pip install x\n", "RUN pip cache purge && pip install --no-cache-dir x\n", id="purge before the install"
    ),
    pytest.param(
        "RUN pip install x\nRUN pip cache purge\n", "RUN pip install --no-cache-dir x\nRUN pip cache purge\n", id="purge in a later RUN"
    ),
    pytest.param(
        "RUN pip install x && if [ -n \"$C\" ]; then rm -rf ~/.cache; fi\n",
        "RUN pip install --no-cache-dir x && if [ -n \"$C\" ]; then rm -rf ~/.cache; fi\n",
        id="rm in a branch that may not run",
    ),
    pytest.param(
        "RUN pip install x && test -d /x || rm -rf ~/.cache\n",
        "RUN pip install --no-cache-dir x && test -d /x || rm -rf ~/.cache\n",
        id="rm after a || in the chain",
    ),
    pytest.param(
        "RUN pip install x & rm -rf ~/.cache\n", "RUN pip install --no-cache-dir x & rm -rf ~/.cache\n", id="install in the background"
    ),
    pytest.param(
        "RUN pip install x && rm -rf ~/.cache &\n", "RUN pip install --no-cache-dir x && rm -rf ~/.cache &\n", id="rm in the background"
    ),
    pytest.param(
        "RUN { pip install x; rm -rf ~/.cache; } &\n",
        "RUN { pip install --no-cache-dir x; rm -rf ~/.cache; } &\n",
        id="both in the background",
    ),
    pytest.param(
        "RUN sh -c 'pip install x && rm -rf ~/.cache' &\n",
        "RUN sh -c 'pip install --no-cache-dir x && rm -rf ~/.cache' &\n",
        id="sh -c in the background",
    ),
    pytest.param(
        "RUN pip install x | rm -rf ~/.cache\n", "RUN pip install --no-cache-dir x | rm -rf ~/.cache\n", id="side by side in a pipeline"
    ),
    pytest.param(
        "RUN f() { rm -rf ~/.cache; }; pip install x\n",
        "RUN f() { rm -rf ~/.cache; }; pip install --no-cache-dir x\n",
        id="rm in a function never called",
    ),
    pytest.param(
        "RUN pip install x && for d in a; do rm -rf ~/.cache; done\n",
        "RUN pip install --no-cache-dir x && for d in a; do rm -rf ~/.cache; done\n",
        id="rm in a loop body",
    ),
    pytest.param(
        "RUN pip install x && echo $(rm -rf ~/.cache)\n",
        "RUN pip install --no-cache-dir x && echo $(rm -rf ~/.cache)\n",
        id="rm in a command substitution",
    ),
    pytest.param(
        "RUN pip install x && pip cache remove *\n", "RUN pip install --no-cache-dir x && pip cache remove *\n", id="unquoted * is a glob"
    ),
    pytest.param(
        "RUN pip install x && pip cache remove numpy\n",
        "RUN pip install --no-cache-dir x && pip cache remove numpy\n",
        id="pip cache remove of one package",
    ),
    pytest.param(
        "RUN pip install x && pip cache purge --no-cache-dir\n",
        "RUN pip install --no-cache-dir x && pip cache purge --no-cache-dir\n",
        id="pip cache purge with the cache off fails",
    ),
    pytest.param(
        "RUN pip install --cache-dir /c x && pip cache purge\n",
        "RUN pip install --cache-dir /c --no-cache-dir x && pip cache purge\n",
        id="purge of another cache dir",
    ),
    pytest.param(
        F + "ARG PIP_CACHE_DIR\nRUN pip install x && rm -rf $PIP_CACHE_DIR\n",
        F + "ARG PIP_CACHE_DIR\nRUN pip install --no-cache-dir x && rm -rf $PIP_CACHE_DIR\n",
        id="rm -rf of an ARG without a value removes nothing",
    ),
    pytest.param(
        "RUN pip install x && rm -rf /root/.cache/pip/wheels\n",
        "RUN pip install --no-cache-dir x && rm -rf /root/.cache/pip/wheels\n",
        id="rm of a part of the cache",
    ),
    pytest.param(
        "RUN pip install x && rm -rf /root/*\n", "RUN pip install --no-cache-dir x && rm -rf /root/*\n", id="* does not match .cache"
    ),
    pytest.param(
        "RUN pip install x && rm -f /root/.cache\n", "RUN pip install --no-cache-dir x && rm -f /root/.cache\n", id="rm without -r"
    ),
    pytest.param(
        "RUN pip install x && rm -rf '~/.cache'\n", "RUN pip install --no-cache-dir x && rm -rf '~/.cache'\n", id="quoted ~ is no home"
    ),
    pytest.param(
        F + "USER app\nRUN pip install x && rm -rf /root/.cache\n",
        F + "USER app\nRUN pip install --no-cache-dir x && rm -rf /root/.cache\n",
        id="root's cache removed, USER app's kept",
    ),
    pytest.param(
        "RUN pip install x && rm -rf ~/.cache/uv\n", "RUN pip install --no-cache-dir x && rm -rf ~/.cache/uv\n", id="rm of uv's cache"
    ),
    pytest.param(
        "RUN <<EOF\npip install x\nEOF\nRUN rm -rf /root/.cache\n",
        "RUN <<EOF\npip install --no-cache-dir x\nEOF\nRUN rm -rf /root/.cache\n",
        id="rm in the next RUN after a heredoc",
    ),
    pytest.param(
        "RUN pip install -r req.txt --no-cache-dirs\n",
        "RUN pip install --no-cache-dir -r req.txt --no-cache-dirs\n",
        id="misspelt flag",
    ),
    pytest.param(
        "# dockerfix: ignore=DFX002\nRUN pip install x\n",
        "# dockerfix: ignore=DFX002\nRUN pip install --no-cache-dir x\n",
        id="pragma for another rule",
    ),
    pytest.param(
        "# dockerfix: ignore=DFX001\n\nRUN pip install x\n",
        "# dockerfix: ignore=DFX001\n\nRUN pip install --no-cache-dir x\n",
        id="pragma separated by an empty line",
    ),
    pytest.param(
        "# dockerfix: ignore=DFX001\nRUN echo\nRUN pip install x\n",
        "# dockerfix: ignore=DFX001\nRUN echo\nRUN pip install --no-cache-dir x\n",
        id="pragma covers only the next instruction",
    ),
    pytest.param(
        "# hadolint ignore=DL3013\nRUN pip install x\n",
        "# hadolint ignore=DL3013\nRUN pip install --no-cache-dir x\n",
        id="hadolint pragma for another rule",
    ),
    pytest.param(
        'RUN echo "pip install x" && pip install y\n',
        'RUN echo "pip install x" && pip install --no-cache-dir y\n',
        id="quoted text before a real call",
    ),
    # -- size: found by benchmarks/scaling.py (the shell walk recursed once per `&&`) -----
    pytest.param(
        "RUN " + " && ".join(["echo a >> log"] * 3000) + " && pip install x\n",
        "RUN " + " && ".join(["echo a >> log"] * 3000) + " && pip install --no-cache-dir x\n",
        id="a chain of 3000 commands",
    ),
    pytest.param(
        "".join(f"RUN pip install p{i}\n" for i in range(2000)),
        "".join(f"RUN pip install --no-cache-dir p{i}\n" for i in range(2000)),
        id="2000 fixes in one file",
    ),
]


def _dfx001(text: str) -> list:
    return [d for d in check(text) if d.code == "DFX001"]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert _dfx001(text) == []
    assert fix(text).text == text


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before).text == after
    # and the result is stable: nothing left to fix
    assert [d for d in _dfx001(after) if d.fix is not None] == []
    assert fix(after).text == after


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix_inserts_at_the_end_of_the_span(before: str, after: str) -> None:
    """Every finding spans from the program word to the ``install`` word, and its one
    edit is an insertion right there."""
    found = _dfx001(before)
    assert found
    for d in found:
        span = before[d.start : d.end]
        program = span.split()[0].replace('"', "").replace("'", "")
        if "\\u" in program:  # an exec-form string spelt with JSON escapes
            program = json.loads(f'"{program}"')
        program = program.lstrip("\\")
        assert program.startswith(("pip", "python", "/")), span
        assert span.rstrip("\"'").endswith(("install", "all")), span
        assert d.fix is not None
        (edit,) = d.fix.edits
        assert edit.start == edit.end
        if edit.start != d.end:  # after a later --cache-dir, which pip would heed instead
            assert "--cache" in before[d.end : edit.start], before


SPANS = [
    pytest.param("RUN pip install x\n", ["pip install"], id="pip"),
    pytest.param("RUN pip3.12 install x\n", ["pip3.12 install"], id="pip3.12"),
    pytest.param("RUN /usr/local/bin/pip install x\n", ["/usr/local/bin/pip install"], id="pip by path"),
    pytest.param("RUN python3 -m pip install x\n", ["python3 -m pip install"], id="python3 -m pip"),
    pytest.param("RUN python -u -m pip install x\n", ["python -u -m pip install"], id="python -u -m pip"),
    pytest.param("RUN python -mpip install x\n", ["python -mpip install"], id="python -mpip"),
    pytest.param("RUN pip -q --timeout 60 install x\n", ["pip -q --timeout 60 install"], id="options before install"),
    pytest.param("RUN sudo -H env A=1 pip install x\n", ["pip install"], id="wrappers are not in the span"),
    pytest.param("RUN VAR=value pip install x\n", ["pip install"], id="assignment is not in the span"),
    pytest.param("RUN pip install x && pip3 install y\n", ["pip install", "pip3 install"], id="two calls"),
    pytest.param("RUN pip inst\\\nall x\n", ["pip inst\\\nall"], id="install word split"),
    pytest.param("RUN pip \\\n  # c\n  install x\n", ["pip \\\n  # c\n  install"], id="comment line inside the span"),
    pytest.param("# escape=`\nRUN pip `\ninstall x\n", ["pip `\ninstall"], id="escape backtick"),
    pytest.param("RUN sh -c 'pip install x'\n", ["pip install"], id="inside sh -c"),
    pytest.param('RUN ["pip","install","x"]\n', ['"pip","install"'], id="exec form"),
    pytest.param('RUN ["python3", "-m", "pip", "install"]\n', ['"python3", "-m", "pip", "install"'], id="exec python"),
    pytest.param('RUN ["sh", "-c", "pip install x"]\n', ["pip install"], id="exec form sh -c"),
    pytest.param("RUN <<EOF\npip install x\nEOF\n", ["pip install"], id="heredoc"),
    pytest.param('RUN echo "héllo ✓" && pip install x\n', ["pip install"], id="non-ASCII before"),
    pytest.param("FROM a\r\nRUN pip install \\\r\n x\r\n", ["pip install"], id="CRLF"),
]


@pytest.mark.parametrize(("text", "spans"), SPANS)
def test_span(text: str, spans: list[str]) -> None:
    assert [text[d.start : d.end] for d in _dfx001(text)] == spans


def test_bom_is_kept() -> None:
    source = Source.decode("\ufeffFROM python:3.12\nRUN pip install x\n".encode())
    assert source.bom
    fixed = fix(source.text).text
    assert source.encode(fixed) == "\ufeffFROM python:3.12\nRUN pip install --no-cache-dir x\n".encode()


def test_unquoted_sh_c_argument_is_reported_without_a_fix() -> None:
    # ``sh -c pip\ install\ x``: one word for sh, but an inserted space would split it.
    text = "RUN sh -c pip\\ install\\ x\n"
    (d,) = _dfx001(text)
    assert d.fix is None
    assert fix(text).text == text


def test_flag_with_a_value_is_reported_without_a_fix() -> None:
    # pip rejects ``--no-cache-dir=1`` ("option does not take a value"): no exemption, and
    # inserting the flag would leave pip's error in place, so the user is told what to do.
    [d] = _dfx001("RUN pip install --no-cache-dir=1 x\n")
    assert d.fix is None
    assert "takes no value" in d.notes[0]
