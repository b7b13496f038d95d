"""Two writers that no lock keeps apart (two Ledger objects, or threads, on one store in one
process: the engine itself locks a store against a second process) cannot fork the audit
chain: a write applies only if the head it read is still the head."""

from __future__ import annotations

import threading

import pytest

from pyoxigraph import Literal

from claimledger import audit
from claimledger.model import vocab as V
from claimledger.errors import LedgerChanged
from claimledger.ledger import Ledger
from claimledger.store import EmbeddedStore


@pytest.fixture
def shared(ledger_dir):
    """One store, two ledgers on it (the file lock taken once, by the store)."""
    store = EmbeddedStore(ledger_dir, write=True)
    yield Ledger(store, agent="alice"), Ledger(store, agent="bob")
    store.close()


def test_of_two_conflicting_writes_exactly_one_lands(shared):
    alice, bob = shared
    events_before = audit.head(alice.store, alice.base).sequence
    with pytest.raises(LedgerChanged, match="nothing was written — run it again"):
        with alice.transaction("source add", {"slug": "a"}) as tx:
            node = alice.iri("source", "a")
            tx.add(node, V.TYPE, V.SOURCE)
            tx.add(node, V.NAME, Literal("A"))
            tx.add(node, V.KIND, V.SourceKind.iri("document"))
            tx.add(node, V.RELIABILITY, V.Reliability.iri("F"))
            tx.add(node, V.ANONYMOUS, Literal(False))
            # meanwhile, bob writes
            bob.sources.add("b", title="B")
    assert [s.slug for s in alice.sources.list()] == ["b"]
    report = audit.verify(alice.store, alice.base)
    assert report.ok, report.problems
    assert report.events == events_before + 1
    # run again, it lands
    alice.sources.add("a", title="A")
    assert sorted(s.slug for s in bob.sources.list()) == ["a", "b"]
    assert audit.verify(alice.store, alice.base).ok


def test_threads_writing_at_once_lose_nothing_and_fork_nothing(shared):
    alice, bob = shared
    landed: list[str] = []
    conflicts = []
    lock = threading.Lock()

    def writer(led: Ledger, name: str) -> None:
        for k in range(15):
            slug = f"{name}-{k}"
            while True:
                try:
                    led.sources.add(slug, title=slug)
                except LedgerChanged:
                    with lock:
                        conflicts.append(slug)
                    continue
                with lock:
                    landed.append(slug)
                break

    threads = [threading.Thread(target=writer, args=(alice, "alice")),
               threading.Thread(target=writer, args=(bob, "bob"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    recorded = sorted(s.slug for s in alice.sources.list())
    assert recorded == sorted(landed) and len(recorded) == 30
    report = audit.verify(alice.store, alice.base)
    assert report.ok, report.problems
    sequences = [ev.sequence for ev in audit.events(alice.store, alice.base)]
    assert sequences == list(range(1, len(sequences) + 1))


def test_a_bulk_import_overtaken_by_another_write_is_not_swapped_in(shared, tmp_path, monkeypatch):
    from claimledger.interchange import bulk
    from claimledger.interchange import rdf as interchange
    from benchmarks import generate as gen

    alice, bob = shared
    monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    path = tmp_path / "gen.nt"
    gen.generate(20, path, seed=1, base=alice.base)
    real = bulk.validate_store

    def validate_while_bob_writes(store, shapes, **kwargs):
        bob.sources.add("meanwhile", title="Written while the import was being built")
        return real(store, shapes, **kwargs)

    monkeypatch.setattr(bulk, "validate_store", validate_while_bob_writes)
    before = audit.head(alice.store, alice.base).sequence
    with pytest.raises(LedgerChanged):
        interchange.import_file(alice, path)
    assert [s.slug for s in alice.sources.list()] == ["meanwhile"]
    report = audit.verify(alice.store, alice.base)
    assert report.ok, report.problems
    assert report.events == before + 1
