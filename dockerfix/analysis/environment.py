"""The variables a command sees: ENV and ARG values as BuildKit expands them, and the
environment of one call (what its wrappers clear, unset, set, or change by switching user)."""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from dockerfix.analysis.model import Stage
from dockerfix.parse.dockerfile import docker_words, unquote_word
from dockerfix.parse.instructions import Instruction
from dockerfix.parse.shell_script import Word
from dockerfix.settings import MAX_ENV_VALUE
from dockerfix.tools.process import Scope

# ``$NAME`` or ``${NAME}`` (an ASCII shell name): group 1 or group 2 is the name.
VAR_REF = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"


def literal(value: str | None) -> str | None:
    """``value`` when it is known before the build (no ``$``), else None."""
    if value is None or "$" in value:
        return None
    return value


def env_pairs(text: str, current: Mapping[str, str | None]) -> dict[str, str | None]:
    """ENV K=V K2="v 2" (and the legacy ``ENV K V``), values unquoted."""
    words = docker_words(text)
    if not words:
        return {}
    first = words[0][2]
    if "=" not in first:
        value = text[words[1][0] :].strip() if len(words) > 1 else ""
        return {first: expand(value, current)}
    out: dict[str, str | None] = {}
    scope: Mapping[str, str | None] = ChainMap(out, current)  # type: ignore[arg-type]  # read only: what a later pair of the same ENV sees, without a copy
    for _, _, raw in words:
        name, _, value = unquote_word(raw, 0)[0].partition("=")
        out[name] = expand(value, scope)
    return out


def expand(value: str, env: Mapping[str, str | None]) -> str | None:
    """BuildKit expands $VAR in ENV from earlier ENV/ARG; unknown or complex: not literal."""
    if "$" not in value:
        return value
    out: list[str] = []
    pos = size = 0
    for ref in re.finditer(VAR_REF, value):
        known = env.get(ref.group(1) or ref.group(2))
        if known is None:
            return None
        size += ref.start() - pos + len(known)
        if size > MAX_ENV_VALUE:  # `ENV B=$A$A`, C=$B$B...: doubles with every line
            return None
        out.append(value[pos : ref.start()])
        out.append(known)
        pos = ref.end()
    rest = value[pos:]
    return None if "$" in rest else "".join(out) + rest


def expand_known(text: str, env: Mapping[str, str | None]) -> str:
    """``$NAME`` and ``${NAME}`` replaced by their value where the Dockerfile gives it;
    others (``$HOME``) are left as written."""
    if "$" not in text:
        return text

    def value(ref: re.Match[str]) -> str:
        known = env.get(ref.group(1) or ref.group(2))
        return ref.group(0) if known is None else known

    return re.sub(VAR_REF, value, text)


def call_environment(
    env: Mapping[str, str | None], call_env: dict[str, Word | None], scope: Scope
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


def switched(stage: Stage, scope: Scope) -> Stage:
    """The stage as a call under ``su USER`` / ``runuser -u USER`` sees it: run as USER.
    ``pip config set`` writes the running user's file (``~/.config/pip/pip.conf``, pip's
    default ``--user``), so another user's pip does not read what root set there."""
    if scope.user is None:
        return stage
    config = stage.pip_config_no_cache and scope.user in ("root", "0")
    return stage._replace(user=scope.user, pip_config_no_cache=config)


def site_fields(
    ins: Instruction,
    stage: Stage,
    env: Mapping[str, str | None],
    call_env: dict[str, Word | None],
    scope: Scope,
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
        "stage": switched(stage, scope),
        "env": call_environment(env, call_env, scope),
        "start": program.start,
        "end": end,
        "insert_at": end if sub is not None else None,
        "insert_style": exec_separator if exec_separator is not None else "shell",
        "no_edit_reason": no_edit,
        "exec_form": exec_separator is not None,
    }
