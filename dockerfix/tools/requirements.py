"""Classify one ``pip install`` positional argument for DFX002 pip-unpinned (SPEC section 4).

The argument is already shell-unquoted. The requirement grammar (PEP 508 names, extras,
specifiers, markers, ``name @ url``) is parsed with ``packaging``, never with regexes. The
order of the checks follows pip's own ``parse_req_from_line`` (pip/_internal/req/
constructors.py): URL first, then archive files, then paths, then a PEP 508 requirement.
pip also asks the file system (is that directory there?); a linter cannot, so anything that
looks like a path (has a ``/`` or starts with ``.``) is taken to be one.

Decisions a rule author must know:

* ``pinned`` (not reported): PINNED, URL, VCS_PINNED, LOCAL_PATH, ARCHIVE, NAME_AT_URL, VARIABLE.
  Reported: RANGE, BARE, VCS_UNPINNED, INVALID.
* PINNED means at least one exact specifier: ``==V`` without a wildcard, or ``===V``
  (``flask==1.2,<2`` is pinned: the version is fixed). ``==1.*`` is a RANGE.
* INVALID is reported: pip rejects the argument (``pkg=1.0``: "= is not a valid operator"),
  so the RUN fails anyway, and the intended requirement is not an exact pin as written.
* ``name @ git+https://...`` is classified by its VCS URL (VCS_PINNED / VCS_UNPINNED, with
  the name), because a VCS URL without ``@ref`` floats like a bare name; any other
  ``name @ url`` is NAME_AT_URL.
* Shell expansions (``$V``, ``${V}``, ``${V:-1}``, ``$(cmd)``, backquotes) are unknown at
  lint time. An exact pin whose version comes from one (``flask==${V}``) and a package name
  that is an expansion (``$PKGS``, ``${PKG}[x]``) are VARIABLE (not reported). A non-exact
  operator stays RANGE even with a variable (``flask>=$V``). Callers should pass only text
  where ``$`` is really expanded (not from single quotes).
* A VCS URL whose ``@`` is empty (``...git@``) is INVALID (pip errors).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet


# packaging is imported by the functions that need it: ``name`` and ``name==1.2`` do not.


class ReqKind(StrEnum):
    PINNED = "pinned"  # name==1.2, name===1.2 (extras and markers allowed)
    RANGE = "range"  # >=, ~=, <, !=, ==1.*: not one exact version
    BARE = "bare"  # no version at all (extras / marker only)
    URL = "url"  # http(s)/ftp/file URL
    VCS_PINNED = "vcs-pinned"  # git+https://...@ref
    VCS_UNPINNED = "vcs-unpinned"  # git+https://... without @ref
    LOCAL_PATH = "local-path"  # ., ./x, ../x, dir/sub, /abs, ~/x
    ARCHIVE = "archive"  # x.whl, x.tar.gz, x.zip, ...
    NAME_AT_URL = "name-at-url"  # PEP 508 name @ https://...
    VARIABLE = "variable"  # pinned by a shell expansion: flask==${V}
    INVALID = "invalid"  # pip rejects it: pkg=1.0, pkg==, ...


# Kinds SPEC 4 does not report.
_NOT_REPORTED = frozenset(
    {
        ReqKind.PINNED,
        ReqKind.URL,
        ReqKind.VCS_PINNED,
        ReqKind.LOCAL_PATH,
        ReqKind.ARCHIVE,
        ReqKind.NAME_AT_URL,
        ReqKind.VARIABLE,
    }
)


class Requirement(NamedTuple):
    """What one ``pip install`` argument asks for, as DFX002 sees it."""

    kind: ReqKind
    name: str | None  # canonical (PEP 503 normalised) name when known
    specifier: str  # e.g. ">=1.2" ("" if none), as packaging normalises it (sorted)
    extras: tuple[str, ...]  # normalised, sorted
    marker: str | None

    @property
    def pinned(self) -> bool:
        """True for everything SPEC 4 says is NOT reported."""
        return self.kind in _NOT_REPORTED


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name: ``Flask_SQLAlchemy`` -> ``flask-sqlalchemy``.

    PEP 503's own definition, as packaging's ``canonicalize_name`` has it.
    """
    return _SEPARATORS.sub("-", name).lower()


# pip's utils/filetypes.py ARCHIVE_EXTENSIONS.
_ARCHIVE_EXTENSIONS = (
    ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar",
    ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
)  # fmt: skip
_PLAIN_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"})
_VCS = frozenset({"git", "hg", "svn", "bzr"})  # pip's vcs backends; scheme is vcs+transport
_SEPARATORS = re.compile(r"[-_.]+")
# Shell expansions, not requirement grammar: $NAME, ${...}, $(...), $1/$@..., `...`.
_EXPANSION = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?!$-]|`[^`]*`")
# The two commonest arguments, ``name`` and ``name==1.2``: a PEP 508 name (packaging's NAME
# rule) and, optionally, ``==`` with a release-only version. packaging would parse them to the
# same Requirement (tests/test_requirements.py and the corpus test check it); reading them here
# spares most files importing packaging.
_SIMPLE = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:==([0-9]+(?:\.[0-9]+)*))?")
# pip's strip_extras for paths: "./pkg[dev,test]".
_PATH_EXTRAS = r"^(.+)(\[[^\]]+\])$"


def classify(arg: str) -> Requirement:
    """Classify one shell-unquoted ``pip install`` argument (see the module docstring)."""
    refs = _EXPANSION.findall(arg)
    if not refs:
        return _classify_literal(arg)
    # Put a digit-only sentinel (valid as a name and as a version) for each expansion, parse,
    # then see where the sentinels ended up. Longer than any digit run in arg: no collision.
    fence = "9" * (max(map(len, re.findall(r"[0-9]+", arg)), default=0) + 1)
    sentinels = {f"{fence}{k}{fence}": ref for k, ref in enumerate(refs)}
    text = arg
    for sentinel, ref in sentinels.items():
        text = text.replace(ref, sentinel, 1)
    return _with_expansions(_classify_literal(text), sentinels)


def _with_expansions(req: Requirement, sentinels: dict[str, str]) -> Requirement:
    def has(s: str | None) -> bool:
        return s is not None and any(x in s for x in sentinels)

    def restore(s: str) -> str:
        for sentinel, ref in sentinels.items():
            s = s.replace(sentinel, ref)
        return s

    kind = req.kind
    if (kind == ReqKind.PINNED and has(req.specifier)) or (kind == ReqKind.BARE and has(req.name)):
        kind = ReqKind.VARIABLE
    return req._replace(kind=kind,
        name=None if has(req.name) else req.name,
        specifier=restore(req.specifier),
        extras=tuple(restore(e) for e in req.extras),
        marker=None if req.marker is None else restore(req.marker),
    )


def _classify_literal(arg: str) -> Requirement:
    text = arg.strip()
    simple = simple_parts(text)
    if simple is not None and not _is_archive(text):
        name, version = simple
        if version is None:
            return Requirement(ReqKind.BARE, canonical_name(name), "", (), None)
        return Requirement(ReqKind.PINNED, canonical_name(name), f"=={version}", (), None)
    return _classify_parsed(text)


def simple_parts(text: str) -> tuple[str, str | None] | None:
    """``(name, version)`` of ``name`` (version None) or ``name==1.2``; None for the rest."""
    match = _SIMPLE.fullmatch(text)
    return None if match is None else (match.group(1), match.group(2))


def _classify_parsed(text: str) -> Requirement:
    try:
        is_url = _is_url(text)
    except ValueError:  # urlsplit rejects it (``http://[x``), as it does in pip: the RUN fails
        return _invalid()
    # pip splits the marker off first, with "; " after a URL (";" may be part of a URL).
    head, sep, marker_text = text.partition("; " if is_url else ";")
    marker: str | None = None
    if sep and marker_text.strip():
        from packaging.markers import InvalidMarker, Marker

        try:
            marker = str(Marker(marker_text.strip()))
        except InvalidMarker:
            return _invalid()
    head = head.strip()
    if not head:
        return _invalid()
    if is_url:
        return _classify_url(head, None, (), marker)
    path, extras = _strip_path_extras(head)
    if _is_archive(path) and not _is_name_at(head):
        return Requirement(ReqKind.ARCHIVE, _name_from_file(path), "", extras, marker)
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as _Pep508

    try:
        req = _Pep508(head)
    except InvalidRequirement:
        req = None
    if req is not None and req.url:
        extras = _canonical_extras(req.extras)
        return _classify_url(req.url, canonical_name(req.name), extras, marker)
    if _looks_like_path(head):
        return Requirement(ReqKind.LOCAL_PATH, None, "", extras, marker)
    if req is None:
        return _invalid()
    return Requirement(
        _version_kind(req.specifier),
        canonical_name(req.name),
        str(req.specifier),
        _canonical_extras(req.extras),
        marker,
    )


def exact_version(spec: SpecifierSet) -> str | None:
    """The one version a specifier set fixes (``==V`` without ``.*``, or ``===V``), or None."""
    for s in spec:
        if s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*")):
            return s.version
    return None


def _version_kind(spec: SpecifierSet) -> ReqKind:
    """PINNED if any specifier fixes one version (see ``exact_version``)."""
    if exact_version(spec) is not None:
        return ReqKind.PINNED
    return ReqKind.RANGE if len(spec) else ReqKind.BARE


def _classify_url(
    url: str, name_at: str | None, extras: tuple[str, ...], marker: str | None
) -> Requirement:
    """A URL argument, or the URL of PEP 508 ``name_at @ url``."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # a host urlsplit rejects (``[x``): pip cannot use it either
        return _invalid()
    name = name_at or _name_from_url(parts.fragment, parts.path)
    vcs, plus, _ = parts.scheme.partition("+")
    if not (plus and vcs in _VCS):
        kind: ReqKind = ReqKind.URL if name_at is None else ReqKind.NAME_AT_URL
        return Requirement(kind, name, "", extras, marker)
    # pip's VersionControl.get_url_rev_and_auth: the revision is after the last "@" of the
    # path (an "@" in the netloc is the user: git+ssh://git@host/x).
    if "@" not in parts.path:
        return Requirement(ReqKind.VCS_UNPINNED, name, "", extras, marker)
    if not parts.path.rsplit("@", 1)[1]:
        return _invalid()  # pip: "has an empty revision (after @)"
    return Requirement(ReqKind.VCS_PINNED, name, "", extras, marker)


def _invalid() -> Requirement:
    return Requirement(ReqKind.INVALID, None, "", (), None)


def _is_url(text: str) -> bool:
    """pip's vcs.is_url: a scheme pip downloads from (http, https, file, ftp, vcs+transport)."""
    from urllib.parse import urlsplit  # not at import: most requirements never get here

    scheme = urlsplit(text).scheme
    vcs, plus, transport = scheme.partition("+")
    return scheme in _PLAIN_URL_SCHEMES or bool(plus and transport and vcs in _VCS)


def _looks_like_path(text: str) -> bool:
    """pip's _looks_like_path (POSIX: images are Linux): a "/" anywhere, or a leading "."."""
    return "/" in text or text.startswith(".")


def _is_archive(path: str) -> bool:
    return path.lower().endswith(_ARCHIVE_EXTENSIONS)


def _is_name_at(text: str) -> bool:
    """pip's exception in _get_url_from_path: ``x @ https://h/x.whl`` is a PEP 508 URL
    requirement when the part before the first "@" does not look like a path."""
    before, at, _ = text.partition("@")
    return bool(at) and not _looks_like_path(before)


def _strip_path_extras(text: str) -> tuple[str, tuple[str, ...]]:
    """pip's strip_extras for paths and archives: ``./pkg[dev, test]``."""
    match = re.match(_PATH_EXTRAS, text)
    if match is None:
        return text, ()
    return match.group(1), _canonical_extras(e.strip() for e in match.group(2)[1:-1].split(","))


def _canonical_extras(extras: Iterable[str]) -> tuple[str, ...]:
    """Extras compare normalised like names (PEP 685), sorted for stable output."""
    return tuple(sorted({canonical_name(e) for e in extras if e}))


def _name_from_file(path: str) -> str | None:
    """The project name in a wheel or sdist file name, when it follows the standards."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    filename = posixpath.basename(path)
    try:
        if filename.lower().endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def _name_from_url(fragment: str, path: str) -> str | None:
    """``#egg=name`` (pip's legacy way to name a URL), else the archive file name."""
    from urllib.parse import parse_qs

    egg = parse_qs(fragment).get("egg")
    if egg and egg[0]:
        from packaging.requirements import InvalidRequirement
        from packaging.requirements import Requirement as _Pep508

        try:
            return canonical_name(_Pep508(egg[0]).name)
        except InvalidRequirement:
            return None
    return _name_from_file(path) if _is_archive(path) else None
