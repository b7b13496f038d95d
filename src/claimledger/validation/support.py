"""Small helpers the validation modules share: terms as text and back, rdflib copies of
Oxigraph data, and running queries on every core."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import rdflib
from rdflib import SH as R_SH
from rdflib import BNode, URIRef
from rdflib import Literal as RLiteral

#: Queries a whole-ledger validation runs at once: one per core, at most four.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def each(fn: Callable, items: Sequence, workers: int) -> Iterator:
    """``fn`` of every item, in order; on ``workers`` threads when there is more than one
    (Oxigraph evaluates a query without holding the GIL)."""
    if workers <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(workers) as pool:
        yield from pool.map(fn, items)


def term_text(term: object) -> str:
    """A term as text: IRIs bare, blank nodes as ``_:id``, literals by their lexical value."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def path_text(path: rdflib.term.Node, graph: rdflib.Graph) -> str:
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, R_SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return term_text(path)


def rdflib_node(text: str) -> rdflib.term.Node:
    if text.startswith("_:"):
        return BNode(text[2:])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        return URIRef(text)
    return RLiteral(text)


def ox_node(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def short(text: str | None) -> str:
    if text is None:
        return ""
    for sep in ("#", "/"):
        if "://" in text and sep in text:
            return text.rsplit(sep, 1)[-1] or text
    return text


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def rdflib_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """The triples as an rdflib graph, term by term (rdflib's N-Triples parser takes time
    quadratic in a line's length: 11 s for a 1 MiB literal, minutes for a few MiB)."""

    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return RLiteral(t.value, lang=t.language)
        if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return RLiteral(t.value)
        return RLiteral(t.value, datatype=URIRef(t.datatype.value))

    graph = rdflib.Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def rdflib_of(store) -> rdflib.Graph:
    """An rdflib copy of a store's default graph (for pyshacl)."""
    graph = rdflib.Graph()
    data = "".join(f"{t} .\n" for t in store.triples(None, None, None))
    if data:
        graph.parse(data=data, format="nt")
    return graph
