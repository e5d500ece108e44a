"""Exec form: the JSON array of strings an instruction may be written as (``RUN ["pip", ...]``),
decoded with every character mapped to the file offset it came from."""

from __future__ import annotations

import json
import re

from dockerfix.parse.instructions import JsonString, ScanError
from dockerfix.parse.mapped import Mapped, MappedBuilder
from dockerfix.settings import MAX_JSON_NESTING


def exec_form(args: Mapped) -> tuple[JsonString, ...] | None:
    """The JSON array of strings BuildKit would take as exec form, else None.

    BuildKit decodes the first JSON value and ignores what follows it (Go's json.Decoder),
    and rejects an array that holds anything but strings."""
    text = args.text
    stripped = text.lstrip()
    if not stripped.startswith("["):
        return None
    lead = len(text) - len(stripped)
    plain = string_array(args, lead)
    if plain is not None:
        return plain[0]
    # Not plainly an array of strings: the json module says what it is, once we know its
    # recursion will not run out of stack.
    too_deep = _nesting_past(text, lead, MAX_JSON_NESTING)
    if too_deep is not None:
        raise ScanError(f"JSON array nested deeper than {MAX_JSON_NESTING} levels", args.file_start(too_deep))
    try:
        value, _ = json.JSONDecoder().raw_decode(text, lead)
    except ValueError:
        return None
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise ScanError("when using JSON array syntax, arrays must be comprised of strings only", args.file_start(lead))
    return None  # not an array: an array of strings is read above (tests/test_corpus.py)


_JSON_TOKEN = r'"(?:[^"\\]|\\.)*"|[\[\]{}]'  # a string, or a bracket


def _nesting_past(text: str, pos: int, limit: int) -> int | None:
    """Where the JSON value at ``text[pos]`` opens its array or object ``limit + 1`` levels
    deep, or None: brackets counted outside strings, up to the end of that value."""
    depth = 0
    for token in re.compile(_JSON_TOKEN).finditer(text, pos):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return token.start()
        elif bracket in "]}":
            depth -= 1
            if depth <= 0:
                return None
    return None


_JSON_SPACE = frozenset(" \t\n\r")
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset("0123456789abcdefABCDEF")


def string_array(args: Mapped, pos: int) -> tuple[tuple[JsonString, ...], int] | None:
    """The strings of the JSON array at ``args.text[pos]`` (a ``[``), decoded and mapped to
    the file, and where the array ends, when it is an array of strings as the json module
    would read it; None for anything else (other values, invalid JSON)."""
    text = args.text
    n = len(text)
    strings: list[JsonString] = []
    pos = _json_space(text, pos + 1)
    if pos < n and text[pos] == "]":
        return (), pos + 1
    while pos < n and text[pos] == '"':
        read = _json_string(args, pos)
        if read is None:
            return None
        string, pos = read
        strings.append(string)
        pos = _json_space(text, pos)
        if pos < n and text[pos] == "]":
            return tuple(strings), pos + 1
        if pos >= n or text[pos] != ",":
            return None
        pos = _json_space(text, pos + 1)
    return None


def _json_string(args: Mapped, pos: int) -> tuple[JsonString, int] | None:
    """The JSON string at ``args.text[pos]`` (a ``"``), its characters mapped to the file,
    and the index just past it; None if it is not strict JSON."""
    text = args.text
    n = len(text)
    builder = MappedBuilder()
    i = pos + 1
    while i < n and text[i] != '"':
        ch = text[i]
        if ch == "\\":
            esc = text[i + 1 : i + 2]
            if esc == "u":
                code = _hex4(text, i + 2)
                if code is None:
                    return None
                width = 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i + 6):
                    low = _hex4(text, i + 8)
                    if low is None:
                        return None
                    if 0xDC00 <= low < 0xE000:  # a pair; else two escapes, as json reads them
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        width = 12
                builder.add_char(chr(code), args.file_start(i))
                i += width
            elif esc in _JSON_ESCAPES:
                builder.add_char(_JSON_ESCAPES[esc], args.file_start(i))
                i += 2
            else:
                return None
        elif ch < " ":  # strict JSON: control characters must be escaped
            return None
        else:
            builder.add_char(ch, args.file_start(i))
            i += 1
    if i >= n:
        return None
    string = JsonString(builder.build(args.file_start(i)), args.file_start(pos), args.file_start(i) + 1)
    return string, i + 1


def _hex4(text: str, pos: int) -> int | None:
    digits = text[pos : pos + 4]
    return int(digits, 16) if len(digits) == 4 and set(digits) <= _HEX else None


def _json_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _JSON_SPACE:
        pos += 1
    return pos
