"""Signing: keys, signed events, signed bundles, signed nanopublications, trust anchors.

* :mod:`.keys` — Ed25519 and RSA key pairs, public keys and their ids;
* :mod:`.keyfiles` — private keys in owner-only files outside the ledger, public key files;
* :mod:`.registry` — the key records a ledger holds;
* :mod:`.events` — signing each write's event (the write path's hook);
* :mod:`.trust` — the keys a verifier pins outside the ledger;
* :mod:`.bundles` — a claim with its evidence and sources, canonicalised (RDFC-1.0) and signed
  (Ed25519), in a file a reader checks alone;
* :mod:`.nanopub` — the nanopublication ecosystem's signature (RSA, trusty URIs);
* :mod:`.desk` — the web page's server key, which signs its users' writes as the server.

Checking a ledger's signatures is part of ``verify`` (:mod:`claimledger.audit.signatures`).
"""

from claimledger.signing.desk import server_signer, sign_as_server
from claimledger.signing.keyfiles import read_private_key, read_public_keys
from claimledger.signing.keys import ED25519, RSA, PublicKey, Signer, generate
from claimledger.signing.trust import TrustAnchors

__all__ = ["ED25519", "RSA", "PublicKey", "Signer", "TrustAnchors", "generate",
           "read_private_key", "read_public_keys", "server_signer", "sign_as_server"]
