"""Canonical N-Triples, written by claimledger itself: the bytes the audit trail hashes.

The form is RDF 1.2's canonical N-Triples (the one RDF Dataset Canonicalization uses): one
space between terms, `` .`` at the end, IRIs as they are, and in literals ``"`` ``\\``
line feed, carriage return, tab, backspace and form feed escaped as ``\\"`` ``\\\\`` ``\\n``
``\\r`` ``\\t`` ``\\b`` ``\\f``, the other control characters (U+0000–U+001F, U+007F) as
``\\u00XX`` with upper-case hex, every other character as itself; a literal's datatype is
left out for ``xsd:string``; language tags as stored (claimledger stores them in lower case).
Literals must already be in claimledger's canonical form (:mod:`claimledger.model.literals`),
which every store result is: so the same ledger gives the same bytes on every engine.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> line(Triple(NamedNode("urn:a"), NamedNode("urn:b"), Literal('say "hi"\\n')))
'<urn:a> <urn:b> "say \\\\"hi\\\\"\\\\n" .'
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ESCAPES = {0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b",
            0x0C: "\\f"}
_TABLE = {c: _ESCAPES.get(c, f"\\u{c:04X}") for c in [*range(0x20), 0x22, 0x5C, 0x7F]}


def term(node) -> str:
    """One term in canonical N-Triples syntax."""
    if isinstance(node, NamedNode):
        return f"<{node.value}>"
    if isinstance(node, BlankNode):
        return f"_:{node.value}"
    if isinstance(node, Literal):
        text = '"' + node.value.translate(_TABLE) + '"'
        if node.language:
            return f"{text}@{node.language}"
        datatype = node.datatype.value
        if datatype == XSD_STRING:
            return text
        return f"{text}^^<{datatype}>"
    raise TypeError(f"not an RDF term: {node!r}")


def line(triple: Triple) -> str:
    """One triple as a canonical N-Triples line (without the line break)."""
    return f"{term(triple.subject)} {term(triple.predicate)} {term(triple.object)} ."
