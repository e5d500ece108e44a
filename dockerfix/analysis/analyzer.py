"""From a Dockerfile's text to every pip call in its RUNs, each with its context.

A walk over the instructions keeps the stage state a RUN sees (ENV, ARG, USER, SHELL,
``pip config``), then over each RUN's shell scripts (``sh -c`` strings, heredocs, scripts
piped into a shell), and records for each pip (and uv) call its words, its environment at
that point of the script, its span, and where a flag after its subcommand would go if it
can be edited safely. The data it makes is in ``model``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import ChainMap
from collections.abc import Mapping

from dockerfix.analysis import tool_sites
from dockerfix.analysis.cache import may_remove, recursive_rm_targets
from dockerfix.analysis.environment import (
    call_environment,
    env_pairs,
    literal,
    site_fields,
    switched,
)
from dockerfix.analysis.model import (
    Analysis,
    Removal,
    Site,
    Stage,
    Unanalysed,
)
from dockerfix.analysis.scripts import (
    NON_POSIX_PIP,
    STATEMENT_END,
    TO_SHELL,
    blank_heredoc_words,
    exec_separator,
    heredoc_is_shell,
    is_quoted,
    posix_shell,
)
from dockerfix.parse import shell
from dockerfix.parse.dockerfile import docker_words, scan, unquote_word
from dockerfix.parse.instructions import Dockerfile, Instruction, JsonString
from dockerfix.parse.mapped import Mapped
from dockerfix.parse.shell_script import Command, Export, Script, Word
from dockerfix.tools import pip, uv
from dockerfix.tools.mentions import may_say_install, maybe_tool, run_may_name_a_tool
from dockerfix.tools.pip_cache import PIP_BOOLEANS
from dockerfix.tools.shells import POSIX_SHELLS, script_of
from dockerfix.tools.wrappers import Layer, Unresolved, layers, resolve

_PIPED_PROGRAMS = frozenset({"echo", "printf"})
_MAX_DEPTH = 4  # sh -c "bash -c '...'" nesting we follow


def analyze(text: str, dockerfile: Dockerfile | None = None) -> Analysis:
    """Raises ``ScanError`` when BuildKit would reject the file. ``dockerfile`` is
    ``scan(text)`` when the caller already has it."""
    if dockerfile is None:
        dockerfile = scan(text)
    analysis = Analysis(text, dockerfile)
    Analyzer(analysis).run()
    return analysis


_PIPE = re.compile(r"[ \t]*\|")  # the command's output goes into a pipe

class Analyzer:
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
        words = [unquote_word(w, 0)[0] for _, _, w in docker_words(instruction.args.text)]
        words = [w for w in words if not w.startswith("--")]
        image = words[0].lower() if words else ""
        name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
        parent = next((s for s in reversed(self.stages) if s.name == image), None)
        if parent is not None:
            stage = parent._replace(name=name, args={})
        else:
            stage = Stage.new(name)
        self.stages.append(stage)
        self.stage = stage
        self._env_owned = False

    def _set(self, **changes: object) -> None:
        if self.stage is None:
            return
        self.stage = self.stage._replace(**changes)  # type: ignore[arg-type]
        self.stages[-1] = self.stage

    def _on_env(self, instruction: Instruction) -> None:
        if self.stage is None:
            return
        pairs = env_pairs(instruction.args.text, ChainMap(self.stage.env, self.stage.args))
        self._environment = None
        if self._env_owned:
            self.stage.env.update(pairs)  # no RUN has seen this dict: no copy per ENV line
            return
        self._set(env={**self.stage.env, **pairs})
        self._env_owned = True

    def _on_arg(self, instruction: Instruction) -> None:
        for _, _, raw in docker_words(instruction.args.text):
            word = unquote_word(raw, 0)[0]
            name, eq, value = word.partition("=")
            if self.stage is None:
                self.global_args[name] = value if eq else None
            else:
                default = value if eq else self.global_args.get(name)
                if eq or name in self.global_args:
                    self._set(args={**self.stage.args, name: literal(default)})

    def _on_user(self, instruction: Instruction) -> None:
        self._set(user=instruction.args.text.strip().split(":")[0] or None)

    def _on_shell(self, instruction: Instruction) -> None:
        if instruction.exec_form is not None:
            self._set(shell=tuple(e.value.text for e in instruction.exec_form))

    # -- RUN --------------------------------------------------------------------------

    def _on_run(self, instruction: Instruction) -> None:
        self._env_owned = False
        stage = self.stage or Stage.new(None)
        if not run_may_name_a_tool(instruction):
            return
        if self._environment is None or self._environment[0] is not stage:
            self._environment = (stage, stage.environment())
        env = self._environment[1]
        if instruction.exec_form is not None:
            self._exec_form(instruction, stage, instruction.exec_form, env)
            return
        shell_name = posix_shell(stage.shell)
        if shell_name not in POSIX_SHELLS:
            self._non_posix(instruction, shell_name)
            return
        self._shell_form(instruction, stage, env)

    def _exec_form(self, ins: Instruction, stage: Stage, elements: tuple[JsonString, ...], env: dict[str, str | None]) -> None:
        words = tuple(Word(e.value.text, e.start, e.end, e.value, False) for e in elements)
        start, end = (elements[0].start, elements[-1].end) if elements else (ins.start, ins.end)
        # Its text, which only the filters read, is its strings as exec runs them: a JSON
        # escape may spell a letter of the program (``["p\u0069p", ...]``).
        command = Command((), words, start, end, text=" ".join(e.value.text for e in elements))
        separator = exec_separator(self.analysis.text, ins)
        self._command(ins, stage, command, env, depth=0, editable=True, exec_separator=separator)

    def _shell_form(self, ins: Instruction, stage: Stage, env: dict[str, str | None]) -> None:
        args = ins.args
        if ins.heredocs:
            args = blank_heredoc_words(ins)
        script = shell.parse(args)
        self._script(ins, stage, script, env, depth=0, editable=True)
        for heredoc in ins.heredocs:
            if heredoc_is_shell(ins, heredoc, script):
                body = shell.parse(heredoc.body)
                self._script(ins, stage, body, env, depth=0, editable=True)

    def _non_posix(self, ins: Instruction, shell_name: str) -> None:
        text = ins.args.text
        # The next statement end and the next `--no-cache` only move forward: one pass.
        ends_at = flag_at = -1
        for match in re.finditer(NON_POSIX_PIP, text):
            if ends_at < match.end():
                found = STATEMENT_END.search(text, match.end())
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
        self, ins: Instruction, stage: Stage, script: Script, env: Mapping[str, str | None], depth: int, editable: bool
    ) -> None:
        if script.unread is not None:  # past a limit: say so rather than pass it over
            start, end, reason = script.unread
            self.analysis.unanalysed.append(Unanalysed(ins, start, end, f"the shell is past a limit: {reason}"))
        # ``env`` is the caller's, and the sites made here keep it: copied before a change.
        owned: dict[str, str | None] | None = None
        for event in script.events():
            if isinstance(event, Export):
                if owned is None:
                    env = owned = dict(env)
                value = event.assignment.value
                owned[event.assignment.name] = "" if value is None else value.literal
                continue
            self.place.append((script.mapped, event.start))
            if not event.in_error and may_remove(event.text):
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
        script: Script,
        command: Command,
        env: Mapping[str, str | None],
        depth: int,
        editable: bool,
    ) -> None:
        """``echo "pip install x" | bash``: the words echo prints are the script a shell runs.
        One plain argument is analysed as shell (``echo`` with no option changes nothing of
        it); anything else that may say pip install is reported."""
        text, at = script.mapped.text, bisect_left(script.mapped.offsets, command.end)
        if not _PIPE.match(text, at) or not re.compile(TO_SHELL).match(text, at):  # matched in place: no copy of the rest
            return
        words = command.words[1:]
        if len(words) == 1 and words[0].literal is not None and "\\" not in words[0].raw and "%" not in words[0].raw:
            inner = shell.parse(words[0].value)
            self._script(ins, stage, inner, env, depth + 1, editable and is_quoted(words[0]) and not command.in_error)
        elif maybe_tool(command.text) and may_say_install(command.text):
            reason = "it is a script piped into a shell, made by `" + command.words[0].text + "`"
            self.analysis.unanalysed.append(Unanalysed(ins, command.start, command.end, reason))

    def _removal(self, ins: Instruction, command: Command, env: Mapping[str, str | None]) -> None:
        resolved = resolve(command)
        if resolved is None or isinstance(resolved, Unresolved) or resolved[0] != "rm":
            return
        targets = recursive_rm_targets(resolved[1])
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
        last: Layer | None = None
        for layer in layers(command):
            if isinstance(layer, Unresolved):
                self._unresolved(ins, layer)
                return
            start = pip.pip_argv(layer.program, layer.argv)
            if start is not None:
                call = pip.pip_call(command, layer, start[0])
                self._pip_call(ins, stage, call, env, editable, exec_separator, in_error, depth > 0)
                return
            uv_call = uv.call_in(command, layer)
            if uv_call is not None:
                self._uv_found(ins, stage, uv_call, env, editable, exec_separator, in_error)
            tool_sites.collect(self, ins, stage, command, layer, env, editable, exec_separator, in_error)
            last = layer
        if last is None or depth >= _MAX_DEPTH:
            return
        script = script_of(last, command.words)
        if script is None:
            return
        if script.word.raw.startswith("$'"):  # `su -c $'...'`: its escapes are not read here
            raw = script.word.raw
            if maybe_tool(raw) and may_say_install(raw):
                reason = f"the script `{last.program}` runs is a $'...' string, read only at build time"
                self.analysis.unanalysed.append(Unanalysed(ins, script.word.start, script.word.end, reason))
            return
        quoted = exec_separator is not None or is_quoted(script.word)
        inner = shell.parse(script.word.value)
        inner_env = call_environment(env, script.env, script.scope)
        inner_stage = switched(stage, script.scope)
        self._script(ins, inner_stage, inner, inner_env, depth + 1, editable and quoted and not in_error)

    def _unresolved(self, ins: Instruction, found: Unresolved) -> None:
        """``$PIP install x``: a program known only at build time, reported if it may be pip."""
        if pip.looks_like_pip(found):
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
        fields = site_fields(ins, stage, env, call.env, call.scope, call.program, sub, editable, exec_separator)
        self.analysis.sites.append(Site(call=call, place=tuple(self.place), nested=nested, **fields))

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
        fields = site_fields(ins, stage, env, call.env, call.scope, call.program, last, editable, exec_separator)
        self.analysis.uv_sites.append(Site(call=call, place=tuple(self.place), **fields))


def _may_matter(command: Command) -> bool:
    """Whether ``_command`` can find anything in ``command``: pip or uv (maybe through a
    wrapper or ``sh -c``), or an unknown program with ``install`` (``$PIP install x``).
    A cheap test on the text, so that the words of other commands are never built."""
    text = command.text
    if maybe_tool(text):
        return True
    return ("$" in text or "`" in text) and may_say_install(text)


def _sets_no_cache_config(call: pip.PipCall) -> bool:
    """``pip config set global.no-cache-dir <bool>`` (or ``install.``) turns the cache off."""
    words = [a.text for a in call.line.positionals]
    if len(words) < 3 or words[0] != "set":
        return False
    key = words[1].lower()
    if key not in ("global.no-cache-dir", "install.no-cache-dir"):
        return False
    return "$" in words[2] or words[2].lower() in PIP_BOOLEANS
