"""The output formats' parts, as a spec: escaping, columns, fixes as data, any rule.

Whole outputs are pinned by the golden files (``test_report_golden.py``); here each
format's promises are checked one by one, and every format is run on diagnostics of a
rule it has never heard of, with a fix of several edits.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.core import Settings, fix
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.report import FORMATS, load
from dockerfix.report.common import byte_column, relative_path
from dockerfix.report.github import command, escape_data, escape_property
from dockerfix.report.markdown import cell, code, fence
from dockerfix.fix.runner import FileResult, Mode, process
from dockerfix.parse.source import Source

PROJECT = Path(__file__).resolve().parent / "golden" / "project"
PROJECT_FILES = ["api/Dockerfile", "worker/Dockerfile"]


# -- GitHub workflow commands (escaping as @actions/core does) -------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain", "plain", id="plain"),
        pytest.param("100%", "100%25", id="percent"),
        pytest.param("a\nb", "a%0Ab", id="newline"),
        pytest.param("a\r\nb", "a%0D%0Ab", id="crlf"),
        pytest.param("%0A", "%250A", id="percent first, no double escape"),
        pytest.param("a:b,c", "a:b,c", id="colon and comma kept in data"),
    ],
)
def test_github_escape_data(text: str, expected: str) -> None:
    assert escape_data(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("app/Dockerfile", "app/Dockerfile", id="plain path"),
        pytest.param("a:b,c", "a%3Ab%2Cc", id="colon and comma"),
        pytest.param("50%,\n", "50%25%2C%0A", id="all at once"),
    ],
)
def test_github_escape_property(text: str, expected: str) -> None:
    assert escape_property(text) == expected


def test_github_command_shape() -> None:
    line = command("warning", {"file": "a,b.Dockerfile", "line": 2, "title": "DFX001"}, "x: y\nz")
    assert line == "::warning file=a%2Cb.Dockerfile,line=2,title=DFX001::x: y%0Az\n"


# -- columns ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "needle", "expected"),
    [
        pytest.param("RUN pip install x\n", "pip", (1, 5), id="ascii"),
        pytest.param('RUN echo "é" && pip install x\n', "pip", (1, 18), id="2-byte char before"),
        pytest.param('RUN echo "日本" && pip install x\n', "pip", (1, 22), id="3-byte chars before"),
        pytest.param('RUN echo "𐐀" && pip install x\n', "pip", (1, 20), id="4-byte char before"),
        pytest.param("\ufeffRUN pip install x\n", "pip", (1, 8), id="BOM counts on line 1"),
        pytest.param("\ufeffFROM x\r\nRUN pip install x\r\n", "pip", (2, 5), id="BOM not on line 2, CRLF"),
    ],
)
def test_byte_column(raw: str, needle: str, expected: tuple[int, int]) -> None:
    source = Source.decode(raw.encode("utf-8"))
    assert byte_column(source, source.text.index(needle)) == expected


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        pytest.param("app/Dockerfile", "app/Dockerfile", id="relative"),
        pytest.param("./app/Dockerfile", "app/Dockerfile", id="dot slash"),
        pytest.param("-", "-", id="stdin"),
    ],
)
def test_relative_path(display: str, expected: str) -> None:
    assert relative_path(display) == expected


def test_absolute_path_becomes_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert relative_path(str(tmp_path / "svc" / "Dockerfile")) == "svc/Dockerfile"


# -- fixes as data: applying what a format says gives what --write writes ----------------
def _expected(path: str) -> bytes:
    source = Source.decode((PROJECT / path).read_bytes())
    return source.encode(fix(source.text).text)


def _apply(raw: bytes, changes: list[tuple[int, int, int, int, bytes]], *, unit: str) -> bytes:
    """Apply (line, col, end line, end col, text) changes; columns in bytes or code points."""
    lines = raw.split(b"\n")

    def offset(line: int, col: int) -> int:
        before = sum(len(x) + 1 for x in lines[: line - 1])
        prefix = lines[line - 1] if unit == "bytes" else lines[line - 1].decode("utf-8")
        return before + len(prefix[: col - 1].encode("utf-8") if unit != "bytes" else prefix[: col - 1])

    out = raw
    for line, col, end_line, end_col, text in sorted(changes, reverse=True):
        start, end = offset(line, col), offset(end_line, end_col)
        out = out[:start] + text + out[end:]
    return out


def _project_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: Mode = Mode.CHECK) -> list[FileResult]:
    monkeypatch.chdir(PROJECT)
    return [process(p, p, None, mode, Settings()) for p in PROJECT_FILES]


def _output(fmt: str, results: list[FileResult]) -> str:
    out = io.StringIO()
    load(fmt).write(results, out)
    return out.getvalue()


def test_rdjson_suggestions_are_byte_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(_output("rdjson", _project_results(tmp_path, monkeypatch)))
    for path in PROJECT_FILES:
        changes = [
            (r["start"]["line"], r["start"]["column"], r["end"]["line"], r["end"]["column"], s["text"].encode())
            for d in doc["diagnostics"]
            if d["location"]["path"] == path
            for s in d.get("suggestions", [])
            for r in [s["range"]]
        ]
        assert changes, path
        assert _apply((PROJECT / path).read_bytes(), changes, unit="bytes") == _expected(path)


def test_sarif_replacements_are_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(_output("sarif", _project_results(tmp_path, monkeypatch)))
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    for path in PROJECT_FILES:
        changes = [
            (g["startLine"], g["startColumn"], g["endLine"], g["endColumn"], rep["insertedContent"]["text"].encode())
            for result in run["results"]
            for f in result.get("fixes", [])
            for change in f["artifactChanges"]
            if change["artifactLocation"]["uri"] == path
            for rep in change["replacements"]
            for g in [rep["deletedRegion"]]
        ]
        assert changes, path
        # SARIF columns count code points of the decoded text: the BOM is not one of them.
        raw = (PROJECT / path).read_bytes()
        bom = raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""
        assert bom + _apply(raw[len(bom) :], changes, unit="code points") == _expected(path)


def test_sarif_lists_every_rule_and_stable_fingerprints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfix.rules import RULES

    doc = json.loads(_output("sarif", _project_results(tmp_path, monkeypatch)))
    driver = doc["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    for result in doc["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in doc["runs"][0]["results"]]
    assert len(set(hashes)) == len(hashes)


def test_sarif_fingerprint_ignores_lines_added_above() -> None:
    def fingerprints(text: str) -> list[str]:
        source = Source(text)
        from dockerfix.core import check

        result = FileResult("Dockerfile", "Dockerfile", source=source, diagnostics=check(text), original=text)
        doc = json.loads(_output("sarif", [result]))
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in doc["runs"][0]["results"]]

    body = "RUN pip install flask==2.3.2\nRUN pip install flask==2.3.2\n"
    assert fingerprints("FROM x\n" + body) == fingerprints("FROM x\n# a comment\nENV A=1\n" + body)
    assert fingerprints("FROM x\n" + body)[1].endswith(":2")  # the same line twice: counted


# -- the markdown PR body -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Dockerfile", "`Dockerfile`", id="plain"),
        pytest.param("a`b", "``a`b``", id="backtick inside"),
        pytest.param("`a", "`` `a ``", id="backtick at the edge"),
    ],
)
def test_markdown_code_span(text: str, expected: str) -> None:
    assert code(text) == expected


def test_markdown_cell_and_fence() -> None:
    assert cell("a | b\nc") == "a \\| b c"
    assert fence("x\n```\ny\n", "diff").startswith("````diff\n")
    assert fence("x", "diff") == "```diff\nx\n```\n"


def test_markdown_rows_name_lines_of_the_right_text() -> None:
    # Changes are rows of the file as it was; findings left, rows of the file as fixed
    # (here a fix added a line at the top, so the two differ).
    original = "FROM x\nRUN pip install a\nRUN $PIP install b\n"
    fixed = "# syntax=docker/dockerfile:1\n" + original.replace("install a", "install --no-cache-dir a")
    run_at = original.index("pip install a")
    applied = Diagnostic("DFX001", "n", "m", run_at, run_at + 11, Fix((Edit.insertion(0, "# syntax"),), Applicability.SAFE, "Add it"))
    left = Diagnostic("DFX000", "n", "cannot", fixed.index("$PIP"), fixed.index("$PIP") + 4)
    result = FileResult(
        "Dockerfile", "Dockerfile", source=Source(fixed), diagnostics=[left], original=original, fixed=fixed,
        mode=Mode.WRITE, applied=[applied], remaining=[left],
    )
    body = _output("markdown", [result])
    assert "| `Dockerfile` | 2 | [DFX001]" in body and "| Add it |" in body
    assert "| `Dockerfile` | 4 | [DFX000]" in body
    assert body.startswith("## dockerfix fixed 1 finding in 1 Dockerfile\n")


# -- every format: any rule, any diagnostic ------------------------------------------------
def _unknown_rule_result() -> FileResult:
    text = "FROM x\nRUN tool --go |\\\n  done 日本\n"
    source = Source(text)
    start = text.index("tool")
    fix_ = Fix(
        (Edit.insertion(text.index("--go"), "--safe "), Edit.replacement(text.index("done"), text.index("done") + 4, "ok")),
        Applicability.UNSAFE,
        "Make it safe | sound",
    )
    d = Diagnostic("ZZZ123", "made-up-rule", "a 50% chance, with: commas\nand lines", start, text.index(" 日本"), fix_, ("a note",))
    return FileResult("svc/Dockerfile", "svc/Dockerfile", source=source, diagnostics=[d], original=text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_takes_a_rule_it_does_not_know(fmt: str) -> None:
    output = _output(fmt, [_unknown_rule_result()])
    assert "ZZZ123" in output or fmt == "markdown"  # report mode without fixes: listed as left
    if fmt in ("json", "sarif", "rdjson"):
        json.loads(output)
    if fmt == "json-lines":
        assert [json.loads(line)["code"] for line in output.splitlines()] == ["ZZZ123"]
    if fmt == "github":
        assert output.count("\n") == 1, "one command per finding: newlines in messages escaped"


def test_formats_are_imported_lazily() -> None:
    probe = "import sys, dockerfix.cli.main, dockerfix.report as r; print(sorted(set(r.MODULES.values()) & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_full_carets_under_wide_characters_and_tabs() -> None:
    from dockerfix.report.full import render

    text = 'RUN\techo "日本" && pip install x\n'
    source = Source(text)
    start = text.index("pip")
    lines = render(source, Diagnostic("DFX001", "n", "m", start, start + 11))
    shown, carets = lines[1], lines[2]
    assert shown == '1 | RUN echo "日本" && pip install x'
    assert carets == "  |                    ^^^^^^^^^^^"
    assert carets.index("^") == shown.index("pip") + 2  # "日本": 2 characters, 4 columns


def test_markdown_body_fits_a_pull_request() -> None:
    from dockerfix.report.markdown import BODY_LIMIT

    lines = [f"RUN pip install package-{i}\n" for i in range(1200)]
    original = "FROM x\n" + "".join(lines)
    fixed = "FROM x\n" + "".join(line.replace("install", "install --no-cache-dir") for line in lines)
    starts = [original.index(line) + 4 for line in lines]
    fix_ = Fix((Edit.insertion(0, " --no-cache-dir"),), Applicability.SAFE, "Insert `--no-cache-dir`")
    applied = [Diagnostic("DFX001", "pip-no-cache-dir", "m", at, at + 11, fix_) for at in starts]
    result = FileResult("Dockerfile", "Dockerfile", source=Source(original), diagnostics=applied, original=original,
                        fixed=fixed, mode=Mode.DIFF, applied=applied)
    body = _output("markdown", [result])
    assert len(body) <= BODY_LIMIT
    assert body.startswith("## dockerfix would fix 1200 findings in 1 Dockerfile\n")
    assert "more." in body and "`dockerfix --diff` prints" in body
