"""DFX002's view of one pip install argument (SPEC section 4), checked against pip as well."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfix.tools.requirements import ReqKind, Requirement, canonical_name, classify

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
        # pip's is_url runs urlsplit, which rejects a host with one bracket: pip fails
        pytest.param("http://[x/y", K.INVALID, id="url with a broken host"),
        pytest.param("//]", K.INVALID, id="path urlsplit rejects"),
        pytest.param("pkg @ http://[x", K.INVALID, id="name at a broken url"),
    ],
)
def test_kind(arg: str, kind: ReqKind) -> None:
    assert classify(arg).kind == kind


REPORTED = {K.RANGE, K.BARE, K.VCS_UNPINNED, K.INVALID}
KINDS: tuple[ReqKind, ...] = (
    K.PINNED, K.RANGE, K.BARE, K.URL, K.VCS_PINNED, K.VCS_UNPINNED,
    K.LOCAL_PATH, K.ARCHIVE, K.NAME_AT_URL, K.VARIABLE, K.INVALID,
)  # fmt: skip


def test_kinds_lists_every_kind() -> None:
    assert sorted(KINDS) == sorted(v for k, v in vars(ReqKind).items() if not k.startswith("_"))


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_pinned_is_everything_spec_4_does_not_report(kind: ReqKind) -> None:
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


# --- fast paths: packaging's reading without importing packaging ------------------------------

FAST = [
    pytest.param("flask", id="name"),
    pytest.param("Flask_SQLAlchemy", id="name to normalise"),
    pytest.param("flask==2.3.1", id="exact release"),
    pytest.param("a.b-c==10", id="dotted name, one-segment release"),
    pytest.param("9", id="digit name"),
]

SLOW = [
    pytest.param(".", id="current directory"),
    pytest.param("..", id="parent directory"),
    pytest.param("./pkg[Dev, test]", id="path with extras"),
    pytest.param("src/app", id="relative path"),
    pytest.param("/opt/app/", id="absolute path"),
    pytest.param("flask>=2", id="minimum"),
    pytest.param("flask>=2,<3", id="range"),
    pytest.param("Flask[Async,dotenv]==1.2,<2", id="pin among specifiers with extras"),
    pytest.param("pkg[x]~=1.4,!=1.5", id="compatible and exclusion"),
    pytest.param("pkg[x]", id="extras alone"),
    pytest.param("pkg<=1", id="at most"),
    pytest.param("pkg>1", id="above"),
    pytest.param("pkg~=1", id="compatible with one segment: invalid"),
    pytest.param("pkg>=1,>=1.0", id="an operator twice: packaging folds equal versions"),
    pytest.param("pkg===1", id="arbitrary equality"),
    pytest.param("pkg>=1.0rc1", id="pre-release"),
    pytest.param("pkg==1.*", id="wildcard"),
    pytest.param("pkg >=1", id="space"),
    pytest.param("pkg[]", id="empty extras"),
    pytest.param("pkg.zip[x]", id="archive with extras"),
    pytest.param("./dist/a-1.0.tar.gz", id="archive path"),
    pytest.param("./app; python_version>'3'", id="path with marker"),
    pytest.param("file:./app", id="scheme"),
    pytest.param("pkg @ ./app", id="name at path"),
    pytest.param("pkg>=1,", id="trailing comma"),
    pytest.param("//[x/", id="a host urlsplit rejects"),
    pytest.param("./caf\u00e9", id="not ascii"),
]


@pytest.mark.parametrize("arg", FAST + SLOW)
def test_fast_paths_read_as_packaging_does(arg: str) -> None:
    from dockerfix.tools.requirements import _classify_literal, _classify_parsed

    assert _classify_literal(arg) == _classify_parsed(arg)


@pytest.mark.parametrize("arg", FAST)
def test_fast_paths_do_not_need_packaging(arg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dockerfix.tools.requirements

    def refuse(text: str) -> Requirement:
        raise AssertionError(f"{text!r} went to packaging")

    monkeypatch.setattr(dockerfix.tools.requirements, "_classify_parsed", refuse)
    classify(arg)


@pytest.mark.parametrize("arg", SLOW)
def test_the_rest_goes_to_packaging(arg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dockerfix.tools.requirements

    parsed = Requirement(K.INVALID, "parsed by packaging", "", (), None)
    monkeypatch.setattr(dockerfix.tools.requirements, "_classify_parsed", lambda text: parsed)
    assert classify(arg) is parsed


_NAMES = st.sampled_from(["a", "Flask", "x_y", "a.b", "z-1", "9", "pkg.zip", "-a", "a-", ""])
_VERSIONS = st.sampled_from(["1", "1.2", "0.10.3", "01", "1.", ".1", "1.0rc1", "1.*", "1+l", "", "a"])
_OPERATOR = st.sampled_from(["==", "===", "!=", "<=", ">=", "~=", "<", ">", "=", "~", "!"])
_SPECIFIERS = st.lists(st.builds(str.__add__, _OPERATOR, _VERSIONS), max_size=3).map(",".join)
_EXTRAS = st.one_of(st.just(""), st.lists(_NAMES, max_size=3).map(lambda e: "[" + ",".join(e) + "]"))
_REQUIREMENTS = st.builds(lambda *parts: "".join(parts), _NAMES, _EXTRAS, _SPECIFIERS)
_PATHS = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", ".", "./", "../", "/", "src/", "a/b/"]),
    st.sampled_from(["", "app", "pkg.tar.gz", "a.whl", "x@y", "c:d", "e;f", " "]),
    _EXTRAS,
)


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(st.one_of(_REQUIREMENTS, _PATHS, st.text(alphabet="ab1.[],=<>!~;:@/ ", max_size=12)))
def test_fast_paths_agree_with_packaging_on_generated_arguments(arg: str) -> None:
    from dockerfix.tools.requirements import _classify_literal, _classify_parsed

    assert _classify_literal(arg) == _classify_parsed(arg.strip())
