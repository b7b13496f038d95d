"""Reading what SPARQL 1.1 servers answer: query results in JSON, RDF for CONSTRUCT.

Servers differ in the details, and the reader copes with what real ones send: the obsolete
``"typed-literal"`` type, ASK booleans given as ``"true"`` or ``1``, a missing ``head.vars``
(taken from the bindings), ``xsd:string`` written out on plain literals. Anything that is not
a SPARQL results document (an HTML error page with status 200, a truncated body) is an
:class:`~claimledger.errors.EndpointError`, never a half-read result.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from claimledger.errors import EndpointError
from claimledger.model.literals import canonical
from claimledger.store.base import Rows

RESULTS_JSON = "application/sparql-results+json"
RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _bad(what: str, detail: str) -> EndpointError:
    return EndpointError(f"{what} did not answer with SPARQL results ({detail})")


def parse_json(body: bytes, *, what: str = "the SPARQL endpoint") -> Rows | bool:
    """A SPARQL 1.1 Query Results JSON document as :class:`Rows` (SELECT) or a bool (ASK).

    :raises EndpointError: if it is not one.
    """
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(what, f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise _bad(what, "not a JSON object")
    if "boolean" in doc:
        value = doc["boolean"]
        if value in (True, 1, "true", "1"):
            return True
        if value in (False, 0, "false", "0"):
            return False
        raise _bad(what, f"boolean {value!r}")
    results = doc.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise _bad(what, "no results.bindings")
    head = doc.get("head") if isinstance(doc.get("head"), dict) else {}
    variables = head.get("vars")
    bindings = results["bindings"]
    if not isinstance(variables, list):
        variables = sorted({k for b in bindings if isinstance(b, dict) for k in b})
    try:
        rows = [tuple(_term(b.get(v)) if b.get(v) is not None else None for v in variables)
                for b in bindings]
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise _bad(what, f"a malformed binding: {exc}") from None
    return Rows([str(v) for v in variables], rows)


def _term(b: dict):
    kind = b["type"]
    value = b["value"]
    if not isinstance(value, str):
        raise ValueError(f"value {value!r}")
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if b.get("xml:lang"):
            return canonical(Literal(value, language=b["xml:lang"]), strict=False)
        datatype = b.get("datatype")
        if datatype and datatype != XSD_STRING:
            return canonical(Literal(value, datatype=NamedNode(datatype)), strict=False)
        return Literal(value)
    if kind == "triple":
        raise ValueError("an RDF 1.2 triple term")
    raise ValueError(f"type {kind!r}")


def parse_rdf(body: bytes, content_type: str | None, *, what: str = "the SPARQL endpoint"
              ) -> list[Triple]:
    """The triples of a CONSTRUCT / DESCRIBE answer, literals canonical.

    :raises EndpointError: for a body that is not RDF in the type it says.
    """
    fmt = RDF_TYPES.get(content_type or "")
    if fmt is None:
        raise EndpointError(f"{what} answered a graph query with {content_type or 'no type'}, "
                            "not RDF")
    try:
        out = []
        for q in ox.parse(body, fmt):
            o = q.object
            out.append(Triple(q.subject, q.predicate, canonical(o, strict=False))
                       if isinstance(o, Literal) else q.triple)
        return out
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"{what} sent RDF that does not parse: {exc}") from None
