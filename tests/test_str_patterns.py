"""The str operations that replaced regexes on a one-file run give the regexes' answers.

``import re`` costs a fifth of a one-file run (it loads enum), so the patterns every run
meets are str operations. The regexes they replace are kept here as their specification;
each is compared with its replacement on edge cases, on random text (hypothesis) where the
grammar is small, and on every relevant string of the corpus (``-m corpus``). The last test
runs dockerfix on typical files and checks that none of its modules imports re or fnmatch.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfix.analysis import _var_refs
from dockerfix.mentions import TOOL_LETTERS, may_say_install, maybe_tool
from dockerfix.cache import _is_mount_edit
from dockerfix.config import _may_open_our_table, may_hold_our_table
from dockerfix.discovery import DOCKERFILE_NAME_PATTERNS, _matches_name_patterns, glob_matches, is_literal_glob
from dockerfix.dockerfile import ScanError, _directive, _docker_words, _heredoc_word_parts, _keyword_end, scan
from dockerfix.pip import assignment_name, is_pip_program, is_python_program
from dockerfix.requirements import _EXPANSION, _PATH_EXTRAS, _strip_path_extras, simple_parts
from dockerfix.rules.pip_unpinned import _GLUED_REDIRECT, _glued_redirect
from dockerfix.suppression import _DOCKERFIX, _FOLD, _HADOLINT, may_be_pragma

# -- the regexes replaced --------------------------------------------------------------------

MAYBE_TOOL = re.compile(r"""(?i)p[\\'"\n]*i[\\'"\n]*p|u[\\'"\n]*v""")  # analysis
INSTALL = re.compile(r"""i[\\'"\n]*n[\\'"\n]*s[\\'"\n]*t[\\'"\n]*a[\\'"\n]*l[\\'"\n]*l""")  # analysis
VAR_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")  # analysis
DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")  # dockerfile
KEYWORD = re.compile(r"[^\t\v\f\r ]+")  # dockerfile
HEREDOC_WORD = re.compile(r"(\d*)<<(-?)([^<]*)$")  # dockerfile
PIP_PROGRAM = re.compile(r"pip(-?\d+(\.\d+)*)?")  # pip (Debian: pip-3.3)
PYTHON_PROGRAM = re.compile(r"python(\d+(\.\d+)*)?")  # pip
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)  # pip
SIMPLE = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:==([0-9]+(?:\.[0-9]+)*))?")  # requirements
OUR_TABLE = re.compile(  # config
    rb"""(?m)tool["']?[ \t]*\.[ \t]*["']?dockerfix|^[ \t]*\[[ \t]*["']?tool["']?[ \t]*\]|^[ \t]*["']?tool["']?[ \t]*="""
)
# Prefilters in front of patterns that stay (rare paths): each needs what its pattern needs.
PRAGMA_START = re.compile(r"(?i)dockerfix|hadolint")  # suppression
MOUNT_EDIT = r" ?--mount=type=cache,target=\S+(?: --mount=type=cache,target=\S+)* ?"  # cache

# Every character, for what re's classes and case folding take.
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def old_directive(line: str) -> tuple[str, str] | None:
    match = DIRECTIVE.match(line)
    return None if match is None else (match.group(1), match.group(2))


def old_keyword_end(text: str, pos: int) -> int:
    match = KEYWORD.match(text, pos)
    return pos if match is None else match.end()


def old_heredoc_word_parts(raw: str) -> tuple[bool, str] | None:
    match = HEREDOC_WORD.match(raw)
    return None if match is None else (match.group(2) == "-", match.group(3))


def old_assignment_name(word: str) -> str | None:
    match = ASSIGNMENT.fullmatch(word)
    return None if match is None else match.group(1)


def old_simple_parts(text: str) -> tuple[str, str | None] | None:
    match = SIMPLE.fullmatch(text)
    return None if match is None else (match.group(1), match.group(2))


def old_var_refs(value: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1) or m.group(2)) for m in VAR_REF.finditer(value)]


def old_name_patterns(lower: str) -> bool:
    return any(fnmatch.fnmatchcase(lower, p.lower()) for p in DOCKERFILE_NAME_PATTERNS)


# -- what the replacements rest on ----------------------------------------------------------


def test_re_digits_are_str_decimals() -> None:
    """``\\d`` in a str pattern: pip3.12, 3<<EOF (is_pip_program, _heredoc_word_parts)."""
    assert "".join(re.findall(r"\d", EVERY_CHARACTER)) == "".join(c for c in EVERY_CHARACTER if c.isdecimal())


def test_re_blanks_are_what_str_strip_drops() -> None:
    """``\\s`` in a str pattern: what str.strip / lstrip drop (_directive)."""
    assert "".join(re.findall(r"\s", EVERY_CHARACTER)) == "".join(c for c in EVERY_CHARACTER if not c.strip())


@pytest.mark.parametrize(
    ("letters", "table"),
    [
        pytest.param("piuv", TOOL_LETTERS, id="pip-uv"),
        pytest.param("dockerfixhadolint", _FOLD, id="pragmas"),
    ],
)
def test_case_folding_tables_are_re_ignorecase(letters: str, table: dict[int, str | None]) -> None:
    for letter in sorted(set(letters)):
        matched = set(re.findall(f"(?i){letter}", EVERY_CHARACTER))
        # Only the letter itself and the table's keys can translate to the letter.
        folded = {c for c in {letter, *map(chr, table)} if table.get(ord(c), c) == letter}
        assert matched == folded, letter


# -- edge cases, one test per replaced pattern ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("pip install x", id="pip"),
        pytest.param("PIP install x", id="upper"),
        pytest.param("p\"i\"p install x", id="quotes-inside"),
        pytest.param("p\\\ni'p'", id="escaped-newline"),
        pytest.param("pİp", id="dotted-capital-i"),
        pytest.param("pıp", id="dotless-i"),
        pytest.param("p i p", id="space-splits"),
        pytest.param("U\\V", id="uv-backslash"),
        pytest.param("apt-get install -y curl", id="neither"),
        pytest.param("pipx", id="pipx"),
        pytest.param("", id="empty"),
        pytest.param("ïnstall", id="not-i"),
        pytest.param("i\"n\"stall $P", id="install-quoted"),
        pytest.param("INSTALL $P", id="install-upper"),
        pytest.param("ins tall $P", id="install-split"),
    ],
)
def test_tool_and_install_prefilters(text: str) -> None:
    assert maybe_tool(text) == (MAYBE_TOOL.search(text) is not None)
    assert may_say_install(text) == (INSTALL.search(text) is not None)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("# escape=`", id="escape"),
        pytest.param("#escape=\\", id="no-blanks"),
        pytest.param("#  syntax = docker/dockerfile:1  ", id="blanks-around"),
        pytest.param("# Syntax=x", id="capital"),
        pytest.param("# check=skip=all;error=true", id="equals-in-value"),
        pytest.param("# escape= ", id="value-one-blank"),
        pytest.param("# escape=\t \t", id="value-blanks"),
        pytest.param("# escape=", id="no-value"),
        pytest.param("# escape= \n", id="blank-then-newline"),
        pytest.param("# escape=\n", id="newline-only"),
        pytest.param("# escape=a\nb", id="newline-inside"),
        pytest.param("# escape=a \n", id="final-newline"),
        pytest.param("# 1x=y", id="digit-first"),
        pytest.param("# x1=y", id="digit-later"),
        pytest.param("# é=y", id="non-ascii-name"),
        pytest.param("# a-b=y", id="dash-in-name"),
        pytest.param("# a b=y", id="two-words"),
        pytest.param("#\u3000escape\u3000=\u3000x\u3000", id="unicode-blanks"),
        pytest.param("# this is a comment", id="comment"),
        pytest.param("FROM x", id="instruction"),
        pytest.param("", id="empty"),
        pytest.param("#", id="hash"),
    ],
)
def test_directive(line: str) -> None:
    assert _directive(line) == old_directive(line)


@pytest.mark.parametrize(
    ("text", "pos"),
    [
        pytest.param("RUN pip", 0, id="run"),
        pytest.param("  RUN\tpip", 2, id="tab"),
        pytest.param("ONBUILD\vRUN x", 8, id="after-vertical-tab"),
        pytest.param("RUN\u3000pip", 0, id="unicode-blank-is-part-of-it"),
        pytest.param("RUN\npip", 0, id="newline-is-part-of-it"),
        pytest.param("RUN", 3, id="at-end"),
        pytest.param("RUN \r", 3, id="at-blank"),
        pytest.param("", 0, id="empty"),
    ],
)
def test_keyword_end(text: str, pos: int) -> None:
    assert _keyword_end(text, pos) == old_keyword_end(text, pos)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("<<EOF", id="plain"),
        pytest.param("<<-EOF", id="chomp"),
        pytest.param("3<<EOF", id="descriptor"),
        pytest.param("١<<EOF", id="arabic-indic-digit"),
        pytest.param("<<'EOF'", id="quoted"),
        pytest.param("<<", id="bare"),
        pytest.param("<<-", id="chomp-bare"),
        pytest.param("<<--x", id="two-dashes"),
        pytest.param("<<<x", id="herestring"),
        pytest.param("<<a<b", id="later-lt"),
        pytest.param("<<a\n", id="final-newline"),
        pytest.param("x<<EOF", id="word-before"),
        pytest.param("<EOF", id="one-lt"),
        pytest.param("", id="empty"),
    ],
)
def test_heredoc_word(raw: str) -> None:
    assert _heredoc_word_parts(raw) == old_heredoc_word_parts(raw)


@pytest.mark.parametrize(
    "program",
    [
        pytest.param("pip", id="pip"),
        pytest.param("pip3", id="major"),
        pytest.param("pip3.12", id="minor"),
        pytest.param("pip3.12.1", id="patch"),
        pytest.param("pip3.", id="trailing-dot"),
        pytest.param("pip.3", id="leading-dot"),
        pytest.param("pip3..1", id="two-dots"),
        pytest.param("pip٣", id="arabic-indic-digit"),
        pytest.param("pip²", id="superscript-two"),
        pytest.param("pipx", id="pipx"),
        pytest.param("pip-3", id="dash"),
        pytest.param("Pip", id="capital"),
        pytest.param("pi", id="short"),
        pytest.param("", id="empty"),
    ],
)
def test_program_names(program: str) -> None:
    assert is_pip_program(program) == (PIP_PROGRAM.fullmatch(program) is not None)
    python = "python" + program[3:]
    assert is_python_program(python) == (PYTHON_PROGRAM.fullmatch(python) is not None)
    assert is_python_program(program) == (PYTHON_PROGRAM.fullmatch(program) is not None)


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("A=1", id="simple"),
        pytest.param("_=", id="underscore-empty-value"),
        pytest.param("A_1=x=y", id="equals-in-value"),
        pytest.param("A=\nB", id="newline-in-value"),
        pytest.param("1A=x", id="digit-first"),
        pytest.param("é=x", id="non-ascii"),
        pytest.param("A-B=x", id="dash"),
        pytest.param("=x", id="no-name"),
        pytest.param("A", id="no-equals"),
        pytest.param("if=1", id="keyword-is-a-name"),
        pytest.param("", id="empty"),
    ],
)
def test_assignment(word: str) -> None:
    assert assignment_name(word) == old_assignment_name(word)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("flask", id="name"),
        pytest.param("flask==2.3.2", id="pinned"),
        pytest.param("a", id="one-letter"),
        pytest.param("zope.interface", id="dot"),
        pytest.param("a_b-c", id="underscore-dash"),
        pytest.param("a-", id="ends-with-dash"),
        pytest.param("-a", id="starts-with-dash"),
        pytest.param("a==", id="no-version"),
        pytest.param("a==1.", id="version-trailing-dot"),
        pytest.param("a==.1", id="version-leading-dot"),
        pytest.param("a==1..2", id="version-two-dots"),
        pytest.param("a===1", id="three-equals"),
        pytest.param("a==1==2", id="two-pins"),
        pytest.param("a==١", id="non-ascii-digit"),
        pytest.param("a=1", id="one-equals"),
        pytest.param("a>=1", id="range"),
        pytest.param("a[b]", id="extras"),
        pytest.param("é", id="non-ascii"),
        pytest.param("==1", id="no-name"),
        pytest.param("", id="empty"),
    ],
)
def test_simple_requirement(text: str) -> None:
    assert simple_parts(text) == old_simple_parts(text)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("/opt/venv/bin:$PATH", id="name"),
        pytest.param("${A}/x${B_1}", id="braces"),
        pytest.param("$$A", id="double-dollar"),
        pytest.param("$1 $A", id="digit-then-name"),
        pytest.param("${1}", id="digit-in-braces"),
        pytest.param("${A", id="unclosed"),
        pytest.param("${A-x}", id="default"),
        pytest.param("${}", id="empty-braces"),
        pytest.param("$é", id="non-ascii"),
        pytest.param("$", id="dollar-at-end"),
        pytest.param("a$", id="dollar-after"),
        pytest.param("$A$B", id="adjacent"),
        pytest.param("no references", id="none"),
    ],
)
def test_variable_references(value: str) -> None:
    assert list(_var_refs(value)) == old_var_refs(value)


@pytest.mark.parametrize(
    "pyproject",
    [
        pytest.param(b"[tool.dockerfix]", id="table"),
        pytest.param(b"[ 'tool' . \"dockerfix\" ]", id="quoted-dotted"),
        pytest.param(b"tool.dockerfix.select = ['DFX001']", id="dotted-key"),
        pytest.param(b"[tool]\ndockerfix = {}", id="tool-table"),
        pytest.param(b"  [ \"tool\"\t]", id="tool-table-quoted"),
        pytest.param(b"tool = { dockerfix = {} }", id="inline"),
        pytest.param(b"'tool'\t= {}", id="inline-quoted"),
        pytest.param(b'dependencies = ["dockerfix"]', id="dependency"),
        pytest.param(b"[tool.ruff]\n# dockerfix", id="other-tool"),
        pytest.param(b"tools.dockerfix", id="tools-dot"),
        pytest.param(b"tool..dockerfix", id="two-dots"),
        pytest.param(b"tool.\ndockerfix", id="newline-after-dot"),
        pytest.param(b"x = 1\n[tool]\r\n", id="crlf"),
        pytest.param(b"[tool]]", id="two-brackets"),
        pytest.param(b"\"\"tool = 1", id="two-quotes"),
        pytest.param(b"", id="empty"),
    ],
)
def test_pyproject_prefilter(pyproject: bytes) -> None:
    assert any(_may_open_our_table(line) for line in pyproject.split(b"\n")) == (OUR_TABLE.search(pyproject) is not None)
    assert may_hold_our_table(pyproject) == (b"dockerfix" in pyproject and OUR_TABLE.search(pyproject) is not None)


_TOML_PIECES = [b"tool", b"dockerfix", b"tools", b".", b" ", b"\t", b'"', b"'", b"[", b"]", b"=", b"\n", b"\r", b"x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_TOML_PIECES), max_size=14).map(b"".join))
def test_pyproject_prefilter_on_random_text(pyproject: bytes) -> None:
    assert any(_may_open_our_table(line) for line in pyproject.split(b"\n")) == (OUR_TABLE.search(pyproject) is not None)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("dockerfile", id="dockerfile"),
        pytest.param("containerfile", id="containerfile"),
        pytest.param("app.dockerfile", id="suffix"),
        pytest.param(".dockerfile", id="only-suffix"),
        pytest.param("dockerfile.dev", id="prefix"),
        pytest.param("dockerfile.", id="prefix-only"),
        pytest.param("containerfile.x", id="containerfile-prefix"),
        pytest.param("dockerfiles", id="plural"),
        pytest.param("mydockerfile", id="no-dot"),
        pytest.param("dockerfile\n", id="newline"),
        pytest.param("", id="empty"),
    ],
)
def test_dockerfile_names(name: str) -> None:
    assert _matches_name_patterns(name) == old_name_patterns(name)


def test_dockerfile_name_patterns_have_the_shapes_read_without_fnmatch() -> None:
    for pattern in DOCKERFILE_NAME_PATTERNS:
        body = pattern.removeprefix("*") if pattern.startswith("*") else pattern.removesuffix("*")
        assert not any(c in body for c in "*?["), pattern


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        pytest.param("node_modules", "node_modules", id="literal"),
        pytest.param("node_modules2", "node_modules", id="literal-longer"),
        pytest.param("Node_modules", "node_modules", id="literal-case"),
        pytest.param("a.b", "a.b", id="dot"),
        pytest.param("a\\b", "a\\b", id="backslash"),
        pytest.param("a]", "a]", id="closing-bracket"),
        pytest.param("a!", "a!", id="bang"),
        pytest.param("x\n", "x", id="final-newline"),
        pytest.param("abc.Dockerfile", "*.Dockerfile", id="star"),
        pytest.param("a/b", "a?b", id="question"),
        pytest.param("ab", "a[bc]", id="class"),
        pytest.param("a[", "a[", id="unclosed-class"),
    ],
)
def test_globs(text: str, pattern: str) -> None:
    assert glob_matches(text, pattern) == fnmatch.fnmatchcase(text, pattern)
    if is_literal_glob(pattern):  # what lets _Globs skip fnmatch for it
        assert fnmatch.fnmatchcase(text, pattern) == (text == pattern)


@pytest.mark.parametrize(
    "comment",
    [
        pytest.param("dockerfix: ignore", id="ours"),
        pytest.param("DockerFix: ignore=DFX001", id="ours-case"),
        pytest.param("hadolint ignore=DL3042", id="hadolint"),
        pytest.param("HADOLİNT ignore=DL3042", id="dotted-capital-i"),
        pytest.param("doc\u212aerfix: ignore", id="kelvin-sign"),
        pytest.param("dockerfıx", id="dotless-i"),
        pytest.param("install the app", id="comment"),
        pytest.param(" dockerfix: ignore", id="blank-first"),
        pytest.param("dockerfi", id="short"),
        pytest.param("", id="empty"),
    ],
)
def test_pragma_prefilter(comment: str) -> None:
    assert may_be_pragma(comment) == (PRAGMA_START.match(comment) is not None)
    for pattern in (_DOCKERFIX, _HADOLINT):
        assert re.match(pattern, comment) is None or may_be_pragma(comment)


@given(st.text())
def test_rare_path_prefilters_need_what_their_patterns_need(text: str) -> None:
    """Each prefilter rules out only texts its pattern cannot match."""
    if re.findall(_EXPANSION, text):
        assert "$" in text or "`" in text
    assert (_glued_redirect(text, 0) is not None) == (re.match(_GLUED_REDIRECT, text) is not None)
    assert _is_mount_edit(text) == (re.fullmatch(MOUNT_EDIT, text) is not None)
    if re.match(_PATH_EXTRAS, text):
        assert text.endswith(("]", "]\n"))  # what _strip_path_extras asks before loading re


@pytest.mark.parametrize("text", ["./p[a]", "./p[a]\n", "./p[a]\n\n", "./p[a] ", "./p", "[a]", "./p[]"])
def test_path_extras_prefilter(text: str) -> None:
    match = re.match(_PATH_EXTRAS, text)
    assert (_strip_path_extras(text)[0] != text) == (match is not None)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(" --mount=type=cache,target=/root/.cache/pip ", id="one"),
        pytest.param("--mount=type=cache,target=/a --mount=type=cache,target=/b", id="two"),
        pytest.param(" --no-cache-dir", id="flag"),
        pytest.param("--mount=type=cache,target=", id="no-target"),
    ],
)
def test_mount_edit_prefilter(content: str) -> None:
    assert _is_mount_edit(content) == (re.fullmatch(MOUNT_EDIT, content) is not None)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        pytest.param("pip install x>=1.0,<2 y", 13, id="glued"),
        pytest.param("pip install x >=1", 13, id="blank-first"),
        pytest.param("pip install x", 13, id="at-end"),
        pytest.param("x<'a'", 1, id="quote-after"),
    ],
)
def test_glued_redirect_prefilter(text: str, at: int) -> None:
    expected = re.compile(_GLUED_REDIRECT).match(text, at)
    found = _glued_redirect(text, at)
    assert (found and found.span()) == (expected and expected.span())


# -- the corpus: every relevant string, old pattern against new function ---------------------


class CorpusStrings:
    """The strings of the corpus each replaced pattern meets: physical lines, RUN scripts
    (and heredoc bodies), whitespace-split words (also unquoted, and their base names),
    comments, heredoc words, file names."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        self.lines: set[str] = set()
        self.scripts: set[str] = set()
        self.comments: set[str] = set()
        self.names: set[str] = set()
        for name, text in texts:
            self.names.update((name, *name.split("__")))
            self.lines.update(text.split("\n"))
            try:
                dockerfile = scan(text)
            except ScanError:
                continue
            self.comments.update(c.text for c in dockerfile.comments)
            for ins in dockerfile.instructions:
                self.scripts.add(ins.args.text)
                self.scripts.update(h.body.text for h in ins.heredocs)
        self.words: set[str] = set()
        for line in self.lines:
            for word in line.split():
                bare = word.strip("'\"\\,[]")
                self.words.update((word, bare, posixpath.basename(bare)))
        docker_words = {raw for line in self.lines if "<<" in line for _, _, raw in _docker_words(line)}
        self.heredoc_words = docker_words | {word for word in self.words if "<" in word}

    @property
    def texts(self) -> set[str]:
        return self.lines | self.scripts


@pytest.fixture(scope="module")
def corpus() -> CorpusStrings:
    from test_corpus import _corpus_texts  # skips without the corpus, fails when CI=true

    return CorpusStrings(_corpus_texts())


def _disagreements(strings: set[str], old: object, new: object) -> list[str]:
    return [s for s in sorted(strings) if old(s) != new(s)]  # type: ignore[operator]


@pytest.mark.corpus
def test_corpus_tool_and_install_prefilters(corpus: CorpusStrings) -> None:
    texts = corpus.texts
    assert len(texts) > 100_000
    assert _disagreements(texts, lambda t: MAYBE_TOOL.search(t) is not None, maybe_tool) == []
    assert _disagreements(texts, lambda t: INSTALL.search(t) is not None, may_say_install) == []


@pytest.mark.corpus
def test_corpus_directives_and_keywords(corpus: CorpusStrings) -> None:
    lines = corpus.lines | {line.lstrip() for line in corpus.lines}
    assert _disagreements(lines, old_directive, _directive) == []
    texts = corpus.texts

    def at_keyword(f: object) -> object:
        return lambda t: f(t, len(t) - len(t.lstrip()))  # type: ignore[operator]

    assert _disagreements(texts, at_keyword(old_keyword_end), at_keyword(_keyword_end)) == []


@pytest.mark.corpus
def test_corpus_heredoc_words(corpus: CorpusStrings) -> None:
    assert len(corpus.heredoc_words) > 100
    assert _disagreements(corpus.heredoc_words, old_heredoc_word_parts, _heredoc_word_parts) == []


@pytest.mark.corpus
def test_corpus_words(corpus: CorpusStrings) -> None:
    """Program names, assignments, simple requirements: every word of the corpus."""
    words = corpus.words
    assert len(words) > 100_000
    assert _disagreements(words, lambda w: PIP_PROGRAM.fullmatch(w) is not None, is_pip_program) == []
    assert _disagreements(words, lambda w: PYTHON_PROGRAM.fullmatch(w) is not None, is_python_program) == []
    assert _disagreements(words, old_assignment_name, assignment_name) == []
    assert _disagreements(words, old_simple_parts, simple_parts) == []


@pytest.mark.corpus
def test_corpus_variable_references(corpus: CorpusStrings) -> None:
    values = {s for s in corpus.lines | corpus.words if "$" in s}
    assert len(values) > 10_000
    assert _disagreements(values, old_var_refs, lambda v: list(_var_refs(v))) == []


@pytest.mark.corpus
def test_corpus_comments_and_names(corpus: CorpusStrings) -> None:
    assert _disagreements(corpus.comments, lambda c: PRAGMA_START.match(c) is not None, may_be_pragma) == []
    names = {n.lower() for n in corpus.names}
    assert _disagreements(names, old_name_patterns, _matches_name_patterns) == []
