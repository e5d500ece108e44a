"""The GitHub Action: ``action.yml`` against the published metadata schema, and its steps run
as the runner runs them.

``run_action`` plays the runner for a composite action: each step of ``action.yml``'s
``runs.steps`` runs with bash, its ``${{ inputs.* }}`` and ``${{ steps.*.outputs.* }}``
expressions filled in, ``GITHUB_OUTPUT`` / ``GITHUB_STEP_SUMMARY`` / ``RUNNER_TEMP`` /
``GITHUB_ACTION_PATH`` / ``GITHUB_WORKSPACE`` pointing at temporary files, in a copy of a
fixture repository as the working directory; the action's outputs are read back through
``outputs.*.value``. The install step creates a real virtual environment and pip-installs
this checkout (one test); the others give it this interpreter, where dockerfix is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest
import yaml

from dockerfix import action

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SCHEMAS = ROOT / "tests" / "fixtures" / "schemas"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

DOCKERFILE = "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n"
FIXED = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n"
UNPINNED = "FROM python:3.12-slim\nRUN pip install --no-cache-dir django\n"


class Ran(NamedTuple):
    code: int  # the first failing step's exit code, else 0
    stdout: str  # every step's, as the log shows it
    outputs: dict[str, str]  # the action's outputs (outputs.*.value)
    summary: str  # the job summary


def parse_outputs(text: str) -> dict[str, str]:
    """A ``GITHUB_OUTPUT`` file: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for part in lines:
                if part == delimiter:
                    break
                value.append(part)
            else:
                raise AssertionError(f"{name}: delimiter {delimiter} never closed")
            outputs[name] = "\n".join(value)
        elif line:
            name, value_ = line.split("=", 1)
            outputs[name] = value_
    return outputs


def run_action(workspace: Path, temp: Path, install: bool = False, **inputs: str) -> Ran:
    """The composite action's steps, as the runner runs them; inputs by their names with ``_``.

    With ``install``, the action is a copy of this checkout (pip builds a local project in
    place, and its ``build/`` belongs in the copy)."""
    given = {name.replace("_", "-"): value for name, value in inputs.items()}
    assert set(given) <= set(ACTION["inputs"]), f"not inputs of action.yml: {set(given) - set(ACTION['inputs'])}"
    values = {name: given.get(name, spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    steps: dict[str, dict[str, str]] = {}
    if not install:  # this interpreter has dockerfix: stand in for the install step's output
        steps["install"] = {"python": sys.executable}
    action_path = ROOT
    if install:
        action_path = temp.parent / "action"
        shutil.copytree(ROOT, action_path, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__"))
    summary = temp / "summary.md"
    summary.touch()
    log = []
    code = 0
    for step in ACTION["runs"]["steps"]:
        if step["id"] in steps:
            continue
        output_file = temp / f"output-{step['id']}"
        output_file.write_text("")
        env = {
            **os.environ,
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(temp),
            "RUNNER_OS": "Linux",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
        }
        env.update({key: evaluate(str(value), values, steps) for key, value in step.get("env", {}).items()})
        assert step["shell"] == "bash"
        script = temp / f"step-{step['id']}.sh"
        script.write_text(step["run"])
        # the command line the runner gives a bash step
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace, env=env, capture_output=True, text=True)
        log.append(done.stdout)
        steps[step["id"]] = parse_outputs(output_file.read_text())
        if done.returncode:
            code = done.returncode
            break
    outputs = {name: evaluate(spec["value"], values, steps) for name, spec in ACTION["outputs"].items()}
    return Ran(code, "".join(log), outputs, summary.read_text())


def evaluate(text: str, inputs: dict[str, str], steps: dict[str, dict[str, str]]) -> str:
    """``${{ inputs.NAME }}`` and ``${{ steps.ID.outputs.NAME }}``: the only expressions action.yml may use."""

    def value(match: re.Match[str]) -> str:
        words = match.group(1).split(".")
        if words[0] == "inputs" and len(words) == 2:
            return inputs[words[1]]
        if words[0] == "steps" and len(words) == 4 and words[2] == "outputs":
            return steps.get(words[1], {}).get(words[3], "")  # an output not set is empty
        raise AssertionError(f"an expression the test runner does not know: {match.group(0)}")

    return EXPRESSION.sub(value, text)


def dockerfix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    return subprocess.run([sys.executable, "-m", "dockerfix", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout: one Dockerfile to fix, one clean, one with an unpinned install, a README."""
    root = tmp_path / "repo"
    (root / "api").mkdir(parents=True)
    (root / "api" / "Dockerfile").write_text(DOCKERFILE)
    (root / "clean.Dockerfile").write_text(FIXED)
    (root / "web").mkdir()
    (root / "web" / "Dockerfile").write_text(UNPINNED)
    (root / "README.md").write_text("# repo\n")
    return root


@pytest.fixture
def temp(tmp_path: Path) -> Path:
    path = tmp_path / "runner-temp"
    path.mkdir()
    return path


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


# --- action.yml ------------------------------------------------------------------------------


def test_action_yml_is_valid_against_the_published_schema() -> None:
    schema = json.loads((SCHEMAS / "github-action.json").read_text(encoding="utf-8"))
    jsonschema.validate(ACTION, schema)
    assert ACTION["runs"]["using"] == "composite"


def test_every_input_reaches_the_script_and_every_output_is_a_step_output() -> None:
    passed = {m.group(1) for step in ACTION["runs"]["steps"] for v in step.get("env", {}).values() for m in re.finditer(r"inputs\.([\w-]+)", str(v))}
    assert passed == set(ACTION["inputs"])
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.dockerfix.outputs.{name} }}}}"
    assert set(ACTION["inputs"]) >= {"args", "pin-from", "fix-strategy", "paths", "mode", "sarif", "version"}
    assert set(ACTION["outputs"]) >= {"findings", "fixed", "sarif-file", "pr-body-file"}


def test_mode_choices_are_the_scripts() -> None:
    assert all(mode in ACTION["inputs"]["mode"]["description"] for mode in action.MODES)
    assert ACTION["inputs"]["mode"]["default"] == action.MODES[0] == "report"


# --- inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({}, action.Inputs(["."], "report", [], False), id="defaults"),
        pytest.param({"INPUT_PATHS": "a b\nc"}, action.Inputs(["a", "b", "c"], "report", [], False), id="paths-spaces-and-newlines"),
        pytest.param({"INPUT_PATHS": "'my dir' x"}, action.Inputs(["my dir", "x"], "report", [], False), id="paths-quoted"),
        pytest.param({"INPUT_MODE": "write", "INPUT_SARIF": "true"}, action.Inputs(["."], "write", [], True), id="mode-and-sarif"),
        pytest.param({"INPUT_SARIF": "False"}, action.Inputs(["."], "report", [], False), id="sarif-false"),
        pytest.param(
            {"INPUT_ARGS": "--ignore DFX002 --unsafe-fixes", "INPUT_PIN_FROM": "a.lock\nb.lock", "INPUT_FIX_STRATEGY": "cache-mount"},
            action.Inputs(["."], "report", ["--ignore", "DFX002", "--unsafe-fixes", "--pin-from", "a.lock", "--pin-from", "b.lock", "--fix-strategy", "cache-mount"], False),
            id="args-pin-from-fix-strategy",
        ),
    ],
)
def test_inputs(environ: dict[str, str], expected: action.Inputs) -> None:
    assert action.read_inputs(environ) == expected


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        pytest.param({"INPUT_MODE": "fix"}, "mode: 'fix' is not one of report, diff, write", id="unknown-mode"),
        pytest.param({"INPUT_SARIF": "yes"}, "sarif: 'yes' is not true or false", id="sarif-not-boolean"),
        pytest.param({"INPUT_ARGS": "--write"}, "args: --write is chosen by the action", id="args-write"),
        pytest.param({"INPUT_ARGS": "--output-format=json"}, "args: --output-format is chosen by the action", id="args-format"),
        pytest.param({"INPUT_ARGS": "'unclosed"}, "args: No closing quotation", id="args-quote"),
    ],
)
def test_bad_inputs(environ: dict[str, str], message: str) -> None:
    with pytest.raises(action.ActionError, match=re.escape(message)):
        action.read_inputs(environ)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        pytest.param("", "/action", id="the-actions-own"),
        pytest.param("0.2.0", "dockerfix @ git+https://github.com/dockerfix/dockerfix@v0.2.0", id="version-is-a-tag"),
        pytest.param("v0.2.0rc1", "dockerfix @ git+https://github.com/dockerfix/dockerfix@v0.2.0rc1", id="tag-style"),
        pytest.param("dockerfix @ git+https://github.com/dockerfix/dockerfix@main", "dockerfix @ git+https://github.com/dockerfix/dockerfix@main", id="requirement"),
        pytest.param("dockerfix[all-repos]==0.3", "dockerfix[all-repos]==0.3", id="requirement-with-extras"),
    ],
)
def test_requirement(version: str, expected: str) -> None:
    assert action.requirement(version, "/action") == expected


@pytest.mark.parametrize("version", [pytest.param("main", id="a-ref-is-not-a-package"), pytest.param("evil-package", id="another-package")])
def test_requirement_names_dockerfix(version: str) -> None:
    with pytest.raises(action.ActionError, match="neither a version number nor a requirement for dockerfix"):
        action.requirement(version, "/action")


def test_github_output_takes_any_value(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = action.Runner({"GITHUB_OUTPUT": str(out), "RUNNER_TEMP": str(tmp_path)})
    runner.set_output("a", "x=y")
    runner.set_output("b", "two\nlines")
    assert parse_outputs(out.read_text()) == {"a": "x=y", "b": "two\nlines"}


# --- the modes, run as the runner runs them -------------------------------------------------------


def test_report(repo: Path, temp: Path) -> None:
    before = snapshot(repo)
    ran = run_action(repo, temp)
    assert ran.code == 1  # findings
    annotations = [line for line in ran.stdout.splitlines() if line.startswith("::")]
    assert annotations == dockerfix("--output-format", "github", ".", cwd=repo).stdout.splitlines()
    assert len(annotations) == 2  # api: DFX001; web: DFX002
    assert ran.outputs == {"findings": "2", "fixed": "0", "sarif-file": "", "pr-body-file": "", "pr-title": ""}
    assert ran.summary.startswith("### dockerfix\n\nFound 2 findings (1 fixable with `dockerfix --write`, marked [*]) in 3 Dockerfiles.")
    assert snapshot(repo) == before


def test_report_with_sarif(repo: Path, temp: Path) -> None:
    ran = run_action(repo, temp, sarif="true", args="--exit-zero")
    assert ran.code == 0  # --exit-zero from args
    sarif_file = Path(ran.outputs["sarif-file"])
    assert sarif_file.is_file() and not sarif_file.is_relative_to(repo)  # outside the checkout
    document = json.loads(sarif_file.read_text())
    assert document == json.loads(dockerfix("--output-format", "sarif", ".", cwd=repo).stdout)
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]] == ["api/Dockerfile", "web/Dockerfile"]


def test_report_clean(repo: Path, temp: Path) -> None:
    ran = run_action(repo, temp, paths="clean.Dockerfile")
    assert (ran.code, ran.outputs["findings"]) == (0, "0")
    assert "No findings in 1 Dockerfile." in ran.summary


def test_report_with_inputs(repo: Path, temp: Path) -> None:
    (repo / "requirements.lock").write_text("django==4.2.7\n")
    ran = run_action(repo, temp, paths="web", pin_from="requirements.lock")
    assert ran.code == 1
    assert "fixable with `dockerfix --write`" in ran.stdout  # the pin is a fix now
    ran = run_action(repo, temp, paths="api", fix_strategy="cache-mount", args="--unsafe-fixes --exit-zero")
    assert ran.code == 0
    assert "fixable with `dockerfix --write --unsafe-fixes`" in ran.stdout


def test_diff(repo: Path, temp: Path) -> None:
    before = snapshot(repo)
    ran = run_action(repo, temp, mode="diff")
    assert ran.code == 1  # fixes are due
    assert "+RUN pip install --no-cache-dir flask==3.0.3\n" in ran.stdout
    assert ran.summary == dockerfix("--output-format", "markdown", ".", cwd=repo).stdout + "\n"
    assert "```diff\n" in ran.summary
    assert (ran.outputs["findings"], ran.outputs["fixed"]) == ("2", "0")
    assert snapshot(repo) == before


def test_diff_nothing_to_fix(repo: Path, temp: Path) -> None:
    ran = run_action(repo, temp, mode="diff", paths="clean.Dockerfile web")  # web: a finding, no fix
    assert ran.code == 0


def test_write(repo: Path, temp: Path, tmp_path: Path) -> None:
    expected = tmp_path / "expected"
    shutil.copytree(repo, expected)
    body = dockerfix("--write", "--output-format", "markdown", ".", cwd=expected).stdout
    ran = run_action(repo, temp, mode="write")
    assert ran.code == 0  # a finding is left (web: unpinned), and the pull request must still open
    assert snapshot(repo) == snapshot(expected)  # what `dockerfix --write` makes, and no other file
    body_file = Path(ran.outputs["pr-body-file"])
    assert not body_file.is_relative_to(repo)  # create-pull-request must not commit it
    assert body_file.read_text() == body
    assert body.startswith("## dockerfix fixed 1 finding in 1 Dockerfile\n")
    assert ran.outputs["pr-title"] == "dockerfix: fix 1 finding in 1 Dockerfile"
    assert (ran.outputs["findings"], ran.outputs["fixed"]) == ("2", "1")
    assert ran.summary == body + "\n"


def test_write_is_idempotent(repo: Path, temp: Path, tmp_path: Path) -> None:
    """The same checkout gives the same body, byte for byte; a fixed one, nothing to do."""
    twin = tmp_path / "twin"
    shutil.copytree(repo, twin)
    first = run_action(repo, temp, mode="write")
    first_body = Path(first.outputs["pr-body-file"]).read_text()
    second = run_action(twin, temp, mode="write")
    assert Path(second.outputs["pr-body-file"]).read_text() == first_body
    fixed = snapshot(repo)
    again = run_action(repo, temp, mode="write")
    assert again.code == 0
    assert snapshot(repo) == fixed
    assert (again.outputs["fixed"], again.outputs["pr-title"]) == ("0", "dockerfix: nothing to fix")
    assert Path(again.outputs["pr-body-file"]).read_text().startswith("## dockerfix: nothing to fix\n")


def test_write_names_a_file_it_could_not_fix(repo: Path, temp: Path) -> None:
    (repo / "broken.Dockerfile").write_bytes(b"FROM x\nRUN echo \xff\n")
    ran = run_action(repo, temp, mode="write")
    assert ran.code == 0
    assert (repo / "api" / "Dockerfile").read_text() == FIXED
    assert "### Could not be checked\n\n- `broken.Dockerfile:2:10: " in Path(ran.outputs["pr-body-file"]).read_text()


def test_write_fails_when_dockerfix_cannot_run(repo: Path, temp: Path) -> None:
    (repo / ".dockerfix.toml").write_text("selct = []\n")
    ran = run_action(repo, temp, mode="write")
    assert ran.code == 2
    assert ran.outputs["pr-body-file"] == ""
    assert (repo / "api" / "Dockerfile").read_text() == DOCKERFILE


def test_a_bad_input_is_an_error_annotation(repo: Path, temp: Path) -> None:
    ran = run_action(repo, temp, mode="fix")
    assert ran.code == 2
    assert "::error title=dockerfix::mode: 'fix' is not one of report, diff, write" in ran.stdout


def test_install_refuses_a_version_that_is_not_dockerfix(repo: Path, temp: Path) -> None:
    ran = run_action(repo, temp, install=True, version="main")
    assert ran.code == 2
    assert "::error title=dockerfix::version: 'main' is neither a version number" in ran.stdout
    assert not (temp / "dockerfix" / action.VENV).exists()


def test_install_then_run(repo: Path, temp: Path) -> None:
    """Both steps for real: a virtual environment with this checkout pip-installed in it."""
    ran = run_action(repo, temp, install=True, mode="diff")
    python = temp / "dockerfix" / action.VENV / "bin" / "python"
    assert python.is_file(), ran.stdout
    assert ran.code == 1
    assert "+RUN pip install --no-cache-dir flask==3.0.3\n" in ran.stdout
    located = subprocess.run([python, "-I", "-c", "import dockerfix; print(dockerfix.__file__)"], capture_output=True, text=True, cwd=repo)
    assert Path(located.stdout.strip()).is_relative_to(temp)  # the venv's copy, not this checkout


# --- the README's workflows -------------------------------------------------------------------------


def readme_workflows() -> list[Any]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## At scale") :]
    section = section[: section.index("\n## ", 1)]
    workflows = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(# \.github/workflows/.*?)```", section, re.DOTALL)]
    for workflow in workflows:  # YAML 1.1 reads the key `on` as true; GitHub reads it as "on"
        workflow["on"] = workflow.pop(True)
    return workflows


def test_readme_has_the_three_workflows() -> None:
    workflows = readme_workflows()
    modes = [step.get("with", {}).get("mode", "report") for w in workflows for job in w["jobs"].values() for step in job["steps"] if _ours(step)]
    assert sorted(modes) == ["report", "report", "write"]
    uses = {step.get("uses", "").split("@")[0] for w in workflows for job in w["jobs"].values() for step in job["steps"]}
    assert {"github/codeql-action/upload-sarif", "peter-evans/create-pull-request"} <= uses


@pytest.mark.parametrize("index", range(3))
def test_readme_workflow(index: int) -> None:
    workflow = readme_workflows()[index]
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text(encoding="utf-8"))
    jsonschema.validate(workflow, schema)
    ids = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if _ours(step):
                assert set(step.get("with", {})) <= set(ACTION["inputs"])
                ids.add(step.get("id"))
            for value in [*step.get("with", {}).values(), step.get("if", "")]:
                for name in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", str(value)):
                    assert name[0] in ids and name[1] in ACTION["outputs"], name


def _ours(step: dict[str, Any]) -> bool:
    return str(step.get("uses", "")).startswith("dockerfix/dockerfix@")
