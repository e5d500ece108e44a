"""What the analysis finds, the data the rules read: the stages of a Dockerfile, every pip
and uv call in its RUNs with its context, the calls it could not analyse, the ``rm -r`` of
directories."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from dockerfix.analysis import flow
from dockerfix.parse.dockerfile import Dockerfile, Instruction
from dockerfix.parse.shell import Word
from dockerfix.tools import pip, uv

DEFAULT_SHELL = ("/bin/sh", "-c")


@dataclass(frozen=True)
class Stage:
    """What the analysis knows of a build stage so far: ENV, ARG, USER, SHELL."""

    name: str | None
    env: dict[str, str | None] = field(default_factory=dict)  # None: set, value not literal
    args: dict[str, str | None] = field(default_factory=dict)
    user: str | None = None
    shell: tuple[str, ...] = DEFAULT_SHELL
    pip_config_no_cache: bool = False

    def environment(self) -> dict[str, str | None]:
        return {**self.env, **{k: v for k, v in self.args.items() if k not in self.env}}


@dataclass(frozen=True, kw_only=True)
class Site:
    """One tool invocation inside a RUN: what every kind of call has in common."""

    instruction: Instruction
    stage: Stage
    env: Mapping[str, str | None]  # what this call's process sees (ENV, ARG, export, inline)
    start: int  # program word start
    end: int  # end of the subcommand word (or of the program word)
    insert_at: int | None  # where an argument right after the subcommand goes
    insert_style: str  # "shell" or the exec-form separator (", " or ",")
    no_edit_reason: str | None = None
    exec_form: bool = False
    place: flow.Place = ()  # where it runs in the RUN's scripts, for flow.surely_after


@dataclass(frozen=True, kw_only=True)
class PipSite(Site):
    """One pip invocation inside a RUN."""

    call: pip.PipCall
    nested: bool = False  # inside a `sh -c` string: the word's quoting is the outer shell's too


@dataclass(frozen=True, kw_only=True)
class UvSite(Site):
    """One uv (or uvx) invocation inside a RUN."""

    call: uv.UvCall


class Removal(NamedTuple):
    """``rm -r`` of directories in a RUN (``rm -rf ~/.cache``): a cache it empties before
    the layer is written is not in the layer."""

    instruction: Instruction
    place: flow.Place
    targets: tuple[Word, ...]  # its operands
    env: dict[str, str | None]  # the shell's variables there, which expand the operands


class Unanalysed(NamedTuple):
    """A likely ``pip install`` we could not analyse safely: reported, never edited."""

    instruction: Instruction
    start: int
    end: int
    reason: str


@dataclass
class Analysis:
    """Everything the rules read: the scanned file and the install sites in it."""

    text: str
    dockerfile: Dockerfile
    sites: list[PipSite] = field(default_factory=list)
    uv_sites: list[UvSite] = field(default_factory=list)
    unanalysed: list[Unanalysed] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    tool_sites: list[Any] = field(default_factory=list)  # tool_sites.ToolSite: Poetry, PDM, conda

    def installs(self) -> Iterator[PipSite]:
        return (s for s in self.sites if s.call.subcommand == "install")
