"""``--pin-from``: the versions read from lock and constraints files, and the CLI around them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.fix.pins import PinFileError, load, parse

LOCKS = Path(__file__).parent / "fixtures" / "locks"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "pip-freeze.txt",
            {"asgiref": "3.7.2", "django": "4.2.7", "flask": "2.3.2", "flask-login": "0.6.3", "sqlparse": "0.4.4"},
            id="pip freeze: editables and file URLs give no pin",
        ),
        pytest.param(
            "pip-compile.txt",
            {"asgiref": "3.7.2", "django": "4.2.7", "flask": "2.3.2", "sqlparse": "0.4.4"},
            id="pip-compile with hashes and via comments",
        ),
        pytest.param(
            "uv-compile.txt",
            {"asgiref": "3.7.2", "colorama": "0.4.6", "django": "4.2.7", "flask": "2.3.2"},
            id="uv pip compile: markers; numpy pinned twice gives none",
        ),
        pytest.param(
            "constraints.txt",
            {"django": "4.2.7", "gunicorn": "21.2.0"},
            id="constraints: bounds give none, -r is followed",
        ),
    ],
)
def test_lock_formats(name: str, expected: dict[str, str]) -> None:
    assert load([LOCKS / name]).versions == expected


def test_a_name_pinned_to_two_versions_is_ambiguous() -> None:
    assert load([LOCKS / "uv-compile.txt"]).ambiguous == {"numpy"}
    assert parse("numpy==1.26.4\nNumPy==1.26.4\n").versions == {"numpy": "1.26.4"}  # the same pin twice is fine


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a==1 \\\n  --hash=sha256:x\n", {"a": "1"}, id="continuation with a hash"),
        pytest.param("a==1 # comment\n", {"a": "1"}, id="trailing comment"),
        pytest.param("#a==1\n", {}, id="comment line"),
        pytest.param("a==1.*\n", {}, id="wildcard is not a pin"),
        pytest.param("a===1.0+local\n", {"a": "1.0+local"}, id="==="),
        pytest.param("A_b.C==2\n", {"a-b-c": "2"}, id="PEP 503 key"),
        pytest.param("--extra-index-url https://x\n-e .\n./local\n", {}, id="option and path lines"),
        pytest.param("a==1 \\\n# comment ends the continuation\nb==2\n", {"a": "1", "b": "2"}, id="comment in a continuation"),
    ],
)
def test_parse(text: str, expected: dict[str, str]) -> None:
    assert parse(text).versions == expected


def test_a_bad_line_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    lock = tmp_path / "req.lock"
    lock.write_text("django==4.2.7\nthis is not a requirement\n")
    with pytest.raises(PinFileError, match=r"req\.lock:2: not a requirement"):
        load([lock])


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PinFileError, match="missing.lock: cannot read pin file"):
        load([tmp_path / "missing.lock"])


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_cli_write_pins_from_a_lock(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12\nRUN pip install --no-cache-dir django 'flask[async]' requests\n")
    result = run("--write", "--pin-from", str(LOCKS / "pip-compile.txt"), "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_text() == (
        "FROM python:3.12\nRUN pip install --no-cache-dir django==4.2.7 'flask[async]==2.3.2' requests\n"
    )
    assert result.returncode == 1  # requests is not in the lock: still reported
    assert "DFX002 `requests` is not pinned" in result.stdout


def test_cli_pin_from_is_repeatable(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("RUN pip install --no-cache-dir django gunicorn\n")
    args = ["--diff", "--pin-from", str(LOCKS / "pip-freeze.txt"), "--pin-from", str(LOCKS / "constraints.txt")]
    result = run(*args, "Dockerfile", cwd=tmp_path)
    assert "+RUN pip install --no-cache-dir django==4.2.7 gunicorn==21.2.0\n" in result.stdout


def test_cli_bad_lock_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    original = "RUN pip install django\n"
    (tmp_path / "Dockerfile").write_text(original)
    (tmp_path / "bad.lock").write_text("django==4.2.7\n<<<\n")
    result = run("--write", "--pin-from", "bad.lock", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.lock:2: not a requirement" in result.stderr
    assert (tmp_path / "Dockerfile").read_text() == original
