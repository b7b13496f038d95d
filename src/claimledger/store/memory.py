"""A throw-away in-memory store."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Triple
from pyoxigraph import Store as _OxStore

from claimledger.store.oxigraph import OxigraphStore


class MemoryStore(OxigraphStore):
    """A throw-away in-memory store, e.g. for running SHACL-SPARQL over a write's closure."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        super().__init__(_OxStore(), writable=True)
        self._store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)

    @classmethod
    def from_graph(cls, graph) -> MemoryStore:
        """Copy an rdflib graph (through N-Triples)."""
        store = cls()
        data = graph.serialize(format="nt", encoding="utf-8")
        if data.strip():
            store._store.load(data, RdfFormat.N_TRIPLES)
        return store
