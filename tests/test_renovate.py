"""``--pin-style renovate``: DFX002's fix declares each version as an ARG that Renovate's
``customManagers:dockerfileVersions`` preset updates.

``FIX``: (before, after) with the lock ``PINS``: ``fix(before).text == after`` exactly.
``INLINE``: where ``${VAR}`` would not be expanded, the pin goes inline, with a note.
``UNFIXED``: the ARG name is taken otherwise: no fix, and the note says why.
Every fixed text is checked against Renovate's own regular expression (``PRESET``) and
BuildKit's parser (``tests/oracle.py``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from dockerfix.core import check, fix
from dockerfix.rules.renovate import arg_name
from dockerfix.settings import Settings
from oracle import oracle_view

PINS = {"django": "4.2.7", "flask": "2.3.2", "six": "1.16.0", "pip": "24.0", "zope-interface": "6.1", "2to3": "1.0"}
RENOVATE = Settings(select=["DFX002"], pins=PINS, pin_style="renovate")

# renovatebot/renovate lib/config/presets/internal/custom-managers.preset.ts, preset
# `dockerfileVersions`, at commit c2dd4f856f068eeda4c10afc3752c35fe1f6cab1, verbatim but for
# JavaScript's `(?<name>` spelt as Python's `(?P<name>`. Renovate compiles it with the `g`
# flag only (lib/modules/manager/custom/regex/strategies.ts: `regEx(matchString, 'g')`):
# `re.finditer`, no MULTILINE.
PRESET_JS = (
    "# renovate: datasource=(?<datasource>[a-zA-Z0-9-._]+?) depName=(?<depName>[^\\s]+?)"
    "(?: (lookupName|packageName)=(?<packageName>[^\\s]+?))?(?: versioning=(?<versioning>[^\\s]+?))?"
    "(?: extractVersion=(?<extractVersion>[^\\s]+?))?(?: registryUrl=(?<registryUrl>[^\\s]+?))?"
    "\\s(?:ENV|ARG)\\s+[A-Za-z0-9_]+?_VERSION[ =][\"']?(?<currentValue>.+?)[\"']?\\s"
)
PRESET = re.compile(PRESET_JS.replace("(?<", "(?P<"))


def renovate_finds(text: str) -> dict[str, tuple[str, str]]:
    """depName -> (datasource, currentValue), as Renovate's preset extracts them."""
    return {m["depName"]: (m["datasource"], m["currentValue"]) for m in PRESET.finditer(text)}


FIX = [
    pytest.param(
        "FROM python:3.12\nRUN pip install --no-cache-dir django\n",
        "FROM python:3.12\n"
        "# renovate: datasource=pypi depName=django\n"
        "ARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install --no-cache-dir "django==${DJANGO_VERSION}"\n',
        id="the issue's example",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install 'flask[async]>=2' \"six; python_version>'3'\"\n",
        "FROM python:3.12\n"
        "# renovate: datasource=pypi depName=flask\n"
        "ARG FLASK_VERSION=2.3.2\n"
        "# renovate: datasource=pypi depName=six\n"
        "ARG SIX_VERSION=1.16.0\n"
        'RUN pip install "flask[async]==${FLASK_VERSION}" "six==${SIX_VERSION}; python_version>\'3\'"\n',
        id="two packages of one RUN: one insertion; extras and markers kept",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install django\nRUN pip install django six\n",
        "FROM python:3.12\n"
        "# renovate: datasource=pypi depName=django\n"
        "ARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n'
        "# renovate: datasource=pypi depName=six\n"
        "ARG SIX_VERSION=1.16.0\n"
        'RUN pip install "django==${DJANGO_VERSION}" "six==${SIX_VERSION}"\n',
        id="one ARG a stage, above its first RUN",
    ),
    pytest.param(
        "FROM python:3.12 AS a\nRUN pip install django\nFROM a\nRUN pip install django\n",
        "FROM python:3.12 AS a\n"
        "# renovate: datasource=pypi depName=django\n"
        "ARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n'
        "FROM a\n"
        "# renovate: datasource=pypi depName=django\n"
        "ARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="each stage declares its own: ARGs do not cross FROM",
    ),
    pytest.param(
        "FROM python:3.12\n# hadolint ignore=DL3008\n# dockerfix: noqa: DFX001\nRUN pip install django\n",
        "FROM python:3.12\n"
        "# renovate: datasource=pypi depName=django\n"
        "ARG DJANGO_VERSION=4.2.7\n"
        "# hadolint ignore=DL3008\n# dockerfix: noqa: DFX001\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="above the comments right above the RUN (pragmas stay with it)",
    ),
    pytest.param(
        "FROM python:3.12\n# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\nRUN pip install django\n",
        "FROM python:3.12\n# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="an ARG of the same value is reused",
    ),
    pytest.param(
        "FROM python:3.12\nARG DJANGO_VERSION=4.2.7\nRUN pip install django\n",
        "FROM python:3.12\n# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="a reused ARG gets the comment Renovate needs",
    ),
    pytest.param(
        "ARG DJANGO_VERSION=4.2.7\nFROM python:3.12\nRUN pip install django\n",
        "# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\nFROM python:3.12\n"
        "ARG DJANGO_VERSION\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="a global ARG is re-declared in the stage",
    ),
    pytest.param(
        "ARG DJANGO_VERSION=4.2.7\nFROM python:3.12\nARG DJANGO_VERSION\nRUN pip install django\n",
        "# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\nFROM python:3.12\nARG DJANGO_VERSION\n"
        'RUN pip install "django==${DJANGO_VERSION}"\n',
        id="a global ARG the stage re-declares: the comment goes on the global one",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install -U pip zope.interface\n",
        "FROM python:3.12\n"
        "# renovate: datasource=pypi depName=pip\n"
        "ARG PYPI_PIP_VERSION=24.0\n"
        "# renovate: datasource=pypi depName=zope-interface\n"
        "ARG ZOPE_INTERFACE_VERSION=6.1\n"
        'RUN pip install -U "pip==${PYPI_PIP_VERSION}" "zope.interface==${ZOPE_INTERFACE_VERSION}"\n',
        id="PIP_VERSION would be read by pip: prefixed; dots become underscores",
    ),
    pytest.param(
        "FROM python:3.12\r\nRUN pip install six\r\n",
        "FROM python:3.12\r\n# renovate: datasource=pypi depName=six\r\nARG SIX_VERSION=1.16.0\r\n"
        'RUN pip install "six==${SIX_VERSION}"\r\n',
        id="CRLF file: CRLF lines",
    ),
    pytest.param(
        "FROM python:3.12\nRUN <<EOF\nset -e\npip install six\nEOF\n",
        "FROM python:3.12\n# renovate: datasource=pypi depName=six\nARG SIX_VERSION=1.16.0\n"
        'RUN <<EOF\nset -e\npip install "six==${SIX_VERSION}"\nEOF\n',
        id="heredoc: the shell expands it",
    ),
    pytest.param(
        "FROM python:3.12\nRUN apt-get update && \\\n    pip install django\n",
        "FROM python:3.12\n# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\n"
        'RUN apt-get update && \\\n    pip install "django==${DJANGO_VERSION}"\n',
        id="continuation lines",
    ),
]


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before, RENOVATE).text == after


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix_is_idempotent_and_the_arg_pin_is_accepted(before: str, after: str) -> None:
    assert fix(after, RENOVATE).text == after
    assert check(after, RENOVATE) == []  # `"django==${DJANGO_VERSION}"` is a pin DFX002 accepts


@pytest.mark.parametrize(("before", "after"), FIX)
def test_renovate_preset_finds_every_pin(before: str, after: str) -> None:
    """Renovate's regular expression, applied to the fixed file, finds each declared ARG
    with the package's name and the lock's version (CRLF: Renovate's `\\s` takes the `\\r`
    alone, so the preset does not match; LF files only)."""
    if "\r\n" in after:
        pytest.skip("the preset's `\\s(?:ENV|ARG)` wants one character between comment and ARG")
    declared = set(re.findall(r"depName=(\S+)", after))
    found = renovate_finds(after)
    assert set(found) == declared
    for package, (datasource, current) in found.items():
        assert (datasource, current) == ("pypi", PINS[package])


@pytest.mark.parametrize(("before", "after"), FIX)
def test_buildkit_sees_the_same_instructions_and_the_new_args(before: str, after: str) -> None:
    old, new = oracle_view(before), oracle_view(after)
    assert isinstance(old, list) and isinstance(new, list)
    kept = [(c[0], c[1], c[3], len(c[5])) for c in new if c[0] != "ARG"]
    assert kept == [(c[0], c[1], c[3], len(c[5])) for c in old if c[0] != "ARG"]
    assert {c[4] for c in old if c[0] == "ARG"} <= {c[4] for c in new if c[0] == "ARG"}


INLINE = [
    pytest.param(
        'FROM python:3.12\nRUN ["pip", "install", "six"]\n',
        'FROM python:3.12\nRUN ["pip", "install", "six==1.16.0"]\n',
        "exec form runs no shell",
        id="exec form",
    ),
    pytest.param(
        "FROM python:3.12\nONBUILD RUN pip install six\n",
        "FROM python:3.12\nONBUILD RUN pip install six==1.16.0\n",
        "ONBUILD RUN runs in another build",
        id="ONBUILD",
    ),
    pytest.param(
        "FROM python:3.12\nRUN sh -c 'pip install six'\n",
        "FROM python:3.12\nRUN sh -c 'pip install six==1.16.0'\n",
        "inside a `sh -c` string",
        id="sh -c string",
    ),
]


@pytest.mark.parametrize(("before", "after", "why"), INLINE)
def test_inline_where_an_arg_would_not_be_expanded(before: str, after: str, why: str) -> None:
    (finding,) = check(before, RENOVATE)
    assert any("pinned inline, not with an ARG" in n and why in n for n in finding.notes), finding.notes
    assert fix(before, RENOVATE).text == after


UNFIXED = [
    pytest.param(
        "FROM python:3.12\nARG DJANGO_VERSION=4.1\nRUN pip install django\n",
        "`ARG DJANGO_VERSION` exists with the value `4.1`, not 4.2.7; it is left as it is",
        id="an ARG of another value",
    ),
    pytest.param(
        "FROM python:3.12\nARG DJANGO_VERSION\nRUN pip install django\n",
        "`ARG DJANGO_VERSION` exists with no value, not 4.2.7",
        id="an ARG without a value (a build argument)",
    ),
    pytest.param(
        "ARG DJANGO_VERSION=4\nFROM python:3.12\nRUN pip install django\n",
        "the global `ARG DJANGO_VERSION` has the value `4`, not 4.2.7",
        id="a global ARG of another value",
    ),
    pytest.param(
        "FROM python:3.12\nENV DJANGO_VERSION=4.2.7\nRUN pip install django\n",
        "set by an ENV of this stage",
        id="an ENV of that name",
    ),
    pytest.param(
        "FROM python:3.12\nRUN export DJANGO_VERSION=4 && pip install django\n",
        "set in this RUN (`export` or an assignment)",
        id="an export in the RUN",
    ),
    pytest.param(
        "FROM python:3.12\nRUN pip install django\nARG DJANGO_VERSION=4.2.7\n",
        "declared later in this stage",
        id="declared after the RUN",
    ),
]


@pytest.mark.parametrize(("text", "why"), UNFIXED)
def test_a_name_taken_otherwise_is_not_fixed(text: str, why: str) -> None:
    (finding,) = check(text, RENOVATE)
    assert finding.fix is None
    assert any(why in n for n in finding.notes), finding.notes
    assert fix(text, RENOVATE).text == text


def test_a_range_outside_the_lock_is_not_fixed_in_either_style() -> None:
    text = "FROM python:3.12\nRUN pip install 'django<4'\n"
    assert fix(text, RENOVATE).text == text


def test_redirection_fix_stays_unsafe() -> None:
    text = "FROM python:3.12\nRUN pip install django>=4\n"
    assert fix(text, RENOVATE).text == text
    fixed = fix(text, Settings(select=["DFX002"], pins=PINS, pin_style="renovate", unsafe_fixes=True)).text
    assert fixed.endswith('RUN pip install "django==${DJANGO_VERSION}"\n')


def test_with_dfx001_both_fixes_apply() -> None:
    text = "FROM python:3.12\nRUN pip install django\n"
    assert fix(text, Settings(pins=PINS, pin_style="renovate")).text == (
        "FROM python:3.12\n# renovate: datasource=pypi depName=django\nARG DJANGO_VERSION=4.2.7\n"
        'RUN pip install --no-cache-dir "django==${DJANGO_VERSION}"\n'
    )


@pytest.mark.parametrize(
    ("package", "name"),
    [
        pytest.param("django", "DJANGO_VERSION", id="upper case"),
        pytest.param("flask-login", "FLASK_LOGIN_VERSION", id="- to _"),
        pytest.param("zope.interface", "ZOPE_INTERFACE_VERSION", id=". to _"),
        pytest.param("2to3", "PYPI_2TO3_VERSION", id="a leading digit: not a shell name"),
        pytest.param("pip", "PYPI_PIP_VERSION", id="PIP_VERSION: pip reads PIP_* variables"),
        pytest.param("uv", "PYPI_UV_VERSION", id="UV_VERSION: uv reads UV_* variables"),
    ],
)
def test_arg_name(package: str, name: str) -> None:
    assert arg_name(package) == name
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)  # a POSIX shell name, so ${NAME} expands
    assert re.fullmatch(r"[A-Za-z0-9_]+?_VERSION", name)  # what the preset's ARG part accepts


def test_the_preset_regex_is_renovates_own_test_case() -> None:
    """The translation reads Renovate's own spec example as Renovate does
    (lib/config/presets/internal/custom-managers.spec.ts)."""
    text = '# renovate: datasource=npm depName=pnpm\nENV PNPM_VERSION="7.25.1"\n\n# renovate: datasource=docker depName=node versioning=docker\nARG NODE_VERSION=18\n\n'
    assert renovate_finds(text) == {"pnpm": ("npm", "7.25.1"), "node": ("docker", "18")}


def test_two_packages_with_one_arg_name_fix_only_the_first() -> None:
    settings = Settings(select=["DFX002"], pins={**PINS, "pypi-pip": "1.0"}, pin_style="renovate")
    text = "FROM python:3.12\nRUN pip install pip pypi-pip\n"
    first, second = check(text, settings)
    assert first.fix is not None
    assert second.fix is None
    assert any("`PYPI_PIP_VERSION` is already used for another package" in n for n in second.notes)


def test_crlf_files_get_a_note_that_renovate_will_not_find_the_arg() -> None:
    (finding,) = check("FROM python:3.12\r\nRUN pip install six\r\n", RENOVATE)
    assert finding.fix is not None
    assert any("end in CRLF, so Renovate will not find this ARG" in n for n in finding.notes)


def _renovate_cli() -> str | None:
    """The Renovate CLI to run: ``$DOCKERFIX_RENOVATE`` or ``renovate`` on PATH."""
    import shutil

    return os.environ.get("DOCKERFIX_RENOVATE") or shutil.which("renovate")


def test_the_real_renovate_cli_extracts_every_pin(tmp_path: Path) -> None:
    """Renovate itself (``--platform=local --dry-run=extract``: offline, nothing written)
    reads every fixed file of ``FIX`` and finds each declared version. Needs the CLI (npm
    ``renovate``; checked with 39.264.1, whose preset is the one quoted above): set
    ``DOCKERFIX_RENOVATE`` to its path."""
    cli = _renovate_cli()
    if cli is None:
        pytest.skip("the Renovate CLI is not installed (npm install renovate; DOCKERFIX_RENOVATE=path)")
    expected: dict[str, dict[str, str]] = {}
    for index, case in enumerate(FIX):
        before, _ = case.values
        after = fix(before, RENOVATE).text
        if "\r\n" in after:
            continue
        (tmp_path / f"Dockerfile.{index}").write_text(after)
        declared = re.findall(r"depName=(\S+)", after)
        expected[f"Dockerfile.{index}"] = {p: PINS[p] for p in declared}
    (tmp_path / "renovate.json").write_text('{"extends": ["customManagers:dockerfileVersions"]}\n')
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "fixed"], cwd=tmp_path, check=True)
    env = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "debug"}
    args = [cli, "--platform=local", "--dry-run=extract", "--onboarding=false", "--require-config=optional"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    found: dict[str, dict[str, str]] = {}
    for line in result.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        for package_file in record.get("packageFiles", {}).get("regex", []):
            deps = {d["depName"]: d["currentValue"] for d in package_file["deps"] if d.get("datasource") == "pypi"}
            found.setdefault(package_file["packageFile"], {}).update(deps)
    assert len([deps for deps in expected.values() if deps]) >= 10
    assert {name: deps for name, deps in found.items() if deps} == {name: deps for name, deps in expected.items() if deps}
