"""``su`` and ``runuser``: whose shell runs what, with which environment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from dockerfix.parse.shell_script import Word
from dockerfix.tools.process import Scope, value_part


class SuCall(NamedTuple):
    """util-linux ``su`` / ``runuser`` (login-utils/su-common.c, ``su_main``): getopt_long
    with ``c:fg:G:lmpPs:u:hVw:``, options anywhere before ``--`` (GNU permutes them), then
    ``-`` (a login shell), the user (root by default), and the arguments of its shell."""

    user: str  # as written: `$APP_USER` when it is a variable
    command: Word | None  # -c / --command / --session-command
    login: bool  # -, -l, --login: the environment is cleared but TERM (and -w names)
    preserve: bool  # -m, -p, --preserve-environment: HOME is not reset
    keep: frozenset[str]  # -w NAME,...
    shell: str | None  # -s SHELL
    command_at: int | None  # runuser -u USER [--] COMMAND: where COMMAND starts

    def environment(self, env: dict[str, Word | None]) -> dict[str, Word | None]:
        return {k: v for k, v in env.items() if k in self.keep} if self.login else env

    def scope(self, scope: Scope) -> Scope:
        if self.login:
            scope = Scope(clean=True, keep=self.keep)
        if self.preserve and not self.login:
            return scope
        return scope._replace(user=self.user)


_SU_VALUES = {"c": "command", "g": "group", "G": "supp-group", "s": "shell", "u": "user", "w": "whitelist-environment"}
_SU_LONG = (
    "command", "session-command", "fast", "login", "preserve-environment", "pty", "shell", "group",
    "supp-group", "user", "whitelist-environment", "help", "version",
)
_SU_LONG_VALUES = frozenset({"command", "session-command", "shell", "group", "supp-group", "user", "whitelist-environment"})


def su_options(words: Sequence[Word], i: int) -> SuCall | None:
    """Read ``su``/``runuser``'s words from ``i``; None if an option is not literal or unknown."""
    values: dict[str, Word] = {}
    flags: set[str] = set()
    operands: list[int] = []
    while i < len(words):
        word = words[i]
        text = word.literal
        if text is None or not text.startswith("-") or text == "-":
            operands.append(i)
            if "user" in values:  # runuser -u U COMMAND: the rest is COMMAND's
                break
            i += 1
            continue
        if text == "--":
            operands.extend(range(i + 1, len(words)))
            break
        if text.startswith("--"):
            name, eq, _ = text[2:].partition("=")
            matches = [n for n in _SU_LONG if n.startswith(name)]
            full = name if name in _SU_LONG else (matches[0] if len(matches) == 1 else None)
            if full is None:
                return None
            if full in _SU_LONG_VALUES:
                if eq:
                    values[full] = value_part(word, len(name) + 3)
                elif i + 1 < len(words):
                    values[full] = words[i + 1]
                    i += 1
            else:
                flags.add(full)
            i += 1
            continue
        for pos, letter in enumerate(text[1:], 1):
            if letter in _SU_VALUES:
                if pos + 1 < len(text):
                    values[_SU_VALUES[letter]] = value_part(word, pos + 1)
                elif i + 1 < len(words):
                    values[_SU_VALUES[letter]] = words[i + 1]
                    i += 1
                break
            flags.add({"l": "login", "m": "preserve-environment", "p": "preserve-environment"}.get(letter, letter))
        i += 1
    login = "login" in flags
    runuser = values.get("user")
    command_at = None
    if runuser is not None:
        user = runuser.text  # `$APP_USER` stays as written: its home is unknown
        command_at = operands[0] if operands else None
    else:
        if operands and words[operands[0]].literal == "-":
            login, operands = True, operands[1:]
        user = words[operands[0]].text if operands else "root"
    command = values.get("command") or values.get("session-command")
    keep_word = values.get("whitelist-environment")
    keep = frozenset((keep_word.literal or "").split(",")) - {""} if keep_word is not None else frozenset()
    shell_word = values.get("shell")
    shell = None if shell_word is None else (shell_word.literal or "?")
    preserve = "preserve-environment" in flags
    return SuCall(user, command, login, preserve, keep, shell, command_at)
