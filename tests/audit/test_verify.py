"""``verify``: ``--expect HASH`` proves that nothing up to HASH was rewritten, and anything in
the ledger's graphs that no event accounts for is reported."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from claimledger import audit
from claimledger.ledger import Ledger
from conftest import BASE


def _head(run) -> str:
    return json.loads(run.ok("verify", "--format", "json").stdout)["head"]


def test_expect_passes_for_any_event_of_the_chain(run):
    first = _head(run)
    run.ok("source", "add", "later", "--title", "A later, legitimate write")
    run.ok("source", "add", "later-still", "--title", "And another")
    result = run.ok("verify", "--expect", first)
    assert first in result.stdout
    run.ok("verify", "--expect", first.upper())
    run.ok("verify", "--expect", _head(run))


@pytest.mark.parametrize("value", ["", "abc", "0" * 63, "0" * 65, "g" * 64, " " + "0" * 63])
def test_expect_needs_a_full_hash(run, value):
    result = run("verify", "--expect", value)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: --expect: ")
    assert "64 hexadecimal digits" in result.stderr


def test_expect_fails_for_a_hash_that_is_no_event(run):
    result = run("verify", "--expect", "ab" * 32)
    assert result.exit_code == 1
    assert "no event of the chain has the hash" in result.stderr


def _outside(ledger_dir, quad: ox.Quad) -> None:
    """Add a quad to the store behind claimledger's back."""
    store = ox.Store(str(ledger_dir / "store"))
    store.add(quad)
    store.flush()
    del store


def test_an_extra_named_graph_is_reported(run, ledger_dir):
    run.ok("verify")
    _outside(ledger_dir, ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/b"),
                                 ox.Literal("c"), ox.NamedNode("https://e.org/extra")))
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert "the named graph <https://e.org/extra> (1 triple) belongs to no event" in result.stderr


def test_a_graph_named_like_an_event_that_is_none_is_reported(run, ledger_dir):
    _outside(ledger_dir, ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/b"),
                                 ox.Literal("c"), ox.NamedNode(BASE + "event/99/added")))
    result = run("verify")
    assert result.exit_code == 1
    assert f"<{BASE}event/99/added>" in result.stderr


@pytest.mark.parametrize("triple", [
    (ox.NamedNode("https://e.org/stray"), ox.NamedNode("https://e.org/p"), ox.Literal("x")),
    (ox.NamedNode(BASE), ox.NamedNode("https://w3id.org/claimledger#head"),
     ox.NamedNode(BASE + "event/1")),
    (ox.NamedNode(BASE), ox.NamedNode("https://e.org/note"), ox.Literal("x")),
])
def test_a_stray_triple_in_the_audit_graph_is_reported(run, ledger_dir, triple):
    _outside(ledger_dir, ox.Quad(*triple, audit.audit_graph(BASE)))
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert "the audit graph holds a triple no event accounts for" in result.stderr
    assert str(triple[0]) in result.stderr


def test_the_library_reports_the_same(ledger_dir):
    with Ledger.open(ledger_dir) as led:
        report = audit.verify(led.store, led.base, expect=audit.head(led.store, led.base).hash)
        assert report.ok, report.problems
