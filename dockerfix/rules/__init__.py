"""The rule registry: every rule dockerfix knows, by code."""

from __future__ import annotations

from dockerfix.rules import (
    conda_clean,
    no_cache_with_cache_mount,
    not_analysed,
    pdm_no_cache,
    pip_no_cache_dir,
    pip_unpinned,
    poetry_cache,
    uv_no_cache,
)
from dockerfix.rules.base import Rule

RULES: tuple[Rule, ...] = (
    not_analysed.RULE,
    pip_no_cache_dir.RULE,
    pip_unpinned.RULE,
    uv_no_cache.RULE,
    poetry_cache.RULE,
    pdm_no_cache.RULE,
    conda_clean.RULE,
    no_cache_with_cache_mount.RULE,
)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

__all__ = ["BY_CODE", "RULES"]
