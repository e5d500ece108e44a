"""Never skipped silently (issue 19 §3): every `pip install` a plain text search finds in a
RUN of the real-world corpus (../shared/corpus/wild) is reported, or seen and exempt for a
documented reason.

The search is independent of dockerfix's shell reading: in each RUN's text (its logical
line, every heredoc body, every exec-form string; ``ONBUILD RUN`` too), a ``pip``, ``pip3``,
``pip3.12``, ``pip-3.3`` word (``python -m pip``'s ``pip`` too) followed in the same command
text (before ``;``, ``&``, ``|`` or a newline) by an ``install`` word. Each hit must lie in:

- the span of a DFX001, DFX003 or DFX000 finding (after suppressions); or
- the span of a call the analysis read (a pip call, a uv call), which the rules then
  exempted: and then the RUN or file must show one of the documented exemptions, each
  recognised here by plain text (``EXEMPTIONS``), not by the rules' code; or a pip call
  whose subcommand pip's own option table reads as something other than ``install``; or
- a file of ``NOT_PIP_INSTALLS``, with the reason the text is no pip install.

Like tests/test_corpus.py: skipped with a reason when the corpus is absent, failed when
``CI=true``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dockerfix.analysis.analyzer import analyze
from dockerfix.analysis.model import Analysis
from dockerfix.core import check_analysis
from dockerfix.parse.dockerfile import scan
from dockerfix.parse.instructions import Instruction, ScanError
from dockerfix.parse.mapped import Mapped

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
REPORTING = frozenset({"DFX000", "DFX001", "DFX003"})

# A pip program word (or a path to one), then `install` before the command ends.
PIP_INSTALL = re.compile(r"(?<![\w.$-])pip(?:-?\d+(?:\.\d+)*)?(?![\w.-])(?=[^;&|\n]*?(?<![\w-])install(?![\w.-]))")

# Documented exemptions, by plain text: (name, test on (the hit's command text, the RUN's
# text, the file's text)).
EXEMPTIONS: tuple[tuple[str, Callable[[str, str, str], bool]], ...] = (
    ("a --no-cache flag in the call", lambda command, run, file: "--no-cache" in command),
    ("PIP_NO_CACHE_DIR / UV_NO_CACHE set", lambda command, run, file: "PIP_NO_CACHE_DIR" in file or "UV_NO_CACHE" in file),
    ("pip config set ...no-cache-dir", lambda command, run, file: re.search(r"config\s+set\s+\S*no-cache-dir", file) is not None),
    ("a cache or tmpfs mount", lambda command, run, file: re.search(r"--mount=\S*type=(?:cache|tmpfs)", run) is not None),
    ("a suppression comment", lambda command, run, file: SUPPRESSION.search(file) is not None),
    ("the cache emptied later", lambda command, run, file: re.search(r"cache\s+(?:clean|purge|remove)|\brm\s+(?:-\S+\s+)+[^;&|\n]*\.cache", run) is not None),
)
SUPPRESSION = re.compile(r"(?im)#\s*(?:dockerfix|hadolint)\b[^\n]*(?:DL3042|DFX00[013]|dockerfix:\s*(?:file-)?ignore\s*$)")
COMMAND_END = re.compile(r"[;&|\n]")

# Files whose hits are no pip install, each with why. Keep this tiny.
NOT_PIP_INSTALLS: dict[str, str] = {
    "STAR-RG__shipwright__data__broken-dockerfiles__e999cbe7c8e497c69b76b4c886de0d063169ea03.Dockerfile": (
        "`virtualenv .env #pip install -r requirements.txt`: a shell comment"
    ),
}


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        message = f"{CORPUS} not found: corpus tests need the shared corpus"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def _texts(ins: Instruction) -> Iterator[Mapped]:
    """A RUN's texts as the search reads them: exec-form strings, or the line; heredoc bodies."""
    if ins.exec_form is not None:
        yield from (e.value for e in ins.exec_form)
    else:
        yield ins.args  # not its flags: `--mount=type=cache,target=/root/.cache/pip`
    yield from (h.body for h in ins.heredocs)


def _hits(ins: Instruction) -> Iterator[tuple[int, str]]:
    """File offsets of the `pip` words the search finds in a RUN, each with the text of its
    command (from the separator before it to the one after)."""
    for mapped in _texts(ins):
        for match in PIP_INSTALL.finditer(mapped.text):
            before = max((m.end() for m in COMMAND_END.finditer(mapped.text, 0, match.start())), default=0)
            after = COMMAND_END.search(mapped.text, match.start())
            command = mapped.text[before : after.start() if after else len(mapped.text)]
            yield mapped.offsets[match.start()], command


def _accounted(
    hit: int, command: str, ins: Instruction, analysis: Analysis, reported: list[tuple[int, int]], text: str
) -> str | None:
    """Why ``hit`` is not a silent skip, or None."""
    if any(start <= hit < end for start, end in reported):
        return "reported"
    run = text[ins.start : ins.end]
    exemption = next((name for name, applies in EXEMPTIONS if applies(command, run, text)), None)
    for site in analysis.sites:
        if site.instruction is ins and site.start <= hit < site.call.argv[-1].end:
            if hit >= site.end:
                return "an argument of a pip call (`pip3 install pip install x`)"
            if site.call.subcommand != "install":
                return f"pip {site.call.subcommand}, by pip's own option table"
            return None if exemption is None else f"exempt: {exemption}"
    for uv_site in analysis.uv_sites:
        if uv_site.instruction is ins and uv_site.start <= hit < uv_site.end:
            return None if exemption is None else f"exempt: {exemption}"
    if exemption == "a --no-cache flag in the call":
        # SHELL ["powershell", ...] (not read as POSIX shell), or a variable's value
        # (`PIP_INSTALL="python -m pip --no-cache-dir install"`): the flag is there
        return "exempt: the flag is in the command text"
    return None


def _misses(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return []
    try:
        dockerfile = scan(text)
    except ScanError:
        return []  # BuildKit rejects the file too
    runs = [i for i in dockerfile.instructions if i.keyword == "RUN"]
    hits = [(ins, hit, command) for ins in runs for hit, command in _hits(ins)]
    if not hits:
        return []
    analysis = analyze(text, dockerfile)
    reported = [(d.start, max(d.end, d.start + 1)) for d in check_analysis(analysis) if d.code in REPORTING]
    misses = []
    for ins, hit, command in hits:
        if _accounted(hit, command, ins, analysis, reported, text) is None:
            line = text.count("\n", 0, hit) + 1
            misses.append(f"{path.name}:{line}: {text[hit : hit + 60].splitlines()[0]!r}")
    return misses


def test_every_pip_install_in_the_corpus_is_reported_or_exempt() -> None:
    files = _corpus_files()
    misses = [m for path in files if path.name not in NOT_PIP_INSTALLS for m in _misses(path)]
    assert misses == [], f"{len(misses)} pip install(s) skipped silently:\n" + "\n".join(misses)


@pytest.mark.parametrize("name", sorted(NOT_PIP_INSTALLS))
def test_the_listed_files_still_have_their_non_install(name: str) -> None:
    """A listed file must still be in the corpus and still have hits (else drop it)."""
    path = CORPUS / name
    if not path.is_file():
        pytest.fail(f"{name} is listed but not in the corpus")
    assert _misses(path), f"{name} has no silent hit any more: remove it from NOT_PIP_INSTALLS"
