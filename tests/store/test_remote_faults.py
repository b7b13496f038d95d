"""A remote ledger when the server or the network misbehaves: answers of 500, stalls past the
timeout, a connection dropped mid-answer, 200 with nothing stored, malformed results,
authentication challenges, and the server killed between two commands or during one.

Each write either lands exactly once or not at all — checked by reading the server's graphs
back and by ``verify`` — and every failure is a clear message with exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger import audit
from claimledger.cli import cli
from claimledger.ledger import Ledger
from claimledger.store import config
from conftest import OxigraphServer
from fault_proxy import Proxy


class Desk:
    """A remote ledger whose every request goes through a fault-injecting proxy."""

    def __init__(self, directory: Path, proxy: Proxy, server: OxigraphServer) -> None:
        self.directory, self.proxy, self.server = directory, proxy, server
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict | None = None):
        full = {"CLAIMLEDGER_AGENT": "tester", "CLAIMLEDGER_REMOTE_TIMEOUT": "2"} | (env or {})
        return self.runner.invoke(cli, [*args, "--ledger", str(self.directory)], env=full,
                                  catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result

    def events(self) -> int:
        self.proxy.fault = None
        with Ledger.open(self.directory) as led:
            report = audit.verify(led.store, led.base)
            assert report.ok, report.problems
            return report.events

    def sources(self) -> list[str]:
        self.proxy.fault = None
        with Ledger.open(self.directory) as led:
            return sorted(s.slug for s in led.sources.list())


@pytest.fixture
def desk(tmp_path, oxigraph_server, monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_REMOTE_TIMEOUT", "2")
    proxy = Proxy(oxigraph_server.url)
    cfg = oxigraph_server.config()
    cfg.endpoint = proxy.url + "/query"
    cfg.update_endpoint = proxy.url + "/update"
    cfg.store_endpoint = None
    directory = tmp_path / "desk"
    with Ledger.create(directory, agent="tester", remote=cfg):
        pass
    d = Desk(directory, proxy, oxigraph_server)
    d.ok("source", "add", "first", "--title", "First")
    yield d
    proxy.close()


def test_an_update_answered_500_and_not_applied_writes_nothing(desk):
    before = desk.events()
    desk.proxy.fault = "500"
    result = desk("source", "add", "second", "--title", "Second")
    assert result.exit_code == 2
    assert "nothing was written" in result.output and "HTTP 500" in result.output
    assert "Traceback" not in result.output
    assert desk.events() == before and desk.sources() == ["first"]


def test_one_500_is_cured_by_sending_the_write_again(desk):
    before = desk.events()
    desk.proxy.fault, desk.proxy.times = "500", 1
    desk.ok("source", "add", "second", "--title", "Second")
    assert desk.events() == before + 1 and desk.sources() == ["first", "second"]


@pytest.mark.parametrize("fault", ["500-after", "stall", "drop"])
def test_a_write_that_landed_but_was_not_acknowledged_is_not_sent_twice(desk, fault):
    before = desk.events()
    desk.proxy.fault, desk.proxy.times, desk.proxy.stall = fault, 1, 4
    desk.ok("source", "add", "second", "--title", "Second")
    assert desk.events() == before + 1 and desk.sources() == ["first", "second"]


def test_200_with_nothing_stored_is_an_error_and_nothing_is_written(desk):
    before = desk.events()
    desk.proxy.fault = "swallow"
    result = desk("source", "add", "second", "--title", "Second")
    assert result.exit_code == 2
    assert "did not store it" in result.output and "nothing was written" in result.output
    assert desk.events() == before


def test_malformed_results_are_a_clear_error(desk):
    desk.proxy.fault, desk.proxy.match = "malformed", "query"
    result = desk("claim", "list")
    assert result.exit_code == 2
    assert "did not answer with SPARQL results" in result.output
    assert "Traceback" not in result.output


def test_a_server_that_stalls_on_reads_times_out_with_exit_2(desk):
    desk.proxy.fault, desk.proxy.match, desk.proxy.stall = "stall", "query", 8
    result = desk("source", "list")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.output.startswith("Error: ")


@pytest.mark.parametrize("scheme,secret,env", [
    ("basic", "ann:s3cret-pw", {"CLAIMLEDGER_ENDPOINT_USER": "ann",
                                "CLAIMLEDGER_ENDPOINT_PASSWORD": "s3cret-pw"}),
    ("digest", "ann:s3cret-pw", {"CLAIMLEDGER_ENDPOINT_USER": "ann",
                                 "CLAIMLEDGER_ENDPOINT_PASSWORD": "s3cret-pw",
                                 "CLAIMLEDGER_ENDPOINT_AUTH": "digest"}),
    ("bearer", "t0ken-s3cret", {"CLAIMLEDGER_ENDPOINT_TOKEN": "t0ken-s3cret"}),
])
def test_authentication_challenges(desk, monkeypatch, scheme, secret, env):
    desk.proxy.auth = (scheme, secret)
    result = desk("source", "list")
    assert result.exit_code == 2 and "401" in result.output
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = desk("source", "add", "second", "--title", "Second")
    assert result.exit_code == 0, result.output
    listed = desk("source", "list")
    assert listed.exit_code == 0 and "second" in listed.output
    for output in (result.output, listed.output):
        assert secret.split(":")[-1] not in output
    directory_text = "".join(p.read_text(errors="replace") for p in desk.directory.iterdir()
                             if p.is_file())
    assert secret.split(":")[-1] not in directory_text
    desk.proxy.auth = None


def test_the_server_killed_between_two_commands_and_during_one(tmp_path):
    server = OxigraphServer(location=tmp_path / "server-data")
    proxy = Proxy(server.url)
    try:
        cfg = server.config()
        cfg.endpoint, cfg.update_endpoint = proxy.url + "/query", proxy.url + "/update"
        directory = tmp_path / "desk"
        with Ledger.create(directory, agent="tester", remote=cfg):
            pass
        desk = Desk(directory, proxy, server)
        desk.ok("source", "add", "first", "--title", "First")
        server.kill()  # between two commands
        result = desk("source", "add", "second", "--title", "Second", env={})
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.output.startswith("Error: ")
        server.start()
        assert desk.sources() == ["first"]
        events = desk.events()
        proxy.fault, proxy.on_kill = "kill", server.kill  # during one: after it reached the server
        result = desk("source", "add", "third", "--title", "Third")
        assert result.exit_code == 2 and "Traceback" not in result.output
        server.start()
        proxy.fault = None
        landed = desk.sources()
        assert landed in (["first"], ["first", "third"])  # whole or not at all
        assert desk.events() == events + (1 if "third" in landed else 0)
    finally:
        proxy.close()
        server.stop()


def test_a_directory_config_names_no_credentials(desk):
    text = (desk.directory / config.CONFIG_NAME).read_text()
    assert "password" not in text.lower() and "token" not in text.lower()
