"""What the benchmark scripts share: finding a tool and timing one run of it."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"


def tool(name: str) -> str | None:
    """The tool next to this Python (its venv) first, then on PATH."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def timed(cmd: list[str]) -> float:
    """Wall seconds of one run, output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def timed_cpu(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command and its children) of one
    run, output discarded. CPU time is what a loaded machine changes least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(cmd: list[str]) -> int | None:
    """Instructions one run executes, counted by valgrind's callgrind: the same count for
    the same binaries and inputs whatever else the machine is doing (wall and CPU times
    move with the load). None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={scratch}/out.%p", *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    match = re.search(r"refs:\s+([\d,]+)", done.stderr)
    return int(match.group(1).replace(",", "")) if match else None


def timed_capped(cmd: list[str], timeout: float, memory: int) -> float | str:
    """Wall seconds of one run, or why it did not finish: past ``timeout`` seconds, or out
    of memory under an address-space cap of ``memory`` bytes (hadolint's memory grows
    faster than a long RUN: 0.85 GB at 1,000 lines, killed by the kernel at 24 GB on the
    10,000-line one, and a peer must not take the machine down with it)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, preexec_fn=cap, check=False
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    seconds = time.perf_counter() - start
    if b"out of memory" in done.stderr or done.returncode < 0:
        return f"out of memory ({memory >> 30} GB) after {seconds:.1f} s"
    return seconds
