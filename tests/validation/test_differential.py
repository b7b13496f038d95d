"""Issue 3: ``validate`` gives the same results as one plain pyshacl run of the sourcing rules.

claimledger does not run pyshacl on a whole ledger: it compiles the SHACL core constraints to
SPARQL and runs them, and the SHACL-SPARQL constraints, on Oxigraph
(:mod:`claimledger.shacl_sparql`). This test checks that the compiled engine changes nothing:
on a generated ledger, with rule violations planted directly in the store (bypassing the write
path that would refuse them), the set of (focus node, named shape, severity) from
:func:`validate_store` equals that of a single ``pyshacl.validate`` of ``shapes/sourcing.ttl``
over the whole exported state.

The issue asks for about 2,000 claims, and that is the size the test suite (and CI) runs. It
is the slowest test by far: plain pyshacl runs the SHACL-SPARQL constraints through rdflib, one
query per focus node; measured on the reference machine (2 shared cores), the 2,000-claim run
took 20 min of CPU (31 min wall beside two benchmark runs). For a quick local run set
``CLAIMLEDGER_DIFF_CLAIMS=120`` (still every kind of result, and the planted Violations).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import RDF, SH, BNode, URIRef

from claimledger import resources
from claimledger.interchange import export, import_file
from claimledger.ledger import Ledger
from claimledger.store import ChangeSet, EmbeddedStore
from claimledger.validation import validate_store

from benchmarks.generate import generate

BASE = "https://example.org/bench/"
CL = "https://w3id.org/claimledger#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RULES = "https://w3id.org/claimledger/shapes#"
N_CLAIMS = int(os.environ.get("CLAIMLEDGER_DIFF_CLAIMS", "2000"))

pytestmark = pytest.mark.slow


def _n(local: str, ns: str = CL) -> NamedNode:
    return NamedNode(ns + local)


def _one(store, sparql: str) -> NamedNode:
    rows = list(store.query(sparql))
    assert rows, f"no node for: {sparql}"
    return rows[0][0]


PREFIXES = f"PREFIX cl: <{CL}> PREFIX prov: <{PROV}> PREFIX oa: <{OA}> PREFIX schema: <{SCHEMA}> "


def plant_violations(store: EmbeddedStore) -> dict[str, NamedNode]:
    """Break one rule of each kind directly in the store; returns the nodes that were broken."""
    q = lambda body: _one(store, PREFIXES + body)  # noqa: E731
    planted: dict[str, NamedNode] = {}
    ch = ChangeSet()

    # An unsourced claim held with high confidence (rules 2 and 8).
    c = q("SELECT ?c WHERE { ?c cl:status cl:status-unsourced ; cl:confidence ?x } ORDER BY ?c LIMIT 1")
    for t in store.triples(c, _n("confidence"), None):
        ch.remove(t)
    ch.add(c, _n("confidence"), _n("confidence-high"))
    planted["unsourced-high"] = c
    # A single-source claim marked corroborated (rule 6, core and SPARQL).
    c = q("SELECT ?c WHERE { ?c cl:status cl:status-single-source . "
          "FILTER NOT EXISTS { ?c cl:confidence cl:confidence-high } } ORDER BY ?c LIMIT 1")
    ch.remove(Triple(c, _n("status"), _n("status-single-source")))
    ch.add(c, _n("status"), _n("status-corroborated"))
    planted["false-corroboration"] = c
    # A claim with two subjects (rule 1).
    c = q("SELECT ?c WHERE { ?c a cl:Claim ; cl:status cl:status-corroborated } ORDER BY ?c LIMIT 1")
    ch.add(c, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"),
           NamedNode("https://example.org/entity/second-subject"))
    planted["two-subjects"] = c
    # A source without a kind (rule 4).
    s = q("SELECT ?s WHERE { ?s a cl:Source ; cl:kind ?k ; cl:anonymous false . "
          "FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?x } FILTER NOT EXISTS { ?y prov:wasDerivedFrom ?s } "
          "} ORDER BY DESC(?s) LIMIT 1")
    for t in store.triples(s, _n("kind"), None):
        ch.remove(t)
    planted["no-kind"] = s
    # An anonymous source without a justification (rule 5).
    s = q("SELECT ?s WHERE { ?s cl:anonymous true ; cl:anonymityJustification ?j } ORDER BY ?s LIMIT 1")
    for t in store.triples(s, _n("anonymityJustification"), None):
        ch.remove(t)
    planted["anonymous-unjustified"] = s
    # A derivation cycle: a source derived from one of the sources derived from it (rule 11).
    s = q("SELECT ?w WHERE { ?r prov:wasDerivedFrom ?w . ?w a cl:Source } ORDER BY ?w LIMIT 1")
    r = q(f"SELECT ?r WHERE {{ ?r prov:wasDerivedFrom <{s.value}> }} ORDER BY ?r LIMIT 1")
    ch.add(s, _n("wasDerivedFrom", PROV), r)
    planted["cycle"] = s
    # A verdict without a reason (rule 12): the first generated one loses its reason, and one
    # more is written without.
    v = q("SELECT ?v WHERE { ?v a cl:Verdict ; cl:reason ?r } ORDER BY ?v LIMIT 1")
    for t in store.triples(v, _n("reason"), None):
        ch.remove(t)
    planted["verdict-unreasoned"] = v
    c = q("SELECT ?c WHERE { ?c cl:status cl:status-single-source } ORDER BY DESC(?c) LIMIT 1")
    v = NamedNode(c.value.replace("/claim/", "/verdict/") + "-9")
    ch.add(v, _n("type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"), _n("Verdict"))
    ch.add(v, _n("about"), c)
    ch.add(v, _n("verdictValue"), _n("status-refuted"))
    ch.add(v, _n("wasAttributedTo", PROV), NamedNode(BASE + "agent/editor-1"))
    ch.add(v, _n("generatedAtTime", PROV), Literal("2022-01-01T00:00:00Z",
                                                   datatype=NamedNode(XSD + "dateTime")))
    ch.add(c, _n("verdict"), v)
    planted["verdict-unreasoned-2"] = v
    # Evidence recorded in the future (rule 13, SPARQL).
    e = q("SELECT ?e WHERE { ?e a cl:Evidence ; prov:generatedAtTime ?t } ORDER BY ?e LIMIT 1")
    for t in store.triples(e, _n("generatedAtTime", PROV), None):
        ch.remove(t)
    ch.add(e, _n("generatedAtTime", PROV), Literal("2999-01-01T00:00:00Z",
                                                   datatype=NamedNode(XSD + "dateTime")))
    planted["future"] = e
    # A source with an untyped publication date (rule 13, core).
    s = q("SELECT ?s WHERE { ?s schema:datePublished ?d } ORDER BY ?s LIMIT 1")
    for t in store.triples(s, _n("datePublished", SCHEMA), None):
        ch.remove(t)
    ch.add(s, _n("datePublished", SCHEMA), Literal("last spring"))
    planted["bad-date"] = s
    # A quote without its exact text (rule 3 through rule:quote-selector).
    e = q("SELECT ?e WHERE { ?e oa:hasSelector ?q . ?q oa:exact ?x } ORDER BY DESC(?e) LIMIT 1")
    sel = next(store.triples(e, _n("hasSelector", OA), None)).object
    for t in store.triples(sel, _n("exact", OA), None):
        ch.remove(t)
    planted["quote-without-text"] = e
    # Evidence found in a document with neither quote nor locator (rule 3, sh:or).
    e = q("SELECT ?e WHERE { ?e cl:source ?s ; cl:locator ?l . ?s cl:kind cl:kind-document . "
          "FILTER NOT EXISTS { ?e oa:hasSelector ?q } } ORDER BY ?e LIMIT 1")
    for t in store.triples(e, _n("locator"), None):
        ch.remove(t)
    planted["evidence-unanchored"] = e
    store.apply(ch)
    return planted


def _named_shape(shapes: rdflib.Graph, node) -> str:
    """The named shape a result's source shape belongs to: the shape itself when named; for a
    blank property shape, or a shape nested in a list of sh:or / sh:and / sh:not…, the named
    shape it hangs from."""
    seen = set()
    while not isinstance(node, URIRef):
        if node in seen or node is None:
            return str(node)
        seen.add(node)
        parents = list(shapes.subjects(None, node))
        if not parents:
            return str(node)
        node = parents[0]
    return str(node)


def pyshacl_keys(data: rdflib.Graph, shapes: rdflib.Graph) -> set[tuple[str, str, str]]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True)
    keys = set()
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(rep, SH.result):
            focus = report.value(result, SH.focusNode)
            shape = report.value(result, SH.sourceShape)
            severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
            focus_text = f"_:{focus}" if isinstance(focus, BNode) else str(focus)
            keys.add((focus_text, _named_shape(shapes, shape), severity))
    return keys


@pytest.fixture(scope="module")
def planted_ledger(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("differential")
    nt = tmp / "ledger.nt"
    counts = generate(N_CLAIMS, nt, seed=3)
    path = tmp / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        result = import_file(led, nt, max_bytes=nt.stat().st_size + 1)
        assert result.report.conforms
    with EmbeddedStore(path, write=True) as store:
        planted = plant_violations(store)
    return path, planted, counts


def test_validate_equals_one_plain_pyshacl_run(planted_ledger):
    path, planted, _counts = planted_ledger
    with Ledger.open(path) as led:
        ours = validate_store(led.store, led.shapes)
        buf = io.BytesIO()
        export(led, buf, fmt="turtle")
    mine = {r.key() for r in ours.results}

    data = rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="turtle")
    shapes = rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")
    theirs = pyshacl_keys(data, shapes)

    only_ours = sorted(mine - theirs)
    only_theirs = sorted(theirs - mine)
    assert not only_ours and not only_theirs, (
        "validate and plain pyshacl disagree\n  only validate:\n    "
        + "\n    ".join(map(str, only_ours[:20]))
        + "\n  only pyshacl:\n    " + "\n    ".join(map(str, only_theirs[:20])))

    # The comparison means something: a mix of Warnings and of the planted Violations.
    by_rule = {(shape.rsplit("#", 1)[-1], severity) for _focus, shape, severity in mine}
    for expected in [("single-origin", "Warning"), ("unsourced-claim", "Warning"),
                     ("unsourced-claim", "Violation"), ("high-confidence-sourcing", "Violation"),
                     ("corroborated-needs-two-origins", "Violation"),
                     ("claim-structure", "Violation"), ("source-structure", "Violation"),
                     ("anonymous-source", "Violation"), ("derivation-acyclic", "Violation"),
                     ("verdict-reason", "Violation"), ("dates", "Violation"),
                     ("evidence-structure", "Violation")]:
        assert expected in by_rule, f"no {expected} result: the data does not exercise it"
    flagged = {focus for focus, _shape, severity in mine if severity == "Violation"}
    for what, node in planted.items():
        assert node.value in flagged, f"planted {what} on {node.value} was not reported"
