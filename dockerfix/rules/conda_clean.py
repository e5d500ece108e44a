"""DFX006 conda-clean: conda, mamba or micromamba installs packages and no cleaning follows."""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Iterator

from dockerfix.analysis import cache, flow
from dockerfix.analysis.model import Analysis, ToolSite
from dockerfix.analysis.tool_sites import sites
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.parse import shell
from dockerfix.rules import cache_fix
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools import conda

DOC = RuleDoc(
    code="DFX006",
    name="conda-clean",
    summary="conda, mamba or micromamba installs packages and its package cache stays in the image layer.",
    what=(
        "Finds `install`, `create`, `update` and `env create`/`env update` of `conda`, `mamba` "
        "and `micromamba` (also `python -m conda`, behind the wrappers and in every RUN form "
        "DFX001 reads; not with `--dry-run`). Each downloads its packages as tarballs into the "
        "package cache and extracts them there: `CONDA_PKGS_DIRS`, else `<root prefix>/pkgs` "
        "(`Context.pkgs_dirs` in conda/base/context.py; `/opt/conda/pkgs` in the official "
        "images, `$MAMBA_ROOT_PREFIX/pkgs` for micromamba). No option or variable keeps them "
        "out.\n\n"
        "No finding when a later command of the same RUN surely runs after the install (after "
        "`;`, a newline or `&&`; not in a branch, loop, `$( )` or after `||`) and cleans the "
        "cache: `conda clean` (or mamba's, micromamba's) with `-a`/`--all`, "
        "`-f`/`--force-pkgs-dirs` or `-t`/`--tarballs` (the old `conda clean -tipsy`; "
        "conda/cli/main_clean.py), or `rm -r` of the package cache or a parent (`rm -rf "
        "/opt/conda/pkgs`, also under the usual roots `/opt/miniconda3`, `/opt/mambaforge` "
        "...); when the RUN mounts a cache or tmpfs on the "
        "package cache (a target named `pkgs`, `CONDA_PKGS_DIRS`, or a parent of "
        "`<root prefix>/pkgs`); or with a suppression comment."
    ),
    why=(
        "The downloaded tarballs in `pkgs` are a second, compressed copy of every package "
        "installed, shipped with the image (the extracted packages beside them are hard "
        "links to the installed files, and the index cache and unused packages add more): "
        "the reason the official continuumio and "
        "mambaorg images end every install with `conda clean -afy` / `micromamba clean "
        "--all --yes`."
    ),
    example="FROM continuumio/miniconda3\nRUN conda install -y numpy pandas",
    fix=(
        "Unsafe (a new command, not a flag): appends ` && conda clean -afy` (` && mamba clean "
        "-afy`, ` && micromamba clean --all --yes`, with the program as written) after the "
        "RUN's last command, only where that is certain to run after the install: the install "
        "and the last command are in the RUN's own shell-form command (no heredoc, exec form "
        "or `sh -c` string), the last command surely runs after the install (a plain `&&`/`;` "
        "chain) and nothing but blanks follows it. With `--fix-strategy cache-mount`, when "
        "the package cache is a plain path the Dockerfile names (`CONDA_PKGS_DIRS`, "
        "`MAMBA_ROOT_PREFIX`, `CONDA_DIR`), the fix adds a cache mount on it instead."
    ),
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    found = sites(analysis, "conda")
    if not found:
        return
    cleaners = cache.Cleaners(analysis, [(s, pkgs_dirs(s)) for s in found if conda.cleans_cache(s.call)])
    for site in found:
        if not conda.installs(site.call):
            continue
        dirs = pkgs_dirs(site)
        if _mounted(site, dirs) or cleaners.empty_later(site, dirs):
            continue
        yield _diagnostic(site, analysis, settings)


def pkgs_dirs(site: ToolSite) -> set[str]:
    """The package caches a call may use, spelt as a Dockerfile may spell them."""
    env = site.env
    if env.get(conda.PKGS_DIRS_VAR):
        value = str(env[conda.PKGS_DIRS_VAR])
        return {"$" + conda.PKGS_DIRS_VAR, "${" + conda.PKGS_DIRS_VAR + "}", *value.split(",")}
    roots = set(conda.DEFAULT_ROOTS)
    for var in conda.ROOT_VARS:
        roots |= {f"${var}", f"${{{var}}}"}
        if env.get(var):
            roots.add(str(env[var]))
    dirs = {posixpath.join(root, "pkgs") for root in roots}
    return dirs | {"~/.conda/pkgs", "$HOME/.conda/pkgs", "/root/.conda/pkgs"}


def _mounted(site: ToolSite, dirs: set[str]) -> bool:
    """A cache or tmpfs mount on the package cache: on ``dirs`` or a parent, or on any
    directory named ``pkgs`` (the root prefix is the image's choice)."""
    if cache.is_mounted(site, dirs):
        return True
    targets = cache.mount_targets(site.instruction.flag_values("mount"), ("cache", "tmpfs"))
    return any(posixpath.basename(posixpath.normpath(t)) == "pkgs" for t in targets)


def _diagnostic(site: ToolSite, analysis: Analysis, settings: Settings) -> Diagnostic:
    cleanup = conda.cleanup_command(site.call)
    message = f"`{site.call.name}` leaves its package cache in the image layer"
    notes: tuple[str, ...] = ()
    if settings.fix_strategy == "cache-mount":
        target = _mount_target(site)
        if target is not None and not cache.has_cache_mount(site.instruction):
            found, notes = cache_fix.mount_fix(site, target, analysis, settings)
            return Diagnostic(DOC.code, DOC.name, message + "; add a BuildKit cache mount for it", site.start, site.end, found, notes)
        notes = ("no cache mount: the package cache is not a plain path the Dockerfile names; appending a cleaning instead",)
    at, why_not = _append_at(site)
    if at is None:
        return Diagnostic(
            DOC.code, DOC.name, f"{message}; end the RUN with `{cleanup}`", site.start, site.end, None,
            (*notes, f"no automatic fix: {why_not}"),
        )
    edit = Edit.insertion(at, f" && {cleanup}")
    found_fix = Fix((edit,), Applicability.UNSAFE, f"Append `&& {cleanup}` to the RUN")
    return Diagnostic(DOC.code, DOC.name, f"{message}; end the RUN with `{cleanup}`", site.start, site.end, found_fix, notes)


def _mount_target(site: ToolSite) -> str | None:
    """The one plain package-cache path the Dockerfile names for this call, for root."""
    user = site.stage.user
    if user not in (None, "root", "0"):
        return None
    env = site.env
    value = env.get(conda.PKGS_DIRS_VAR)
    if not value:
        root = next((env[v] for v in conda.ROOT_VARS if env.get(v)), None)
        value = None if root is None else posixpath.join(root, "pkgs")
    if value is None or not re.fullmatch(r"/[A-Za-z0-9_./+@-]*", value):
        return None
    return posixpath.normpath(value)


def _append_at(site: ToolSite) -> tuple[int | None, str]:
    """Where `&& <cleaning>` goes so that it surely runs after the install: the end of the
    RUN's last command, if that is in the RUN's own command, surely after the install, and
    followed by blanks only."""
    ins = site.instruction
    if site.exec_form or ins.exec_form is not None or ins.heredocs:
        return None, "the RUN is in exec form or has a heredoc"
    if len(site.place) != 1 or site.no_edit_reason is not None:
        return None, "the install is inside a script the RUN runs (`sh -c`, `su -c` ...)"
    script, at = site.place[0]
    commands = shell.parse(script).commands
    last = max(commands, key=lambda c: c.start, default=None)
    if last is None:
        return None, "the RUN's shell could not be read"
    if last.start != at and not flow.surely_after(site.place, ((script, last.start),)):
        return None, "the RUN's last command may not run after the install (a branch, loop, `||` ...)"
    tail = script.text[bisect.bisect_left(script.offsets, last.end) :]
    if tail.strip(" \t\r\n"):
        return None, f"the RUN's last command is followed by `{tail.strip()[:20]}`"
    if any(c.end > last.end for c in commands):
        return None, "the RUN's last command is inside another"
    return last.end, ""


RULE = Rule(DOC, check)
