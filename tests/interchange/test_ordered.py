"""The canonical order of an export: read from a store's own N-Triples lines (Oxigraph's
writer), it is the order and the terms of every quad made canonical one by one."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.interchange import ordered as ordered_module
from claimledger.interchange.ordered import ordered, ordered_store
from claimledger.model import ntriples
from claimledger.store.memory import MemoryStore

XSD = "http://www.w3.org/2001/XMLSchema#"
# every character class a line's escaping cares about: controls, quotes, backslashes, the
# characters str.splitlines() breaks at (U+0085, U+2028, U+2029), non-BMP, combining marks
TEXT = st.lists(st.sampled_from(["a", "Z", " ", '"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00",
                                 "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "é",
                                 "\u0301", "😀", "<", ">", " .", "^^", "@", "_:"]),
                max_size=12).map("".join)
TYPED = st.sampled_from([
    ("integer", "7"), ("integer", "-0"), ("integer", "0012"), ("decimal", "1.50"),
    ("decimal", "-.5"), ("double", "1.0E0"), ("double", "12"), ("double", "-0.0"),
    ("double", "INF"), ("double", "NaN"), ("double", "1e300"), ("float", "3.5"),
    ("float", "1E-7"), ("boolean", "1"), ("boolean", "false"), ("dateTime", "2020-01-02T03:04:05Z"),
    ("dateTime", "2020-01-02T03:04:05.100+02:00"), ("date", "2021-03-04"), ("gYear", "1999"),
    ("string", "plain")])
LITERALS = (st.builds(ox.Literal, TEXT)
            | st.builds(lambda t, lang: ox.Literal(t, language=lang), TEXT,
                        st.sampled_from(["en", "en-gb", "ps", "x-a"]))
            | TYPED.map(lambda d: ox.Literal(d[1], datatype=ox.NamedNode(XSD + d[0])))
            | st.builds(lambda t: ox.Literal(t, datatype=ox.NamedNode("urn:x:dt")), TEXT))
NODES = (st.sampled_from(["urn:a", "https://example.org/x#y", "https://example.org/é"]).map(ox.NamedNode)
         | st.sampled_from(["b1", "b10", "x"]).map(ox.BlankNode))
GRAPHS = st.sampled_from([ox.DefaultGraph(), ox.NamedNode("urn:g:1"), ox.NamedNode("urn:g:10"),
                          ox.BlankNode("g")])
QUADS = st.lists(st.builds(ox.Quad, NODES, st.sampled_from(["urn:p", "urn:q"]).map(ox.NamedNode),
                           NODES | LITERALS, GRAPHS), max_size=30)


def _store(quads) -> MemoryStore:
    store = MemoryStore()
    store._store.extend(quads)
    return store


@settings(max_examples=150, deadline=None)
@given(quads=QUADS)
def test_the_stores_own_lines_are_the_canonical_lines_of_its_triples(quads):
    store = _store(quads)
    for graph in [ox.DefaultGraph(), *store.named_graphs()]:
        ours = sorted(line for block in store.canonical_lines(graph) for line in block)
        assert ours == sorted(ntriples.line(t) for t in store.triples(None, None, None, graph))


@settings(max_examples=150, deadline=None)
@given(quads=QUADS)
def test_an_export_from_the_stores_lines_is_the_export_from_its_quads(quads):
    store = _store(quads)
    assert list(ordered_store(store)) == list(ordered(store.quads()))
    default = [q for q in ordered(store.quads()) if isinstance(q.graph_name, ox.DefaultGraph)]
    assert list(ordered_store(store, default_graph_only=True)) == default


def test_spilled_runs_and_small_chunks_give_the_same_order(monkeypatch):
    quads = [ox.Quad(ox.NamedNode(f"urn:s{i % 13}"), ox.NamedNode("urn:p"), ox.Literal(f"v{i}"),
                     ox.NamedNode(f"urn:g{i % 3}") if i % 4 else ox.DefaultGraph())
             for i in range(200)]
    store = _store(quads)
    whole = list(ordered_store(store))
    assert len(whole) == 200
    monkeypatch.setattr(ordered_module, "RUN", 7)
    monkeypatch.setattr(ordered_module, "CHUNK", 3)
    assert list(ordered_store(store)) == whole
    assert list(ordered(store.quads())) == whole
