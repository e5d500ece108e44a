"""The command line, read by one argparse parser built from ``options.OPTIONS``, and what
its values mean for the configuration resolver (``Overrides``)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dockerfix.cli import options
from dockerfix.cli.config import Overrides
from dockerfix.cli.config_file import ConfigError
from dockerfix.cli.output import emit, error_line
from dockerfix.rules.selection import UnknownCode, normalize

DESCRIPTION = """\
Find and fix pip cache bloat in Dockerfiles.

PATHS are Dockerfiles or directories to search (default: the current directory);
'-' reads standard input."""


class _Version(argparse.Action):
    """``--version``: argparse's version action, printed through ``emit`` so that a stdout
    that cannot take it is an error, not a silent exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: object, values: object, option_string: str | None = None) -> NoReturn:
        emit(f"{options.VERSION_TEXT}\n")
        parser.exit()


ACTIONS: dict[str, Any] = {
    options.FLAG: "store_true",
    options.ON_OFF: argparse.BooleanOptionalAction,
    options.APPEND: "append",
    options.VALUE: "store",
    options.CONST: "store_const",
    options.OPTIONAL: "store",
    options.VERSION: _Version,
    options.HELP: "help",
}


def build_parser() -> argparse.ArgumentParser:
    """The options of ``options.OPTIONS``, grouped for --help."""
    width = _help_width()

    def formatter(prog: str) -> argparse.HelpFormatter:
        return argparse.RawDescriptionHelpFormatter(prog, max_help_position=34, width=width)

    parser = argparse.ArgumentParser(
        prog="dockerfix",
        usage="%(prog)s [OPTIONS] [PATHS]...",
        description=DESCRIPTION,
        formatter_class=formatter,
        add_help=False,
        allow_abbrev=False,  # click accepted no abbreviated long options: neither do we
    )
    # --help through emit: a stdout closed or full is an error, not a silent exit 0.
    parser.print_help = lambda file=None: emit(parser.format_help())  # type: ignore[method-assign]
    # Described in DESCRIPTION; a "positional arguments" section would only repeat it.
    parser.add_argument("paths", nargs="*", metavar="PATHS", help=argparse.SUPPRESS)
    groups: dict[str, argparse._ArgumentGroup] = {}
    for option in options.OPTIONS:
        if option.group not in groups:
            groups[option.group] = parser.add_argument_group(option.group)
        groups[option.group].add_argument(*option.names, action=ACTIONS[option.kind], help=option.help, **_arguments(option))
    return parser


def _arguments(option: options.Option) -> dict[str, Any]:
    """What ``add_argument`` takes besides the names: only what the option has (store_true
    and the like take no metavar or choices)."""
    given = {
        "dest": option.dest if option.kind not in (options.VERSION, options.HELP) else None,
        "metavar": option.metavar,
        "choices": option.choices,
        "const": True if option.kind == options.CONST else "" if option.kind == options.OPTIONAL else None,
        "type": _argparse_type(option.convert) if option.convert else None,
        "nargs": "?" if option.kind == options.OPTIONAL else None,
    }
    return {key: value for key, value in given.items() if value is not None}


def _help_width() -> int:
    """The terminal's width, at most 80 columns (click's rule), for every formatter argparse
    builds (one per ``add_argument``)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size().columns  # of standard output
        except OSError:
            columns = 80
    return max(min(columns, 80), 52) - 2


def _argparse_type(convert: Callable[[str], object]) -> Callable[[str], object]:
    """``convert`` as an argparse type: its ValueError's text becomes the usage error's."""

    def checked(text: str) -> object:
        try:
            return convert(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return checked


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Options and paths in any order (``a --diff b``), and every word after the first ``--``
    a path (click too took every later word as a path). The split at ``--`` is ours:
    ``parse_intermixed_args`` mishandles ``--`` (Python 3.11 rejects ``--diff -- -x.Dockerfile``)."""
    end = argv.index("--") if "--" in argv else len(argv)
    args = build_parser().parse_intermixed_args(list(argv[:end]))
    args.paths = [*(args.paths or ()), *argv[end + 1 :]]
    return args


def usage_error(message: str) -> NoReturn:
    """argparse's usage line and ``dockerfix: error: MESSAGE``, exit 2."""
    build_parser().error(message)


def overrides(args: argparse.Namespace) -> Overrides:
    """The options given on the command line; None (not given) lets a configuration file decide.

    The parser leaves every option a configuration file can set at None unless it is given.
    """
    return Overrides(
        select=_codes("--select", args.select) or None,
        extend_select=_codes("--extend-select", args.extend_select),
        ignore=_codes("--ignore", args.ignore),
        exclude=tuple(args.exclude or ()),
        unsafe_fixes=args.unsafe_fixes,
        output_format=args.output_format,
        pin_from=tuple(args.pin_from) if args.pin_from else None,
        pin_style=args.pin_style,
        fix_strategy=args.fix_strategy,
        add_syntax_directive=args.add_syntax_directive,
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
        max_file_size=args.max_file_size,
    )


def _codes(option: str, values: Sequence[str] | None) -> tuple[str, ...]:
    """The rule codes of a ``--select``-like option (comma-separated, repeatable), checked
    against the rules; a hadolint code is replaced by its rule, with a note on stderr."""
    if not values:
        return ()
    notes: list[str] = []
    try:
        codes = normalize((c for v in values for c in v.split(",")), notes)
    except UnknownCode as exc:
        raise ConfigError(f"{option}: {exc}") from None
    for note in notes:
        error_line(f"dockerfix: note: {option}: {note}")
    return codes
