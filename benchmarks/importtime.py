"""Where a one-file run's start-up goes: ``python -X importtime`` grouped by owner.

    python benchmarks/importtime.py [FILE] [-n N]

Runs ``dockerfix --diff FILE`` N times with ``-X importtime`` and prints the median self
time of every dockerfix module, then argparse, tree-sitter and the standard library (each
standard module is charged to whoever imported it first, so argparse's share includes
``gettext``/``locale``, which only argparse needs). Use an installed (not
editable) dockerfix: an editable install adds a finder that imports pathlib at start-up,
and ``PYTHONDONTWRITEBYTECODE`` makes every run recompile our modules.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "Dockerfile"


def _owner(module: str) -> str:
    top = module.split(".")[0]
    if top == "dockerfix":
        return module
    if top == "argparse":
        return "argparse"
    if top.startswith("tree_sitter"):
        return "tree-sitter"
    return "stdlib:" + top


def owners(stderr: str) -> Counter[str]:
    """Self microseconds per owner: each dockerfix module, argparse, tree-sitter; a standard
    module is charged to the nearest non-standard module that imported it."""
    charged: Counter[str] = Counter()
    lines = [l for l in stderr.splitlines() if l.startswith("import time:") and "self [us]" not in l]
    # Lines come children first; an importer follows its imports with smaller indent.
    pending: list[tuple[int, int, str]] = []  # (indent, self_us, owner) waiting for a parent
    for line in lines:
        self_us, _, name = (part for part in line[len("import time:") :].split("|"))
        depth = len(name) - len(name.lstrip())
        owner = _owner(name.strip())
        children = [p for p in pending if p[0] > depth]
        pending = [p for p in pending if p[0] <= depth]
        if owner.startswith("stdlib:"):
            pending.append((depth, int(self_us) + sum(c[1] for c in children if c[2].startswith("stdlib:")), owner))
            for c in children:
                if not c[2].startswith("stdlib:"):
                    charged[c[2]] += c[1]
        else:
            charged[owner] += int(self_us)
            label = "stdlib (for argparse)" if owner == "argparse" else "stdlib (for dockerfix)" if owner.startswith("dockerfix") else f"stdlib (for {owner})"
            for c in children:
                charged[label if c[2].startswith("stdlib:") else c[2]] += c[1]
    for depth, us, owner in pending:
        charged["stdlib (interpreter start-up)" if owner.startswith("stdlib:") else owner] += us
    return charged


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(EXAMPLE))
    parser.add_argument("-n", type=int, default=9)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "dockerfix"
    runs = []
    for _ in range(args.n):
        err = subprocess.run([sys.executable, "-X", "importtime", str(script), "--diff", args.file], capture_output=True, text=True).stderr
        runs.append(owners(err))
    keys = set().union(*runs)
    median = {k: statistics.median(r[k] for r in runs) / 1000 for k in keys}
    ours = {k: v for k, v in median.items() if k.startswith("dockerfix")}
    others = {k: v for k, v in median.items() if not k.startswith("dockerfix")}
    print(f"median of {args.n} runs of `dockerfix --diff {args.file}` with -X importtime (self ms)")
    print("| import | ms |\n|---|---:|")
    for name, ms in sorted(others.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {ms:.1f} |")
    print(f"| **dockerfix, all modules** | **{sum(ours.values()):.1f}** |")
    for name, ms in sorted(ours.items(), key=lambda kv: -kv[1]):
        print(f"| &nbsp;&nbsp;{name} | {ms:.1f} |")
    print(f"| **total** | **{sum(median.values()):.1f}** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
