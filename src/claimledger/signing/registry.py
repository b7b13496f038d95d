"""Key records as a ledger holds them: which public keys are whose, since and until when.

A key record (written only by ``claimledger key``, :mod:`claimledger.records.keys`)::

    <base>key/KEYID  a cl:PublicKey ;            # and a cl:ServerKey for a server's key
        cl:keyOf <agent> ;
        cl:keyId "KEYID" ;
        cl:keyAlgorithm "Ed25519" ;               # or "RSA" (nanopublications)
        cl:publicKey "base64 of the DER SubjectPublicKeyInfo" ;
        prov:generatedAtTime "…"^^xsd:dateTime ;  # when it was added
        cl:replacesKey <base>key/OLDID ;          # a key change: the key it replaces
        prov:invalidatedAtTime "…"^^xsd:dateTime .  # once revoked (or replaced)

Reading the current records is how a write finds its agent's key; ``verify`` does not trust
them and rebuilds the keys' history from the audit trail instead
(:mod:`claimledger.audit.signatures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from pyoxigraph import Literal, NamedNode, Triple

from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.signing.keys import PublicKey
from claimledger.store.base import Store, Term


class Reader(Protocol):
    """What key lookups read: a :class:`~claimledger.core.view.StateView`, or
    :class:`StoreReader` over a store."""

    def objects(self, s: Term, p: NamedNode) -> list[Term]: ...

    def subjects(self, p: NamedNode, o: Term) -> list[Term]: ...


class StoreReader:
    """:class:`Reader` over a store's current state."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def objects(self, s: Term, p: NamedNode) -> list[Term]:
        return [t.object for t in self.store.triples(s, p, None)]

    def subjects(self, p: NamedNode, o: Term) -> list[Term]:
        return [t.subject for t in self.store.triples(None, p, o)]


@dataclass
class KeyRecord:
    """One public key of the ledger, as recorded."""

    iri: NamedNode
    key_id: str
    agent: NamedNode | None
    public: PublicKey | None
    server: bool
    added: str | None
    revoked: str | None
    replaces: NamedNode | None = None

    @property
    def algorithm(self) -> str:
        return self.public.algorithm if self.public else "?"

    @property
    def active(self) -> bool:
        return self.revoked is None


def key_iri(base: str, key_id: str) -> NamedNode:
    """The IRI of the key ``key_id`` in the ledger of ``base``."""
    return NamedNode(f"{base}key/{key_id}")


def record_triples(iri: NamedNode, *, agent: NamedNode, public: PublicKey, server: bool,
                   time: Literal, replaces: NamedNode | None) -> list[Triple]:
    """The triples of a new key record."""
    triples = [Triple(iri, V.TYPE, V.PUBLIC_KEY), Triple(iri, V.KEY_OF, agent),
               Triple(iri, V.KEY_ID, Literal(public.key_id)),
               Triple(iri, V.KEY_ALGORITHM, Literal(public.algorithm)),
               Triple(iri, V.PUBLIC_KEY_VALUE, Literal(public.base64)),
               Triple(iri, V.GENERATED_AT_TIME, time)]
    if server:
        triples.append(Triple(iri, V.TYPE, V.SERVER_KEY))
    if replaces is not None:
        triples.append(Triple(iri, V.REPLACES_KEY, replaces))
    return triples


def parse_record(iri: NamedNode, triples: Iterable[Triple]) -> KeyRecord:
    """A key record from its triples (as recorded, or as an event added them).

    :raises InputError: if the public key is missing or malformed, or does not match the
        record's key id and IRI.
    """
    values: dict[NamedNode, list[Term]] = {}
    for t in triples:
        values.setdefault(t.predicate, []).append(t.object)

    def one(p: NamedNode) -> Term | None:
        found = values.get(p, [])
        if len(found) > 1:
            raise InputError(f"key {iri.value} has {len(found)} values of {p.value}")
        return found[0] if found else None

    agent, text, key_id = one(V.KEY_OF), one(V.PUBLIC_KEY_VALUE), one(V.KEY_ID)
    if not isinstance(text, Literal):
        raise InputError(f"key {iri.value} has no public key")
    public = PublicKey.from_base64(text.value, what=f"public key of {iri.value}")
    algorithm = one(V.KEY_ALGORITHM)
    if not isinstance(algorithm, Literal) or algorithm.value != public.algorithm:
        raise InputError(f"key {iri.value} says its algorithm is "
                         f"{algorithm.value if isinstance(algorithm, Literal) else 'nothing'}, "
                         f"but its public key is {public.algorithm}")
    if not isinstance(key_id, Literal) or key_id.value != public.key_id \
            or not iri.value.endswith("key/" + public.key_id):
        raise InputError(f"key {iri.value}: its id does not match its public key "
                         f"({public.key_id})")
    added, revoked, replaces = (one(V.GENERATED_AT_TIME), one(V.INVALIDATED_AT_TIME),
                                one(V.REPLACES_KEY))
    return KeyRecord(iri=iri, key_id=public.key_id,
                     agent=agent if isinstance(agent, NamedNode) else None, public=public,
                     server=V.SERVER_KEY in values.get(V.TYPE, []),
                     added=added.value if isinstance(added, Literal) else None,
                     revoked=revoked.value if isinstance(revoked, Literal) else None,
                     replaces=replaces if isinstance(replaces, NamedNode) else None)


def read_record(reader: Reader, iri: NamedNode) -> KeyRecord | None:
    """The key record ``iri`` as ``reader`` sees it, or None if there is none.

    :raises InputError: for a malformed record.
    """
    if V.PUBLIC_KEY not in reader.objects(iri, V.TYPE):
        return None
    triples = [Triple(iri, p, o) for p in (V.TYPE, V.KEY_OF, V.KEY_ID, V.KEY_ALGORITHM,
                                            V.PUBLIC_KEY_VALUE, V.GENERATED_AT_TIME,
                                            V.INVALIDATED_AT_TIME, V.REPLACES_KEY)
               for o in reader.objects(iri, p)]
    return parse_record(iri, triples)


def agent_keys(reader: Reader, agent: NamedNode, *, algorithm: str | None = None,
               active: bool = True) -> list[KeyRecord]:
    """The keys recorded as ``agent``'s (only the unrevoked ones with ``active``), by id."""
    found = []
    for node in reader.subjects(V.KEY_OF, agent):
        if not isinstance(node, NamedNode):
            continue
        record = read_record(reader, node)
        if record is None or (active and not record.active):
            continue
        if algorithm is None or record.algorithm == algorithm:
            found.append(record)
    return sorted(found, key=lambda r: r.key_id)


def signing_required(reader: Reader, ledger: NamedNode) -> bool:
    """Whether the ledger's setting asks for every write to be signed."""
    return Literal(True) in reader.objects(ledger, V.SIGNING_REQUIRED)


def all_keys(store: Store) -> list[KeyRecord]:
    """Every key record of the ledger, by agent and time added."""
    reader = StoreReader(store)
    records = []
    for t in store.triples(None, V.TYPE, V.PUBLIC_KEY):
        if isinstance(t.subject, NamedNode):
            record = read_record(reader, t.subject)
            if record is not None:
                records.append(record)
    return sorted(records, key=lambda r: ((r.agent.value if r.agent else ""), r.added or "",
                                          r.key_id))


def require_own_key(store: Store, base: str, key_id: str, agent: NamedNode, *,
                    algorithm: str) -> KeyRecord:
    """The record of key ``key_id``, which must be ``agent``'s, of ``algorithm``, not revoked.

    :raises InputError: if it is not.
    """
    record = read_record(StoreReader(store), key_iri(base, key_id))
    if record is None:
        raise InputError(f"key {key_id} is not recorded in this ledger; record it with "
                         "claimledger key add FILE")
    if record.agent != agent:
        owner = record.agent.value if record.agent else "nobody"
        raise InputError(f"key {key_id} is {owner}'s, not {agent.value}'s")
    if record.algorithm != algorithm:
        raise InputError(f"key {key_id} is an {record.algorithm} key; this needs {algorithm}")
    if record.revoked is not None:
        raise InputError(f"key {key_id} was revoked at {record.revoked}")
    return record
