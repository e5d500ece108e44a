"""Poetry and its caches, from Poetry's sources (python-poetry/poetry, src/poetry/).

* ``cache-dir`` (``POETRY_CACHE_DIR``, ``poetry config cache-dir``) defaults to
  ``platformdirs.user_cache_path("pypoetry")``: ``~/.cache/pypoetry`` or
  ``$XDG_CACHE_HOME/pypoetry`` on Linux (``DEFAULT_CACHE_DIR`` in locations.py).
* Under it: ``artifacts/``, every wheel and sdist the installer downloads or builds
  (``Config.artifacts_cache_directory``, used by ``Executor._download_link`` through
  ``ArtifactCache`` in installation/executor.py); ``cache/repositories/``, the HTTP and
  release-metadata caches (``Config.repository_cache_directory``); and by default
  ``virtualenvs/``, the project's environment (``virtualenvs.path`` = ``{cache-dir}/virtualenvs``)
  -- not a cache: a mount on the whole ``cache-dir`` would hide the installed environment.
* The global ``--no-cache`` (console/application.py) reaches ``Factory.create_poetry(
  disable_cache=...)``: it turns off the repositories' HTTP cache (``Authenticator``'s
  ``SeparateBodyFileCache``) and release-info cache (``CachedRepository``) only. The
  ``Executor`` still downloads every package into ``artifacts/``: the flag does *not* keep
  the packages out of the layer, so dockerfix never offers it as the fix.
* ``install``, ``sync``, ``add`` and ``update`` run the installer (``add``/``update --lock``
  only write the lock file, ``--dry-run`` installs nothing); ``lock`` resolves only.
* The ``POETRY_VIRTUALENVS_*`` settings choose where the environment goes, not the cache.
"""

from __future__ import annotations

from dockerfix.tools import managers

SPEC = managers.Spec(
    tool="poetry",
    programs=frozenset({"poetry"}),
    modules=frozenset({"poetry"}),
    value_options=frozenset({"-C", "--directory", "-P", "--project", "-E", "--extras", "--with", "--without", "--only", "-G", "--group"}),
    namespaces=frozenset({"self", "cache", "env", "source", "debug", "python"}),
)
CACHE_NAME = "pypoetry"  # its directory under ~/.cache
CACHE_DIR_VAR = "POETRY_CACHE_DIR"
ARTIFACTS = "artifacts"
_INSTALLING = frozenset({("install",), ("sync",), ("add",), ("update",)})


def installs(call: managers.ManagerCall) -> bool:
    """Does this call download packages into the artifact cache?"""
    if call.command not in _INSTALLING or call.has("--dry-run"):
        return False
    return not (call.command in (("add",), ("update",)) and call.has("--lock"))
