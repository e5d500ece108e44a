"""The language server's latency: ``didChange`` to ``publishDiagnostics``, on a warm server,
against spawning ``hadolint FILE`` per save (what an editor without a server does).

    python benchmarks/lsp.py [--sample K] [-n N] [DIR]

One ``dockerfix server`` process (started as an editor starts it) opens each file once,
then gets N changes (the text with a blank line added, then without it, ...); each latency
is from writing the ``didChange`` to reading the ``publishDiagnostics`` of that version.
The debounce is set to 0 (``initializationOptions``): it is a deliberate wait between a
burst's changes, not work; after a quiet spell the server checks at once anyway.
The example file is timed the same way, 30 changes. hadolint is timed once per sampled
file (and 30 times on the example), spawned as a save hook would. Reports median and p99.
A stdlib client: no pytest-lsp needed. Never run as a test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from peers import CORPUS, timed, tool

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "Dockerfile"


class Client:
    """Just enough of an LSP client: framed JSON over the server's stdin and stdout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dockerfix", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.stdin.flush()
        return message.get("id")

    def receive(self) -> dict[str, Any]:
        length = 0
        while True:
            line = self.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.stdout.read(length))

    def until(self, wanted: Any) -> dict[str, Any]:
        while True:
            message = self.receive()
            if wanted(message):
                return message

    def initialize(self) -> None:
        capabilities = {"general": {"positionEncodings": ["utf-16"]}}
        options = {"debounce": 0}
        request = self.send(
            "initialize",
            {"processId": None, "rootUri": None, "capabilities": capabilities, "initializationOptions": options},
            request=True,
        )
        self.until(lambda m: m.get("id") == request)
        self.send("initialized", {})

    def open(self, uri: str, text: str) -> None:
        self.send(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}},
        )
        self.until(lambda m: _published(m, uri, 1))

    def change(self, uri: str, text: str, version: int) -> float:
        """Seconds from the didChange to its publishDiagnostics."""
        start = time.perf_counter()
        self.send(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        self.until(lambda m: _published(m, uri, version))
        return time.perf_counter() - start

    def close(self) -> None:
        request = self.send("shutdown", None, request=True)
        self.until(lambda m: m.get("id") == request)
        self.send("exit", None)
        self.process.wait(timeout=10)


def _published(message: dict[str, Any], uri: str, version: int) -> bool:
    params = message.get("params") or {}
    return (
        message.get("method") == "textDocument/publishDiagnostics"
        and params.get("uri") == uri
        and params.get("version") == version
    )


def latencies(client: Client, path: Path, text: str, n: int) -> list[float]:
    uri = path.absolute().as_uri()
    client.open(uri, text)
    found = [client.change(uri, text + "\n" if version % 2 == 0 else text, version) for version in range(2, n + 2)]
    client.send("textDocument/didClose", {"textDocument": {"uri": uri}})
    return found


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def row(name: str, values: list[float], reference: float | None = None) -> str:
    median = statistics.median(values)
    ratio = f"{reference / median:.1f}x" if reference else "1.0x"
    return f"| {name} | {len(values)} | {median * 1000:.2f} | {p99(values) * 1000:.2f} | {ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--sample", type=int, default=300, help="corpus files (seeded draw), default 300")
    parser.add_argument("-n", type=int, default=5, help="changes per corpus file, default 5")
    args = parser.parse_args()
    hadolint = tool("hadolint")
    files = sorted(p for p in args.directory.iterdir() if p.is_file()) if args.directory.is_dir() else []
    chosen = random.Random(0).sample(files, min(args.sample, len(files)))
    texts: list[tuple[Path, str]] = []
    for path in chosen:
        try:
            texts.append((path, path.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            continue
    client = Client()
    client.initialize()
    example_text = EXAMPLE.read_text(encoding="utf-8")
    latencies(client, EXAMPLE, example_text, 10)  # warm: first analysis imports the rules
    example = latencies(client, EXAMPLE, example_text, 30)
    corpus: list[float] = []
    for path, text in texts:
        corpus.extend(latencies(client, path, text, args.n))
    client.close()
    print("| what | samples | median ms | p99 ms | hadolint / this |")
    print("|---|---:|---:|---:|---:|")
    hadolint_example = [timed([hadolint, "--no-fail", str(EXAMPLE)]) for _ in range(30)] if hadolint else []
    hadolint_corpus = [timed([hadolint, "--no-fail", str(p)]) for p, _ in texts] if hadolint else []
    reference = statistics.median(hadolint_example) if hadolint_example else None
    print(row("server didChange -> diagnostics, example", example, reference))
    reference = statistics.median(hadolint_corpus) if hadolint_corpus else None
    if corpus:
        print(row(f"server didChange -> diagnostics, {len(texts)} corpus files x {args.n}", corpus, reference))
    if hadolint:
        print(row("hadolint per save, example", hadolint_example))
        if hadolint_corpus:
            print(row(f"hadolint per save, {len(texts)} corpus files", hadolint_corpus))
    else:
        print("(hadolint not found next to this Python or on PATH: no peer rows)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
