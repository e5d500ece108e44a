"""Programs that run a shell script: ``sh -c SCRIPT``, ``bash <<EOF``, ``su USER -c SCRIPT``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from dockerfix.parse.shell_script import Word
from dockerfix.tools.process import Scope, basename
from dockerfix.tools.su import su_options
from dockerfix.tools.wrappers import Layer

POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})


class Script(NamedTuple):
    """The script a program runs as shell: ``sh -c SCRIPT``, ``su USER -c SCRIPT``."""

    word: Word
    env: dict[str, Word | None]  # set for the shell by the program (``su -w`` keeps only some)
    scope: Scope


def script_of(layer: Layer, words: Sequence[Word]) -> Script | None:
    """The shell script a program runs: ``sh -c SCRIPT``, ``su [-] [USER] -c SCRIPT``,
    ``runuser -l USER -c SCRIPT``, with the environment the script starts with."""
    word = shell_script(layer.program, layer.argv)
    if word is not None:
        return Script(word, layer.env, layer.scope)
    if layer.program == "scl":  # scl enable COLLECTION... 'COMMAND': run by bash
        texts = [w.literal for w in layer.argv]
        if len(texts) >= 3 and texts[0] == "enable" and "--" not in texts:
            return Script(layer.argv[-1], layer.env, layer.scope)
        return None
    if layer.program not in ("su", "runuser"):
        return None
    su = su_options(words, layer.index + 1)
    if su is None or su.command is None or su.command_at is not None:
        return None
    if su.shell is not None and basename(su.shell) not in POSIX_SHELLS:
        return None
    return Script(su.command, su.environment(layer.env), su.scope(layer.scope))


def shell_script(program: str, argv: Sequence[Word]) -> Word | None:
    """The SCRIPT word of ``sh -c SCRIPT`` (options may cluster: ``-ec``, ``-xc``)."""
    if program not in POSIX_SHELLS:
        return None
    has_c = False
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None:
            return argv[i] if has_c else None
        if text == "--":
            i += 1
            break
        if text.startswith("--"):
            i += 2 if text in ("--rcfile", "--init-file") else 1
            continue
        if text[:1] in "-+" and len(text) > 1:
            has_c = has_c or (text[0] == "-" and "c" in text[1:])
            i += 2 if text[1:] in ("o", "O") else 1
            continue
        break
    return argv[i] if has_c and i < len(argv) else None


def reads_script_from_stdin(program: str, argv: Sequence[Word]) -> bool:
    """``bash <<EOF`` / ``sh -s <<EOF``: a POSIX shell with no script operand and no -c;
    ``su USER <<EOF``: su with no -c runs USER's shell on its input."""
    if program in ("su", "runuser"):
        su = su_options(argv, 0)
        ok = su is not None and su.command is None and su.command_at is None
        return ok and (su.shell is None or basename(su.shell) in POSIX_SHELLS)  # type: ignore[union-attr]
    if program not in POSIX_SHELLS:
        return False
    i = 0
    while i < len(argv):
        text = argv[i].literal
        if text is None:
            return False
        if text == "--":
            return i + 1 >= len(argv)
        if text[:1] in "-+" and len(text) > 1:
            if text[0] == "-" and not text.startswith("--") and "c" in text[1:]:
                return False
            if "s" in text[1:] and not text.startswith("--"):
                return True  # -s: read commands from stdin, the rest are $1...
            i += 2 if text[1:] in ("o", "O") or text in ("--rcfile", "--init-file") else 1
            continue
        return False
    return True
