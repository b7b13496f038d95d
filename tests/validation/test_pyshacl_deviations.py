"""Each listed deviation of pyshacl from the SHACL Recommendation (:mod:`pyshacl_deviations`),
on a minimal example: claimledger's report is the one the Recommendation defines, pyshacl's is
not. If pyshacl changes, a test here fails and the list is to be brought up to date."""

from __future__ import annotations

import pyshacl
import pyshacl_deviations as dev
import pytest
from engines import PREFIXES, data, shapes

from report_compare import compare, expected_report

EXPECT = "@prefix ex: <http://example.org/ns#> . "

CASES = {
    dev.RANGE: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ex:p ; sh:minInclusive "2020-06-01"^^xsd:date ] .
    """, "ex:a ex:p -1 .", """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:resultPath ex:p ; sh:value -1 ;
                      sh:resultSeverity sh:Violation ; sh:sourceShape [] ;
                      sh:sourceConstraintComponent sh:MinInclusiveConstraintComponent ] ] .
    """),
    dev.PAIRS: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ex:start ; sh:lessThan ex:end ] .
    """, "ex:a ex:start true ; ex:end 5 .", """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:resultPath ex:start ; sh:value true ;
                      sh:resultSeverity sh:Violation ; sh:sourceShape [] ;
                      sh:sourceConstraintComponent sh:LessThanConstraintComponent ] ] .
    """),
    dev.INVERSE_SEQUENCE: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path [ sh:inversePath ( ex:p ex:q ) ] ; sh:minCount 1 ] .
    """, "ex:x ex:p ex:y . ex:y ex:q ex:a .", """
        [ a sh:ValidationReport ; sh:conforms true ] .
    """),
    dev.MIN_LENGTH_ZERO: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ex:p ; sh:minLength 0 ] .
    """, "ex:a ex:p [] .", """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:resultPath ex:p ; sh:value [] ;
                      sh:resultSeverity sh:Violation ; sh:sourceShape [] ;
                      sh:sourceConstraintComponent sh:MinLengthConstraintComponent ] ] .
    """),
    dev.DATATYPE_LEXICAL: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ex:p ; sh:datatype xsd:gYear ] .
    """, 'ex:a ex:p "abc"^^xsd:gYear .', """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:resultPath ex:p ;
                      sh:value "abc"^^xsd:gYear ; sh:resultSeverity sh:Violation ; sh:sourceShape [] ;
                      sh:sourceConstraintComponent sh:DatatypeConstraintComponent ] ] .
    """),
    dev.NESTED_SEVERITY: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:or ( ex:T ) .
        ex:T a sh:NodeShape ; sh:severity sh:Warning ; sh:class ex:C .
    """, "ex:a ex:p 1 .", """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:value ex:a ;
                      sh:resultSeverity sh:Violation ; sh:sourceShape ex:S ;
                      sh:sourceConstraintComponent sh:OrConstraintComponent ] ] .
    """),
    dev.CONFORMS: ("""
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:severity sh:Warning ; sh:class ex:C .
    """, "ex:a ex:p 1 .", """
        [ a sh:ValidationReport ; sh:conforms false ;
          sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ; sh:value ex:a ;
                      sh:resultSeverity sh:Warning ; sh:sourceShape ex:S ;
                      sh:sourceConstraintComponent sh:ClassConstraintComponent ] ] .
    """),
}
#: Deviations that show only with pyshacl's allow_warnings (claimledger's fallback does not set it).
WITH_WARNINGS = {dev.NESTED_SEVERITY, dev.CONFORMS}


def test_every_listed_deviation_has_an_example():
    assert set(CASES) == set(dev.ALL)


@pytest.mark.parametrize("deviation", dev.ALL, ids=lambda d: d.name)
def test_pyshacl_deviates_and_claimledger_follows_the_recommendation(deviation):
    shapes_text, data_text, expected = CASES[deviation]
    graph = data(data_text)
    want = expected_report(EXPECT + expected)
    ours = shapes(shapes_text).validate(graph).to_graph()
    assert compare(ours, want) is None, compare(ours, want)

    import rdflib

    shapes_graph = rdflib.Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    _c, theirs, _t = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none",
                                      allow_warnings=deviation in WITH_WARNINGS)
    assert compare(theirs, want) is not None, f"pyshacl now follows the Recommendation: {deviation.name}"
    if deviation in WITH_WARNINGS:  # without allow_warnings, as claimledger runs it, it does not deviate
        _c, plain, _t = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none")
        assert compare(plain, want) is None, compare(plain, want)


def test_a_pair_that_triggers_a_deviation_is_recognised():
    shapes_text, data_text, _expected = CASES[dev.PAIRS]
    import rdflib

    shapes_graph = rdflib.Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    assert dev.triggers(shapes_graph, data(data_text)) == [dev.PAIRS]
    assert dev.triggers(dev.ablate(shapes_graph, [dev.PAIRS]), data(data_text)) == []
