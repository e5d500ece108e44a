"""``--pin-style renovate``: DFX002's fix declares each version once, as an ARG that Renovate's
``customManagers:dockerfileVersions`` preset finds and keeps current::

    # renovate: datasource=pypi depName=django
    ARG DJANGO_VERSION=4.2.7
    RUN pip install --no-cache-dir "django==${DJANGO_VERSION}"

The preset's one match string (renovatebot/renovate, lib/config/presets/internal/
custom-managers.preset.ts, ``dockerfileVersions``, commit c2dd4f856f06) is::

    # renovate: datasource=(?<datasource>[a-zA-Z0-9-._]+?) depName=(?<depName>[^\\s]+?)...
    \\s(?:ENV|ARG)\\s+[A-Za-z0-9_]+?_VERSION[ =]["']?(?<currentValue>.+?)["']?\\s

so the comment is followed by exactly one whitespace character (a ``\\n``) and ``ARG`` at the
start of the next line, and the name ends in ``_VERSION``. tests/test_renovate.py applies that
expression to what this module writes.

Where the lines go: in the RUN's stage, on the lines above the RUN (above the comments right
above it, which may be pragmas for the RUN). An ARG the stage declared before the RUN with
the same value is reused; a global ARG (before the first FROM) with the same value is
re-declared in the stage (``ARG NAME``: a global ARG is not visible in a stage otherwise).
Several packages of one RUN, or one package in several RUNs of a stage, share one
declaration: ``merge`` gives every fix of a stage the same insertion for a name.

When the name is taken otherwise (an ARG or ENV of another value, or declared only later in
the stage), there is no fix, and a note says why. Where ``${NAME}`` would not be expanded
(exec form, which runs no shell; ONBUILD, whose RUN runs in another build where the ARG is not
declared) or where the word's quoting belongs to an enclosing ``sh -c`` string, the version
is pinned inline instead, with a note.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dockerfix.analysis.model import Analysis, PipSite
from dockerfix.diagnostics import Diagnostic, Edit
from dockerfix.parse.dockerfile import docker_words, unquote_word
from dockerfix.parse.instructions import Instruction

DATASOURCE = "pypi"
# Names the tools read from the environment a RUN's ARGs are part of: pip reads PIP_<OPTION>
# (PIP_VERSION would be `pip --version` given a value, an error), uv reads UV_*.
_TOOL_PREFIXES = ("PIP_", "UV_")
_DQ_SPECIAL = re.compile(r'(["\\$`])')


class Plan(NamedTuple):
    """What one renovate-style pin needs: the word's new text and the lines above the RUN."""

    stage: int  # the stage's FROM offset (-1: none)
    name: str  # the ARG name
    inserts: tuple[tuple[int, str], ...]  # (line start, lines) to insert; none when the ARG is there
    word: Edit  # the requirement word rewritten to use ``${name}``


def arg_name(package: str) -> str:
    """``django`` -> ``DJANGO_VERSION``: upper case, ``-``/``.`` as ``_``, a valid shell name
    (a leading digit or a name pip or uv would read gets a ``PYPI_`` prefix)."""
    name = re.sub(r"[^A-Za-z0-9]", "_", package).upper() + "_VERSION"
    if name[0].isdigit() or name.startswith(_TOOL_PREFIXES):
        name = "PYPI_" + name
    return name


def comment(package: str) -> str:
    return f"# renovate: datasource={DATASOURCE} depName={package}"


def inline_reason(site: PipSite) -> str | None:
    """Why this call's pin goes inline, not in an ARG (None: an ARG works)."""
    if site.exec_form:
        return "exec form runs no shell, so `${VAR}` would reach pip unexpanded"
    if site.instruction.onbuild:
        return "an ONBUILD RUN runs in another build, where this stage's ARG is not declared"
    if site.nested:
        return "the requirement sits inside a `sh -c` string, whose quoting is not rewritten"
    return None


def plan(
    analysis: Analysis, site: PipSite, span: tuple[int, int], value: str, name_end: int, spec_end: int, package: str, version: str
) -> Plan | str:
    """The renovate-style pin of the requirement written at ``span`` (its unquoted text is
    ``value``; ``value[name_end:spec_end]`` is the version specifier to replace), or why
    there is none."""
    text = analysis.text
    if "\n" in text[span[0] : span[1]]:
        return "the requirement is split over lines; it is left as it is"
    name = arg_name(package)
    new_word = '"' + _dq(value[:name_end]) + "==${" + name + "}" + _dq(value[spec_end:]) + '"'
    word = Edit.replacement(span[0], span[1], new_word)
    run = site.instruction
    stage_start, declared, later, global_value = _declarations(analysis, run, name)
    newline = _newline(text)
    at = _line_start(text, run.comments[0].start if run.comments else run.start)
    header = comment(package) + newline
    if name in site.stage.env:
        return f"`{name}` is set by an ENV of this stage, which an ARG cannot override"
    if name in site.env and name not in site.stage.args:
        return f"`{name}` is set in this RUN (`export` or an assignment), which an ARG cannot override"
    if declared is not None:
        arg, arg_value = declared
        if arg_value != version:
            shown = "no value" if arg_value is None else f"the value `{arg_value}`"
            return f"`ARG {name}` exists with {shown}, not {version}; it is left as it is"
        # `ARG NAME` without a value takes the global default: that one gets the comment.
        commented = global_value[0] if global_value is not None and "=" not in arg.args.text else arg
        return Plan(stage_start, name, _comment_above(text, commented, header), word)
    if later:
        return f"`ARG {name}` is declared later in this stage; it is left as it is"
    if global_value is not None:
        arg, arg_value = global_value
        if arg_value != version:
            shown = "no value" if arg_value is None else f"the value `{arg_value}`"
            return f"the global `ARG {name}` has {shown}, not {version}; it is left as it is"
        # The global ARG gets the comment (if it lacks it); the stage re-declares it.
        return Plan(stage_start, name, (*_comment_above(text, arg, header), (at, f"ARG {name}{newline}")), word)
    return Plan(stage_start, name, ((at, f"{header}ARG {name}={version}{newline}"),), word)


CRLF_NOTE = (
    "Renovate's preset wants a single `\\n` between the comment and the ARG; this file's lines "
    "end in CRLF, so Renovate will not find this ARG until the file uses LF"
)


def crlf_note(text: str) -> tuple[str, ...]:
    """The note for a file whose ARG lines Renovate's preset cannot match."""
    return (CRLF_NOTE,) if _newline(text) == "\r\n" else ()


def merge(diagnostics: list[Diagnostic], plans: dict[int, Plan]) -> list[Diagnostic]:
    """Give each fix with a plan (``plans``: id of the Fix -> its plan) its insertions,
    shared: a name's lines go once per stage, above its first RUN, and all lines going to
    one place are one edit, identical in every fix that needs it."""
    first: dict[tuple[int, str], Plan] = {}
    for p in sorted(plans.values(), key=lambda p: p.word.start):
        first.setdefault((p.stage, p.name), p)
    by_offset: dict[int, list[str]] = {}
    for p in first.values():
        for at, lines in p.inserts:
            here = by_offset.setdefault(at, [])
            if lines not in here:  # a global ARG's comment, wanted by every stage
                here.append(lines)
    out = []
    for d in diagnostics:
        plan = plans.get(id(d.fix)) if d.fix is not None else None
        if plan is None or d.fix is None:
            out.append(d)
            continue
        owner = first[(plan.stage, plan.name)]
        if plan.inserts and [lines for _, lines in owner.inserts] != [lines for _, lines in plan.inserts]:
            note = f"no automatic fix: `{plan.name}` is already used for another package in this stage"
            out.append(d._replace(fix=None, notes=(*d.notes, note)))
            continue
        inserts = tuple(Edit.insertion(at, "".join(by_offset[at])) for at, _ in owner.inserts)
        out.append(d._replace(fix=d.fix._replace(edits=(*inserts, plan.word))))
    return out


def _dq(text: str) -> str:
    """``text`` as it reads inside double quotes: ``"``, ``\\``, ``$`` and backquote escaped."""
    return _DQ_SPECIAL.sub(r"\\\1", text)


def _newline(text: str) -> str:
    """The file's line terminator (``Source.newline``, without building a Source)."""
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _comment_above(text: str, arg: Instruction, header: str) -> tuple[tuple[int, str], ...]:
    """What to insert so that Renovate finds the existing ``arg``: its comment line above it;
    nothing when a renovate comment is there, or when Renovate could not match ``arg`` anyway
    (indented, or declaring several names)."""
    at = _line_start(text, arg.start)
    if text[at : arg.start] or len(docker_words(arg.args.text)) != 1 or "=" not in arg.args.text:
        return ()
    previous = text[_line_start(text, max(at - 1, 0)) : at].strip()
    if previous.startswith("# renovate:"):
        return ()
    return ((at, header),)


def _declarations(
    analysis: Analysis, run: Instruction, name: str
) -> tuple[int, tuple[Instruction, str | None] | None, bool, tuple[Instruction, str | None] | None]:
    """For ``name`` around ``run``: the stage's FROM offset, its declaration in the stage
    before ``run`` (ARG, value), whether the stage declares it after ``run``, and its global
    declaration before the first FROM."""
    stage_start = -1
    declared: tuple[Instruction, str | None] | None = None
    global_value: tuple[Instruction, str | None] | None = None
    later = False
    for ins in analysis.dockerfile.instructions:
        if ins.keyword == "FROM" and not ins.onbuild:
            if ins.start > run.start:
                break
            stage_start, declared = ins.start, None
            continue
        if ins.keyword != "ARG" or ins.onbuild:
            continue
        for _, _, raw in docker_words(ins.args.text):
            arg, eq, value = unquote_word(raw, 0)[0].partition("=")
            if arg != name:
                continue
            found = (ins, value if eq else None)
            if stage_start < 0:
                global_value = found
            elif ins.start < run.start:
                declared = found
            else:
                later = True
    if declared is not None and declared[1] is None and global_value is not None:
        declared = (declared[0], global_value[1])  # `ARG NAME` takes the global default
    return stage_start, declared, later, global_value
