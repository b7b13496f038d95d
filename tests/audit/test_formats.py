"""Event formats: a ledger written by claimledger 0.1 (format 1) still verifies by its own
rules, migrates in one audited event, and verifies after; new events are format 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat

from claimledger import audit
from claimledger.audit import formats
from claimledger.errors import InputError, LedgerError
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.store import EmbeddedStore

#: The seed ledger as claimledger 0.1 exported it: state and audit trail, format 1.
FORMAT_1 = Path(__file__).with_name("ledger-format-1.trig")


@pytest.fixture
def old_ledger(tmp_path: Path) -> Path:
    """A ledger directory holding exactly what claimledger 0.1 wrote (loaded from its export)."""
    path = tmp_path / "old"
    store = EmbeddedStore(path, write=True, create=True)
    store.bulk_load(FORMAT_1, RdfFormat.TRIG)
    store.close()
    return path


def event_formats(ledger: Ledger) -> list[int]:
    return [ev.format for ev in audit.events(ledger.store, ledger.base)]


def test_a_format_1_ledger_verifies_by_its_own_rules(old_ledger):
    with Ledger.open(old_ledger) as led:
        assert led.format_version == 1
        report = audit.verify(led.store, led.base)
        assert report.ok, report.problems
        assert report.events > 50
        assert set(event_formats(led)) == {1}


def test_a_format_1_ledger_takes_no_write_until_migrated(old_ledger, run):
    with Ledger.open(old_ledger, write=True, agent="editor") as led:
        with pytest.raises(LedgerError, match="claimledger migrate"):
            led.sources.add("late", title="A late source")
    result = run("source", "add", "late", "--title", "A late source", "--ledger", str(old_ledger))
    assert result.exit_code == 2
    assert "claimledger migrate" in result.output


def test_migrate_is_one_event_and_verify_passes_before_and_after(old_ledger, run):
    with Ledger.open(old_ledger) as led:
        before = audit.verify(led.store, led.base)
        claims_before = [(c.slug, c.status, c.confidence) for c in led.claims.list()]
    assert before.ok
    result = run("migrate", "--reason", "claimledger 0.2", "--ledger", str(old_ledger))
    assert result.exit_code == 0, result.output
    assert f"format {formats.CURRENT}" in result.output
    with Ledger.open(old_ledger, write=True, agent="editor") as led:
        assert led.format_version == formats.CURRENT
        after = audit.verify(led.store, led.base)
        assert after.ok, after.problems
        assert after.events == before.events + 1
        kinds = event_formats(led)
        assert kinds == [1] * before.events + [formats.CURRENT]
        assert [(c.slug, c.status, c.confidence) for c in led.claims.list()] == claims_before
        # and it takes writes again, in the current format
        led.sources.add("late", title="A late source")
        assert event_formats(led)[-1] == formats.CURRENT
        assert audit.verify(led.store, led.base).ok
        with pytest.raises(InputError, match="already in format"):
            led.migrate()


def test_new_ledgers_write_the_current_format(ledger):
    ledger.sources.add("wire", title="Wire story")
    assert set(event_formats(ledger)) == {formats.CURRENT}
    node = ledger.node
    values = [t.object for t in ledger.store.triples(node, V.FORMAT_VERSION, None)]
    assert values == [Literal(formats.CURRENT)]


def test_a_format_1_event_edited_after_migration_is_still_caught(old_ledger, run):
    run.ok("migrate", "--ledger", str(old_ledger))
    with Ledger.open(old_ledger, write=True, agent="editor") as led:
        first = next(audit.events(led.store, led.base, with_changes=True))
        graph = audit.added_graph(first.iri)
        led.store.update(f"INSERT DATA {{ GRAPH {graph} {{ <urn:x> <urn:y> \"forged\" }} }}")
        report = audit.verify(led.store, led.base)
    assert not report.ok
    assert any("event 1" in p and "hash does not match" in p for p in report.problems)


def test_format_1_lines_are_oxigraph_s_own_forms():
    fmt1, fmt2 = formats.event_format(1), formats.event_format(2)
    from pyoxigraph import Triple
    t = Triple(NamedNode("urn:s"), NamedNode("urn:p"),
               Literal("3.0E1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#double")))
    assert fmt1.line(t) == '<urn:s> <urn:p> "30"^^<http://www.w3.org/2001/XMLSchema#double> .'
    assert fmt2.line(t) == '<urn:s> <urn:p> "3.0E1"^^<http://www.w3.org/2001/XMLSchema#double> .'


def test_the_shipped_seed_export_is_a_ledger_that_verifies(tmp_path):
    """data/taliban-isis-rivalry.trig holds the audit trail too: loaded whole, it verifies (the
    0.1 release shipped one made under an older hash rule, which did not)."""
    shipped = Path(__file__).resolve().parents[2] / "data" / "taliban-isis-rivalry.trig"
    store = EmbeddedStore(tmp_path / "seed", write=True, create=True)
    store.bulk_load(shipped, RdfFormat.TRIG)
    store.close()
    with Ledger.open(tmp_path / "seed") as led:
        assert led.format_version == formats.CURRENT
        report = audit.verify(led.store, led.base)
        assert report.ok, report.problems
