"""``dockerfix server``: the language server (LSP over standard input and output).

An optional extra: ``pip install 'dockerfix[server]'`` brings pygls and lsprotocol. Without
them the command says how to get them and exits 2. The modules: ``positions`` (offsets <->
LSP positions), ``documents``, ``settings`` (configuration per document), ``checks`` (the
pure core on a document), ``diagnostics``, ``actions``, ``hover``, and ``protocol`` (pygls).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """\
usage: dockerfix server [--stdio]

Run dockerfix as a language server: an editor starts it and speaks the Language Server
Protocol over standard input and output (--stdio, the default and only transport).
Needs the server extra: pip install 'dockerfix[server]'.
"""
EXTRA_MODULES = ("pygls", "lsprotocol", "cattrs", "attrs")  # the extra and what it brings
INSTALL_HINT = "the language server needs pygls and lsprotocol: pip install 'dockerfix[server]'"


def main(argv: Sequence[str]) -> int:
    """Serve until the client says exit; the exit code LSP asks for (0 after a shutdown)."""
    for arg in argv:
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        if arg != "--stdio":  # what most editors' LSP clients pass
            sys.stderr.write(f"{USAGE}dockerfix server: error: unrecognized argument: {arg}\n")
            return 2
    try:
        from dockerfix.server.protocol import serve
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in EXTRA_MODULES:
            raise  # our own bug, not a missing extra
        sys.stderr.write(f"dockerfix: error: server: {INSTALL_HINT} ({missing} is not installed)\n")
        return 2
    return serve()
