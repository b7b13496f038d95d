"""Where bound values are written into a query (claimledger.store.bindings): the rows are
those of one ``VALUES`` block at the start of the ``WHERE`` group, wherever else it is
repeated for the engine's sake."""

from __future__ import annotations

import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad

from claimledger.store.bindings import inline

G1, G2 = NamedNode("urn:g1"), NamedNode("urn:g2")
A, B, P, Q = (NamedNode(f"urn:{n}") for n in ("a", "b", "p", "q"))


def _store() -> ox.Store:
    store = ox.Store()
    store.extend([Quad(A, P, B, G1), Quad(B, P, A, G1), Quad(A, P, A, G2), Quad(A, Q, B, G2)])
    return store


def _rows(store, text):
    return sorted(tuple(str(x) if x is not None else None for x in row)
                  for row in store.query(text))


QUERIES = [
    "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <urn:p> ?o } }",
    "SELECT ?s ?o WHERE { GRAPH <urn:g2> { ?s ?p ?o } }",
    "SELECT ?g ?s ?x WHERE { GRAPH ?g { ?s <urn:p> ?o } OPTIONAL { GRAPH ?g { ?s <urn:q> ?x } } }",
    "SELECT ?s WHERE { ?s ?p ?o }",
]


def test_a_graph_group_gets_the_values_too_and_the_rows_stay_those_of_one_values_block():
    store = _store()
    for query in QUERIES:
        for bindings in ({"s": A}, {"s": A, "g": G2}, {"g": G1}, {"o": B}):
            names = sorted(bindings)
            plain = query.replace("WHERE {", "WHERE { VALUES (" + " ".join("?" + n for n in names)
                                  + ") { (" + " ".join(str(bindings[n]) for n in names) + ") }", 1)
            assert _rows(store, inline(query, bindings)) == _rows(store, plain), (query, bindings)


def test_the_values_go_into_graph_groups_directly_in_the_where_group_only():
    text = inline(QUERIES[2], {"s": A, "g": G1})
    head, optional = text.split("OPTIONAL", 1)
    assert head.count("VALUES") == 2           # the WHERE group's, and its GRAPH group's (?s)
    assert "VALUES (?s) { (<urn:a>) }" in head
    assert "VALUES" not in optional             # a GRAPH inside OPTIONAL is left as written
