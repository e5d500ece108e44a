"""The ``dockerfix`` command: choose a mode and a format, run files, print, exit.

No logic of its own: the core decides, ``runner`` processes a file, ``report`` prints.
Exit codes (SPEC section 5): 0 nothing to report or change; 1 findings, a diff, or
findings left after --write; 2 usage error, or a file that could not be read or parsed.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence

from dockerfix import __version__
from dockerfix.report import FORMATS, PREVIEWS_FIXES

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time (~5 ms)
if TYPE_CHECKING:
    from typing import NoReturn

    from dockerfix.config import Overrides, Resolver
    from dockerfix.runner import FileResult, ModeValue

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 1  # what click's standalone mode exited with, kept for scripts

DESCRIPTION = """\
Find and fix pip cache bloat in Dockerfiles.

PATHS are Dockerfiles or directories to search (default: the current directory);
'-' reads standard input."""


def _codes(values: Sequence[str] | None) -> list[str]:
    return [c.strip().upper() for v in values or () for c in v.split(",") if c.strip()]


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command on ``argv`` (default: ``sys.argv[1:]``); always exits via SystemExit."""
    try:
        code = _main(argv)
    except KeyboardInterrupt:  # also while parsing or loading, not only around the file loop
        code = EXIT_INTERRUPTED
    except BrokenPipeError:  # `dockerfix --diff . | head`: the reader left, nothing more to say
        _silence_output()
        code = EXIT_BROKEN_PIPE
    sys.exit(code)


def entry() -> NoReturn:
    """The console script and ``python -m dockerfix``: ``main``, then a quick exit.

    Python's own exit tears down every module and object: ~4 ms of a one-file run, a
    tenth of it, spent on nothing. By the time ``main`` returns every file it wrote is
    replaced and closed; only the output streams are left to flush, here. A run that
    started worker processes (``--jobs``) exits the usual way, which waits for them, and
    so does a run under a tracer or profiler (coverage, cProfile), which writes its data
    at exit.
    """
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    if "multiprocessing" in sys.modules or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    if isinstance(code, str):  # SystemExit("message"), as the interpreter would print it
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    os._exit(code or 0)


def _main(argv: Sequence[str] | None) -> int:
    cli = _parser()
    args = _parse(cli, sys.argv[1:] if argv is None else list(argv))
    if args.explain:
        return _explain(args.explain)
    if args.diff_mode and args.write_mode:
        cli.error("--diff and --write cannot be used together")
    if args.config_file and args.isolated:
        cli.error("--config and --isolated cannot be used together")
    from dockerfix.config import ConfigError, Resolver
    from dockerfix.diff import should_colorize
    from dockerfix.runner import Mode

    mode: ModeValue = Mode.DIFF if args.diff_mode else Mode.WRITE if args.write_mode else Mode.CHECK
    paths: list[str] = args.paths or ["."]
    stdin_filename: str | None = args.stdin_filename
    log = (lambda message: _error_line(f"dockerfix: {message}")) if args.verbose else None
    try:
        resolver = Resolver(_overrides(args), config_file=args.config_file, isolated=args.isolated, log=log)
        # The format's default lives here, not in the parser: None means "not given", so a
        # configuration file can choose it.
        output_format = resolver.output_format(args.output_format or "text", FORMATS)
        if args.show_settings:
            return _show_settings(resolver, paths, stdin_filename)
        colour = should_colorize(args.color, sys.stdout)  # diffs only: the formats never colour
        run_args = (paths, mode, resolver, output_format, stdin_filename, args.exit_zero, args.quiet, colour, args.jobs)
        return _run(*run_args)
    except ConfigError as exc:
        _error_line(f"dockerfix: error: {exc}")
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    """The options, grouped for --help.

    Every option a configuration file can also set defaults to None, so that ``_overrides``
    can tell "given" from "not given".
    """

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
    # Described in DESCRIPTION; a "positional arguments" section would only repeat it.
    parser.add_argument("paths", nargs="*", metavar="PATHS", help=argparse.SUPPRESS)
    flag, on_off = "store_true", argparse.BooleanOptionalAction

    modes = parser.add_argument_group("Modes (default: report findings)")
    modes.add_argument("--diff", dest="diff_mode", action=flag, help="Print a unified diff of the fixes; write nothing.")
    modes.add_argument("--write", dest="write_mode", action=flag, help="Fix files in place (atomic replace, mode kept).")

    rules = parser.add_argument_group("Rules and fixes")
    rules.add_argument("--select", action="append", metavar="CODES", help="Only these rules (comma-separated codes or prefixes).")
    rules.add_argument("--ignore", action="append", metavar="CODES", help="Skip these rules.")
    rules.add_argument("--unsafe-fixes", action=on_off, help="Also apply fixes marked unsafe.")
    rules.add_argument(
        "--pin-from",
        action="append",
        metavar="FILE",
        help="A requirements lock or constraints file; DFX002 fixes pin to its versions (repeatable).",
    )
    rules.add_argument(
        "--fix-strategy",
        choices=["flag", "cache-mount"],
        help="How to fix cache findings: insert the no-cache flag, or add a BuildKit cache mount. [default: flag]",
    )
    rules.add_argument(
        "--add-syntax-directive",
        action="store_const",
        const=True,
        help="With --fix-strategy cache-mount, add '# syntax=docker/dockerfile:1' when the file has none.",
    )

    files = parser.add_argument_group("Files")
    files.add_argument("--exclude", action="append", metavar="GLOB", help="Skip matching paths while walking directories.")
    files.add_argument(
        "--force-exclude",
        action=on_off,
        help="Apply excludes and .gitignore to paths named on the command line too (for pre-commit).",
    )
    files.add_argument(
        "--respect-gitignore",
        action=on_off,
        help="Skip files ignored by .gitignore and .git/info/exclude (default: respect).",
    )
    files.add_argument("--stdin-filename", metavar="NAME", help="The name to report for input read from '-'.")
    files.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="Process files in N worker processes (default: one per CPU; 1: none).",
    )

    config = parser.add_argument_group("Configuration")
    config.add_argument("--config", dest="config_file", metavar="FILE", help="Use this configuration file for every Dockerfile.")
    config.add_argument("--isolated", action=flag, help="Ignore all configuration files.")
    config.add_argument("--show-settings", action=flag, help="Print the settings used for the first file, and exit.")

    output = parser.add_argument_group("Output")
    output.add_argument("--output-format", choices=FORMATS, help="How to print findings. [default: text]")
    output.add_argument("--exit-zero", action=flag, help="Exit 0 even when there are findings (not on errors).")
    output.add_argument("-q", "--quiet", action=flag, help="Print no summary on stderr.")
    output.add_argument(
        "-v",
        "--verbose",
        action=flag,
        help="Say on stderr which configuration each directory uses, and why files are skipped.",
    )
    output.add_argument(
        "--color",
        action=on_off,
        help="Colour diffs (default: only on a terminal, and not when NO_COLOR is set).",
    )

    about = parser.add_argument_group("Information")
    about.add_argument("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
    about.add_argument("--version", action="version", version=f"dockerfix, version {__version__}", help="Show the version and exit.")
    about.add_argument("-h", "--help", action="help", help="Show this message and exit.")
    return parser


def _help_width() -> int:
    """The terminal's width, at most 80 columns (click's rule).

    Passed to every formatter, because argparse builds one per ``add_argument`` and, given
    no width, imports shutil (with bz2, lzma, zlib: ~5 ms a run) to ask the terminal.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size().columns  # of standard output
        except OSError:
            columns = 80
    return max(min(columns, 80), 52) - 2


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Options and paths in any order (``a --diff b``), and everything after ``--`` a path.

    The split at ``--`` is ours: ``parse_intermixed_args`` mishandles it (Python 3.11
    rejects ``--diff -- -x.Dockerfile``), and click took every later word as a path.
    """
    end = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_intermixed_args(argv[:end])
    args.paths = [*(args.paths or ()), *argv[end + 1 :]]
    return args


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _overrides(args: argparse.Namespace) -> Overrides:
    """The options given on the command line; None (not given) lets a configuration file decide.

    The parser leaves every option a configuration file can set at None unless it is given.
    """
    from dockerfix.config import Overrides

    return Overrides(
        select=tuple(_codes(args.select)) or None,
        ignore=tuple(_codes(args.ignore)),
        exclude=tuple(args.exclude or ()),
        unsafe_fixes=args.unsafe_fixes,
        output_format=args.output_format,
        pin_from=tuple(args.pin_from) if args.pin_from else None,
        fix_strategy=args.fix_strategy,
        add_syntax_directive=args.add_syntax_directive,
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
    )


def _error_line(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _silence_output() -> None:
    """Point stdout and stderr at /dev/null: the interpreter's final flush must not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
            pass


def _show_settings(resolver: Resolver, paths: list[str], stdin_filename: str | None) -> int:
    from dockerfix.discovery import STDIN

    files, _ = resolver.discover(paths)
    target = files[0] if files else paths[0]
    if target == STDIN and stdin_filename:
        target = stdin_filename
    _emit(resolver.show(target))
    return EXIT_OK


def _explain(code: str) -> int:
    from dockerfix.rules import BY_CODE

    rule = BY_CODE.get(code.strip().upper())
    if rule is None:
        known = ", ".join(sorted(BY_CODE))
        _error_line(f"dockerfix: error: unknown rule code {code!r} (known: {known})")
        return EXIT_ERROR
    _emit(rule.doc.markdown())
    return EXIT_OK


def _run(
    paths: list[str],
    mode: ModeValue,
    resolver: Resolver,
    output_format: str,
    stdin_filename: str | None,
    exit_zero: bool,
    quiet: bool,
    color: bool = False,
    workers: int | None = None,
) -> int:
    from dockerfix import bulk
    from dockerfix.discovery import STDIN
    from dockerfix.runner import Mode, Outcome

    found_files, errors = resolver.discover_with_roots(paths)
    for error in errors:
        _error_line(f"dockerfix: error: {error}")
    files = [path for path, _ in found_files]
    # Each file gets its nearest configuration's settings.
    jobs = [
        bulk.Job(path, stdin_filename or "-", sys.stdin.buffer.read(), resolver.settings_for_stdin(stdin_filename))
        if path == STDIN
        else bulk.Job(path, path, None, resolver.settings_for(path), root)
        for path, root in found_files
    ]
    # A format that describes the fixes (markdown) needs them computed even in report mode:
    # --diff's processing does that and writes nothing.
    run_mode = Mode.DIFF if mode == Mode.CHECK and output_format in PREVIEWS_FIXES else mode
    progress = bulk.Progress(sys.stderr, len(jobs), enabled=not quiet and sys.stderr.isatty())
    try:
        done = bulk.run(jobs, run_mode, workers=workers, on_result=progress)
    finally:
        progress.close()
    results = done.results
    for result in results:
        if result.error:
            _error_line(f"dockerfix: error: {result.error}")

    if mode == Mode.DIFF:
        _print_diffs(results, color)
    elif mode == Mode.WRITE and any(r.path == STDIN for r in results):
        for r in results:
            if r.path == STDIN and r.original is not None:
                _emit(r.fixed if r.fixed is not None else r.original)
    if mode != Mode.DIFF and not (mode == Mode.WRITE and files == [STDIN]):
        _print_findings(results, output_format)
    if not quiet:
        _error_line(bulk.summary(done, mode))
    if done.interrupted:
        return EXIT_INTERRUPTED

    failed = bool(errors) or any(r.outcome == Outcome.FAILED for r in results)
    if failed:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    if mode == Mode.DIFF:
        found = any(r.outcome == Outcome.CHANGED for r in results)
    else:
        found = any(r.diagnostics for r in results)
    return EXIT_FINDINGS if found else EXIT_OK


def _print_diffs(results: list[FileResult], color: bool = False) -> None:
    from dockerfix.diff import colorize_diff, unified_diff

    for r in results:
        if r.fixed is not None and r.original is not None:
            diff = r.diff if r.diff is not None else unified_diff(r.display, r.original, r.fixed)
            _emit(colorize_diff(diff) if color else diff)


def _print_findings(results: list[FileResult], output_format: str) -> None:
    from dockerfix.report import load

    buffer = io.StringIO()
    load(output_format).write(results, buffer)
    _emit(buffer.getvalue())


def _emit(text: str) -> None:
    """Machine output as UTF-8 bytes, newlines untouched (a CRLF file's diff keeps its \\r)."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
