"""The audit trail: every write is an event, chained by hashes, replayable and verifiable.

Each write becomes a ``cl:Event`` (a ``prov:Activity``) in the named graph ``<base>audit``:
its agent, time, command, arguments, reason, and the claims and sources it affected. The
triples it added and removed are kept, exactly, in the named graphs ``<event>/added`` and
``<event>/removed``. Events form a hash chain::

    hash(n) = SHA-256( TAG + "\\n" + hash(n-1) + "\\n"
                       + D(the event's description, its cl:hash and signature excepted)
                       + D(the removed triples) + D(the added triples) )

    D(set) = SHA-256 over the sorted SHA-256 digests of the set's N-Triples lines

TAG and the N-Triples lines depend on the event's format (:mod:`claimledger.audit.formats`);
new events are written in :data:`~claimledger.audit.formats.CURRENT`, which claimledger
computes itself (canonical literal forms, canonical N-Triples), so that the chain verifies on
any engine. The ledger never writes blank nodes (imports skolemise them), so sorted canonical
N-Triples are a canonical serialisation. An event's signature (``cl:signature``,
``cl:signedWith``, ``cl:signatureAlgorithm``, :mod:`claimledger.signing.events`) sits beside
its hash and signs it; like the hash, it is not part of what the hash covers. :func:`verify` recomputes every hash, checks every link, replays the
changes from nothing and compares the result with the ledger's current state, naming any
triple that was added, removed or changed behind claimledger's back.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, Triple

from claimledger.audit import formats
from claimledger.audit.formats import EventFormat
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.store.base import ChangeSet, Store

GENESIS = "0" * 64
#: The hash tag of the events this claimledger writes.
HASH_VERSION = formats.FORMATS[formats.CURRENT].tag


def audit_graph(base: str) -> NamedNode:
    """The named graph that holds the events' descriptions."""
    return NamedNode(base + "audit")


def event_iri(base: str, sequence: int) -> NamedNode:
    return NamedNode(f"{base}event/{sequence}")


@dataclass
class Event:
    """One event of the audit trail, as read back."""

    iri: NamedNode
    sequence: int
    agent: str
    time: str
    command: str
    arguments: dict
    reason: str | None
    hash: str
    previous_hash: str
    affected: list[str] = field(default_factory=list)
    #: The event format it was written in (see :mod:`claimledger.audit.formats`).
    format: int = 1
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)


@dataclass
class Head:
    """The latest event: where the chain continues from."""

    iri: NamedNode | None
    sequence: int
    hash: str


def head(store: Store, base: str) -> Head:
    """The ledger's latest event (sequence 0 and the genesis hash for a ledger without one)."""
    rows = list(store.query(
        "SELECT ?g ?e ?seq ?hash WHERE { GRAPH ?g { ?l <%s> ?e . ?e <%s> ?seq ; <%s> ?hash } }"
        % (V.HEAD.value, V.SEQUENCE.value, V.HASH.value),
        {"g": audit_graph(base)},
    ))
    if not rows:
        return Head(None, 0, GENESIS)
    row = rows[0]
    return Head(row["e"], int(row["seq"].value), row["hash"].value)


def describe(*, base: str, ledger: NamedNode, previous: Head, agent: NamedNode, time: Literal,
             command: str, arguments: dict, reason: str | None,
             affected: Iterable[NamedNode]) -> tuple[NamedNode, list[Triple]]:
    """The next event's IRI and its description triples (its hash not included)."""
    sequence = previous.sequence + 1
    ev = event_iri(base, sequence)
    description = [
        Triple(ev, V.TYPE, V.EVENT),
        Triple(ev, V.TYPE, V.PROV_ACTIVITY),
        Triple(ev, V.SEQUENCE, Literal(sequence)),
        Triple(ev, V.WAS_ASSOCIATED_WITH, agent),
        Triple(ev, V.STARTED_AT_TIME, time),
        Triple(ev, V.COMMAND, Literal(command)),
        Triple(ev, V.ARGUMENTS, Literal(json.dumps(arguments, sort_keys=True, ensure_ascii=False))),
        Triple(ev, V.ADDED_GRAPH, added_graph(ev)),
        Triple(ev, V.REMOVED_GRAPH, removed_graph(ev)),
        Triple(ev, V.FORMAT_VERSION, Literal(formats.CURRENT)),
    ]
    if previous.iri is not None:
        description.append(Triple(ev, V.PREVIOUS_EVENT, previous.iri))
    if reason:
        description.append(Triple(ev, V.REASON, Literal(reason)))
    description.extend(Triple(ev, V.AFFECTED, node) for node in sorted(affected, key=lambda n: n.value))
    return ev, description


def added_graph(ev: NamedNode) -> NamedNode:
    """The named graph that holds exactly what event ``ev`` added."""
    return NamedNode(ev.value + "/added")


def removed_graph(ev: NamedNode) -> NamedNode:
    """The named graph that holds exactly what event ``ev`` removed."""
    return NamedNode(ev.value + "/removed")


def seal(*, base: str, ledger: NamedNode, previous: Head, ev: NamedNode, description: list[Triple],
         digest: str) -> tuple[list[Quad], Quad | None]:
    """The audit-graph quads of an event (description, hash, new head), and the old head quad."""
    graph = audit_graph(base)
    quads = [Quad(t.subject, t.predicate, t.object, graph) for t in description]
    quads.append(Quad(ev, V.HASH, Literal(digest), graph))
    quads.append(Quad(ledger, V.HEAD, ev, graph))
    old_head = Quad(ledger, V.HEAD, previous.iri, graph) if previous.iri is not None else None
    return quads, old_head


def record(changes: ChangeSet, *, base: str, ledger: NamedNode, previous: Head, agent: NamedNode,
           time: Literal, command: str, arguments: dict, reason: str | None,
           affected: set[NamedNode]) -> tuple[list[Quad], Quad | None, str, NamedNode]:
    """Describe ``changes`` as the next event and chain it to ``previous``.

    :returns: the quads to add (event description, added and removed graphs, new head), the
        old head quad to remove (if any), the new hash, and the event IRI.
    """
    ev, description = describe(base=base, ledger=ledger, previous=previous, agent=agent, time=time,
                               command=command, arguments=arguments, reason=reason,
                               affected=affected)
    digest = event_hash(previous.hash, description, set_digest(changes.removed),
                        set_digest(changes.added))
    quads, old_head = seal(base=base, ledger=ledger, previous=previous, ev=ev,
                           description=description, digest=digest)
    quads.extend(Quad(t.subject, t.predicate, t.object, added_graph(ev)) for t in changes.added)
    quads.extend(Quad(t.subject, t.predicate, t.object, removed_graph(ev)) for t in changes.removed)
    return quads, old_head, digest, ev


def event_hash(previous: str, description: Iterable[Triple], removed: bytes, added: bytes, *,
               fmt: EventFormat | None = None) -> str:
    """The chained SHA-256 of one event (see the module docstring), in format ``fmt``
    (the current one by default); ``removed`` and ``added`` are :func:`set_digest` values in
    the same format."""
    fmt = fmt or formats.FORMATS[formats.CURRENT]
    h = hashlib.sha256()
    h.update(f"{fmt.tag}\n{previous}\n".encode())
    h.update(set_digest(description, fmt=fmt))
    h.update(removed)
    h.update(added)
    return h.hexdigest()


#: Digests held in memory before a sorted run is spilled to a temporary file.
SPILL = 2_000_000


def set_digest(triples: Iterable[Triple], *, fmt: EventFormat | None = None) -> bytes:
    """A canonical digest of a set of triples: SHA-256 over the sorted SHA-256 digests of their
    N-Triples lines (in format ``fmt``, the current one by default). Order-independent, and
    computable for any number of triples in bounded memory (sorted runs are spilled to
    temporary files and merged).
    """
    digest = SetDigest(fmt=fmt)
    for t in triples:
        digest.add(t)
    return digest.digest()


class SetDigest:
    """:func:`set_digest` of a set built one write at a time, as a bulk import writes an
    event's graph: :meth:`add` a triple written (a triple given twice counts once), and
    :meth:`discard` one removed again (it counts only if added after that). The digests are
    held 32 bytes each, sorted runs of :data:`SPILL` spilled to temporary files, so the graph
    never has to be read back from the store."""

    def __init__(self, *, fmt: EventFormat | None = None) -> None:
        self._line = (fmt or formats.FORMATS[formats.CURRENT]).line
        self._batch: list[bytes] = []
        self._runs: list = []
        self._removed: set[bytes] = set()

    def add(self, t: Triple) -> None:
        d = hashlib.sha256(self._line(t).encode()).digest()
        if self._removed:
            self._removed.discard(d)
        self._batch.append(d)
        if len(self._batch) >= SPILL:
            self._runs.append(_spill(self._batch))
            self._batch = []

    def discard(self, t: Triple) -> None:
        self._removed.add(hashlib.sha256(self._line(t).encode()).digest())

    def digest(self) -> bytes:
        """The digest of the set (once: the spilled runs are read, and closed)."""
        self._batch.sort()
        h = hashlib.sha256()
        streams = [_read_run(f) for f in self._runs] + [iter(self._batch)]
        last = None
        for d in heapq.merge(*streams) if self._runs else self._batch:
            if d != last and d not in self._removed:
                h.update(d)
            last = d
        for f in self._runs:
            f.close()
        self._runs = []
        return h.digest()


def _spill(batch: list[bytes]):
    batch.sort()
    import tempfile  # only a bulk import spills (tempfile loads shutil, bz2, lzma…)

    f = tempfile.TemporaryFile()
    f.write(b"".join(batch))
    f.seek(0)
    return f


def _read_run(f) -> Iterator[bytes]:
    while True:
        chunk = f.read(32 * 4096)
        if not chunk:
            return
        for i in range(0, len(chunk), 32):
            yield chunk[i:i + 32]


def events(store: Store, base: str, *, about: NamedNode | None = None, with_changes: bool = False,
           with_affected: bool = True) -> Iterator[Event]:
    """The events of the audit trail in order, or only those that affected ``about``.

    ``with_affected=False`` leaves :attr:`Event.affected` empty (a bulk import affects every
    claim: reading them back costs time a caller that does not need them can save).
    """
    graph = audit_graph(base)
    query = """
        SELECT ?e ?seq ?agent ?time ?command ?args ?reason ?hash ?prevhash ?fmt WHERE {
          GRAPH ?g {
            ?e a <%(event)s> ; <%(seq)s> ?seq ; <%(agent)s> ?agent ; <%(time)s> ?time ;
               <%(command)s> ?command ; <%(args)s> ?args ; <%(hash)s> ?hash .
            %(filter)s
            OPTIONAL { ?e <%(reason)s> ?reason }
            OPTIONAL { ?e <%(fmt)s> ?fmt }
            OPTIONAL { ?e <%(prev)s> ?p . ?p <%(hash)s> ?prevhash }
          }
        } ORDER BY ?seq
    """ % {
        "event": V.EVENT.value, "seq": V.SEQUENCE.value, "agent": V.WAS_ASSOCIATED_WITH.value,
        "time": V.STARTED_AT_TIME.value, "command": V.COMMAND.value, "args": V.ARGUMENTS.value,
        "hash": V.HASH.value, "reason": V.REASON.value, "prev": V.PREVIOUS_EVENT.value,
        "fmt": V.FORMAT_VERSION.value,
        "filter": f"?e <{V.AFFECTED.value}> ?about ." if about is not None else "",
    }
    bindings = {"g": graph}
    if about is not None:
        query = query.replace("SELECT ?e", "SELECT ?about ?e", 1)
        bindings["about"] = about
    query = query.replace("SELECT ", "SELECT ?g ", 1)
    for row in store.query(query, bindings):
        ev = row["e"]
        affected = ([q.object.value for q in _graph_triples(store, graph, ev, V.AFFECTED)]
                    if with_affected else [])
        event = Event(
            iri=ev,
            sequence=int(row["seq"].value),
            agent=row["agent"].value,
            time=row["time"].value,
            command=row["command"].value,
            arguments=json.loads(row["args"].value),
            reason=row["reason"].value if row["reason"] is not None else None,
            hash=row["hash"].value,
            previous_hash=row["prevhash"].value if row["prevhash"] is not None else GENESIS,
            affected=affected,
            format=int(row["fmt"].value) if row["fmt"] is not None else 1,
        )
        if with_changes:
            event.added = _graph_content(store, NamedNode(ev.value + "/added"))
            event.removed = _graph_content(store, NamedNode(ev.value + "/removed"))
        yield event


def _graph_triples(store: Store, graph: NamedNode, subject: NamedNode, predicate: NamedNode):
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                       {"g": graph, "s": subject, "p": predicate})
    return sorted((Triple(r["s"], r["p"], r["o"]) for r in rows), key=ntriples.line)


def _graph_content(store: Store, graph: NamedNode) -> list[Triple]:
    """The triples of one graph, in canonical order (the same from every store)."""
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
    return sorted((Triple(r["s"], r["p"], r["o"]) for r in rows), key=ntriples.line)


def _description(store: Store, base: str, ev: NamedNode) -> list[Triple]:
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                       {"g": audit_graph(base), "s": ev})
    return [Triple(r["s"], r["p"], r["o"]) for r in rows
            if r["p"] != V.HASH and r["p"] not in V.SIGNATURE_PROPERTIES]
