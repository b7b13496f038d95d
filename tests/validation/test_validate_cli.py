"""`claimledger validate`: the whole ledger against the rules, its policies and extra shapes.

A ledger that breaks a rule cannot be made through the write path, so the violating ledgers
here are made by writing triples straight into the store (no audit event, no checks).
"""

from __future__ import annotations

import json

import pytest
import rdflib
from conftest import BASE, snapshot
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import RDF, SH

from claimledger.model import vocab as V
from claimledger.store import ChangeSet, EmbeddedStore

CLAIM = BASE + "claim/"
SOURCE = BASE + "source/"

EXTRA_URL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cl: <https://w3id.org/claimledger#> .
@prefix schema: <http://schema.org/> .
@prefix news: <https://example.org/newsroom#> .
news:source-url a sh:NodeShape ; sh:targetClass cl:Source ; sh:severity sh:Violation ;
    sh:property [ sh:path schema:url ; sh:minCount 1 ; sh:severity sh:Violation ;
                  sh:message "Our desk records where every source can be found." ] .
"""

EXTRA_INFO = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cl: <https://w3id.org/claimledger#> .
@prefix schema: <http://schema.org/> .
@prefix news: <https://example.org/newsroom#> .
news:no-date a sh:NodeShape ; sh:targetClass cl:Source ; sh:severity sh:Info ;
    sh:property [ sh:path schema:datePublished ; sh:minCount 1 ; sh:severity sh:Info ;
                  sh:message "No publication date: add one if it is known." ] .
"""


@pytest.fixture
def desk(run):
    """A small, rule-abiding ledger: `freed` corroborated, `rivals` single-source, `later`
    unsourced."""
    run.ok("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B",
           "--url", "https://example.org/wire-a")
    run.ok("source", "add", "outlet-c", "--title", "Outlet C", "--reliability", "C",
           "--url", "https://example.org/outlet-c")
    run.ok("claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed prisoners")
    run.ok("evidence", "add", "freed", "wire-a", "--supports", "--locator", "para 4")
    run.ok("evidence", "add", "freed", "outlet-c", "--supports", "--quote", "freed prisoners")
    run.ok("claim", "add", "rivals", "--subject", "ex:Taliban", "--predicate", "ex:rivalOf",
           "--object", "ex:ISIS-K", "--text", "The outfits are archrivals")
    run.ok("evidence", "add", "rivals", "wire-a", "--supports", "--locator", "para 9")
    run.ok("claim", "add", "later", "--subject", "ex:ISIS-K", "--predicate", "ex:recruits",
           "--object", "ex:Defectors", "--text", "ISIS-K recruits Taliban defectors")
    return run


def tamper(ledger_dir, *, add=(), remove=()):
    """Write triples straight into the store, bypassing the write path."""
    changes = ChangeSet()
    for s, p, o in add:
        changes.add(s, p, o)
    for s, p, o in remove:
        changes.remove(Triple(s, p, o))
    with EmbeddedStore(ledger_dir, write=True) as store:
        store.apply(changes)


def high_confidence_on_single_source(ledger_dir):
    rivals = NamedNode(CLAIM + "rivals")
    tamper(ledger_dir, add=[(rivals, V.CONFIDENCE, V.Confidence.iri("high"))],
           remove=[(rivals, V.CONFIDENCE, V.Confidence.iri("low"))])


def as_json(result):
    return json.loads(result.stdout)


# -- exit codes ---------------------------------------------------------------------------------

def test_clean_ledger_exits_0_and_lists_warnings(desk):
    result = desk("validate")
    assert result.exit_code == 0, result.output
    results = as_json(desk("validate", "--format", "json"))
    assert {(r["focus"], r["rule"], r["severity"]) for r in results} == {
        (CLAIM + "rivals", "single-origin", "Warning"),
        (CLAIM + "later", "unsourced-claim", "Warning"),
    }


def test_violations_exit_1(desk, ledger_dir):
    high_confidence_on_single_source(ledger_dir)
    result = desk("validate")
    assert result.exit_code == 1
    assert "high-confidence-sourcing" in result.stdout


def test_a_write_that_breaks_a_rule_is_refused_and_changes_nothing(desk, ledger_dir):
    before = snapshot(ledger_dir)
    result = desk("claim", "confidence", "rivals", "high")
    assert result.exit_code == 1
    assert "high-confidence-sourcing" in result.stderr and "rivals" in result.stderr
    assert snapshot(ledger_dir) == before


def test_no_ledger_exits_2(tmp_path, run):
    result = run("validate", "--ledger", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no ledger" in result.stderr


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("@prefix ex: <http://ex/> . ex:a ex:b", "do not parse as Turtle"),
    ("@prefix ex: <http://ex/> . ex:a ex:b ex:c .", "not SHACL"),
    (b"\xff\xfe not text", "cannot read"),
])
def test_bad_shapes_file_exits_2(desk, tmp_path, content, message):
    path = tmp_path / "extra.ttl"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = desk("validate", "--shapes", str(path))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


# -- output formats -------------------------------------------------------------------------

def test_text_groups_results_by_claim(desk, ledger_dir):
    high_confidence_on_single_source(ledger_dir)
    lines = desk("validate", "--format", "text").stdout.splitlines()
    start = lines.index("rivals")
    group = []
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        group.append(line.split())
    assert [(g[0], g[1]) for g in group] == [("Violation", "high-confidence-sourcing:"),
                                             ("Warning", "single-origin:")]
    text = "\n".join(lines)
    assert "rests on a single origin: Wire story A" in text
    assert "Confidence high needs status corroborated" in text
    assert lines.count("rivals") == 1 and "later" in lines
    assert lines[-1] == "1 violation(s), 2 warning(s), 0 info"


def test_text_says_so_when_nothing_is_found(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("no results")


def test_json_is_a_list_of_results(desk, ledger_dir):
    high_confidence_on_single_source(ledger_dir)
    result = desk("validate", "--format", "json")
    assert result.exit_code == 1
    results = as_json(result)
    assert isinstance(results, list) and len(results) == 3
    violation = next(r for r in results if r["severity"] == "Violation")
    assert violation["rule"] == "high-confidence-sourcing"
    assert violation["focus"] == CLAIM + "rivals"
    assert violation["shape"] == "https://w3id.org/claimledger/shapes#high-confidence-sourcing"
    assert violation["component"] == "OrConstraintComponent"
    assert set(violation) >= {"focus", "severity", "rule", "shape", "message", "component",
                              "path", "value"}


@pytest.mark.parametrize("broken", [False, True])
def test_turtle_is_a_shacl_validation_report(desk, ledger_dir, broken):
    if broken:
        high_confidence_on_single_source(ledger_dir)
    result = desk("validate", "--format", "turtle")
    assert result.exit_code == (1 if broken else 0)
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    # SHACL: a report conforms only without any result; the Warnings are results (issue 12).
    # The exit code stays keyed on Violations.
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == (3 if broken else 2)
    for node in results:
        assert (node, RDF.type, SH.ValidationResult) in graph
        for p in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent,
                  SH.resultMessage):
            assert graph.value(node, p) is not None, p
    severities = {graph.value(n, SH.resultSeverity) for n in results}
    assert severities == ({SH.Violation, SH.Warning} if broken else {SH.Warning})


def test_turtle_report_of_no_results_conforms(desk):
    result = desk("validate", "--format", "turtle", "--min-severity", "violation")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is True
    assert list(graph.objects(report, SH.result)) == []


NESTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cl: <https://w3id.org/claimledger#> .
@prefix schema: <http://schema.org/> .
@prefix news: <https://example.org/newsroom#> .
news:evidence-sources a sh:NodeShape ; sh:targetClass cl:Evidence ;
    sh:property [ sh:path cl:source ; sh:node news:findable ;
                  sh:property [ sh:path schema:url ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ] .
news:findable a sh:NodeShape ;
    sh:or ( [ sh:path schema:url ; sh:minCount 1 ] [ sh:path cl:kind ; sh:hasValue cl:kind-person ] ) .
"""


def test_turtle_report_equals_pyshacls_term_for_term(desk, ledger_dir, tmp_path):
    """A nested-shape violation (sh:node with sh:or, a property shape in a property shape):
    the W3C report of `validate --format turtle` and plain pyshacl's report of the same data
    and shapes have the same results, term for term (focus node, path, value, component,
    severity, source shape); pyshacl runs without allow_warnings (with it, pyshacl counts
    failing nested Warnings as conforming), messages are left out (they are free text)."""
    import pyshacl
    from report_compare import compare

    from claimledger import resources
    from claimledger.validation.support import parse_turtle

    extra = tmp_path / "nested.ttl"
    extra.write_text(NESTED, encoding="utf-8")
    tamper(ledger_dir, remove=[(NamedNode(SOURCE + "outlet-c"), V.URL,
                                NamedNode("https://example.org/outlet-c"))])
    result = desk("validate", "--shapes", str(extra), "--format", "turtle")
    assert result.exit_code == 1  # the newsroom shape reports Violations
    ours = rdflib.Graph().parse(data=result.stdout, format="turtle")

    state = desk.ok("export", "--format", "turtle").stdout
    data = parse_turtle(state)
    shapes = parse_turtle(resources.shapes("sourcing")) + parse_turtle(NESTED)
    _c, theirs, _t = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert compare(ours, theirs, messages=False) is None, compare(ours, theirs, messages=False)
    components = {str(o).rsplit("#", 1)[1] for o in ours.objects(None, SH.sourceConstraintComponent)}
    assert {"NodeConstraintComponent", "MinCountConstraintComponent"} <= components


# -- severities and extra shapes ----------------------------------------------------------

def test_min_severity(desk, ledger_dir, tmp_path):
    high_confidence_on_single_source(ledger_dir)
    info = tmp_path / "info.ttl"
    info.write_text(EXTRA_INFO, encoding="utf-8")
    severities = {}
    for level in ("info", "warning", "violation"):
        result = desk("validate", "--shapes", str(info), "--format", "json",
                      "--min-severity", level)
        assert result.exit_code == 1  # the Violation is there whatever is shown
        severities[level] = sorted({r["severity"] for r in as_json(result)})
    assert severities == {"info": ["Info", "Violation", "Warning"],
                          "warning": ["Violation", "Warning"], "violation": ["Violation"]}


def test_min_severity_does_not_change_the_exit_code_of_a_clean_ledger(desk):
    result = desk("validate", "--min-severity", "violation")
    assert result.exit_code == 0
    assert result.stdout.startswith("no results")


def test_extra_shapes_are_checked_too(desk, tmp_path, ledger_dir):
    extra = tmp_path / "desk.ttl"
    extra.write_text(EXTRA_URL, encoding="utf-8")
    assert desk("validate", "--shapes", str(extra)).exit_code == 0  # both sources have a URL
    tamper(ledger_dir, remove=[(NamedNode(SOURCE + "outlet-c"), V.URL,
                                NamedNode("https://example.org/outlet-c"))])
    assert desk("validate").exit_code == 0  # the built-in rules do not ask for a URL
    result = desk("validate", "--shapes", str(extra), "--format", "json")
    assert result.exit_code == 1
    [violation] = [r for r in as_json(result) if r["severity"] == "Violation"]
    assert violation["rule"] == "source-url"
    assert violation["focus"] == SOURCE + "outlet-c"
    assert violation["message"] == "Our desk records where every source can be found."


def test_several_extra_shapes_files(desk, tmp_path, ledger_dir):
    url, info = tmp_path / "url.ttl", tmp_path / "info.ttl"
    url.write_text(EXTRA_URL, encoding="utf-8")
    info.write_text(EXTRA_INFO, encoding="utf-8")
    tamper(ledger_dir, remove=[(NamedNode(SOURCE + "wire-a"), V.URL,
                                NamedNode("https://example.org/wire-a"))])
    result = desk("validate", "--shapes", str(url), "--shapes", str(info), "--format", "json")
    assert result.exit_code == 1
    rules = {(r["rule"], r["focus"]) for r in as_json(result)}
    assert ("source-url", SOURCE + "wire-a") in rules
    assert ("no-date", SOURCE + "outlet-c") in rules


def test_structural_violations_written_around_the_rules(desk, ledger_dir):
    """Broken structure, a derivation cycle and a date in the future, all found at once."""
    freed, wire, outlet = (NamedNode(CLAIM + "freed"), NamedNode(SOURCE + "wire-a"),
                           NamedNode(SOURCE + "outlet-c"))
    tamper(ledger_dir, add=[
        (wire, V.WAS_DERIVED_FROM, outlet), (outlet, V.WAS_DERIVED_FROM, wire),
        (outlet, V.DATE_PUBLISHED, Literal("2999-01-01", datatype=V.XSD_DATE)),
    ], remove=[(freed, V.TEXT, next(iter(_objects(ledger_dir, freed, V.TEXT))))])
    results = as_json(desk("validate", "--format", "json", "--min-severity", "violation"))
    found = {(r["focus"], r["rule"]) for r in results}
    assert found == {
        (CLAIM + "freed", "claim-structure"),
        (SOURCE + "wire-a", "derivation-acyclic"), (SOURCE + "outlet-c", "derivation-acyclic"),
        (SOURCE + "outlet-c", "dates"),
        # the stored status says corroborated; the two reports now share their origins
        (CLAIM + "freed", "corroborated-needs-two-origins"),
    }


def _objects(ledger_dir, s, p):
    with EmbeddedStore(ledger_dir, write=False) as store:
        return [t.object for t in store.triples(s, p, None)]


def test_no_progress_bar_for_a_fast_run(desk):
    result = desk("validate")
    assert "validating" not in result.stderr
    assert result.stderr == ""


def test_progress_bar_once_a_second_has_passed(capsys, monkeypatch):
    """On a terminal, the bar is drawn to stderr only once the work has taken a second (the
    start is moved back rather than waited for)."""
    import sys

    from claimledger.cli.output import Progress as _Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = _Progress("validating")
    bar(1, 4)
    assert capsys.readouterr().err == ""
    bar.start -= 1.5
    bar(2, 4)
    bar(4, 4)
    bar.finish()
    err = capsys.readouterr().err
    assert err.startswith("\rvalidating [###############...............] 2/4")
    assert err.endswith("] 4/4\n")
