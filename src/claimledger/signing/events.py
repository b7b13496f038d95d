"""Signing a ledger's writes: every event an agent writes, signed with the agent's Ed25519 key.

What is signed: the event's hash, which already covers the event's description (agent, time,
command, arguments, reason, sequence, previous event), the exact triples it added and removed,
and the previous event's hash (:mod:`claimledger.audit.chain`). The signed message is::

    "claimledger-event-signature-1" LF <ledger IRI> LF <event IRI> LF <event hash, hex>

(UTF-8), signed with Ed25519. The signature is stored on the event in the audit graph,
beside ``cl:hash`` and, like it, outside what the hash covers::

    <event> cl:signature "base64 of the 64-byte signature" ;
            cl:signedWith <base>key/KEYID ;
            cl:signatureAlgorithm "Ed25519" .

A write is signed when a key is configured for its agent — ``$CLAIMLEDGER_KEY`` names the
private key file, else the agent's current key is looked for in the key directory
(:func:`claimledger.settings.key_dir`) by its id — or with the signer the caller set on the
ledger (``ledger.signer``: the web page's server key). It must be signed, and is refused
unsigned, when the caller asks (``--sign``, ``ledger.require_signature``), when the ledger's
setting says so (``cl:signingRequired``), or when its agent holds a key in the ledger.

Key records and the signing setting change only through ``claimledger key``
(:mod:`claimledger.records.keys`): any other write — an import among them — that adds or
removes their triples, or signature triples, is refused.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Protocol

from pyoxigraph import Literal, NamedNode, Quad, Triple

from claimledger import settings
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.signing.keyfiles import private_key_path, read_private_key
from claimledger.signing.keys import ED25519, Signer
from claimledger.signing.registry import (Reader, StoreReader, agent_keys, key_iri, read_record,
                                          signing_required)
from claimledger.store.base import Store

TAG = "claimledger-event-signature-1"
_KEY_TYPES = frozenset({V.PUBLIC_KEY, V.SERVER_KEY})
_GUARDED = V.KEY_PROPERTIES | V.SIGNATURE_PROPERTIES | {V.SIGNING_REQUIRED}


def message(ledger: NamedNode, event: NamedNode, digest: str) -> bytes:
    """The bytes an event's signature signs (see the module doc)."""
    return f"{TAG}\n{ledger.value}\n{event.value}\n{digest}".encode()


def signature_quads(graph: NamedNode, event: NamedNode, key: NamedNode, signature: bytes
                    ) -> list[Quad]:
    """The audit-graph quads that record an event's signature."""
    return [Quad(event, V.SIGNATURE, Literal(base64.b64encode(signature).decode("ascii")), graph),
            Quad(event, V.SIGNED_WITH, key, graph),
            Quad(event, V.SIGNATURE_ALGORITHM, Literal(ED25519), graph)]


class SigningLedger(Protocol):
    """What signing reads of a ledger (a :class:`~claimledger.core.ledger.LedgerCore`)."""

    base: str
    node: NamedNode
    store: Store
    signer: Signer | None
    require_signature: bool


class Write(Protocol):
    """What signing reads of a write (a :class:`~claimledger.core.transaction.Transaction`)."""

    agent: NamedNode
    view: Reader
    #: A signer chosen for this write (``claimledger key`` picks the previous key).
    signer: Signer | None
    #: True for the writes of :mod:`claimledger.records.keys`, which may change key records.
    key_write: bool


@dataclass
class PlainWrite:
    """A :class:`Write` for a write that is not a transaction (the bulk import)."""

    agent: NamedNode
    view: Reader
    signer: Signer | None = None
    key_write: bool = False


def guard(base: str, added: Iterable[Triple], removed: Iterable[Triple]) -> None:
    """Refuse a write that is not ``claimledger key`` but touches keys or signatures: a triple
    of the key or signature vocabulary, a key type, or any triple about a node under
    ``<base>key/`` (where key records live).

    :raises InputError: naming the first such triple.
    """
    keys = base + "key/"
    for t in chain(added, removed):
        if guarded(t, keys):
            raise InputError(f"{t} . — key records, signatures and the signing setting are "
                             "changed only by claimledger key (an import cannot bring them)")


def guarded(t: Triple, keys: str) -> bool:
    """Whether :func:`guard` refuses ``t`` (``keys``: the ledger's ``<base>key/``)."""
    return (t.predicate in _GUARDED or (t.predicate == V.TYPE and t.object in _KEY_TYPES)
            or t.subject.value.startswith(keys))


def find_signer(reader: Reader, agent: NamedNode, base: str, *, algorithm: str = ED25519
                ) -> Signer | None:
    """The key configured to sign for ``agent``: ``$CLAIMLEDGER_KEY`` (``$CLAIMLEDGER_RSA_KEY``
    for an RSA key), else the agent's current key of ``algorithm`` (as ``reader`` sees the
    ledger) if its private key is in the key directory; None when neither is there.

    :raises InputError: for a key file that cannot be used.
    """
    named = settings.key_file("CLAIMLEDGER_KEY" if algorithm == ED25519 else "CLAIMLEDGER_RSA_KEY")
    if named is not None:
        return read_private_key(named)
    directory = settings.key_dir()
    for record in agent_keys(reader, agent, algorithm=algorithm):
        path = private_key_path(directory, record.key_id)
        if os.path.lexists(path):
            return read_private_key(path)
    return None


def _how(record_ids: list[str]) -> str:
    where = settings.key_dir()
    if record_ids:
        return (f"set CLAIMLEDGER_KEY to the private key file of key {record_ids[0]}, or keep "
                f"it as {private_key_path(where, record_ids[0])}")
    return "record a key first (claimledger key create) and keep its private key file"


def sign_event(ledger: SigningLedger, write: Write, event: NamedNode, digest: str,
               graph: NamedNode, *, added: Iterable[Triple] = (), removed: Iterable[Triple] = (),
               first: bool = False) -> list[Quad]:
    """The signature quads (in the audit graph ``graph``) of the event ``event`` with hash
    ``digest`` — none for an unsigned write — after checking that the write may be made as it
    is signed (see the module doc).

    :param added: the triples the write adds, :param removed: those it removes (checked
        against the key vocabulary unless the write is ``claimledger key``'s).
    :param first: the ledger's first event (``init``): no key can be recorded yet.
    :raises InputError: for a write that must be signed and has no key, a key that is not
        the agent's or was revoked, or a key or signature triple outside ``claimledger key``.
    """
    reader = write.view
    if not write.key_write:
        guard(ledger.base, added, removed)
    if first:
        return []
    agent = write.agent
    signer = write.signer or ledger.signer or find_signer(reader, agent, ledger.base)
    held = agent_keys(reader, agent, algorithm=ED25519)
    if signer is None:
        reasons = []
        if ledger.require_signature:
            reasons.append("signing was asked for (--sign)")
        if signing_required(reader, ledger.node) or (
                write.key_write and signing_required(StoreReader(ledger.store), ledger.node)):
            reasons.append("this ledger requires signed writes")
        if held:
            reasons.append(f"{agent.value} holds key {held[0].key_id} in this ledger")
        if reasons:
            raise InputError(f"this write must be signed ({'; '.join(reasons)}), and no key "
                             f"was found: {_how([r.key_id for r in held])}")
        return []
    _check_signer(ledger, reader, agent, signer, held)
    key = key_iri(ledger.base, signer.key_id)
    signature = signer.sign(message(ledger.node, event, digest))
    return signature_quads(graph, event, key, signature)


def _check_signer(ledger: SigningLedger, reader: Reader, agent: NamedNode, signer: Signer,
                  held: list) -> None:
    if signer.algorithm != ED25519:
        raise InputError(f"key {signer.key_id} is an {signer.algorithm} key; writes are signed "
                         f"with {ED25519} keys (RSA keys sign nanopublications)")
    iri = key_iri(ledger.base, signer.key_id)
    record = read_record(reader, iri)
    if record is None:
        raise InputError(f"key {signer.key_id} ({signer.path or 'the signer given'}) is not "
                         "recorded in this ledger; record it with claimledger key add FILE")
    before = read_record(StoreReader(ledger.store), iri)
    if before is not None and before.revoked is not None:
        raise InputError(f"key {signer.key_id} was revoked at {before.revoked}; it signs "
                         "nothing more")
    if record.agent != agent and not record.server:
        owner = record.agent.value if record.agent else "nobody"
        raise InputError(f"key {signer.key_id} is {owner}'s, not {agent.value}'s; only a "
                         "server key signs for others")
    if before is None and any(r.key_id != signer.key_id for r in held):
        raise InputError(f"{agent.value} already holds a key: a new key is recorded by a write "
                         "signed with the current one (claimledger key create does so)")
