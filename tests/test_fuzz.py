"""Generated Dockerfiles (hypothesis) hold the corpus invariants; random bytes never crash.

The strategy builds files from the constructs of SPEC sections 1-3: pip in every spelling
and wrapper, chains, continuations with both escape characters and comment lines inside
them, exec form, heredocs, quotes, ``sh -c``, stages with ENV/ARG, CRLF, unicode. Every
example must: process without an exception; change only by allowed insertions; fix to a
fixed point in one run; keep the instructions BuildKit sees.

Profiles: the default is bounded and derandomized (the same examples on every run, for
CI); ``DOCKERFIX_FUZZ_EXAMPLES=20000`` runs a long, randomized search on demand.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_corpus import buildkit_instructions, instruction_kinds, only_allowed_insertions, without_flag_deletions

from dockerfix.core import Settings, check, fix
from dockerfix.fix.runner import Mode, Outcome, process
from dockerfix.parse.source import Source

_LONG = int(os.environ.get("DOCKERFIX_FUZZ_EXAMPLES", "0"))
PROFILE = settings(
    max_examples=_LONG or 250,
    deadline=None,
    derandomize=not _LONG,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BYTES_PROFILE = settings(PROFILE, max_examples=_LONG or 300)

# -- building blocks -------------------------------------------------------------------

PIP_PROGRAMS = st.sampled_from(
    ["pip", "pip3", "pip3.12", "/usr/local/bin/pip", "python -m pip", "python3 -m pip", "python3.11 -u -m pip", "/opt/venv/bin/python -m pip", "p\"ip\""]
)
WRAPPERS = st.sampled_from(["", "sudo ", "sudo -H ", "env ", "env FOO=1 ", "nice ", "nohup ", "time ", "command ", "exec ", "xargs ", "FOO=bar "])
GENERAL_OPTIONS = st.sampled_from(["", "-q ", "--disable-pip-version-check ", "--retries 3 ", "--timeout=60 ", "--no-cache-dir ", "--no-cache "])
SUBCOMMANDS = st.sampled_from(["install", "install", "install", "download", "wheel", "freeze", "uninstall -y"])
PACKAGE = st.sampled_from(
    ["flask", "'flask==2.0'", '"django>=4"', "-r requirements.txt", "-e .", "--upgrade pip", "numpy\\ scipy", "--no-cache-dir", "--user", "./pkg", "'req; python_version<\"3.8\"'", "ünïcödé"]
)
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
OTHER_COMMANDS = st.sampled_from(
    ["apt-get update", "echo pip install x", "echo 'pip install x'", "pipx install black", "uv pip install x", "rm -rf /var/lib/apt/lists/*", "cd /app", "true", "export PIP_NO_CACHE_DIR=1"]
)


@st.composite
def pip_call(draw: st.DrawFn) -> str:
    args = " ".join(draw(st.lists(PACKAGE, min_size=0, max_size=3)))
    return f"{draw(WRAPPERS)}{draw(PIP_PROGRAMS)} {draw(GENERAL_OPTIONS)}{draw(SUBCOMMANDS)} {args}".rstrip()


@st.composite
def command(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    inner = draw(pip_call())
    if kind == 0:
        return draw(OTHER_COMMANDS)
    if kind == 1:
        return f"sh -c '{inner}'"
    if kind == 2:
        return f'bash -c "{inner}"'
    if kind == 3:
        return f"if true; then {inner}; fi"
    if kind == 4:
        return f"( {inner} )"
    if kind == 5:
        return f"echo $({inner})"
    if kind == 6:
        return f"echo {draw(UNICODE)!r} && {inner}"
    return inner


@st.composite
def shell_script(draw: st.DrawFn, escape: str) -> str:
    """Commands joined by operators; some joins are continuations, some with comment or
    empty lines inside them (BuildKit drops those lines)."""
    parts = [draw(command())]
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from([" && ", " || ", "; ", " | ", " & "]))
        glue = draw(st.sampled_from(["", "", f" {escape}\n    ", f"{escape}\n", f" {escape}\n# a comment\n    ", f" {escape}\n\n    ", f" {escape}  \n  "]))
        parts.append(glue + op.lstrip() if glue else op)
        parts.append(draw(command()))
    return "".join(parts)


@st.composite
def exec_form(draw: st.DrawFn) -> str:
    sep = draw(st.sampled_from([", ", ",", " , "]))
    if draw(st.booleans()):
        words = ["sh", "-c", draw(pip_call()).replace('"', "'")]
    else:
        words = [*draw(PIP_PROGRAMS).replace('"', "").split(), "install", *draw(st.lists(st.sampled_from(["flask", "--no-cache-dir", "-q", "é"]), max_size=2))]
    return "[" + sep.join(f'"{w}"' for w in words) + "]"


@st.composite
def heredoc(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(["EOF", "EOT", '"EOF"', "-EOF"]))
    name = tag.strip('"-')
    program = draw(st.sampled_from(["", "bash ", "sh -e ", "python3 "]))
    body = "\n".join(draw(st.lists(pip_call(), min_size=1, max_size=3)))
    indent = "\t" if tag.startswith("-") else ""
    return f"<<{tag} {program}".rstrip() + f"\n{body}\n{indent}{name}"


@st.composite
def run(draw: st.DrawFn, escape: str) -> str:
    flags = draw(st.sampled_from(["", "--mount=type=cache,target=/root/.cache/pip ", "--network=host ", "--mount=type=cache,target=/var/cache/apt "]))
    kind = draw(st.integers(0, 5))
    if kind == 0:
        body = draw(exec_form())
    elif kind == 1:
        body = draw(heredoc())
    else:
        body = draw(shell_script(escape))
    prefix = draw(st.sampled_from(["RUN ", "RUN ", "run ", "ONBUILD RUN "]))
    return f"{prefix}{flags}{body}"


@st.composite
def instruction(draw: st.DrawFn, escape: str) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(["ENV PIP_NO_CACHE_DIR=1", "ENV PIP_NO_CACHE_DIR off", "ARG PIP_NO_CACHE_DIR=0", "ARG VERSION", "ENV HOME=/root"]))
    if kind == 1:
        return draw(st.sampled_from(['SHELL ["/bin/bash", "-c"]', 'SHELL ["pwsh", "-Command"]', "WORKDIR /app", "COPY . .", "USER app"]))
    if kind == 2:
        return draw(st.sampled_from(["# pip install x", "# dockerfix: ignore=DFX001", "# hadolint ignore=DL3042", "", 'CMD ["pip", "install", "x"]']))
    if kind == 3:
        return f"FROM {draw(st.sampled_from(['python:3.12', 'base', 'scratch']))} AS {draw(st.sampled_from(['base', 'build']))}"
    return draw(run(escape))


@st.composite
def dockerfile(draw: st.DrawFn) -> str:
    escape = draw(st.sampled_from(["\\", "`"]))
    header = [f"# escape={escape}"] if escape == "`" or draw(st.booleans()) else []
    if draw(st.booleans()):
        header.insert(0, "# syntax=docker/dockerfile:1")
    lines = [*header, "FROM python:3.12", *draw(st.lists(instruction(escape), min_size=1, max_size=6))]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text


# -- invariants ------------------------------------------------------------------------

_SETTINGS = Settings()


def _assert_invariants(text: str) -> None:
    result = process("Dockerfile", "Dockerfile", text.encode("utf-8"), Mode.DIFF, _SETTINGS)
    if result.outcome == Outcome.FAILED:
        assert result.error and result.error.startswith("Dockerfile:")
        assert isinstance(buildkit_instructions(text), str) or "heredoc" in result.error, result.error
        return
    source = Source(text)
    for d in check(text):
        assert 0 <= d.start <= d.end <= len(text)
        source.location(d.start)
    fixed = fix(text).text
    if fixed == text:
        return
    base, bad = without_flag_deletions(text)
    bad = bad or only_allowed_insertions(base, fixed)
    assert bad is None, bad
    assert fix(fixed).text == fixed, "a second fix changed the text again"
    assert not [d for d in check(fixed) if d.code in ("DFX001", "DFX007") and d.fix is not None]
    assert buildkit_instructions(fixed) == buildkit_instructions(base)
    assert instruction_kinds(buildkit_instructions(base)) == instruction_kinds(buildkit_instructions(text))


@PROFILE
@given(dockerfile())
@example("FROM x\nRUN pip install a \\\n# c\n  && pip3 install b\n")
@example('# escape=`\r\nFROM x\r\nRUN ["pip", "install", "a"]\r\nRUN pip install a `\r\n  b')
def test_generated_dockerfiles_keep_the_invariants(text: str) -> None:
    _assert_invariants(text)


@BYTES_PROFILE
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda t: ("FROM x\nRUN " + t).encode("utf-8", "surrogatepass")))
@example(b"\xff\xfe\x00R\x00U\x00N")
@example(b"FROM x\nRUN <<EOF\n")
def test_random_bytes_fail_clearly_or_pass(data: bytes) -> None:
    for mode in (Mode.CHECK, Mode.DIFF):
        result = process("Dockerfile", "Dockerfile", data, mode, _SETTINGS)
        if result.outcome == Outcome.FAILED:
            assert result.error and result.error.startswith("Dockerfile:") and result.reason
        else:
            assert result.source is not None


def test_profile_is_bounded_for_ci() -> None:
    """The default run is the same every time; a long one is asked for explicitly."""
    if _LONG:
        pytest.skip("long profile requested")
    assert PROFILE.max_examples == 250 and PROFILE.derandomize
