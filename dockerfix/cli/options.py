"""The command line's options as one table, and a reader for the command lines it is sure of.

``cli._parser`` builds the argparse parser (and so ``--help``) from :data:`OPTIONS`;
:func:`read` reads argv from the same table without importing argparse, which with the
``re``, ``gettext`` and ``locale`` it loads costs ~8-15 ms of a ~67 ms one-file run. The
reader takes only the forms whose meaning it is sure of, those that argparse reads the same
way on every supported Python:

- a long option exactly as spelled, its value as the next word or after ``=``;
- short options, clustered as argparse clusters them (``-qv``, ``-j4``, ``-qj 4``);
- paths anywhere (argparse's ``parse_intermixed_args``), ``-`` as a path, and every word
  after the first ``--`` a path (``cli._parse`` splits there too);
- ``--version`` (argparse prints it before it looks at the rest).

Anything else makes it decline (return None), and argparse reads the command line exactly
as before, so every error message, exit code and help text still comes from argparse: an
unknown or abbreviated option, a missing value, a value that is empty or starts with ``-``
(an option, a negative number, ``-`` itself), a bad choice or ``--jobs`` value, a value
given to a flag, a word with ``=`` after a single ``-``, an empty word, ``-h``/``--help``.
``tests/test_cli_args.py`` checks that whatever it accepts, argparse reads the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from dockerfix import __version__
from dockerfix.fix.reading import parse_size
from dockerfix.report import FORMATS

# What an option does with its word(s), as argparse actions (argparse's name in brackets).
FLAG = "flag"  # True when given, else False (store_true)
ON_OFF = "on-off"  # --x True, --no-x False, else None (BooleanOptionalAction)
APPEND = "append"  # a value, repeatable: the list of them, else None (append)
VALUE = "value"  # a value: the last one given, else None (store)
CONST = "const"  # True when given, else None (store_const)
OPTIONAL = "optional"  # a value that may be left out: the value, "" when left out, else None (store, nargs="?"); argparse reads it
VERSION = "version"  # print the version and exit (version)
HELP = "help"  # print the help and exit (help)
TAKES_VALUE = frozenset({APPEND, VALUE})

VERSION_TEXT = f"dockerfix, version {__version__}"


def positive_int(text: str) -> int:
    """``--jobs``: an integer of at least 1; the ValueError's text is argparse's error message."""
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None
    if value < 1:
        raise ValueError(f"{value} is not at least 1")
    return value


class Option(NamedTuple):
    """One option, as ``--help`` shows it (``names``, ``metavar``, ``help``, ``group``)."""

    names: tuple[str, ...]
    dest: str
    kind: str
    help: str
    group: str
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    convert: Callable[[str], object] | None = None


MODES = "Modes (default: report findings)"
RULES = "Rules and fixes"
FILES = "Files"
CONFIG = "Configuration"
OUTPUT = "Output"
ABOUT = "Information"

# In --help's order. Every option a configuration file can also set defaults to None (not
# FLAG), so that the command line can tell "given" from "not given".
# fmt: off
OPTIONS: tuple[Option, ...] = (
    Option(("--diff",), "diff_mode", FLAG, "Print a unified diff of the fixes; write nothing.", MODES),
    Option(("--write",), "write_mode", FLAG, "Fix files in place (atomic replace, mode kept).", MODES),
    Option(("--select",), "select", APPEND, "Only these rules: comma-separated codes, prefixes (DFX0) or ALL; hadolint's DL3042 and DL3013 stand for DFX001 and DFX002.", RULES, "CODES"),
    Option(("--extend-select",), "extend_select", APPEND, "Also these rules, on top of the selected ones.", RULES, "CODES"),
    Option(("--ignore",), "ignore", APPEND, "Skip these rules.", RULES, "CODES"),
    Option(("--unsafe-fixes",), "unsafe_fixes", ON_OFF, "Also apply fixes marked unsafe.", RULES),
    Option(("--pin-from",), "pin_from", APPEND, "A lock file (requirements, pylock.toml, uv.lock, poetry.lock, pdm.lock, Pipfile.lock, environment.yml) or 'auto'; DFX002 fixes pin to its versions (repeatable).", RULES, "FILE"),
    Option(("--pin-style",), "pin_style", VALUE, "How DFX002 fixes write a pin: inline (name==1.2), or an ARG with a comment Renovate updates. [default: inline]", RULES, choices=("inline", "renovate")),
    Option(("--fix-strategy",), "fix_strategy", VALUE, "How to fix cache findings: insert the no-cache flag, or add a BuildKit cache mount. [default: flag]", RULES, choices=("flag", "cache-mount")),
    Option(("--add-syntax-directive",), "add_syntax_directive", CONST, "With --fix-strategy cache-mount, add '# syntax=docker/dockerfile:1' when the file has none.", RULES),
    Option(("--exclude",), "exclude", APPEND, "Skip matching paths while walking directories.", FILES, "GLOB"),
    Option(("--force-exclude",), "force_exclude", ON_OFF, "Apply excludes and .gitignore to paths named on the command line too (for pre-commit).", FILES),
    Option(("--respect-gitignore",), "respect_gitignore", ON_OFF, "Skip files ignored by .gitignore and .git/info/exclude (default: respect).", FILES),
    Option(("--stdin-filename",), "stdin_filename", VALUE, "The name to report for input read from '-'.", FILES, "NAME"),
    Option(("--max-file-size",), "max_file_size", VALUE, "Refuse Dockerfiles, configuration and lock files larger than this (bytes, or with K, M, G). [default: 10M]", FILES, "SIZE", convert=parse_size),
    Option(("-j", "--jobs"), "jobs", VALUE, "Process files in N worker processes (default: one per CPU; 1: none).", FILES, "N", convert=positive_int),
    Option(("--config",), "config_file", VALUE, "Use this configuration file for every Dockerfile.", CONFIG, "FILE"),
    Option(("--isolated",), "isolated", FLAG, "Ignore all configuration files.", CONFIG),
    Option(("--show-settings",), "show_settings", FLAG, "Print the settings used for the first file, and exit.", CONFIG),
    Option(("--output-format",), "output_format", VALUE, "How to print findings. [default: text]", OUTPUT, choices=FORMATS),
    Option(("-o", "--output-file"), "output_file", VALUE, "Write the findings, statistics or diff to FILE instead of standard output.", OUTPUT, "FILE"),
    Option(("--statistics",), "statistics", FLAG, "Print the number of findings per rule instead of the findings.", OUTPUT),
    Option(("--exit-zero",), "exit_zero", FLAG, "Exit 0 even when there are findings (not on errors).", OUTPUT),
    Option(("-q", "--quiet"), "quiet", FLAG, "Print no summary on stderr.", OUTPUT),
    Option(("-v", "--verbose"), "verbose", FLAG, "Say on stderr which configuration each directory uses, and why files are skipped.", OUTPUT),
    Option(("--color",), "color", ON_OFF, "Colour diffs (default: on a terminal; NO_COLOR turns it off, FORCE_COLOR on, NO_COLOR winning).", OUTPUT),
    Option(("--explain",), "explain", OPTIONAL, "Print a rule's documentation (by code or name, e.g. pip-no-cache-dir) and exit; without RULE, list the rules.", ABOUT, "RULE"),
    Option(("--list-rules",), "list_rules", FLAG, "List the rules (code, name, summary) and exit.", ABOUT),
    Option(("--version",), "version", VERSION, "Show the version and exit.", ABOUT),
    Option(("-h", "--help"), "help", HELP, "Show this message and exit.", ABOUT),
)
# fmt: on

ASKS_VERSION = "--version"  # what read returns for a command line that asks for the version


def _spellings() -> dict[str, tuple[Option, bool]]:
    """Every word that names an option (``--no-color`` too) -> (option, not negated)."""
    found: dict[str, tuple[Option, bool]] = {}
    for option in OPTIONS:
        for name in option.names:
            found[name] = (option, True)
            if option.kind == ON_OFF:
                found[f"--no-{name[2:]}"] = (option, False)
    return found


SPELLINGS = _spellings()
# argparse's defaults: False for a flag, None (not given) for the rest; --version and --help set nothing.
DEFAULTS: dict[str, object] = {o.dest: False if o.kind == FLAG else None for o in OPTIONS if o.kind not in (VERSION, HELP)}


def split_at_double_dash(argv: Sequence[str]) -> tuple[Sequence[str], Sequence[str]]:
    """The words before the first ``--``, and the words after it: paths, whatever they look
    like. The split is ours, for both readers: argparse's ``parse_intermixed_args``
    mishandles ``--`` (Python 3.11 rejects ``--diff -- -x.Dockerfile``)."""
    end = argv.index("--") if "--" in argv else len(argv)
    return argv[:end], argv[end + 1 :]


def read(argv: Sequence[str]) -> dict[str, object] | str | None:
    """argparse's values for ``argv`` (dest -> value, and ``paths``), ASKS_VERSION, or None.

    None: a command line this reader is not sure of; argparse must read it.
    """
    before, after = split_at_double_dash(argv)
    values = dict(DEFAULTS)
    appended: dict[str, list[object]] = {}
    paths: list[str] = []
    asks_version = False
    words = iter(before)
    for word in words:
        if word == "-" or word[:1] not in ("-", ""):
            paths.append(word)
            continue
        named = _named(word)
        if named is None:
            return None
        for (option, sense), inline in named:
            if option.kind in TAKES_VALUE:
                value = _value(option, inline if inline is not None else next(words, None))
                if value is None:
                    return None
                if option.kind == APPEND:
                    appended.setdefault(option.dest, []).append(value)
                else:
                    values[option.dest] = value
            elif inline is not None or option.kind in (HELP, OPTIONAL):
                return None
            elif option.kind == VERSION:
                asks_version = True
            else:
                values[option.dest] = sense
    if asks_version:
        return ASKS_VERSION
    values.update(appended, paths=[*paths, *after])
    return values


def _named(word: str) -> list[tuple[tuple[Option, bool], str | None]] | None:
    """The options a word names, each with the value written into the word, if any."""
    if word.startswith("--"):
        name, equals, inline = word.partition("=")
        known = SPELLINGS.get(name)
        return None if known is None else [(known, inline if equals else None)]
    if not word or "=" in word:  # -j=4: Python versions differ on what follows the =
        return None
    named: list[tuple[tuple[Option, bool], str | None]] = []
    for at in range(1, len(word)):
        known = SPELLINGS.get(f"-{word[at]}")
        if known is None:
            return None
        if known[0].kind in TAKES_VALUE:  # takes the rest of the word, if any: -j4, -qj4
            named.append((known, word[at + 1 :] or None))
            break
        named.append((known, None))
    return named


def _value(option: Option, text: str | None) -> object | None:
    """The option's value from ``text``, or None where argparse would refuse it or might read it otherwise."""
    if not text or text.startswith("-"):
        return None
    if option.choices is not None and text not in option.choices:
        return None
    if option.convert is None:
        return text
    try:
        return option.convert(text)
    except ValueError:
        return None
