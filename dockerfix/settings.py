"""What a run is configured to do. Plain data: rules read it, the CLI and config fill it."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from dockerfix.record import field, record


@record
class Settings:
    """What a run is configured to do: rules, fixes, pins, strategy."""

    select: Collection[str] | None = None  # codes or prefixes; None: every rule
    ignore: Collection[str] = ()
    unsafe_fixes: bool = False
    # canonical (PEP 503) name -> exact version, from --pin-from lock files (DFX002's fix)
    pins: Mapping[str, str] = field(default_factory=dict)
    # canonical name -> its several versions in the --pin-from files (markers, forks): no pin
    pin_conflicts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # how DFX002 writes a pin: "inline" (name==1.2) or "renovate" (an ARG Renovate updates)
    pin_style: str = "inline"
    # how DFX001/DFX003 fix: "flag" (--no-cache-dir / --no-cache) or "cache-mount"
    fix_strategy: str = "flag"
    add_syntax_directive: bool = False

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs: a code, a prefix of it, or ``ALL`` names it."""
        if any(code.startswith(c) or c == "ALL" for c in self.ignore):
            return False
        return self.select is None or any(code.startswith(c) or c == "ALL" for c in self.select)


DEFAULT = Settings()
