"""Every output format, byte for byte, against a golden file under ``tests/golden/``.

The input is ``tests/golden/project/``: ``api/Dockerfile`` (LF, non-ASCII text before a
finding, an install split by a continuation, exec form, a suppression, a DFX000),
``worker/Dockerfile`` (BOM, CRLF, non-ASCII, a tab, no final newline) and a clean file.
Byte columns (rdjson) and code-point columns (the others) differ on the non-ASCII lines.
The project is copied to a temporary directory and checked from there with ``.`` as the
path, so paths are relative and no configuration above the repository is seen.

After an intended change of output (a new rule, a new field), regenerate and review:

    DOCKERFIX_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_golden.py
    git diff tests/golden/

The dockerfix version is written as ``<version>`` in the golden files.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

from dockerfix import __version__
from dockerfix.cli.main import main

GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECT = GOLDEN / "project"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("DOCKERFIX_UPDATE_GOLDEN") == "1"


Run = Callable[..., tuple[int, bytes]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``dockerfix ARGS`` in this process: (exit code, stdout bytes)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)  # the CI's own summary file

    def invoke(*args: str) -> tuple[int, bytes]:
        capsysbinary.readouterr()
        code = main(list(args))
        return code, capsysbinary.readouterr().out

    return invoke


def check_golden(name: str, output: bytes) -> None:
    path = GOLDEN / name
    normalized = output.replace(f'"{__version__}"'.encode(), b'"<version>"')
    if UPDATE:
        path.write_bytes(normalized)
    assert path.exists(), f"{path} is missing: run with DOCKERFIX_UPDATE_GOLDEN=1"
    assert normalized == path.read_bytes(), f"{name} differs: review, then DOCKERFIX_UPDATE_GOLDEN=1"


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        pytest.param("text", "text.txt", id="text"),
        pytest.param("full", "full.txt", id="full"),
        pytest.param("json", "json.json", id="json"),
        pytest.param("json-lines", "json-lines.jsonl", id="json-lines"),
        pytest.param("sarif", "sarif.sarif", id="sarif"),
        pytest.param("github", "github.txt", id="github"),
        pytest.param("rdjson", "rdjson.json", id="rdjson"),
        pytest.param("markdown", "markdown.md", id="markdown"),
    ],
)
def test_report_format(project: Path, run: Run, fmt: str, golden: str) -> None:
    code, output = run("--output-format", fmt, ".")
    assert code == 1
    check_golden(golden, output)
    assert run("--output-format", fmt, ".") == (code, output), "not byte-identical on a re-run"
    for path in PROJECT.rglob("*"):
        if path.is_file():  # report mode writes nothing, whatever the format computes
            assert (project / path.relative_to(PROJECT)).read_bytes() == path.read_bytes()


def test_markdown_after_write(project: Path, run: Run) -> None:
    code, output = run("--write", "--output-format", "markdown", ".")
    assert code == 1  # the DFX000 finding is left
    check_golden("markdown-write.md", output)


def test_markdown_when_nothing_to_fix(project: Path, run: Run) -> None:
    code, output = run("--output-format", "markdown", "clean.Dockerfile")
    assert code == 0
    check_golden("markdown-clean.md", output)


def test_github_appends_step_summary(project: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run("--output-format", "github", ".")
    text = summary.read_bytes()
    assert text.startswith(b"earlier step\n"), "the summary file must be appended to, not replaced"
    check_golden("github-step-summary.md", text[len(b"earlier step\n") :])


def test_sarif_validates_against_the_oasis_schema(project: Path, run: Run) -> None:
    if not SARIF_SCHEMA.is_file():
        message = f"{SARIF_SCHEMA} not found: SARIF validation needs the shared schema"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    import jsonschema

    _, output = run("--output-format", "sarif", ".")
    jsonschema.validate(json.loads(output), json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
