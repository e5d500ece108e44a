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
from typing import TYPE_CHECKING, NoReturn

from dockerfix.cli import bulk, progress
from dockerfix.cli.config import Resolver
from dockerfix.cli.config_file import ConfigError
from dockerfix.cli.discovery import STDIN
from dockerfix.cli.output import EXIT_ERROR, EXIT_OK, Output, OutputError, emit, error_line, silence_output
from dockerfix.cli.parser import overrides, parse, usage_error
from dockerfix.fix.diff import colorize_diff, quoted_name, should_colorize, unified_diff
from dockerfix.fix.reading import read_stream
from dockerfix.fix.runner import Mode, Outcome
from dockerfix.report import FORMATS, PREVIEWS_FIXES, load
from dockerfix.rules import BY_CODE, RULES
from dockerfix.rules.selection import closest, lookup

if TYPE_CHECKING:
    from dockerfix.fix.runner import FileResult

EXIT_FINDINGS = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 1  # what click's standalone mode exited with, kept for scripts
STATISTICS_FORMATS = ("text", "full", "json")


def entry() -> NoReturn:
    """The console script and ``python -m dockerfix``."""
    raise SystemExit(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (default: ``sys.argv[1:]``); the exit code.

    The error policy, in one place: whatever a user can cause (a file, a name, a pipe, a
    configuration, a lock file) ends as one ``dockerfix: error: PLACE: what`` line and exit
    2; a file's own error is reported with it and the other files are still processed
    (``runner``). Anything else is a bug, reported as an "internal error", also exit 2.
    """
    _guard_standard_fds()
    try:
        code = _main(argv)
    except SystemExit as exc:  # argparse's usage errors, --help and --version; SIGTERM under --write
        code = _exit_code(exc)
    except KeyboardInterrupt:  # also while parsing or loading, not only around the file loop
        code = EXIT_INTERRUPTED
    except BrokenPipeError:  # `dockerfix --diff . | head`: the reader left, nothing more to say
        silence_output()
        code = EXIT_BROKEN_PIPE
    except OutputError as exc:
        error_line(f"dockerfix: error: standard output: {exc}")
        silence_output()
        code = EXIT_ERROR
    except OSError as exc:  # a file read outside a Dockerfile's processing (an ignore file)
        place = f"{quoted_name(os.fsdecode(exc.filename))}: " if exc.filename is not None else ""
        error_line(f"dockerfix: error: {place}{exc.strerror or exc}")
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  (a bug: one line, not a traceback; bulk does the same per file)
        error_line(f"dockerfix: error: internal error: {type(exc).__name__}: {exc} (please report it)")
        code = EXIT_ERROR
    return code


def _exit_code(exc: SystemExit) -> int:
    """The code a SystemExit asks for, as the interpreter reads it (a message: said, then 1)."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or EXIT_OK
    error_line(str(exc.code))
    return 1


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


def _exit_cleanly_on_sigterm() -> Callable[[], None]:
    """SIGTERM (``kill``, a CI job's timeout) ends a --write run as the default action would,
    exit 143, but through Python: a write in progress is finished first (``writer`` holds the
    signal back while it replaces a file), so no temporary file is left beside its target,
    and the pool's workers are stopped (``bulk``). A SIGTERM ignored by whoever started us
    stays ignored. Returns what puts the previous handler back (for a caller of ``main`` in
    the same process, a test)."""

    import signal  # a --write run's only

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, terminate)
            return _restore_default_sigterm
    except (ValueError, AttributeError):  # not the main thread (an embedding program's call)
        pass
    return lambda: None


def _restore_default_sigterm() -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _main(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    if words[:1] == ["server"]:  # `dockerfix server`: the language server, its own arguments
        from dockerfix.server import main as server_main

        return server_main(words[1:])
    args = parse(words)
    if args.list_rules or args.explain == "":
        return _list_rules()
    if args.explain:
        return _explain(args.explain)
    if args.diff_mode and args.write_mode:
        usage_error("--diff and --write cannot be used together")
    if args.statistics and args.diff_mode:
        usage_error("--statistics and --diff cannot be used together")
    if args.config_file and args.isolated:
        usage_error("--config and --isolated cannot be used together")
    mode = Mode.DIFF if args.diff_mode else Mode.WRITE if args.write_mode else Mode.CHECK
    paths: list[str] = args.paths or ["."]
    stdin_filename: str | None = args.stdin_filename
    log = (lambda message: error_line(f"dockerfix: {message}")) if args.verbose else None
    try:
        note = lambda message: error_line(f"dockerfix: note: {message}")  # noqa: E731
        resolver = Resolver(overrides(args), config_file=args.config_file, isolated=args.isolated, log=log, note=note)
        # The format's default lives here, not in the parser: None means "not given", so a
        # configuration file can choose it.
        output_format = resolver.output_format(args.output_format or "text", FORMATS)
        if args.statistics and output_format not in STATISTICS_FORMATS:
            usage_error(f"--statistics prints as text, full or json, not {output_format}")
        if args.show_settings:
            return _show_settings(resolver, paths, stdin_filename)
        # diffs only: the formats never colour, nor does a diff written to --output-file
        colour = should_colorize(args.color, sys.stdout) and not args.output_file
        output = Output(args.output_file)
        run_args = (paths, mode, resolver, output_format, stdin_filename, args.exit_zero, args.quiet, colour, args.jobs)
        code = _run(*run_args, output=output, statistics=args.statistics)
        return output.close() or code
    except ConfigError as exc:
        error_line(f"dockerfix: error: {exc}")
        return EXIT_ERROR


def _show_settings(resolver: Resolver, paths: list[str], stdin_filename: str | None) -> int:
    files, _ = resolver.discover(paths)
    target = files[0] if files else paths[0]
    if target == STDIN and stdin_filename:
        target = stdin_filename
    emit(resolver.show(target))
    return EXIT_OK


def _explain(name_or_code: str) -> int:
    """A rule's documentation, named by its code, its name or a hadolint code."""
    code = lookup(name_or_code)
    if code is None:
        close = closest(name_or_code)
        hint = f"; did you mean {close!r}?" if close else ""
        known = ", ".join(f"{c} ({r.doc.name})" for c, r in sorted(BY_CODE.items()))
        error_line(f"dockerfix: error: --explain: unknown rule {name_or_code!r}{hint} (known: {known})")
        return EXIT_ERROR
    emit(BY_CODE[code].doc.markdown())
    return EXIT_OK


def _list_rules() -> int:
    """One line per rule: code, name, whether its fix is safe, summary (``--list-rules``)."""
    width = max(len(r.doc.name) for r in RULES)
    lines = [f"{r.code}  {r.doc.name:<{width}}  {r.doc.summary}" for r in RULES]
    emit("\n".join(lines) + "\n")
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
    out = output or emit
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
        error_line(f"dockerfix: error: {error}")
    for note in notes:
        error_line(f"dockerfix: warning: {note}")
    # A format that describes the fixes (markdown) needs them computed even in report mode:
    # --diff's processing does that and writes nothing.
    run_mode = Mode.DIFF if mode == Mode.CHECK and output_format in PREVIEWS_FIXES else mode
    shown = progress.Progress(sys.stderr, len(jobs), enabled=not quiet and sys.stderr.isatty())
    restore = _exit_cleanly_on_sigterm() if mode == Mode.WRITE else (lambda: None)
    try:
        done = bulk.run(jobs, run_mode, workers=workers, on_result=shown)
    finally:
        restore()
        shown.close()
    results = done.results
    for result in results:
        if result.error:
            error_line(f"dockerfix: error: {result.error}")

    if mode == Mode.DIFF:
        _print_diffs(results, color, out)
    elif mode == Mode.WRITE and any(r.path == STDIN for r in results):
        for r in results:
            if r.path == STDIN and r.original is not None:
                emit(r.fixed if r.fixed is not None else r.original)
    if statistics:
        from dockerfix.report.statistics import write as write_statistics

        buffer = io.StringIO()
        write_statistics(results, buffer, as_json=output_format == "json")
        out(buffer.getvalue())
    elif mode != Mode.DIFF and not (mode == Mode.WRITE and files == [STDIN]):
        _print_findings(results, output_format, out)
    if not quiet:
        error_line(progress.summary(done, mode))
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
    for r in results:
        if r.fixed is not None and r.original is not None:
            diff = r.diff if r.diff is not None else unified_diff(r.display, r.original, r.fixed)
            (out or emit)(colorize_diff(diff) if color else diff)


def _print_findings(results: list[FileResult], output_format: str, out: Callable[[str], None] | None = None) -> None:
    buffer = io.StringIO()
    load(output_format).write(results, buffer)
    (out or emit)(buffer.getvalue())
