"""The W3C data-shapes test suite (SHACL Core and SHACL-SPARQL), driven by its manifests.

The tests are data: ``tests/validation/w3c/`` holds the suite's ``core`` and ``sparql``
folders as published (see the README there for origin, commit and licence). Every
``sht:Validate`` entry reachable from ``w3c/manifest.ttl`` is one case: the data graph is
validated against the shapes graph with :meth:`ShapeSet.validate` (a file that is both is one
graph, sharing its blank nodes), and the report must match the expected one as the suite
compares reports ("full compliance", :mod:`report_compare`); an expected ``sht:Failure`` must
be refused with an InputError. The same data loaded into a store must give the same report
through :func:`validate_store`.

A test the engine does not pass is listed in :data:`KNOWN` with its reason; such a test still
runs, must still fail (else it is to be taken off the list), and must never conform where the
suite expects results (no false "conforms").
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from engines import store_of
from rdflib import RDF, SH
from rdflib.namespace import Namespace

from claimledger.errors import InputError
from claimledger.validation import ShapeSet, validate_store
from claimledger.validation.support import parse_turtle
from report_compare import compare

ROOT = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

#: Tests this engine does not pass, and why (``name [store]``: only through a store).
KNOWN: dict[str, str] = {
    "core/path/path-strange-001": (
        "refused as ill-formed (InputError): the path node is an RDF list and has "
        "sh:inversePath; SHACL's path syntax allows one form per node, and claimledger refuses "
        "such a shapes graph (SHACL 3.4.2: a processor should report a failure) where the test "
        "reads the list"),
    "core/path/path-strange-002": (
        "refused as ill-formed (InputError), as path-strange-001: a path node that is an RDF "
        "list and has sh:inversePath"),
    "sparql/pre-binding/shapesGraph-001": (
        "$shapesGraph and $currentShape are optional in SHACL-SPARQL; claimledger does not "
        "support them and reports a failure (InputError), as SHACL requires of such a processor"),
    "core/property/datatype-ill-formed [store]": (
        'loaded into the store, "300"^^xsd:byte becomes "300"^^xsd:integer (Oxigraph keeps '
        "numbers as values): the Violation is found, naming the stored term; the ledger "
        "refuses such literals at input, and ShapeSet.validate on the graph passes the test"),
}


def _manifests(path: Path, seen: set) -> list[Path]:
    if path in seen:
        return []
    seen.add(path)
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    out = [path]
    for include in graph.objects(None, MF.include):
        out += _manifests(Path(str(include).removeprefix("file://")), seen)
    return out


def cases() -> list:
    params = []
    for manifest in _manifests(ROOT / "manifest.ttl", set()):
        graph = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        for entries in graph.objects(None, MF.entries):
            for entry in rdflib.collection.Collection(graph, entries):
                if (entry, RDF.type, SHT.Validate) not in graph:
                    continue
                name = str(manifest.relative_to(ROOT).parent / str(entry).rsplit("/", 1)[-1])
                params.append(pytest.param(manifest, entry, id=name))
    return params


CASES = cases()


def _graph(iri, cache: dict) -> rdflib.Graph:
    """A test file as written (rdflib's own parser would rewrite "1"^^xsd:boolean as "true",
    changing what uniqueLang-002 tests), blank node labels as in the file."""
    path = Path(str(iri).removeprefix("file://"))
    if path not in cache:
        cache[path] = parse_turtle(path=path, base=path.as_uri(), rename_blank_nodes=False)
    return cache[path]


def run_case(manifest: Path, entry) -> tuple[rdflib.Graph, rdflib.Graph, object, object]:
    """``(data, manifest graph, expected result node, shape set or the InputError raised)``."""
    cache: dict = {}
    graph = _graph(manifest.as_uri(), cache)
    action = graph.value(entry, MF.action)
    data = _graph(graph.value(action, SHT.dataGraph), cache)
    shapes = _graph(graph.value(action, SHT.shapesGraph), cache)
    expected = graph.value(entry, MF.result)
    try:
        shape_set = ShapeSet([(manifest.name, shapes)])
    except InputError as exc:
        return data, graph, expected, exc
    return data, graph, expected, shape_set


def outcome(manifest: Path, entry, way: str) -> tuple[str | None, bool | None, bool]:
    """``(difference or None, our sh:conforms, expected sh:conforms)`` of one case."""
    data, graph, expected, shape_set = run_case(manifest, entry)
    if expected == SHT.Failure:
        if isinstance(shape_set, InputError):
            return None, None, False
        try:
            report = (shape_set.validate(data) if way == "graph"
                      else validate_store(store_of(data), shape_set))
        except InputError:
            return None, None, False
        return "a failure was expected; the engine validated", report.shacl_conforms, False
    want_conforms = graph.value(expected, SH.conforms).toPython()
    if isinstance(shape_set, InputError):
        return f"refused: {shape_set.message}", None, want_conforms
    report = (shape_set.validate(data) if way == "graph"
              else validate_store(store_of(data), shape_set))
    return compare(report.to_graph(), graph, expected_report=expected), report.shacl_conforms, want_conforms


@pytest.mark.parametrize("manifest, entry", CASES)
@pytest.mark.parametrize("way", ["graph", "store"])
def test_w3c(manifest, entry, way):
    name = _case_id(manifest, entry)
    known = KNOWN.get(name) or KNOWN.get(f"{name} [{way}]")
    difference, conforms, want = outcome(manifest, entry, way)
    # Never a false "conforms": where the suite expects results, there are results (or a refusal).
    assert not (conforms is True and want is False), f"{name}: conforms, but the suite expects results"
    if known:
        assert difference is not None, f"{name} passes now: take it off KNOWN"
        pytest.xfail(known)
    assert difference is None, f"{name}: {difference}"


def _case_id(manifest: Path, entry) -> str:
    return str(manifest.relative_to(ROOT).parent / str(entry).rsplit("/", 1)[-1])


def test_every_manifest_entry_is_a_case():
    """The suite's core and sparql sections: every sht:Validate entry of every manifest."""
    assert len(CASES) >= 120
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert {i.split("/")[0] for i in ids} == {"core", "sparql"}


def test_known_failures_are_cases():
    ids = {c.id for c in CASES}
    for name in KNOWN:
        assert name.split(" [")[0] in ids, name
