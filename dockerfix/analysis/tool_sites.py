"""Calls of the other Python package managers (Poetry, PDM, conda/mamba/micromamba) in a RUN.

The analyzer walks every command's layers (``sudo``, ``env``, ``conda run`` ... then the
program) and hands each to :func:`collect`, which keeps a :class:`ToolSite` for each call of
one of these tools: so they are found wherever pip is (shell and exec form, heredocs,
``sh -c``, ONBUILD, wrappers), with the same environment and place. What each call means
for its cache is the rules' business (rules/poetry_cache.py, pdm_no_cache.py, conda_clean.py).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dockerfix.analysis.model import Analysis, Site, ToolSite, Unanalysed
from dockerfix.analysis.environment import site_fields
from dockerfix.parse.instructions import Instruction
from dockerfix.parse.shell_script import Command
from dockerfix.tools import conda, managers, pdm, poetry
from dockerfix.tools.pip import is_python_program
from dockerfix.tools.wrappers import Layer

if TYPE_CHECKING:
    from dockerfix.analysis.analyzer import Analyzer
    from dockerfix.analysis.model import Stage

SPECS = (poetry.SPEC, pdm.SPEC, conda.SPEC)


def collect(
    analyzer: Analyzer,
    ins: Instruction,
    stage: Stage,
    command: Command,
    layer: Layer,
    env: Mapping[str, str | None],
    editable: bool,
    exec_separator: str | None,
    in_error: bool,
) -> None:
    """Keep the package-manager call at this layer of ``command``, if there is one."""
    if layer.program not in _PROGRAMS and not is_python_program(layer.program):
        return
    call = managers.call_in(command, layer, SPECS)
    if call is None or not call.command_words:
        return
    analysis = analyzer.analysis
    if in_error:
        if not _INSTALLS[call.spec.tool](call):
            return
        reason = "tree-sitter could not parse the shell around it"
        analysis.unanalysed.append(Unanalysed(ins, call.program.start, call.command_words[-1].end, reason))
        return
    last = call.command_words[-1]
    fields = site_fields(ins, stage, env, call.env, call.scope, call.program, last, editable, exec_separator)
    analysis.tool_sites.append(Site(call=call, place=tuple(analyzer.place), **fields))


_PROGRAMS = frozenset().union(*(s.programs for s in SPECS))
_INSTALLS = {"poetry": poetry.installs, "pdm": pdm.installs, "conda": conda.installs}


def sites(analysis: Analysis, tool: str) -> list[ToolSite]:
    """The analysis' calls of ``tool`` ("poetry", "pdm", "conda")."""
    return [s for s in analysis.tool_sites if s.call.spec.tool == tool]


def under(dirs: set[str], name: str) -> set[str]:
    """``dirs/name`` for each directory."""
    return {posixpath.join(d, name) for d in dirs}
