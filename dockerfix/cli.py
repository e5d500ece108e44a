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
from dockerfix.report import FORMATS, PREVIEWS_FIXES

if TYPE_CHECKING:
    from dockerfix.config import Resolver
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
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How to print findings.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules (comma-separated codes or prefixes).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=False, help="Also apply fixes marked unsafe.")
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
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply excludes and .gitignore to paths named on the command line too (for pre-commit).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip files ignored by .gitignore and .git/info/exclude (default: respect).",
)
@click.option("--config", "config_file", metavar="FILE", help="Use this configuration file for every Dockerfile.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--show-settings", is_flag=True, help="Print the settings used for the first file, and exit.")
@click.option("--stdin-filename", metavar="NAME", help="The name to report for input read from '-'.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (not on errors).")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Say on stderr which configuration each directory uses, and why files are skipped.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour diffs (default: only on a terminal, and not when NO_COLOR is set).",
)
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
    force_exclude: bool | None,
    respect_gitignore: bool | None,
    config_file: str | None,
    isolated: bool,
    show_settings: bool,
    stdin_filename: str | None,
    explain: str | None,
    exit_zero: bool,
    quiet: bool,
    verbose: bool,
    color: bool | None,
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
    if config_file and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    from dockerfix.config import ConfigError, Overrides, Resolver
    from dockerfix.diff import should_colorize
    from dockerfix.runner import Mode

    mode = Mode.DIFF if diff_mode else Mode.WRITE if write_mode else Mode.CHECK
    given = _given(click.get_current_context())
    overrides = Overrides(
        select=tuple(_codes(select)) or None,
        ignore=tuple(_codes(ignore)),
        exclude=exclude,
        unsafe_fixes=unsafe_fixes if "unsafe_fixes" in given else None,
        output_format=output_format if "output_format" in given else None,
        pin_from=pin_from or None,
        fix_strategy=fix_strategy if "fix_strategy" in given else None,
        add_syntax_directive=add_syntax_directive if "add_syntax_directive" in given else None,
        respect_gitignore=respect_gitignore,
        force_exclude=force_exclude,
    )
    log = (lambda message: click.echo(f"dockerfix: {message}", err=True)) if verbose else None
    try:
        resolver = Resolver(overrides, config_file=config_file, isolated=isolated, log=log)
        output_format = resolver.output_format(output_format, _choices(main, "output_format"))
        if show_settings:
            sys.exit(_show_settings(resolver, list(paths) or ["."], stdin_filename))
        colour = should_colorize(color, sys.stdout)  # diffs only: the formats never colour
        args = (list(paths) or ["."], mode, resolver, output_format, stdin_filename, exit_zero, quiet, colour, jobs)
        code = _run(*args)
    except ConfigError as exc:
        click.echo(f"dockerfix: error: {exc}", err=True)
        code = EXIT_ERROR
    except KeyboardInterrupt:  # outside the file loop (which stops cleanly by itself)
        code = EXIT_INTERRUPTED
    sys.exit(code)


def _given(ctx: click.Context) -> set[str]:
    """The parameters given on the command line (a configuration file fills the others)."""
    return {
        name for name in ctx.params if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    }


def _choices(command: click.Command, name: str) -> list[str]:
    for param in command.params:
        if param.name == name and isinstance(param.type, click.Choice):
            return [str(c) for c in param.type.choices]
    return []


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
        click.echo(f"dockerfix: error: unknown rule code {code!r} (known: {known})", err=True)
        return EXIT_ERROR
    _emit(rule.doc.markdown())
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
) -> int:
    from dockerfix import bulk
    from dockerfix.discovery import STDIN
    from dockerfix.runner import Mode, Outcome

    found_files, errors = resolver.discover_with_roots(paths)
    for error in errors:
        click.echo(f"dockerfix: error: {error}", err=True)
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
    run_mode = Mode.DIFF if mode is Mode.CHECK and output_format in PREVIEWS_FIXES else mode
    progress = bulk.Progress(sys.stderr, len(jobs), enabled=not quiet and sys.stderr.isatty())
    try:
        done = bulk.run(jobs, run_mode, workers=workers, on_result=progress)
    finally:
        progress.close()
    results = done.results
    for result in results:
        if result.error:
            click.echo(f"dockerfix: error: {result.error}", err=True)

    if mode is Mode.DIFF:
        _print_diffs(results, color)
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
