"""The BuildKit parser (PyPI ``dockerfile``, Go) as a test oracle for our scanner."""

from __future__ import annotations

from typing import Any

from dockerfix.parse.dockerfile import scan
from dockerfix.parse.instructions import Instruction
from dockerfix.parse.source import Source


def oracle_view(text: str) -> list[tuple[Any, ...]] | str:
    import dockerfile

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return f"error: {exc}"
    return [
        (c.cmd.upper(), (c.sub_cmd or "").upper(), c.start_line, c.json, _value(c), tuple((h.name, h.content) for h in c.heredocs))
        for c in commands
    ]


def _value(c: Any) -> tuple[str, ...]:
    if c.cmd.upper() in ("RUN", "ONBUILD") and not c.json:
        return tuple(v.strip() for v in c.value)
    return tuple(c.value)


def our_view(text: str) -> list[tuple[Any, ...]] | str:
    source = Source(text)
    try:
        parsed = scan(text)
    except ValueError as exc:
        return f"error: {exc}"
    return [_ours(source, i) for i in parsed.instructions if i.keyword in ("RUN",)]


def _ours(source: Source, i: Instruction) -> tuple[Any, ...]:
    row, _ = source.location(i.start)
    if i.exec_form is not None:
        value: tuple[str, ...] = tuple(e.value.text for e in i.exec_form)
    else:
        value = (i.args.text.strip(),)
    return (
        "ONBUILD" if i.onbuild else "RUN",
        "RUN" if i.onbuild else "",
        row,
        i.exec_form is not None,
        value,
        tuple((h.name, h.body.text) for h in i.heredocs),
    )


def oracle_runs(text: str) -> list[tuple[Any, ...]] | str:
    view = oracle_view(text)
    if isinstance(view, str):
        return view
    return [v for v in view if v[0] == "RUN" or (v[0] == "ONBUILD" and v[1] == "RUN")]
