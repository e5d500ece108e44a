"""Configuration files: which one a Dockerfile uses, what it may say, how the CLI overrides it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfix.cli.config import Overrides, Resolver
from dockerfix.cli.config_file import ConfigError, load, may_hold_our_table

# Pinned, so that only DFX001 (and DFX000) speak in these cases.
DOCKERFILE = "FROM python:3.12\nRUN pip install flask==2.3.2\n"
FIXED = "FROM python:3.12\nRUN pip install --no-cache-dir flask==2.3.2\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=env
    )


ROOT_IGNORES = {".dockerfix.toml": 'ignore = ["DFX001"]\n'}

# (config files on disk, CLI overrides, resolver options, Dockerfile, expected (select, ignore))
RESOLUTION = [
    pytest.param({}, {}, {}, "Dockerfile", (None, ()), id="no-config-defaults"),
    pytest.param(ROOT_IGNORES, {}, {}, "a/b/Dockerfile", (None, ("DFX001",)), id="parent-config-applies-below"),
    pytest.param(
        {**ROOT_IGNORES, "a/.dockerfix.toml": 'select = ["DFX000"]\n'}, {}, {}, "a/Dockerfile", (("DFX000",), ()),
        id="nearest-wins-whole-not-merged",
    ),
    pytest.param(
        {**ROOT_IGNORES, "a/.dockerfix.toml": 'select = ["DFX000"]\n'}, {}, {}, "Dockerfile", (None, ("DFX001",)),
        id="nearest-is-per-file",
    ),
    pytest.param(
        {"a/.dockerfix.toml": 'ignore = ["DFX000"]\n', "a/pyproject.toml": '[tool.dockerfix]\nignore = ["DFX001"]\n'},
        {}, {}, "a/Dockerfile", (None, ("DFX000",)),
        id="dotfile-beats-pyproject-in-one-directory",
    ),
    pytest.param(
        {**ROOT_IGNORES, "a/pyproject.toml": '[project]\nname = "x"\n'}, {}, {}, "a/Dockerfile", (None, ("DFX001",)),
        id="pyproject-without-table-does-not-count",
    ),
    pytest.param(
        {"pyproject.toml": '[tool.dockerfix]\nselect = ["dfx0"]\n'}, {}, {}, "Dockerfile", (("DFX0",), ()),
        id="pyproject-table-codes-uppercased",
    ),
    pytest.param({".dockerfix.toml": 'select = ["ALL"]\n'}, {}, {}, "Dockerfile", (None, ()), id="select-all"),
    pytest.param(
        {**ROOT_IGNORES, "a/.dockerfix.toml": 'select = ["DFX000"]\n', "ci.toml": 'ignore = ["DFX000"]\n'},
        {}, {"config_file": "ci.toml"}, "a/Dockerfile", (None, ("DFX000",)),
        id="config-flag-used-for-every-file",
    ),
    pytest.param(
        {**ROOT_IGNORES, "a/.dockerfix.toml": 'select = ["DFX000"]\n'}, {}, {"isolated": True}, "a/Dockerfile", (None, ()),
        id="isolated-ignores-all-files",
    ),
    pytest.param(ROOT_IGNORES, {"select": ("DFX0",)}, {}, "Dockerfile", (("DFX0",), ()), id="cli-select-replaces-select-and-ignore"),
    pytest.param(ROOT_IGNORES, {"ignore": ("DFX000",)}, {}, "Dockerfile", (None, ("DFX001", "DFX000")), id="cli-ignore-adds"),
    pytest.param(
        {".dockerfix.toml": '[per-file-ignores]\n"*.Dockerfile" = ["DFX001"]\n'}, {}, {}, "x/api.Dockerfile", (None, ("DFX001",)),
        id="per-file-ignores-by-name-anywhere",
    ),
    pytest.param(
        {".dockerfix.toml": '[per-file-ignores]\n"legacy/*" = ["DFX001"]\n'}, {}, {}, "legacy/old/Dockerfile", (None, ("DFX001",)),
        id="per-file-ignores-by-relative-path",
    ),
    pytest.param(
        {".dockerfix.toml": '[per-file-ignores]\n"legacy/*" = ["DFX001"]\n'}, {}, {}, "app/legacy/Dockerfile", (None, ()),
        id="per-file-ignores-relative-to-config-not-anywhere",
    ),
    pytest.param(
        {"svc/.dockerfix.toml": '[per-file-ignores]\n"legacy/*" = ["DFX001"]\n'}, {}, {}, "svc/legacy/Dockerfile", (None, ("DFX001",)),
        id="per-file-ignores-relative-to-config-directory",
    ),
    pytest.param(
        {".dockerfix.toml": '[per-file-ignores]\n"!prod/*" = ["DFX001"]\n'}, {}, {}, "dev/Dockerfile", (None, ("DFX001",)),
        id="per-file-ignores-negated-applies-elsewhere",
    ),
    pytest.param(
        {".dockerfix.toml": '[per-file-ignores]\n"!prod/*" = ["DFX001"]\n'}, {}, {}, "prod/Dockerfile", (None, ()),
        id="per-file-ignores-negated-not-on-match",
    ),
    pytest.param(
        {".dockerfix.toml": 'ignore = ["DFX000"]\n[per-file-ignores]\n"Dockerfile" = ["DFX001"]\n'},
        {"select": ("DFX",)}, {}, "Dockerfile", (("DFX",), ("DFX001",)),
        id="per-file-ignores-survive-cli-select",
    ),
]


@pytest.mark.parametrize(("files", "overrides", "options", "target", "expected"), RESOLUTION)
def test_resolution(
    chdir: Path, files: dict[str, str], overrides: dict[str, object], options: dict[str, object], target: str,
    expected: tuple[object, object],
) -> None:
    _tree(chdir, files)
    settings = Resolver(Overrides(**overrides), **options).settings_for(target)  # type: ignore[arg-type]
    select = None if settings.select is None else tuple(settings.select)
    assert (select, tuple(settings.ignore)) == expected


# (configuration, CLI overrides, setting, expected value)
VALUES = [
    pytest.param("", {}, "unsafe_fixes", False, id="unsafe-fixes-default"),
    pytest.param("unsafe-fixes = true", {}, "unsafe_fixes", True, id="unsafe-fixes-from-file"),
    pytest.param("unsafe-fixes = true", {"unsafe_fixes": False}, "unsafe_fixes", False, id="unsafe-fixes-cli-wins"),
    pytest.param("", {}, "fix_strategy", "flag", id="fix-strategy-default"),
    pytest.param('fix-strategy = "cache-mount"', {}, "fix_strategy", "cache-mount", id="fix-strategy-from-file"),
    pytest.param('fix-strategy = "cache-mount"', {"fix_strategy": "flag"}, "fix_strategy", "flag", id="fix-strategy-cli-wins"),
    pytest.param("add-syntax-directive = true", {}, "add_syntax_directive", True, id="add-syntax-directive-from-file"),
]


@pytest.mark.parametrize(("text", "overrides", "attribute", "expected"), VALUES)
def test_values(chdir: Path, text: str, overrides: dict[str, object], attribute: str, expected: object) -> None:
    _tree(chdir, {".dockerfix.toml": text + "\n"})
    settings = Resolver(Overrides(**overrides)).settings_for("Dockerfile")  # type: ignore[arg-type]
    assert getattr(settings, attribute) == expected


def test_pin_from_is_relative_to_the_config_file(chdir: Path) -> None:
    _tree(chdir, {"svc/.dockerfix.toml": 'pin-from = ["locks/requirements.txt"]\n', "svc/locks/requirements.txt": "Flask==3.0.2\n"})
    assert dict(Resolver().settings_for("svc/Dockerfile").pins) == {"flask": "3.0.2"}


def test_cli_pin_from_replaces_the_files(chdir: Path) -> None:
    _tree(chdir, {".dockerfix.toml": 'pin-from = ["a.txt"]\n', "a.txt": "flask==1\n", "b.txt": "flask==2\n"})
    assert dict(Resolver(Overrides(pin_from=("b.txt",))).settings_for("Dockerfile").pins) == {"flask": "2"}


def test_config_files_are_read_once(chdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(chdir, {".dockerfix.toml": 'ignore = ["DFX001"]\n', "a/pyproject.toml": "[project]\n"})
    import dockerfix.cli.config as config

    reads: list[str] = []
    real_load = config.load
    monkeypatch.setattr(config, "load", lambda path, **kw: reads.append(path) or real_load(path, **kw))
    resolver = Resolver()
    settings = {id(resolver.settings_for(f"a/{i}/Dockerfile")) for i in range(50)}
    assert len(settings) == 1  # one Settings object shared by every file with the same configuration
    assert sorted(Path(p).name for p in reads) == [".dockerfix.toml", "pyproject.toml"]


# (file name, content, expected error after "<file>: ")
ERRORS = [
    pytest.param(".dockerfix.toml", "selct = []\n", "unknown key 'selct'; did you mean 'select'?", id="unknown-key-with-hint"),
    pytest.param(".dockerfix.toml", "colour = true\n", "unknown key 'colour' (known keys: add-syntax-directive, ", id="unknown-key-lists-known"),
    pytest.param("pyproject.toml", "[tool.dockerfix]\nfoo = 1\n", "unknown key 'foo' in [tool.dockerfix]", id="unknown-key-pyproject"),
    pytest.param("pyproject.toml", "[tool.dockerfix.lint]\nselect = []\n", "unknown key 'lint' in [tool.dockerfix]", id="unknown-subtable"),
    pytest.param(".dockerfix.toml", 'select = "DFX001"\n', "'select' must be a list of strings, not str 'DFX001'", id="codes-not-a-list"),
    pytest.param(".dockerfix.toml", "ignore = [1]\n", "'ignore' must be a list of strings, not list [1]", id="codes-not-strings"),
    pytest.param(".dockerfix.toml", 'unsafe-fixes = "yes"\n', "'unsafe-fixes' must be true or false, not str 'yes'", id="bool"),
    pytest.param(".dockerfix.toml", 'fix-strategy = "mount"\n', "'fix-strategy' must be 'flag' or 'cache-mount'", id="fix-strategy-choice"),
    pytest.param(".dockerfix.toml", 'exclude = "vendor"\n', "'exclude' must be a list of strings", id="exclude-not-a-list"),
    pytest.param(".dockerfix.toml", 'per-file-ignores = ["x"]\n', "'per-file-ignores' must be a table of glob", id="per-file-not-a-table"),
    pytest.param(".dockerfix.toml", '[per-file-ignores]\n"x" = "DFX001"\n', "must be a table of glob = [\"CODE\", ...] (see 'x')", id="per-file-codes-not-a-list"),
    pytest.param("pyproject.toml", "[tool]\ndockerfix = 1\n", "[tool.dockerfix] must be a table", id="table-not-a-table"),
    pytest.param(".dockerfix.toml", "select = [\n", "invalid TOML: ", id="invalid-toml"),
    pytest.param(".dockerfix.toml", 'pin-from = ["missing.txt"]\n', "cannot read pin file", id="pin-from-missing"),
]


@pytest.mark.parametrize(("name", "text", "message"), ERRORS)
def test_errors_name_the_file(chdir: Path, name: str, text: str, message: str) -> None:
    _tree(chdir, {f"svc/{name}": text})
    with pytest.raises(ConfigError) as error:
        Resolver().settings_for("svc/Dockerfile")
    assert str(error.value).startswith(f"svc/{name}: ") or f"(pin-from in svc/{name})" in str(error.value)
    assert message in str(error.value)


# A pyproject.toml is parsed only when it names dockerfix: every TOML spelling of the table
# must pass this check, or its settings would be silently ignored.
@pytest.mark.parametrize(
    ("text", "may"),
    [
        pytest.param("[tool.dockerfix]\nselect = []\n", True, id="table"),
        pytest.param("[ tool . dockerfix ]\n", True, id="table-spaced"),
        pytest.param('["tool"."dockerfix"]\n', True, id="table-quoted"),
        pytest.param("[tool.dockerfix.per-file-ignores]\n", True, id="subtable"),
        pytest.param("tool.dockerfix.select = []\n", True, id="dotted-key"),
        pytest.param("[tool]\ndockerfix = { select = [] }\n", True, id="tool-table"),
        pytest.param("tool = { dockerfix = { select = [] } }\n", True, id="inline-table"),
        pytest.param('[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n', False, id="other-tools"),
        pytest.param('[project]\nname = "dockerfix"\n[tool.setuptools]\n', True, id="names-dockerfix: parsed"),
        pytest.param("[project]\ndependencies = [\n", False, id="broken-toml-not-ours"),
    ],
)
def test_pyproject_may_hold_our_table(text: str, may: bool) -> None:
    assert may_hold_our_table(text.encode()) is may


def test_a_pyproject_that_cannot_configure_us_is_not_parsed(chdir: Path) -> None:
    # Broken TOML that is not ours is pip's problem, not a reason to stop a dockerfix run.
    _tree(chdir, {"pyproject.toml": "[project]\ndependencies = [\n", "Dockerfile": "FROM x\n"})
    assert Resolver().settings_for("Dockerfile") is not None
    _tree(chdir, {"pyproject.toml": "[tool.dockerfix]\nselect = [\n"})
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        Resolver().settings_for("Dockerfile")


@pytest.mark.parametrize(
    ("files", "option", "message"),
    [
        pytest.param({}, "missing.toml", "missing.toml: cannot read configuration: No such file or directory", id="missing"),
        pytest.param({"pyproject.toml": "[project]\n"}, "pyproject.toml", "pyproject.toml: no [tool.dockerfix] table", id="pyproject-without-table"),
    ],
)
def test_config_flag_errors(chdir: Path, files: dict[str, str], option: str, message: str) -> None:
    _tree(chdir, files)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Resolver(config_file=option)


def test_config_flag_paths_are_relative_to_the_file(chdir: Path) -> None:
    _tree(chdir, {"ci/dockerfix.toml": 'pin-from = ["lock.txt"]\n', "ci/lock.txt": "flask==1\n"})
    assert load("ci/dockerfix.toml", explicit=True).pin_from == (str(chdir / "ci" / "lock.txt"),)  # type: ignore[union-attr]


# -- the command line


def test_unknown_key_stops_the_run_before_any_file_is_touched(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, "svc/Dockerfile": DOCKERFILE, "svc/pyproject.toml": "[tool.dockerfix]\nfoo = 1\n"})
    result = run("--write", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("dockerfix: error: svc/pyproject.toml: unknown key 'foo' in [tool.dockerfix]")
    assert (tmp_path / "Dockerfile").read_text() == DOCKERFILE


def test_settings_differ_per_directory(tmp_path: Path) -> None:
    _tree(tmp_path, {"a/Dockerfile": DOCKERFILE, "b/Dockerfile": DOCKERFILE, "b/.dockerfix.toml": 'ignore = ["DFX001"]\n'})
    result = run(".", cwd=tmp_path)
    assert result.stdout.startswith("a/Dockerfile:2:5: DFX001")
    assert "b/Dockerfile" not in result.stdout


@pytest.mark.parametrize(
    ("config", "args", "code"),
    [
        pytest.param('ignore = ["DFX001"]', [], 0, id="file-ignores"),
        pytest.param('ignore = ["DFX001"]', ["--select", "DFX001"], 1, id="cli-select-wins"),
        pytest.param('ignore = ["DFX001"]', ["--isolated"], 1, id="isolated"),
        pytest.param("foo = 1", ["--isolated"], 1, id="isolated-does-not-read-broken-file"),
        pytest.param("", ["--config", "other.toml"], 0, id="config-flag"),
        pytest.param("", ["--config", "other.toml", "--isolated"], 2, id="config-and-isolated"),
    ],
)
def test_cli_exit_codes(tmp_path: Path, config: str, args: list[str], code: int) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, ".dockerfix.toml": config + "\n", "other.toml": 'ignore = ["DFX"]\n'})
    assert run(*args, "Dockerfile", cwd=tmp_path).returncode == code


def test_output_format_from_config(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, "pyproject.toml": '[tool.dockerfix]\noutput-format = "json"\n'})
    [item] = json.loads(run("Dockerfile", cwd=tmp_path).stdout)
    assert item["code"] == "DFX001"
    assert run("--output-format", "text", "Dockerfile", cwd=tmp_path).stdout.startswith("Dockerfile:2:5: DFX001")


def test_output_format_unknown_in_config(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, ".dockerfix.toml": 'output-format = "xml"\n'})
    result = run("Dockerfile", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("dockerfix: error: .dockerfix.toml: 'output-format' must be one of text, ")
    assert "not 'xml'" in result.stderr


def test_show_settings(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "svc/Dockerfile": DOCKERFILE,
        "svc/.dockerfix.toml": (
            'select = ["DFX000", "DFX001"]\nignore = ["DFX000"]\nextend-exclude = ["legacy"]\n'
            '[per-file-ignores]\n"Dockerfile" = ["DFX001"]\n'
        ),
    })
    result = run("--show-settings", "--unsafe-fixes", "svc", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (
        "Resolved settings for: svc/Dockerfile\n"
        "Settings path: svc/.dockerfix.toml\n"
        "\n"
        "add-syntax-directive = false\n"
        'exclude = [".git", "node_modules", ".venv", "venv", "build", "dist", "__pycache__", ".tox", ".mypy_cache"]\n'
        'extend-exclude = ["legacy"]\n'
        "extend-select = []\n"
        'fix-strategy = "flag"\n'
        "force-exclude = false\n"
        'ignore = ["DFX000", "DFX001"]\n'
        "max-file-size = 10485760\n"
        'output-format = "text"\n'
        'per-file-ignores = {"Dockerfile" = ["DFX001"]}\n'
        "pin-from = []\n"
        "pin-style = \"inline\"\n"
        "respect-gitignore = true\n"
        'select = ["DFX000", "DFX001"]\n'
        "unsafe-fixes = true\n"
        "\n"
        "Rules enabled: (none)\n"
    )


def test_show_settings_without_config(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE})
    result = run("--show-settings", "--isolated", cwd=tmp_path)
    assert "Settings path: (none: built-in defaults)\n" in result.stdout
    assert 'select = ["ALL"]\n' in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Rules enabled: DFX000, DFX001")


def test_verbose_names_configs_and_skips(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "svc/Dockerfile": DOCKERFILE,
        "svc/pyproject.toml": '[tool.dockerfix]\nignore = ["DFX001"]\n',
        "node_modules/x/Dockerfile": DOCKERFILE,
        "gen/Dockerfile": DOCKERFILE,
        ".gitignore": "gen/\n",
    })
    lines = run("-v", ".", cwd=tmp_path).stderr.splitlines()
    assert "dockerfix: skipped node_modules/: default exclude 'node_modules'" in lines
    assert "dockerfix: skipped gen/: gitignored (.gitignore:1: gen/)" in lines
    assert "dockerfix: ./: using no configuration file (defaults)" in lines
    assert "dockerfix: svc/: using svc/pyproject.toml" in lines


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        pytest.param([], {}, False, id="pipe-plain"),
        pytest.param(["--color"], {}, True, id="forced"),
        pytest.param(["--color"], {"NO_COLOR": "1"}, True, id="forced-beats-no-color"),
        pytest.param(["--no-color"], {}, False, id="disabled"),
    ],
)
def test_diff_colour(tmp_path: Path, args: list[str], env: dict[str, str], coloured: bool) -> None:
    import os

    _tree(tmp_path, {"Dockerfile": DOCKERFILE})
    result = run("--diff", *args, "Dockerfile", cwd=tmp_path, env={**os.environ, **env})
    assert ("\x1b[" in result.stdout) == coloured
    assert "+RUN pip install --no-cache-dir flask" in result.stdout


def test_colour_never_in_json(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE})
    result = run("--color", "--output-format", "json", "Dockerfile", cwd=tmp_path)
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    ("choice", "tty", "environ", "expected"),
    [
        pytest.param(None, True, {}, True, id="terminal"),
        pytest.param(None, False, {}, False, id="pipe"),
        pytest.param(None, True, {"NO_COLOR": "1"}, False, id="no-color"),
        pytest.param(None, True, {"NO_COLOR": ""}, True, id="no-color-empty-is-unset"),
        pytest.param(True, False, {"NO_COLOR": "1"}, True, id="forced"),
        pytest.param(False, True, {}, False, id="disabled"),
    ],
)
def test_should_colorize(choice: bool | None, tty: bool, environ: dict[str, str], expected: bool) -> None:
    import io

    from dockerfix.fix.diff import should_colorize

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert should_colorize(choice, Stream(), environ) is expected


def test_write_with_config_excludes_and_force_exclude(tmp_path: Path) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, "vendor/Dockerfile": DOCKERFILE, ".dockerfix.toml": 'extend-exclude = ["vendor"]\n'})
    run("--write", "Dockerfile", "vendor/Dockerfile", "--force-exclude", cwd=tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == FIXED
    assert (tmp_path / "vendor" / "Dockerfile").read_text() == DOCKERFILE
    run("--write", "vendor/Dockerfile", cwd=tmp_path)  # named without --force-exclude: processed
    assert (tmp_path / "vendor" / "Dockerfile").read_text() == FIXED


def test_stdin_filename_picks_the_per_file_settings(tmp_path: Path) -> None:
    _tree(tmp_path, {".dockerfix.toml": '[per-file-ignores]\n"legacy/*" = ["DFX001"]\n'})
    result = subprocess.run(
        [sys.executable, "-m", "dockerfix", "--stdin-filename", "legacy/Dockerfile", "-"],
        cwd=tmp_path, input=DOCKERFILE, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("config", "args", "line"),
    [
        pytest.param("unsafe-fixes = true", [], "unsafe-fixes = true", id="unsafe-from-file"),
        pytest.param("unsafe-fixes = true", ["--no-unsafe-fixes"], "unsafe-fixes = false", id="no-unsafe-fixes-wins"),
        pytest.param("respect-gitignore = false", [], "respect-gitignore = false", id="respect-gitignore-from-file"),
        pytest.param("respect-gitignore = false", ["--respect-gitignore"], "respect-gitignore = true", id="respect-gitignore-cli-wins"),
        pytest.param("force-exclude = true", [], "force-exclude = true", id="force-exclude-from-file"),
        pytest.param('fix-strategy = "cache-mount"', [], 'fix-strategy = "cache-mount"', id="fix-strategy-from-file"),
        pytest.param('pin-from = ["lock.txt"]', [], "pin-from = [", id="pin-from-shown"),
    ],
)
def test_show_settings_lines(tmp_path: Path, config: str, args: list[str], line: str) -> None:
    _tree(tmp_path, {"Dockerfile": DOCKERFILE, ".dockerfix.toml": config + "\n", "lock.txt": "flask==1\n"})
    lines = run("--show-settings", *args, "Dockerfile", cwd=tmp_path).stdout.splitlines()
    assert any(candidate.startswith(line) for candidate in lines), lines


@pytest.mark.parametrize(
    ("args", "stdout", "code"),
    [
        pytest.param(["--stdin-filename", "vendor/Dockerfile", "-"], "vendor/Dockerfile:2:5: DFX001", 1, id="named-not-forced"),
        pytest.param(["--force-exclude", "--stdin-filename", "vendor/Dockerfile", "-"], "", 0, id="excluded-name-no-findings"),
        pytest.param(["--force-exclude", "--write", "--stdin-filename", "vendor/Dockerfile", "-"], DOCKERFILE, 0, id="excluded-name-echoed"),
        pytest.param(["--force-exclude", "--stdin-filename", "app/Dockerfile", "-"], "app/Dockerfile:2:5: DFX001", 1, id="not-excluded"),
    ],
)
def test_stdin_force_exclude(tmp_path: Path, args: list[str], stdout: str, code: int) -> None:
    _tree(tmp_path, {".dockerfix.toml": 'extend-exclude = ["vendor"]\n'})
    result = subprocess.run(
        [sys.executable, "-m", "dockerfix", *args], cwd=tmp_path, input=DOCKERFILE, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout[: len(stdout)] if stdout else result.stdout) == (code, stdout)
