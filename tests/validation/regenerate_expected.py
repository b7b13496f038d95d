"""Plain pyshacl's results for the differential test's generated ledger, computed once.

``tests/validation/test_differential.py`` compares claimledger's compiled engine with ONE
plain ``pyshacl.validate`` of ``shapes/sourcing.ttl`` over a generated 2,000-claim ledger with
a rule violation of every kind planted in it. Plain pyshacl needs about 20 minutes of CPU for
that ledger, so its results are computed here once and stored in
``tests/validation/expected/differential-<N>.json`` with what they depend on: the generator's
version and seed, and SHA-256 hashes of ``shapes/sourcing.ttl``, of the generator (the source
of ``benchmarks/generate.py`` and of :func:`plant_violations` / :func:`build_ledger` below)
and of the data pyshacl validated. The test fails, naming this script, when any of them
changes.

Regenerate (about 20 min of CPU for 2,000 claims)::

    .venv/bin/python tests/validation/regenerate_expected.py            # 2,000 claims
    .venv/bin/python tests/validation/regenerate_expected.py --claims 120

Nothing of claimledger's validation engine takes part in the expected results: they are
pyshacl's report graph, read term by term (:func:`pyshacl_results`).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import rdflib
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import RDF, SH, BNode, URIRef
from rdflib.collection import Collection

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from benchmarks import generate as generator  # noqa: E402
from claimledger import resources  # noqa: E402
from claimledger.interchange import export, import_file  # noqa: E402
from claimledger.ledger import Ledger  # noqa: E402
from claimledger.store import ChangeSet, EmbeddedStore  # noqa: E402

EXPECTED = Path(__file__).parent / "expected"
SEED = 3
CLAIMS = 2000
BASE = "https://example.org/bench/"
CL = "https://w3id.org/claimledger#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = f"PREFIX cl: <{CL}> PREFIX prov: <{PROV}> PREFIX oa: <{OA}> PREFIX schema: <{SCHEMA}> "
SCRIPT = "tests/validation/regenerate_expected.py"


def expected_path(claims: int) -> Path:
    return EXPECTED / f"differential-{claims}.json"


def _n(local: str, ns: str = CL) -> NamedNode:
    return NamedNode(ns + local)


def _one(store, sparql: str) -> NamedNode:
    rows = list(store.query(sparql))
    if not rows:
        raise LookupError(f"no node for: {sparql}")
    return rows[0][0]


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


def build_ledger(directory: Path, claims: int, seed: int = SEED) -> tuple[Path, dict[str, str]]:
    """Generate ``claims`` claims, import them into a new ledger in ``directory`` and plant
    the violations; returns the ledger's path and the planted nodes (IRIs)."""
    nt = directory / "ledger.nt"
    generator.generate(claims, nt, seed=seed)
    path = directory / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        result = import_file(led, nt, max_bytes=nt.stat().st_size + 1)
        if not result.report.conforms:
            raise RuntimeError("the generated ledger does not import cleanly")
    with EmbeddedStore(path, write=True) as store:
        planted = plant_violations(store)
    return path, {what: node.value for what, node in planted.items()}


def state_graph(path: Path) -> rdflib.Graph:
    """The ledger's current state as plain pyshacl sees it: exported as Turtle, parsed by rdflib."""
    with Ledger.open(path) as led:
        buf = io.BytesIO()
        export(led, buf, fmt="turtle")
    return rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="turtle")


def graph_hash(graph: rdflib.Graph) -> str:
    """SHA-256 of the graph's sorted N-Triples (the data holds no blank nodes)."""
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dependencies() -> dict[str, object]:
    """What the expected results depend on, apart from the data itself."""
    generator_text = (Path(generator.__file__).read_text(encoding="utf-8")
                      + inspect.getsource(plant_violations) + inspect.getsource(build_ledger))
    return {
        "generator_version": generator.GENERATOR_VERSION,
        "seed": SEED,
        "shapes_sha256": _sha(resources.shapes("sourcing")),
        "generator_sha256": _sha(generator_text),
    }


def named_shape(shapes: rdflib.Graph, node) -> str:
    """The named shape a result's source shape belongs to: the shape itself when named; for a
    blank property shape, or a shape nested in a list of sh:or / sh:and / sh:not…, the named
    shape it hangs from."""
    seen = set()
    while not isinstance(node, URIRef):
        if node in seen or node is None:
            return str(node)
        seen.add(node)
        parents = sorted(shapes.subjects(None, node), key=str)
        if not parents:
            return str(node)
        node = parents[0]
    return str(node)


def path_text(graph: rdflib.Graph, node) -> str:
    """A SHACL path structure in SPARQL property path syntax (``^<p>``, ``(<a>/<b>)*``…)."""
    if isinstance(node, URIRef):
        return node.n3()
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{path_text(graph, inverse)}"
    for p, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, p)
        if inner is not None:
            return f"({path_text(graph, inner)}){op}"
    alt = graph.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_text(graph, m) for m in Collection(graph, alt)) + ")"
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(path_text(graph, m) for m in Collection(graph, node)) + ")"
    raise ValueError(f"not a SHACL path: {node!r}")


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[dict[str, str | None]]:
    """One plain ``pyshacl.validate`` run; the report's own results (not the ``sh:detail``
    of nested shapes), terms in N-Triples syntax, sorted."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True)
    out = []
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(rep, SH.result):
            focus = report.value(result, SH.focusNode)
            shape = report.value(result, SH.sourceShape)
            path = report.value(result, SH.resultPath)
            value = report.value(result, SH.value)
            message = report.value(result, SH.resultMessage)
            out.append({
                "focus": focus.n3() if not isinstance(focus, BNode) else f"_:{focus}",
                "shape": named_shape(shapes, shape),
                "severity": str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                "component": str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                "path": path_text(report, path) if path is not None else None,
                "value": value.n3() if value is not None else None,
                "message": str(message) if message is not None else None,
            })
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=CLAIMS)
    args = parser.parse_args(argv)
    import pyshacl

    started, cpu = time.time(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        path, planted = build_ledger(Path(tmp), args.claims)
        data = state_graph(path)
    shapes = rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")
    results = pyshacl_results(data, shapes)
    document = {
        "about": f"plain pyshacl's results for tests/validation/test_differential.py; "
                 f"regenerate with {SCRIPT} --claims {args.claims}",
        "claims": args.claims,
        **dependencies(),
        "data_sha256": graph_hash(data),
        "data_triples": len(data),
        "pyshacl": pyshacl.__version__,
        "rdflib": rdflib.__version__,
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "wall_seconds": round(time.time() - started, 1),
        "planted": planted,
        "results": results,
    }
    EXPECTED.mkdir(exist_ok=True)
    target = expected_path(args.claims)
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{target}: {len(results)} results, {document['cpu_seconds']} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
