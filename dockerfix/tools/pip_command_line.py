"""pip's command line read as pip's optparse parser reads it, with the option table of
``pip_options``: :func:`parse_pip_argv` gives a ``PipCommandLine``.

How pip reads its argv (and so how :func:`parse_pip_argv` does):

* ``pip <general options> <subcommand> <args>``: a *main* parser (general options plus
  ``-V/--version``, no interspersed arguments) reads up to the first non-option word, the
  subcommand. pip then re-parses all words except the subcommand with the subcommand's
  parser (general + subcommand options, interspersed arguments allowed), so a general option
  may stand before or after the subcommand.
* optparse rules: a long option may be abbreviated to any prefix that is unambiguous among
  all long options of that parser (an exact spelling always wins); ``--opt=value`` gives the
  value inline, otherwise a value-taking option consumes the next word whatever it looks like;
  ``--flag=x`` on a flag is an error; short options cluster (``-qU``) and the first
  value-taking one swallows the rest of the word (``-rreq.txt``) or else the next word;
  ``--`` ends the options; ``-`` alone is a positional word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from dockerfix.tools.pip_options import GENERAL_OPTIONS, INSTALL_OPTIONS, MAIN_ONLY_OPTIONS, Option

class _Parser(NamedTuple):
    """One of pip's optparse parsers: its options by spelling."""

    longs: dict[str, Option]
    shorts: dict[str, Option]

    @classmethod
    def of(cls, options: Iterable[Option]) -> _Parser:
        options = tuple(options)
        return cls({s: o for o in options for s in o.long}, {s: o for o in options for s in o.short})


# The parsers pip reads a command line with: the main parser (before the subcommand),
# install's, and that of any other subcommand (general options only).
_MAIN = _Parser.of(MAIN_ONLY_OPTIONS + GENERAL_OPTIONS)
_INSTALL = _Parser.of(GENERAL_OPTIONS + INSTALL_OPTIONS)
_GENERAL = _Parser.of(GENERAL_OPTIONS)


def _match_long(word: str, candidates: dict[str, Option]) -> tuple[Option | None, str | None]:
    """optparse's ``_match_abbrev`` among a parser's long spellings: (option, None) or
    (None, error message as pip says it)."""
    name = word.partition("=")[0]
    if name in candidates:
        return candidates[name], None
    hits = sorted(s for s in candidates if s.startswith(name))
    if len(hits) == 1:
        return candidates[hits[0]], None
    if hits:
        return None, f"ambiguous option: {name} ({', '.join(hits)}?)"
    return None, f"no such option: {name}"


def resolve_long(word: str, options: Iterable[Option]) -> Option | None:
    """`--no-cache` -> the --no-cache-dir Option; None if unknown or ambiguous (pip would error).

    Handles `--opt=value` by looking at the part before '='. Pass all options of the parser
    (e.g. ``GENERAL_OPTIONS + INSTALL_OPTIONS``): ambiguity is decided among all of them.
    """
    return _match_long(word, _Parser.of(options).longs)[0]


class ParsedArg:
    """What one word (or, for a short-option cluster, one letter of it) is to pip.

    A cluster such as ``-qU`` yields one "option" entry per letter, all with the same
    ``index`` and ``text``. ``--`` is an "option" entry with ``option=None`` and no error.
    ``error`` is set when pip rejects this entry (unknown, ambiguous, flag given a value,
    missing value); such entries never count for :func:`has_option`.

    A plain value class, not a NamedTuple: its ``index`` field would hide ``tuple.index``.
    """

    __slots__ = ("index", "kind", "option", "text", "inline_value", "spelling", "error")

    def __init__(
        self,
        index: int,  # index of the word in the argv list given
        kind: Literal["option", "value", "positional"],
        option: Option | None,  # for kind option (and for value: the option it belongs to)
        text: str,  # the word
        # a word like `--index-url=URL` or `-rreq.txt` is one "option" entry whose inline
        # value is in `inline_value`
        inline_value: str | None = None,
        spelling: str | None = None,  # the option as written: "--no-cache", "-r"
        error: str | None = None,
    ) -> None:
        self.index = index
        self.kind = kind
        self.option = option
        self.text = text
        self.inline_value = inline_value
        self.spelling = spelling
        self.error = error

    def _fields(self) -> tuple[object, ...]:
        return (self.index, self.kind, self.option, self.text, self.inline_value, self.spelling, self.error)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParsedArg) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "ParsedArg({!r}, {!r}, {!r}, {!r}, {!r}, {!r}, {!r})".format(*self._fields())


class PipCommandLine(NamedTuple):
    """How pip reads the words after its program: subcommand, options, positionals."""

    subcommand_index: int | None  # index in argv of the subcommand word, None if none
    subcommand: str | None
    # every word after the program except the subcommand word (precisely: except the first
    # word equal to it, which pip removes; see parse_pip_argv)
    args: tuple[ParsedArg, ...]
    errors: tuple[str, ...]  # e.g. ambiguous/unknown option (pip would fail)

    @property
    def positionals(self) -> tuple[ParsedArg, ...]:
        """Positional words after the subcommand (for install: the requirement arguments)."""
        return tuple(a for a in self.args if a.kind == "positional")


class _Scanner:
    """Walks argv words with one parser's options, appending ParsedArgs (optparse's _process_args)."""

    def __init__(self, words: Sequence[str], parser: _Parser, lenient: bool, removed: int = -1) -> None:
        self.words = words
        self.parser = parser
        self.lenient = lenient  # unknown options are not errors (tables we do not have)
        self.out: list[ParsedArg] = []
        # ``words`` is argv less the word at ``removed`` (pip's subcommand): ParsedArgs
        # carry indexes into argv, made right the first time (one ParsedArg per word).
        self.removed = removed

    def at(self, i: int) -> int:
        """The index in argv of ``words[i]``."""
        return i + (0 <= self.removed <= i)

    def option_word(self, i: int) -> int:
        """Classify the option word at ``i`` (``-x...`` or ``--x...``); return the next index."""
        word = self.words[i]
        if word.startswith("--"):
            return self._long(i, word)
        return self._short(i, word)

    def _long(self, i: int, word: str) -> int:
        name, eq, inline = word.partition("=")
        opt, err = _match_long(name, self.parser.longs)
        value = inline if eq else None
        if opt is None:
            if self.lenient and err is not None and err.startswith("no such option"):
                err = None
            self.out.append(ParsedArg(self.at(i), "option", None, word, value, name, err))
            return i + 1
        if not opt.takes_value:
            err = f"{name} option does not take a value" if eq else None
            self.out.append(ParsedArg(self.at(i), "option", opt, word, value, name, err))
            return i + 1
        if eq:
            self.out.append(ParsedArg(self.at(i), "option", opt, word, value, name))
            return i + 1
        return self._value_from_next(i, word, opt, name)

    def _short(self, i: int, word: str) -> int:
        for pos in range(1, len(word)):
            spelling = "-" + word[pos]
            opt = self.parser.shorts.get(spelling)
            if opt is None:
                err = None if self.lenient else f"no such option: {spelling}"
                self.out.append(ParsedArg(self.at(i), "option", None, word, None, spelling, err))
                return i + 1  # optparse stops here (error); leniently skip the rest too
            if not opt.takes_value:
                self.out.append(ParsedArg(self.at(i), "option", opt, word, None, spelling))
                continue
            rest = word[pos + 1 :]
            if rest:  # glued value: -rreq.txt, -qqrreq.txt
                self.out.append(ParsedArg(self.at(i), "option", opt, word, rest, spelling))
                return i + 1
            return self._value_from_next(i, word, opt, spelling)
        return i + 1

    def _value_from_next(self, i: int, word: str, opt: Option, spelling: str) -> int:
        if i + 1 >= len(self.words):
            err = f"{spelling} option requires 1 argument"
            self.out.append(ParsedArg(self.at(i), "option", opt, word, None, spelling, err))
            return i + 1
        self.out.append(ParsedArg(self.at(i), "option", opt, word, None, spelling))
        self.out.append(ParsedArg(self.at(i + 1), "value", opt, self.words[i + 1]))
        return i + 2


def _is_option_word(word: str) -> bool:
    return word.startswith("-") and word != "-"


def parse_pip_argv(words: Sequence[str]) -> PipCommandLine:
    """words = argv AFTER the pip program (for `python -m pip` after `pip`).

    General options before the subcommand; the subcommand is the first non-option word (an
    option taking a value consumes the next word unless written --opt=value / glued short).
    After the subcommand, if it is `install`, use general+install options; for other
    subcommands use general options only and treat unknown options leniently (no crash;
    an unknown option is taken to be a flag). Words that may be non-literal (e.g. contain
    `$`) are still just words. Option values are not type-checked (`--timeout abc` is a
    pip error not reported here: values are often variables). Never raises.

    Like pip (main_parser.parse_command), the words before the subcommand are read twice:
    by the main parser (its errors are kept: `pip -U install x` fails) and again, with the
    subcommand word removed, by the subcommand's parser, which knows more long options
    (`pip --no-co install x` fails: --no-color or --no-compile). ``args`` comes from that
    second reading. pip removes the *first* word equal to the subcommand, so in the freak
    case `pip --log install install x` that is the value word; ``args`` follows pip.
    """
    main = _Scanner(words, _MAIN, lenient=False)
    i = 0
    while i < len(words) and _is_option_word(words[i]):
        if words[i] == "--":  # optparse stops; the next word is the subcommand
            main.out.append(ParsedArg(i, "option", None, "--", spelling="--"))
            i += 1
            break
        i = main.option_word(i)
    if i >= len(words):
        return PipCommandLine(None, None, tuple(main.out), _errors(main.out))

    subcommand = words[i]
    removed = words.index(subcommand)
    rest = [*words[:removed], *words[removed + 1 :]]
    parser = _INSTALL if subcommand == "install" else _GENERAL
    sub = _Scanner(rest, parser, lenient=subcommand != "install", removed=removed)
    j = 0
    while j < len(rest):
        if not _is_option_word(rest[j]):
            sub.out.append(ParsedArg(sub.at(j), "positional", None, rest[j]))
            j += 1
        elif rest[j] == "--":  # everything after is positional
            sub.out.append(ParsedArg(sub.at(j), "option", None, "--", spelling="--"))
            sub.out.extend(
                ParsedArg(sub.at(k), "positional", None, rest[k]) for k in range(j + 1, len(rest))
            )
            break
        else:
            j = sub.option_word(j)
    # A word the main parser rejected stays rejected.
    main_errors = {a.index: a.error for a in main.out if a.error is not None}
    args = tuple(_with_main_error(a, main_errors) for a in sub.out) if main_errors else tuple(sub.out)
    errors = dict.fromkeys(_errors(main.out) + _errors(args))  # ordered, without repeats
    return PipCommandLine(i, subcommand, args, tuple(errors))


def _with_main_error(arg: ParsedArg, main_errors: dict[int, str]) -> ParsedArg:
    error = arg.error or (main_errors.get(arg.index) if arg.kind == "option" else None)
    if error == arg.error:
        return arg
    return ParsedArg(arg.index, arg.kind, arg.option, arg.text, arg.inline_value, arg.spelling, error)


def _errors(args: Iterable[ParsedArg]) -> tuple[str, ...]:
    return tuple(a.error for a in args if a.error is not None)


def _matches(option: Option, name: str) -> bool:
    if name.startswith("-"):
        return name in option.long or name in option.short
    return option.dest == name


def option_args(cl: PipCommandLine, name: str) -> tuple[ParsedArg, ...]:
    """The valid "option" entries for ``name`` in argv order (pip's last one wins).

    ``name`` is pip's dest (``"cache_dir"``) or an exact canonical spelling
    (``"--no-cache-dir"``, ``"-r"``); a spelling selects that one Option only.
    """
    return tuple(
        a
        for a in cl.args
        if a.kind == "option"
        and a.option is not None
        and a.error is None
        and _matches(a.option, name)
    )


def has_option(cl: PipCommandLine, dest: str) -> bool:
    """True when a valid occurrence of an option with this dest (or spelling) is present.

    e.g. ``has_option(cl, "cache_dir")`` is True for --no-cache-dir / --no-cache /
    --no-cache-d, but NOT for ``--no-cache-dir=1`` (a pip error). Careful: it is also True
    for ``--cache-dir DIR`` (same pip dest); to ask "is the cache turned off by a flag", use
    ``has_option(cl, "--no-cache-dir")``.
    """
    return bool(option_args(cl, dest))
