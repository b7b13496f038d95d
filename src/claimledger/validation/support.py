"""Helpers the validation modules share: RDF terms between rdflib and Oxigraph, kept exactly
(blank node labels, lexical forms), which literals the store would rewrite, and how many
queries a whole-store run runs at once."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

#: Queries a whole-ledger validation runs at once: one per core, at most four.
WORKERS = max(1, min(4, os.cpu_count() or 1))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class _NoCastWarnings(logging.Filter):
    """rdflib logs a traceback whenever it makes a Literal whose lexical form does not fit its
    datatype; an ill-typed literal is ordinary data for a validator (it is what sh:datatype
    reports), so that one warning is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_NoCastWarnings())
# The same for rdflib's warnings about such literals ("Parsing weird boolean", "Serializing
# weird numerical"): data, not a fault of the program.
warnings.filterwarnings("ignore", message="(Parsing|Serializing) weird", category=UserWarning,
                        module="rdflib.term")


def ox_term(t: rdflib.term.Node):
    """An rdflib term as a pyoxigraph term (a blank node keeps its label)."""
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    if t.datatype is None:
        return ox.Literal(str(t))
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))


def rdf_term(t) -> rdflib.term.Node:
    """A pyoxigraph term as an rdflib term, the lexical form kept as it is."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _XSD_STRING:
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)


def rdflib_graph(triples: Iterable) -> rdflib.Graph:
    """Triples (pyoxigraph) as an rdflib graph, term by term (rdflib's N-Triples parser takes
    time quadratic in a line's length: 11 s for a 1 MiB literal, minutes for a few MiB)."""
    graph = rdflib.Graph()
    add = graph.add
    for t in triples:
        add((rdf_term(t.subject), rdf_term(t.predicate), rdf_term(t.object)))
    return graph


def rdflib_of(store) -> rdflib.Graph:
    """An rdflib copy of a store's default graph (for pyshacl)."""
    return rdflib_graph(store.triples(None, None, None))


def parse_turtle(text: str | bytes | None = None, *, path=None, base: str | None = None,
                 rename_blank_nodes: bool = True) -> rdflib.Graph:
    """A Turtle document as an rdflib graph with its literals as written.

    rdflib's own parser rewrites literals as it reads them (``"1"^^xsd:boolean`` becomes
    ``"true"``, ``"007"^^xsd:integer`` becomes ``"7"``), which changes what a shape says
    (``sh:uniqueLang "1"^^xsd:boolean`` is not ``true``) and which values a report names;
    Oxigraph's parser keeps them.

    :raises SyntaxError: if it is not Turtle.
    """
    graph = rdflib.Graph()
    add = graph.add
    for q in ox.parse(text, ox.RdfFormat.TURTLE, path=path, base_iri=base,
                      without_named_graphs=True, rename_blank_nodes=rename_blank_nodes):
        add((rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object)))
    return graph


def ox_triples(graph: rdflib.Graph) -> Iterator:
    for s, p, o in graph:
        yield ox.Triple(ox_term(s), ox_term(p), ox_term(o))


def _same(a, b) -> bool:
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal):
        return (a.value == b.value and a.datatype == b.datatype
                and (a.language or "").lower() == (b.language or "").lower())
    return a == b


def rewritten(literals: Iterable[Literal]) -> set[Literal]:
    """The literals an Oxigraph store would not give back as written (it keeps numbers,
    booleans and date-times as values: ``"007"^^xsd:integer`` comes back as ``"7"``,
    ``"3"^^xsd:byte`` as ``"3"^^xsd:integer``). A language tag's case does not count (RDF
    language tags are case-insensitive; Oxigraph writes them in lower case)."""
    todo = sorted({lit for lit in literals if isinstance(lit, Literal) and not lit.language
                   and lit.datatype is not None and str(lit.datatype) != _XSD_STRING}, key=str)
    if not todo:
        return set()
    store = ox.Store()
    p = ox.NamedNode("urn:x-claimledger:p")
    for i, lit in enumerate(todo):
        store.add(ox.Quad(ox.NamedNode(f"urn:x-claimledger:{i}"), p, ox_term(lit)))
    out = set()
    for i, lit in enumerate(todo):
        [stored] = [q.object for q in store.quads_for_pattern(ox.NamedNode(f"urn:x-claimledger:{i}"), p, None)]
        if not _same(stored, ox_term(lit)):
            out.add(lit)
    return out


@lru_cache(maxsize=4096)
def kept(literal: Literal) -> bool:
    """Whether the store keeps ``literal`` as written (see :func:`rewritten`)."""
    return not rewritten([literal])


def term_key(node) -> tuple:
    """A deterministic order for terms (IRIs, then literals, then blank nodes by label)."""
    kind = 0 if isinstance(node, URIRef) else 1 if isinstance(node, Literal) else 2
    return (kind, str(node), str(getattr(node, "datatype", "") or ""),
            str(getattr(node, "language", "") or ""))


def shape_name(node) -> str:
    """A shape as messages name it."""
    return node.n3() if isinstance(node, (URIRef, Literal)) else "a blank node shape"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
