"""One-file start-up: ``dockerfix --diff FILE`` against ``hadolint FILE``, median of N runs.

    python benchmarks/single.py [FILE] [-n N]
    python benchmarks/single.py --instructions [FILE]
    python benchmarks/single.py --sample K [-n N] [DIR]

FILE defaults to examples/Dockerfile. The runs are interleaved (dockerfix, hadolint,
dockerfix, ...) so that load from other processes hits both tools alike. Reference rows
(bare Python, ``import re``, the tree-sitter binding) show the floor under our own code.

With ``--instructions``, each command runs once under valgrind's callgrind and the
instructions it executes are counted: the same count whatever the machine's load, so a
change's effect shows on a busy machine too (times are still what the goal is about).

With ``--sample K``, K files drawn (seeded) from DIR (default ../shared/corpus/wild) are
each timed N times (default 5) with both tools: the ratio of medians per file, then its
spread over the files. hadolint's own time depends on the file (15 ms for two lines, 30 ms
for the example here), Python's start-up does not: one file is not the whole answer.
Never run as a test: speed goals are ratios measured here, not timed assertions. CPU time
(user + system) is printed beside wall time: on a loaded machine it is what changes least.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

from peers import CORPUS, instructions, timed, timed_cpu, tool

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


def sample(directory: Path, k: int, n: int) -> int:
    """The ratio dockerfix/hadolint over ``k`` corpus files, ``n`` interleaved runs each."""
    files = sorted(p for p in directory.iterdir() if p.is_file())
    chosen = random.Random(0).sample(files, min(k, len(files)))
    script, hadolint = tool("dockerfix"), tool("hadolint")
    if script is None or hadolint is None:
        print("needs both dockerfix and hadolint next to this Python or on PATH", file=sys.stderr)
        return 2
    # What any console script pays before its first line: Python and the wrapper's `import re`.
    floor_cmd = [sys.executable, "-c", "import re"]
    floor: list[float] = []
    ratios: list[tuple[float, float, float, Path]] = []
    for path in chosen:
        floor.append(timed(floor_cmd))
        ours_cmd, theirs_cmd = [script, "--diff", str(path)], [hadolint, "--no-fail", str(path)]
        timed(ours_cmd), timed(theirs_cmd)  # warm the page cache
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(n):
            ours.append(timed(ours_cmd))
            theirs.append(timed(theirs_cmd))
        a, b = statistics.median(ours), statistics.median(theirs)
        ratios.append((a / b, a, b, path))
    ratios.sort()
    values = [r for r, *_ in ratios]
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    faster = sum(1 for r in values if r <= 1.0)
    print(f"{len(ratios)} files from {directory}, median of {n} interleaved runs each")
    print(f"dockerfix --diff / hadolint per file: median {statistics.median(values):.2f}x,")
    print(f"  quartiles {quartiles[0]:.2f}x / {quartiles[2]:.2f}x, range {values[0]:.2f}x-{values[-1]:.2f}x")
    print(f"  no slower than hadolint on {faster} of {len(values)} files")
    floor_ms = statistics.median(floor)
    below = sum(1 for r, _, b, _ in ratios if r > 1.0 and b < floor_ms)
    print(f"  of the {len(values) - faster} others, hadolint took less than `python -c 'import re'`")
    print(f"  ({1000 * floor_ms:.1f} ms, the start-up floor of a console script) on {below}")
    ours_all, theirs_all = [a for _, a, _, _ in ratios], [b for _, _, b, _ in ratios]
    print(f"  median ms: dockerfix {1000 * statistics.median(ours_all):.1f}, hadolint {1000 * statistics.median(theirs_all):.1f}")
    print("slowest against hadolint:")
    for ratio, a, b, path in ratios[-3:]:
        print(f"  {ratio:.2f}x  {1000 * a:.1f} vs {1000 * b:.1f} ms  {path.name} ({path.stat().st_size} bytes)")
    return 0


def count(file: str) -> int:
    """One run of each command under callgrind: instructions, and their ratio to hadolint's.
    Repeatable on a loaded machine, where times are not; a guide, not the goal (the goal is
    time: an instruction of Python's start-up and one of hadolint's do not cost the same)."""
    counts = {name: instructions(cmd) for name, cmd in commands(file)}
    if any(value is None for value in counts.values()):
        print("needs valgrind (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    base = counts.get("hadolint")
    print(f"{file}, instructions of one run (valgrind --tool=callgrind)")
    for name, value in counts.items():
        ratio = f"{value / base:10.2f}x" if base and value else ""
        print(f"{name:<40} {(value or 0) / 1e6:9.1f} M {ratio:>11}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", help="a Dockerfile (default examples/Dockerfile), or with --sample a directory")
    parser.add_argument("-n", type=int, help="runs per command (default 30; 5 with --sample)")
    parser.add_argument("--sample", type=int, metavar="K", help="time K files drawn from the corpus instead")
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind) instead of timing")
    args = parser.parse_args()
    if args.sample:
        return sample(Path(args.file) if args.file else CORPUS, args.sample, args.n or 5)
    args.file = args.file or str(EXAMPLE)
    if args.instructions:
        return count(args.file)
    args.n = args.n or 30
    rows = commands(args.file)
    times: dict[str, list[float]] = {name: [] for name, _ in rows}
    cpu: dict[str, list[float]] = {name: [] for name, _ in rows}
    for name, cmd in rows:  # warm the page cache and .pyc files
        timed(cmd)
    for _ in range(args.n):
        for name, cmd in rows:
            wall, seconds = timed_cpu(cmd)
            times[name].append(wall)
            cpu[name].append(seconds)
    base = statistics.median(times["hadolint"]) if "hadolint" in times else None
    base_cpu = statistics.median(cpu["hadolint"]) if "hadolint" in cpu else None
    print(f"{args.file}, median of {args.n} interleaved runs (CPU: user + system)")
    print(f"{'command':<40} {'median ms':>9} {'min ms':>7} {'vs hadolint':>11} {'CPU ms':>7} {'CPU vs hadolint':>15}")
    for name, values in times.items():
        median, median_cpu = statistics.median(values), statistics.median(cpu[name])
        ratio = f"{median / base:10.2f}x" if base else ""
        ratio_cpu = f"{median_cpu / base_cpu:14.2f}x" if base_cpu else ""
        print(f"{name:<40} {median * 1000:9.1f} {min(values) * 1000:7.1f} {ratio:>11} {median_cpu * 1000:7.1f} {ratio_cpu:>15}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
