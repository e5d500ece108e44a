"""DFX004 poetry-cache: ``poetry install`` keeps the packages it downloads in the image layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis import cache
from dockerfix.analysis.model import Analysis, ToolSite
from dockerfix.analysis.tool_sites import sites, under
from dockerfix.diagnostics import Diagnostic
from dockerfix.rules import cache_fix
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools import poetry

# Poetry's cache as cache.py reads a tool's: ``~/.cache/pypoetry``, ``POETRY_CACHE_DIR``.
TOOL = cache.Tool(poetry.CACHE_NAME, "--no-cache", poetry.CACHE_DIR_VAR)

DOC = RuleDoc(
    code="DFX004",
    name="poetry-cache",
    summary="A Poetry command that installs packages keeps its artifact cache in the image layer.",
    what=(
        "Finds `poetry install`, `poetry sync`, `poetry add` and `poetry update` (also as "
        "`python -m poetry`, behind the wrappers and in every RUN form DFX001 reads). Poetry "
        "downloads every wheel and sdist it installs into `{cache-dir}/artifacts` "
        "(`~/.cache/pypoetry/artifacts`, or under `POETRY_CACHE_DIR` / `$XDG_CACHE_HOME/pypoetry`). "
        "Not reported: `add`/`update --lock`, `--dry-run`, `poetry lock`.\n\n"
        "Poetry's global `--no-cache` is **no** exemption: in Poetry's sources it reaches "
        "`Factory.create_poetry(disable_cache=...)` and turns off only the repositories' HTTP "
        "and release-metadata caches (`Authenticator`, `CachedRepository`); the installer's "
        "`Executor` still downloads every package into the artifact cache "
        "(`ArtifactCache`, src/poetry/installation/executor.py). The `POETRY_VIRTUALENVS_*` "
        "settings choose where the environment goes, not the cache: no exemption either.\n\n"
        "No finding when the RUN mounts a cache or tmpfs on the artifact cache or a parent of "
        "it; when a later command of the same RUN surely removes it (`rm -rf "
        "~/.cache/pypoetry`, as DFX001 reads `rm`); or with a suppression comment. `poetry "
        "cache clear --all PyPI` is no cleaning of it: it empties only "
        "`cache/repositories/PyPI` (src/poetry/console/commands/cache/clear.py). A "
        "`cache-dir` set with `poetry config` is not followed: suppress the finding."
    ),
    why=(
        "The artifact cache holds a copy of every package installed, shipped with the image. "
        "Poetry's `--no-cache` does not remove it (see above), so the fix is a cache mount, "
        "or `rm -rf` of the cache in the same RUN."
    ),
    example="FROM python:3.12-slim\nRUN pip install poetry\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root",
    fix=(
        "Unsafe (it needs BuildKit), whatever `--fix-strategy`: adds "
        "`--mount=type=cache,target=<cache-dir>/artifacts` to the RUN (root's "
        "`/root/.cache/pypoetry/artifacts` by default). The mount is on `artifacts` only: "
        "by default Poetry keeps the project's virtualenv in `{cache-dir}/virtualenvs`, "
        "which a mount on the whole cache directory would hide from the image. No fix for a "
        "named non-root USER or a RUN that already has a cache mount."
    ),
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    found = [s for s in sites(analysis, "poetry") if poetry.installs(s.call)]
    if not found:
        return
    cleaners = cache.Cleaners(analysis, [])
    for site in found:
        dirs = artifact_dirs(site)
        if not (cache.is_mounted(site, dirs) or cleaners.empty_later(site, dirs)):
            yield _diagnostic(site, analysis, settings)


def artifact_dirs(site: ToolSite) -> set[str]:
    """Where this call keeps the packages it downloads."""
    return under(cache.cache_dirs(site, TOOL, None), poetry.ARTIFACTS)


def _diagnostic(site: ToolSite, analysis: Analysis, settings: Settings) -> Diagnostic:
    message = f"`{site.call.name}` keeps the packages it downloads in Poetry's artifact cache, in the image layer"
    if cache.has_cache_mount(site.instruction):
        note = "no automatic fix: this RUN already has a cache mount; mount one on Poetry's `artifacts` cache by hand"
        return Diagnostic(DOC.code, DOC.name, message + "; add a BuildKit cache mount for it", site.start, site.end, None, (note,))
    target, why_not = _mount_target(site)
    if target is None:
        note = f"no automatic fix: {why_not}"
        return Diagnostic(DOC.code, DOC.name, message + "; add a BuildKit cache mount for it", site.start, site.end, None, (note,))
    found, notes = cache_fix.mount_fix(site, target, analysis, settings)
    return Diagnostic(DOC.code, DOC.name, message + "; add a BuildKit cache mount for it", site.start, site.end, found, notes)


def _mount_target(site: ToolSite) -> tuple[str | None, str]:
    """``<cache-dir>/artifacts`` as cache.mount_target finds the cache directory."""
    explicit = site.env.get(poetry.CACHE_DIR_VAR)
    tool = TOOL._replace(name=f"{poetry.CACHE_NAME}/{poetry.ARTIFACTS}")
    if explicit:
        explicit = f"{explicit.rstrip('/')}/{poetry.ARTIFACTS}"
    return cache_fix.mount_target(site, tool, explicit or None)


RULE = Rule(DOC, check)
