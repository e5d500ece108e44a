"""DFX001 pip-no-cache-dir: ``pip install`` keeps its download cache in the image layer."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping

from dockerfix import cache, pip
from dockerfix.analysis import Analysis, PipSite
from dockerfix.diagnostics import Diagnostic
from dockerfix.pip_options import has_option
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings

FLAG = "--no-cache-dir"

DOC = RuleDoc(
    code="DFX001",
    name="pip-no-cache-dir",
    summary="`pip install` keeps its download cache in the image layer.",
    what=(
        "Finds every `pip install` in every RUN (shell form, exec form, heredocs, `sh -c '...'`, "
        "ONBUILD, across continuations) whose cache is not turned off. No finding when, for that "
        "call: its own argv has `--no-cache-dir` (or an abbreviation pip accepts, such as "
        "`--no-cache`); `PIP_NO_CACHE_DIR` is set to any value pip accepts as a boolean (pip "
        "turns the cache off for `0`/`false` too) by ENV (this stage or an ancestor), ARG with a "
        "value, `VAR=1 pip`, `env VAR=1 pip` or an earlier `export` in the same script; "
        "`pip config set global.no-cache-dir ...` ran in an earlier RUN of the stage or an "
        "ancestor; or the RUN mounts a cache or tmpfs on pip's cache directory or a parent of it "
        "(`--mount=type=cache,target=/root/.cache/pip`). `pip download` and `pip wheel` are not "
        "checked; `uv pip` is DFX003."
    ),
    why=(
        "pip stores every downloaded wheel and sdist under `~/.cache/pip`. In a Docker build that "
        "directory is written into the RUN's layer and shipped with the image: often tens to "
        "hundreds of megabytes nobody will read again. The flag keeps the image small; a cache "
        "mount instead keeps the cache out of the image and speeds up rebuilds."
    ),
    example="FROM python:3.12-slim\nRUN pip install -r requirements.txt",
    fix=(
        "Safe. Inserts ` --no-cache-dir` right after the `install` word (exec form: a new "
        '`"--no-cache-dir"` element after `"install"`, in the array\'s own comma style). '
        "Nothing else in the file changes. No fix is offered when the call sits in an unquoted "
        "`sh -c` argument, where an inserted space would split a word. With `--fix-strategy "
        "cache-mount` the fix adds `--mount=type=cache,target=<pip's cache dir>` to the RUN "
        "instead (unsafe: it needs BuildKit). A RUN that already has a cache mount, even on "
        "another directory such as `/var/cache/apt`, is left alone by both strategies: the "
        "finding stays, with a note, because pip's cache still lands in the layer, but the "
        "file's own choice of caching for that RUN is not overridden."
    ),
    hadolint="DL3042",
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    for site in analysis.installs():
        if not _cache_is_off(site):
            yield _diagnostic(site, analysis, settings)


def _cache_is_off(site: PipSite) -> bool:
    return (
        has_option(site.call.line, FLAG)
        or _env_turns_cache_off(site)
        or site.stage.pip_config_no_cache
        or cache.is_mounted(site, pip_cache_dirs(site))
    )


def _env_turns_cache_off(site: PipSite) -> bool:
    name = _no_cache_dir_var(site.env)
    if name is None:
        return False
    value = site.env[name]
    # A value known only at build time is taken as meant: pip fails on a non-boolean.
    return value is None or value.lower() in pip.PIP_BOOLEANS


def _no_cache_dir_var(env: Mapping[str, str | None]) -> str | None:
    """The first name, in ``env``'s order, that pip reads as ``PIP_NO_CACHE_DIR``.

    A site's env is its call's assignments over its script's environment, which the sites
    of a stage's RUNs share (analysis.py): that one is searched once, not once per site.
    """
    if not isinstance(env, ChainMap):
        return next((n for n in env if pip.is_pip_no_cache_dir_var(n)), None)
    global _last_shared
    *over, shared = env.maps
    if _last_shared is None or _last_shared[0] is not shared:
        _last_shared = (shared, next((n for n in shared if pip.is_pip_no_cache_dir_var(n)), None))
    if _last_shared[1] is not None:  # the shared names come first in a ChainMap's order
        return _last_shared[1]
    return next((n for m in reversed(over) for n in m if pip.is_pip_no_cache_dir_var(n)), None)


# The last shared environment searched, and the name found in it (held: its id stays its own).
_last_shared: tuple[Mapping[str, str | None], str | None] | None = None


def _explicit_cache_dir(site: PipSite) -> str | None:
    values = [
        value
        for a in site.call.line.args
        if a.option is not None and "--cache-dir" in a.option.long
        for value in [a.text if a.kind == "value" else a.inline_value]
        if value
    ]
    return values[-1] if values else None


def pip_cache_dirs(site: PipSite) -> set[str]:
    """Where pip would put its cache for this call."""
    return cache.cache_dirs(site, cache.PIP, _explicit_cache_dir(site))


def _flag_with_value(site: PipSite) -> bool:
    return any(
        a.option is not None and FLAG in a.option.long and a.error is not None for a in site.call.line.args
    )


def _diagnostic(site: PipSite, analysis: Analysis, settings: Settings) -> Diagnostic:
    message = "`pip install` keeps its download cache in the image layer"
    explicit = _explicit_cache_dir(site)
    return cache.diagnostic(
        DOC.code, DOC.name, message, site, cache.PIP, analysis, settings, explicit, _flag_with_value(site)
    )


RULE = Rule(DOC, check)
