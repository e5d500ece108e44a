"""The command line's options as one table: the source of the argparse parser and so of ``--help``
(``dockerfix.cli.parser`` builds the one from the other)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from dockerfix import __version__
from dockerfix.fix.reading import parse_size
from dockerfix.report import FORMATS

# What an option does with its word(s) (argparse's action in brackets).
FLAG = "flag"  # True when given, else False (store_true)
ON_OFF = "on-off"  # --x True, --no-x False, else None (BooleanOptionalAction)
APPEND = "append"  # a value, repeatable: the list of them, else None (append)
VALUE = "value"  # a value: the last one given, else None (store)
CONST = "const"  # True when given, else None (store_const)
OPTIONAL = "optional"  # a value that may be left out: the value, "" when left out, else None (store, nargs="?")
VERSION = "version"  # print the version and exit (version)
HELP = "help"  # print the help and exit (help)

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
