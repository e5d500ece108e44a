"""What the cache rules share (DFX001 pip, DFX003 uv): where a tool keeps its cache, mounts
on that directory, and the two ways to fix a finding.

``--fix-strategy flag`` inserts the tool's own flag after its subcommand (safe).
``--fix-strategy cache-mount`` adds ``--mount=type=cache,target=<cache dir>`` to the RUN
instead (unsafe: it needs BuildKit), one mount per RUN and tool however many calls it has.
A RUN that already has a cache mount is never edited by either strategy: the file has
made its own choice about caching there.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dockerfix.analysis import flow
from dockerfix.analysis.analyzer import Analysis, Removal, Site
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.parse.dockerfile import Instruction
from dockerfix.parse.shell import Word
from dockerfix.parse.source import Source
from dockerfix.settings import Settings

SYNTAX_DIRECTIVE = "# syntax=docker/dockerfile:1"
_ROOT_USERS = frozenset({"root", "0"})
# A pattern for a rare path stays a string: re compiles (and caches) it on first use, not on
# every start-up.
_SAFE_TARGET = r"/[A-Za-z0-9_./+@:-]*"
_MOUNT_FLAG = r"--mount=type=cache,target=\S+"
_MOUNT_EDIT = r" ?--mount=type=cache,target=\S+(?: --mount=type=cache,target=\S+)* ?"


class Tool(NamedTuple):
    """A package manager whose download cache a rule keeps out of images."""

    name: str  # its directory under ``~/.cache`` and ``$XDG_CACHE_HOME``
    flag: str  # the flag that turns its cache off
    cache_dir_var: str  # the variable that moves its cache


PIP = Tool("pip", "--no-cache-dir", "PIP_CACHE_DIR")
UV = Tool("uv", "--no-cache", "UV_CACHE_DIR")


# -- where the cache is -------------------------------------------------------------------


def cache_dirs(site: Site, tool: Tool, explicit: str | None) -> set[str]:
    """Every directory the tool may use as its cache for this call (``explicit``: its
    ``--cache-dir``), spelt as a Dockerfile may spell it (``$HOME/.cache/pip``)."""
    env = site.env
    if explicit:
        return {explicit}
    var = tool.cache_dir_var
    if var in env and env[var] != "":  # set but empty reads as unset (pip and uv alike)
        value = env[var]
        return {f"${var}", f"${{{var}}}"} | ({value} if value is not None else set())
    if env.get("XDG_CACHE_HOME"):
        return {posixpath.join(str(env["XDG_CACHE_HOME"]), tool.name)}
    homes = {"$HOME", "${HOME}", "~"}
    user = site.stage.user
    if not ("HOME" in env and env["HOME"] is None and user and user not in _ROOT_USERS):
        homes.add("/root")  # not when HOME is unknown for a non-root user (`su app -c ...`)
    if env.get("HOME"):
        homes.add(str(env["HOME"]))
    if site.stage.user and site.stage.user not in _ROOT_USERS:
        homes.add(f"/home/{site.stage.user}")
    return {f"{home}/.cache/{tool.name}" for home in homes}


def is_mounted(site: Site, dirs: Iterable[str], types: tuple[str, ...] = ("cache", "tmpfs")) -> bool:
    """The RUN mounts a cache or tmpfs (``types``) on one of ``dirs`` or a parent of it: the
    tool's cache never reaches the layer (and a flag would defeat the mount)."""
    targets = list(mount_targets(site.instruction.flag_values("mount"), types))
    if not targets:  # most RUNs
        return False
    normalised = {posixpath.normpath(d) for d in dirs}
    for target in map(posixpath.normpath, targets):
        prefix = target.rstrip("/") + "/"
        if any(d == target or d.startswith(prefix) for d in normalised):
            return True
    return False


class Cleaners:
    """Per RUN, the commands that may empty a tool's cache before the layer is written: the
    tool's own (``pip cache purge``, ``uv cache clean``, each with the cache directories it
    empties) and every ``rm -r`` (for any tool). Grouped once per file and rule, so that a
    file of many RUNs is not searched once per call.

    Reading the shell's control flow costs time in the depth of the script's tree, and each
    call is compared with each cleaner of its RUN, so a file gets a budget of both: past it
    (hundreds of installs and cleanings in one RUN) a cache is taken as kept, and the finding
    stays."""

    BUDGET = 64  # control-flow reads; the corpus needs at most 4 per file
    PAIRS = 20_000  # calls compared with cleaners

    def __init__(self, analysis: Analysis, own: Iterable[tuple[Site, set[str]]]) -> None:
        self.own: dict[int, list[tuple[Site, set[str]]]] = {}
        for cleaner, cleaned in own:
            self.own.setdefault(id(cleaner.instruction), []).append((cleaner, cleaned))
        self.removals: dict[int, list[Removal]] = {}
        for removal in analysis.removals:
            self.removals.setdefault(id(removal.instruction), []).append(removal)
        self.budget = self.BUDGET
        self.pairs = self.PAIRS

    def _surely_after(self, first: flow.Place, second: flow.Place) -> bool:
        if not flow.is_later(first, second) or self.budget <= 0:
            return False
        self.budget -= 1
        return flow.surely_after(first, second)

    def empty_later(self, site: Site, dirs: Iterable[str]) -> bool:
        """A command that surely runs after ``site`` in its RUN empties the cache in ``dirs``:
        the cache never reaches the layer."""
        key = id(site.instruction)
        own, removals = self.own.get(key, ()), self.removals.get(key, ())
        if not site.place or not (own or removals):
            return False
        self.pairs -= len(own) + len(removals)
        if self.pairs < 0:
            return False
        wanted = _cache_paths(site, dirs)
        for cleaner, cleaned in own:
            if wanted & _cache_paths(cleaner, cleaned) and self._surely_after(site.place, cleaner.place):
                return True
        for removal in removals:
            if any(_removes(t, wanted, removal.env) for t in removal.targets):
                if self._surely_after(site.place, removal.place):
                    return True
        return False


def _cache_paths(site: Site, dirs: Iterable[str]) -> set[str]:
    """``dirs`` normalised; root's home left out for a named non-root USER (pip and uv run
    as that user keep their cache in its home, not in /root)."""
    user = site.stage.user
    non_root = user is not None and user not in _ROOT_USERS
    paths = {posixpath.normpath(d) for d in dirs}
    return {p for p in paths if not (non_root and (p == "/root" or p.startswith("/root/")))}


def _removes(target: Word, paths: set[str], env: dict[str, str | None]) -> bool:
    """``rm -r TARGET`` removes one of ``paths`` (TARGET is it or a parent of it), or empties
    it (``TARGET/*`` where the path's next name below TARGET is not hidden)."""
    text = target.text
    if text.startswith("~") and not target.raw.startswith("~"):
        return False  # a quoted ~ is not the home
    text = _expand(text, env)
    glob = text.endswith("/*")
    if glob:
        text = text[:-2] or "/"
    if any(c in text for c in "*?["):
        return False
    base = posixpath.normpath(text)
    prefix = base.rstrip("/") + "/"
    for path in paths:
        if path == base:
            return True
        if path.startswith(prefix):
            if not glob or not path[len(prefix) :].startswith("."):
                return True
    return False


def _expand(text: str, env: dict[str, str | None]) -> str:
    """``$NAME`` and ``${NAME}`` replaced by their value where the Dockerfile gives it;
    others (``$HOME``) are left as written, as the cache directories spell them too."""
    if "$" not in text:
        return text
    import re

    def value(match: re.Match[str]) -> str:
        known = env.get(match.group(1) or match.group(2))
        return match.group(0) if known is None else known

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


def mount_targets(values: list[str], types: tuple[str, ...]) -> Iterator[str]:
    """Targets of ``--mount`` flags of the given types (``type=cache,target=/x``)."""
    for value in values:
        fields = _fields(value)
        if fields.get("type", "bind") not in types:
            continue
        target = fields.get("target") or fields.get("dst") or fields.get("destination")
        if target:
            yield target.strip("\"'")


def is_cache_mount(value: str) -> bool:
    return _fields(value).get("type") == "cache"


def has_cache_mount(instruction: Instruction) -> bool:
    return any(is_cache_mount(v) for v in instruction.flag_values("mount"))


def _fields(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in value.split(","):
        key, _, field_value = part.partition("=")
        if part:
            out[key.strip().lower()] = field_value.strip()
    return out


# -- the diagnostic and its fix ---------------------------------------------------------------


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
            return _mount_fix(site, target, analysis, settings)
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
    if user is not None and ("$" in user or (user not in _ROOT_USERS and not user.isdigit())):
        return None, f"USER {user}'s uid and home are defined in the image, not in the Dockerfile"
    candidates: list[tuple[str, str | None]] = []
    if explicit is not None:
        candidates.append(("--cache-dir", explicit))
    for var, suffix in ((tool.cache_dir_var, ""), ("XDG_CACHE_HOME", tool.name), ("HOME", f".cache/{tool.name}")):
        if var in env and env[var] != "":  # set but empty reads as unset (pip and uv alike)
            value = env[var]
            candidates.append((var, None if value is None else posixpath.join(value, suffix) if suffix else value))
    if not candidates and user in (None, *_ROOT_USERS):
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


def _mount_fix(site: Site, target: str, analysis: Analysis, settings: Settings) -> tuple[Fix, tuple[str, ...]]:
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
