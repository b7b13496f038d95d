"""Shared fixtures: a fresh ledger in tmp_path, a CLI runner bound to it, store snapshots."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.interchange import export
from claimledger.ledger import Ledger

BASE = "https://example.org/test/"
EX = "https://example.org/e/"


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


from benchmarks.attacks import Listener  # noqa: E402  (a real HTTP server on 127.0.0.1)


@pytest.fixture
def listener():
    """A :class:`Listener`, shut down after the test."""
    server = Listener()
    yield server
    server.close()
