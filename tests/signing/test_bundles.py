"""Signed bundles: a claim with its evidence and sources, canonicalised (RDFC-1.0) and signed
(Ed25519), checked with ``verify-bundle`` and a public key alone — and refused when changed or
re-signed with another key."""

from __future__ import annotations

import base64
import json
import random

import pyoxigraph as ox
import pytest
from forgery import keydir  # noqa: F401  (a fixture)
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from claimledger.model import vocab as V
from claimledger.signing import generate
from claimledger.signing.bundles import canonical_nquads, message
from conftest import BASE

TEXT = "Group A freed prisoners held by group B"


@pytest.fixture
def bundle(run, keydir, tmp_path):
    """A signed bundle of claim ``freed`` (two sources, two pieces of evidence) and the
    signer's public key file."""
    key = json.loads(run.ok("key", "create", "--format", "json").stdout)["key"]
    run.ok("source", "add", "wsj", "--title", "WSJ report", "--reliability", "B")
    run.ok("source", "add", "ap", "--title", "AP report", "--reliability", "B")
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    run.ok("evidence", "add", "freed", "wsj", "--supports", "--quote", "freed prisoners")
    run.ok("evidence", "add", "freed", "ap", "--supports", "--quote", "released prisoners")
    out = tmp_path / "freed.trig"
    run.ok("bundle", "freed", "-o", str(out))
    return out, keydir / f"{key}.pub", key


def _quads(path) -> list[Quad]:
    return list(ox.parse(path.read_bytes(), ox.RdfFormat.TRIG))


def _write(path, quads) -> None:
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))


def _check(run, path, *keys) -> tuple[int, dict]:
    args = [a for k in keys for a in ("--key", str(k))]
    result = run("verify-bundle", str(path), *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def test_a_bundle_holds_the_claim_its_evidence_and_sources_and_verifies_alone(run, bundle,
                                                                             ledger_dir):
    path, pub, key = bundle
    quads = _quads(path)
    subjects = {q.subject.value for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
    assert {BASE + "claim/freed", BASE + "evidence/freed-1", BASE + "evidence/freed-2",
            BASE + "source/wsj", BASE + "source/ap"} <= subjects
    code, data = _check(run, path, pub)
    assert code == 0, data
    [one] = data["checked"]
    assert (one["kind"], one["subject"], one["key"]) == ("bundle", BASE + "claim/freed", key)
    assert one["signer"] == BASE + "agent/tester"
    head = json.loads(run.ok("verify", "--format", "json").stdout)["head"]
    assert one["head"] == head  # ties the bundle to the ledger state it came from
    text = run.ok("verify-bundle", str(path), "--key", str(pub)).stdout
    assert text.startswith("ok: bundle") and key in text


def test_the_signature_covers_the_canonical_form_not_the_serialisation(run, bundle, tmp_path):
    path, pub, _ = bundle
    quads = _quads(path)
    random.Random(4).shuffle(quads)
    shuffled = tmp_path / "shuffled.nq"
    shuffled.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    assert _check(run, shuffled, pub)[0] == 0


def test_a_changed_literal_in_a_bundle_is_refused(run, bundle, tmp_path):
    path, pub, _ = bundle
    quads = [Quad(q.subject, q.predicate, Literal(TEXT.replace("freed", "executed"), language="en"),
                  q.graph_name) if q.object == Literal(TEXT, language="en") else q
             for q in _quads(path)]
    changed = tmp_path / "changed.trig"
    _write(changed, quads)
    code, data = _check(run, changed, pub)
    assert code == 1 and any("does not verify" in p for p in data["checked"][0]["problems"])


def test_a_removed_piece_of_evidence_in_a_bundle_is_refused(run, bundle, tmp_path):
    path, pub, _ = bundle
    evidence = NamedNode(BASE + "evidence/freed-2")
    quads = [q for q in _quads(path) if evidence not in (q.subject, q.object)]
    cut = tmp_path / "cut.trig"
    _write(cut, quads)
    code, data = _check(run, cut, pub)
    assert code == 1 and any("does not verify" in p for p in data["checked"][0]["problems"])


def test_a_bundle_re_signed_with_another_key_is_refused(run, bundle, tmp_path):
    path, pub, _ = bundle
    mallory = generate()
    quads = [q for q in _quads(path) if q.predicate != V.SIGNATURE]
    swap = {V.PUBLIC_KEY_VALUE: Literal(mallory.public.base64), V.KEY_ID: Literal(mallory.key_id)}
    quads = [Quad(q.subject, q.predicate, swap.get(q.predicate, q.object), q.graph_name)
             for q in quads]
    proof = next(q.graph_name for q in quads if q.predicate == V.BUNDLE_OF)
    signature = mallory.sign(message(quads))
    quads.append(Quad(proof, V.SIGNATURE, Literal(base64.b64encode(signature).decode()), proof))
    resigned = tmp_path / "resigned.trig"
    _write(resigned, quads)
    mallory_pub = tmp_path / "mallory.pub"
    mallory_pub.write_text(mallory.public.pem())
    assert _check(run, resigned, mallory_pub)[0] == 0  # a valid signature — by mallory
    code, data = _check(run, resigned, pub)
    assert code == 1
    assert any("not a key you trust" in p for p in data["checked"][0]["problems"])


def test_verify_bundle_wants_a_key_from_outside_the_file(run, bundle):
    path, _, _ = bundle
    result = run("verify-bundle", str(path))
    assert result.exit_code == 2 and "--key" in result.output


def test_bundle_without_a_key_is_refused(run, keydir):
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    result = run("bundle", "freed")
    assert result.exit_code == 2 and "no key to sign with" in result.output


def test_canonical_form_relabels_blank_nodes_whatever_their_names():
    p = NamedNode("http://example.org/p")
    a = [Quad(BlankNode("x"), p, BlankNode("y")), Quad(BlankNode("y"), p, Literal("v"))]
    b = [Quad(BlankNode("q1"), p, BlankNode("q2")), Quad(BlankNode("q2"), p, Literal("v"))]
    assert canonical_nquads(a) == canonical_nquads(b)
    text = canonical_nquads(a).decode()
    assert "_:c14n" in text and text.endswith(" .\n") and "_:x" not in text


def test_a_bundle_in_n_quads_verifies_the_same(run, bundle, tmp_path):
    _, pub, key = bundle
    out = tmp_path / "freed.nq"
    run.ok("bundle", "freed", "--format", "nquads", "-o", str(out))
    code, data = _check(run, out, pub)
    assert code == 0 and data["checked"][0]["key"] == key
