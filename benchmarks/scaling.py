"""Cost against file size: generated Dockerfiles with one RUN of 1k..10k lines (plain
words, and with quotes that only tree-sitter reads), and with 500..5000 RUNs, each checked
and fixed in this process (start-up excluded).

    python benchmarks/scaling.py [--repeat N]

Linear cost shows as a constant "us/line" column down each table. Never run as a test:
speed goals are measured here, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from dockerfix.core import check, fix

LONG_RUN_LINES = (1_000, 2_500, 5_000, 7_500, 10_000)
MANY_RUNS = (500, 1_000, 2_500, 4_000, 5_000)


def one_long_run(lines: int, quote: str = "") -> str:
    """One RUN continued over ``lines`` lines, a pip install every tenth line.

    Plain words are read without tree-sitter; with ``quote`` (``"``) every echo's words are
    quoted, which only tree-sitter reads: the table shows both.
    """
    body = []
    for i in range(lines - 1):
        if i % 10 == 0:
            body.append(f"    && pip install pkg{i}==1.{i} \\")
        else:
            body.append(f"    && echo {quote}step {i}{quote} >> /tmp/log \\")
    return "FROM python:3.12\nRUN set -e \\\n" + "\n".join(body) + "\n    && true\n"


def one_long_quoted_run(lines: int) -> str:
    return one_long_run(lines, quote='"')


def many_runs(runs: int) -> str:
    """``runs`` RUN instructions, half of them pip installs, with ENV and comments between."""
    out = ["FROM python:3.12"]
    for i in range(runs):
        if i % 50 == 0:
            out.append(f"# step {i}\nENV STEP={i}")
        out.append(f"RUN pip install pkg{i}" if i % 2 else f"RUN apt-get install -y tool{i} && rm -rf /var/lib/apt/lists/*")
    return "\n".join(out) + "\n"


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if repeat < 3 else statistics.median(times)


def table(title: str, sizes: tuple[int, ...], make: Callable[[int], str], repeat: int) -> None:
    print(title)
    print(f"{'size':>8} {'lines':>7} {'bytes':>9} {'check s':>8} {'fix s':>7} {'us/line (fix)':>14}")
    for size in sizes:
        text = make(size)
        lines = text.count("\n")
        checked = best_of(repeat, lambda: check(text))
        fixed = best_of(repeat, lambda: fix(text))
        print(f"{size:8d} {lines:7d} {len(text):9d} {checked:8.3f} {fixed:7.3f} {1e6 * fixed / lines:14.1f}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    args = parser.parse_args()
    check("FROM x\nRUN pip install a\n")  # the parser is made once per process, not timed
    table("one RUN of N lines (a pip install every 10th line)", LONG_RUN_LINES, one_long_run, args.repeat)
    table("the same with quoted echo words (read by tree-sitter)", LONG_RUN_LINES, one_long_quoted_run, args.repeat)
    table("N RUN instructions (every 2nd a pip install)", MANY_RUNS, many_runs, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
