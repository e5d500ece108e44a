"""Every output of dockerfix over a directory, one file per output format, to compare two
versions byte for byte (issue 14: output must not change).

    python benchmarks/corpus_output.py OUT_DIR [--corpus DIR]   # writes OUT_DIR/<format>.out
    python benchmarks/corpus_output.py --compare OLD_DIR NEW_DIR

Each format is one run of ``python -m dockerfix`` over the whole corpus with
``--unsafe-fixes`` (JSON includes every fix), plus ``--diff``; runs use ``--jobs 1`` so that
the order is the walk's. Exit status 1 when ``--compare`` finds a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wild"
RUNS = {
    "json": ["--output-format", "json", "--unsafe-fixes"],
    "text": ["--output-format", "text", "--unsafe-fixes"],
    "sarif": ["--output-format", "sarif", "--unsafe-fixes"],
    "diff": ["--diff", "--unsafe-fixes"],
    "diff-safe": ["--diff"],
}


def write(out: Path, corpus: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, options in RUNS.items():
        command = [sys.executable, "-m", "dockerfix", "--isolated", "--jobs", "1", *options, str(corpus)]
        result = subprocess.run(command, capture_output=True, check=False)
        (out / f"{name}.out").write_bytes(result.stdout + b"\n--- stderr ---\n" + result.stderr + f"\n--- exit {result.returncode}\n".encode())
        print(f"{name}: exit {result.returncode}, {len(result.stdout)} bytes, sha256 {hashlib.sha256(result.stdout).hexdigest()[:16]}")


def compare(old: Path, new: Path) -> int:
    different = 0
    for name in RUNS:
        a, b = (old / f"{name}.out").read_bytes(), (new / f"{name}.out").read_bytes()
        same = a == b
        different += not same
        print(f"{name}: {'identical' if same else 'DIFFERENT'} ({len(a)} / {len(b)} bytes)")
    return 1 if different else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, help="where to write the outputs")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("give OUT_DIR or --compare OLD NEW")
    write(args.out, args.corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
