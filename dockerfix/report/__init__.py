"""Output formats: one module each, all reading the same ``FileResult``s."""

from __future__ import annotations

FORMATS = ("text", "json")
