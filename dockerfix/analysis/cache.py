"""What a tool's download cache is in a RUN: where the tool keeps it (``cache_dirs``),
whether a cache or tmpfs mount covers it (``is_mounted``), and whether a later command of
the RUN empties it (``Cleaners``). The cache rules (DFX001 pip, DFX003 uv, DFX005 PDM, DFX007)
read these; the fixes they build are in ``dockerfix.rules.cache_fix``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dockerfix.analysis import flow
from dockerfix.analysis.environment import expand_known
from dockerfix.analysis.model import Analysis, Removal, Site
from dockerfix.parse.instructions import Instruction
from dockerfix.parse.shell_script import Word
from dockerfix.tools import pdm

ROOT_USERS = frozenset({"root", "0"})


class Tool(NamedTuple):
    """A package manager whose download cache a rule keeps out of images."""

    name: str  # its directory under ``~/.cache`` and ``$XDG_CACHE_HOME``
    flag: str  # the flag that turns its cache off
    cache_dir_var: str  # the variable that moves its cache


PIP = Tool("pip", "--no-cache-dir", "PIP_CACHE_DIR")
UV = Tool("uv", "--no-cache", "UV_CACHE_DIR")
PDM = Tool(pdm.CACHE_NAME, pdm.FLAG, pdm.CACHE_DIR_VAR)


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
    if not ("HOME" in env and env["HOME"] is None and user and user not in ROOT_USERS):
        homes.add("/root")  # not when HOME is unknown for a non-root user (`su app -c ...`)
    if env.get("HOME"):
        homes.add(str(env["HOME"]))
    if site.stage.user and site.stage.user not in ROOT_USERS:
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

    BUDGET = 64  # control-flow reads
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


def may_remove(text: str) -> bool:
    """Whether a command may be ``rm -r``: a cheap test on its text."""
    return "rm " in text and ("-r" in text or "-R" in text or "-fr" in text or "-fR" in text or "--recursive" in text)


def recursive_rm_targets(argv: tuple[Word, ...]) -> tuple[Word, ...]:
    """The operands of ``rm`` when it removes recursively (``-r``, ``-R``, ``--recursive``,
    in any cluster such as ``-rf`` or ``-fr``); options count before the first operand only
    (POSIX; BusyBox does not permute them). Empty when not recursive or not plain."""
    recursive = False
    for i, word in enumerate(argv):
        text = word.literal
        if text is None:  # ``$HOME/.cache``: an operand
            return tuple(argv[i:]) if recursive else ()
        if text == "--":
            return tuple(argv[i + 1 :]) if recursive else ()
        if text.startswith("--"):
            if text == "--recursive":
                recursive = True
            elif text not in ("--force", "--verbose", "--one-file-system", "--no-preserve-root", "--preserve-root"):
                return ()
            continue
        if text.startswith("-") and len(text) > 1:
            if not set(text[1:]) <= set("rRfvd"):  # -i/-I ask, and a build has no one to answer
                return ()
            recursive = recursive or "r" in text or "R" in text
            continue
        return tuple(argv[i:]) if recursive else ()
    return ()


def _cache_paths(site: Site, dirs: Iterable[str]) -> set[str]:
    """``dirs`` normalised; root's home left out for a named non-root USER (pip and uv run
    as that user keep their cache in its home, not in /root)."""
    user = site.stage.user
    non_root = user is not None and user not in ROOT_USERS
    paths = {posixpath.normpath(d) for d in dirs}
    return {p for p in paths if not (non_root and (p == "/root" or p.startswith("/root/")))}


def _removes(target: Word, paths: set[str], env: dict[str, str | None]) -> bool:
    """``rm -r TARGET`` removes one of ``paths`` (TARGET is it or a parent of it), or empties
    it (``TARGET/*`` where the path's next name below TARGET is not hidden)."""
    text = target.text
    if text.startswith("~") and not target.raw.startswith("~"):
        return False  # a quoted ~ is not the home
    text = expand_known(text, env)
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
