"""Adversarial text (issue 13): every pathological family ends in bounded time and memory,
by the error policy: exit 0, 1 or 2, no traceback, no internal error, and a file left
byte-identical unless it was fixed.

Each attack runs in a child process under ``tests/limits.py``'s limits, at a size the code
before issue 13 could not take within them (a MemoryError, a RecursionError, a quadratic
walk past the CPU limit); benchmarks/adversarial.py measures the same families at growing
sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from attacks_text import FAMILIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import dockerfix_argv, failure_signs, run_limited

# What each family must end with: a finding, or an error naming the file.
EXPECTED_EXIT = {
    "exec-form JSON nesting": 2,
    "TOML nesting (--config)": 2,
    "TOML nesting (pyproject)": 2,
    "TOML nesting (.dockerfix.toml)": 2,
    "-r include chain": 2,
}
EXPECTED_MESSAGE = {
    "nested $(pip install": "nested deeper than",
    "exec-form JSON nesting": "Dockerfile:2:69: JSON array nested deeper than 64 levels",
    "TOML nesting (--config)": "dockerfix.toml: invalid TOML: arrays or inline tables nested too deeply",
    "TOML nesting (pyproject)": "pyproject.toml: invalid TOML: arrays or inline tables nested too deeply",
    "TOML nesting (.dockerfix.toml)": ".dockerfix.toml: invalid TOML: arrays or inline tables nested too deeply",
    "-r include chain": "r64.txt:1: includes nested deeper than 64 files",
    "tree-sitter errors": "tree-sitter could not parse it",
}


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("name", [name for name, (_, _, size) in FAMILIES.items() if size])
def test_attack_ends_by_the_error_policy(name: str, tmp_path: Path) -> None:
    attack, _, size = FAMILIES[name]
    args = attack(size, tmp_path)
    before = _snapshot(tmp_path)
    result = run_limited(dockerfix_argv("--write", "--jobs", "1", *args), cwd=str(tmp_path))
    assert failure_signs(result) == []
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == EXPECTED_EXIT.get(name, 1), output[-2000:]
    assert EXPECTED_MESSAGE.get(name, "") in output
    after = _snapshot(tmp_path)
    assert after.keys() == before.keys()  # no temporary file left
    if result.returncode == 2:
        assert after == before
    else:
        changed = [n for n in after if after[n] != before[n]]
        assert changed in ([], ["Dockerfile"])


# Shell constructs that open, close or break nesting, each repeated many times in one RUN.
_PIECES = st.sampled_from(
    ["$(", "`", "(", "{ ", "${a:-", '"', "'", "[[ ", "<(", "$((", "if ", "case x in ", "cat <<E ", "f() ",
     ")", "}", "]]", "fi ", "; ", " && ", " | ", "\\\n", "\n", "pip install x ", "echo ", "a=$b "]
)  # fmt: skip


@st.composite
def _hostile_runs(draw: st.DrawFn) -> str:
    runs = draw(st.lists(st.tuples(_PIECES, st.integers(min_value=1, max_value=3_000)), min_size=1, max_size=4))
    return "FROM python:3.12\nRUN pip install flask; " + "".join(piece * count for piece, count in runs) + "\n"


@given(text=_hostile_runs())
@settings(max_examples=12, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_generated_hostile_runs_end_by_the_error_policy(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    directory = tmp_path_factory.mktemp("hostile")
    path = directory / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    result = run_limited(dockerfix_argv("--diff", "--jobs", "1", str(path)), cwd=str(directory))
    assert failure_signs(result) == []
    assert path.read_text(encoding="utf-8") == text
