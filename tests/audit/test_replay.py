"""The audit trail alone rebuilds the ledger on another backend: replayed event by event into
the in-memory store, it verifies there with the very same hashes as on the embedded store."""

from __future__ import annotations

from pyoxigraph import DefaultGraph, Quad

from claimledger import audit
from claimledger.store import MemoryStore


def test_replaying_the_audit_trail_into_memory_verifies_with_the_same_hashes(ledger):
    ledger.sources.add("wire", title="Wire story", reliability="B", published="2021-08-26")
    ledger.sources.add("outlet", title="Outlet", derived_from=["wire"])
    ledger.sources.add("other", title="Other outlet", reliability="C")
    ledger.claims.add("toll", subject="ex:attack", predicate="ex:deaths", value="1.7e2",
                      datatype="xsd:double", text="About 170 people died")
    ledger.claims.add("when", subject="ex:attack", predicate="ex:at",
                      value="2021-08-26T17:50:00.500+00:00", datatype="xsd:dateTime",
                      text="The bomb went off at 17:50")
    ledger.evidence.add("toll", "outlet", stance="supports", quote="about 170 people")
    ledger.evidence.add("toll", "other", stance="supports", locator="para 2")
    ledger.sources.discredit("other", reason="fabricated figures")
    embedded = audit.verify(ledger.store, ledger.base)
    assert embedded.ok, embedded.problems

    memory = MemoryStore()
    graph = audit.audit_graph(ledger.base)
    described = {q.subject for q in ledger.store.quads() if q.graph_name == graph}
    for ev in audit.events(ledger.store, ledger.base, with_changes=True):
        # what the event did to the state, then the event itself
        memory.remove_quads(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in ev.removed)
        memory.bulk_add(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in ev.added)
        memory.bulk_add(Quad(t.subject, t.predicate, t.object, audit.added_graph(ev.iri))
                        for t in ev.added)
        memory.bulk_add(Quad(t.subject, t.predicate, t.object, audit.removed_graph(ev.iri))
                        for t in ev.removed)
        memory.bulk_add(q for q in ledger.store.quads()
                        if q.graph_name == graph and q.subject == ev.iri)
    memory.bulk_add(q for q in ledger.store.quads()
                    if q.graph_name == graph and q.subject not in described | {ledger.node})
    memory.bulk_add(q for q in ledger.store.quads()
                    if q.graph_name == graph and q.subject == ledger.node)
    replayed = audit.verify(memory, ledger.base)
    assert replayed.ok, replayed.problems
    assert replayed.head_hash == embedded.head_hash
    assert replayed.events == embedded.events
    assert set(memory.quads()) == set(ledger.store.quads())
