"""Proof against pip's own parser: DFX001 says what pip would do with every ``pip install``.

For every ``pip install`` call in ../shared/corpus/wild, in tests/fixtures and in the
DFX001 case lists, the call's argv is read by pip 26.3 itself (``parse_command`` of
pip/_internal/cli/main_parser.py, then the install command's ``parse_args``, as pip's
``main`` does), with the call's environment as ``os.environ`` (its ENV, ARG, ``export`` and
inline PIP_* values) and no config file. Then:

- every DFX001 finding is a call whose ``options.cache_dir`` is truthy (the cache is on);
- every call a DFX001 fix edited has a falsy ``options.cache_dir`` after the fix;
- for every call, dockerfix's reading of pip's precedence (``pip_cache.pip_cache``) agrees with
  pip on whether the cache is on.

Calls pip itself rejects (an unknown option, ``--no-cache-dir=1``) are left out: such a pip
never installs anything. pip is parsed in-process: one install command object, given a
fresh ``Configuration`` per call (its environment is read at parse time).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from test_pip_no_cache_dir import FIX, NOOP

from dockerfix.analysis.analyzer import analyze
from dockerfix.analysis.model import Analysis, PipSite
from dockerfix.core import check_analysis, fix
from dockerfix.diagnostics import Diagnostic
from dockerfix.parse.instructions import ScanError
from dockerfix.tools.mentions import file_may_name_a_tool
from dockerfix.parse.source import DecodeError, Source
from dockerfix.tools.pip_cache import pip_cache

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Stand-ins for values known only at build time, as dockerfix reads them ("taken as meant").
UNKNOWN = {"no-cache-dir": "1", "cache-dir": "/build-time-cache"}


class PipOracle:
    """pip's own reading of an install call's argv in a given environment."""

    def __init__(self) -> None:
        from pip._internal.commands import create_command

        self.command = create_command("install")

    def cache_on(self, argv: list[str], env: Mapping[str, str]) -> bool | None:
        """Is ``options.cache_dir`` truthy after pip parses ``argv``? None if pip rejects it."""
        from pip._internal.cli.main_parser import parse_command
        from pip._internal.configuration import Configuration
        from pip._internal.exceptions import PipError

        # No config file; never re-run under another Python (``--python``).
        environ = {**env, "PIP_CONFIG_FILE": os.devnull, "_PIP_RUNNING_IN_SUBPROCESS": "1"}
        saved = os.environ.copy()
        quiet = io.StringIO()
        try:
            os.environ.clear()
            os.environ.update(environ)
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                name, args = parse_command(argv)
                if name != "install":
                    return None
                # As pip's main: isolated is the exact word in the command's args.
                self.command.parser.config = Configuration("--isolated" in args)
                options, _ = self.command.parse_args(args)
        except (SystemExit, PipError):
            return None
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return bool(options.cache_dir)


def pip_environment(site: PipSite) -> dict[str, str]:
    """The PIP_* variables the call's process sees, unknown values as dockerfix takes them."""
    env: dict[str, str] = {}
    for name, value in site.env.items():
        if not name.startswith("PIP_"):
            continue
        key = name[4:].lower().replace("_", "-").removeprefix("--")
        if value is None:
            if key not in UNKNOWN:
                continue  # a build-time value of another option: not ours to guess
            value = UNKNOWN[key]
        env[name] = value
    return env


def _case_texts() -> Iterator[tuple[str, str]]:
    for param in [*NOOP, *FIX]:
        yield f"case {param.id}", param.values[0]
    for param in FIX:
        yield f"case {param.id} (fixed)", param.values[1]
    for path in sorted(FIXTURES.rglob("Dockerfile*")):
        yield f"fixture {path.relative_to(FIXTURES)}", path.read_text(encoding="utf-8")


def _corpus_texts() -> Iterator[tuple[str, str]]:
    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: the corpus proof needs the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        try:
            yield path.name, Source.decode(path.read_bytes()).text
        except DecodeError:
            continue


def _shifted(offset: int, edits: list[Any]) -> int:
    """Where an offset of the original text is in the fixed text."""
    return offset + sum(len(e.content) - (e.end - e.start) for e in edits if e.end <= offset)


def _site_at(analysis: Analysis, start: int) -> PipSite | None:
    return next((s for s in analysis.installs() if s.start == start), None)


class Proof:
    def __init__(self) -> None:
        self.oracle = PipOracle()
        self.calls = self.findings = self.fixed = self.rejected = 0
        self.failures: list[str] = []

    def cache_on(self, site: PipSite) -> bool | None:
        return self.oracle.cache_on([w.text for w in site.call.argv], pip_environment(site))

    def file(self, name: str, text: str) -> None:
        try:
            analysis = analyze(text)
        except ScanError:
            return
        if not file_may_name_a_tool(analysis.dockerfile) or not analysis.sites:
            return
        found = [d for d in check_analysis(analysis) if d.code == "DFX001"]
        pip_says: dict[int, bool | None] = {}
        for site in analysis.installs():
            self.calls += 1
            on = pip_says[site.start] = self.cache_on(site)
            if on is None:
                self.rejected += 1
                continue
            ours = pip_cache(site.call.line, site.env, False).on
            if ours != on:
                self.failures.append(f"{name}: {text[site.start : site.end]!r}: dockerfix says on={ours}, pip on={on}")
        for d in found:
            self.findings += 1
            if pip_says.get(d.start) is False:
                self.failures.append(f"{name}: finding at {d.start} but pip's cache is off: {text[d.start : d.end]!r}")
        self._fixes(name, text, found, pip_says)

    def _fixes(self, name: str, text: str, found: list[Diagnostic], pip_says: dict[int, bool | None]) -> None:
        if not any(d.fix is not None for d in found):
            return
        outcome = fix(text)
        edits = [e for d in outcome.applied_at_origin if d.fix is not None for e in d.fix.edits]
        fixed_starts = [d.start for d in outcome.applied_at_origin if d.code == "DFX001"]
        if not fixed_starts:
            return
        after = analyze(outcome.text)
        for start in fixed_starts:
            if pip_says.get(start) is None:
                continue  # pip rejects the call: no cache to turn off
            self.fixed += 1
            site = _site_at(after, _shifted(start, edits))
            if site is None:
                self.failures.append(f"{name}: the fixed call at {start} is not found in the fixed text")
            elif self.cache_on(site) is not False:
                self.failures.append(f"{name}: after the fix pip's cache is still on: {outcome.text[site.start : site.end + 80]!r}")


def _prove(texts: Iterator[tuple[str, str]], what: str) -> None:
    proof = Proof()
    for name, text in texts:
        proof.file(name, text)
    print(
        f"\npip parser proof over {what}: {proof.calls} pip install calls, {proof.findings} DFX001 "
        f"findings, {proof.fixed} fixed calls re-read by pip, {proof.rejected} calls pip rejects"
    )
    assert proof.findings and proof.fixed
    assert not proof.failures, "\n".join(proof.failures[:30])


def test_pip_agrees_on_the_cases_and_fixtures() -> None:
    _prove(_case_texts(), "the DFX001 cases and tests/fixtures")


@pytest.mark.corpus
def test_pip_agrees_on_the_corpus() -> None:
    _prove(_corpus_texts(), "the corpus")
