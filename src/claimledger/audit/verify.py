"""``verify``: recompute the audit trail's hash chain, replay it, compare with the ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import Dataset, DefaultGraph, Quad

from claimledger.audit import formats
from claimledger.audit.chain import GENESIS, _description, event_hash, events, head, set_digest
from claimledger.audit.signatures import SignatureCheck, SignatureSummary
from claimledger.signing.trust import TrustAnchors
from claimledger.store.base import Store


#: Further checks :func:`verify` runs, each ``check(store, base) -> [problem, ...]``: parts of
#: claimledger that keep files beside the ledger register one (the snapshot files of
#: :mod:`claimledger.records.snapshots`, checked against their recorded hashes).
_CHECKS: list[Callable[[Store, str], list[str]]] = []


def register_check(check: Callable[[Store, str], list[str]]) -> None:
    """Have :func:`verify` also run ``check`` (once, however often it is registered)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


@dataclass
class VerifyReport:
    """What :func:`verify` found."""

    events: int
    head_hash: str
    problems: list[str]
    #: Who signed which event (:mod:`claimledger.audit.signatures`).
    signatures: SignatureSummary = field(default_factory=SignatureSummary)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(store: Store, base: str, *, expect: str | None = None, limit: int = 50,
           trust: TrustAnchors | None = None) -> VerifyReport:
    """Recompute the hash chain, replay every event, compare with the current ledger, and
    check every event's signature (:mod:`claimledger.audit.signatures`).

    :param expect: a head hash recorded elsewhere earlier: the chain must end at it.
    :param limit: report at most this many differing triples of each kind.
    :param trust: public keys pinned outside the ledger: every signature must chain to one.
    """
    problems: list[str] = []
    replay = Dataset()
    previous = GENESIS
    count = 0
    expected_seq = 1
    last_hash = GENESIS
    newest_format = 1
    signatures = SignatureCheck(store, base, trust)
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
    for check in _CHECKS:
        problems.extend(check(store, base))
    if expect and not last_hash.startswith(expect):
        problems.append(f"the chain ends at {last_hash}, not at {expect}")
    problems.extend(signatures.finish())
    return VerifyReport(count, last_hash, problems, signatures.summary)
