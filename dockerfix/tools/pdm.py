"""PDM and its cache, from PDM's sources (pdm-project/pdm, src/pdm/).

* ``cache_dir`` (``PDM_CACHE_DIR``, ``pdm config cache_dir``) defaults to
  ``platformdirs.user_cache_dir("pdm")``: ``~/.cache/pdm`` or ``$XDG_CACHE_HOME/pdm`` on
  Linux (project/config.py). It holds ``http/``, ``wheels/``, ``hashes/``, ``metadata/`` and
  ``packages/`` (``CACHE_TYPES`` in cli/commands/cache.py).
* ``--no-cache`` is an option of the main parser only (``no_cache_option.add_to_parser(
  self.parser)`` in core.py): it goes *before* the command, ``pdm --no-cache install``. It
  sets ``core.state.enable_cache = False``, which turns off the HTTP cache
  (environments/base.py), the built-wheel cache (``Candidate.should_cache``,
  ``_get_build_cache`` in models/candidates.py) and, with the uv installer, uv's cache
  (installers/uv.py).
* ``PDM_NO_CACHE`` is the option's default, read with ``os.getenv``: any non-empty value
  turns the cache off, ``0`` and ``false`` included (argparse's ``store_true`` keeps the
  string, which is truthy).
* ``install``, ``sync``, ``add`` and ``update`` download packages (``add``/``update
  --no-sync`` and ``--dry-run`` do not); ``pdm cache clear`` with no type empties the cache.
"""

from __future__ import annotations

from collections.abc import Mapping

from dockerfix.tools import managers

SPEC = managers.Spec(
    tool="pdm",
    programs=frozenset({"pdm"}),
    modules=frozenset({"pdm"}),
    value_options=frozenset({"-c", "--config", "-p", "--project", "-G", "--group", "-L", "--lockfile", "--venv"}),
    namespaces=frozenset({"cache", "self", "venv", "python", "py"}),
)
FLAG = "--no-cache"
CACHE_NAME = "pdm"
CACHE_DIR_VAR = "PDM_CACHE_DIR"
NO_CACHE_VAR = "PDM_NO_CACHE"
_INSTALLING = frozenset({("install",), ("sync",), ("add",), ("update",)})


def installs(call: managers.ManagerCall) -> bool:
    """Does this call download packages into PDM's cache?"""
    if call.command not in _INSTALLING or call.has("--dry-run"):
        return False
    return not (call.command in (("add",), ("update",)) and call.has("--no-sync"))


def no_cache_flag(call: managers.ManagerCall) -> bool:
    """``pdm --no-cache ...``: only before the command is it PDM's option."""
    return any(w.text == FLAG for w in call.global_options)


def turns_cache_off(value: str | None) -> bool:
    """``PDM_NO_CACHE``'s value (None: known only at build time, taken as meant)."""
    return value is None or value != ""


def env_turns_cache_off(env: Mapping[str, str | None]) -> bool:
    """``PDM_NO_CACHE`` in the environment the call sees turns PDM's cache off."""
    return NO_CACHE_VAR in env and turns_cache_off(env[NO_CACHE_VAR])


def cache_off(call: managers.ManagerCall, env: Mapping[str, str | None]) -> bool:
    """PDM's cache is off for this call: ``--no-cache`` or ``PDM_NO_CACHE``."""
    return no_cache_flag(call) or env_turns_cache_off(env)


def cleans_cache(call: managers.ManagerCall) -> bool:
    """``pdm cache clear`` with no cache type: every cache type goes."""
    return call.command == ("cache", "clear") and not call.positionals
