"""Running claimledger's SHACL engine every way it runs, for the conformance tests.

* ``graph``: :meth:`ShapeSet.validate` over a whole rdflib graph (``policy add`` checks,
  ``--shapes`` files, the tests);
* ``store``: :func:`validate_store` over an in-memory store holding the same triples (the
  ``validate`` command);
* ``write``: :meth:`ShapeSet.validate` with every IRI of the data and every IRI target node
  as a focus node (the write path); only comparable where every expected focus node is one.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib import SH, Literal, URIRef

from claimledger.store import MemoryStore
from claimledger.validation import ShapeSet, validate_store
from claimledger.validation.support import ox_term

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""




def store_of(graph: rdflib.Graph) -> MemoryStore:
    """The graph's triples in an in-memory store, blank nodes keeping their labels."""
    return MemoryStore(ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph)


def data(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")


def shapes(turtle: str) -> ShapeSet:
    return ShapeSet([("test", PREFIXES + turtle)])


def reports(shape_set: ShapeSet, graph: rdflib.Graph, *, write: bool = True) -> dict:
    """``{way: report}`` for every way the engine runs (see the module doc)."""
    out = {"graph": shape_set.validate(graph),
           "store": validate_store(store_of(graph), shape_set)}
    if write:
        nodes = {n for t in graph for n in t if isinstance(n, URIRef)}
        nodes |= {n for n in shape_set.graph.objects(None, SH.targetNode) if isinstance(n, URIRef)}
        out["write"] = shape_set.validate(graph, focus=sorted(str(n) for n in nodes))
    return out


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> Literal:
    return Literal(text, datatype=URIRef(datatype) if datatype else None, lang=lang)
