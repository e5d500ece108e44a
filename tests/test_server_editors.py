"""Real editors as clients of ``dockerfix server``, headless; skipped where the editor is
not installed (CI: ``apt-get install -y neovim``, Debian 12 gives 0.7.2, enough here).

Neovim opens a Dockerfile, shows the server's diagnostics, and applies fix-all through its
own ``apply_workspace_edit``: the buffer is what ``dockerfix --write`` writes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the server extra (pygls) is not installed")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "editors" / "nvim_fix_all.lua"
NVIM = shutil.which("nvim")


@pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install -y neovim)")
@pytest.mark.parametrize("name", ["examples/Dockerfile", "tests/fixtures/multistage-python/Dockerfile"])
def test_neovim_shows_diagnostics_and_applies_fix_all(name: str, tmp_path: Path) -> None:
    assert NVIM is not None
    text = (ROOT / name).read_text(encoding="utf-8")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(text, encoding="utf-8")
    env = {
        "DOCKERFIX_SERVER": json.dumps([sys.executable, "-m", "dockerfix", "server"]),
        "DOCKERFIX_FILE": str(dockerfile),
        "HOME": str(tmp_path),  # no user configuration, no shada
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {SCRIPT}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    head, _, buffer = done.stdout.partition("-- buffer\n")
    report = json.loads(
        subprocess.run(
            [sys.executable, "-m", "dockerfix", "--output-format", "json", "-"],
            input=text,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    )
    expected = [
        f"diagnostic {d['location']['row'] - 1}:{d['location']['column'] - 1}-"
        f"{d['end_location']['row'] - 1}:{d['end_location']['column'] - 1} {d['code']}"
        for d in report
    ]
    assert [line for line in head.splitlines() if line.startswith("diagnostic ")] == expected
    assert "action dockerfix: fix all (as dockerfix --write)" in head
    written = subprocess.run(
        [sys.executable, "-m", "dockerfix", "--write", "--quiet", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert buffer == written
