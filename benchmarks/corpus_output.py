"""Every output of dockerfix over a directory, one file per output format, to compare two
versions (two checkouts, two installs) byte for byte (issue 14: output must not change).

    python benchmarks/corpus_output.py OUT_DIR [--corpus DIR] [--dockerfix CMD]
    python benchmarks/corpus_output.py --compare OLD_DIR NEW_DIR [--corpus DIR]

Each format is one run over the whole corpus with ``--unsafe-fixes`` (JSON includes every
fix): json, text, sarif, github, rdjson, markdown, then ``--diff`` with and without
``--unsafe-fixes``. Runs use ``--isolated --jobs 1`` (the walk's order, no configuration
file) from the corpus's parent directory, so paths are relative and outputs of two
checkouts compare. ``--dockerfix`` names what to run: a ``dockerfix`` console script or a
Python (``/tmp/venv/bin/python`` runs ``python -m dockerfix``); by default this Python.

``--compare`` prints, per format, identical or DIFFERENT. Where the two diffs differ, each
file's patch that differs is checked the way a user would apply it: both patches must
apply to the original with ``git apply`` and give the same fixed text (difflib may pair
lines differently from hunks built from edits). Exit status 1 when an output differs
other than that way.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wild"
FIXES = ["--unsafe-fixes"]
RUNS = {
    **{name: ["--output-format", name, *FIXES] for name in ("json", "text", "sarif", "github", "rdjson", "markdown")},
    "diff": ["--diff", *FIXES],
    "diff-safe": ["--diff"],
}
DIFFS = ("diff", "diff-safe")
SEPARATOR = b"\n--- stderr ---\n"


def command(dockerfix: str) -> list[str]:
    """How to run the dockerfix named by ``dockerfix``: a console script, or a Python."""
    return [dockerfix, "-m", "dockerfix"] if Path(dockerfix).name.startswith("python") else [dockerfix]


def write(out: Path, corpus: Path, dockerfix: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, options in RUNS.items():
        cmd = [*command(dockerfix), "--isolated", "--jobs", "1", *options, corpus.name]
        result = subprocess.run(cmd, capture_output=True, check=False, cwd=corpus.parent)
        trailer = f"\n--- exit {result.returncode}\n".encode()
        (out / f"{name}.out").write_bytes(result.stdout + SEPARATOR + result.stderr + trailer)
        digest = hashlib.sha256(result.stdout).hexdigest()[:16]
        print(f"{name}: exit {result.returncode}, {len(result.stdout)} bytes, sha256 {digest}")


def patches(output: bytes) -> dict[str, bytes]:
    """One ``--diff`` output split into each file's patch, by its path."""
    diff = output.split(SEPARATOR, 1)[0]
    pieces = re.split(rb"^(?=--- a/)", diff, flags=re.MULTILINE)
    found: dict[str, bytes] = {}
    for piece in pieces:
        header = re.match(rb"--- a/(.*)\n", piece)
        if header:
            found[header.group(1).decode("utf-8", "surrogateescape")] = piece
    return found


def applied(original: Path, path: str, patch: bytes) -> bytes | None:
    """The text ``git apply`` makes of ``original`` with ``patch``, or None if it fails."""
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(original.read_bytes())
        done = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=patch, cwd=work, capture_output=True, check=False)
        return target.read_bytes() if done.returncode == 0 else None


def compare_diffs(old: bytes, new: bytes, corpus: Path) -> tuple[int, int]:
    """(files whose patches differ but apply to the same text, files that really differ)."""
    a, b = patches(old), patches(new)
    paired = bad = 0
    for path in sorted(a.keys() | b.keys()):
        if a.get(path) == b.get(path):
            continue
        original = corpus.parent / path
        if path in a and path in b and applied(original, path, a[path]) == applied(original, path, b[path]) is not None:
            paired += 1
            print(f"  {path}: hunks differ, both apply, same fixed text")
        else:
            bad += 1
            print(f"  {path}: DIFFERENT fix")
    return paired, bad


def compare(old: Path, new: Path, corpus: Path) -> int:
    different = 0
    for name in RUNS:
        a, b = (old / f"{name}.out").read_bytes(), (new / f"{name}.out").read_bytes()
        if a == b:
            print(f"{name}: identical ({len(a)} bytes)")
            continue
        print(f"{name}: DIFFERENT ({len(a)} / {len(b)} bytes)")
        if name in DIFFS and a.split(SEPARATOR, 1)[1] == b.split(SEPARATOR, 1)[1]:
            paired, bad = compare_diffs(a, b, corpus)
            print(f"{name}: {paired} files pair lines differently (same fixed text), {bad} differ")
            different += bad > 0
        else:
            different += 1
    return 1 if different else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, help="where to write the outputs")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--dockerfix", default=sys.executable, help="a dockerfix script or a Python (default: this one)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if args.compare:
        return compare(*args.compare, corpus)
    if args.out is None:
        parser.error("give OUT_DIR or --compare OLD NEW")
    write(args.out, corpus, args.dockerfix)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
