"""conda, mamba and micromamba and their package cache, from conda's sources (conda/conda)
and mamba's documentation.

* Every package is downloaded (as a tarball) and extracted into the first writable package
  cache, ``pkgs_dirs``: ``CONDA_PKGS_DIRS`` (comma-separated) when set, else
  ``<root prefix>/pkgs`` and ``~/.conda/pkgs`` (``Context.pkgs_dirs`` in
  conda/base/context.py). The root prefix is where conda is installed (``/opt/conda`` in the
  official images, ``$CONDA_DIR`` in Jupyter's); micromamba's is ``MAMBA_ROOT_PREFIX`` (or
  ``-r``/``--root-prefix``).
* No option or variable keeps the cache out: the Docker idiom is a cleaning in the same RUN.
  ``conda clean --all`` (``-a``) removes "index cache, unused cache packages, tarballs,
  tempfiles, and logfiles"; ``--force-pkgs-dirs`` (``-f``) removes every writable package
  cache (conda/cli/main_clean.py). mamba takes conda's options; micromamba's ``clean`` has
  ``-a``/``--all`` and ``-f``/``--force-pkgs-dirs`` too.
* ``install``, ``create``, ``update``/``upgrade`` and ``env create``/``env update`` fill the
  cache (not with ``--dry-run``/``-d``); ``conda run`` is a wrapper (tools/pip.py).
"""

from __future__ import annotations

from dockerfix.tools import managers

SPEC = managers.Spec(
    tool="conda",
    programs=frozenset({"conda", "mamba", "micromamba"}),
    modules=frozenset({"conda"}),
    value_options=frozenset(
        {"-n", "--name", "-p", "--prefix", "-c", "--channel", "-f", "--file", "-r", "--root-prefix", "--rc-file"}
    ),
    namespaces=frozenset({"env"}),
)
PKGS_DIRS_VAR = "CONDA_PKGS_DIRS"
# Variables that name a root prefix in common images, whose ``pkgs`` is the cache.
ROOT_VARS = ("MAMBA_ROOT_PREFIX", "CONDA_DIR", "CONDA_ROOT")
# Where the common images and installers put the root prefix (continuumio, mambaorg, condaforge,
# jupyter, the Miniconda/Miniforge installers' defaults for root).
DEFAULT_ROOTS = (
    "/opt/conda", "/opt/miniconda", "/opt/miniconda3", "/opt/miniforge", "/opt/miniforge3", "/opt/mambaforge",
    "/opt/anaconda", "/opt/anaconda3", "/root/miniconda3", "/root/miniforge3", "/root/anaconda3", "/usr/local",
)
_INSTALLING = frozenset({("install",), ("create",), ("update",), ("upgrade",), ("env", "create"), ("env", "update")})


def installs(call: managers.ManagerCall) -> bool:
    """Does this call download packages into the package cache?"""
    return call.command in _INSTALLING and not call.has("--dry-run", "-d")


def cleans_cache(call: managers.ManagerCall) -> bool:
    """``conda clean -a`` / ``--all`` / ``-f``, or ``-t``/``--tarballs`` (the old ``-tipsy``
    idiom): the downloaded tarballs go; the extracted packages left are hard links to the
    files installed in the environment, which take no second copy's room."""
    return call.command == ("clean",) and call.has("--all", "-a", "--force-pkgs-dirs", "-f", "--tarballs", "-t")


def cleanup_command(call: managers.ManagerCall) -> str:
    """The cleaning to append after ``call``, with the same program as written."""
    raw = call.name_word.raw
    program = raw if call.program is call.name_word and raw == call.name_word.text else call.tool_name
    if call.tool_name == "micromamba":
        return f"{program} clean --all --yes"
    return f"{program} clean -afy"
