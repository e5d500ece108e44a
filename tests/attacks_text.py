"""Pathological text inputs (issue 13), one family per blow-up once found, each built at a
given size ``n``: shared by tests/test_adversarial_text.py (run under limits) and
benchmarks/adversarial.py (time and peak memory per size).

A family writes its files into a directory and returns the dockerfix arguments that run it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Attack = Callable[[int, Path], list[str]]


def _dockerfile(directory: Path, text: str) -> list[str]:
    path = directory / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    return [str(path)]


def nested_substitutions(n: int, directory: Path) -> list[str]:
    """``$(echo $(echo ...))`` nested ``n`` deep in a pip install."""
    return _dockerfile(directory, "FROM python:3.12\nRUN pip install " + "$(echo " * n + "x" + ")" * n + "\n")


def nested_pip_substitutions(n: int, directory: Path) -> list[str]:
    """``$(pip install $(pip install ...))``: every level a command that is analysed."""
    return _dockerfile(directory, "FROM python:3.12\nRUN pip install " + "$(pip install " * n + "x" + ")" * n + "\n")


def env_doubling_chain(n: int, directory: Path) -> list[str]:
    """``ENV A1=$A0$A0``, ``ENV A2=$A1$A1``...: each value twice the one before."""
    lines = ["FROM python:3.12", "ENV A0=x"] + [f"ENV A{i}=$A{i - 1}$A{i - 1}" for i in range(1, n)]
    return _dockerfile(directory, "\n".join([*lines, "RUN pip install flask"]) + "\n")


def env_self_doubling(n: int, directory: Path) -> list[str]:
    """``ENV A=$A$A`` ``n`` times, then as many pairs in one ENV."""
    pairs = " ".join(["B=$B$B"] * n)
    text = "FROM python:3.12\nENV A=x B=y\n" + "ENV A=$A$A\n" * n + f"ENV {pairs}\nRUN pip install flask\n"
    return _dockerfile(directory, text)


def env_then_runs(n: int, directory: Path) -> list[str]:
    """``n`` ENV lines, then ``n`` RUNs with a pip install: each RUN sees every variable."""
    lines = ["FROM python:3.12"] + [f"ENV V{i}=x{i}" for i in range(n)] + [f"RUN pip install p{i}" for i in range(n)]
    return _dockerfile(directory, "\n".join(lines) + "\n")


def many_words(n: int, directory: Path) -> list[str]:
    """One line: a pip install of ``n`` packages, then an echo of ``n`` words."""
    words = " ".join(f"p{i}" for i in range(n))
    return _dockerfile(directory, f"FROM python:3.12\nRUN pip install {words} && echo {words}\n")


def and_chain(n: int, directory: Path) -> list[str]:
    """One line of ``n`` pip installs joined by ``&&``."""
    return _dockerfile(directory, "FROM python:3.12\nRUN " + " && ".join(f"pip install p{i}" for i in range(n)) + "\n")


def long_run(n: int, directory: Path) -> list[str]:
    """One RUN continued over ``n`` lines, a pip install every tenth."""
    body = "".join(f"    && pip install p{i} \\\n" if i % 10 == 0 else f"    && echo step {i} >> /tmp/log \\\n" for i in range(n))
    return _dockerfile(directory, "FROM python:3.12\nRUN set -e \\\n" + body + "    && true\n")


def non_posix_shell(n: int, directory: Path) -> list[str]:
    """A PowerShell stage: ``n`` pip installs on one line, no separator between them."""
    installs = " ".join(f"pip install p{i}" for i in range(n))
    return _dockerfile(directory, f'FROM python:3.12\nSHELL ["powershell", "-Command"]\nRUN {installs}\n')


def nested_json(n: int, directory: Path) -> list[str]:
    """An exec-form RUN whose JSON array is nested ``n`` deep."""
    return _dockerfile(directory, "FROM python:3.12\nRUN " + "[" * n + "]" * n + "\n")


def shell_errors(n: int, directory: Path) -> list[str]:
    """A pip install followed by ``n`` stray ``)``: tree-sitter's error recovery."""
    return _dockerfile(directory, "FROM python:3.12\nRUN pip install flask; " + ")" * n + "\n")


def shell_heredocs(n: int, directory: Path) -> list[str]:
    """A pip install, then ``n`` heredocs opened in ``sh -c`` and never closed."""
    return _dockerfile(directory, "FROM python:3.12\nRUN pip install flask; sh -c 'pip install x; " + "cat <<EOF " * n + "'\n")


def nested_toml(n: int, directory: Path) -> list[str]:
    """A configuration (``--config``) holding arrays nested ``n`` deep."""
    config = directory / "dockerfix.toml"
    config.write_text("select = " + "[" * n + "]" * n + "\n", encoding="utf-8")
    return ["--config", str(config), *_dockerfile(directory, "FROM python:3.12\nRUN pip install flask\n")]


def nested_pyproject(n: int, directory: Path) -> list[str]:
    """A ``pyproject.toml`` beside the Dockerfile, its [tool.dockerfix] nested ``n`` deep."""
    (directory / "pyproject.toml").write_text("[tool.dockerfix]\nx = " + "{a=" * n + "1" + "}" * n + "\n", encoding="utf-8")
    _dockerfile(directory, "FROM python:3.12\nRUN pip install flask\n")
    return [str(directory)]


def nested_dot_config(n: int, directory: Path) -> list[str]:
    """A ``.dockerfix.toml`` beside the Dockerfile, holding inline tables nested ``n`` deep."""
    (directory / ".dockerfix.toml").write_text("x = " + "{a=" * n + "1" + "}" * n + "\n", encoding="utf-8")
    _dockerfile(directory, "FROM python:3.12\nRUN pip install flask\n")
    return [str(directory)]


def include_chain(n: int, directory: Path) -> list[str]:
    """A --pin-from file whose ``-r`` includes chain ``n`` files deep."""
    for i in range(n):
        (directory / f"r{i}.txt").write_text(f"-r r{i + 1}.txt\nflask=={i}.0\n", encoding="utf-8")
    (directory / f"r{n}.txt").write_text("flask==1.0\n", encoding="utf-8")
    return ["--pin-from", str(directory / "r0.txt"), *_dockerfile(directory, "FROM python:3.12\nRUN pip install flask\n")]


# name -> (attack, sizes for the benchmark, a size for the test suite that the old code
# could not take within tests/limits.py's limits; 0: not in the suite)
FAMILIES: dict[str, tuple[Attack, tuple[int, ...], int]] = {
    "nested $(echo": (nested_substitutions, (2_000, 8_000, 32_000, 128_000), 20_000),
    "nested $(pip install": (nested_pip_substitutions, (1_000, 4_000, 16_000, 64_000), 4_000),
    "ENV doubling chain": (env_doubling_chain, (100, 1_000, 10_000, 100_000), 40),
    "ENV A=$A$A": (env_self_doubling, (100, 1_000, 10_000, 100_000), 40),
    "ENV lines, then RUNs": (env_then_runs, (500, 1_000, 2_000, 4_000, 16_000), 8_000),
    "many words on one line": (many_words, (25_000, 100_000, 400_000), 100_000),
    "&& chain on one line": (and_chain, (10_000, 40_000, 160_000), 20_000),
    "long plain RUN": (long_run, (25_000, 100_000, 400_000), 50_000),
    "non-POSIX SHELL": (non_posix_shell, (10_000, 40_000, 160_000), 40_000),
    "exec-form JSON nesting": (nested_json, (1_000, 10_000, 100_000, 1_000_000), 5_000),
    "tree-sitter errors": (shell_errors, (10_000, 40_000, 160_000), 40_000),
    "tree-sitter heredocs": (shell_heredocs, (4_000, 16_000, 64_000), 16_000),
    "TOML nesting (--config)": (nested_toml, (1_000, 10_000, 100_000), 5_000),
    "TOML nesting (pyproject)": (nested_pyproject, (1_000, 10_000, 100_000), 5_000),
    "TOML nesting (.dockerfix.toml)": (nested_dot_config, (1_000, 10_000, 100_000), 5_000),
    "-r include chain": (include_chain, (100, 1_000, 4_000), 600),
}
