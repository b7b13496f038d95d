"""The sourcing rules (shapes/sourcing.ttl), tested from data files.

``tests/validation/data/shapes/<rule>/{valid,invalid}/*.ttl`` are small ledger fragments, derived facts
written in as claimledger stores them. Each file is one test case, checked three ways:

* by plain pyshacl over the whole file with ``shapes/sourcing.ttl`` (each result's source shape
  mapped to its named rule here, independently of claimledger's code);
* by claimledger's engine over the whole graph (``ShapeSet.validate`` with no focus: core
  constraints compiled to SPARQL, SHACL-SPARQL on Oxigraph with ``$this`` free);
* by claimledger's engine as the write path runs it (every node in focus, ``$this`` pre-bound),
  and as ``validate`` runs it (``validate_store`` over a store of the same triples).

The engines must agree with one another. An invalid file must produce results of its rule only,
with the severities its ``# expect:`` line names; a valid file must produce no result of its
rule and no Violation at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import RDF, SH, URIRef

from claimledger import resources
from claimledger.errors import InputError
from claimledger.store import MemoryStore
from claimledger.validation import ShapeSet, parse_shapes, validate_store

DATA = Path(__file__).parent / "data" / "shapes"
CASES = sorted(DATA.glob("*/*/*.ttl"))
RULES_NS = "https://w3id.org/claimledger/shapes#"

#: Every rule of the README table; each has data files.
RULES = {
    "claim-structure", "unsourced-claim", "evidence-structure", "source-structure",
    "anonymous-source", "corroborated-needs-two-origins", "single-origin",
    "high-confidence-sourcing", "anonymous-only-high", "anonymous-only-moderate",
    "contested-not-corroborated", "derivation-acyclic", "verdict-reason", "dates",
    "verdict-confidence",
}

Key = tuple[str, str, str, str]  # focus, rule, severity, constraint component


@pytest.fixture(scope="module")
def builtin() -> ShapeSet:
    return ShapeSet.builtin()


@pytest.fixture(scope="module")
def plain_shapes() -> rdflib.Graph:
    """The built-in rules for plain pyshacl, with rdflib's SPARQL parsing memoised.

    pyshacl hands rdflib a SPARQL constraint's text once per focus node, and rdflib parses it
    every time (about 0.15 s each: 90 % of a plain run). The memo keeps the translated query;
    evaluation (NOW() included) is unchanged, so the results are plain pyshacl's.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    memo: dict = {}

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in memo:
                memo[key] = processor.translateQuery(processor.parseQuery(text), base, initNs)
            text = memo[key]
        return original(self, text, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processor.SPARQLProcessor, "query", query)
        yield rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")


def plain_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> set[Key]:
    """Validate with pyshacl alone; map each result to the named shape that owns it."""
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
    out = set()
    top = report.value(None, RDF.type, SH.ValidationReport, any=False)
    for node in report.objects(top, SH.result):  # not the sh:detail of nested shapes
        shape = report.value(node, SH.sourceShape)
        if not isinstance(shape, URIRef):
            parents = [p for p in shapes.subjects(SH.property, shape) if isinstance(p, URIRef)]
            assert len(parents) == 1, f"a result of an anonymous shape outside a rule: {shape}"
            shape = parents[0]
        assert str(shape).startswith(RULES_NS), shape
        out.add((str(report.value(node, SH.focusNode)), str(shape)[len(RULES_NS):],
                 str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[1],
                 str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[1]))
    return out


def keys(results) -> set[Key]:
    return {(r.focus, r.rule, r.severity, r.component) for r in results}


def expectation(path: Path) -> set[str]:
    """The severities an invalid file's ``# expect: Violation, Warning`` line names."""
    match = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name} has no '# expect:' line"
    return {s.strip() for s in match.group(1).split(",")}


def case_id(path: Path) -> str:
    return f"{path.parts[-3]}/{path.parts[-2]}/{path.stem}"


def test_every_rule_has_valid_and_invalid_files():
    found = {(p.parts[-3], p.parts[-2]) for p in CASES}
    for rule in RULES:
        assert (rule, "valid") in found, rule
        assert (rule, "invalid") in found, rule
    assert {rule for rule, _ in found} == RULES


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_rule_file(path: Path, builtin: ShapeSet, plain_shapes: rdflib.Graph):
    rule, kind = path.parts[-3], path.parts[-2]
    data = rdflib.Graph().parse(path, format="turtle")

    plain = plain_pyshacl(data, plain_shapes)
    ours = keys(builtin.validate(data).results)
    assert ours == plain, "claimledger's engine and plain pyshacl disagree"

    # The write path: every node in focus, $this pre-bound for the SPARQL constraints.
    focus = {str(s) for s in data.subjects() if isinstance(s, URIRef)}
    assert keys(builtin.validate(data, focus=focus).results) == plain, "write path disagrees"
    # `claimledger validate`: the store in batches of claims and sources with their closures.
    store = MemoryStore.from_graph(data)
    assert keys(validate_store(store, builtin).results) == plain, "validate disagrees"

    rules = {r for _, r, _, _ in plain}
    severities = {s for _, _, s, _ in plain}
    if kind == "invalid":
        assert rules == {rule}, f"expected results of {rule} only, got {sorted(plain)}"
        assert severities == expectation(path), sorted(plain)
    else:
        assert rule not in rules, sorted(plain)
        assert "Violation" not in severities, sorted(plain)


# -- the shapes file itself --------------------------------------------------------------------

def _rules_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")


def test_every_rule_states_its_severity_message_and_origin():
    g = _rules_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    rules = {s for p in targets for s in g.subjects(p, None)}
    assert {str(s)[len(RULES_NS):] for s in rules} == RULES
    for rule in rules:
        name = str(rule)[len(RULES_NS):]
        assert g.value(rule, SH.severity) in (SH.Violation, SH.Warning, SH.Info), name
        assert g.value(rule, SH.message) is not None, name
        comment = str(g.value(rule, rdflib.RDFS.comment))
        assert "Source:" in comment or "Sources:" in comment, name
        for prop in g.objects(rule, SH.property):  # each reports with its own severity
            assert g.value(prop, SH.severity) is not None, name
            assert g.value(prop, SH.message) is not None, name
    helpers = {s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)} - rules
    for helper in helpers:
        assert "Part of rule" in str(g.value(helper, rdflib.RDFS.comment)), helper


def test_no_nested_shape_has_a_lenient_severity():
    """pyshacl, allowing warnings, counts a failing nested shape of severity Warning or Info as
    conforming; only the rules themselves and their direct property shapes may carry one."""
    g = _rules_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    rules = {s for p in targets for s in g.subjects(p, None)}
    top = rules | {p for r in rules for p in g.objects(r, SH.property)}
    for shape, severity in g.subject_objects(SH.severity):
        if severity != SH.Violation:
            assert shape in top, shape


def test_single_origin_message_names_the_origin(builtin, plain_shapes):
    path = DATA / "single-origin" / "invalid" / "one-report.ttl"
    data = rdflib.Graph().parse(path, format="turtle")
    [ours] = builtin.validate(data).results
    assert ours.message == "rests on a single origin: Wire story A"
    assert ours.severity == "Warning" and ours.focus == "https://example.org/ledger/x"
    [write] = builtin.validate(data, focus=["https://example.org/ledger/x"]).results
    assert write.message == ours.message
    _c, report, _t = pyshacl.validate(data, shacl_graph=plain_shapes, allow_warnings=True)
    assert {str(m) for m in report.objects(None, SH.resultMessage)} == {ours.message}


def test_single_origin_message_lists_every_origin_of_one_line(builtin):
    path = DATA / "single-origin" / "invalid" / "one-digest-of-two-reports.ttl"
    [result] = builtin.validate(rdflib.Graph().parse(path, format="turtle")).results
    assert result.message.startswith("rests on a single origin: ")
    assert set(result.message.split(": ", 1)[1].split(", ")) == {"Report 1", "Report 2"}


FUTURE = """
@prefix : <https://example.org/ledger/> .
@prefix cl: <https://w3id.org/claimledger#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:s a cl:Source ; schema:name "S" ; cl:kind cl:kind-document ; cl:reliability cl:reliability-F ;
   cl:anonymous false ; prov:generatedAtTime "2024-01-01T00:00:00Z"^^xsd:dateTime ;
   schema:datePublished %s .
"""


@pytest.mark.parametrize("days, zone, future", [
    (0, "", False), (0, "Z", False), (0, "+00:00", False), (-1, "-05:00", False),
    (2, "", True), (2, "Z", True), (400, "", True),
])
def test_dates_today_is_not_in_the_future(builtin, plain_shapes, days, zone, future):
    import datetime as dt

    day = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).date().isoformat()
    data = rdflib.Graph().parse(data=FUTURE % f'"{day}{zone}"^^xsd:date', format="turtle")
    ours = keys(builtin.validate(data).results)
    assert ours == plain_pyshacl(data, plain_shapes)
    assert bool(ours) == future, ours


def test_focus_validation_sees_nested_shapes_whole():
    """pyshacl 0.40's own focus_nodes option filters the value nodes of nested shapes too, and
    reports false results (here: ex:a against the sh:not shape, ex:b escapes the qualified
    count). claimledger validates the focus nodes against the whole graph instead."""
    shapes_text = """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:no-bad a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:r ; sh:not [ sh:path ex:k ; sh:hasValue ex:bad ] ] .
        ex:one-good a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:r ; sh:qualifiedMinCount 1 ;
                          sh:qualifiedValueShape [ sh:path ex:k ; sh:hasValue ex:good ] ] .
    """
    data = rdflib.Graph().parse(data="""
        @prefix ex: <http://ex/> .
        ex:a a ex:C ; ex:r ex:o1 . ex:o1 ex:k ex:good .
        ex:b a ex:C ; ex:r ex:o2 . ex:o2 ex:k ex:bad .
    """, format="turtle")
    shapes = ShapeSet([("test", shapes_text)])
    whole = {(r.focus, r.rule) for r in shapes.validate(data).results}
    assert whole == {("http://ex/b", "no-bad"), ("http://ex/b", "one-good")}
    assert {(r.focus, r.rule) for r in shapes.validate(data, focus=["http://ex/a"]).results} == set()
    assert {(r.focus, r.rule) for r in shapes.validate(data, focus=["http://ex/b"]).results} == whole


# -- parse_shapes refuses what it cannot use ---------------------------------------------------

SH_PREFIX = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .\n"


@pytest.mark.parametrize("text, message", [
    ("this is not turtle {", "do not parse as Turtle"),
    (SH_PREFIX + "ex:a ex:b ex:c .", "not SHACL"),
    ("", "not SHACL"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT ?x WHERE { ?x ex:p ?y }" ] .""", "must project $this"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:message "no query" ] .""", "needs sh:select"),
    (SH_PREFIX + """ex:S a sh:PropertyShape ; sh:path ex:p ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?y FILTER (?y = $PATH) }" ] .""",
     "$PATH may only be the predicate of a triple pattern"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?y MINUS { $this ex:q ?y } }" ] .""",
     "MINUS"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:sparql [ sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }" ] .""",
     "SERVICE"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
        sh:property [ sh:path [ sh:inversePath ex:p ; sh:zeroOrMorePath ex:q ] ; sh:minCount 1 ] .""",
     "ill-formed"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 .""", "ill-formed"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:datatype ex:a , ex:b .""",
     "ill-formed"),
    (SH_PREFIX + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:T . ex:T sh:class ex:D .""",
     "not a property shape"),
])
def test_parse_shapes_refuses(text, message):
    with pytest.raises(InputError) as caught:
        parse_shapes(text, name="newsroom")
    assert message in caught.value.message
    assert "newsroom" in caught.value.message


def test_parse_shapes_accepts_untyped_shapes_with_targets():
    graph = parse_shapes(SH_PREFIX + "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
                                     "sh:minCount 1 ] .", name="newsroom")
    assert len(graph) > 0
