"""Where pyshacl (0.40) and the SHACL Recommendation differ, found by the differential tests.

Each deviation has a name, the Recommendation's text, and a *trigger*: whether a shapes/data
pair contains what makes pyshacl deviate. ``test_pyshacl_deviations.py`` shows each one on a
minimal example (pyshacl's report, claimledger's, and the report the Recommendation defines).
The random differential test (``test_random_shapes.py``) compares the two engines result for
result; a pair that differs must contain a trigger, and is then compared again with the
triggering constraints taken out (:func:`ablate`), where the two must agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import RDF, SH, XSD, BNode, Literal, URIRef

_NUMERIC = {XSD[n] for n in ("integer", "decimal", "float", "double", "long", "int", "short",
                             "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
                             "nonPositiveInteger", "unsignedLong", "unsignedInt",
                             "unsignedShort", "unsignedByte")}
_RANGE = (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive)
_PAIRS = (SH.lessThan, SH.lessThanOrEquals)


@dataclass(frozen=True)
class Deviation:
    name: str
    pyshacl: str
    recommendation: str
    #: Parameters whose constraints are taken out to compare the rest of a pair.
    ablate: tuple = ()


def category(term) -> str:
    """What SPARQL's ``<`` can compare a term with (SPARQL 1.1, 17.3 operator mapping)."""
    if not isinstance(term, Literal):
        return "node"
    if term.language:
        return "langString"
    dt = term.datatype or XSD.string
    if getattr(term, "ill_typed", False):
        return "ill-typed"
    if dt in _NUMERIC:
        return "numeric"
    if dt in (XSD.string, XSD.boolean, XSD.dateTime, XSD.date, XSD.time):
        return str(dt)
    return f"other:{dt}"


RANGE = Deviation(
    "incomparable values pass sh:min/maxInclusive/Exclusive",
    "compares a value with the bound through rdflib's ordering of Python values (a date with a "
    "number, a language-tagged string with a string, a boolean with a number as an integer), "
    "and lets values pass that SPARQL cannot compare",
    "SHACL 4.3: a value node v gives a result when the SPARQL expression ($minInclusive <= v…) "
    "does not return true; comparing values SPARQL cannot compare is an error, so v gives a "
    "result", _RANGE)
PAIRS = Deviation(
    "incomparable pairs pass sh:lessThan / sh:lessThanOrEquals",
    "skips pairs it cannot compare (a boolean with a number, a date with a number, a "
    "language-tagged string with a string), and stops with an error on a blank node or on "
    "literals Python cannot order",
    "SHACL 4.5.3: a pair gives a result when the first value is not less than the second "
    "\"or where the two values cannot be compared\"", _PAIRS)
INVERSE_SEQUENCE = Deviation(
    "the inverse of a sequence path",
    "inverts each step of the sequence but keeps their order: ^(p/q) is read as ^p/^q",
    "SHACL 2.3.1.4 with SPARQL 1.1 9.1: ^(p/q) is ^q/^p (the differential test rewrites such "
    "paths into that equivalent form for pyshacl)")
MIN_LENGTH_ZERO = Deviation(
    "sh:minLength 0 accepts blank nodes",
    "returns early for sh:minLength 0, so a blank node passes",
    "SHACL 4.4.1: there is a result for each value node that is a blank node, whatever the "
    "length", (SH.minLength,))
DATATYPE_LEXICAL = Deviation(
    "ill-typed literals of some XSD datatypes pass sh:datatype",
    "relies on rdflib's lexical checks, which do not cover xsd:gYear, xsd:gYearMonth, "
    "xsd:gMonth, xsd:NCName, xsd:language… (\"abc\"^^xsd:gYear passes)",
    "SHACL 4.2.2 and RDF 1.1: a literal whose lexical form is not in its datatype's lexical "
    "space is ill-typed and gives a result")
NESTED_SEVERITY = Deviation(
    "nested shapes of severity Warning or Info conform when warnings are allowed",
    "with allow_warnings, counts a nested shape (sh:node, sh:not, sh:or…) that fails with "
    "severity Warning or Info as conforming",
    "SHACL 2.3.2: a node conforms to a shape only if validating it gives no result, whatever "
    "the severity (claimledger's fallback runs pyshacl without allow_warnings)")
CONFORMS = Deviation(
    "sh:conforms true with Warnings when warnings are allowed",
    "with allow_warnings, writes sh:conforms true for a report of Warnings",
    "SHACL 3.6.1: sh:conforms is true if and only if there is no validation result")

ALL = (RANGE, PAIRS, INVERSE_SEQUENCE, MIN_LENGTH_ZERO, DATATYPE_LEXICAL, NESTED_SEVERITY, CONFORMS)


def _inverse_of_complex(shapes: rdflib.Graph) -> bool:
    return any(not isinstance(o, URIRef) for o in shapes.objects(None, SH.inversePath))


def triggers(shapes: rdflib.Graph, data: rdflib.Graph) -> list[Deviation]:
    """The deviations whose conditions a pair meets (coarse: a trigger may not fire)."""
    found = []
    values = {o for o in data.objects()} | set(data.subjects())
    bounds = [o for p in _RANGE for o in shapes.objects(None, p)]
    if bounds and any(category(v) != category(b) for v in values for b in bounds):
        found.append(RANGE)
    if any(True for p in _PAIRS for _ in shapes.triples((None, p, None))):
        found.append(PAIRS)
    if _inverse_of_complex(shapes):
        found.append(INVERSE_SEQUENCE)
    if (None, SH.minLength, Literal(0)) in shapes and any(isinstance(n, BNode) for t in data for n in t):
        found.append(MIN_LENGTH_ZERO)
    return found


def ablate(shapes: rdflib.Graph, deviations: list[Deviation]) -> rdflib.Graph:
    """A copy of ``shapes`` that avoids the given deviations: their constraints taken out, and
    inverses of complex paths rewritten into the equivalent path with the inversion pushed down
    to the predicates (^(p/q) as ^q/^p), which pyshacl reads right."""
    out = rdflib.Graph()
    drop = {p for d in deviations for p in d.ablate}
    for s, p, o in shapes:
        if p not in drop:
            out.add((s, p, o))
    if INVERSE_SEQUENCE in deviations:
        from claimledger.validation.paths import parse_path

        for node, inner in list(out.subject_objects(SH.inversePath)):
            if isinstance(inner, URIRef):
                continue
            path = parse_path(out, node).normal()
            out.remove((node, SH.inversePath, inner))
            if path.kind == "iri":  # ^(^p) is p
                for s, p in list(out.subject_predicates(node)):
                    out.remove((s, p, node))
                    out.add((s, p, URIRef(path.iri)))
            else:
                _write_as(out, node, path)
    return out


def _write_as(graph: rdflib.Graph, node, path) -> None:
    """Make the blank node ``node`` denote ``path``."""
    if path.kind == "sequence":
        items = [s.to_rdf(graph) for s in path.steps]
        graph.add((node, RDF.first, items[0]))
        graph.add((node, RDF.rest, _rest(graph, items[1:])))
    elif path.kind == "alternative":
        graph.add((node, SH.alternativePath, _rest(graph, [s.to_rdf(graph) for s in path.steps])))
    else:
        predicate = {"inverse": SH.inversePath, "*": SH.zeroOrMorePath, "+": SH.oneOrMorePath,
                     "?": SH.zeroOrOnePath}[path.kind]
        graph.add((node, predicate, path.steps[0].to_rdf(graph)))


def _rest(graph: rdflib.Graph, items: list):
    head = RDF.nil
    for item in reversed(items):
        n = BNode()
        graph.add((n, RDF.first, item))
        graph.add((n, RDF.rest, head))
        head = n
    return head


