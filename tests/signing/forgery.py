"""What whoever controls the store (or the server) can do to a ledger: write any quad, and
recompute every hash of the audit trail after an edit — but sign only with keys they hold.

Used by the tampering tests to play that administrator, as capably as the store allows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Triple

from claimledger import audit
from claimledger.audit import formats
from claimledger.audit.chain import _description
from claimledger.model import vocab as V
from claimledger.signing.events import message, signature_quads
from claimledger.signing.keys import Signer
from claimledger.signing.registry import key_iri
from claimledger.store import EmbeddedStore
from claimledger.store.base import ChangeSet


class Admin:
    """The store's administrator, on the ledger in ``ledger_dir`` (base ``base``)."""

    def __init__(self, ledger_dir: Path, base: str) -> None:
        self.dir = ledger_dir
        self.base = base
        self.graph = audit.audit_graph(base)
        self.node = NamedNode(base)

    def store(self) -> EmbeddedStore:
        return EmbeddedStore(self.dir, write=True)

    def quads(self, **pattern) -> list[Quad]:
        with EmbeddedStore(self.dir, write=False) as st:
            return [q for q in st.quads() if all(getattr(q, k) == v for k, v in pattern.items())]

    def edit(self, *, add=(), remove=()) -> None:
        """Add and remove quads, nothing else."""
        with self.store() as st:
            st.remove_quads(list(remove))
            st.bulk_add(list(add))

    def replace_literal(self, old: Literal, new: Literal) -> int:
        """Replace a literal everywhere it occurs (state and audit trail); the count."""
        found = [q for q in self.quads() if q.object == old]
        self.edit(remove=found, add=[Quad(q.subject, q.predicate, new, q.graph_name)
                                      for q in found])
        return len(found)

    def rehash(self, *, resign: dict[str, Signer] | None = None) -> str:
        """Recompute every event's hash in order, as ``verify`` would, and write them; with
        ``resign`` (agent IRI → signer), replace the signatures of those agents' signed events
        with new ones by the given keys. The new head hash."""
        resign = resign or {}
        with self.store() as st:
            previous = audit.GENESIS
            for ev in list(audit.events(st, self.base, with_changes=True)):
                fmt = formats.event_format(ev.format)
                digest = audit.event_hash(previous, _description(st, self.base, ev.iri),
                                          audit.set_digest(ev.removed, fmt=fmt),
                                          audit.set_digest(ev.added, fmt=fmt), fmt=fmt)
                st.remove_quads([Quad(ev.iri, V.HASH, Literal(ev.hash), self.graph)])
                st.bulk_add([Quad(ev.iri, V.HASH, Literal(digest), self.graph)])
                signer = resign.get(ev.agent)
                old = [Quad(t.subject, t.predicate, t.object, self.graph)
                       for t in st.triples(ev.iri, None, None, self.graph)
                       if t.predicate in V.SIGNATURE_PROPERTIES]
                if signer is not None and old:
                    st.remove_quads(old)
                    st.bulk_add(signature_quads(self.graph, ev.iri, key_iri(self.base, signer.key_id),
                                                signer.sign(message(self.node, ev.iri, digest))))
                previous = digest
        return previous

    def append_event(self, agent: NamedNode, *, add=(), remove=(), command="claim add",
                     signer: Signer | None = None, key: NamedNode | None = None) -> str:
        """Append a forged event at the head — its changes applied, its hash chained, signed
        with ``signer`` (naming the key ``key``, by default the signer's own) if given."""
        changes = ChangeSet()
        for s, p, o in add:
            changes.add(s, p, o)
        for s, p, o in remove:
            changes.remove(Triple(s, p, o))
        with self.store() as st:
            previous = audit.head(st, self.base)
            quads, old_head, digest, ev = audit.record(
                changes, base=self.base, ledger=self.node, previous=previous, agent=agent,
                time=Literal("2030-01-01T00:00:00Z", datatype=V.XSD_DATETIME), command=command,
                arguments={"forged": True}, reason=None, affected=set())
            if signer is not None:
                quads += signature_quads(self.graph, ev, key or key_iri(self.base, signer.key_id),
                                         signer.sign(message(self.node, ev, digest)))
            changes.extra_quads.extend(quads)
            if old_head is not None:
                changes.extra_removed.append(old_head)
            st.apply(changes)
        return digest

    def truncate(self) -> None:
        """Drop the newest event cleanly: undo its changes, delete it, move the head back."""
        with self.store() as st:
            evs = list(audit.events(st, self.base, with_changes=True))
            last, before = evs[-1], evs[-2]
            drop = [q for q in st.quads() if q.subject == last.iri and q.graph_name == self.graph]
            drop += [q for q in st.quads() if q.graph_name in (audit.added_graph(last.iri),
                                                                audit.removed_graph(last.iri))]
            drop += [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in last.added]
            drop.append(Quad(self.node, V.HEAD, last.iri, self.graph))
            st.remove_quads(drop)
            st.bulk_add([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in last.removed]
                        + [Quad(self.node, V.HEAD, before.iri, self.graph)])


def event_of(admin: Admin, command: str, *, nth: int = 0) -> NamedNode:
    """The IRI of the ``nth`` event (0 = first) with ``command``."""
    with EmbeddedStore(admin.dir, write=False) as st:
        found = [e.iri for e in audit.events(st, admin.base) if e.command == command]
    return found[nth]


def arguments_of(admin: Admin, ev: NamedNode) -> dict:
    with EmbeddedStore(admin.dir, write=False) as st:
        rows = list(st.triples(ev, V.ARGUMENTS, None, admin.graph))
    return json.loads(rows[0].object.value)


@pytest.fixture
def keydir(tmp_path, monkeypatch) -> Path:
    """A private key directory of this test's own (``CLAIMLEDGER_KEY_DIR``), and no key named
    by the environment."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("CLAIMLEDGER_KEY_DIR", str(folder))
    for name in ("CLAIMLEDGER_KEY", "CLAIMLEDGER_RSA_KEY", "CLAIMLEDGER_KNOWN_KEYS",
                 "CLAIMLEDGER_SERVER_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder


def public_file(keydir: Path, key_id: str) -> Path:
    return keydir / f"{key_id}.pub"
