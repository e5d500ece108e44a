"""The README is true: every ```console example in README.md is run and must print what
the README shows.

A console block is preceded by ``<!-- console-example: NAME -->`` (invisible on GitHub):
its commands run, in order, in a fresh copy of ``tests/readme/NAME/`` (the files the
example needs), with ``dockerfix`` on PATH. Each ``$ COMMAND`` line is followed by what it
prints, standard output and standard error together as a terminal shows them, up to the
next ``$`` line. Commands shown without their output belong in a ```sh block; output shown
without a command (a summary's shape) in a ```text block.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "readme"
MARKER = "<!-- console-example: "


class Example(NamedTuple):
    line: int  # of the opening fence, 1-based
    fixtures: str | None  # the directory under tests/readme, None when unmarked
    steps: list[tuple[str, str]]  # (command, expected output)


def console_examples(text: str) -> list[Example]:
    lines = text.splitlines()
    examples: list[Example] = []
    at = 0
    while at < len(lines):
        fence = lines[at].strip()
        if fence != "```console":
            at += 1
            continue
        indent = len(lines[at]) - len(lines[at].lstrip())
        before = next((lines[i].strip() for i in range(at - 1, -1, -1) if lines[i].strip()), "")
        fixtures = before[len(MARKER) : -len(" -->")].strip() if before.startswith(MARKER) else None
        body: list[str] = []
        end = at + 1
        while end < len(lines) and lines[end].strip() != "```":
            body.append(lines[end][indent:])
            end += 1
        examples.append(Example(at + 1, fixtures, _steps(body)))
        at = end + 1
    return examples


def _steps(body: list[str]) -> list[tuple[str, str]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        else:
            steps.append(("", [line]))  # output before any command: reported by the test
    return [(command, "\n".join(output).strip("\n")) for command, output in steps]


EXAMPLES = console_examples(README.read_text(encoding="utf-8"))


def test_examples_are_found() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"README.md:{e.line}" for e in EXAMPLES])
def test_console_example(example: Example, tmp_path: Path) -> None:
    assert example.fixtures is not None, (
        f"README.md:{example.line}: a console example needs {MARKER}NAME --> before it, "
        "with its files in tests/readme/NAME (or make it a sh/text block)"
    )
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / example.fixtures, work)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "dockerfix"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dockerfix "$@"\n')
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "FORCE_COLOR", "DOCKERFIX"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1", COLUMNS="80")
    for command, expected in example.steps:
        assert command, f"README.md:{example.line}: output without a `$ command` line"
        result = subprocess.run(
            ["bash", "-c", command], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=120,
        )
        assert result.stdout.strip("\n") == expected, f"README.md:{example.line}: $ {command}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("```console\n$ a\nout\n$ b\n```\n", [Example(1, None, [("a", "out"), ("b", "")])], id="unmarked"),
        pytest.param(f"{MARKER}x -->\n\n```console\n$ a\n```\n", [Example(3, "x", [("a", "")])], id="marked"),
        pytest.param("  ```console\n  $ a\n    x\n  ```\n", [Example(1, None, [("a", "  x")])], id="indented"),
        pytest.param("```sh\n$ a\n```\n", [], id="sh-is-not-run"),
    ],
)
def test_parser(text: str, expected: list[Example]) -> None:
    assert console_examples(text) == expected
