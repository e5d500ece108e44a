"""What a run is configured to do. Plain data: rules read it, the CLI and config fill it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import NamedTuple

# Bounds on what one file may make dockerfix build (README, "Limits"): past them a value
# is unknown, a script is reported instead of read, a file is an error naming it.
MAX_ENV_VALUE = 1 << 16  # characters of an ENV value after expansion; longer: not literal
MAX_SHELL_NESTING = 16  # commands nested in commands ($(..), `..`, <(..)) in one RUN
PARSE_SECONDS = 2.0  # CPU seconds tree-sitter may take on one script, plus:
PARSE_SECONDS_PER_BYTE = 2e-6  # well above its rate on real scripts
MAX_JSON_NESTING = 64  # arrays and objects nested in an exec-form RUN's JSON
MAX_INCLUDE_DEPTH = 64  # -r/-c includes nested in a --pin-from file


class Settings(NamedTuple):
    """What a run is configured to do: rules, fixes, pins, strategy."""

    select: Collection[str] | None = None  # codes or prefixes; None: every rule
    ignore: Collection[str] = ()
    unsafe_fixes: bool = False
    # canonical (PEP 503) name -> exact version, from --pin-from lock files (DFX002's fix)
    pins: Mapping[str, str] = {}  # read-only: typed Mapping, never mutated
    # canonical name -> its several versions in the --pin-from files (markers, forks): no pin
    pin_conflicts: Mapping[str, tuple[str, ...]] = {}
    # how DFX002 writes a pin: "inline" (name==1.2) or "renovate" (an ARG Renovate updates)
    pin_style: str = "inline"
    # how DFX001/DFX003 fix: "flag" (--no-cache-dir / --no-cache) or "cache-mount"
    fix_strategy: str = "flag"
    add_syntax_directive: bool = False
    # the largest Dockerfile read, in bytes (--max-file-size; reading.DEFAULT_MAX_FILE_SIZE)
    max_file_size: int = 10 * 1024 * 1024

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs: a code, a prefix of it, or ``ALL`` names it."""
        if any(code.startswith(c) or c == "ALL" for c in self.ignore):
            return False
        return self.select is None or any(code.startswith(c) or c == "ALL" for c in self.select)


DEFAULT = Settings()
