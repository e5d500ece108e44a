"""The ``dockerfix`` command: choose a mode and a format, run files, print, exit.

No logic of its own: the core decides, ``runner`` processes a file, ``report`` prints.
Exit codes (SPEC section 5): 0 nothing to report or change; 1 findings, a diff, or
findings left after --write; 2 usage error, or a file that could not be read or parsed.
"""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING, Sequence

import click

from dockerfix import __version__

if TYPE_CHECKING:
    from dockerfix.core import Settings
    from dockerfix.runner import FileResult, Mode

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def _codes(values: Sequence[str]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", "diff_mode", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--write", "write_mode", is_flag=True, help="Fix files in place (atomic replace, mode kept).")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print findings.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules (comma-separated codes or prefixes).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option(
    "--pin-from",
    multiple=True,
    metavar="FILE",
    help="A requirements lock or constraints file; DFX002 fixes pin to its versions (repeatable).",
)
@click.option(
    "--fix-strategy",
    type=click.Choice(["flag", "cache-mount"]),
    default="flag",
    show_default=True,
    help="How to fix cache findings: insert the no-cache flag, or add a BuildKit cache mount.",
)
@click.option(
    "--add-syntax-directive",
    is_flag=True,
    help="With --fix-strategy cache-mount, add '# syntax=docker/dockerfile:1' when the file has none.",
)
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching paths while walking directories.")
@click.option("--stdin-filename", metavar="NAME", help="The name to report for input read from '-'.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (not on errors).")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary on stderr.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Process files in N worker processes (default: one per CPU; 1: none).",
)
@click.version_option(__version__, "--version", prog_name="dockerfix")
def main(
    paths: tuple[str, ...],
    diff_mode: bool,
    write_mode: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    unsafe_fixes: bool,
    pin_from: tuple[str, ...],
    fix_strategy: str,
    add_syntax_directive: bool,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    explain: str | None,
    exit_zero: bool,
    quiet: bool,
    jobs: int | None,
) -> None:
    """Find and fix pip cache bloat in Dockerfiles.

    PATHS are Dockerfiles or directories to search (default: the current directory);
    '-' reads standard input.
    """
    if explain:
        sys.exit(_explain(explain))
    if diff_mode and write_mode:
        raise click.UsageError("--diff and --write cannot be used together")
    from dockerfix import core
    from dockerfix.runner import Mode

    mode = Mode.DIFF if diff_mode else Mode.WRITE if write_mode else Mode.CHECK
    settings = core.Settings(
        select=_codes(select) or None,
        ignore=_codes(ignore),
        unsafe_fixes=unsafe_fixes,
        pins=_pins(pin_from),
        fix_strategy=fix_strategy,
        add_syntax_directive=add_syntax_directive,
    )
    try:
        code = _run(list(paths) or ["."], mode, settings, output_format, exclude, stdin_filename, exit_zero, quiet, jobs)
    except KeyboardInterrupt:  # outside the file loop (which stops cleanly by itself)
        code = EXIT_INTERRUPTED
    sys.exit(code)


def _pins(paths: Sequence[str]) -> dict[str, str]:
    if not paths:
        return {}
    from dockerfix.pins import PinFileError, load

    try:
        return load(list(paths)).versions
    except PinFileError as exc:
        click.echo(f"dockerfix: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _explain(code: str) -> int:
    from dockerfix.rules import BY_CODE

    rule = BY_CODE.get(code.strip().upper())
    if rule is None:
        known = ", ".join(sorted(BY_CODE))
        click.echo(f"dockerfix: error: unknown rule code {code!r} (known: {known})", err=True)
        return EXIT_ERROR
    _emit(rule.doc.markdown())
    return EXIT_OK


def _run(
    paths: list[str],
    mode: Mode,
    settings: Settings,
    output_format: str,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    exit_zero: bool,
    quiet: bool,
    workers: int | None = None,
) -> int:
    from dockerfix import bulk
    from dockerfix.discovery import STDIN, discover_with_roots
    from dockerfix.runner import Mode, Outcome

    found_files, errors = discover_with_roots(paths, exclude=exclude)
    for error in errors:
        click.echo(f"dockerfix: error: {error}", err=True)
    files = [path for path, _ in found_files]
    jobs = [
        bulk.Job(path, stdin_filename or "-", sys.stdin.buffer.read(), settings)
        if path == STDIN
        else bulk.Job(path, path, None, settings, root)
        for path, root in found_files
    ]
    progress = bulk.Progress(sys.stderr, len(jobs), enabled=not quiet and sys.stderr.isatty())
    try:
        done = bulk.run(jobs, mode, workers=workers, on_result=progress)
    finally:
        progress.close()
    results = done.results
    for result in results:
        if result.error:
            click.echo(f"dockerfix: error: {result.error}", err=True)

    if mode is Mode.DIFF:
        _print_diffs(results)
    elif mode is Mode.WRITE and any(r.path == STDIN for r in results):
        for r in results:
            if r.path == STDIN and r.original is not None:
                _emit(r.fixed if r.fixed is not None else r.original)
    if mode is not Mode.DIFF and not (mode is Mode.WRITE and files == [STDIN]):
        _print_findings(results, output_format)
    if not quiet:
        click.echo(bulk.summary(done, mode), err=True)
    if done.interrupted:
        return EXIT_INTERRUPTED

    failed = bool(errors) or any(r.outcome is Outcome.FAILED for r in results)
    if failed:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    if mode is Mode.DIFF:
        found = any(r.outcome is Outcome.CHANGED for r in results)
    else:
        found = any(r.diagnostics for r in results)
    return EXIT_FINDINGS if found else EXIT_OK


def _print_diffs(results: list[FileResult]) -> None:
    from dockerfix.diff import unified_diff

    for r in results:
        if r.fixed is not None and r.original is not None:
            _emit(r.diff if r.diff is not None else unified_diff(r.display, r.original, r.fixed))


def _print_findings(results: list[FileResult], output_format: str) -> None:
    buffer = io.StringIO()
    if output_format == "json":
        from dockerfix.report import json as formatter
    else:
        from dockerfix.report import text as formatter  # type: ignore[no-redef]
    formatter.write(results, buffer)
    _emit(buffer.getvalue())


def _emit(text: str) -> None:
    """Machine output as UTF-8 bytes, newlines untouched (a CRLF file's diff keeps its \\r)."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
