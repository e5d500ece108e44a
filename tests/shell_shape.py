"""What a parsed shell script is made of, as plain data: for comparing two ways of reading it."""

from __future__ import annotations

from dockerfix.shell import Script


def script_shape(script: Script) -> object:
    """Every command (span, text, assignments, words with spans and mapped values) and export."""
    return (
        script.has_error,
        [
            (
                c.start,
                c.end,
                c.text,
                c.in_error,
                [(a.name, a.start, a.end) for a in c.assignments],
                [(w.raw, w.start, w.end, w.value.text, list(w.value.offsets), w.expands) for w in c.words],
            )
            for c in script.commands
        ],
        [(e.assignment.name, e.start) for e in script.exports],
    )
