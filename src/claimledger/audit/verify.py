"""``verify``: recompute the audit trail's hash chain, replay it, compare with the ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyoxigraph import Dataset, DefaultGraph, NamedNode, Quad

from claimledger.audit import formats
from claimledger.audit.checks import checks
from claimledger.audit.chain import (
    GENESIS,
    _description,
    added_graph,
    audit_graph,
    event_hash,
    events,
    head,
    removed_graph,
    set_digest,
)
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.store.base import Store

if TYPE_CHECKING:
    from claimledger.audit.signatures import SignatureSummary
    from claimledger.signing.trust import TrustAnchors


def _signatures():
    # The signature checks load when a chain is verified: every write imports this package
    # (for its chain), none of them verifies.
    from claimledger.audit import signatures

    return signatures


_HASH_RE = re.compile(r"[0-9a-fA-F]{64}")


@dataclass
class VerifyReport:
    """What :func:`verify` found."""

    events: int
    head_hash: str
    problems: list[str]
    #: Who signed which event (:mod:`claimledger.audit.signatures`).
    signatures: SignatureSummary = field(default_factory=lambda: _signatures().SignatureSummary())
    #: The sequence number of the event whose hash was expected (``expect``), if found.
    expected_event: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_hash(value: str, *, argument: str = "--expect") -> str:
    """An event hash as a user gave it: the full 64 hexadecimal digits, in any case.

    :returns: the hash in lower case.
    :raises InputError: for anything else (empty, short, long, not hexadecimal).
    """
    if not isinstance(value, str) or not _HASH_RE.fullmatch(value):
        raise InputError(f"{value!r} is not an event hash: give all 64 hexadecimal digits "
                         "(verify prints them as 'head: …')", argument=argument)
    return value.lower()


def verify(store: Store, base: str, *, expect: str | None = None, limit: int = 50,
           trust: TrustAnchors | None = None) -> VerifyReport:
    """Recompute the hash chain, replay every event, compare with the current ledger, and
    check every event's signature (:mod:`claimledger.audit.signatures`).

    :param expect: the hash of an event recorded elsewhere earlier (verify's head then): it
        must be an event of the chain — later writes are fine — and everything up to it
        verifies, as everything after it must.
    :param limit: report at most this many differing triples of each kind.
    :param trust: public keys pinned outside the ledger: every signature must chain to one.
    :raises InputError: if ``expect`` is not a full hash.
    """
    if expect is not None:
        expect = check_hash(expect)
    problems: list[str] = []
    hashes: dict[str, int] = {}
    known_graphs = {audit_graph(base)}
    event_nodes: set[NamedNode] = set()
    replay = Dataset()
    previous = GENESIS
    count = 0
    expected_seq = 1
    last_hash = GENESIS
    newest_format = 1
    signatures = _signatures().SignatureCheck(store, base, trust)
    for ev in events(store, base, with_changes=True):
        count += 1
        if ev.sequence != expected_seq:
            problems.append(f"event {ev.iri.value}: sequence {ev.sequence}, expected {expected_seq}")
        expected_seq = ev.sequence + 1
        if ev.previous_hash != previous:
            problems.append(f"event {ev.sequence}: does not chain to the event before it")
        if ev.format < newest_format:
            problems.append(f"event {ev.sequence}: written in format {ev.format} after an event "
                            f"in format {newest_format}")
        newest_format = max(newest_format, ev.format)
        if ev.format not in formats.FORMATS:
            problems.append(f"event {ev.sequence}: format {ev.format}, which this claimledger "
                            "does not know")
            digest = ev.hash
        else:
            fmt = formats.event_format(ev.format)
            digest = event_hash(ev.previous_hash, _description(store, base, ev.iri),
                                set_digest(ev.removed, fmt=fmt), set_digest(ev.added, fmt=fmt),
                                fmt=fmt)
        if digest != ev.hash:
            problems.append(f"event {ev.sequence} ({ev.command}): its hash does not match its "
                            "recorded changes — the audit trail was edited")
        signatures.see(ev)
        previous = ev.hash
        last_hash = ev.hash
        hashes[ev.hash] = ev.sequence
        event_nodes.add(ev.iri)
        known_graphs.update((added_graph(ev.iri), removed_graph(ev.iri)))
        for t in ev.removed:
            replay.discard(Quad(t.subject, t.predicate, t.object, DefaultGraph()))
        for t in ev.added:
            replay.add(Quad(t.subject, t.predicate, t.object, DefaultGraph()))
    current_head = head(store, base)
    if count and current_head.hash != last_hash:
        problems.append("the ledger's head does not point at the last event of the chain")
    inserted = []
    for t in store.triples(None, None, None):
        q = Quad(t.subject, t.predicate, t.object, DefaultGraph())
        if q in replay:
            replay.discard(q)
        else:
            inserted.append(t)
    missing = [q.triple for q in replay]
    changed_keys = {(t.subject, t.predicate) for t in inserted} & {(t.subject, t.predicate) for t in missing}
    for t in sorted(missing, key=str)[:limit]:
        verb = "changed" if (t.subject, t.predicate) in changed_keys else "removed"
        problems.append(f"{verb} outside claimledger — the audit trail has: {t} .")
    for t in sorted(inserted, key=str)[:limit]:
        verb = "changed" if (t.subject, t.predicate) in changed_keys else "added"
        problems.append(f"{verb} outside claimledger — the ledger has: {t} .")
    extra = max(0, len(missing) - limit) + max(0, len(inserted) - limit)
    if extra:
        problems.append(f"… and {extra} more differing triples")
    problems.extend(_unaccounted(store, base, known_graphs, event_nodes, current_head, limit))
    for check in checks():
        problems.extend(check(store, base))
    if expect is not None and expect not in hashes:
        problems.append(f"no event of the chain has the hash {expect}: what came before it was "
                        "rewritten, or it is not this ledger's")
    problems.extend(signatures.finish())
    return VerifyReport(count, last_hash, problems, signatures.summary,
                        hashes.get(expect) if expect is not None else None)


def _unaccounted(store: Store, base: str, known_graphs: set, event_nodes: set, current_head,
                 limit: int) -> list[str]:
    """What the ledger's named graphs hold that no event accounts for: graphs of no event,
    and triples of the audit graph that are neither an event's description nor the head."""
    problems = []
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in sorted(rows, key=lambda r: str(r["g"])):
        if row["g"] not in known_graphs:
            n = int(row["n"].value)
            problems.append(f"the named graph {row['g']} ({n} triple{'s' if n != 1 else ''}) "
                            "belongs to no event: added outside claimledger")
    ledger = NamedNode(base)
    stray = []
    for row in store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                           {"g": audit_graph(base)}):
        s, p, o = row["s"], row["p"], row["o"]
        if s in event_nodes:
            continue  # its description: covered by the event's hash
        if s == ledger and p == V.HEAD and current_head.iri is not None and o == current_head.iri:
            continue
        stray.append(f"{s} {p} {o} .")
    for line in sorted(stray)[:limit]:
        problems.append(f"the audit graph holds a triple no event accounts for: {line}")
    if len(stray) > limit:
        problems.append(f"… and {len(stray) - limit} more such triples")
    return problems
