"""One-file start-up: ``dockerfix --diff FILE`` against ``hadolint FILE``, median of N runs.

    python benchmarks/single.py [FILE] [-n N]

FILE defaults to examples/Dockerfile. The runs are interleaved (dockerfix, hadolint,
dockerfix, ...) so that load from other processes hits both tools alike. Reference rows
(bare Python, ``import re``, the tree-sitter binding) show the floor under our own code.
Never run as a test: speed goals are ratios measured here, not timed assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from peers import timed, tool

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "Dockerfile"


def commands(file: str) -> list[tuple[str, list[str]]]:
    python = sys.executable
    script = tool("dockerfix")
    rows: list[tuple[str, list[str]]] = []
    if script:
        rows.append(("dockerfix --diff", [script, "--diff", file]))
    # the same without the console-script wrapper, whose `import re` is not ours to cut
    rows.append(("python -m dockerfix --diff", [python, "-m", "dockerfix", "--diff", file]))
    hadolint = tool("hadolint")
    if hadolint:
        rows.append(("hadolint", [hadolint, "--no-fail", file]))
    rows += [
        ("(python, nothing)", [python, "-c", "pass"]),
        # pip's console-script wrapper imports re (and with it enum) before dockerfix runs
        ("(python -c 'import re')", [python, "-c", "import re"]),
        ("(python -c 'import tree_sitter_bash')", [python, "-c", "import tree_sitter_bash"]),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(EXAMPLE))
    parser.add_argument("-n", type=int, default=30, help="runs per command (default 30)")
    args = parser.parse_args()
    rows = commands(args.file)
    times: dict[str, list[float]] = {name: [] for name, _ in rows}
    for name, cmd in rows:  # warm the page cache and .pyc files
        timed(cmd)
    for _ in range(args.n):
        for name, cmd in rows:
            times[name].append(timed(cmd))
    base = statistics.median(times["hadolint"]) if "hadolint" in times else None
    print(f"{args.file}, median of {args.n} interleaved runs")
    print(f"{'command':<40} {'median ms':>9} {'min ms':>7} {'vs hadolint':>11}")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = f"{median / base:10.2f}x" if base else ""
        print(f"{name:<40} {median * 1000:9.1f} {min(values) * 1000:7.1f} {ratio:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
