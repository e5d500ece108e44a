"""Rule codes as users write them in ``--select``, ``--ignore``, ``--extend-select``,
``per-file-ignores`` and configuration files: checked against the rules that exist.

A code is a rule code (``DFX001``), a prefix of one (``DFX0``, ``DFX``), ``ALL``, or a
hadolint code with a dockerfix counterpart (``DL3042`` -> ``DFX001``, ``DL3013`` ->
``DFX002``, the pairs hadolint's own pragmas map to). Anything else is an error naming it,
with the closest known code: a selection that silently runs no rule is a wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from dockerfix.rules import RULES
from dockerfix.rules.suppression import HADOLINT_CODES

RULE_NAMES: dict[str, str] = {r.code: r.doc.name for r in RULES}
CODES = tuple(RULE_NAMES)
ALL = "ALL"


class UnknownCode(ValueError):
    """A code that names no rule; ``str()`` says which, and the closest known code."""


def normalize(codes: Iterable[str], notes: list[str] | None = None) -> tuple[str, ...]:
    """``codes`` upper-cased, hadolint aliases replaced by their dockerfix code (each
    replacement said in ``notes``), duplicates dropped. Raises UnknownCode."""
    found: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if code in HADOLINT_CODES:
            ours = HADOLINT_CODES[code]
            if notes is not None:
                notes.append(f"{code} is hadolint's code for {ours} ({RULE_NAMES[ours]}): using {ours}")
            code = ours
        elif code != ALL and not any(known.startswith(code) for known in CODES):
            raise UnknownCode(_unknown(raw.strip()))
        if code not in found:
            found.append(code)
    return tuple(found)


def _unknown(code: str) -> str:
    import difflib  # only for an error's hint

    upper = code.upper()
    candidates = [*CODES, ALL, *HADOLINT_CODES]
    close = difflib.get_close_matches(upper, candidates, n=1, cutoff=0.5)
    if upper.startswith("DL"):
        aliases = ", ".join(f"{dl} -> {ours}" for dl, ours in HADOLINT_CODES.items())
        return f"unknown rule code {code!r}: dockerfix has no counterpart of that hadolint rule (it maps {aliases})"
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown rule code {code!r}{hint} (known: {', '.join(CODES)}, or a prefix of them, or ALL)"


def lookup(name_or_code: str) -> str | None:
    """The rule code for ``--explain``'s argument: a code (any case), a rule name, or a
    hadolint alias; None when it names no rule."""
    text = name_or_code.strip()
    upper = text.upper()
    if upper in RULE_NAMES:
        return upper
    if upper in HADOLINT_CODES:
        return HADOLINT_CODES[upper]
    for code, name in RULE_NAMES.items():
        if name == text.lower():
            return code
    return None


def closest(name_or_code: str) -> str | None:
    """The known code or rule name closest to ``name_or_code``, for a "did you mean"."""
    import difflib  # only for an error's hint

    text = name_or_code.strip()
    candidates = [*CODES, *RULE_NAMES.values()]
    close = difflib.get_close_matches(text.upper() if text[:3].upper() == "DFX" else text.lower(), candidates, n=1, cutoff=0.5)
    return close[0] if close else None
