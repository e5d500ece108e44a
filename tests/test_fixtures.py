"""Realistic Dockerfiles and their expected fixed output, compared byte for byte.

Each ``tests/fixtures/<name>/Dockerfile`` has a ``Dockerfile.fixed`` next to it: the
exact bytes ``fix`` must produce (CRLF, BOM, a missing final newline all kept). A fixture
with nothing to fix has a ``.fixed`` identical to its ``Dockerfile``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfix.core import check, fix
from dockerfix.parse.source import Source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAMES = sorted(p.parent.name for p in FIXTURES.glob("*/Dockerfile"))


def _fix_bytes(data: bytes) -> bytes:
    source = Source.decode(data)
    return source.encode(fix(source.text).text)


def test_there_are_fixtures() -> None:
    assert len(NAMES) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name: str) -> None:
    original = (FIXTURES / name / "Dockerfile").read_bytes()
    expected = (FIXTURES / name / "Dockerfile.fixed").read_bytes()
    assert _fix_bytes(original) == expected


@pytest.mark.parametrize("name", NAMES)
def test_fixed_fixture_is_stable(name: str) -> None:
    expected = (FIXTURES / name / "Dockerfile.fixed").read_bytes()
    assert _fix_bytes(expected) == expected
    assert [d for d in check(Source.decode(expected).text) if d.code == "DFX001"] == []


def test_crlf_fixture_keeps_its_line_endings_and_bom() -> None:
    fixed = (FIXTURES / "crlf" / "Dockerfile.fixed").read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert fixed.count(b"\r\n") == fixed.count(b"\n")
    assert not fixed.endswith(b"\n")


def test_example_dockerfile() -> None:
    """examples/Dockerfile (used by the README) has findings, and fixing them is stable."""
    example = Path(__file__).resolve().parents[1] / "examples" / "Dockerfile"
    text = example.read_text(encoding="utf-8")
    found = [d for d in check(text) if d.code == "DFX001"]
    assert [text[d.start : d.end] for d in found] == [
        "pip install",
        "python -m pip install",
        '"pip", "install"',
    ]
    fixed = fix(text).text
    assert fixed.count("--no-cache-dir") == text.count("--no-cache-dir") + 3
    assert fix(fixed).text == fixed
