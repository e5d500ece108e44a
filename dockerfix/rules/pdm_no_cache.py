"""DFX005 pdm-no-cache: a PDM command that installs packages keeps PDM's cache in the image layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis import cache
from dockerfix.analysis.model import Analysis, ToolSite
from dockerfix.analysis.tool_sites import sites
from dockerfix.diagnostics import Diagnostic
from dockerfix.rules import cache_fix
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools import pdm

DOC = RuleDoc(
    code="DFX005",
    name="pdm-no-cache",
    summary="A PDM command that installs packages keeps PDM's cache in the image layer.",
    what=(
        "Finds `pdm install`, `pdm sync`, `pdm add` and `pdm update` (not with `--no-sync` or "
        "`--dry-run`; also as `python -m pdm`, behind the wrappers and in every RUN form "
        "DFX001 reads). They keep downloaded and built wheels, HTTP responses and hashes in "
        "PDM's cache: `~/.cache/pdm`, `$XDG_CACHE_HOME/pdm` or `PDM_CACHE_DIR` "
        "(`cache_dir` in src/pdm/project/config.py).\n\n"
        "No finding when: PDM's `--no-cache` comes before the command (`pdm --no-cache "
        "install`: it is an option of PDM's main parser only, src/pdm/core.py); "
        "`PDM_NO_CACHE` is set to any non-empty value (PDM reads it with `os.getenv` as the "
        "option's default, so `0` and `false` turn the cache off too) by ENV, ARG, inline, "
        "`env` or `export`; the RUN mounts a cache or tmpfs on PDM's cache directory or a "
        "parent; a later command of the same RUN surely empties it (`pdm cache clear` with "
        "no type, or `rm -r`); or a suppression comment. A `cache_dir` set with `pdm config` "
        "is not followed: suppress the finding."
    ),
    why=(
        "`--no-cache` sets `core.state.enable_cache = False`, which turns off PDM's HTTP "
        "cache, its built-wheel cache (`Candidate.should_cache` in "
        "src/pdm/models/candidates.py) and, with the uv installer, uv's cache: without it "
        "the cache is written into the RUN's layer and shipped with the image."
    ),
    example="FROM python:3.12-slim\nRUN pip install pdm\nCOPY pyproject.toml pdm.lock ./\nRUN pdm install --prod",
    fix=(
        "Safe. Inserts ` --no-cache` right after `pdm` (before the command, where PDM reads "
        "it: `pdm --no-cache install`). With `--fix-strategy cache-mount` the fix adds "
        "`--mount=type=cache,target=<PDM's cache dir>` to the RUN instead (unsafe: it needs "
        "BuildKit). A RUN that already has a cache mount is left alone."
    ),
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    found = sites(analysis, "pdm")
    if not found:
        return
    # ``pdm cache clear`` with no cache type, its own cache on: every RUN's cleaners, once.
    cleans = [(s, _cache_dirs(s)) for s in found if pdm.cleans_cache(s.call) and not pdm.cache_off(s.call, s.env)]
    cleaners = cache.Cleaners(analysis, cleans)
    for site in found:
        if not pdm.installs(site.call) or pdm.cache_off(site.call, site.env):
            continue
        dirs = _cache_dirs(site)
        if not (cache.is_mounted(site, dirs) or cleaners.empty_later(site, dirs)):
            yield _diagnostic(site, analysis, settings)


def _cache_dirs(site: ToolSite) -> set[str]:
    return cache.cache_dirs(site, cache.PDM, None)


def _diagnostic(site: ToolSite, analysis: Analysis, settings: Settings) -> Diagnostic:
    message = f"`{site.call.name}` keeps PDM's cache in the image layer"
    # PDM reads --no-cache before its command only: the flag goes right after `pdm`.
    at = site.call.name_word.end if site.insert_at is not None else None
    flag_site = site._replace(insert_at=at)
    return cache_fix.diagnostic(DOC.code, DOC.name, message, flag_site, cache.PDM, analysis, settings, None, False)


RULE = Rule(DOC, check)
