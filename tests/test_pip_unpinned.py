"""DFX002 pip-unpinned, case by case (SPEC section 4), and its ``--pin-from`` fix.

``NOOP``: Dockerfiles with no DFX002 finding.
``REPORTED``: (Dockerfile, the words reported, as written).
``FIX``: (before, after) with the lock ``PINS``: ``fix(before).text == after`` exactly.
``UNFIXED``: reported even with ``PINS``, and why (the diagnostic's note).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerfix.core import check, fix
from dockerfix.settings import Settings

ONLY = Settings(select=["DFX002"])
PINS = {"django": "4.2.7", "flask": "2.3.2", "flask-login": "0.6.3", "pip": "24.0", "numpy": "1.26.4"}
PINNING = Settings(select=["DFX002"], pins=PINS)

NOOP = [
    # -- exact pins -------------------------------------------------------------------------
    pytest.param("RUN pip install flask==2.3.2\n", id="=="),
    pytest.param("RUN pip install flask===2.3.2\n", id="==="),
    pytest.param("RUN pip install 'flask[async]==2.3.2'\n", id="extras and a pin"),
    pytest.param("RUN pip install \"req==1; python_version<'3.8'\"\n", id="marker after a pin"),
    pytest.param("RUN pip install 'flask==2.3.2,<3'\n", id="a pin among other specifiers"),
    pytest.param("RUN pip install -U flask==2.3.2 pip==24.0\n", id="--upgrade with pins"),
    # -- requirement and constraint files, editables ----------------------------------------
    pytest.param("RUN pip install -r requirements.txt\n", id="-r FILE"),
    pytest.param("RUN pip install --requirement requirements.txt\n", id="--requirement FILE"),
    pytest.param("RUN pip install --requirement=requirements.txt\n", id="--requirement=FILE"),
    pytest.param("RUN pip install -rrequirements.txt\n", id="-rFILE glued"),
    pytest.param("RUN pip install -qr requirements.txt\n", id="-qr FILE cluster"),
    pytest.param("RUN pip install -c constraints.txt flask django\n", id="-c: every package"),
    pytest.param("RUN pip install --constraint=c.txt flask\n", id="--constraint=FILE"),
    pytest.param("FROM python:3.12\nENV PIP_CONSTRAINT=/c.txt\nRUN pip install flask\n", id="PIP_CONSTRAINT"),
    pytest.param("RUN pip install -e .\n", id="-e ."),
    pytest.param("RUN pip install --editable=./src/pkg\n", id="--editable=DIR"),
    pytest.param("RUN pip install -e git+https://github.com/a/b.git#egg=b\n", id="-e VCS"),
    # -- paths, archives, URLs ----------------------------------------------------------------
    pytest.param("RUN pip install .\n", id="."),
    pytest.param("RUN pip install ./pkg\n", id="./x"),
    pytest.param("RUN pip install 'pkg/sub[dev]'\n", id="dir/sub with extras"),
    pytest.param("RUN pip install /src\n", id="absolute path"),
    pytest.param("RUN pip install /wheels/*.whl\n", id="wheel glob"),
    pytest.param("RUN pip install flask-2.3.2-py3-none-any.whl\n", id=".whl"),
    pytest.param("RUN pip install pkg-1.0.tar.gz\n", id=".tar.gz"),
    pytest.param("RUN pip install pkg.zip\n", id=".zip"),
    pytest.param("RUN pip install https://example.com/pkg-1.0.tar.gz\n", id="URL"),
    pytest.param("RUN pip install git+https://github.com/a/b.git@v1.0\n", id="VCS with @tag"),
    pytest.param("RUN pip install git+ssh://git@github.com/a/b.git@4f2c1e9\n", id="VCS ssh with @commit"),
    pytest.param("RUN pip install 'b @ https://example.com/b-1.0.whl'\n", id="name @ URL"),
    # -- versions from variables ---------------------------------------------------------------
    pytest.param("RUN pip install flask==${FLASK_VERSION}\n", id="==${V}"),
    pytest.param('RUN pip install "flask==$V"\n', id="==$V in double quotes"),
    pytest.param("RUN pip install $PACKAGES\n", id="a variable of packages"),
    pytest.param('RUN pip install "${PKG}[async]"\n', id="a variable name with extras"),
    # -- option values are not packages --------------------------------------------------------
    pytest.param("RUN pip install --timeout 60 -r r.txt\n", id="--timeout VALUE"),
    pytest.param("RUN pip install -i https://pypi.example/simple -r r.txt\n", id="-i URL"),
    pytest.param("RUN pip install --index-url=https://x/simple -r r.txt\n", id="--index-url=URL"),
    pytest.param("RUN pip install --target /opt/app -r r.txt\n", id="--target DIR"),
    pytest.param("RUN pip install -t /opt/app -r r.txt\n", id="-t DIR"),
    pytest.param("RUN pip install --extra-index-url https://x -r r.txt\n", id="--extra-index-url"),
    pytest.param("RUN pip install --trusted-host pypi.example -r r.txt\n", id="--trusted-host HOST"),
    pytest.param("RUN pip install -f /wheels --no-index -r r.txt\n", id="-f DIR"),
    pytest.param("RUN pip install --platform manylinux2014_x86_64 -r r.txt\n", id="--platform"),
    pytest.param("RUN pip install --python-version 3.8 -r r.txt\n", id="--python-version"),
    pytest.param("RUN pip install --prefix /usr/local -r r.txt\n", id="--prefix DIR"),
    pytest.param("RUN pip install --progress-bar off -r r.txt\n", id="--progress-bar off"),
    pytest.param("RUN pip install --config-settings k=v -r r.txt\n", id="--config-settings"),
    pytest.param("RUN pip --log /tmp/l install -r r.txt\n", id="general option value before install"),
    # -- not pip install ---------------------------------------------------------------------------
    pytest.param("RUN pip download flask\n", id="pip download"),
    pytest.param("RUN pip wheel flask\n", id="pip wheel"),
    pytest.param("RUN pip uninstall -y flask\n", id="pip uninstall"),
    pytest.param("RUN pip show flask\n", id="pip show"),
    pytest.param("RUN echo pip install flask\n", id="echo"),
    pytest.param("RUN apt-get install -y python3-pip\n", id="apt-get"),
    # -- every form, pinned ------------------------------------------------------------------------
    pytest.param('RUN ["pip", "install", "flask==2.3.2"]\n', id="exec form pinned"),
    pytest.param("RUN <<EOF\npip install flask==2.3.2\nEOF\n", id="heredoc pinned"),
    pytest.param("RUN sh -c 'pip install flask==2.3.2'\n", id="sh -c pinned"),
    # -- suppressions ---------------------------------------------------------------------------------
    pytest.param("# dockerfix: ignore=DFX002\nRUN pip install flask\n", id="dockerfix ignore"),
    pytest.param("# hadolint ignore=DL3013\nRUN pip install flask\n", id="hadolint ignore DL3013"),
    pytest.param("# hadolint global ignore=DL3013\nFROM x\nRUN pip install flask\n", id="hadolint global"),
    pytest.param("# dockerfix: file-ignore=DFX002\nRUN pip install flask\n", id="dockerfix file-ignore"),
]

REPORTED = [
    # -- bare names ---------------------------------------------------------------------------
    pytest.param("RUN pip install flask\n", ["flask"], id="bare name"),
    pytest.param("RUN pip install --upgrade pip\n", ["pip"], id="--upgrade pip"),
    pytest.param("RUN pip install -U pip setuptools wheel\n", ["pip", "setuptools", "wheel"], id="-U several"),
    pytest.param("RUN pip install 'flask[async]'\n", ["'flask[async]'"], id="extras without a pin"),
    pytest.param(
        "RUN pip install \"flask; python_version<'3.8'\"\n",
        ["\"flask; python_version<'3.8'\""],
        id="marker without a pin",
    ),
    # -- ranges ------------------------------------------------------------------------------------
    pytest.param("RUN pip install 'flask>=2'\n", ["'flask>=2'"], id=">="),
    pytest.param("RUN pip install 'flask~=2.3'\n", ["'flask~=2.3'"], id="~= quoted"),
    pytest.param("RUN pip install flask~=2.3\n", ["flask~=2.3"], id="~= unquoted is one word"),
    pytest.param("RUN pip install 'flask<3'\n", ["'flask<3'"], id="<"),
    pytest.param("RUN pip install flask!=2.0\n", ["flask!=2.0"], id="!="),
    pytest.param("RUN pip install flask==2.*\n", ["flask==2.*"], id="==2.* wildcard"),
    pytest.param('RUN pip install "flask>=$V"\n', ['"flask>=$V"'], id=">= a variable is still a range"),
    # -- what pip rejects, VCS without a ref, the shell's redirection ---------------------------------
    pytest.param("RUN pip install pkg=1.0\n", ["pkg=1.0"], id="= is not an operator"),
    pytest.param("RUN pip install git+https://github.com/a/b.git\n", ["git+https://github.com/a/b.git"], id="VCS without @ref"),
    pytest.param("RUN pip install flask>=2.0\n", ["flask"], id="unquoted >= is a redirection"),
    pytest.param("RUN pip install flask>=2.0,<3 django\n", ["flask", "django"], id="unquoted range and a bare name"),
    pytest.param(
        "RUN cd /x && pip install a>=1 b>=2 c\n", ["a", "b", "c"], id="words after a redirection in a list stay pip's"
    ),
    # -- option values never hide a package, packages never hide behind -r ------------------------------
    pytest.param("RUN pip install --timeout 60 flask\n", ["flask"], id="--timeout 60 is not a package"),
    pytest.param("RUN pip install -i https://x/simple flask\n", ["flask"], id="-i URL then a package"),
    pytest.param("RUN pip install --target=/t flask\n", ["flask"], id="--target=DIR then a package"),
    pytest.param("RUN pip install -qU flask\n", ["flask"], id="-qU cluster"),
    pytest.param("RUN pip install -r req.txt extra\n", ["extra"], id="-r FILE and a package"),
    pytest.param("RUN pip install -e . flask\n", ["flask"], id="-e . and a package"),
    # -- every form ---------------------------------------------------------------------------------------
    pytest.param('RUN ["pip", "install", "flask"]\n', ['"flask"'], id="exec form"),
    pytest.param("RUN <<EOF\npip install flask\nEOF\n", ["flask"], id="heredoc"),
    pytest.param("RUN sh -c 'pip install flask'\n", ["flask"], id="sh -c"),
    pytest.param("ONBUILD RUN pip install flask\n", ["flask"], id="ONBUILD"),
    pytest.param("RUN pip install \\\n    flask \\\n    django==4.2.7\n", ["flask"], id="continuation"),
    pytest.param("# escape=`\nRUN pip install `\n    flask\n", ["flask"], id="escape=`"),
    pytest.param("RUN python3 -m pip install --user flask\n", ["flask"], id="python -m pip"),
    pytest.param("RUN sudo -H pip3 install flask\n", ["flask"], id="sudo pip3"),
    pytest.param("RUN apt-get update && pip install flask && rm -rf /x\n", ["flask"], id="in a chain"),
    pytest.param("RUN pip install flask flask\n", ["flask", "flask"], id="each occurrence"),
]

FIX = [
    pytest.param("RUN pip install django\n", "RUN pip install django==4.2.7\n", id="bare name"),
    pytest.param("RUN pip install Django\n", "RUN pip install Django==4.2.7\n", id="the name as written"),
    pytest.param("RUN pip install Flask_Login\n", "RUN pip install Flask_Login==0.6.3\n", id="PEP 503 name match"),
    pytest.param("RUN pip install 'flask[async]'\n", "RUN pip install 'flask[async]==2.3.2'\n", id="single-quoted extras"),
    pytest.param('RUN pip install "flask[async]"\n', 'RUN pip install "flask[async]==2.3.2"\n', id="double-quoted extras"),
    pytest.param("RUN pip install 'django>=4.2'\n", "RUN pip install 'django==4.2.7'\n", id="a range it satisfies"),
    pytest.param("RUN pip install 'django>=4,<5'\n", "RUN pip install 'django==4.2.7'\n", id="two specifiers"),
    pytest.param("RUN pip install django~=4.2.0\n", "RUN pip install django==4.2.7\n", id="~= unquoted"),
    pytest.param("RUN pip install 'django >= 4.2'\n", "RUN pip install 'django==4.2.7'\n", id="spaces in the range"),
    pytest.param(
        "RUN pip install \"django>=4 ; python_version>'3'\"\n",
        "RUN pip install \"django==4.2.7 ; python_version>'3'\"\n",
        id="the marker is kept",
    ),
    pytest.param(
        "RUN pip install 'django; python_version>\"3\"'\n",
        "RUN pip install 'django==4.2.7; python_version>\"3\"'\n",
        id="bare name with a marker",
    ),
    pytest.param("RUN pip install --upgrade pip\n", "RUN pip install --upgrade pip==24.0\n", id="--upgrade pip"),
    pytest.param(
        'RUN ["pip", "install", "django", "flask"]\n',
        'RUN ["pip", "install", "django==4.2.7", "flask==2.3.2"]\n',
        id="exec form",
    ),
    pytest.param("RUN <<EOF\npip install django\nEOF\n", "RUN <<EOF\npip install django==4.2.7\nEOF\n", id="heredoc"),
    pytest.param(
        "RUN sh -c \"pip install 'django>=4'\"\n", "RUN sh -c \"pip install 'django==4.2.7'\"\n", id="quotes in sh -c"
    ),
    pytest.param(
        "RUN pip install \\\n    django \\\n    flask\n",
        "RUN pip install \\\n    django==4.2.7 \\\n    flask==2.3.2\n",
        id="continuation",
    ),
    pytest.param("RUN pip install django\r\n", "RUN pip install django==4.2.7\r\n", id="CRLF"),
    pytest.param("RUN pip install django requests", "RUN pip install django==4.2.7 requests", id="only what the lock covers"),
]

UNFIXED = [
    pytest.param("RUN pip install requests\n", "`requests` is not in the --pin-from files", id="not in the lock"),
    pytest.param("RUN pip install 'django<4'\n", "outside `<4`", id="the lock is outside the range"),
    pytest.param("RUN pip install git+https://github.com/a/django.git\n", "only a name or a version range", id="VCS"),
    pytest.param("RUN pip install django=4.2\n", "only a name or a version range", id="invalid"),
]


def reported(text: str, settings: Settings = ONLY) -> list[str]:
    return [text[d.start : d.end] for d in check(text, settings)]


@pytest.mark.parametrize("text", NOOP)
def test_noop(text: str) -> None:
    assert reported(text) == []


@pytest.mark.parametrize(("text", "words"), REPORTED)
def test_reported(text: str, words: list[str]) -> None:
    assert reported(text) == words


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix(before: str, after: str) -> None:
    assert fix(before, PINNING).text == after


@pytest.mark.parametrize(("before", "after"), FIX)
def test_fix_is_idempotent(before: str, after: str) -> None:
    assert fix(after, PINNING).text == after


@pytest.mark.parametrize(("text", "why"), UNFIXED)
def test_unfixed_keeps_its_finding_and_says_why(text: str, why: str) -> None:
    assert fix(text, PINNING).text == text
    (diagnostic,) = check(text, PINNING)
    assert diagnostic.fix is None
    assert any(why in note for note in diagnostic.notes)


def test_no_fix_without_a_lock_file() -> None:
    (diagnostic,) = check("RUN pip install django\n", ONLY)
    assert diagnostic.fix is None and diagnostic.notes == ()


def test_redirection_message_says_what_the_shell_does() -> None:
    (diagnostic,) = check("RUN pip install django>=4.2\n", ONLY)
    assert "shell redirection" in diagnostic.message and "`>=4.2`" in diagnostic.message


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("RUN pip install django>=4.2\n", "RUN pip install django==4.2.7\n", id="unquoted >="),
        pytest.param("RUN pip install django>=4,<5 x\n", "RUN pip install django==4.2.7 x\n", id="unquoted range"),
        pytest.param('RUN pip install "django">=4\n', 'RUN pip install "django==4.2.7"\n', id="quoted name"),
    ],
)
def test_redirection_fix_is_unsafe(before: str, after: str) -> None:
    assert fix(before, PINNING).text == before
    assert fix(before, Settings(select=["DFX002"], pins=PINS, unsafe_fixes=True)).text == after


def test_redirection_outside_the_range_is_not_fixed() -> None:
    text = "RUN pip install django>=5\n"
    assert fix(text, Settings(select=["DFX002"], pins=PINS, unsafe_fixes=True)).text == text


def test_with_dfx001_both_fixes_apply() -> None:
    text = "RUN pip install django 'flask>=2'\n"
    assert fix(text, Settings(pins=PINS)).text == "RUN pip install --no-cache-dir django==4.2.7 'flask==2.3.2'\n"


def test_span_is_the_word_as_written() -> None:
    text = "FROM python:3.12\nRUN pip install \\\n    'flask[async]>=2'\n"
    (diagnostic,) = check(text, ONLY)
    assert text[diagnostic.start : diagnostic.end] == "'flask[async]>=2'"


def test_json_carries_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from dockerfix.cli.main import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install --no-cache-dir django\n")
    (tmp_path / "requirements.lock").write_text("django==4.2.7 \\\n    --hash=sha256:abc\n")
    args = ["--output-format", "json", "--pin-from", "requirements.lock", "Dockerfile"]
    main(args)
    (item,) = json.loads(capsysbinary.readouterr().out)
    assert item["code"] == "DFX002"
    assert item["location"] == {"row": 2, "column": 32} and item["end_location"] == {"row": 2, "column": 38}
    assert item["fix"]["applicability"] == "safe"
    assert item["fix"]["edits"] == [
        {"content": "==4.2.7", "location": {"row": 2, "column": 38}, "end_location": {"row": 2, "column": 38}}
    ]
