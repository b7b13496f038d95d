"""Comparing SHACL validation reports as the W3C data-shapes test suite does ("full compliance").

From the test suite's description (data-shapes-test-suite/index.html): the expected graph is
the report node R with its triples, the triples of each of its results, and the triples
needed to represent each ``sh:resultPath``. The actual report is post-processed: no nested
results (``sh:detail``), report and results as blank nodes, path structures cloned per result,
and only these predicates kept: ``rdf:type`` (``sh:ValidationReport`` / ``sh:ValidationResult``),
``sh:result``, ``sh:conforms``, ``sh:focusNode``, ``sh:resultPath``, ``sh:resultSeverity``,
``sh:sourceConstraint``, ``sh:sourceConstraintComponent``, ``sh:sourceShape``, ``sh:value``;
``sh:resultMessage`` only with an object the expected graph also has as a message. The two
must then be isomorphic.
"""

from __future__ import annotations

import rdflib
from rdflib import RDF, SH, BNode, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

_KEPT = (SH.focusNode, SH.resultSeverity, SH.sourceConstraint, SH.sourceConstraintComponent,
         SH.sourceShape, SH.value)
_PATH_LINKS = (RDF.first, RDF.rest, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath,
               SH.oneOrMorePath, SH.zeroOrOnePath)


def _copy_path(source: Graph, node, target: Graph, memo: dict | None = None):
    """``node`` (a path) copied into ``target``: IRIs as they are, blank node structures cloned."""
    if not isinstance(node, BNode):
        return node
    memo = {} if memo is None else memo
    if node in memo:
        return memo[node]
    clone = memo[node] = BNode()
    for p in _PATH_LINKS:
        for o in source.objects(node, p):
            target.add((clone, p, _copy_path(source, o, target, memo)))
    return clone


def _report_node(graph: Graph, report=None):
    if report is not None:
        return report
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"{len(reports)} sh:ValidationReport nodes"
    return reports[0]


def normalised(graph: Graph, report=None, *, messages: set | frozenset = frozenset()) -> Graph:
    """The report in ``graph`` reduced to what the test suite compares (see module doc).

    :param messages: the ``sh:resultMessage`` objects of the expected report (kept if present).
    """
    report = _report_node(graph, report)
    out = Graph()
    r = BNode()
    out.add((r, RDF.type, SH.ValidationReport))
    for c in graph.objects(report, SH.conforms):
        out.add((r, SH.conforms, c))
    for result in graph.objects(report, SH.result):
        node = BNode()
        out.add((r, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        for p in _KEPT:
            for o in graph.objects(result, p):
                out.add((node, p, o))
        for o in graph.objects(result, SH.resultMessage):
            if o in messages:
                out.add((node, SH.resultMessage, o))
        for o in graph.objects(result, SH.resultPath):
            out.add((node, SH.resultPath, _copy_path(graph, o, out)))
    return out


def expected_messages(graph: Graph) -> set:
    return set(graph.objects(None, SH.resultMessage))


def compare(actual: Graph, expected: Graph, *, expected_report=None,
            messages: bool = True) -> str | None:
    """None when the reports match; otherwise a readable difference.

    :param messages: compare the messages the expected report has (False: none at all).
    """
    messages = expected_messages(expected) if messages else set()
    want = normalised(expected, expected_report, messages=messages)
    got = normalised(actual, messages=messages)
    if isomorphic(want, got):
        return None
    _both, only_want, only_got = graph_diff(to_isomorphic(want), to_isomorphic(got))

    def lines(g: Graph) -> str:
        return "\n".join(sorted(f"    {s.n3()} {p.n3(g.namespace_manager)} {o.n3(g.namespace_manager)}"
                                for s, p, o in g))

    for g in (only_want, only_got):
        g.bind("sh", SH)
    return ("reports differ\n  expected only:\n" + lines(only_want)
            + "\n  actual only:\n" + lines(only_got)
            + f"\n  (expected {len(list(want.objects(None, SH.result)))} results, "
              f"got {len(list(got.objects(None, SH.result)))})")


def expected_report(turtle: str) -> Graph:
    """An expected report written in Turtle (``sh:`` and ``xsd:`` prefixes declared for it)."""
    head = ("@prefix sh: <http://www.w3.org/ns/shacl#> . "
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . "
            "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . ")
    return rdflib.Graph().parse(data=head + turtle, format="turtle")


def iri(text: str) -> URIRef:
    return URIRef(text)
