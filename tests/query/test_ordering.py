"""claimledger.query.ordering: a report's final ORDER BY done in Python gives the engine's
order, and anything whose order it does not reproduce is left to the engine."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from claimledger.query import ordering

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def test_split_takes_off_a_final_order_by_of_projected_variables():
    q = "PREFIX cl: <https://w3id.org/claimledger#>\nSELECT ?a (COUNT(?x) AS ?n) WHERE {\n ?a ?p ?x\n} GROUP BY ?a\nORDER BY DESC(?n) ?a\n"
    order = ordering.split(q)
    assert order is not None
    assert order.keys == (("n", True), ("a", False))
    assert order.bare.rstrip().endswith("GROUP BY ?a")
    commented = ordering.split("SELECT ?a ?b WHERE { ?a ?p ?b } # by a\nORDER BY ?a # then b\n ?b")
    assert commented is not None and commented.keys == (("a", False), ("b", False))


@pytest.mark.parametrize("query", [
    "SELECT ?a WHERE { ?a ?p ?o }\nORDER BY ?o",                 # a key not projected
    "SELECT * WHERE { ?a ?p ?o }\nORDER BY ?a",                  # a projection not read here
    "SELECT ?a WHERE { ?a ?p ?o }\nORDER BY STR(?a)",            # an expression
    "SELECT ?a WHERE { ?a ?p ?o }\nORDER BY ?a\nLIMIT 3",        # not the last clause
    "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o }\nORDER BY ?a } }",  # a subquery's
    "SELECT ?a WHERE { ?a ?p ?o }",                              # none
    "SELECT ?a WHERE { ?a ?p 'x' FILTER(?a != 'ORDER BY ?a') }",  # inside a string
])
def test_split_leaves_every_other_query_to_the_engine(query):
    assert ordering.split(query) is None


def test_the_python_order_is_the_engines_on_iris_strings_integers_and_unbound():
    store = ox.Store()
    g = ox.DefaultGraph()
    iris = ["b", "a", "B", "é", "z", "ab", "a/b", "a-b", "10", "9", "ä", "\u00e9x"]
    for k, name in enumerate(iris):
        s = ox.NamedNode(EX + name)
        store.add(ox.Quad(s, ox.NamedNode(EX + "n"), ox.Literal(str((k * 7) % 5)), g))
        store.add(ox.Quad(s, ox.NamedNode(EX + "k"), ox.Literal(str((k * 3) % 11 - 4),
                                                                  datatype=ox.NamedNode(XSD + "integer")), g))
        store.add(ox.Quad(s, ox.NamedNode(EX + "t"), ox.Literal(name + " text"), g))
        if k % 3:
            store.add(ox.Quad(s, ox.NamedNode(EX + "o"), ox.NamedNode(EX + iris[-k]), g))
    body = (f"SELECT ?s ?n ?k ?t ?o WHERE {{ ?s <{EX}n> ?n ; <{EX}k> ?k ; <{EX}t> ?t "
            f"OPTIONAL {{ ?s <{EX}o> ?o }} }}")
    for keys in ("?s", "DESC(?s)", "?k ?s", "DESC(?k) ?t", "?o ?s", "DESC(?o) DESC(?s)",
                 "?n DESC(?k) ?s", "?t"):
        query = f"{body}\nORDER BY {keys}"
        engine = [[r[v] for v in ("s", "n", "k", "t", "o")] for r in store.query(query)]
        order = ordering.split(query)
        assert order is not None, keys
        rows = [[r[v] for v in ("s", "n", "k", "t", "o")] for r in store.query(order.bare)]
        mine = ordering.sort_rows(["s", "n", "k", "t", "o"], rows, order.keys)
        assert mine == engine, keys


@pytest.mark.parametrize("values", [
    [ox.Literal("a"), ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))],  # two kinds
    [ox.Literal("a", language="en"), ox.Literal("b")],            # a language-tagged string
    [ox.BlankNode("b1"), ox.NamedNode(EX + "a")],                  # a blank node
    [ox.Literal("2021-01-01", datatype=ox.NamedNode(XSD + "date"))],  # a date
    [ox.Literal("1_000", datatype=ox.NamedNode(XSD + "integer"))],   # an ill-typed integer
])
def test_orders_it_does_not_reproduce_are_left_to_the_engine(values):
    rows = [[v] for v in values]
    assert ordering.sort_rows(["v"], rows, (("v", False),)) is None


def test_ties_keep_the_order_they_came_in():
    one = ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))
    rows = [[one, ox.Literal("x")], [one, ox.Literal("a")], [None, ox.Literal("m")]]
    assert ordering.sort_rows(["n", "t"], rows, (("n", True),)) == [rows[0], rows[1], rows[2]]
    assert ordering.sort_rows(["n", "t"], rows, (("n", False),)) == [rows[2], rows[0], rows[1]]
