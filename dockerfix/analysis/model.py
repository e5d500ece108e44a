"""What the analysis finds, the data the rules read: the stages of a Dockerfile, every pip
and uv call in its RUNs with its context, the calls it could not analyse, the ``rm -r`` of
directories."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, NamedTuple, TypeAlias, TypeVar

from dockerfix.analysis import flow
from dockerfix.parse.instructions import Dockerfile, Instruction
from dockerfix.parse.shell_script import Word
from dockerfix.tools import managers, pip, uv

DEFAULT_SHELL = ("/bin/sh", "-c")


class Stage(NamedTuple):
    """What the analysis knows of a build stage so far: ENV, ARG, USER, SHELL."""

    name: str | None
    env: dict[str, str | None]  # None: set, value not literal
    args: dict[str, str | None]
    user: str | None = None
    shell: tuple[str, ...] = DEFAULT_SHELL
    pip_config_no_cache: bool = False

    @classmethod
    def new(cls, name: str | None) -> Stage:
        """A stage from an image that is not an earlier stage: nothing known yet."""
        return cls(name, {}, {})

    def environment(self) -> dict[str, str | None]:
        return {**self.env, **{k: v for k, v in self.args.items() if k not in self.env}}


Call = TypeVar("Call", pip.PipCall, uv.UvCall, managers.ManagerCall)


class Site(NamedTuple, Generic[Call]):
    """One tool invocation inside a RUN: what the tool's reader made of it (``call``), and its
    context. Code that reads only the context takes a site of any tool."""

    call: Call
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
    nested: bool = False  # pip: inside a `sh -c` string, the word's quoting is the outer shell's too


PipSite: TypeAlias = Site[pip.PipCall]  # one pip invocation
UvSite: TypeAlias = Site[uv.UvCall]  # one uv (or uvx) invocation
ToolSite: TypeAlias = Site[managers.ManagerCall]  # one Poetry, PDM or conda-style call (analysis/tool_sites.py)


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


class Analysis:
    """Everything the rules read: the scanned file and the install sites in it."""

    def __init__(self, text: str, dockerfile: Dockerfile) -> None:
        self.text = text
        self.dockerfile = dockerfile
        self.sites: list[PipSite] = []
        self.uv_sites: list[UvSite] = []
        self.unanalysed: list[Unanalysed] = []
        self.removals: list[Removal] = []
        self.tool_sites: list[ToolSite] = []  # Poetry, PDM, conda

    def installs(self) -> Iterator[PipSite]:
        return (s for s in self.sites if s.call.subcommand == "install")
