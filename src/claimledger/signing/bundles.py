"""Signed bundles: a claim with its evidence and sources in one file a reader checks alone.

A bundle is an RDF dataset (TriG) of two parts:

* the **content**, in the default graph: the claim and everything its sourcing rests on (its
  evidence and their quotes, its verdicts, the sources reached with their derivation chains
  and discreditings, the agents named), exactly as the ledger holds them;
* the **proof**, in the named graph ``<base>bundle/SLUG`` about that same node::

      <…/bundle/SLUG> a cl:SignedBundle ;
          cl:bundleOf <claim> ; cl:fromLedger <ledger> ; cl:ledgerHead "hash of its head" ;
          prov:wasAttributedTo <agent> ; prov:generatedAtTime "…"^^xsd:dateTime ;
          cl:signedWith <base>key/KEYID ; cl:keyId "KEYID" ; cl:keyAlgorithm "Ed25519" ;
          cl:publicKey "base64 of the DER SubjectPublicKeyInfo" ;
          cl:canonicalization <https://www.w3.org/TR/rdf-canon/> ;
          cl:signature "base64 of the Ed25519 signature" .

**What the signature covers**: every quad of the file except the one ``cl:signature`` quad —
the whole content and the rest of the proof (signer, key, time, ledger and head). Those quads
are put in canonical form by RDF Dataset Canonicalization (RDFC-1.0, W3C; blank nodes, if any,
relabelled) as canonical N-Quads, one line per quad, sorted, each ending in a line feed; the
signed message is::

    "claimledger-bundle-signature-1" LF <SHA-256 of the canonical N-Quads, hex>

(UTF-8), signed with Ed25519. A reader checks the signature with a key it trusts already
(``verify-bundle FILE --key PUB``): the public key inside the bundle says who claims to have
signed, never who did; a bundle re-signed with another key is refused because that key is not
the one the reader pinned.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable

from pyoxigraph import CanonicalizationAlgorithm, Dataset, DefaultGraph, Literal, NamedNode, Quad

from claimledger.errors import InputError
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.signing.keys import ED25519, PublicKey, Signer
from claimledger.signing.trust import SignedCheck, TrustAnchors

TAG = "claimledger-bundle-signature-1"
#: The canonicalisation a bundle names (and the only one it is checked with).
RDFC_1_0 = NamedNode("https://www.w3.org/TR/rdf-canon/")


def canonical_nquads(quads: Iterable[Quad]) -> bytes:
    """The RDFC-1.0 canonical N-Quads of a dataset: blank nodes relabelled ``c14nN`` by the
    algorithm, terms in canonical N-Quads form, lines sorted by code point."""
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    lines = []
    for q in dataset:
        parts = [ntriples.term(q.subject), ntriples.term(q.predicate), ntriples.term(q.object)]
        if not isinstance(q.graph_name, DefaultGraph):
            parts.append(ntriples.term(q.graph_name))
        lines.append(" ".join(parts) + " .\n")
    return "".join(sorted(lines)).encode("utf-8")


def message(quads: Iterable[Quad]) -> bytes:
    """The bytes a bundle's signature signs: the tag and the SHA-256 of its canonical form."""
    return f"{TAG}\n{hashlib.sha256(canonical_nquads(quads)).hexdigest()}".encode()


def proof_quads(proof: NamedNode, *, claim: NamedNode, ledger: NamedNode, head: str,
                agent: NamedNode, time: Literal, key: NamedNode, public: PublicKey) -> list[Quad]:
    """The proof of a bundle, its signature excepted (see the module doc)."""
    values = [(V.TYPE, V.SIGNED_BUNDLE), (V.BUNDLE_OF, claim), (V.FROM_LEDGER, ledger),
              (V.LEDGER_HEAD, Literal(head)), (V.WAS_ATTRIBUTED_TO, agent),
              (V.GENERATED_AT_TIME, time), (V.SIGNED_WITH, key), (V.KEY_ID, Literal(public.key_id)),
              (V.KEY_ALGORITHM, Literal(public.algorithm)),
              (V.PUBLIC_KEY_VALUE, Literal(public.base64)), (V.CANONICALIZATION, RDFC_1_0)]
    return [Quad(proof, p, o, proof) for p, o in values]


def sign(content: Iterable[Quad], proof: list[Quad], signer: Signer) -> list[Quad]:
    """The signed bundle: ``content`` (default-graph quads), ``proof`` and its signature.

    :raises InputError: for a key that is not Ed25519.
    """
    if signer.algorithm != ED25519:
        raise InputError(f"bundles are signed with {ED25519} keys, not {signer.algorithm}")
    quads = list(content) + list(proof)
    graph = proof[0].graph_name
    signature = signer.sign(message(quads))
    return quads + [Quad(graph, V.SIGNATURE,  # type: ignore[arg-type]
                         Literal(base64.b64encode(signature).decode("ascii")), graph)]


def check(quads: list[Quad], trust: TrustAnchors) -> SignedCheck:
    """Check a signed bundle's quads: its signature, with a key ``trust`` pins."""
    result = SignedCheck(kind="bundle")
    signatures = [q for q in quads if q.predicate == V.SIGNATURE]
    if len(signatures) != 1:
        result.problems.append(f"a bundle has one signature; this file has {len(signatures)}")
        return result
    sig = signatures[0]
    proof = sig.graph_name
    if not isinstance(proof, NamedNode) or sig.subject != proof:
        result.problems.append("the signature is not the bundle's own (its subject must be the "
                               "named graph that holds it)")
        return result
    values: dict[NamedNode, list] = {}
    for q in quads:
        if q.graph_name == proof and q.subject == proof:
            values.setdefault(q.predicate, []).append(q.object)
        elif not isinstance(q.graph_name, DefaultGraph) and q.graph_name != proof:
            result.problems.append(f"quads in the graph {q.graph_name}, which a bundle has not")
            return result

    def one(p: NamedNode, label: str):
        found = values.get(p, [])
        if len(found) != 1:
            result.problems.append(f"the proof has {len(found)} {label} (one expected)")
            return None
        return found[0]

    claim, agent = one(V.BUNDLE_OF, "claims"), one(V.WAS_ATTRIBUTED_TO, "signers")
    key_text, algorithm = one(V.PUBLIC_KEY_VALUE, "public keys"), one(V.KEY_ALGORITHM, "algorithms")
    canon = one(V.CANONICALIZATION, "canonicalisations")
    for p, label in ((V.FROM_LEDGER, "ledger"), (V.LEDGER_HEAD, "head"),
                     (V.GENERATED_AT_TIME, "signed at")):
        found = values.get(p, [])
        if len(found) == 1:
            result.details[label] = found[0].value
    if result.problems:
        return result
    result.subject, result.signer = claim.value, agent.value
    if canon != RDFC_1_0:
        result.problems.append(f"the bundle names the canonicalisation {canon}, not RDFC-1.0")
    try:
        public = PublicKey.from_base64(getattr(key_text, "value", ""), what="bundled public key")
    except InputError as exc:
        result.problems.append(exc.message)
        return result
    result.key_id = public.key_id
    if public.algorithm != ED25519 or getattr(algorithm, "value", None) != ED25519:
        result.problems.append(f"the bundle is signed with {public.algorithm}, not {ED25519}")
        return result
    if not any(q.subject == claim and q.predicate == V.TYPE and q.object == V.CLAIM
               and isinstance(q.graph_name, DefaultGraph) for q in quads):
        result.problems.append(f"the bundle holds no claim {claim.value}")
    try:
        signature = base64.b64decode(sig.object.value, validate=True)
    except (binascii.Error, ValueError):
        result.problems.append("the signature is not base64")
        return result
    if not public.verify(signature, message(q for q in quads if q != sig)):
        result.problems.append(f"the signature does not verify with the bundled key "
                               f"{public.key_id}: the bundle changed after it was signed")
    if not trust.trusts(public):
        result.problems.append(f"signed with key {public.key_id}, which is not a key you trust "
                               "(pass the signer's public key with --key or --known-keys)")
    return result
