"""The finding and fix the cache rules share (DFX001 pip, DFX003 uv), two ways to fix it.

``--fix-strategy flag`` inserts the tool's own flag after its subcommand (safe).
``--fix-strategy cache-mount`` adds ``--mount=type=cache,target=<cache dir>`` to the RUN
instead (unsafe: it needs BuildKit), one mount per RUN and tool however many calls it has.
A RUN that already has a cache mount is never edited by either strategy: the file has
made its own choice about caching there.
"""

from __future__ import annotations

import posixpath
import re

from dockerfix.analysis.cache import ROOT_USERS, Tool, has_cache_mount
from dockerfix.analysis.model import Analysis, Site
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.parse.source import Source
from dockerfix.settings import Settings

SYNTAX_DIRECTIVE = "# syntax=docker/dockerfile:1"
_SAFE_TARGET = r"/[A-Za-z0-9_./+@:-]*"
_MOUNT_FLAG = r"--mount=type=cache,target=\S+"
_MOUNT_EDIT = r" ?--mount=type=cache,target=\S+(?: --mount=type=cache,target=\S+)* ?"


def diagnostic(
    code: str,
    name: str,
    message: str,
    site: Site,
    tool: Tool,
    analysis: Analysis,
    settings: Settings,
    explicit: str | None,
    flag_has_value: bool,
) -> Diagnostic:
    """A finding at ``site`` with the fix the chosen strategy makes (``explicit``: the call's
    ``--cache-dir``; ``flag_has_value``: it says ``--flag=...``, which the tool rejects).
    ``message`` says what is wrong; what to do is added here, from the fix it gets."""
    if flag_has_value:
        # Inserting the flag would leave the tool's error in place; the user must drop the value.
        note = f"`{tool.flag}` takes no value: {tool.name} rejects `{tool.flag}=...`; write `{tool.flag}`"
        return Diagnostic(code, name, f"{message}; add `{tool.flag}`", site.start, site.end, None, (note,))
    found_fix, notes = fix(site, tool, analysis, settings, explicit)
    mount = found_fix is not None and found_fix.applicability == Applicability.UNSAFE
    advice = "; add a BuildKit cache mount for it" if mount else f"; add `{tool.flag}`"
    return Diagnostic(code, name, message + advice, site.start, site.end, found_fix, notes)


def fix(
    site: Site, tool: Tool, analysis: Analysis, settings: Settings, explicit: str | None
) -> tuple[Fix | None, tuple[str, ...]]:
    """The fix for a finding at ``site`` under the chosen strategy, and notes about it."""
    if has_cache_mount(site.instruction):
        target, _ = mount_target(site, tool, explicit)
        mount = f"`--mount=type=cache,target={target}`" if target else "a cache mount"
        return None, (
            "no automatic fix: this RUN already has a cache mount and dockerfix leaves such RUNs "
            f"alone; add {mount} or `{tool.flag}` by hand",
        )
    notes: tuple[str, ...] = ()
    if settings.fix_strategy == "cache-mount":
        target, why_not = mount_target(site, tool, explicit)
        if target is not None:
            return mount_fix(site, target, analysis, settings)
        notes = (f"no cache mount: {why_not}; fixing with `{tool.flag}` instead",)
    if site.insert_at is not None and site.no_edit_reason is None:
        content = f" {tool.flag}" if site.insert_style == "shell" else f'{site.insert_style}"{tool.flag}"'
        edit = Edit.insertion(site.insert_at, content)
        return Fix((edit,), Applicability.SAFE, f"Insert `{tool.flag}`"), notes
    if site.no_edit_reason:
        notes += (f"no automatic fix: {site.no_edit_reason}",)
    return None, notes


def mount_target(site: Site, tool: Tool, explicit: str | None) -> tuple[str | None, str]:
    """The one directory a cache mount for this call must target, or why none is known.

    A cache mount is created owned by root (BuildKit's ``uid`` default is 0), and a USER's
    home and uid are in the image's /etc/passwd, which a linter cannot read. So a mount is
    offered for root, and for a numeric USER whose cache directory the Dockerfile names
    (``uid=`` set); a named non-root USER gets the flag."""
    env = site.env
    user = site.stage.user
    if user is not None and ("$" in user or (user not in ROOT_USERS and not user.isdigit())):
        return None, f"USER {user}'s uid and home are defined in the image, not in the Dockerfile"
    candidates: list[tuple[str, str | None]] = []
    if explicit is not None:
        candidates.append(("--cache-dir", explicit))
    for var, suffix in ((tool.cache_dir_var, ""), ("XDG_CACHE_HOME", tool.name), ("HOME", f".cache/{tool.name}")):
        if var in env and env[var] != "":  # set but empty reads as unset (pip and uv alike)
            value = env[var]
            candidates.append((var, None if value is None else posixpath.join(value, suffix) if suffix else value))
    if not candidates and user in (None, *ROOT_USERS):
        candidates.append(("root's home", f"/root/.cache/{tool.name}"))
    if not candidates:
        return None, f"the home of USER {user} is defined in the image, not in the Dockerfile"
    source, target = candidates[0]
    if target is None or not re.fullmatch(_SAFE_TARGET, target):
        return None, f"the cache directory ({source}) is not a plain absolute path known before the build"
    target = posixpath.normpath(target)
    if user is not None and user.isdigit() and user != "0":
        target += f",uid={user}"
    return target, ""


def mount_fix(site: Site, target: str, analysis: Analysis, settings: Settings) -> tuple[Fix, tuple[str, ...]]:
    ins = site.instruction
    flag = f"--mount=type=cache,target={target}"
    if ins.flags:
        edit = Edit.insertion(ins.flags[-1].end, f" {flag}")  # among the RUN's own flags
    else:
        edit = Edit.insertion(ins.line.file_start(ins.args_index), f"{flag} ")
    edits: tuple[Edit, ...] = (edit,)
    has_directive = "syntax" in analysis.dockerfile.directives
    if settings.add_syntax_directive and not has_directive:
        edits = (Edit.insertion(0, SYNTAX_DIRECTIVE + Source(analysis.text).newline), *edits)
        notes: tuple[str, ...] = ()
    else:
        hint = "" if has_directive else f"; --add-syntax-directive adds `{SYNTAX_DIRECTIVE}` to say so"
        notes = (f"`RUN --mount` needs BuildKit (Docker's default builder since 23.0){hint}",)
    return Fix(edits, Applicability.UNSAFE, f"Add a BuildKit cache mount on `{target}`"), notes


def merge_mount_fixes(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One RUN may need mounts for two tools (``pip install uv && uv pip install ...``):
    give every fix for that RUN the same edit with all its mounts, so they apply together
    (identical edits are applied once) instead of the first mount blocking the others."""
    by_offset: dict[int, list[str]] = {}
    for d in diagnostics:
        for edit in _mount_edits(d):
            flags = by_offset.setdefault(edit.start, [])
            flags.extend(f for f in _mount_flags(edit.content) if f not in flags)
    if all(len(flags) < 2 for flags in by_offset.values()):
        return diagnostics
    out: list[Diagnostic] = []
    for d in diagnostics:
        edits = _mount_edits(d)
        if not edits or d.fix is None:
            out.append(d)
            continue
        merged = tuple(_merged(e, by_offset[e.start]) if e in edits else e for e in d.fix.edits)
        out.append(d._replace(fix=d.fix._replace(edits=merged)))
    return out


def _mount_edits(d: Diagnostic) -> list[Edit]:
    if d.fix is None or d.fix.applicability != Applicability.UNSAFE:
        return []
    return [e for e in d.fix.edits if e.is_insertion and _is_mount_edit(e.content)]


def _mount_flags(content: str) -> list[str]:
    return re.findall(_MOUNT_FLAG, content)


def _is_mount_edit(content: str) -> bool:
    return re.fullmatch(_MOUNT_EDIT, content) is not None


def _merged(edit: Edit, flags: list[str]) -> Edit:
    joined = " ".join(flags)
    content = f" {joined}" if edit.content.startswith(" ") else f"{joined} "
    return Edit.insertion(edit.start, content)
