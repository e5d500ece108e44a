"""DFX007 no-cache-with-cache-mount: a flag or variable turns off the cache a RUN's cache mount keeps."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfix.analysis import cache
from dockerfix.analysis.model import Analysis, Site
from dockerfix.analysis.tool_sites import sites
from dockerfix.diagnostics import Applicability, Diagnostic, Edit, Fix
from dockerfix.parse.shell_script import Word
from dockerfix.rules.base import Rule, RuleDoc
from dockerfix.settings import Settings
from dockerfix.tools import pdm, pip_cache, uv
from dockerfix.tools.pip_command_line import option_args

DOC = RuleDoc(
    code="DFX007",
    name="no-cache-with-cache-mount",
    summary="A no-cache flag or variable turns off the cache that the RUN's cache mount is there to keep.",
    what=(
        "Finds, in a RUN with `--mount=type=cache` on a tool's cache directory (or a parent "
        "of it), the setting that tells that tool not to use its cache: pip's "
        "`--no-cache-dir` or `PIP_NO_CACHE_DIR` (for `pip install`), uv's `--no-cache`/"
        "`--no-cache-dir` or `UV_NO_CACHE` (for the uv commands DFX003 reports), PDM's "
        "`--no-cache` or `PDM_NO_CACHE` (for the PDM commands DFX005 reports). The cache "
        "directories, flags and variable values are read as DFX001, DFX003 and DFX005 read "
        "them. A tmpfs mount is not reported: it keeps nothing between builds either way."
    ),
    why=(
        "The mount keeps the tool's cache between builds, outside the image; the flag tells "
        "the tool not to read or write that cache. The mount is wasted and every rebuild "
        "downloads everything again (`RUN --mount=type=cache,target=/root/.cache/pip pip "
        "install --no-cache-dir ...`). With the mount, nothing reaches the layer with or "
        "without the flag (uv's Docker guide: use a cache mount, or `--no-cache` when not "
        "mounting the cache, <https://docs.astral.sh/uv/guides/integration/docker/#caching>)."
    ),
    example="FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt",
    fix=(
        "Safe: removes the flag word (with the blanks that separate it; in exec form, the "
        "element and its comma), the one edit dockerfix makes that deletes text. Only a flag "
        "written as a word of its own in the RUN's own command, and only when nothing else "
        "(an environment variable, `pip config`) turns the cache off too. A variable set by "
        "ENV or ARG may serve other RUNs: no automatic fix, remove it or override it by hand."
    ),
)


def check(analysis: Analysis, settings: Settings) -> Iterator[Diagnostic]:
    names = pip_cache.NoCacheDirNames()
    for site in analysis.installs():
        if pip_cache.pip_cache(site.call.line, site.env, site.stage.pip_config_no_cache, names).on:
            continue
        dirs = cache.cache_dirs(site, cache.PIP, pip_cache.explicit_cache_dir(site.call.line))
        if not cache.is_mounted(site, dirs, _CACHE):
            continue
        flags = tuple(
            site.call.argv[a.index] for a in option_args(site.call.line, "--no-cache-dir") if a.option is not None
        )
        other = pip_cache.env_turns_cache_off(site.env, names) or site.stage.pip_config_no_cache
        yield _diagnostic(site, analysis, "pip", flags, other, "PIP_NO_CACHE_DIR")
    for uv_site in analysis.uv_sites:
        call = uv_site.call
        if not call.writes_cache or not uv.cache_off(call, uv_site.env):
            continue
        if not cache.is_mounted(uv_site, cache.cache_dirs(uv_site, cache.UV, uv_site.call.cache_dir), _CACHE):
            continue
        flags = tuple(w for w in call.argv if w.literal in _UV_FLAG_WORDS)
        if call.no_cache and not flags:
            flags = tuple(w for w in call.argv if (w.literal or "").startswith("-") and "n" in (w.literal or "-")[1:] and not (w.literal or "").startswith("--"))
        other = uv.env_turns_cache_off(uv_site.env)
        yield _diagnostic(uv_site, analysis, "uv", flags, other, "UV_NO_CACHE")
    for pdm_site in sites(analysis, "pdm"):
        if not pdm.installs(pdm_site.call) or not pdm.cache_off(pdm_site.call, pdm_site.env):
            continue
        if not cache.is_mounted(pdm_site, cache.cache_dirs(pdm_site, cache.PDM, None), _CACHE):
            continue
        flags = tuple(w for w in pdm_site.call.global_options if w.text == pdm.FLAG)
        other = pdm.env_turns_cache_off(pdm_site.env)
        yield _diagnostic(pdm_site, analysis, "pdm", flags, other, pdm.NO_CACHE_VAR)


_UV_FLAG_WORDS = uv.NO_CACHE_FLAGS | {"-n"}
_CACHE = ("cache",)  # a tmpfs mount keeps nothing between builds: no flag defeats it


def _diagnostic(site: Site, analysis: Analysis, tool: str, flags: tuple[Word, ...], other: bool, var: str) -> Diagnostic:
    if not flags:
        message = f"`{var}` turns off {tool}'s cache, which this RUN's cache mount keeps: rebuilds download everything again"
        note = f"no automatic fix: `{var}` comes from the environment; unset it for this call (`{var}=` does not do for every tool) or drop the mount"
        return Diagnostic(DOC.code, DOC.name, message, site.start, site.end, None, (note,))
    first = flags[0]
    message = f"`{first.text}` turns off {tool}'s cache, which this RUN's cache mount keeps: rebuilds download everything again; remove it"
    if other:
        note = f"no automatic fix: `{var}` (or a pip config) turns the cache off too"
        return Diagnostic(DOC.code, DOC.name, message, first.start, first.end, None, (note,))
    edits = [_deletion(analysis.text, site, w) for w in flags]
    if site.no_edit_reason is not None or any(e is None for e in edits):
        why = site.no_edit_reason or "the flag is not a word of its own that can be removed cleanly"
        return Diagnostic(DOC.code, DOC.name, message, first.start, first.end, None, (f"no automatic fix: {why}",))
    found = Fix(tuple(e for e in edits if e is not None), Applicability.SAFE, f"Remove `{first.text}`")
    return Diagnostic(DOC.code, DOC.name, message, first.start, first.end, found, ())


def _deletion(text: str, site: Site, word: Word) -> Edit | None:
    """The edit that removes ``word`` and the blanks that separate it from its neighbours."""
    if site.exec_form:
        return _exec_deletion(text, site, word)
    if word.raw != word.text or word.end - word.start != len(word.raw) or word.text not in _WHOLE_FLAGS:
        return None  # quoted, escaped, split by a continuation, or in a cluster (`-qn`): left alone
    before = word.start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before == word.start:
        return None
    after = word.end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] not in "\\\r\n" and after > word.end:
        return Edit.deletion(word.start, after)  # `--flag next`: the word and the blanks after it
    if text[before - 1] not in "\r\n":
        return Edit.deletion(before, word.end)  # `prev --flag` at a line's end: the blanks before it
    # Alone on a continued line (`    --no-cache-dir \`): the whole line goes.
    if text.startswith("\\\n", after) or text.startswith("\\\r\n", after):
        return Edit.deletion(before, text.index("\n", after) + 1)
    return None


_WHOLE_FLAGS = frozenset({"--no-cache-dir", "--no-cache", "-n"})


def _exec_deletion(text: str, site: Site, word: Word) -> Edit | None:
    elements = site.instruction.exec_form or ()
    for i, element in enumerate(elements):
        if element.start <= word.start and word.end <= element.end and i > 0 and element.value.text in _WHOLE_FLAGS:
            return Edit.deletion(elements[i - 1].end, element.end)
    return None


RULE = Rule(DOC, check)
