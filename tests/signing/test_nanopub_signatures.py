"""Signed nanopublications (``export --format nanopub --sign``): the ``nanopub`` package reads
each as a valid nanopublication with a valid trusty URI, and its own normalisation checked with
an RSA verify that raises agrees with the signature; our verifier accepts them and refuses a
corrupted copy — also one whose trusty URI was recomputed after the change."""

from __future__ import annotations

import json
import warnings
from base64 import b64decode

import pyoxigraph as ox
import pytest
import rdflib
from forgery import keydir  # noqa: F401  (a fixture)
from pyoxigraph import Literal, NamedNode, Quad

from claimledger.signing import nanopub as signing_np
from claimledger.signing import read_public_keys
from conftest import BASE

NPX = "http://purl.org/nanopub/x/"
TEXT = "Group A freed prisoners held by group B"


@pytest.fixture
def signed_export(run, keydir, tmp_path):
    """Two claims (one revising the other) exported as signed nanopublications, and the RSA
    public key file that signed them."""
    run.ok("key", "create")
    rsa = json.loads(run.ok("key", "create", "--algorithm", "rsa", "--format", "json").stdout)
    run.ok("source", "add", "wsj", "--title", "WSJ report\nsecond line \\ backslash",
           "--reliability", "B")
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    run.ok("evidence", "add", "freed", "wsj", "--supports", "--quote", "freed prisoners")
    run.ok("claim", "revise", "freed", "freed-v2", "--object", "ex:C", "--text",
           "Group A freed prisoners held by group C", "--reason", "wrong group")
    out = tmp_path / "claims.trig"
    run.ok("export", "--format", "nanopub", "--sign", "-o", str(out))
    return out, keydir / f"{rsa['key']}.pub", rsa["key"]


def _graphs(path) -> dict[str, rdflib.ConjunctiveGraph]:
    """Each nanopublication of the file on its own, as the ``nanopub`` package takes it."""
    import nanopub  # noqa: F401  (it switches rdflib's literal normalisation off, as it reads)

    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    np_ns = rdflib.Namespace(signing_np.NP)
    out = {}
    for np_uri, _, _, head in ds.quads((None, rdflib.RDF.type, np_ns.Nanopublication, None)):
        head_id = head.identifier if hasattr(head, "identifier") else head
        parts = [head_id] + [ds.graph(head_id).value(np_uri, p) for p in
                             (np_ns.hasAssertion, np_ns.hasProvenance, np_ns.hasPublicationInfo)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            cg = rdflib.ConjunctiveGraph()
        for part in parts:
            target = rdflib.Graph(store=cg.store, identifier=part)
            for t in ds.graph(part):
                target.add(t)
        out[str(np_uri)] = cg
    return out


def test_the_nanopub_package_reads_each_signed_nanopublication_as_valid(signed_export):
    from Crypto.Hash import SHA256
    from Crypto.PublicKey import RSA
    from Crypto.Signature import pkcs1_15
    from nanopub import Nanopub
    from nanopub.trustyuri.rdf import RdfHasher, RdfUtils
    from nanopub.utils import extract_np_metadata

    path, pub, _ = signed_export
    found = _graphs(path)
    assert len(found) == 2
    for uri, graph in found.items():
        assert uri.startswith(BASE + "np/freed")
        np = Nanopub(rdf=graph)
        assert np.is_valid and np.source_uri == uri
        assert np.has_valid_trusty  # the package's own hash check (it raises when wrong)
        # Its signature check ignores the verify result; check its normalisation strictly:
        meta = extract_np_metadata(graph)
        covered = [q for q in RdfUtils.get_quads(graph) if str(q[2]) != NPX + "hasSignature"]
        normed = RdfHasher.normalize_quads(covered, baseuri=str(meta.namespace), hashstr=" ")
        key = RSA.import_key(b64decode(str(meta.public_key)))
        pkcs1_15.new(key).verify(SHA256.new(normed.encode()), b64decode(str(meta.signature)))
        assert str(meta.public_key) == read_public_keys(pub)[0].base64
    revised = next(g for u, g in found.items() if "/freed-v2/" in u)
    older = next(u for u in found if "/freed/" in u)
    assert (None, rdflib.URIRef(NPX + "supersedes"), rdflib.URIRef(older)) in revised


def test_our_verifier_accepts_the_signed_export_with_the_signers_key(run, signed_export, tmp_path):
    path, pub, key = signed_export
    result = run("verify-bundle", str(path), "--key", str(pub), "--format", "json")
    assert result.exit_code == 0, result.output
    checked = json.loads(result.stdout)["checked"]
    assert [(c["kind"], c["key"], c["ok"]) for c in checked] == [("nanopublication", key, True)] * 2
    assert all(c["signer"] == BASE + "agent/tester" for c in checked)
    other = tmp_path / "other.pub"
    from claimledger.signing import generate
    other.write_text(generate("RSA").public.pem())
    assert run("verify-bundle", str(path), "--key", str(other)).exit_code == 1


def _corrupt(path, tmp_path, *, rehash: bool):
    quads = list(ox.parse(path.read_bytes(), ox.RdfFormat.TRIG))
    quote = Literal("freed prisoners")
    assert any(q.object == quote for q in quads)
    quads = [Quad(q.subject, q.predicate, Literal("executed prisoners"), q.graph_name)
             if q.object == quote else q for q in quads]
    if rehash:  # recompute every trusty URI, as anyone can: only the signature still tells
        found, rest = signing_np.split(quads)
        redone = []
        for np, mine in found:
            code = signing_np.TRUSTY_URI.match(np.value).group(2)
            fresh = signing_np.artifact_code(mine, code)
            redone += [Quad(*(NamedNode(t.value.replace(code, fresh)) if isinstance(t, NamedNode)
                              else t for t in (q.subject, q.predicate, q.object, q.graph_name)))
                       for q in mine]
        quads = redone + rest
    out = tmp_path / ("rehashed.trig" if rehash else "corrupted.trig")
    out.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return out


def test_a_corrupted_copy_is_refused(run, signed_export, tmp_path):
    path, pub, _ = signed_export
    corrupted = _corrupt(path, tmp_path, rehash=False)
    result = run("verify-bundle", str(corrupted), "--key", str(pub), "--format", "json")
    assert result.exit_code == 1
    bad = [c for c in json.loads(result.stdout)["checked"] if not c["ok"]]
    assert len(bad) == 1
    assert any("does not hash to its trusty URI" in p for p in bad[0]["problems"])
    assert any("signature does not verify" in p for p in bad[0]["problems"])


def test_a_corrupted_copy_with_recomputed_trusty_uris_is_refused_by_its_signature(
        run, signed_export, tmp_path):
    from nanopub import Nanopub

    path, pub, _ = signed_export
    rehashed = _corrupt(path, tmp_path, rehash=True)
    for graph in _graphs(rehashed).values():
        assert Nanopub(rdf=graph).has_valid_trusty  # a hash is no signature
    result = run("verify-bundle", str(rehashed), "--key", str(pub), "--format", "json")
    assert result.exit_code == 1
    bad = [c for c in json.loads(result.stdout)["checked"] if not c["ok"]]
    assert len(bad) == 1 and bad[0]["problems"] == [
        f"its signature does not verify with its key {bad[0]['key']}"]


def test_a_stray_quad_beside_the_nanopublications_is_refused(run, signed_export, tmp_path):
    path, pub, _ = signed_export
    quads = list(ox.parse(path.read_bytes(), ox.RdfFormat.TRIG))
    quads.append(Quad(NamedNode("https://example.org/x"), NamedNode("https://example.org/p"),
                      Literal("unsigned")))
    out = tmp_path / "stray.trig"
    out.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    result = run("verify-bundle", str(out), "--key", str(pub))
    assert result.exit_code == 1 and "belong to no nanopublication" in result.output


def test_signing_nanopublications_needs_an_rsa_key_of_ones_own(run, keydir):
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    result = run("export", "--format", "nanopub", "--sign")
    assert result.exit_code == 2 and "no RSA key" in result.output
    result = run("key", "create", "--algorithm", "rsa")
    assert result.exit_code == 2 and "no Ed25519 key yet" in result.output
    assert run("export", "--format", "trig", "--sign").exit_code == 2


def test_the_normal_form_matches_the_nanopub_packages_on_a_hand_made_nanopublication():
    from nanopub.trustyuri.rdf import RdfHasher

    code = "RA" + "x" * 43
    base = f"https://example.org/np/{code}"
    g, s = NamedNode(base + "#assertion"), NamedNode("https://example.org/s")
    p = NamedNode("https://example.org/p")
    quads = [Quad(s, p, Literal("b\nline \\ two"), g), Quad(s, p, Literal("a", language="EN"), g),
             Quad(s, p, Literal("a"), g), Quad(s, p, NamedNode(base), g),
             Quad(s, p, Literal("7", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), g)]
    ours = signing_np.normal_form(quads, code)
    assert ours.startswith("https://example.org/np/ #assertion\nhttps://example.org/s\n")
    assert "https://example.org/np/ \n" in ours and "^http://www.w3.org/2001/XMLSchema#string a\n" in ours
    assert "b\\nline \\\\ two" in ours
    theirs = RdfHasher.normalize_quads(
        [(rdflib.URIRef(q.graph_name.value), rdflib.URIRef(q.subject.value),
          rdflib.URIRef(q.predicate.value),
          rdflib.URIRef(q.object.value) if isinstance(q.object, NamedNode) else
          rdflib.Literal(q.object.value, lang=q.object.language or None,
                         datatype=None if q.object.language or q.object.datatype.value.endswith("#string")
                         else rdflib.URIRef(q.object.datatype.value)))
         for q in quads], baseuri=base + "#", hashstr=" ")
    assert ours == theirs
