"""Time and peak memory against size for each pathological input family (issue 13).

    python benchmarks/adversarial.py [--family NAME] [--memory GB] [--timeout S]

Each row is one ``python -m dockerfix --diff`` run in a child process, under an address
space cap and a time limit: wall seconds, the child's peak resident memory (``ru_maxrss``
from ``wait4``), and that peak over the input's size. Linear time shows as a constant
"us/byte" column down a family; bounded memory as a flat "peak MB" (or one growing no
faster than the input). The families live in tests/attacks_text.py, shared with the
suite's adversarial tests. Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from attacks_text import FAMILIES  # noqa: E402


def measure(args: list[str], memory: int, timeout: float) -> tuple[float, float, int | str]:
    """Wall seconds, peak MB and exit status (or what stopped it) of one dockerfix run."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    command = [sys.executable, "-m", "dockerfix", "--diff", "--jobs", "1", *args]
    errors = tempfile.TemporaryFile()  # not a pipe: a long traceback would fill it and block
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, preexec_fn=limit)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, "timeout"
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    errors.seek(0)
    stderr = errors.read()
    errors.close()
    code: int | str = os.waitstatus_to_exitcode(status)
    if b"Traceback" in stderr or b"internal error" in stderr:
        code = f"{code} (traceback)"
    return seconds, usage.ru_maxrss / 1024, code


def input_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", action="append", choices=list(FAMILIES), help="only these (repeatable)")
    parser.add_argument("--memory", type=float, default=2, help="GB of address space per run")
    parser.add_argument("--timeout", type=float, default=120.0, help="wall seconds per run")
    args = parser.parse_args()
    print(f"{'family':<30} {'size':>9} {'bytes':>10} {'s':>7} {'us/byte':>8} {'peak MB':>8} {'MB/MB':>6} exit")
    for name in args.family or FAMILIES:
        attack, sizes, _ = FAMILIES[name]
        for size in sizes:
            with tempfile.TemporaryDirectory() as directory:
                files = attack(size, Path(directory))
                size_bytes = input_bytes(Path(directory))
                seconds, peak, code = measure(files, int(args.memory * (1 << 30)), args.timeout)
            ratio = peak / (size_bytes / (1 << 20))
            print(f"{name:<30} {size:9d} {size_bytes:10d} {seconds:7.2f} {1e6 * seconds / size_bytes:8.2f} {peak:8.0f} {ratio:6.0f} {code}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
