"""DFX003 uv-no-cache: a uv command that installs packages keeps uv's cache in the image layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis import cache
from dockerfix.analysis.model import Analysis, UvSite
from dockerfix.diagnostics import Diagnostic
from dockerfix.rules import cache_fix
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools import uv

FLAG = "--no-cache"

DOC = RuleDoc(
    code="DFX003",
    name="uv-no-cache",
    summary="A uv command that installs packages keeps uv's cache in the image layer.",
    what=(
        "Finds every uv command that downloads or builds packages into uv's cache "
        "(`~/.cache/uv`, `$XDG_CACHE_HOME/uv` or `UV_CACHE_DIR`) in every RUN: shell form, exec "
        "form, heredocs, `sh -c '...'`, ONBUILD, continuations, behind the wrappers DFX001 looks "
        "through (`sudo`, `env -i`, `conda run`, `su -c`, `runuser` ...) and as "
        "`python -m uv`. Reported: `uv pip install`, `uv pip sync`, `uv sync`, `uv add` (not "
        "with `--no-sync`), `uv tool install`, `uv tool run` and `uvx` (their environment is "
        "built inside the cache), and `uv run --with ...` (same). Not reported: commands that "
        "only resolve (`uv lock`, `uv pip compile`, `uv export`, `uv tree`: they fetch "
        "metadata), `uv build` (it fetches only build backends, and its output goes to `dist/`), "
        "`uv venv`, `uv python install` (Pythons live outside the cache), and a plain `uv run`, "
        "which runs in the environment an earlier `uv sync` made.\n\n"
        "No finding when, for that call: uv's own options have `--no-cache`, its alias "
        "`--no-cache-dir` or `-n` (global options: before or after the subcommand, also in a "
        "cluster such as `-qn`; not after the command `uv run`/`uvx` executes); `UV_NO_CACHE` is "
        "`1`/`true`/`yes`/`on`/`y`/`t` in any case (clap's BoolishValueParser: unlike pip, `0` "
        "and `false` leave the cache on) by ENV (this stage or an ancestor), ARG with a value, "
        "`VAR=1 uv ...`, `env VAR=1 uv ...` or an earlier `export`; the RUN mounts a cache or "
        "tmpfs on uv's cache directory or a parent of it (`--cache-dir`, `UV_CACHE_DIR`, "
        "`XDG_CACHE_HOME`, the home); a later command of the same RUN empties the cache before "
        "the layer is written and the shell surely runs it after the install (after `;`, a "
        "newline or `&&`; not after `||`, nor in a branch, loop, function, `$( )` or background "
        "job): `uv cache clean` with no package names, for the same cache directory, or `rm -r` "
        "of the cache directory or a parent (`rm -rf ~/.cache/uv`); or a suppression comment. "
        "`--no-cache` and `UV_NO_CACHE` win over `--cache-dir` and `UV_CACHE_DIR` in any order "
        "(`Cache::from_settings` in uv's crates/uv-cache/src/cli.rs). "
        "`UV_LINK_MODE`, `UV_COMPILE_BYTECODE` and the like change how uv installs, not whether "
        "it caches: they are no exemption. A `no-cache` setting in `uv.toml` or `pyproject.toml` "
        "is not visible to dockerfix: suppress the finding."
    ),
    why=(
        "uv keeps every wheel it downloads or builds (and the environments of `uvx`/`uv run "
        "--with`) in its cache. In a Docker build the cache is written into the RUN's layer and "
        "shipped with the image. uv's own Docker guide (\"Using uv in Docker\", Caching) says: "
        "use a cache mount (`RUN --mount=type=cache,target=/root/.cache/uv`) to speed up "
        "rebuilds, and if you are not mounting the cache, reduce the image size with "
        "`--no-cache` or `UV_NO_CACHE` "
        "(<https://docs.astral.sh/uv/guides/integration/docker/#caching>)."
    ),
    example="FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\nRUN uv pip install --system -r requirements.txt",
    fix=(
        "Safe. Inserts ` --no-cache` right after the subcommand (`uv pip install --no-cache`, "
        "`uv sync --no-cache`, `uvx --no-cache ruff`; exec form: a new `\"--no-cache\"` element). "
        "With `--fix-strategy cache-mount` the fix adds `--mount=type=cache,target=<uv's cache "
        "dir>` to the RUN instead (unsafe: it needs BuildKit); see the README. A RUN that already "
        "has a cache mount is left alone by both strategies (the finding stays, with a note)."
    ),
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    # ``uv cache clean`` with no package names, its own cache on: every RUN's cleaners, once.
    cleans = [(s, _cache_dirs(s)) for s in analysis.uv_sites if s.call.cleans_cache and not uv.cache_off(s.call, s.env)]
    cleaners = cache.Cleaners(analysis, cleans)
    for site in analysis.uv_sites:
        if site.call.writes_cache and not _cache_is_off(site, cleaners):
            yield _diagnostic(site, analysis, settings)


def _cache_is_off(site: UvSite, cleaners: cache.Cleaners) -> bool:
    """Off, or never in the layer: mounted, or emptied by a later ``uv cache clean`` or
    ``rm -r`` that surely runs after it in the same RUN."""
    dirs = _cache_dirs(site)
    return uv.cache_off(site.call, site.env) or cache.is_mounted(site, dirs) or cleaners.empty_later(site, dirs)


def _cache_dirs(site: UvSite) -> set[str]:
    return cache.cache_dirs(site, cache.UV, site.call.cache_dir)


def _diagnostic(site: UvSite, analysis: Analysis, settings: Settings) -> Diagnostic:
    message = f"`{site.call.name}` keeps uv's cache in the image layer"
    return cache_fix.diagnostic(
        DOC.code, DOC.name, message, site, cache.UV, analysis, settings, site.call.cache_dir, site.call.no_cache_with_value
    )


RULE = Rule(DOC, check)
