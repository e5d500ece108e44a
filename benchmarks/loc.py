"""Lines of package code and tests at one or more git revisions, and the modules over a size.

    python benchmarks/loc.py 3a33401 b3ca557 [--over 400]

Read from git (``git ls-tree``, ``git cat-file``): no checkout needed. Python files only
(``dockerfix/**/*.py``, ``tests/**/*.py``); lines as ``wc -l`` counts them. Generated
modules count too (``dockerfix/_record_inits.py`` before issue 14).
"""

from __future__ import annotations

import argparse
import subprocess


def files(rev: str, folder: str) -> dict[str, int]:
    """Every ``.py`` file under ``folder`` at ``rev``, with its line count."""
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "--", folder], capture_output=True, text=True, check=True
    ).stdout.split()
    counts = {}
    for name in names:
        if name.endswith(".py"):
            blob = subprocess.run(["git", "cat-file", "blob", f"{rev}:{name}"], capture_output=True, check=True).stdout
            counts[name] = blob.count(b"\n")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("revs", nargs="+", help="git revisions (commits, branches)")
    parser.add_argument("--over", type=int, default=400, help="list package modules longer than this")
    args = parser.parse_args()
    print(f"| revision | package lines (modules) | test lines (files) | modules over {args.over} lines |")
    print("|---|---:|---:|---|")
    for rev in args.revs:
        package, tests = files(rev, "dockerfix"), files(rev, "tests")
        big = sorted(((n, name) for name, n in package.items() if n > args.over), reverse=True)
        listed = ", ".join(f"{name.removeprefix('dockerfix/')} {n}" for n, name in big)
        print(
            f"| {rev} | {sum(package.values()):,} ({len(package)}) | {sum(tests.values()):,} ({len(tests)}) "
            f"| {f'{len(big)}: {listed}' if big else 'none'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
