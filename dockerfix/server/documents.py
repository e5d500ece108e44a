"""The open documents: text, version and what the server knows of each. No lsprotocol here.

The client sends whole texts (``TextDocumentSyncKind.Full``): a Dockerfile is small, and the
server then never applies a client's ranges to its copy (pygls's incremental apply splits
lines as ``str.splitlines`` does, at form feeds and U+2028 too, which LSP does not).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlparse

from dockerfix.cli.discovery import is_dockerfile_name

LANGUAGE_IDS = ("dockerfile", "containerfile")


class Document(NamedTuple):
    uri: str
    text: str
    version: int | None = None
    language_id: str = ""

    @property
    def path(self) -> str | None:
        """The file's path for a ``file:`` URI; None for an unsaved buffer."""
        return uri_to_path(self.uri)

    @property
    def is_dockerfile(self) -> bool:
        """Checked when the client says it is a Dockerfile, or its name is one dockerfix
        finds in a directory (``Dockerfile``, ``*.dockerfile``, ``Containerfile.dev``...)."""
        if self.language_id.lower() in LANGUAGE_IDS:
            return True
        name = os.path.basename(urlparse(self.uri).path)
        return bool(name) and is_dockerfile_name(unquote(name))


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and path[2:3] == ":":
        path = path[1:]  # file:///C:/x -> C:/x
    return os.path.normpath(path) if path else None


def path_to_uri(path: str) -> str:
    return Path(path).absolute().as_uri()
