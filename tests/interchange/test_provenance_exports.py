"""PROV-O and nanopublication exports, read by the reference packages (``prov``, ``nanopub``)."""

from __future__ import annotations

import io
import warnings

import prov  # a test dependency (pyproject's [test] extra), as nanopub is
import pytest
import rdflib
from prov.model import ProvWarning

from desk import build_desk

NP = rdflib.Namespace("http://www.nanopub.org/nschema#")


def read_prov(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProvWarning)  # anything prov finds odd fails the test
        return prov.read(io.BytesIO(data), format="rdf", rdf_format="turtle")


def test_prov_package_reads_the_export_and_writes_meaningful_provn(run):
    build_desk(run)
    run.ok("claim", "revise", "freed", "freed-v2", "--text", "The Taliban freed some members",
           "--reason", "hedged wording")
    run.ok("claim", "verdict", "freed-v2", "mostly true", "--reason", "prison records agree")
    doc = read_prov(run.ok("export", "--format", "prov").stdout_bytes)
    provn = doc.get_provn()
    by_kind: dict[str, set[str]] = {}
    for record in doc.get_records():
        by_kind.setdefault(record.get_type().localpart, set()).add(str(record.identifier))
    assert {"claim:freed", "claim:freed-v2", "claim:count", "claim:multi"} <= by_kind["Entity"]
    assert {"source:wire-a", "source:outlet-b", "source:official"} <= by_kind["Entity"]
    assert {"agent:tester", "agent:editor-1"} <= by_kind["Agent"]
    assert any(r.startswith("event:") for r in by_kind["Activity"])
    # derivations between sources, and the evidence as qualified derivations / influences
    assert "wasDerivedFrom(source:outlet-b, source:wire-a, -, -, -)" in provn
    assert "wasDerivedFrom(evidence:freed-1; claim:freed, source:outlet-b" in provn
    assert "wasDerivedFrom(evidence:freed-2#primary-source; claim:freed, source:official" in provn
    assert "wasInfluencedBy(evidence:freed-3; claim:freed, source:reprint" in provn
    # recording activities, who recorded, what was invalidated and why
    assert "wasGeneratedBy(claim:freed, event:" in provn
    assert "wasAttributedTo(claim:freed, agent:tester)" in provn
    assert ("wasDerivedFrom(claim:freed-v2#revision; claim:freed-v2, claim:freed, -, -, -, "
            "[prov:type='prov:Revision'])") in provn
    assert "wasInvalidatedBy(discrediting:official; source:official, event:" in provn
    assert 'cl:reason="fabricated quotes"' in provn
    assert "wasInvalidatedBy(verdict:multi-1; claim:multi, event:" in provn
    assert "cl:verdictValue='cl:status-refuted'" in provn
    assert "used(event:" in provn and ", source:outlet-b, -)" in provn
    # a verdict that confirms the claim does not invalidate it: it is written on the claim
    assert "wasInvalidatedBy(verdict:freed-v2" not in provn
    freed_v2 = next(line for line in provn.splitlines() if line.strip().startswith(
        "entity(claim:freed-v2,"))
    assert "cl:verdictValue='cl:status-confirmed'" in freed_v2
    assert "cl:rating='cl:verdict-mostly-true'" in freed_v2


def test_prov_of_an_empty_ledger_is_an_empty_document(run):
    doc = read_prov(run.ok("export", "--format", "prov").stdout_bytes)
    kinds = {r.get_type().localpart for r in doc.get_records()}
    assert kinds <= {"Agent", "Activity"}  # the agents who set the ledger up, nothing else


def _nanopubs(data: bytes) -> dict[str, rdflib.ConjunctiveGraph]:
    """Each nanopublication of a TriG file on its own, as the ``nanopub`` package takes it."""
    ds = rdflib.Dataset()
    ds.parse(data=data.decode(), format="trig")
    out = {}
    for np_uri, _, _, head in ds.quads((None, rdflib.RDF.type, NP.Nanopublication, None)):
        head_graph = ds.graph(head.identifier if hasattr(head, "identifier") else head)
        parts = [head_graph.identifier] + [
            head_graph.value(np_uri, p) for p in (NP.hasAssertion, NP.hasProvenance,
                                                  NP.hasPublicationInfo)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # nanopub wants this class
            cg = rdflib.ConjunctiveGraph()
        for part in parts:
            target = rdflib.Graph(store=cg.store, identifier=part)
            for t in ds.graph(part):
                target.add(t)
        out[str(np_uri)] = cg
    return out


def test_nanopub_package_reads_each_nanopublication_as_valid(run):
    from nanopub import Nanopub
    from nanopub.utils import MalformedNanopubError

    build_desk(run)
    data = run.ok("export", "--format", "nanopub").stdout_bytes
    found = _nanopubs(data)
    base = "https://example.org/test/np/"
    assert set(found) == {base + s for s in ("freed", "count", "multi")}
    for uri, graph in found.items():
        assert Nanopub(rdf=graph).is_valid, uri
        assert len({c.identifier for c in graph.contexts() if len(c)}) == 4
    freed = found[base + "freed"]
    assertion = rdflib.URIRef(base + "freed/assertion")
    ex = rdflib.Namespace("https://example.org/e/")
    assert set(freed.get_context(assertion)) == {(ex.Taliban, ex.freed, ex.Prisoners)}
    provenance = freed.get_context(rdflib.URIRef(base + "freed/provenance"))
    prov_ns = rdflib.Namespace("http://www.w3.org/ns/prov#")
    src = rdflib.Namespace("https://example.org/test/source/")
    # outlet-b's evidence counts; outlet-c's is attributed to a discredited source and does not
    assert set(provenance.objects(assertion, prov_ns.wasDerivedFrom)) == {src["outlet-b"]}
    cl = rdflib.Namespace("https://w3id.org/claimledger#")
    assert (src["wire-a"], cl.reliability, cl["reliability-B"]) in provenance
    pubinfo = freed.get_context(rdflib.URIRef(base + "freed/pubinfo"))
    assert (rdflib.URIRef(base + "freed"), prov_ns.wasAttributedTo,
            rdflib.URIRef("https://example.org/test/agent/tester")) in pubinfo
    # a copy without the provenance of its assertion is not a nanopublication
    broken = found[base + "count"]
    for t in list(broken.get_context(rdflib.URIRef(base + "count/provenance"))):
        broken.remove((*t, broken.get_context(rdflib.URIRef(base + "count/provenance"))))
    with pytest.raises(MalformedNanopubError):
        Nanopub(rdf=broken).is_valid


def test_a_revision_supersedes_the_nanopublication_of_the_claim_it_corrects(run):
    build_desk(run)
    run.ok("claim", "revise", "freed", "freed-v2", "--text", "Some members were freed",
           "--reason", "hedged")
    found = _nanopubs(run.ok("export", "--format", "nanopub").stdout_bytes)
    base = "https://example.org/test/np/"
    pubinfo = found[base + "freed-v2"].get_context(rdflib.URIRef(base + "freed-v2/pubinfo"))
    npx = rdflib.Namespace("http://purl.org/nanopub/x/")
    assert (rdflib.URIRef(base + "freed-v2"), npx.supersedes, rdflib.URIRef(base + "freed")) \
        in pubinfo
