"""Shared fixtures: a fresh ledger in tmp_path, a CLI runner bound to it, store snapshots."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.interchange import export
from claimledger.ledger import Ledger

# Output in the tests goes to a pipe, whatever terminal the suite runs under: pytest-xdist sets
# COLUMNS=80 in its workers, which would fit every table to 80 columns. A test of fitting
# passes its own COLUMNS.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)
# Compiled shapes are kept between processes in the user's cache directory: the suite keeps
# them in a directory of its own (one per test process, removed with the temporary files), so
# that it neither reads a plan another checkout wrote nor leaves one behind.
if "CLAIMLEDGER_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["CLAIMLEDGER_CACHE_DIR"] = tempfile.mkdtemp(prefix="claimledger-cache-")

BASE = "https://example.org/test/"
ROOT = Path(__file__).resolve().parents[1]
EX = "https://example.org/e/"


def seed_builder(name: str = "build_seed_ledger"):
    """``data/build_seed_ledger.py`` loaded as a module of its own (under ``name``): the seed
    ledger's builder, which is a script, not part of the package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "data" / "build_seed_ledger.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    """A new ledger directory with the ``ex:`` prefix declared (the ledger is closed)."""
    path = tmp_path / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
    return path


@pytest.fixture
def ledger(ledger_dir: Path):
    """The ledger of :func:`ledger_dir`, open for writing as agent ``tester``."""
    led = Ledger.open(ledger_dir, write=True, agent="tester")
    yield led
    led.close()


class Cli:
    """Runs ``claimledger`` commands in-process against one ledger directory."""

    def __init__(self, ledger_dir: Path) -> None:
        self.ledger_dir = ledger_dir
        self.runner = CliRunner()

    def __call__(self, *args: str, agent: str | None = "tester", input: str | None = None):
        env = {"CLAIMLEDGER_LEDGER": str(self.ledger_dir), "CLAIMLEDGER_AGENT": agent or ""}
        return self.runner.invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"{args} exited {result.exit_code}:\n{result.output}"
        return result


@pytest.fixture
def run(ledger_dir: Path) -> Cli:
    return Cli(ledger_dir)


def snapshot(ledger_dir: Path) -> bytes:
    """The whole store (state and audit trail) as sorted N-Quads, to compare before/after."""
    with Ledger.open(ledger_dir) as led:
        buf = io.BytesIO()
        export(led, buf, fmt="nquads")
    return b"\n".join(sorted(buf.getvalue().splitlines()))


#: The store backends the contract suite (tests/store/) runs on.
BACKENDS = ["embedded", "memory", "remote"]


class OxigraphServer:
    """A real SPARQL 1.1 server (the ``oxigraph`` package's ``oxigraph serve``), in memory, on
    a free port of 127.0.0.1, for the tests' whole session."""

    def __init__(self, location: Path | None = None, port: int | None = None) -> None:
        import socket

        self.location = location
        if port is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        import shutil
        import subprocess
        import sys
        import time
        import urllib.request

        binary = Path(sys.executable).with_name("oxigraph")
        if not binary.exists():
            binary = Path(shutil.which("oxigraph") or "oxigraph")
        args = [str(binary), "serve", "--bind", f"127.0.0.1:{self.port}"]
        if self.location is not None:
            args += ["--location", str(self.location)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start")
                time.sleep(0.05)

    def config(self, graph: str | None = None):
        """A configuration for a fresh ledger (its own graph IRI) on this server."""
        import uuid

        from claimledger.store.config import RemoteConfig

        return RemoteConfig(endpoint=self.url + "/query", update_endpoint=self.url + "/update",
                            store_endpoint=self.url + "/store",
                            graph=graph or f"https://example.org/remote/{uuid.uuid4().hex}/")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_server():
    server = OxigraphServer()
    yield server
    server.stop()


def open_backend(kind: str, tmp_path: Path, server: OxigraphServer | None = None):
    """An empty, writable store of backend ``kind``; ``store.test_base`` is the IRI its test
    graphs go under (a remote store reads and writes only graphs under its base)."""
    from claimledger.store import EmbeddedStore, MemoryStore

    if kind == "embedded":
        st = EmbeddedStore(tmp_path / "store-ledger", write=True, create=True)
    elif kind == "memory":
        st = MemoryStore()
    elif kind == "remote":
        from claimledger.store.remote import RemoteStore

        st = RemoteStore(server.config(), write=True)
    else:
        raise ValueError(kind)
    st.test_base = getattr(st, "base", "https://example.org/store-test/")
    return st


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path):
    """An empty, writable store of each backend."""
    server = request.getfixturevalue("oxigraph_server") if request.param == "remote" else None
    st = open_backend(request.param, tmp_path, server)
    yield st
    st.close()


from benchmarks.attacks import Listener  # noqa: E402  (a real HTTP server on 127.0.0.1)


@pytest.fixture
def listener():
    """A :class:`Listener`, shut down after the test."""
    server = Listener()
    yield server
    server.close()
