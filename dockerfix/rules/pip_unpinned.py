"""DFX002 pip-unpinned: a ``pip install`` requirement that does not pin one exact version.

Which arguments are requirements comes from pip's own install option table
(``pip_options``), what each one pins from ``packaging`` (``requirements.classify``): no
regex guesses at either. The fix needs a source of versions (``--pin-from`` lock files).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from dockerfix.analysis.model import Analysis, PipSite
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.parse.shell_script import Word
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools.pip_command_line import has_option
from dockerfix.tools.requirements import ReqKind, Requirement, canonical_name, classify

if TYPE_CHECKING:
    from dockerfix.rules.renovate import Plan

DOC = RuleDoc(
    code="DFX002",
    name="pip-unpinned",
    summary="A `pip install` requirement that does not pin one exact version.",
    what=(
        "Checks every requirement argument of every `pip install` (same coverage as DFX001: "
        "shell and exec form, heredocs, `sh -c`, ONBUILD, continuations). Option values are "
        "never mistaken for packages: the arguments are read with pip's own install option "
        "table (`--timeout 60`, `-i URL`, `--target=DIR`, `-qU`). Each requirement is parsed "
        "with `packaging` (PEP 508/440).\n\n"
        "Not reported: an exact pin (`name==1.2`, `name===1.2`, with extras or a marker); "
        "`-r FILE` (the file; other packages on the command are still checked); every package "
        "when `-c`/`--constraint` or `PIP_CONSTRAINT` is given; `-e` targets; local paths; "
        "archives (`.whl`, `.tar.gz`, ...); URLs; VCS URLs with `@ref`; `name @ url`; a "
        "version or name from a variable (`flask==${V}`).\n\n"
        "Reported: bare names (`--upgrade pip` included), ranges (`>=`, `~=`, `<`, `!=`, "
        "`==1.*`), extras or markers without a pin, VCS URLs without `@ref`, arguments pip "
        "rejects (`pkg=1.0`), and an unquoted `name>=1`, which the shell reads as `name` "
        "with its output redirected to a file named `=1`."
    ),
    why=(
        "An unpinned requirement installs whatever is newest on build day: two builds of the "
        "same Dockerfile differ, a new release can break the image without any change in the "
        "repository, and a build cannot be reproduced later."
    ),
    example="FROM python:3.12-slim\nRUN pip install --no-cache-dir django 'flask>=2'",
    fix=(
        "Only with `--pin-from FILE` (repeatable, or `auto` for the lock file closest to the "
        "Dockerfile): a `pip freeze`, `pip-compile` or `uv pip compile` lock or a constraints "
        "file, or a `pylock.toml` (PEP 751), `uv.lock`, `poetry.lock`, `pdm.lock`, "
        "`Pipfile.lock` or conda `environment.yml` (its `pip:` list), chosen by file name. "
        "Each requirement the files cover (names match after PEP 503 normalisation) becomes "
        "an exact pin: `django` -> `django==4.2.7`, `'flask[async]'` -> "
        "`'flask[async]==2.3.2'`, `'django>=4.2'` -> `'django==4.2.7'` when 4.2.7 is inside "
        "the range (never outside it). The quoting is kept. A name the files lock to several "
        "versions (markers, resolution forks) is left alone, with a note.\n\n"
        "With `--pin-style renovate` the version goes in an ARG of the RUN's stage, with the "
        "comment Renovate's `customManagers:dockerfileVersions` preset updates "
        "(`# renovate: datasource=pypi depName=django` above `ARG DJANGO_VERSION=4.2.7`), and "
        "the word becomes `\"django==${DJANGO_VERSION}\"`; an ARG of that name and value is "
        "reused, one of another value (or an ENV of that name) means no fix. Exec form, "
        "ONBUILD and `sh -c` strings, where the ARG would not be expanded, get the inline pin.\n\n"
        "Safe, except for the unquoted `name>=1` redirection, whose fix changes what the "
        "shell does (no more output file) and is unsafe. Requirements the files do not cover, "
        "ranges they would leave, VCS URLs and invalid arguments stay reported."
    ),
    hadolint="DL3013",
)

# The name and extras at the start of a requirement (PEP 508), to find where a pin goes.
_NAME_EXTRAS = r"\s*[A-Za-z0-9][A-Za-z0-9._-]*(?:\s*\[[^\]]*\])?"
# What an unquoted `<`/`>` right after a word takes from the shell: `>=1.0,<2`.
_GLUED_REDIRECT = re.compile(r"(?:[<>][^\s;&|()<>'\"`]*)+")
_FIXABLE_KINDS = frozenset({ReqKind.BARE, ReqKind.RANGE})


class _Argument(NamedTuple):
    """One requirement argument of a pip install, as pip sees it and as the user meant it."""

    site: PipSite
    word: Word
    requirement: Requirement  # what pip gets
    meant: Requirement  # what the user wrote: ``requirement``, or the word with its redirection
    written: str  # the text of ``meant``
    redirect_end: int | None  # file end of a glued `>=1.0` the shell took as a redirection


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    plans: dict[int, Plan] = {}  # id of a renovate-style Fix -> what it declares
    found = []
    for site in analysis.installs():
        if _constrained(site):
            continue
        for argument in _arguments(analysis.text, site):
            if not argument.requirement.pinned:
                found.append(_diagnostic(argument, settings, analysis, plans))
    if plans:
        from dockerfix.rules.renovate import merge

        found = merge(found, plans)
    yield from found


def _constrained(site: PipSite) -> bool:
    """``-c FILE`` (or PIP_CONSTRAINT) fixes the versions of everything on the command."""
    return has_option(site.call.line, "constraints") or bool(site.env.get("PIP_CONSTRAINT", ""))


def _arguments(text: str, site: PipSite) -> Iterator[_Argument]:
    for parsed in site.call.line.positionals:
        word = site.call.argv[parsed.index]
        requirement = classify(word.text)
        redirect = None if site.exec_form else _glued_redirect(text, word.end)
        if redirect is not None:
            meant = classify(word.text + redirect.group())
            if meant.kind in (ReqKind.RANGE, ReqKind.PINNED):
                yield _Argument(site, word, requirement, meant, word.text + redirect.group(), redirect.end())
                continue
        yield _Argument(site, word, requirement, requirement, word.text, None)


def _glued_redirect(text: str, at: int) -> re.Match[str] | None:
    return _GLUED_REDIRECT.match(text, at)


def _diagnostic(argument: _Argument, settings: Settings, analysis: Analysis, plans: dict[int, Plan]) -> Diagnostic:
    word = argument.word
    message = _message(argument)
    fix: Fix | None = None
    notes: tuple[str, ...] = ()
    if settings.pins or settings.pin_conflicts:
        fix, notes = _pin_fix(argument, settings, analysis, plans)
    return Diagnostic(DOC.code, DOC.name, message, word.start, word.end, fix, notes)


def _message(argument: _Argument) -> str:
    kind, shown = argument.requirement.kind, argument.word.raw
    if argument.redirect_end is not None:
        redirect = argument.written[len(argument.word.text) :]
        return (
            f"unquoted `{argument.written}` is a shell redirection: pip gets `{argument.word.text}` "
            f"(any version) and the shell takes `{redirect}` as a file redirection; "
            "quote it and pin an exact version with `==`"
        )
    if kind == ReqKind.RANGE:
        return f"`{shown}` allows a range of versions; pin one exact version with `==`"
    if kind == ReqKind.VCS_UNPINNED:
        return f"`{shown}` follows whatever the branch points to; pin a tag or commit with `@ref`"
    if kind == ReqKind.INVALID:
        return f"`{shown}` is not a valid requirement (pip rejects it); pin an exact version with `==`"
    return f"`{shown}` is not pinned: every build installs the newest version; pin it with `==`"


def _pin_fix(
    argument: _Argument, settings: Settings, analysis: Analysis, plans: dict[int, Plan]
) -> tuple[Fix | None, tuple[str, ...]]:
    """The edit that pins ``argument`` to the lock file's version, or why there is none."""
    fix, reason, notes = _pin_fix_or_reason(argument, settings, analysis, plans)
    return fix, notes if reason is None else (*notes, f"no automatic fix: {reason}")


def _pin_fix_or_reason(
    argument: _Argument, settings: Settings, analysis: Analysis, plans: dict[int, Plan]
) -> tuple[Fix | None, str | None, tuple[str, ...]]:
    site = argument.site
    meant = argument.meant
    if meant.kind not in _FIXABLE_KINDS or meant.name is None:
        return None, "only a name or a version range can be pinned from a lock file", ()
    if site.no_edit_reason is not None:
        return None, site.no_edit_reason, ()
    version = settings.pins.get(meant.name)
    if version is None:
        several = settings.pin_conflicts.get(canonical_name(meant.name))
        if several:
            return None, (
                f"the --pin-from files pin `{meant.name}` to several versions ({', '.join(several)}): "
                "for different environments (markers) or resolution forks; which one the image needs "
                "is not known here"
            ), ()
        return None, f"`{meant.name}` is not in the --pin-from files", ()
    if not _satisfies(version, meant.specifier):
        return None, f"the --pin-from files pin {meant.name} {version}, outside `{meant.specifier}`", ()
    # The shell no longer creates a redirection's file: a change in behaviour.
    unsafe = argument.redirect_end is not None
    applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
    instead = " in place of the shell redirection" if unsafe else ""
    notes: tuple[str, ...] = ()
    if settings.pin_style == "renovate":
        from dockerfix.rules.renovate import crlf_note, inline_reason  # only for this pin style

        why_inline = inline_reason(site)
        if why_inline is None:
            found = _renovate_plan(analysis, argument, canonical_name(meant.name), version)
            if isinstance(found, str):
                return None, found, ()
            message = f"Pin `{meant.name}=={version}` with `ARG {found.name}`, which Renovate updates{instead}"
            fix = Fix((found.word,), applicability, message)
            plans[id(fix)] = found
            return fix, None, crlf_note(analysis.text)
        notes = (f"pinned inline, not with an ARG: {why_inline}",)
    edits = _pin_edits(argument, version)
    if edits is None:
        return None, "the requirement's quoting is too unusual to edit safely", notes
    return Fix(edits, applicability, f"Pin `{meant.name}=={version}`{instead}"), None, notes


def _renovate_plan(analysis: Analysis, argument: _Argument, package: str, version: str) -> Plan | str:
    """The renovate-style pin of ``argument``: the whole word (with a glued redirection)
    rewritten in double quotes around ``name==${NAME}``."""
    value = argument.written
    head = re.match(_NAME_EXTRAS, value)
    if head is None:
        return "the requirement's name could not be found in the word"
    marker = value.find(";", head.end())
    spec_end = len(value) if marker < 0 else marker
    spec_end = head.end() + len(value[head.end() : spec_end].rstrip())
    end = argument.redirect_end if argument.redirect_end is not None else argument.word.end
    from dockerfix.rules.renovate import plan

    return plan(analysis, argument.site, (argument.word.start, end), value, head.end(), spec_end, package, version)


def _satisfies(version: str, specifier: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _pin_edits(argument: _Argument, version: str) -> tuple[Edit, ...] | None:
    """Replace the version part of the word's value (or insert one) with ``==version``.

    Works on the word's value mapped back to the file, so quotes stay where they are and the
    pin lands inside them. Refuses when the part to replace is not written contiguously.
    """
    value = argument.word.value
    head = re.match(_NAME_EXTRAS, value.text)
    if head is None:
        return None
    name_end = head.end()
    marker = value.text.find(";", name_end)
    spec_end = len(value.text) if marker < 0 else marker
    spec = value.text[name_end:spec_end]
    # `name >= 1` -> `name==2`: the spaces before the specifier go with it.
    start, end = name_end, name_end + len(spec.rstrip())
    pin = f"=={version}"
    if not spec.strip():
        edit = Edit.insertion(value.file_end(name_end), pin)
    elif value.is_contiguous(start, end):
        edit = Edit.replacement(*value.file_span(start, end), pin)
    else:
        return None
    redirect_end = argument.redirect_end
    if redirect_end is None:
        return (edit,)
    if edit.start == argument.word.end:  # unquoted: one replacement of `>=1.0`
        return (Edit.replacement(edit.start, redirect_end, pin),)
    return edit, Edit.deletion(argument.word.end, redirect_end)


RULE = Rule(DOC, check)
