"""Invariants of ``fix`` over a corpus of real-world Dockerfiles (../shared/corpus/wild).

For every file that decodes as UTF-8:
- ``fix`` raises nothing but ``ScanError`` (a file BuildKit rejects too);
- the fixed text differs from the original only by inserted ``--no-cache-dir`` / ``--no-cache``
  (shell form ` --no-cache-dir`, exec form `,"--no-cache-dir"` / `, "--no-cache-dir"`);
- fixing again changes nothing, and no fixable DFX001/DFX003 is left;
- BuildKit's parser sees the same instructions (keyword and first line) before and after;
- with ``--fix-strategy cache-mount --unsafe-fixes --add-syntax-directive`` (run on the files
  with a DFX001/DFX003 finding): the text differs only by added cache mounts, the syntax
  directive and (where no mount can be chosen) the flags; fixing again changes nothing; and
  BuildKit's parser sees the same instructions with the same flags plus the cache mounts;
and, as a check of the scanner on real files, ``scan`` finds the instructions BuildKit finds
and raises ``ScanError`` only for files BuildKit rejects.

The corpus is read and fixed once (a module-scoped fixture); each invariant is its own
test over the shared results. Totals are printed to the terminal even without ``-s``.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from packaging.specifiers import SpecifierSet

from dockerfix.analysis.analyzer import analyze
from dockerfix.rules.cache_fix import SYNTAX_DIRECTIVE
from dockerfix.core import check, fix
from dockerfix.diagnostics import Applicability
from dockerfix.parse.dockerfile import scan
from dockerfix.parse.instructions import ScanError
from dockerfix.fix.fixer import apply_edits
from dockerfix.tools.requirements import ReqKind, classify, exact_version
from dockerfix.rules.selection import CODES
from dockerfix.settings import Settings
from dockerfix.parse.source import DecodeError, Source

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
ALLOWED_INSERTIONS = frozenset(
    {" --no-cache-dir", ',"--no-cache-dir"', ', "--no-cache-dir"', " --no-cache", ',"--no-cache"', ', "--no-cache"'}
)
CACHE_CODES = ("DFX001", "DFX003")
# The rules whose (unsafe) fixes the cache-mount run applies and checks: mounts, conda cleanings.
MOUNT_CODES = (*CACHE_CODES, "DFX004", "DFX005", "DFX006")
# DFX007 left out: once a mount is added, it rightly removes the RUN's other no-cache flags,
# which the default run checks on its own.
MOUNT = Settings(
    fix_strategy="cache-mount", unsafe_fixes=True, add_syntax_directive=True, select=[c for c in CODES if c != "DFX007"]
)
# What the cache-mount strategy inserts: a mount flag (before the command, or after a flag).
# The flag the cache-mount run falls back to (non-root USER): not part of the comparison.
NO_CACHE_FLAG = re.compile(r" --no-cache(?:-dir)?(?=\s|$)")
MOUNT_FLAG = re.compile(r"--mount=type=cache,target=/[^\s,]*(?:,uid=\d+)? ?")
# What DFX006's fix appends (unsafe): a conda, mamba or micromamba cleaning.
CONDA_CLEAN = re.compile(r" && \S*(?:conda|mamba) clean (?:-afy|--all --yes)(?=\s|$)")
# The one deletion dockerfix makes (DFX007): a no-cache flag word, with the blanks, the exec-form
# comma or the whole continued line that held it.
FLAG_DELETION = re.compile(r'(?:[ \t]*(?:--no-cache-dir|--no-cache|-n)[ \t]*(?:\\\r?\n)?|, ?"(?:--no-cache-dir|--no-cache|-n)")')


@dataclass
class Results:
    files: int = 0
    decode_errors: int = 0
    scan_errors: int = 0
    findings: Counter[str] = field(default_factory=Counter)  # code -> count, on the originals
    fixes_applied: int = 0
    fixes_refused: int = 0
    files_changed: int = 0
    mount_fixes_applied: int = 0
    mount_files_changed: int = 0
    seconds: float = 0.0
    # invariant -> [(file name, reason)]
    failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def fail(self, invariant: str, name: str, reason: str) -> None:
        self.failures.setdefault(invariant, []).append((name, reason))

    @property
    def decoded(self) -> int:
        return self.files - self.decode_errors


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: corpus tests need the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def buildkit_instructions(text: str) -> list[tuple[str, str, int]] | str:
    """What BuildKit sees: keyword (and ONBUILD's trigger) and first line of every instruction."""
    import dockerfile

    try:
        return [(c.cmd.upper(), (c.sub_cmd or "").upper(), c.start_line) for c in dockerfile.parse_string(text)]
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"


def instruction_kinds(instructions: list[tuple[str, str, int]] | str) -> list[tuple[str, str]] | str:
    """The instructions without their lines."""
    return instructions if isinstance(instructions, str) else [(k, s) for k, s, _ in instructions]


def _scanned(text: str) -> list[tuple[str, str, int]]:
    """The same view from dockerfix's scanner."""
    source = Source(text)
    return [
        ("ONBUILD", i.keyword, source.location(i.start)[0]) if i.onbuild else (i.keyword, "", source.location(i.start)[0])
        for i in scan(text).instructions
    ]


def _first_difference(ours: list[Any], theirs: list[Any] | str) -> str:
    if isinstance(theirs, str):
        return f"BuildKit: {theirs}"
    for a, b in zip(ours, theirs):
        if a != b:
            return f"ours {a} != BuildKit {b}"
    return f"{len(ours)} instructions != BuildKit {len(theirs)}"


def without_flag_deletions(text: str) -> tuple[str, str | None]:
    """``text`` with DFX007's fixes applied (the only deletions dockerfix makes), and what is
    wrong if one of them deletes anything but a no-cache flag word."""
    found = check(text, Settings(select=["DFX007"]))
    edits = [e for d in found if d.fix is not None for e in d.fix.edits]
    for edit in edits:
        deleted = text[edit.start : edit.end]
        if edit.content or not FLAG_DELETION.fullmatch(deleted):
            return text, f"DFX007 edit {deleted!r} -> {edit.content!r} at {edit.start}"
    return (apply_edits(text, edits) if edits else text), None


def only_allowed_insertions(before: str, after: str) -> str | None:
    """None if ``after`` is ``before`` plus allowed insertions only, else what differs.

    Lines are matched first and characters only inside changed lines (difflib is quadratic).
    An insertion may be aligned anywhere in a run of equal characters (`install x` ->
    `install --no-cache-dir x` also reads as inserting `--no-cache-dir ` after the space), so
    a chunk counts when it is an allowed string shifted along the text around it.
    """
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    line_starts = [0]
    for line in old_lines:
        line_starts.append(line_starts[-1] + len(line))
    by_line = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in by_line.get_opcodes():
        if tag == "equal":
            continue
        old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        base = line_starts[i1]
        by_char = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for ctag, c1, c2, d1, d2 in by_char.get_opcodes():
            if ctag == "equal":
                continue
            if ctag != "insert":
                return f"{ctag} {old[c1:c2]!r} -> {new[d1:d2]!r} at {base + c1}"
            if not _allowed_at(before, base + c1, new[d1:d2]):
                return f"inserted {new[d1:d2]!r} at {base + c1}"
    return None


def _allowed_at(before: str, at: int, chunk: str) -> bool:
    """Inserting ``chunk`` at ``at`` equals inserting an allowed string somewhere near."""
    for allowed in ALLOWED_INSERTIONS:
        if len(chunk) != len(allowed):
            continue
        for k in range(len(allowed)):
            if chunk != allowed[k:] + allowed[:k]:
                continue
            # the same text as `allowed` inserted k characters earlier, or later
            if before[at - k : at] == allowed[:k] or before[at : at + len(allowed) - k] == allowed[k:]:
                return True
    return False


def _check_file(path: Path, results: Results) -> None:
    name = path.name
    try:
        source = Source.decode(path.read_bytes())
    except DecodeError:
        results.decode_errors += 1
        return
    text = source.text
    buildkit = buildkit_instructions(text)
    try:
        ours = _scanned(text)
        found = check(text)
        outcome = fix(text)
    except ScanError as exc:
        results.scan_errors += 1
        if not isinstance(buildkit, str):
            results.fail("ScanError only where BuildKit fails too", name, f"{exc.message} at {exc.offset}")
        return
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure we look for
        results.fail("fix raises only ScanError", name, f"{type(exc).__name__}: {exc}")
        return
    if ours != buildkit:
        results.fail("the scanner sees BuildKit's instructions", name, _first_difference(ours, buildkit))
    results.findings.update(d.code for d in found)
    results.fixes_applied += len(outcome.applied)
    results.fixes_refused += len(outcome.refused)
    for diagnostic, why in outcome.refused:
        results.fail("no fix is refused", name, f"{diagnostic.code} at {diagnostic.start}: {why}")
    fixed = outcome.text
    if fixed == text:
        return
    results.files_changed += 1
    base, bad = without_flag_deletions(text)
    bad = bad or only_allowed_insertions(base, fixed)
    if bad:
        results.fail("only --no-cache-dir insertions", name, bad)
    try:
        again = fix(fixed).text
        left = [d for d in check(fixed) if d.code in (*CACHE_CODES, "DFX005", "DFX007") and d.fix is not None]
    except Exception as exc:  # noqa: BLE001
        results.fail("fix is idempotent", name, f"second pass raised {type(exc).__name__}: {exc}")
        return
    if again != fixed:
        results.fail("fix is idempotent", name, "a second fix changed the text again")
    if left:
        results.fail("fix is idempotent", name, f"{len(left)} fixable DFX001/DFX003 left, first at {left[0].start}")
    # DFX007 may delete a continued line: compare with the text its deletions alone make,
    # which must keep every instruction (kind and order) of the original.
    before, after = (buildkit if base is text else buildkit_instructions(base)), buildkit_instructions(fixed)
    if base is not text and instruction_kinds(before) != instruction_kinds(buildkit):
        results.fail("BuildKit sees the same instructions", name, "DFX007's deletions changed the instructions")
    if before != after:
        results.fail("BuildKit sees the same instructions", name, f"{before!r:.200} != {after!r:.200}")
    if any(d.code in MOUNT_CODES for d in found):
        _check_cache_mounts(name, text, results)


def _check_cache_mounts(name: str, text: str, results: Results) -> None:
    """The cache-mount strategy on one file: only mounts (and the directive, and fallback
    flags) are added, a second run changes nothing, BuildKit sees the same instructions."""
    try:
        outcome = fix(text, MOUNT)
    except Exception as exc:  # noqa: BLE001
        results.fail("cache-mount: fix raises nothing", name, f"{type(exc).__name__}: {exc}")
        return
    for diagnostic, why in outcome.refused:
        results.fail("no fix is refused", name, f"cache-mount {diagnostic.code} at {diagnostic.start}: {why}")
    fixed = outcome.text
    results.mount_fixes_applied += len(outcome.applied)
    if fixed == text:
        return
    results.mount_files_changed += 1
    directive = SYNTAX_DIRECTIVE + Source(text).newline
    body = fixed[len(directive) :] if fixed.startswith(directive) and not text.startswith(directive) else fixed
    bad = only_allowed_insertions(
        CONDA_CLEAN.sub("", MOUNT_FLAG.sub("", text)), CONDA_CLEAN.sub("", MOUNT_FLAG.sub("", body))
    )
    if bad:
        results.fail("cache-mount: only mounts, the directive and fallback flags", name, bad)
    try:
        again = fix(fixed, MOUNT)
    except Exception as exc:  # noqa: BLE001
        results.fail("cache-mount: fix raises nothing", name, f"second run: {type(exc).__name__}: {exc}")
        return
    left = [d for d in again.remaining if d.code in MOUNT_CODES and d.fix is not None]
    if again.text != fixed or left:
        results.fail("cache-mount: idempotent", name, f"second run changed the text or left {len(left)} fixable")
    shift = 1 if body is not fixed else 0
    before, after = _buildkit_view(text, 0), _buildkit_view(fixed, shift)
    if before != after:
        results.fail("cache-mount: BuildKit sees the same instructions and flags", name, f"{before!r:.200} != {after!r:.200}")


def _buildkit_view(text: str, shift: int) -> list[tuple[Any, ...]] | str:
    """BuildKit's instructions with their flags, cache mounts we may add left out."""
    import dockerfile

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"
    return [
        (
            c.cmd,
            c.sub_cmd,
            c.start_line - shift,
            c.json,
            tuple(CONDA_CLEAN.sub("", NO_CACHE_FLAG.sub("", v)) for v in c.value if v not in ("--no-cache-dir", "--no-cache")),
            tuple((h.name, NO_CACHE_FLAG.sub("", h.content)) for h in c.heredocs),
            tuple(f for f in c.flags if not MOUNT_FLAG.fullmatch(f + " ")),
        )
        for c in commands
    ]


@pytest.fixture(scope="module")
def results(pytestconfig: pytest.Config) -> Results:
    files = _corpus_files()
    out = Results(files=len(files))
    start = time.perf_counter()
    for path in files:
        _check_file(path, out)
    out.seconds = time.perf_counter() - start
    _report(out, pytestconfig)
    return out


def _report(results: Results, config: pytest.Config) -> None:
    lines = [
        f"corpus {CORPUS}",
        f"  files {results.files}, decoded {results.decoded}, decode errors {results.decode_errors}, "
        f"scan errors {results.scan_errors}",
        f"  DFX001 findings {results.findings['DFX001']}, fixes applied {results.fixes_applied} "
        f"in {results.files_changed} files, refused {results.fixes_refused}",
        f"  DFX003 findings {results.findings['DFX003']}",
        f"  DFX000 not analysed {results.findings['DFX000']}, DFX002 unpinned {results.findings['DFX002']}",
        f"  cache-mount strategy: fixes applied {results.mount_fixes_applied} in {results.mount_files_changed} files",
        f"  failures: {sum(len(v) for v in results.failures.values())} "
        + ", ".join(f"{k}: {len(v)}" for k, v in sorted(results.failures.items())),
        f"  {results.seconds:.1f}s",
    ]
    print_totals(config, lines)


def print_totals(config: pytest.Config, lines: list[str]) -> None:
    """To the terminal even without ``-s``: the totals are what a reader of CI wants."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + "\n".join(lines), file=sys.stderr)
    else:
        print("\n".join(lines), file=sys.stderr)


def _assert_none(results: Results | PinResults, invariant: str) -> None:
    failing = results.failures.get(invariant, [])
    shown = "\n".join(f"  {name}: {reason}" for name, reason in failing[:20])
    assert not failing, f"{len(failing)} files break '{invariant}' (first 20):\n{shown}"


INVARIANTS = [
    "fix raises only ScanError",
    "ScanError only where BuildKit fails too",
    "the scanner sees BuildKit's instructions",
    "no fix is refused",
    "only --no-cache-dir insertions",
    "fix is idempotent",
    "BuildKit sees the same instructions",
    "cache-mount: fix raises nothing",
    "cache-mount: only mounts, the directive and fallback flags",
    "cache-mount: idempotent",
    "cache-mount: BuildKit sees the same instructions and flags",
]


@pytest.mark.parametrize("invariant", INVARIANTS)
def test_invariant(results: Results, invariant: str) -> None:
    _assert_none(results, invariant)


def test_every_failure_belongs_to_an_invariant(results: Results) -> None:
    assert set(results.failures) <= set(INVARIANTS)


def test_the_corpus_is_worth_running(results: Results) -> None:
    """Guard against an empty or mostly undecodable corpus passing silently."""
    assert results.decoded > 0.9 * results.files
    assert results.findings["DFX001"] > 0
    assert results.findings["DFX003"] > 0
    assert results.fixes_applied > 0
    assert results.mount_fixes_applied > 0


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type) -> None:
    """Without the corpus the tests skip, except on CI where they must not pass silently."""
    monkeypatch.setattr(sys.modules[__name__], "CORPUS", tmp_path / "absent")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="corpus tests need the shared corpus"):
        _corpus_files()


# -- DFX002 with a lock file made from the corpus' own pins ------------------------------------

PIN_INVARIANTS = [
    "pin fixes raise nothing",
    "pin fixes only replace requirement words",
    "pin fixes are idempotent",
    "pinned files keep BuildKit's instructions",
]
_PIN = re.compile(r"==[0-9A-Za-z.!+_-]+")


@dataclass
class PinResults:
    names: int = 0  # distinct names in the corpus lock
    findings: int = 0  # DFX002 on the originals, with the lock
    fixable: int = 0
    files_changed: int = 0
    failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    notes: Counter[str] = field(default_factory=Counter)

    def fail(self, invariant: str, name: str, reason: str) -> None:
        self.failures.setdefault(invariant, []).append((name, reason))


def read_corpus_texts() -> list[tuple[str, str]]:
    texts = []
    for path in _corpus_files():
        try:
            texts.append((path.name, Source.decode(path.read_bytes()).text))
        except DecodeError:
            continue
    return texts


def _corpus_lock(texts: list[tuple[str, str]]) -> dict[str, str]:
    """name -> the version the corpus pins it to most often: a lock nobody here wrote."""
    seen: dict[str, Counter[str]] = {}
    for _, text in texts:
        if "==" not in text:
            continue
        try:
            analysis = analyze(text)
        except ScanError:
            continue
        for site in analysis.installs():
            for arg in site.call.line.positionals:
                requirement = classify(site.call.argv[arg.index].text)
                if requirement.kind == ReqKind.PINNED and requirement.name:
                    version = exact_version(SpecifierSet(requirement.specifier))
                    assert version is not None
                    seen.setdefault(requirement.name, Counter())[version] += 1
    return {name: versions.most_common(1)[0][0] for name, versions in seen.items()}


def _why(note: str) -> str:
    for key in ("not in the --pin-from files", "outside", "only a name or a version range", "sh -c"):
        if key in note:
            return key
    return note


def _check_pins(name: str, text: str, settings: Settings, out: PinResults) -> None:
    try:
        found = [d for d in check(text, settings) if d.code == "DFX002"]
    except ScanError:
        return
    out.findings += len(found)
    fixable = [d for d in found if d.fix is not None and d.fix.applicability != Applicability.DISPLAY_ONLY]
    out.notes.update(_why(n) for d in found for n in d.notes)
    if not fixable:
        return
    out.fixable += len(fixable)
    try:
        outcome = fix(text, settings)
        again = fix(outcome.text, settings).text
        left = [d for d in check(outcome.text, settings) if d.code == "DFX002" and d.fix is not None]
    except Exception as exc:  # noqa: BLE001 - any exception is the failure we look for
        out.fail("pin fixes raise nothing", name, f"{type(exc).__name__}: {exc}")
        return
    edits = [e for d in fixable for e in d.fix.edits]  # type: ignore[union-attr]
    for d in fixable:
        assert d.fix is not None
        for e in d.fix.edits:
            inside = d.start <= e.start and (e.end <= d.end or d.fix.applicability == Applicability.UNSAFE)
            if not inside or (e.content and not _PIN.fullmatch(e.content)):
                out.fail("pin fixes only replace requirement words", name, f"{e} outside {text[d.start:d.end]!r}")
    if outcome.text != apply_edits(text, edits):
        out.fail("pin fixes only replace requirement words", name, "the result is not the words' edits alone")
    if outcome.text != text:
        out.files_changed += 1
    if again != outcome.text or left:
        out.fail("pin fixes are idempotent", name, f"{len(left)} fixable DFX002 left")
    if buildkit_instructions(outcome.text) != buildkit_instructions(text):
        out.fail("pinned files keep BuildKit's instructions", name, "the instructions changed")


@pytest.fixture(scope="module")
def corpus_texts() -> list[tuple[str, str]]:
    return read_corpus_texts()


@pytest.fixture(scope="module")
def corpus_lock(corpus_texts: list[tuple[str, str]]) -> dict[str, str]:
    return _corpus_lock(corpus_texts)


@pytest.fixture(scope="module")
def pin_results(pytestconfig: pytest.Config, corpus_texts: list[tuple[str, str]], corpus_lock: dict[str, str]) -> PinResults:
    texts, lock = corpus_texts, corpus_lock
    settings = Settings(select=["DFX002"], pins=lock, unsafe_fixes=True)
    out = PinResults(names=len(lock))
    for name, text in texts:
        if "pip" in text:
            _check_pins(name, text, settings, out)
    lines = [
        f"  DFX002 with a corpus lock of {out.names} names: {out.findings} findings, "
        f"{out.fixable} fixable, {out.files_changed} files changed",
        "  left unfixed: " + ", ".join(f"{why}: {n}" for why, n in out.notes.most_common()),
    ]
    print_totals(pytestconfig, lines)
    return out


@pytest.mark.parametrize("invariant", PIN_INVARIANTS)
def test_pin_invariant(pin_results: PinResults, invariant: str) -> None:
    _assert_none(pin_results, invariant)


def test_pin_run_is_worth_running(pin_results: PinResults) -> None:
    assert set(pin_results.failures) <= set(PIN_INVARIANTS)
    assert pin_results.names > 100 and pin_results.fixable > 100 and pin_results.files_changed > 50


# -- files that name no tool: scanned, not analysed -----------------------------------------


def test_files_whose_runs_name_no_tool_have_nothing_to_analyse() -> None:
    """core does not analyse a file none of whose RUNs may name pip or uv (so a one-file
    run on it loads no analysis stack): on every such corpus file, the analysis finds no
    call and nothing it could not analyse."""
    from dockerfix.analysis.analyzer import analyze
    from dockerfix.parse.dockerfile import scan
    from dockerfix.parse.instructions import ScanError
    from dockerfix.tools.mentions import file_may_name_a_tool

    skipped = 0
    for name, text in read_corpus_texts():
        try:
            dockerfile = scan(text)
        except ScanError:
            continue
        if file_may_name_a_tool(dockerfile):
            continue
        skipped += 1
        analysis = analyze(text, dockerfile)
        assert (analysis.sites, analysis.uv_sites, analysis.unanalysed) == ([], [], []), name
    assert skipped > 5000, "most corpus files name neither pip nor uv"


# -- requirements: the fast path for `name` and `name==1.2` ----------------------------------


def test_requirement_fast_path_agrees_with_packaging() -> None:
    """Every word of every ``install`` line in the corpus classifies the same with and
    without the fast path that spares a run importing packaging (a superset of the
    requirement words: options and shell words are compared too)."""
    from dockerfix.tools.requirements import (
        _classify_literal,
        _classify_parsed,
        simple_parts,
    )

    words = {
        word.strip("'\"\\,[]")
        for _, text in read_corpus_texts()
        if "install" in text
        for line in text.splitlines()
        if "install" in line
        for word in line.split()
    }
    fast = sorted(w for w in words if simple_parts(w.strip()))
    assert len(fast) > 1000, "the corpus should exercise the fast path"
    disagree = [(w, _classify_literal(w), _classify_parsed(w.strip())) for w in sorted(words)]
    assert [d for d in disagree if d[1] != d[2]] == []


# -- exec form: plain arrays of strings read without the json module ------------------------


def test_exec_form_fast_path_agrees_with_json() -> None:
    """Every line of the corpus that may start an exec-form array is read the same with and
    without the json module (which a run then need not import)."""
    import json

    from dockerfix.parse.exec_form import string_array
    from dockerfix.parse.mapped import Mapped

    candidates = {
        line[line.index("[") :]
        for _, text in read_corpus_texts()
        for line in text.splitlines()
        if "[" in line and line.lstrip()[:1].isalpha()
    }
    plain = 0
    for candidate in sorted(candidates):
        try:
            value, end = json.JSONDecoder().raw_decode(candidate, 0)
        except ValueError:
            value, end = None, None
        expected = end if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
        plain += expected is not None
        read = string_array(Mapped.identity(candidate, 0), 0)
        assert (read and read[1]) == expected, candidate
        assert read is None or [s.value.text for s in read[0]] == value, candidate
    assert plain > 1000, "the corpus should exercise the fast path"
# -- DFX002 --pin-style renovate with the same lock ---------------------------------------------

RENOVATE_INVARIANTS = [
    "renovate pins raise nothing",
    "no renovate pin is refused",
    "renovate pins are idempotent",
    "renovate pins only add ARG lines and rewrite requirement words",
    "renovate-pinned files keep BuildKit's instructions, plus ARGs",
    "Renovate's preset finds every declared version",
]
# renovatebot/renovate lib/config/presets/internal/custom-managers.preset.ts, dockerfileVersions
# (commit c2dd4f856f06; tests/test_renovate.py has it verbatim, and why it reads so).
from test_renovate import PRESET  # noqa: E402

_ADDED_LINE = re.compile(r"# renovate: datasource=pypi depName=\S+|ARG [A-Z0-9_]+_VERSION(=\S+)?")
_VAR_PIN = re.compile(r'"[^"]*==\$\{[A-Z0-9_]+_VERSION\}[^"]*"')


def _check_renovate(name: str, text: str, settings: Settings, lock: dict[str, str], out: PinResults) -> None:
    try:
        found = [d for d in check(text, settings) if d.code == "DFX002"]
    except ScanError:
        return
    out.findings += len(found)
    fixable = [d for d in found if d.fix is not None]
    out.notes.update(_why(n) for d in found for n in d.notes)
    if not fixable:
        return
    out.fixable += len(fixable)
    try:
        outcome = fix(text, settings)
        again = fix(outcome.text, settings).text
    except Exception as exc:  # noqa: BLE001 - any exception is the failure we look for
        out.fail("renovate pins raise nothing", name, f"{type(exc).__name__}: {exc}")
        return
    if outcome.refused:
        out.fail("no renovate pin is refused", name, outcome.refused[0][1])
    if outcome.text != text:
        out.files_changed += 1
    if again != outcome.text:
        out.fail("renovate pins are idempotent", name, "a second run changed the file")
    old_lines, new_lines = text.splitlines(), outcome.text.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = [line for line in new_lines[j1:j2] if not _ADDED_LINE.fullmatch(line)]
        if tag == "insert" and not added:
            continue
        # Changed RUN lines: each has a rewritten word (or an inline pin, where an ARG would
        # not be expanded).
        if tag == "replace" and i2 - i1 == len(added) and all(_VAR_PIN.search(line) or _PIN.search(line) for line in added):
            continue
        out.fail("renovate pins only add ARG lines and rewrite requirement words", name, f"{new_lines[j1:j2]!r}")
        break
    before, after = buildkit_instructions(text), buildkit_instructions(outcome.text)
    if isinstance(before, str) or isinstance(after, str) or (
        [c[:2] for c in after if c[0] != "ARG"] != [c[:2] for c in before if c[0] != "ARG"]
    ):
        out.fail("renovate-pinned files keep BuildKit's instructions, plus ARGs", name, "the instructions changed")
    if "\r\n" not in outcome.text:  # the preset's `\s` between comment and ARG is one character
        declared = re.findall(r"^# renovate: datasource=pypi depName=(\S+)$", outcome.text, re.M)
        found_by_renovate = {m["depName"]: m["currentValue"] for m in PRESET.finditer(outcome.text)}
        for package in declared:
            if found_by_renovate.get(package) != lock.get(package):
                out.fail("Renovate's preset finds every declared version", name, package)


@pytest.fixture(scope="module")
def renovate_results(pytestconfig: pytest.Config, corpus_texts: list[tuple[str, str]], corpus_lock: dict[str, str]) -> PinResults:
    settings = Settings(select=["DFX002"], pins=corpus_lock, pin_style="renovate")
    out = PinResults(names=len(corpus_lock))
    for name, text in corpus_texts:
        if "pip" in text:
            _check_renovate(name, text, settings, corpus_lock, out)
    lines = [
        f"  DFX002 --pin-style renovate: {out.findings} findings, {out.fixable} fixable, {out.files_changed} files changed",
        "  left unfixed or inline: " + ", ".join(f"{why}: {n}" for why, n in out.notes.most_common(8)),
    ]
    print_totals(pytestconfig, lines)
    return out


@pytest.mark.parametrize("invariant", RENOVATE_INVARIANTS)
def test_renovate_invariant(renovate_results: PinResults, invariant: str) -> None:
    _assert_none(renovate_results, invariant)


def test_renovate_run_is_worth_running(renovate_results: PinResults) -> None:
    assert set(renovate_results.failures) <= set(RENOVATE_INVARIANTS)
    assert renovate_results.fixable > 100 and renovate_results.files_changed > 50
