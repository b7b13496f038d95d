"""A whole ledger copied to a SPARQL server and back: ``push`` and ``pull`` verify on the other
side with the same head hash; the server's copy serves a desk; a push onto a ledger already
there writes nothing."""

from __future__ import annotations

from click.testing import CliRunner

from claimledger import audit
from claimledger.cli import cli
from claimledger.ledger import Ledger


def _cli(*args, **env):
    result = CliRunner().invoke(cli, list(args), env={"CLAIMLEDGER_AGENT": "tester", **env},
                                catch_exceptions=False)
    return result


def test_push_then_pull_keep_the_whole_ledger(tmp_path, oxigraph_server):
    import uuid

    ledger_dir = tmp_path / "local"
    base = f"https://example.org/push/{uuid.uuid4().hex}/"  # its own ledger on the shared server
    with Ledger.create(ledger_dir, base=base, agent="tester") as led:
        led.add_prefix("ex", "https://example.org/e/")
        led.sources.add("wire", title="Wire story", reliability="B")
        led.claims.add("freed", subject="ex:a", predicate="ex:b", object="ex:c", text="Freed")
        led.evidence.add("freed", "wire", stance="supports", locator="para 1")
        head = audit.verify(led.store, led.base).head_hash
    moved = tmp_path / "moved"
    endpoint = oxigraph_server.url + "/query"
    update = oxigraph_server.url + "/update"
    pushed = _cli("push", endpoint, "--update-endpoint", update, "--ledger", str(ledger_dir))
    assert pushed.exit_code == 0, pushed.output
    assert f"head: {head}" in pushed.output
    again = _cli("push", endpoint, "--update-endpoint", update, "--ledger", str(ledger_dir))
    assert again.exit_code == 2 and "already holds a ledger" in again.output
    pulled = _cli("pull", endpoint, "--graph", base, "--update-endpoint", update,
                  "--ledger", str(moved))
    assert pulled.exit_code == 0, pulled.output
    assert f"head: {head}" in pulled.output
    verified = _cli("verify", "--ledger", str(moved))
    assert verified.exit_code == 0 and head in verified.output
    # a desk member connects to the pushed ledger and writes to it
    desk = tmp_path / "desk"
    joined = _cli("init", "--ledger", str(desk), "--endpoint", endpoint, "--update-endpoint",
                  update, "--graph", base)
    assert joined.exit_code == 0 and "connected" in joined.output, joined.output
    assert _cli("source", "add", "outlet", "--title", "Outlet", "--ledger",
                str(desk)).exit_code == 0
    with Ledger.open(desk) as led:
        report = audit.verify(led.store, led.base)
        assert report.ok and report.events == audit.head(led.store, led.base).sequence
        assert sorted(s.slug for s in led.sources.list()) == ["outlet", "wire"]
