"""DFX002's view of one pip install argument (SPEC section 4), checked against pip as well."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dockerfix.requirements import ReqKind, Requirement, canonical_name, classify

if TYPE_CHECKING:
    from dockerfix.requirements import ReqKindValue

K = ReqKind


@pytest.mark.parametrize(
    ("arg", "kind"),
    [
        # exact pins: not reported
        pytest.param("flask==1.2", K.PINNED, id="exact pin"),
        pytest.param("flask===1.2", K.PINNED, id="arbitrary equality"),
        pytest.param("flask[async]==1.2", K.PINNED, id="extras with a pin"),
        pytest.param("flask == 1.2", K.PINNED, id="spaces around the operator"),
        pytest.param("flask==1.2; python_version<'3.8'", K.PINNED, id="marker after a pin"),
        pytest.param("flask==1.2,<2", K.PINNED, id="a pin among other specifiers"),
        pytest.param("flask==1.2+local", K.PINNED, id="local version"),
        # ranges: reported
        pytest.param("flask>=1.2", K.RANGE, id="minimum"),
        pytest.param("flask~=1.2", K.RANGE, id="compatible release"),
        pytest.param("flask<2", K.RANGE, id="maximum"),
        pytest.param("flask!=1.3", K.RANGE, id="exclusion"),
        pytest.param("flask==1.*", K.RANGE, id="wildcard is not exact"),
        pytest.param("flask>=1,<2", K.RANGE, id="bounded range"),
        # no version: reported
        pytest.param("flask", K.BARE, id="bare name"),
        pytest.param("pip", K.BARE, id="as in --upgrade pip"),
        pytest.param("flask[async]", K.BARE, id="extras without a pin"),
        pytest.param("flask; python_version<'3.8'", K.BARE, id="marker without a pin"),
        pytest.param("flask;", K.BARE, id="empty marker"),
        # local things: not reported
        pytest.param(".", K.LOCAL_PATH, id="current directory"),
        pytest.param("./x", K.LOCAL_PATH, id="relative path"),
        pytest.param("../x", K.LOCAL_PATH, id="parent path"),
        pytest.param("dir/sub", K.LOCAL_PATH, id="path with a slash"),
        pytest.param("/abs/pkg", K.LOCAL_PATH, id="absolute path"),
        pytest.param("~/x", K.LOCAL_PATH, id="home path"),
        pytest.param(".[dev]", K.LOCAL_PATH, id="path with extras"),
        pytest.param("x-1.0-py3-none-any.whl", K.ARCHIVE, id="wheel"),
        pytest.param("dist/x-1.0.tar.gz", K.ARCHIVE, id="sdist in a directory"),
        pytest.param("x.tgz", K.ARCHIVE, id="tgz"),
        pytest.param("x.tar.bz2", K.ARCHIVE, id="tar.bz2"),
        pytest.param("x.tar.xz", K.ARCHIVE, id="tar.xz"),
        pytest.param("x.zip", K.ARCHIVE, id="zip"),
        pytest.param("x.tar", K.ARCHIVE, id="tar"),
        pytest.param("X.WHL", K.ARCHIVE, id="extension in any case"),
        # URLs: not reported, except VCS without a ref
        pytest.param("https://example.com/x-1.0.tar.gz", K.URL, id="https url"),
        pytest.param("file:///src/x", K.URL, id="file url"),
        pytest.param("git+https://github.com/a/b@v1.0", K.VCS_PINNED, id="vcs with tag"),
        pytest.param("git+https://github.com/a/b.git@abc123#egg=b", K.VCS_PINNED, id="with egg"),
        pytest.param("git+ssh://git@github.com/a/b.git@v1", K.VCS_PINNED, id="ssh user and ref"),
        pytest.param("git+https://github.com/a/b", K.VCS_UNPINNED, id="vcs without ref"),
        pytest.param("git+ssh://git@github.com/a/b.git", K.VCS_UNPINNED, id="user is not a ref"),
        pytest.param("hg+https://hg.example/b#egg=b", K.VCS_UNPINNED, id="hg without ref"),
        pytest.param("git+https://github.com/a/b@", K.INVALID, id="empty ref: pip error"),
        pytest.param("flask @ https://h/flask-1.0.tar.gz", K.NAME_AT_URL, id="pep 508 url"),
        pytest.param("flask@https://h/flask.whl", K.NAME_AT_URL, id="pep 508 without spaces"),
        pytest.param("b @ git+https://github.com/a/b@v1", K.VCS_PINNED, id="pep 508 vcs with ref"),
        pytest.param("b @ git+https://github.com/a/b", K.VCS_UNPINNED, id="pep 508 vcs no ref"),
        # shell expansions
        pytest.param("flask==${V}", K.VARIABLE, id="braced variable version"),
        pytest.param("flask==$V", K.VARIABLE, id="plain variable version"),
        pytest.param("flask==${V:-1.0}", K.VARIABLE, id="variable with default"),
        pytest.param("flask==1.$MINOR", K.VARIABLE, id="part of the version"),
        pytest.param("flask==$(cat v)", K.VARIABLE, id="command substitution"),
        pytest.param("$PKGS", K.VARIABLE, id="whole argument is a variable"),
        pytest.param("${PKG}[extra]", K.VARIABLE, id="name is a variable"),
        pytest.param("flask>=$V", K.RANGE, id="variable in a range is still a range"),
        pytest.param("flask==${V}.*", K.RANGE, id="variable in a wildcard"),
        pytest.param("${PKG}==1.0", K.PINNED, id="literal pin of a variable name"),
        # pip rejects these: reported as not pinned
        pytest.param("flask=1.0", K.INVALID, id="single equals is not an operator"),
        pytest.param("flask==", K.INVALID, id="operator without a version"),
        pytest.param("flask==1.0; bogus marker", K.INVALID, id="invalid marker"),
        pytest.param("", K.INVALID, id="empty"),
        pytest.param("~", K.INVALID, id="not a name"),
    ],
)
def test_kind(arg: str, kind: ReqKindValue) -> None:
    assert classify(arg).kind == kind


REPORTED = {K.RANGE, K.BARE, K.VCS_UNPINNED, K.INVALID}
KINDS: tuple[ReqKindValue, ...] = (
    K.PINNED, K.RANGE, K.BARE, K.URL, K.VCS_PINNED, K.VCS_UNPINNED,
    K.LOCAL_PATH, K.ARCHIVE, K.NAME_AT_URL, K.VARIABLE, K.INVALID,
)  # fmt: skip


def test_kinds_lists_every_kind() -> None:
    assert sorted(KINDS) == sorted(v for k, v in vars(ReqKind).items() if not k.startswith("_"))


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_pinned_is_everything_spec_4_does_not_report(kind: ReqKindValue) -> None:
    assert Requirement(kind, None, "", (), None).pinned is (kind not in REPORTED)


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        pytest.param("Flask_SQLAlchemy==3.0", Requirement(K.PINNED, "flask-sqlalchemy", "==3.0", (), None), id="canonical name"),  # noqa: E501
        pytest.param("Flask[Async,dotenv]>=2", Requirement(K.RANGE, "flask", ">=2", ("async", "dotenv"), None), id="extras normalised and sorted"),  # noqa: E501
        pytest.param("a==1; python_version<'3.8'", Requirement(K.PINNED, "a", "==1", (), 'python_version < "3.8"'), id="marker normalised"),  # noqa: E501
        pytest.param("flask==${V}", Requirement(K.VARIABLE, "flask", "==${V}", (), None), id="variable kept as written"),  # noqa: E501
        pytest.param("$PKG", Requirement(K.VARIABLE, None, "", (), None), id="unknown name"),
        pytest.param("./pkg[Dev, test]", Requirement(K.LOCAL_PATH, None, "", ("dev", "test"), None), id="path extras"),  # noqa: E501
        pytest.param("dist/My_Pkg-1.0-py3-none-any.whl", Requirement(K.ARCHIVE, "my-pkg", "", (), None), id="wheel name"),  # noqa: E501
        pytest.param("git+https://g/a/b@v1#egg=B_c", Requirement(K.VCS_PINNED, "b-c", "", (), None), id="egg name"),  # noqa: E501
        pytest.param("b[x] @ https://h/b.zip", Requirement(K.NAME_AT_URL, "b", "", ("x",), None), id="pep 508 name"),  # noqa: E501
    ],
)
def test_details(arg: str, expected: Requirement) -> None:
    assert classify(arg) == expected


def test_canonical_name() -> None:
    assert canonical_name("Zope.Interface__x") == "zope-interface-x"


# --- pip as the oracle for the requirement grammar --------------------------------------------


@pytest.mark.parametrize(
    "arg",
    [
        pytest.param("flask==1.2", id="pin"),
        pytest.param("Flask[Async]==1.2; python_version<'3.8'", id="pin extras marker"),
        pytest.param("flask===1.2", id="arbitrary equality"),
        pytest.param("flask~=1.2", id="compatible"),
        pytest.param("flask==1.*", id="wildcard"),
        pytest.param("flask", id="bare"),
        pytest.param("flask;", id="empty marker"),
        pytest.param("flask=1.0", id="single equals"),
        pytest.param("flask==", id="no version"),
        pytest.param("flask==1.0; bogus marker", id="bad marker"),
        pytest.param("flask @ https://h/flask-1.0.tar.gz", id="pep 508 url"),
        pytest.param("~", id="not a name"),
    ],
)
def test_agrees_with_pip(arg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pip accepts exactly the arguments we do not call INVALID, with the same specifier."""
    try:
        from pip._internal.exceptions import InstallationError
        from pip._internal.req.constructors import parse_req_from_line
    except ImportError as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"pip is not importable: {exc}")
    monkeypatch.chdir(tmp_path)  # pip looks at the file system: make it empty
    ours = classify(arg)
    try:
        parts = parse_req_from_line(arg, None)
    except InstallationError:
        assert ours.kind == K.INVALID
        return
    assert ours.kind != K.INVALID
    assert parts.requirement is not None
    assert ours.specifier == str(parts.requirement.specifier)
    assert ours.name == canonical_name(parts.requirement.name)
