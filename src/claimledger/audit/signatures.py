"""The signature half of ``verify``: who signed which event, and whether each signature holds.

:func:`claimledger.audit.verify` walks the chain and hands each event to a
:class:`SignatureCheck`, which rebuilds the history of the ledger's keys from the audit trail
itself (the key records each event added, the revocations) — never from the ledger's current
state, which whoever controls the store can edit — and checks, event by event:

* a signature verifies with the key it names, over the event's hash (which covers the exact
  triples the event added and removed; :mod:`claimledger.signing.events`): a changed event, a
  changed triple, a signature copied from another event all fail;
* the key was recorded by an earlier event (or, for an agent's first key, by this one) and
  not revoked before this event; it is the event's agent's, or a server key (then the event
  is reported as signed by the server on the agent's behalf);
* an unsigned event is a problem when the ledger required signed writes then, or when its
  agent held a key then (signatures stripped from a key holder's events are found);
* key changes: an agent's first key is Ed25519 and signs its own record; any later key for the
  agent is recorded by an event signed with the agent's current key (a key swapped in by
  whoever controls the store is found); a revocation is signed by the owner; a key record is
  never edited after it was added;
* with trust anchors (:class:`~claimledger.signing.trust.TrustAnchors`): every signature is by
  a pinned key or by a key a pinned key endorsed through key changes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from claimledger.audit.chain import Event, audit_graph
from claimledger.errors import InputError
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.signing.events import message
from claimledger.signing.keys import ED25519, PublicKey
from claimledger.signing.registry import parse_record
from claimledger.signing.trust import TrustAnchors
from claimledger.store.base import Store


@dataclass
class SignedEvent:
    """Who signed one event (``key_id`` None: unsigned)."""

    sequence: int
    command: str
    agent: str
    key_id: str | None = None
    key_agent: str | None = None
    server: bool = False


@dataclass
class SignatureSummary:
    """What the signature check found, for the report."""

    events: list[SignedEvent] = field(default_factory=list)
    pinned: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        """Lines saying who signed what, by key."""
        signed = [e for e in self.events if e.key_id]
        if not signed:
            return ["signatures: none (no event is signed)"] + self.notes
        lines = [f"signatures: {len(signed)} of {len(self.events)} events signed"]
        by_key: dict[tuple, list[int]] = {}
        for e in signed:
            on_behalf = e.agent if e.server and e.agent != e.key_agent else None
            by_key.setdefault((e.key_id, e.key_agent, e.server, on_behalf), []).append(e.sequence)
        for (key_id, owner, server, behalf), seqs in by_key.items():
            kind = "server key" if server else "key"
            who = f"{kind} {key_id} of {owner}" + (f", on behalf of {behalf}" if behalf else "")
            lines.append(f"  {who}: events {_ranges(seqs)}")
        unsigned = [e.sequence for e in self.events if not e.key_id]
        if unsigned:
            lines.append(f"  unsigned: events {_ranges(unsigned)}")
        if self.pinned:
            lines.append(f"  every signature checked against {self.pinned} pinned key(s) and the "
                         "key changes they signed")
        else:
            lines.append("  no key pinned: signatures checked against the keys the audit trail "
                         "records (pin yours with --key or --known-keys)")
        return lines + self.notes


def _ranges(numbers: list[int]) -> str:
    parts, start, last = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = last = n
        elif n == last + 1:
            last = n
        else:
            parts.append(f"{start}" if start == last else f"{start}–{last}")
            start = last = n
    if start is not None:
        parts.append(f"{start}" if start == last else f"{start}–{last}")
    return ", ".join(parts)


@dataclass
class _Key:
    iri: NamedNode
    agent: NamedNode | None
    public: PublicKey
    server: bool
    added: int
    revoked: int | None = None
    endorsed_by: NamedNode | None = None


class SignatureCheck:
    """Checks the events of one ledger's chain, fed in order with :meth:`see`."""

    def __init__(self, store: Store, base: str, trust: TrustAnchors | None = None) -> None:
        self.base = base
        self.ledger = NamedNode(base)
        self.trust = trust or TrustAnchors()
        self.keys: dict[NamedNode, _Key] = {}
        self.required = False
        self.problems: list[str] = []
        self.summary = SignatureSummary(pinned=len(self.trust.keys))
        self._signatures = _read_signatures(store, base)
        self._seen: set[NamedNode] = set()

    def _short(self, node: NamedNode | None) -> str:
        if node is None:
            return "nobody"
        value = node.value
        return value[len(self.base) + 6:] if value.startswith(self.base + "agent/") else value

    def _held(self, agent: NamedNode | None) -> list[_Key]:
        return [k for k in self.keys.values() if k.agent == agent and k.revoked is None
                and k.public.algorithm == ED25519]

    def _trusted(self, key: _Key) -> bool:
        seen: set[NamedNode] = set()
        current: _Key | None = key
        while current is not None and current.iri not in seen:
            if self.trust.trusts(current.public):
                return True
            seen.add(current.iri)
            current = self.keys.get(current.endorsed_by) if current.endorsed_by else None
        return False

    def see(self, ev: Event) -> None:
        """Check one event (the next of the chain)."""
        self._seen.add(ev.iri)
        name = f"event {ev.sequence} ({ev.command})"
        agent = NamedNode(ev.agent)
        held = self._held(agent)
        new_keys, revoked = self._key_changes(ev, name)
        record = SignedEvent(ev.sequence, ev.command, self._short(agent))
        key, valid = self._signature(ev, name, agent, new_keys)
        if key is None and ev.iri not in self._signatures:
            if self.required:
                self.problems.append(f"{name} by {record.agent} is unsigned, but the ledger "
                                     "required signed writes then")
            elif held:
                self.problems.append(f"{name} by {record.agent} is unsigned, though "
                                     f"{record.agent} held key {held[0].public.key_id} then — "
                                     "its signature was removed, or it was written behind "
                                     "claimledger's back")
            elif new_keys or revoked:
                self.problems.append(f"{name} changes keys and is unsigned")
        if key is not None and valid:
            record.key_id, record.key_agent = key.public.key_id, self._short(key.agent)
            record.server = key.server
        self.summary.events.append(record)
        signer = key if valid else None
        for new in new_keys:
            self._admit(new, signer, name)
        if signer is not None and self.trust and not self._trusted(signer):
            self.problems.append(f"{name}: signed with key {signer.public.key_id} of "
                                 f"{self._short(signer.agent)}, which neither a pinned key nor a "
                                 "key change signed by one vouches for")
        for old in revoked:
            if signer is None or signer.agent != old.agent:
                self.problems.append(f"{name} revokes key {old.public.key_id} of "
                                     f"{self._short(old.agent)}, but is not signed by them")
            old.revoked = ev.sequence
        required = Triple(self.ledger, V.SIGNING_REQUIRED, Literal(True))
        if required in ev.added:
            self.required = True
        elif required in ev.removed:
            self.required = False

    def _signature(self, ev: Event, name: str, agent: NamedNode, new_keys: list[_Key]
                   ) -> tuple[_Key | None, bool]:
        values = self._signatures.get(ev.iri)
        if values is None:
            return None, False
        parts = {}
        for p, label in ((V.SIGNATURE, "signature"), (V.SIGNED_WITH, "key"),
                         (V.SIGNATURE_ALGORITHM, "algorithm")):
            found = values.get(p, [])
            if len(found) != 1:
                self.problems.append(f"{name}: {len(found)} {label} values on its signature")
                return None, False
            parts[label] = found[0]
        algorithm, iri, text = parts["algorithm"], parts["key"], parts["signature"]
        if not (isinstance(algorithm, Literal) and algorithm.value == ED25519):
            self.problems.append(f"{name}: signed with {algorithm}, not {ED25519}")
            return None, False
        key = self.keys.get(iri) or next((k for k in new_keys if k.iri == iri), None)
        if key is None:
            self.problems.append(f"{name}: signed with {iri}, a key no earlier event recorded")
            return None, False
        try:
            signature = base64.b64decode(text.value, validate=True)
        except (binascii.Error, ValueError, AttributeError):
            self.problems.append(f"{name}: its signature is not base64")
            return key, False
        key_id = key.public.key_id
        if not key.public.verify(signature, message(self.ledger, ev.iri, ev.hash)):
            self.problems.append(f"{name}: its signature does not verify with key {key_id} — "
                                 "the event or its triples changed after it was signed, or the "
                                 "signature belongs to another event")
            return key, False
        ok = True
        if key.revoked is not None and key.revoked < ev.sequence:
            self.problems.append(f"{name}: signed with key {key_id} after it was revoked "
                                 f"(event {key.revoked})")
            ok = False
        if key.agent != agent and not key.server:
            self.problems.append(f"{name} by {self._short(agent)}: signed with key {key_id} of "
                                 f"{self._short(key.agent)}, which is not a server key")
            ok = False
        return key, ok

    def _key_changes(self, ev: Event, name: str) -> tuple[list[_Key], list[_Key]]:
        prefix = self.base + "key/"
        about: dict[NamedNode, list[Triple]] = {}
        for t in ev.added:
            if t.subject.value.startswith(prefix) or t.predicate in V.KEY_PROPERTIES or (
                    t.predicate == V.TYPE and t.object in (V.PUBLIC_KEY, V.SERVER_KEY)):
                about.setdefault(t.subject, []).append(t)
        for t in ev.removed:
            if t.subject in self.keys or t.subject.value.startswith(prefix):
                self.problems.append(f"{name} removes {t} . — key records are never edited")
        new_keys, revoked = [], []
        for subject, triples in about.items():
            known = self.keys.get(subject)
            if known is not None:
                for t in triples:
                    if t.predicate == V.INVALIDATED_AT_TIME and known.revoked is None:
                        revoked.append(known)
                    else:
                        self.problems.append(f"{name} adds {t} . to key "
                                             f"{known.public.key_id} after it was recorded")
                continue
            try:
                rec = parse_record(subject, triples)
            except InputError as exc:
                self.problems.append(f"{name}: {exc.message}")
                continue
            new_keys.append(_Key(subject, rec.agent, rec.public, rec.server, ev.sequence))
        return new_keys, revoked

    def _admit(self, key: _Key, signer: _Key | None, name: str) -> None:
        prior = self._held(key.agent)
        owner = self._short(key.agent)
        if prior:
            if signer is None or signer not in prior:
                self.problems.append(f"{name} records key {key.public.key_id} for {owner}, but "
                                     f"is not signed with {owner}'s current key "
                                     f"{prior[0].public.key_id} — a key swapped in")
            else:
                key.endorsed_by = signer.iri
        elif key.public.algorithm != ED25519:
            self.problems.append(f"{name} records {key.public.algorithm} key "
                                 f"{key.public.key_id} for {owner}, who holds no Ed25519 key")
        elif signer is not key:
            self.problems.append(f"{name} records the first key {key.public.key_id} of {owner}, "
                                 "but is not signed by that key")
        self.keys[key.iri] = key

    def finish(self) -> list[str]:
        """The problems found, once every event was seen (signatures on no event included)."""
        for node in sorted(set(self._signatures) - self._seen, key=lambda n: n.value):
            self.problems.append(f"signature triples on {node.value}, which is no event of the "
                                 "chain")
        if self.trust:
            recorded = {k.public.der for k in self.keys.values()}
            missing = [PublicKey.from_der(d).key_id for d in self.trust.keys if d not in recorded]
            if missing:
                self.summary.notes.append(f"  pinned but not recorded in this ledger: "
                                          f"{', '.join(sorted(missing))}")
        return self.problems


def _read_signatures(store: Store, base: str) -> dict[NamedNode, dict[NamedNode, list]]:
    """Every signature triple of the audit graph, by event and property."""
    props = ", ".join(ntriples.term(p) for p in sorted(V.SIGNATURE_PROPERTIES,
                                                      key=lambda n: n.value))
    rows = store.query(f"SELECT ?g ?e ?p ?o WHERE {{ GRAPH ?g {{ ?e ?p ?o }} "
                       f"FILTER (?p IN ({props})) }}", {"g": audit_graph(base)})
    found: dict[NamedNode, dict[NamedNode, list]] = {}
    for r in rows:  # type: ignore[union-attr]
        found.setdefault(r["e"], {}).setdefault(r["p"], []).append(r["o"])
    return found


def check_all(store: Store, base: str, events: Iterable[Event],
              trust: TrustAnchors | None = None) -> tuple[list[str], SignatureSummary]:
    """Check the signatures of ``events`` (with their changes) on their own."""
    check = SignatureCheck(store, base, trust)
    for ev in events:
        check.see(ev)
    return check.finish(), check.summary
