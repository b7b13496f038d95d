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

#: Where each name of the package lives: loaded when first asked for, so that the write path,
#: which needs only :mod:`.events` (and, for a signed ledger, its key), does not load the desk's
#: key, the trust anchors and the key files' formats with it.
_NAMES = {"server_signer": "desk", "sign_as_server": "desk", "read_private_key": "keyfiles",
          "read_public_keys": "keyfiles", "ED25519": "keys", "RSA": "keys", "PublicKey": "keys",
          "Signer": "keys", "generate": "keys", "TrustAnchors": "trust"}

__all__ = sorted(_NAMES)


def __getattr__(name: str):
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
