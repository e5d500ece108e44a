"""Cost against file size: generated Dockerfiles with one RUN of 1k..10k lines (plain
words, and with quoted words), and with 500..5000 RUNs, each checked
and fixed in this process (start-up excluded), then, as a user runs it, `dockerfix --diff
FILE` against `hadolint FILE` on the same file (start-up included).

    python benchmarks/scaling.py [--repeat N] [--no-peer] [--peer-timeout S] [--peer-memory GB]

Linear cost shows as a constant "us/line" column down each table. hadolint runs once per
size, under a time limit and an address-space cap (its memory on a long RUN grows past
what the machine has). Never run as a test: speed goals are measured here, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from peers import timed, timed_capped, tool

from dockerfix.core import check, fix

LONG_RUN_LINES = (1_000, 2_500, 5_000, 7_500, 10_000)
MANY_RUNS = (500, 1_000, 2_500, 4_000, 5_000)


def one_long_run(lines: int, quote: str = "") -> str:
    """One RUN continued over ``lines`` lines, a pip install every tenth line.

    With ``quote`` (``"``) every echo's words are quoted: the table shows both.
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


class Peer:
    """`dockerfix --diff FILE` and `hadolint FILE` as commands, on a file written here."""

    def __init__(self, timeout: float, memory_gb: int, directory: Path) -> None:
        self.dockerfix, self.hadolint = tool("dockerfix"), tool("hadolint")
        self.timeout, self.memory, self.directory = timeout, memory_gb << 30, directory

    def columns(self) -> str:
        return f" {'dockerfix --diff s':>18} {'hadolint s':>10} {'ratio':>7}"

    def row(self, text: str, repeat: int) -> str:
        path = self.directory / "Dockerfile"
        path.write_text(text)
        ours = best_of(repeat, lambda: timed([str(self.dockerfix), "--diff", "-q", str(path)]))
        if self.hadolint is None:
            return f" {ours:18.3f} {'(not found)':>10}"
        theirs = timed_capped([self.hadolint, "--no-fail", str(path)], self.timeout, self.memory)
        if isinstance(theirs, str):
            return f" {ours:18.3f} {theirs}"
        return f" {ours:18.3f} {theirs:10.2f} {theirs / ours:6.0f}x"


def table(title: str, sizes: tuple[int, ...], make: Callable[[int], str], repeat: int, peer: Peer | None) -> None:
    print(title)
    extra = peer.columns() if peer else ""
    print(f"{'size':>8} {'lines':>7} {'bytes':>9} {'check s':>8} {'fix s':>7} {'us/line (fix)':>14}{extra}")
    for size in sizes:
        text = make(size)
        lines = text.count("\n")
        checked = best_of(repeat, lambda: check(text))
        fixed = best_of(repeat, lambda: fix(text))
        extra = peer.row(text, repeat) if peer else ""
        print(f"{size:8d} {lines:7d} {len(text):9d} {checked:8.3f} {fixed:7.3f} {1e6 * fixed / lines:14.1f}{extra}", flush=True)
    print()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    parser.add_argument("--no-peer", action="store_true", help="in-process figures only: no commands, no hadolint")
    parser.add_argument("--peer-timeout", type=float, default=120.0, help="seconds hadolint may take per file")
    parser.add_argument("--peer-memory", type=int, default=4, help="GB of address space hadolint may take")
    args = parser.parse_args()
    check("FROM x\nRUN pip install a\n")  # the parser is made once per process, not timed
    with tempfile.TemporaryDirectory() as directory:
        peer = None if args.no_peer else Peer(args.peer_timeout, args.peer_memory, Path(directory))
        if peer is not None and peer.dockerfix is None:
            parser.error("no dockerfix command next to this Python or on PATH (or pass --no-peer)")
        tables = (
            ("one RUN of N lines (a pip install every 10th line)", LONG_RUN_LINES, one_long_run),
            ("the same with quoted echo words", LONG_RUN_LINES, one_long_quoted_run),
            ("N RUN instructions (every 2nd a pip install)", MANY_RUNS, many_runs),
        )
        for title, sizes, make in tables:
            table(title, sizes, make, args.repeat, peer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
