"""DFX001 pip-no-cache-dir: ``pip install`` keeps its download cache in the image layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis import cache
from dockerfix.analysis.model import Analysis, PipSite
from dockerfix.diagnostics import Diagnostic
from dockerfix.rules import cache_fix
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools.pip_cache import NoCacheDirNames, PipCache, cache_dir_value, explicit_cache_dir, is_isolated, pip_cache
from dockerfix.tools.pip_command_line import ParsedArg, option_args

FLAG = "--no-cache-dir"

DOC = RuleDoc(
    code="DFX001",
    name="pip-no-cache-dir",
    summary="`pip install` keeps its download cache in the image layer.",
    what=(
        "Finds every `pip install` in every RUN (shell form, exec form, heredocs, `sh -c '...'`, "
        "ONBUILD, across continuations, in `$(...)` and backticks, behind wrappers: `sudo`, "
        "`env`, `conda`/`mamba`/`micromamba run`, `poetry run`, `pipenv run`, `uv run`, `uvx`, "
        "`su -c '...'`, `runuser`, `find -exec`, `scl enable`, `echo '...' | sh`; also "
        "Debian's `pip-3.3` and `python /usr/bin/pip3`) whose cache is on, in the environment "
        "its wrappers give it (`env -i`, `env -u`, `su -` and `runuser -l` clear ENV and ARG "
        "values, and so does `sudo` without `-E` (sudoers' env_reset); `su USER`, `runuser -u "
        "USER` and `sudo -u USER` move HOME, and with it pip's cache, to USER's home), by pip's own precedence (pip 26.3: "
        "`ConfigOptionParser` in pip/_internal/cli/parser.py, `_handle_no_cache_dir` in "
        "cli/cmdoptions.py): the command line, read left to right, overrides the environment, "
        "which overrides config files. So the cache is off when the call's last cache option is "
        "`--no-cache-dir` (or an abbreviation pip accepts, such as `--no-cache`; a later "
        "`--cache-dir DIR` turns it back on), or, with no cache option and no `--isolated` (which "
        "makes pip skip the environment and the user's config), when `PIP_NO_CACHE_DIR` is set "
        "to any value pip accepts as a boolean (pip turns the cache off for `0`/`false` too; an "
        "empty value is ignored) by ENV (this stage or an ancestor), ARG with a value, `VAR=1 "
        "pip`, `env VAR=1 pip` or an earlier `export` in the same script, or `pip config set "
        "global.no-cache-dir ...` ran in an earlier RUN of the stage or an ancestor.\n\n"
        "No finding either when the cache never reaches the layer: the RUN mounts a cache or "
        "tmpfs on pip's cache directory or a parent of it "
        "(`--mount=type=cache,target=/root/.cache/pip`), or a later command of the same RUN "
        "empties it and the shell surely runs that command after the install (after `;`, a "
        "newline or `&&`; not after `||`, nor in a branch, loop, function, `$( )` or background "
        "job the install is not in): `pip cache purge`, `pip cache remove '*'` (for the same "
        "cache directory), or `rm -r` of the directory or a parent (`rm -rf ~/.cache`, "
        "`$HOME/.cache/pip`, `$PIP_CACHE_DIR`, the `--cache-dir`). `pip download` and `pip "
        "wheel` are not checked; `uv pip` is DFX003."
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
        '`"--no-cache-dir"` element after `"install"`, in the array\'s own comma style), or, '
        "when a `--cache-dir` follows `install`, right after the last `--cache-dir` and its "
        "value, since pip heeds the last of them. "
        "Nothing else in the file changes; inside a wrapper's script (`sh -c`, `su -c`, "
        "`echo '...' | sh`) the flag goes into the quoted string. No fix is offered when the call "
        "sits in an unquoted script argument, where an inserted space would split a word. With `--fix-strategy "
        "cache-mount` the fix adds `--mount=type=cache,target=<pip's cache dir>` to the RUN "
        "instead (unsafe: it needs BuildKit). A RUN that already has a cache mount, even on "
        "another directory such as `/var/cache/apt`, is left alone by both strategies: the "
        "finding stays, with a note, because pip's cache still lands in the layer, but the "
        "file's own choice of caching for that RUN is not overridden."
    ),
    hadolint="DL3042",
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    names = NoCacheDirNames()
    cleaners = cache.Cleaners(analysis, [(s, _cache_dirs(s)) for s in analysis.sites if _purges(s, names)])
    for site in analysis.installs():
        state = _pip_cache(site, names)
        if state.on and not _cache_kept_out(site, cleaners):
            yield _diagnostic(site, state, analysis, settings)


def _pip_cache(site: PipSite, names: NoCacheDirNames) -> PipCache:
    return pip_cache(site.call.line, site.env, site.stage.pip_config_no_cache, names)


def _cache_kept_out(site: PipSite, cleaners: cache.Cleaners) -> bool:
    """The cache is on, but never reaches the layer: a mount on it, or emptied later."""
    dirs = _cache_dirs(site)
    return cache.is_mounted(site, dirs) or cleaners.empty_later(site, dirs)


def _purges(site: PipSite, names: NoCacheDirNames) -> bool:
    """``pip cache purge`` or ``pip cache remove '*'``: every wheel and HTTP file of the
    cache goes (``CacheCommand.remove_cache_items`` in pip/_internal/commands/cache.py),
    if the call's cache is on (pip refuses ``pip cache`` with the cache off). An unquoted
    ``*`` is a shell glob, not pip's pattern."""
    if site.call.subcommand != "cache" or not _pip_cache(site, names).on:
        return False
    words = [site.call.argv[a.index] for a in site.call.line.positionals]
    texts = [w.literal for w in words]
    return texts == ["purge"] or (texts == ["remove", "*"] and words[1].raw != "*")


def _cache_dirs(site: PipSite) -> set[str]:
    """Where pip would put its cache for this call."""
    return cache.cache_dirs(site, cache.PIP, explicit_cache_dir(site.call.line))


def _flag_with_value(site: PipSite) -> bool:
    return any(
        a.option is not None and FLAG in a.option.long and a.error is not None for a in site.call.line.args
    )


def _flag_site(site: PipSite, state: PipCache) -> PipSite:
    """The site with ``insert_at`` where pip heeds the flag: after the last ``--cache-dir``
    (and its value word) when that comes after the subcommand, since pip's last option wins."""
    option = state.decided_by
    sub = site.call.line.subcommand_index
    if option is None or sub is None or option.index < sub or site.insert_at is None:
        return site
    value = cache_dir_value(site.call.line, option)
    last = value.index if isinstance(value, ParsedArg) else option.index
    return site._replace(insert_at=site.call.argv[last].end)


def _why_on(site: PipSite, state: PipCache) -> tuple[str, ...]:
    """A note when a setting that turns the cache off is not what pip heeds here."""
    setting = {"env": "`PIP_NO_CACHE_DIR`", "config": "`pip config set ...no-cache-dir`"}.get(state.overridden or "")
    option = state.decided_by
    if option is not None:
        earlier = [a for a in option_args(site.call.line, "--no-cache-dir") if a.index < option.index]
        if earlier:
            return (f"`{option.text}` comes after `{earlier[-1].text}` and turns the cache back on: pip's last option wins",)
        if setting:
            return (f"`{option.text}` on the command line overrides {setting}: pip reads the command line last",)
    elif setting and is_isolated(site.call.line):
        return (f"`--isolated` makes pip ignore {setting}",)
    return ()


def _diagnostic(site: PipSite, state: PipCache, analysis: Analysis, settings: Settings) -> Diagnostic:
    message = "`pip install` keeps its download cache in the image layer"
    explicit = explicit_cache_dir(site.call.line)
    found = cache_fix.diagnostic(
        DOC.code, DOC.name, message, _flag_site(site, state), cache.PIP, analysis, settings, explicit, _flag_with_value(site)
    )
    why = _why_on(site, state)
    return found._replace(notes=why + found.notes) if why else found


RULE = Rule(DOC, check)
