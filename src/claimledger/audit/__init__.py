"""The audit trail: every write an event, chained by hashes (:mod:`.chain`), and ``verify``
(:mod:`.verify`), which recomputes the chain and replays it against the ledger."""

from claimledger.audit.chain import (
    GENESIS,
    HASH_VERSION,
    Event,
    Head,
    SetDigest,
    added_graph,
    audit_graph,
    describe,
    event_hash,
    event_iri,
    events,
    head,
    record,
    removed_graph,
    seal,
    set_digest,
)
from claimledger.audit.verify import VerifyReport, verify

__all__ = ["GENESIS", "HASH_VERSION", "Event", "Head", "SetDigest", "VerifyReport",
           "added_graph", "audit_graph", "describe", "event_hash", "event_iri", "events", "head",
           "record", "removed_graph", "seal", "set_digest", "verify"]
