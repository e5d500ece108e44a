"""pip's install option table (pip_options) and argv reader (pip_command_line), checked against pip's own optparse parser."""

from __future__ import annotations

import contextlib
import io
import shlex
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dockerfix.tools.pip_command_line import PipCommandLine, has_option, option_args, parse_pip_argv, resolve_long
from dockerfix.tools.pip_options import GENERAL_OPTIONS, INSTALL_OPTIONS, MAIN_ONLY_OPTIONS, PIP_VERSION, Option

INSTALL_TABLE = GENERAL_OPTIONS + INSTALL_OPTIONS


def parse(command: str) -> PipCommandLine:
    """argv after the pip program, written as a shell string for readability."""
    return parse_pip_argv(shlex.split(command))


def positionals(cl: PipCommandLine) -> list[str]:
    return [a.text for a in cl.positionals]


# --- abbreviations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("--no-cache-dir", "--no-cache-dir", id="exact spelling"),
        pytest.param("--no-cache", "--no-cache-dir", id="unambiguous prefix"),
        pytest.param("--no-cache-d", "--no-cache-dir", id="longer prefix"),
        pytest.param("--no-cache-dir=1", "--no-cache-dir", id="looks only before the equals sign"),
        pytest.param("--no-c", None, id="ambiguous: no-color no-clean no-compile no-cache-dir"),
        pytest.param("--no-cache-dirs", None, id="longer than any option is unknown"),
        pytest.param("--ind=https://x", "--index-url", id="abbreviation with inline value"),
        pytest.param("--pre", "--pre", id="exact spelling wins over --prefix --prefer-binary"),
        pytest.param("--src", "--src", id="exact alias wins over --source"),
        pytest.param("--use", None, id="ambiguous: --use-feature --use-pep517 --user"),
        pytest.param("--default-t", "--timeout", id="prefix of an alias gives the option"),
        pytest.param("--bogus", None, id="unknown"),
    ],
)
def test_resolve_long(word: str, expected: str | None) -> None:
    option = resolve_long(word, INSTALL_TABLE)
    assert (option.long[0] if option else None) == expected


def test_resolve_long_depends_on_the_whole_parser() -> None:
    assert resolve_long("--no-co", GENERAL_OPTIONS) is not None  # --no-color only
    assert resolve_long("--no-co", INSTALL_TABLE) is None  # also --no-compile


# --- the cache flag (DFX001) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "cache_off"),
    [
        pytest.param("install --no-cache-dir flask", True, id="flag after install"),
        pytest.param("install flask --no-cache-dir", True, id="flag after the packages"),
        pytest.param("--no-cache-dir install flask", True, id="flag before the subcommand"),
        pytest.param("install --no-cache flask", True, id="abbreviation"),
        pytest.param("install --no-cache-d flask", True, id="longer abbreviation"),
        pytest.param("--no-cache install flask", True, id="abbreviation before the subcommand"),
        pytest.param("-q --no-cache-dir install -U flask", True, id="among other options"),
        pytest.param("install flask", False, id="no flag"),
        pytest.param("install --no-cache-dir=1 flask", False, id="flag given a value is an error"),
        pytest.param("install --no-c flask", False, id="ambiguous abbreviation is an error"),
        pytest.param("install --cache-dir /tmp/c flask", False, id="cache-dir keeps the cache"),
        pytest.param("install -- --no-cache-dir", False, id="after -- it is a package"),
        pytest.param("install -r --no-cache-dir", False, id="value of -r"),
        pytest.param("--log --no-cache-dir install flask", False, id="value of --log"),
        pytest.param("download --no-cache-dir flask", True, id="general option in other command"),
    ],
)
def test_no_cache_dir_flag(command: str, cache_off: bool) -> None:
    assert has_option(parse(command), "--no-cache-dir") is cache_off


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        pytest.param("install --no-cache flask", True, id="no-cache-dir sets pip dest cache_dir"),
        pytest.param("install --cache-dir /c flask", True, id="so does --cache-dir DIR"),
        pytest.param("install --no-cache-dir=1 flask", False, id="an error never counts"),
        pytest.param("install flask", False, id="neither"),
    ],
)
def test_has_option_by_pip_dest(command: str, expected: bool) -> None:
    assert has_option(parse(command), "cache_dir") is expected


def test_last_one_wins_order_is_kept() -> None:
    cl = parse("install --no-cache-dir --cache-dir /c flask")
    assert [a.option.long[0] for a in option_args(cl, "cache_dir") if a.option] == [
        "--no-cache-dir",
        "--cache-dir",
    ]


# --- what each word is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "subcommand", "packages"),
    [
        pytest.param("install flask", "install", ["flask"], id="plain"),
        pytest.param("--log /tmp/x install flask", "install", ["flask"], id="general value before"),
        pytest.param("--proxy=http://p install flask", "install", ["flask"], id="inline general"),
        pytest.param("--timeout 60 install flask", "install", ["flask"], id="timeout before"),
        pytest.param("--python /usr/bin/python3 install x", "install", ["x"], id="python before"),
        pytest.param("-q install flask", "install", ["flask"], id="general flag before"),
        pytest.param("-qq --retries 3 -v install x", "install", ["x"], id="several before"),
        pytest.param("install -qU flask", "install", ["flask"], id="short flag cluster"),
        pytest.param("install -rreq.txt flask", "install", ["flask"], id="glued short value"),
        pytest.param("install -r req.txt flask", "install", ["flask"], id="short value"),
        pytest.param("install -qqr req.txt flask", "install", ["flask"], id="value ends cluster"),
        pytest.param("install -Ur req.txt", "install", [], id="flag then value in a cluster"),
        pytest.param("install -i https://x/simple flask", "install", ["flask"], id="index url"),
        pytest.param("install --index-url=https://x flask", "install", ["flask"], id="inline"),
        pytest.param("install --index-url https://x flask", "install", ["flask"], id="long value"),
        pytest.param("install --timeout 60 flask", "install", ["flask"], id="timeout after"),
        pytest.param("install --target /opt/lib flask", "install", ["flask"], id="target dir"),
        pytest.param("install -t /opt/lib flask", "install", ["flask"], id="short target"),
        pytest.param("install -C key=val flask", "install", ["flask"], id="config settings"),
        pytest.param("install -e . flask", "install", ["flask"], id="editable is a value"),
        pytest.param("install -c c.txt flask", "install", ["flask"], id="constraint file"),
        pytest.param("install -r -weird flask", "install", ["flask"], id="value may start with -"),
        pytest.param("install flask -U requests", "install", ["flask", "requests"], id="mixed"),
        pytest.param("install --upgrade pip", "install", ["pip"], id="upgrade is a flag"),
        pytest.param("install -- -x flask", "install", ["-x", "flask"], id="-- ends options"),
        pytest.param("install - flask", "install", ["-", "flask"], id="lone dash is a word"),
        pytest.param("-- install flask", "install", ["flask"], id="-- before the subcommand"),
        pytest.param("-- install -U x", "install", ["-U", "x"], id="pip re-parses after --"),
        pytest.param("install $PKGS --user", "install", ["$PKGS"], id="variable is a word"),
        pytest.param("install", "install", [], id="nothing to install"),
        pytest.param("list --outdated", "list", [], id="other subcommand"),
        pytest.param("download -d /tmp flask", "download", ["/tmp", "flask"], id="lenient"),
        pytest.param("config set global.no-cache-dir 1", "config", ["set", "global.no-cache-dir", "1"], id="config"),  # noqa: E501
        pytest.param("--version", None, [], id="no subcommand"),
        pytest.param("", None, [], id="empty"),
    ],
)
def test_words(command: str, subcommand: str | None, packages: list[str]) -> None:
    cl = parse(command)
    assert cl.subcommand == subcommand
    assert positionals(cl) == packages
    if subcommand is not None:
        assert cl.subcommand_index is not None
        assert shlex.split(command)[cl.subcommand_index] == subcommand


@pytest.mark.parametrize(
    ("command", "index", "dest", "inline", "value"),
    [
        pytest.param("install -rreq.txt", 1, "requirements", "req.txt", None, id="glued"),
        pytest.param("install -r req.txt", 1, "requirements", None, "req.txt", id="separate"),
        pytest.param("install --index-url=U", 1, "index_url", "U", None, id="long inline"),
        pytest.param("install --ind U", 1, "index_url", None, "U", id="abbreviated"),
        pytest.param("--log=/l install", 0, "log", "/l", None, id="general inline"),
        pytest.param("--log /l install", 0, "log", None, "/l", id="general separate"),
        pytest.param("install -C k=v", 1, "config_settings", None, "k=v", id="config setting"),
    ],
)
def test_option_values(
    command: str, index: int, dest: str, inline: str | None, value: str | None
) -> None:
    cl = parse(command)
    [opt] = option_args(cl, dest)
    assert (opt.index, opt.inline_value) == (index, inline)
    values = [a.text for a in cl.args if a.kind == "value" and a.option is opt.option]
    assert values == ([] if value is None else [value])


def test_a_cluster_gives_one_entry_per_letter() -> None:
    cl = parse("install -qUrreq.txt x")
    entries = [(a.index, a.spelling, a.inline_value) for a in cl.args if a.kind == "option"]
    assert entries == [(1, "-q", None), (1, "-U", None), (1, "-r", "req.txt")]


# --- what pip rejects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "error"),
    [
        pytest.param("install --no-cache-dir=1 x", "--no-cache-dir option does not take a value", id="flag with value"),  # noqa: E501
        pytest.param("install --no-c x", "ambiguous option: --no-c", id="ambiguous"),
        pytest.param("install --bogus x", "no such option: --bogus", id="unknown long"),
        pytest.param("install -Z x", "no such option: -Z", id="unknown short"),
        pytest.param("install -qZ x", "no such option: -Z", id="unknown short in a cluster"),
        pytest.param("install -r", "-r option requires 1 argument", id="missing value"),
        pytest.param("install --index-url", "--index-url option requires 1 argument", id="missing long value"),  # noqa: E501
        pytest.param("-U install x", "no such option: -U", id="install option before subcommand"),
        pytest.param("--no-co install x", "ambiguous option: --no-co", id="reparsed by install"),
        pytest.param("--pro p install x", "ambiguous option: --pro", id="proxy or progress-bar"),
        pytest.param("download --no-c x", "ambiguous option: --no-c", id="ambiguous anywhere"),
    ],
)
def test_errors(command: str, error: str) -> None:
    errors = parse(command).errors
    assert any(e.startswith(error) for e in errors), errors


def test_an_option_the_main_parser_rejects_never_counts() -> None:
    cl = parse("-U install flask")  # install's parser knows -U, pip's main parser does not
    assert cl.errors and not has_option(cl, "upgrade")


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("install --no-cache-dir -qU -r r.txt -c c.txt x==1", id="all fine"),
        pytest.param("--no-color install x", id="general abbreviation fine for both parsers"),
        pytest.param("download --no-deps -d /tmp x", id="unknown options of other commands"),
        pytest.param("list --format=json", id="unknown inline option of other command"),
        pytest.param("--version", id="main-parser only option"),
    ],
)
def test_no_errors(command: str) -> None:
    assert parse(command).errors == ()


# --- pip itself as the oracle ----------------------------------------------------------------

def _pip() -> Callable[[str], Any]:
    """pip's create_command, or skip: the oracle and drift tests need an importable pip."""
    try:
        from pip._internal.commands import create_command
    except ImportError as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"pip is not importable: {exc}")
    return create_command


@contextlib.contextmanager
def _quiet_pip(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """pip's parsers read PIP_* variables and config files: isolate them from this machine."""
    import os

    for key in list(os.environ):
        if key.startswith("PIP_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        yield


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("install --no-cache flask", id="abbreviation"),
        pytest.param("--no-cache-d install flask", id="abbreviation before"),
        pytest.param("install --no-cache-dir=1 flask", id="flag with value"),
        pytest.param("install --no-c flask", id="ambiguous"),
        pytest.param("--no-co install flask", id="ambiguous only for install"),
        pytest.param("--pro p install flask", id="ambiguous only for install, with value"),
        pytest.param("--log /tmp/l --proxy=http://p install -qU flask", id="general before"),
        pytest.param("install -qqrreq.txt -i https://x -C a=b flask requests", id="clusters"),
        pytest.param("install --timeout 60 --target /t -e . flask", id="values"),
        pytest.param("install --cache-dir /c --no-cache-dir flask", id="no-cache last"),
        pytest.param("install --no-cache-dir --cache-dir /c flask", id="cache-dir last"),
        pytest.param("install -- --no-cache-dir flask", id="double dash"),
        pytest.param("-- install --no-cache-dir flask", id="double dash before subcommand"),
        pytest.param("install -r", id="missing value"),
        pytest.param("install -qZ flask", id="unknown short"),
        pytest.param("-U install flask", id="install option before subcommand"),
        pytest.param("install --upgrade pip setuptools wheel", id="upgrade"),
        pytest.param("--log install install flask", id="pip removes the first equal word"),
        pytest.param("--cache-dir install --no-co install", id="removed word was a value"),
        pytest.param("-rreq.txt install flask", id="install option before subcommand"),
    ],
)
def test_agrees_with_pip(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    create_command = _pip()
    from pip._internal.cli.main_parser import parse_command

    argv = shlex.split(command)
    ours = parse_pip_argv(argv)
    with _quiet_pip(monkeypatch):
        try:
            name, cmd_args = parse_command(argv)
            options, args = create_command(name).parser.parse_args(cmd_args)
        except SystemExit:
            assert ours.errors, "pip rejected this command line; we did not"
            return
    assert ours.errors == ()
    assert ours.subcommand == name
    assert positionals(ours) == args
    # Same dest: the last of --cache-dir DIR / --no-cache-dir wins in pip.
    spellings = [a.option.long[0] for a in option_args(ours, "cache_dir") if a.option]
    assert (options.cache_dir is False) is (spellings[-1:] == ["--no-cache-dir"])


# --- DRIFT: the table must match the installed pip -------------------------------------------


def _spellings(options: tuple[Option, ...]) -> dict[str, bool]:
    return {s: o.takes_value for o in options for s in (*o.long, *o.short)}


def test_table_matches_installed_pip() -> None:
    """Fails, naming the options, when pip grows, drops or changes an install option."""
    create_command = _pip()
    import pip

    parser = create_command("install").parser
    theirs = {
        s: opt.takes_value()
        for opt in parser._get_all_options()
        for s in (*opt._long_opts, *opt._short_opts)
    }
    ours = _spellings(INSTALL_TABLE)
    missing = sorted(set(theirs) - set(ours))
    extra = sorted(set(ours) - set(theirs))
    changed = sorted(s for s in set(ours) & set(theirs) if ours[s] != theirs[s])
    assert (missing, extra, changed) == ([], [], []), (
        f"pip {pip.__version__} vs table of pip {PIP_VERSION}: missing from "
        f"dockerfix/tools/pip_options.py {missing}, not in pip {extra}, takes_value differs {changed}"
    )


def test_dests_match_installed_pip() -> None:
    create_command = _pip()
    parser = create_command("install").parser
    theirs = {opt.get_opt_string(): opt.dest for opt in parser._get_all_options()}
    ours = {o.long[0]: o.dest for o in INSTALL_TABLE}
    assert ours == theirs


def test_main_parser_matches_installed_pip() -> None:
    _pip()
    from pip._internal.cli.main_parser import create_main_parser

    theirs = {
        s: opt.takes_value()
        for opt in create_main_parser()._get_all_options()
        for s in (*opt._long_opts, *opt._short_opts)
    }
    assert _spellings(MAIN_ONLY_OPTIONS + GENERAL_OPTIONS) == theirs
