"""Run a command in a child process under a memory and CPU-time limit.

Shared by the adversarial test families: an attack that would eat the machine's memory or
hang meets ``RLIMIT_AS`` / ``RLIMIT_CPU`` in the child (and a wall-clock ``timeout`` in
the parent) instead, and the test reads how the child ended.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Sequence

MEMORY = 1 << 30  # bytes of address space (RLIMIT_AS)
CPU_SECONDS = 30
TIMEOUT = 60.0  # wall-clock seconds


def dockerfix_argv(*args: str) -> list[str]:
    """The command line that runs this checkout's dockerfix with ``args``."""
    return [sys.executable, "-m", "dockerfix", *args]


def run_limited(
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    cwd: str | None = None,
    timeout: float = TIMEOUT,
    memory: int = MEMORY,
    cpu_seconds: int = CPU_SECONDS,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``args`` with at most ``memory`` bytes of address space and ``cpu_seconds`` of
    CPU; stdout and stderr captured as bytes. Raises ``subprocess.TimeoutExpired`` (after
    killing the child) past ``timeout`` wall-clock seconds."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    return subprocess.run(
        list(args),
        input=stdin if stdin is not None else b"",
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        preexec_fn=limit,
        check=False,
    )


def failure_signs(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    """What is wrong with how a run ended, by the error policy: exit 0, 1 or 2, no
    traceback, no internal error, not killed by a limit. Empty when all is well."""
    stderr = result.stderr.decode("utf-8", "replace")
    signs = []
    if result.returncode not in (0, 1, 2):
        signs.append(f"exit status {result.returncode}")
    if "Traceback" in stderr:
        signs.append("a traceback on stderr")
    if "internal error" in stderr:
        signs.append("an internal error")
    if "MemoryError" in stderr or "RecursionError" in stderr:
        signs.append("a MemoryError or RecursionError")
    if signs:
        signs.append("stderr: " + stderr[-2000:])
    return signs
