"""``--pin-from`` with the lock files of other tools (``dockerfix.tools.locks``), each tested on a
file the tool generated itself (tests/fixtures/locks/README.md says how), and ``pin-from =
"auto"`` (``dockerfix.fix.lockfind``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.tools.locks import kind_of
from dockerfix.fix.pins import PinFileError, load

LOCKS = Path(__file__).parent / "fixtures" / "locks"
# The tools' fixture project: urllib3, certifi, six and a tomli pinned per Python version
# (two versions, markers). uv, Poetry and PEP 751 keep both tomli versions and urllib3's
# resolution fork (one version for Python < 3.10, one for the rest).
FORKED = {"tomli": ["2.0.1", "2.2.1"], "urllib3": ["2.6.3", "2.8.0"]}


@pytest.mark.parametrize(
    ("path", "versions", "conflicts"),
    [
        pytest.param(
            "uv/uv.lock",
            {"certifi": "2026.10.19.post1", "six": "1.17.0"},
            FORKED,
            id="uv lock: the project (virtual) and an editable path source give no pin; forks none",
        ),
        pytest.param(
            "uv/pylock.toml",
            {"certifi": "2026.10.19.post1", "six": "1.17.0"},
            FORKED,
            id="PEP 751 (uv export): a directory entry has no version; markers give none",
        ),
        pytest.param(
            "poetry/poetry.lock", {"certifi": "2026.10.19.post1", "six": "1.17.0"}, FORKED, id="poetry lock"
        ),
        pytest.param(
            "pdm/pdm.lock",
            {"certifi": "2026.10.19.post1", "six": "1.17.0", "tomli": "2.5.0", "urllib3": "2.6.3"},
            {},
            id="pdm lock",
        ),
        pytest.param(
            "pipenv/Pipfile.lock",
            {"certifi": "2026.10.19.post1", "six": "1.17.0", "urllib3": "2.8.0", "iniconfig": "2.3.1"},
            {},
            id="pipenv lock: default and develop; tomli '*' (not resolved for 3.11) is no pin",
        ),
        pytest.param(
            "conda/environment.yml",
            {"django": "4.2.7", "flask": "2.3.2", "sqlparse": "0.4.4"},
            {},
            id="conda: the pip list only, -r followed, ranges and conda specs give none",
        ),
    ],
)
def test_each_format_from_the_tools_own_output(path: str, versions: dict[str, str], conflicts: dict[str, list[str]]) -> None:
    pins = load([LOCKS / path])
    assert pins.versions == versions
    assert pins.conflicts == conflicts


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("pylock.toml", "pylock", id="pylock.toml"),
        pytest.param("pylock.dev.toml", "pylock", id="pylock.NAME.toml"),
        pytest.param("pylock.a.b.toml", None, id="PEP 751: the name part has no dot"),
        pytest.param("uv.lock", "uv", id="uv.lock"),
        pytest.param("poetry.lock", "poetry", id="poetry.lock"),
        pytest.param("pdm.lock", "pdm", id="pdm.lock"),
        pytest.param("Pipfile.lock", "pipfile", id="Pipfile.lock"),
        pytest.param("environment.yml", "conda", id="environment.yml"),
        pytest.param("environment.yaml", "conda", id="environment.yaml"),
        pytest.param("requirements.txt", None, id="requirements: as before"),
        pytest.param("my.lock", None, id="any other name: requirements"),
    ],
)
def test_format_is_chosen_by_file_name(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("uv.lock", "[metadata]\nlock-version = '2.1'\n", r"uv\.lock: not a uv lock file", id="uv.lock with poetry content"),
        pytest.param("uv.lock", "version = 2\n", r"uv\.lock: version 2: only uv lock version 1", id="uv lock version 2"),
        pytest.param("uv.lock", "version = 1\n[[package]]\nversion = '1'\n", r"uv\.lock: package\[0\]: no `name`", id="uv: a package without a name"),
        pytest.param("uv.lock", "version = 1\n\n[[package]\nname = 'a'\n", r"uv\.lock:3: not valid TOML", id="TOML syntax error names the line"),
        pytest.param("poetry.lock", "version = 1\n", r"poetry\.lock: not a Poetry lock file", id="poetry.lock without metadata"),
        pytest.param("pdm.lock", "[metadata]\nlock-version = '1'\n", r"pdm\.lock: not a PDM lock file", id="pdm.lock with poetry's key"),
        pytest.param(
            "pdm.lock",
            "[metadata]\nlock_version = '4.5'\n[[package]]\nname = 'a'\nversion = 'one'\n",
            r"pdm\.lock: package\[0\]\.version: 'one' is not a PEP 440 version",
            id="a bad version names its key",
        ),
        pytest.param("pylock.toml", "[[packages]]\nname = 'a'\n", r"pylock\.toml: not a PEP 751 lock file", id="pylock without lock-version"),
        pytest.param("pylock.toml", "lock-version = '2.0'\n", r"only version 1\.x", id="pylock 2.0"),
        pytest.param("pylock.toml", "lock-version = '1.0'\npackages = 3\n", r"`packages` must be an array of tables", id="pylock packages not tables"),
        pytest.param("Pipfile.lock", '{"default": {}}', r"Pipfile\.lock: not a Pipfile\.lock: no `_meta`", id="Pipfile.lock without _meta"),
        pytest.param("Pipfile.lock", '{\n"_meta": {},\n"default": {\n}}}', r"Pipfile\.lock:4: not valid JSON", id="JSON syntax error names the line"),
        pytest.param("Pipfile.lock", '{"_meta": {}, "default": {"a": {"version": 1}}}', r"`default\.a\.version` must be a string", id="Pipfile.lock version not a string"),
        pytest.param("environment.yml", "name: x\n", r"environment\.yml: not a conda environment file", id="conda without dependencies"),
        pytest.param("environment.yml", "dependencies: [python, pip]\n", r"environment\.yml:1: `dependencies` must be a block list", id="conda flow list"),
        pytest.param("environment.yml", "dependencies:\n  - &x python\n", r"environment\.yml:2: cannot read '&x python'", id="conda anchor"),
        pytest.param("environment.yml", "dependencies:\n  - pip:\n    - django==1\n     - b\n", r"environment\.yml:4: cannot read this line of the `pip:` list", id="conda misindented pip item"),
        pytest.param("environment.yml", "dependencies:\n\t- python\n", r"environment\.yml:2: a tab", id="conda tab"),
        pytest.param("environment.yml", "dependencies:\n  - python\n    continued\n", r"environment\.yml:3: cannot read this line of `dependencies`", id="conda multi-line scalar"),
        pytest.param("environment.yml", "dependencies:\n  - pip:\n    - not a requirement!\n", r"environment\.yml:3: not a requirement", id="conda bad pip line names the line"),
    ],
)
def test_a_malformed_lock_is_an_error_naming_file_and_place(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PinFileError, match=message):
        load([path])


def test_deeply_nested_toml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text("version = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(PinFileError, match=r"uv\.lock: not readable: its TOML is nested too deeply"):
        load([path])


def test_deeply_nested_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.lock"
    path.write_text('{"_meta": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(PinFileError, match=r"Pipfile\.lock: not readable: its JSON is nested too deeply"):
        load([path])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("uv.lock", "version = " + "9" * 5000 + "\n", id="TOML"),
        pytest.param("Pipfile.lock", '{"_meta": ' + "9" * 5000 + "}", id="JSON"),
    ],
)
def test_an_integer_too_long_to_convert_is_a_clear_error(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PinFileError, match=rf"{name.replace('.', '[.]')}: not readable: Exceeds the limit"):
        load([path])


def test_sources_that_are_not_an_index_give_no_pin(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text(
        "[[package]]\nname = 'a'\nversion = '1.0'\n[package.source]\ntype = 'git'\nurl = 'https://x'\n"
        "[[package]]\nname = 'b'\nversion = '2.0'\n[package.source]\ntype = 'legacy'\nurl = 'https://i'\n"
        "[metadata]\nlock-version = '2.1'\n"
    )
    (tmp_path / "pdm.lock").write_text(
        "[metadata]\nlock_version = '4.5'\n[[package]]\nname = 'c'\nversion = '1'\ngit = 'https://x'\n"
    )
    (tmp_path / "Pipfile.lock").write_text(json.dumps({"_meta": {}, "default": {"d": {"git": "https://x", "ref": "abc"}}}))
    assert load([tmp_path / "poetry.lock", tmp_path / "pdm.lock", tmp_path / "Pipfile.lock"]).versions == {"b": "2.0"}


def test_a_name_locked_twice_with_one_version_is_a_pin(tmp_path: Path) -> None:
    (tmp_path / "pylock.toml").write_text(
        "lock-version = '1.0'\n[[packages]]\nname = 'a'\nversion = '1'\nmarker = 'os_name == \"nt\"'\n"
        "[[packages]]\nname = 'A'\nversion = '1'\nmarker = 'os_name != \"nt\"'\n"
    )
    assert load([tmp_path / "pylock.toml"]).versions == {"a": "1"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_cli_a_forked_name_is_reported_with_its_versions(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six tomli\n")
    result = run("--diff", "--pin-from", str(LOCKS / "uv" / "uv.lock"), "Dockerfile", cwd=tmp_path)
    assert "+RUN pip install --no-cache-dir six==1.17.0 tomli\n" in result.stdout
    result = run("--pin-from", str(LOCKS / "uv" / "uv.lock"), "Dockerfile", cwd=tmp_path)
    assert "the --pin-from files pin `tomli` to several versions (2.0.1, 2.2.1)" in result.stdout


def test_config_pin_from_takes_a_list_of_any_format(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six iniconfig django\n")
    locks = [str(LOCKS / "poetry" / "poetry.lock"), str(LOCKS / "pipenv" / "Pipfile.lock"), str(LOCKS / "pip-freeze.txt")]
    (tmp_path / ".dockerfix.toml").write_text(f"pin-from = {json.dumps(locks)}\n")
    result = run("--diff", "Dockerfile", cwd=tmp_path)
    assert "+RUN pip install --no-cache-dir six==1.17.0 iniconfig==2.3.1 django==4.2.7\n" in result.stdout


def test_cli_a_malformed_lock_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    original = "FROM python:3.12\nRUN pip install django\n"
    (tmp_path / "Dockerfile").write_text(original)
    (tmp_path / "uv.lock").write_text("version = 1\n[[package]\n")
    result = run("--write", "--pin-from", "uv.lock", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 2
    assert "uv.lock:2: not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "Dockerfile").read_text() == original


# -- pin-from = "auto" ---------------------------------------------------------------------------


def test_auto_finds_the_closest_lock_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    service = repo / "services" / "api"
    service.mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "uv.lock").write_text((LOCKS / "uv" / "uv.lock").read_text())
    (tmp_path / "requirements.txt").write_text("six==0.1\n")  # outside the repository: never read
    (service / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six\n")
    (repo / ".dockerfix.toml").write_text('pin-from = "auto"\n')
    result = run("--diff", "-v", "services/api/Dockerfile", cwd=repo)
    assert "+RUN pip install --no-cache-dir six==1.17.0\n" in result.stdout
    assert "services/api/Dockerfile: pin-from auto: uv.lock" in result.stderr


def test_auto_prefers_the_closest_directory_and_a_tools_lock(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "poetry.lock").write_text((LOCKS / "poetry" / "poetry.lock").read_text())
    sub = tmp_path / "app"
    sub.mkdir()
    (sub / "requirements.txt").write_text("six==1.15.0\n")
    (sub / "Pipfile.lock").write_text((LOCKS / "pipenv" / "Pipfile.lock").read_text())
    (sub / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six iniconfig\n")
    result = run("--diff", "-v", "--pin-from", "auto", "app/Dockerfile", cwd=tmp_path)
    assert "+RUN pip install --no-cache-dir six==1.17.0 iniconfig==2.3.1\n" in result.stdout
    assert "app/Dockerfile: pin-from auto: app/Pipfile.lock" in result.stderr


def test_auto_without_a_lock_pins_nothing_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six\n")
    result = run("-v", "--pin-from", "auto", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 1
    assert "Dockerfile: pin-from auto: no lock file found" in result.stderr
    assert "[*]" not in result.stdout


def test_pin_style_renovate_from_the_command_line_and_config(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir six\n")
    expected = (
        "+# renovate: datasource=pypi depName=six\n+ARG SIX_VERSION=1.17.0\n"
        '+RUN pip install --no-cache-dir "six==${SIX_VERSION}"\n'
    )
    lock = str(LOCKS / "pdm" / "pdm.lock")
    assert expected in run("--diff", "--pin-style", "renovate", "--pin-from", lock, "Dockerfile", cwd=tmp_path).stdout
    (tmp_path / ".dockerfix.toml").write_text(f'pin-style = "renovate"\npin-from = [{json.dumps(lock)}]\n')
    assert expected in run("--diff", "Dockerfile", cwd=tmp_path).stdout
    (tmp_path / ".dockerfix.toml").write_text('pin-style = "bot"\n')
    result = run("Dockerfile", cwd=tmp_path)
    assert result.returncode == 2
    assert "'pin-style' must be 'inline' or 'renovate'" in result.stderr


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param(
            "name: x\ndependencies:\n# c\n- python=3.11\n- pip\n- pip:\n  - a==1  # x\n  - \"b==2\"\nchannels:\n- x\n",
            [(7, "a==1"), (8, "b==2")],
            id="items at the key's indent; comments; quoted item; a later key ends the list",
        ),
        pytest.param("dependencies:\r\n  - pip:\r\n      - a==1\r\n  - numpy\r\n", [(3, "a==1")], id="CRLF; conda items after pip"),
        pytest.param("---\ndependencies:\n  - pip:\n", [], id="document marker; empty pip list"),
        pytest.param("dependencies:\n  - python\nvariables:\n  X: |\n    anything: [goes\n", [], id="other keys are skipped unread"),
    ],
)
def test_conda_pip_list(text: str, lines: list[tuple[int, str]]) -> None:
    from dockerfix.tools.locks.conda import pip_lines

    assert pip_lines(text, "environment.yml") == lines
