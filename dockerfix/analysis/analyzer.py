"""From a Dockerfile's text to every pip call in its RUNs, each with its context.

This is the shared model the rules read: the stage state a RUN sees (ENV, ARG, USER,
SHELL, ``pip config``), and for each pip (and uv) call its words, its environment at that
point of the script, its span, and where a flag after its subcommand would go if it can be
edited safely.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from dockerfix.analysis import flow
from dockerfix.parse import shell
from dockerfix.parse.dockerfile import (
    Dockerfile,
    Heredoc,
    Instruction,
    JsonString,
    ScanError,
    _docker_words,
    _unquote_word,
    scan,
)
from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell import Command, Word
from dockerfix.settings import MAX_ENV_VALUE
from dockerfix.tools import pip, uv
from dockerfix.tools.mentions import may_say_install, maybe_tool, run_may_name_a_tool

DEFAULT_SHELL = ("/bin/sh", "-c")
_PIPED_PROGRAMS = frozenset({"echo", "printf"})
# What follows a command whose output a POSIX shell reads as its script: `| bash`, `| sudo sh -s`.
_TO_SHELL = r"\s*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?(?:ba|da|a|k|z|mk)?sh(?:\s+-[a-z]*s[a-z]*)?\s*(?:$|[;&|)\n])"
_MAX_DEPTH = 4  # sh -c "bash -c '...'" nesting we follow
# A pattern for a rare path stays a string: re compiles (and caches) it on first use, not on
# every start-up.
_NON_POSIX_PIP = (  # a SHELL that is not POSIX
    r"(?i)(?<![\w.-])(?:(?:pip(?:-?[0-9][0-9.]*)?(?:\.exe)?|python[0-9.]*(?:\.exe)?\s+(?:-\w+\s+)*-m\s*pip)\s+install\b"
    r"|uv(?:\.exe)?\s+(?:pip\s+(?:install|sync)|sync|add|tool\s+(?:install|run))\b|uvx(?:\.exe)?\b)"
)


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
    tool_sites: list[Any] = field(default_factory=list)  # issue 17: tool_sites.ToolSite (poetry, pdm, conda)

    def installs(self) -> Iterator[PipSite]:
        return (s for s in self.sites if s.call.subcommand == "install")


def analyze(text: str, dockerfile: Dockerfile | None = None) -> Analysis:
    """Raises ``ScanError`` when BuildKit would reject the file. ``dockerfile`` is
    ``scan(text)`` when the caller already has it."""
    if dockerfile is None:
        dockerfile = scan(text)
    analysis = Analysis(text, dockerfile)
    _Analyzer(analysis).run()
    return analysis


class _Analyzer:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.stages: list[Stage] = []
        self.global_args: dict[str, str | None] = {}
        self.stage: Stage | None = None
        self.place: list[tuple[Mapped, int]] = []  # the scripts and commands we are in
        # The stage's env dict is this analysis' own: made by an ENV since the last FROM
        # (which shares its parent's) and the last RUN (whose sites keep the stage).
        self._env_owned = False
        # The stage's environment as the last RUN saw it: RUNs in a row share one dict,
        # which nothing changes (a script copies it before its first export).
        self._environment: tuple[Stage, dict[str, str | None]] | None = None

    def run(self) -> None:
        for instruction in self.analysis.dockerfile.instructions:
            if instruction.onbuild and instruction.keyword != "RUN":
                continue
            handler = getattr(self, "_on_" + instruction.keyword.lower(), None)
            if handler is not None:
                handler(instruction)

    # -- stage state ------------------------------------------------------------------

    def _on_from(self, instruction: Instruction) -> None:
        words = [_unquote_word(w, 0)[0] for _, _, w in _docker_words(instruction.args.text)]
        words = [w for w in words if not w.startswith("--")]
        image = words[0].lower() if words else ""
        name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
        parent = next((s for s in reversed(self.stages) if s.name == image), None)
        if parent is not None:
            stage = replace(parent, name=name, args={})
        else:
            stage = Stage(name)
        self.stages.append(stage)
        self.stage = stage
        self._env_owned = False

    def _set(self, **changes: object) -> None:
        if self.stage is None:
            return
        self.stage = replace(self.stage, **changes)  # type: ignore[arg-type]
        self.stages[-1] = self.stage

    def _on_env(self, instruction: Instruction) -> None:
        if self.stage is None:
            return
        pairs = _env_pairs(instruction.args.text, ChainMap(self.stage.env, self.stage.args))
        self._environment = None
        if self._env_owned:
            self.stage.env.update(pairs)  # no RUN has seen this dict: no copy per ENV line
            return
        self._set(env={**self.stage.env, **pairs})
        self._env_owned = True

    def _on_arg(self, instruction: Instruction) -> None:
        for _, _, raw in _docker_words(instruction.args.text):
            word = _unquote_word(raw, 0)[0]
            name, eq, value = word.partition("=")
            if self.stage is None:
                self.global_args[name] = value if eq else None
            else:
                default = value if eq else self.global_args.get(name)
                if eq or name in self.global_args:
                    self._set(args={**self.stage.args, name: _literal(default)})

    def _on_user(self, instruction: Instruction) -> None:
        self._set(user=instruction.args.text.strip().split(":")[0] or None)

    def _on_shell(self, instruction: Instruction) -> None:
        if instruction.exec_form is not None:
            self._set(shell=tuple(e.value.text for e in instruction.exec_form))

    # -- RUN --------------------------------------------------------------------------

    def _on_run(self, instruction: Instruction) -> None:
        self._env_owned = False
        stage = self.stage or Stage(None)
        if not run_may_name_a_tool(instruction):
            return
        if self._environment is None or self._environment[0] is not stage:
            self._environment = (stage, stage.environment())
        env = self._environment[1]
        if instruction.exec_form is not None:
            self._exec_form(instruction, stage, instruction.exec_form, env)
            return
        shell_name = _posix_shell(stage.shell)
        if shell_name not in pip.POSIX_SHELLS:
            self._non_posix(instruction, shell_name)
            return
        self._shell_form(instruction, stage, env)

    def _exec_form(self, ins: Instruction, stage: Stage, elements: tuple[JsonString, ...], env: dict[str, str | None]) -> None:
        words = tuple(Word(e.value.text, e.start, e.end, e.value, False) for e in elements)
        start, end = (elements[0].start, elements[-1].end) if elements else (ins.start, ins.end)
        # Its text, which only the filters read, is its strings as exec runs them: a JSON
        # escape may spell a letter of the program (``["p\u0069p", ...]``).
        command = Command((), words, start, end, text=" ".join(e.value.text for e in elements))
        separator = _exec_separator(self.analysis.text, ins)
        self._command(ins, stage, command, env, depth=0, editable=True, exec_separator=separator)

    def _shell_form(self, ins: Instruction, stage: Stage, env: dict[str, str | None]) -> None:
        args = ins.args
        if ins.heredocs:
            args = _blank_heredoc_words(ins)
        script = shell.parse(args)
        self._script(ins, stage, script, env, depth=0, editable=True)
        for heredoc in ins.heredocs:
            if _heredoc_is_shell(ins, heredoc, script):
                body = shell.parse(heredoc.body)
                self._script(ins, stage, body, env, depth=0, editable=True)

    def _non_posix(self, ins: Instruction, shell_name: str) -> None:
        import re

        text = ins.args.text
        statement_ends = re.compile(r"[;&|\n]")
        # The next statement end and the next `--no-cache` only move forward: one pass.
        ends_at = flag_at = -1
        for match in re.finditer(_NON_POSIX_PIP, text):
            if ends_at < match.end():
                found = statement_ends.search(text, match.end())
                ends_at = found.start() if found else len(text)
            if flag_at < match.end():
                found_at = text.find("--no-cache", match.end())
                flag_at = len(text) if found_at < 0 else found_at
            if flag_at < ends_at:
                continue
            start, end = ins.args.file_span(match.start(), match.end())
            reason = f"the stage's SHELL is {shell_name}, not a POSIX shell"
            self.analysis.unanalysed.append(Unanalysed(ins, start, end, reason))

    def _script(
        self, ins: Instruction, stage: Stage, script: shell.Script, env: Mapping[str, str | None], depth: int, editable: bool
    ) -> None:
        if script.unread is not None:  # past a limit: say so rather than pass it over
            start, end, reason = script.unread
            self.analysis.unanalysed.append(Unanalysed(ins, start, end, f"the shell is past a limit: {reason}"))
        # ``env`` is the caller's, and the sites made here keep it: copied before a change.
        owned: dict[str, str | None] | None = None
        for event in script.events():
            if isinstance(event, shell.Export):
                if owned is None:
                    env = owned = dict(env)
                value = event.assignment.value
                owned[event.assignment.name] = "" if value is None else value.literal
                continue
            self.place.append((script.mapped, event.start))
            if not event.in_error and _may_remove(event.text):
                self._removal(ins, event, env)
            sites = len(self.analysis.sites) + len(self.analysis.uv_sites)
            self._command(ins, stage, event, env, depth, editable, None, event.in_error)
            if depth < _MAX_DEPTH and _PIPED_PROGRAMS.intersection(event.text.split()[:1]):
                self._piped(ins, stage, script, event, env, depth, editable)
            if len(self.analysis.sites) + len(self.analysis.uv_sites) != sites:
                owned = None
            self.place.pop()

    def _piped(
        self,
        ins: Instruction,
        stage: Stage,
        script: shell.Script,
        command: Command,
        env: Mapping[str, str | None],
        depth: int,
        editable: bool,
    ) -> None:
        """``echo "pip install x" | bash``: the words echo prints are the script a shell runs.
        One plain argument is analysed as shell (``echo`` with no option changes nothing of
        it); anything else that may say pip install is reported."""
        import bisect

        at = bisect.bisect_left(script.mapped.offsets, command.end)
        if not script.mapped.text[at:].lstrip(" \t").startswith("|"):  # most echos: no `re`
            return
        import re

        if not re.match(_TO_SHELL, script.mapped.text[at:]):
            return
        words = command.words[1:]
        if len(words) == 1 and words[0].literal is not None and "\\" not in words[0].raw and "%" not in words[0].raw:
            inner = shell.parse(words[0].value)
            self._script(ins, stage, inner, env, depth + 1, editable and _is_quoted(words[0]) and not command.in_error)
        elif maybe_tool(command.text) and may_say_install(command.text):
            reason = "it is a script piped into a shell, made by `" + command.words[0].text + "`"
            self.analysis.unanalysed.append(Unanalysed(ins, command.start, command.end, reason))

    def _removal(self, ins: Instruction, command: Command, env: Mapping[str, str | None]) -> None:
        resolved = pip.resolve(command)
        if resolved is None or isinstance(resolved, pip.Unresolved) or resolved[0] != "rm":
            return
        targets = _recursive_rm_targets(resolved[1])
        if targets:
            self.analysis.removals.append(Removal(ins, tuple(self.place), targets, dict(env)))

    def _command(
        self,
        ins: Instruction,
        stage: Stage,
        command: Command,
        env: Mapping[str, str | None],
        depth: int,
        editable: bool,
        exec_separator: str | None = None,
        in_error: bool = False,
    ) -> None:
        if not _may_matter(command):
            return
        last: pip.Layer | None = None
        for layer in pip.layers(command):
            if isinstance(layer, pip.Unresolved):
                self._unresolved(ins, layer)
                return
            start = pip.pip_argv(layer.program, layer.argv)
            if start is not None:
                call = pip._pip_call(command, layer, start[0])
                self._pip_call(ins, stage, call, env, editable, exec_separator, in_error, depth > 0)
                return
            uv_call = uv.call_in(command, layer)
            if uv_call is not None:
                self._uv_found(ins, stage, uv_call, env, editable, exec_separator, in_error)
            _tool_sites.collect(self, ins, stage, command, layer, env, editable, exec_separator, in_error)  # issue 17
            last = layer
        if last is None or depth >= _MAX_DEPTH:
            return
        script = pip.script_of(last, command.words)
        if script is None:
            return
        if script.word.raw.startswith("$'"):  # `su -c $'...'`: its escapes are not read here
            raw = script.word.raw
            if maybe_tool(raw) and may_say_install(raw):
                reason = f"the script `{last.program}` runs is a $'...' string, read only at build time"
                self.analysis.unanalysed.append(Unanalysed(ins, script.word.start, script.word.end, reason))
            return
        quoted = exec_separator is not None or _is_quoted(script.word)
        inner = shell.parse(script.word.value)
        inner_env = _call_environment(env, script.env, script.scope)
        inner_stage = _switched(stage, script.scope)
        self._script(ins, inner_stage, inner, inner_env, depth + 1, editable and quoted and not in_error)

    def _unresolved(self, ins: Instruction, found: pip.Unresolved) -> None:
        """``$PIP install x``: a program known only at build time, reported if it may be pip."""
        if pip._looks_like_pip(found):
            reason = f"the program is `{found.word.raw}`, known only at build time"
            end = next(w.end for w in found.argv if w.text == "install")
            self.analysis.unanalysed.append(Unanalysed(ins, found.word.start, end, reason))

    def _uv_found(
        self,
        ins: Instruction,
        stage: Stage,
        uv_call: uv.UvCall,
        env: Mapping[str, str | None],
        editable: bool,
        exec_separator: str | None,
        in_error: bool,
    ) -> None:
        if not in_error:
            self._uv_call(ins, stage, uv_call, env, editable, exec_separator)
        elif uv_call.writes_cache:
            end = (uv_call.command_words[-1] if uv_call.command_words else uv_call.program).end
            reason = "tree-sitter could not parse the shell around it"
            self.analysis.unanalysed.append(Unanalysed(ins, uv_call.program.start, end, reason))

    def _pip_call(
        self,
        ins: Instruction,
        stage: Stage,
        call: pip.PipCall,
        env: Mapping[str, str | None],
        editable: bool,
        exec_separator: str | None,
        in_error: bool,
        nested: bool = False,
    ) -> None:
        sub = call.subcommand_word
        if call.subcommand == "config":
            if _sets_no_cache_config(call):
                self._set(pip_config_no_cache=True)
            return
        if in_error:
            if call.subcommand == "install" and sub is not None:
                reason = "tree-sitter could not parse the shell around it"
                self.analysis.unanalysed.append(Unanalysed(ins, call.program.start, sub.end, reason))
            return
        fields = _site_fields(ins, stage, env, call.env, call.scope, call.program, sub, editable, exec_separator)
        self.analysis.sites.append(PipSite(call=call, place=tuple(self.place), nested=nested, **fields))

    def _uv_call(
        self,
        ins: Instruction,
        stage: Stage,
        call: uv.UvCall,
        env: Mapping[str, str | None],
        editable: bool,
        exec_separator: str | None,
    ) -> None:
        # uvx has no subcommand word: a flag goes right after the program.
        last = call.command_words[-1] if call.command_words else call.program
        fields = _site_fields(ins, stage, env, call.env, call.scope, call.program, last, editable, exec_separator)
        self.analysis.uv_sites.append(UvSite(call=call, place=tuple(self.place), **fields))


def _may_remove(text: str) -> bool:
    """Whether a command may be ``rm -r``: a cheap test on its text."""
    return "rm " in text and ("-r" in text or "-R" in text or "-fr" in text or "-fR" in text or "--recursive" in text)


def _recursive_rm_targets(argv: tuple[Word, ...]) -> tuple[Word, ...]:
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


def _may_matter(command: Command) -> bool:
    """Whether ``_command`` can find anything in ``command``: pip or uv (maybe through a
    wrapper or ``sh -c``), or an unknown program with ``install`` (``$PIP install x``).
    A cheap test on the text, so that the words of other commands are never built."""
    text = command.text
    if maybe_tool(text):
        return True
    return ("$" in text or "`" in text) and may_say_install(text)


def _site_fields(
    ins: Instruction,
    stage: Stage,
    env: Mapping[str, str | None],
    call_env: dict[str, Word | None],
    scope: pip.Scope,
    program: Word,
    sub: Word | None,
    editable: bool,
    exec_separator: str | None,
) -> dict[str, Any]:
    """The fields every Site has: span from the program to the subcommand, and where an
    argument right after the subcommand goes (if it can be inserted safely)."""
    end = sub.end if sub is not None else program.end
    no_edit = None if editable else "it sits in an unquoted `sh -c` argument"
    if sub is not None and sub.expands:
        no_edit = "the subcommand is built from a variable"
    return {
        "instruction": ins,
        "stage": _switched(stage, scope),
        "env": _call_environment(env, call_env, scope),
        "start": program.start,
        "end": end,
        "insert_at": end if sub is not None else None,
        "insert_style": exec_separator if exec_separator is not None else "shell",
        "no_edit_reason": no_edit,
        "exec_form": exec_separator is not None,
    }


def _call_environment(
    env: Mapping[str, str | None], call_env: dict[str, Word | None], scope: pip.Scope
) -> Mapping[str, str | None]:
    """What a call's process sees: the script's environment (unless a wrapper cleared it:
    ``env -i``, ``su -``), less what ``env -u`` removed, plus what the call and its wrappers
    set; a user switch (``su USER``, ``runuser -u USER``) sets HOME to that user's home,
    known only from the image's /etc/passwd (None) but for root."""
    # ``VAR= pip ...`` has no value word: the variable is set, and empty
    own = {k: ("" if v is None else v.literal) for k, v in call_env.items()}
    if not scope.clean and not scope.unset and scope.user is None:
        return ChainMap(own, env)  # type: ignore[arg-type]  # read only: the script's env is shared
    inherited = {k: v for k, v in env.items() if k in scope.keep} if scope.clean else env
    out = {k: v for k, v in inherited.items() if k not in scope.unset}
    if scope.user is not None:
        out["HOME"] = "/root" if scope.user in ("root", "0") else None
    out.update(own)
    return out


def _switched(stage: Stage, scope: pip.Scope) -> Stage:
    """The stage as a call under ``su USER`` / ``runuser -u USER`` sees it: run as USER.
    ``pip config set`` writes the running user's file (``~/.config/pip/pip.conf``, pip's
    default ``--user``), so another user's pip does not read what root set there."""
    if scope.user is None:
        return stage
    config = stage.pip_config_no_cache and scope.user in ("root", "0")
    return replace(stage, user=scope.user, pip_config_no_cache=config)


def _posix_shell(shell_argv: tuple[str, ...]) -> str:
    """The shell a SHELL runs RUN lines with: its program, or a POSIX shell it wraps
    (``SHELL ["conda", "run", "-n", "env", "/bin/bash", "-c"]``)."""
    names = [pip.basename(a) for a in shell_argv]
    if not names:
        return "sh"
    if names[0] not in pip.POSIX_SHELLS and shell_argv[-1] == "-c":
        wrapped = [n for n in names if n in pip.POSIX_SHELLS]
        if wrapped:
            return wrapped[-1]
    return names[0]


def _literal(value: str | None) -> str | None:
    if value is None or "$" in value:
        return None
    return value


def _env_pairs(text: str, current: Mapping[str, str | None]) -> dict[str, str | None]:
    """ENV K=V K2="v 2" (and the legacy ``ENV K V``), values unquoted."""
    words = _docker_words(text)
    if not words:
        return {}
    first = words[0][2]
    if "=" not in first:
        value = text[words[1][0] :].strip() if len(words) > 1 else ""
        return {first: _expand(value, current)}
    out: dict[str, str | None] = {}
    scope: Mapping[str, str | None] = ChainMap(out, current)  # type: ignore[arg-type]  # read only: what a later pair of the same ENV sees, without a copy
    for _, _, raw in words:
        name, _, value = _unquote_word(raw, 0)[0].partition("=")
        out[name] = _expand(value, scope)
    return out


def _expand(value: str, env: Mapping[str, str | None]) -> str | None:
    """BuildKit expands $VAR in ENV from earlier ENV/ARG; unknown or complex: not literal."""
    if "$" not in value:
        return value
    out: list[str] = []
    pos = size = 0
    for start, end, name in _var_refs(value):
        known = env.get(name)
        if known is None:
            return None
        size += start - pos + len(known)
        if size > MAX_ENV_VALUE:  # `ENV B=$A$A`, C=$B$B...: doubles with every line
            return None
        out.append(value[pos:start])
        out.append(known)
        pos = end
    rest = value[pos:]
    return None if "$" in rest else "".join(out) + rest


# ENV values are read with str operations, not a regex: `import re` costs a fifth of a
# one-file run (it loads enum), and `ENV PATH=/venv/bin:$PATH` is in many files.
_NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_NAME_CHARS = _NAME_START + "0123456789"


def _var_refs(value: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, name)`` of each ``$NAME`` and ``${NAME}`` in ``value``, left to right."""
    start = value.find("$")
    while start >= 0:
        ref = _var_ref_at(value, start)
        if ref is None:
            start = value.find("$", start + 1)
            continue
        end, name = ref
        yield start, end, name
        start = value.find("$", end)


def _var_ref_at(value: str, dollar: int) -> tuple[int, str] | None:
    """The end and name of ``$NAME`` or ``${NAME}`` at ``dollar``, or None."""
    if value.startswith("{", dollar + 1):
        name_end = _name_end(value, dollar + 2)
        if name_end > dollar + 2 and value.startswith("}", name_end):
            return name_end + 1, value[dollar + 2 : name_end]
        return None
    name_end = _name_end(value, dollar + 1)
    return (name_end, value[dollar + 1 : name_end]) if name_end > dollar + 1 else None


def _name_end(value: str, start: int) -> int:
    """The end of the ASCII shell name at ``start``; ``start`` itself when there is none."""
    if start >= len(value) or value[start] not in _NAME_START:
        return start
    end = start + 1
    while end < len(value) and value[end] in _NAME_CHARS:
        end += 1
    return end


def _exec_separator(text: str, ins: Instruction) -> str:
    """Match the array's own style: ``, `` if its first comma is followed by a space."""
    elements = ins.exec_form or ()
    if len(elements) < 2:
        return ", "
    between = text[elements[0].end : elements[1].start]
    comma = between.find(",")
    return ", " if comma != -1 and between[comma + 1 : comma + 2] in (" ", "\t") else ","


def _is_quoted(word: Word) -> bool:
    raw = word.raw
    return len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0]


def _sets_no_cache_config(call: pip.PipCall) -> bool:
    """``pip config set global.no-cache-dir <bool>`` (or ``install.``) turns the cache off."""
    words = [a.text for a in call.line.positionals]
    if len(words) < 3 or words[0] != "set":
        return False
    key = words[1].lower()
    if key not in ("global.no-cache-dir", "install.no-cache-dir"):
        return False
    return "$" in words[2] or words[2].lower() in pip.PIP_BOOLEANS


def _blank_heredoc_words(ins: Instruction) -> Mapped:
    """The RUN's command with each ``<<EOF`` word blanked, so tree-sitter does not look for
    bodies that BuildKit has already taken out of the line."""
    text = list(ins.line.text)
    for heredoc in ins.heredocs:
        for i in range(heredoc.logical_start, heredoc.logical_end):
            text[i] = " "
    line = Mapped("".join(text), ins.line.offsets)
    return line.slice(ins.args_index, len(line.text))


def _heredoc_is_shell(ins: Instruction, heredoc: Heredoc, script: shell.Script) -> bool:
    words = _docker_words(ins.args.text)
    if len(words) == 1 and ins.heredocs and heredoc is ins.heredocs[0]:
        # BuildKit runs a lone ``RUN <<EOF`` body with the stage's shell, or with its
        # shebang's interpreter when it has one.
        body = heredoc.body.text
        if body.startswith("#!"):
            interpreter = body[2:].split("\n", 1)[0].split()
            if interpreter and pip.basename(interpreter[0]) == "env":
                interpreter = interpreter[1:]
            return bool(interpreter) and pip.basename(interpreter[0]) in pip.POSIX_SHELLS
        return True
    command = _reader_of(heredoc.word_start, heredoc.word_end, script)
    if command is None:
        return False
    resolved = pip.resolve(command)
    if resolved is None or isinstance(resolved, pip.Unresolved):
        return False
    program, argv, _ = resolved
    return pip.reads_script_from_stdin(program, argv)


def _reader_of(start: int, end: int, script: shell.Script) -> Command | None:
    """The command a ``<<EOF`` word (now blanked) redirects: the one around it, or the
    one right before or after it."""
    for command in script.commands:
        if command.start <= start and end <= command.end:
            return command
    before = [c for c in script.commands if c.end <= start]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in script.commands if c.start >= end]
    return min(after, key=lambda c: c.start) if after else None


__all__ = ["Analysis", "PipSite", "Removal", "Site", "Stage", "Unanalysed", "UvSite", "analyze", "ScanError"]

# issue 17: Poetry, PDM and conda calls; imported last, as tool_sites builds on Site.
from dockerfix.analysis import tool_sites as _tool_sites  # noqa: E402
