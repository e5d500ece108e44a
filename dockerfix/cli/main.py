"""The ``dockerfix`` command: choose a mode and a format, run files, print, exit.

No logic of its own: the core decides, ``runner`` processes a file, ``report`` prints.
Exit codes (SPEC section 5, README's table): 0 nothing to report or change (also a
directory with no Dockerfile to check: a warning, as ruff does); 1 findings, a diff, or
findings left after --write; 2 usage error (an unknown rule code too), or a file that could
not be read or parsed; 130 interrupted.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from dockerfix.cli import options
from dockerfix.fix.diff import quoted_name
from dockerfix.report import FORMATS, PREVIEWS_FIXES

if TYPE_CHECKING:
    import argparse

    from dockerfix.cli.config import Overrides, Resolver
    from dockerfix.fix.runner import FileResult, Mode

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 1  # what click's standalone mode exited with, kept for scripts

DESCRIPTION = """\
Find and fix pip cache bloat in Dockerfiles.

PATHS are Dockerfiles or directories to search (default: the current directory);
'-' reads standard input."""


def _codes(option: str, values: Sequence[str] | None) -> tuple[str, ...]:
    """The rule codes of a ``--select``-like option (comma-separated, repeatable), checked
    against the rules; a hadolint code is replaced by its rule, with a note on stderr."""
    if not values:
        return ()
    from dockerfix.cli.config import ConfigError
    from dockerfix.rules.selection import UnknownCode, normalize

    notes: list[str] = []
    try:
        codes = normalize((c for v in values or () for c in v.split(",")), notes)
    except UnknownCode as exc:
        raise ConfigError(f"{option}: {exc}") from None
    for note in notes:
        _error_line(f"dockerfix: note: {option}: {note}")
    return codes


class OutputError(Exception):
    """Standard output cannot be written: closed (``>&-``), or a full disk (``> /dev/full``)."""


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command on ``argv`` (default: ``sys.argv[1:]``); always exits via SystemExit.

    The error policy, in one place: whatever a user can cause (a file, a name, a pipe, a
    configuration, a lock file) ends as one ``dockerfix: error: PLACE: what`` line and exit
    2; a file's own error is reported with it and the other files are still processed
    (``runner``). Anything else is a bug, reported as an "internal error", also exit 2.
    """
    _guard_standard_fds()
    try:
        code = _main(argv)
    except KeyboardInterrupt:  # also while parsing or loading, not only around the file loop
        code = EXIT_INTERRUPTED
    except BrokenPipeError:  # `dockerfix --diff . | head`: the reader left, nothing more to say
        _silence_output()
        code = EXIT_BROKEN_PIPE
    except OutputError as exc:
        _error_line(f"dockerfix: error: standard output: {exc}")
        _silence_output()
        code = EXIT_ERROR
    except OSError as exc:  # a file read outside a Dockerfile's processing (an ignore file)
        place = f"{quoted_name(os.fsdecode(exc.filename))}: " if exc.filename is not None else ""
        _error_line(f"dockerfix: error: {place}{exc.strerror or exc}")
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  (a bug: one line, not a traceback; bulk does the same per file)
        _error_line(f"dockerfix: error: internal error: {type(exc).__name__}: {exc} (please report it)")
        code = EXIT_ERROR
    sys.exit(code)


def _guard_standard_fds() -> None:
    """Open /dev/null on a closed descriptor 0, 1 or 2 (``dockerfix <&-``), so that no file
    opened later (a Dockerfile, a temporary file of --write) takes its number and receives
    what was meant for the terminal. ``sys.stdin``/``sys.stdout`` stay None: the run still
    knows the stream was closed and says so when it needs it."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if opened != fd:  # a lower descriptor was free after all: leave things as they are
                os.close(opened)
    if sys.stderr is None:  # `2>&-`: messages go nowhere (print(file=None) would pick stdout)
        sys.stderr = open(os.devnull, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115


def _restore_default(signum: int) -> None:
    import signal

    signal.signal(signum, signal.SIG_DFL)


def _exit_cleanly_on_sigterm() -> Callable[[], None]:
    """SIGTERM (``kill``, a CI job's timeout) ends a --write run as the default action would,
    exit 143, but through Python: a write in progress is finished first (``writer`` holds the
    signal back while it replaces a file), so no temporary file is left beside its target,
    and the pool's workers are stopped (``bulk``). A run that writes nothing needs none of
    it (nor the signal module's import).
    A SIGTERM ignored by whoever started us stays ignored. Returns what puts the previous
    handler back (for a caller of ``main`` in the same process, a test)."""
    import signal

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, terminate)
            return lambda: _restore_default(signal.SIGTERM)
    except (ValueError, AttributeError):  # not the main thread (an embedding program's call)
        pass
    return lambda: None


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
    code = _flush_streams(code)
    os._exit(code or 0)


def _flush_streams(code: object) -> int:
    """What is left in the output buffers, written; a write that fails now (argparse's
    --help into /dev/full) is the same one-line error as any other."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE
    except (OSError, ValueError) as exc:
        _error_line(f"dockerfix: error: standard output: {getattr(exc, 'strerror', None) or exc}")
        _silence_output()
        return EXIT_ERROR
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it
    return code if isinstance(code, int) else 0


def _main(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    if words[:1] == ["server"]:  # `dockerfix server`: the language server, its own arguments
        from dockerfix.server import main as server_main

        return server_main(words[1:])
    args = _parse(words)
    if args.list_rules or args.explain == "":
        return _list_rules()
    if args.explain:
        return _explain(args.explain)
    if args.diff_mode and args.write_mode:
        _usage_error("--diff and --write cannot be used together")
    if args.statistics and args.diff_mode:
        _usage_error("--statistics and --diff cannot be used together")
    if args.config_file and args.isolated:
        _usage_error("--config and --isolated cannot be used together")
    from dockerfix.cli.config import ConfigError, Resolver
    from dockerfix.fix.diff import should_colorize
    from dockerfix.fix.runner import Mode

    mode: Mode = Mode.DIFF if args.diff_mode else Mode.WRITE if args.write_mode else Mode.CHECK
    paths: list[str] = args.paths or ["."]
    stdin_filename: str | None = args.stdin_filename
    log = (lambda message: _error_line(f"dockerfix: {message}")) if args.verbose else None
    try:
        note = lambda message: _error_line(f"dockerfix: note: {message}")  # noqa: E731
        resolver = Resolver(_overrides(args), config_file=args.config_file, isolated=args.isolated, log=log, note=note)
        # The format's default lives here, not in the parser: None means "not given", so a
        # configuration file can choose it.
        output_format = resolver.output_format(args.output_format or "text", FORMATS)
        if args.statistics and output_format not in STATISTICS_FORMATS:
            _usage_error(f"--statistics prints as text, full or json, not {output_format}")
        if args.show_settings:
            return _show_settings(resolver, paths, stdin_filename)
        # diffs only: the formats never colour, nor does a diff written to --output-file
        colour = should_colorize(args.color, sys.stdout) and not args.output_file
        output = Output(args.output_file)
        run_args = (paths, mode, resolver, output_format, stdin_filename, args.exit_zero, args.quiet, colour, args.jobs)
        code = _run(*run_args, output=output, statistics=args.statistics)
        return output.close() or code
    except ConfigError as exc:
        _error_line(f"dockerfix: error: {exc}")
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    """The options of ``options.OPTIONS``, grouped for --help; argparse is imported only here."""
    import argparse

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
    # --help through _emit: a stdout closed or full is an error, not a silent exit 0.
    parser.print_help = lambda file=None: _emit(parser.format_help())  # type: ignore[method-assign]
    # Described in DESCRIPTION; a "positional arguments" section would only repeat it.
    parser.add_argument("paths", nargs="*", metavar="PATHS", help=argparse.SUPPRESS)
    actions: dict[str, Any] = {
        options.FLAG: "store_true",
        options.ON_OFF: argparse.BooleanOptionalAction,
        options.APPEND: "append",
        options.VALUE: "store",
        options.CONST: "store_const",
        options.OPTIONAL: "store",
        options.VERSION: "version",
        options.HELP: "help",
    }
    groups: dict[str, argparse._ArgumentGroup] = {}
    for option in options.OPTIONS:
        if option.group not in groups:
            groups[option.group] = parser.add_argument_group(option.group)
        # Only what the option has: store_true and the like take no metavar or choices.
        given = {
            "dest": option.dest if option.kind not in (options.VERSION, options.HELP) else None,
            "metavar": option.metavar,
            "choices": option.choices,
            "const": True if option.kind == options.CONST else None,
            "version": options.VERSION_TEXT if option.kind == options.VERSION else None,
            "type": _argparse_type(option.convert) if option.convert else None,
            "nargs": "?" if option.kind == options.OPTIONAL else None,
        }
        if option.kind == options.OPTIONAL:
            given["const"] = ""
        kwargs: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
        groups[option.group].add_argument(*option.names, action=actions[option.kind], help=option.help, **kwargs)
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


def _parse(argv: list[str]) -> SimpleNamespace:
    """The options and paths of ``argv``: read from the option table where the reader is sure
    of the command line (most runs, without importing argparse), else by argparse."""
    values = options.read(argv)
    if values == options.ASKS_VERSION:
        _print_version()
    if isinstance(values, dict):
        return SimpleNamespace(**values)
    return SimpleNamespace(**vars(_parse_with_argparse(argv)))


def _parse_with_argparse(argv: list[str]) -> argparse.Namespace:
    """Options and paths in any order (``a --diff b``), and everything after ``--`` a path
    (``options.split_at_double_dash``; click too took every later word as a path)."""
    before, after = options.split_at_double_dash(argv)
    args = _parser().parse_intermixed_args(list(before))
    args.paths = [*(args.paths or ()), *after]
    return args


def _print_version() -> NoReturn:
    """What argparse's version action prints; a stdout that cannot take it is an error."""
    _emit(f"{options.VERSION_TEXT}\n")
    sys.exit(0)


def _argparse_type(convert: Callable[[str], object]) -> Callable[[str], object]:
    """``convert`` as an argparse type: its ValueError's text becomes the usage error's."""
    import argparse

    def checked(text: str) -> object:
        try:
            return convert(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return checked


def _usage_error(message: str) -> NoReturn:
    """argparse's usage line and ``dockerfix: error: MESSAGE``, exit 2."""
    _parser().error(message)


def _overrides(args: SimpleNamespace) -> Overrides:
    """The options given on the command line; None (not given) lets a configuration file decide.

    The parser leaves every option a configuration file can set at None unless it is given.
    """
    from dockerfix.cli.config import Overrides

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


def _error_line(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except (AttributeError, OSError, ValueError):
        pass  # stderr closed or full: nowhere left to say it; the exit code still does


def _silence_output() -> None:
    """Point stdout and stderr at /dev/null: the interpreter's final flush must not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (AttributeError, OSError, ValueError):  # closed, or not a real file (a test's capture)
            pass


def _show_settings(resolver: Resolver, paths: list[str], stdin_filename: str | None) -> int:
    from dockerfix.cli.discovery import STDIN

    files, _ = resolver.discover(paths)
    target = files[0] if files else paths[0]
    if target == STDIN and stdin_filename:
        target = stdin_filename
    _emit(resolver.show(target))
    return EXIT_OK


def _explain(name_or_code: str) -> int:
    """A rule's documentation, named by its code, its name or a hadolint code."""
    from dockerfix.rules import BY_CODE
    from dockerfix.rules.selection import closest, lookup

    code = lookup(name_or_code)
    if code is None:
        close = closest(name_or_code)
        hint = f"; did you mean {close!r}?" if close else ""
        known = ", ".join(f"{c} ({r.doc.name})" for c, r in sorted(BY_CODE.items()))
        _error_line(f"dockerfix: error: --explain: unknown rule {name_or_code!r}{hint} (known: {known})")
        return EXIT_ERROR
    _emit(BY_CODE[code].doc.markdown())
    return EXIT_OK


def _list_rules() -> int:
    """One line per rule: code, name, whether its fix is safe, summary (``--list-rules``)."""
    from dockerfix.rules import RULES

    width = max(len(r.doc.name) for r in RULES)
    lines = [f"{r.code}  {r.doc.name:<{width}}  {r.doc.summary}" for r in RULES]
    _emit("\n".join(lines) + "\n")
    return EXIT_OK


STATISTICS_FORMATS = ("text", "full", "json")


class Output:
    """Where machine output goes: standard output, or ``--output-file``, written whole at the
    end of the run (a temporary file renamed over it, as ``--write`` writes Dockerfiles), so
    that a reader never sees half a report."""

    def __init__(self, path: str | None) -> None:
        self.path = path if path != "-" else None
        self._parts: list[str] = []

    def __call__(self, text: str) -> None:
        if self.path is None:
            _emit(text)
        else:
            self._parts.append(text)

    def close(self) -> int:
        """Write the file; EXIT_ERROR (said on stderr) when it cannot be written, else 0."""
        if self.path is None:
            return EXIT_OK
        from dockerfix.fix.writer import write_atomic

        try:
            write_atomic(self.path, "".join(self._parts).encode("utf-8"))
        except OSError as exc:
            _error_line(f"dockerfix: error: {self.path}: cannot write output file: {exc.strerror or exc}")
            return EXIT_ERROR
        return EXIT_OK


def _run(
    paths: list[str],
    mode: Mode,
    resolver: Resolver,
    output_format: str,
    stdin_filename: str | None,
    exit_zero: bool,
    quiet: bool,
    color: bool = False,
    workers: int | None = None,
    *,
    output: Callable[[str], None] | None = None,
    statistics: bool = False,
) -> int:
    from dockerfix.cli import bulk
    from dockerfix.cli.discovery import STDIN
    from dockerfix.fix.reading import read_stream
    from dockerfix.fix.runner import Mode, Outcome

    out = output or _emit
    notes: list[str] = []
    found_files, errors = resolver.discover_with_roots(paths, notes)
    files = [path for path, _ in found_files]
    # Each file gets its nearest configuration's settings.
    jobs: list[bulk.Job] = []
    for path, root in found_files:
        if path != STDIN:
            jobs.append(bulk.Job(path, path, None, resolver.settings_for(path), root))
            continue
        try:
            data = read_stream(getattr(sys.stdin, "buffer", None), resolver.max_file_size)
        except OSError as exc:
            errors.append(f"standard input: {exc.strerror or exc}")
            continue
        jobs.append(bulk.Job(path, stdin_filename or "-", data, resolver.settings_for_stdin(stdin_filename)))
    for error in errors:
        _error_line(f"dockerfix: error: {error}")
    for note in notes:
        _error_line(f"dockerfix: warning: {note}")
    # A format that describes the fixes (markdown) needs them computed even in report mode:
    # --diff's processing does that and writes nothing.
    run_mode = Mode.DIFF if mode == Mode.CHECK and output_format in PREVIEWS_FIXES else mode
    progress = bulk.Progress(sys.stderr, len(jobs), enabled=not quiet and sys.stderr.isatty())
    restore = _exit_cleanly_on_sigterm() if mode == Mode.WRITE else (lambda: None)
    try:
        done = bulk.run(jobs, run_mode, workers=workers, on_result=progress)
    finally:
        restore()
        progress.close()
    results = done.results
    for result in results:
        if result.error:
            _error_line(f"dockerfix: error: {result.error}")

    if mode == Mode.DIFF:
        _print_diffs(results, color, out)
    elif mode == Mode.WRITE and any(r.path == STDIN for r in results):
        for r in results:
            if r.path == STDIN and r.original is not None:
                _emit(r.fixed if r.fixed is not None else r.original)
    if statistics:
        from dockerfix.report.statistics import write as write_statistics

        buffer = io.StringIO()
        write_statistics(results, buffer, as_json=output_format == "json")
        out(buffer.getvalue())
    elif mode != Mode.DIFF and not (mode == Mode.WRITE and files == [STDIN]):
        _print_findings(results, output_format, out)
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


def _print_diffs(results: list[FileResult], color: bool = False, out: Callable[[str], None] | None = None) -> None:
    from dockerfix.fix.diff import colorize_diff, unified_diff

    for r in results:
        if r.fixed is not None and r.original is not None:
            diff = r.diff if r.diff is not None else unified_diff(r.display, r.original, r.fixed)
            (out or _emit)(colorize_diff(diff) if color else diff)


def _print_findings(results: list[FileResult], output_format: str, out: Callable[[str], None] | None = None) -> None:
    from dockerfix.report import load

    buffer = io.StringIO()
    load(output_format).write(results, buffer)
    (out or _emit)(buffer.getvalue())


def _emit(text: str) -> None:
    """Machine output as UTF-8 bytes, newlines untouched (a CRLF file's diff keeps its \\r).

    Raises ``OutputError`` when stdout is closed or cannot take the bytes (a full disk);
    a reader that left (BrokenPipeError) is ``main``'s quiet case."""
    if not text:  # nothing to say: a closed stdout is no error (--write with nothing left)
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise OutputError("closed")
    try:
        stream.write(text.encode("utf-8", errors="surrogateescape"))
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise OutputError(getattr(exc, "strerror", None) or str(exc)) from None
