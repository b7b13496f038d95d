"""Quotes pinned to snapshots: finding a quote in a source's snapshot, recording where it
stands (Web Annotation selectors), and reading that back for ``claim show``.

Each piece of evidence keeps one ``oa:hasSelector`` — its ``oa:TextQuoteSelector`` (exact,
prefix, suffix) — as before. Pinning adds, per snapshot the quote was looked for in, an
*anchor* (``cl:Anchor``, an ``oa:SpecificResource``)::

    <ev> cl:quoteStatus cl:quote-pinned ;          # or -unverified, -orphaned
         cl:anchor <ev#at-SHA> .
    <ev#at-SHA> a cl:Anchor, oa:SpecificResource ;
         oa:hasSource <source> ; cl:snapshot <snapshot/SHA> ;
         cl:anchorStatus cl:anchor-found ;         # or cl:anchor-orphaned (then no selectors)
         oa:hasSelector <ev#quote>, <ev#at-SHA-position> ; cl:occurrence 1 ;
         oa:hasState <ev#at-SHA-state> .
    <ev#at-SHA-position> a oa:TextPositionSelector ; oa:start 120 ; oa:end 152 .
    <ev#at-SHA-state> a oa:TimeState ; oa:cachedSource <snapshot/SHA> ; oa:sourceDate "…" .

Positions count Unicode code points in the snapshot's stored extracted text. An anchor is
only ever recorded for an exact match (after :mod:`claimledger.capture.anchors`'
normalisation); a near match is shown to the user as a hint and never recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from claimledger.capture import anchors
from claimledger.capture.snapshots import SnapshotFiles, location
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import Transaction
from claimledger.core.view import StateView
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.store.base import ChangeSet

_STATE_QUERY = """
PREFIX cl: <https://w3id.org/claimledger#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?claim ?evidence ?status ?anchor ?astatus ?sha ?when ?start ?end WHERE {
  ?evidence cl:claim ?claim ; cl:quoteStatus ?status .
  OPTIONAL {
    ?evidence cl:anchor ?anchor .
    ?anchor cl:anchorStatus ?astatus ; cl:snapshot ?snap ; oa:hasState ?state .
    ?snap cl:sha256 ?sha . ?state oa:sourceDate ?when .
    OPTIONAL { ?anchor oa:hasSelector ?pos . ?pos a oa:TextPositionSelector ;
               oa:start ?start ; oa:end ?end }
  }
}"""


@dataclass(frozen=True)
class Snapshot:
    """A source's snapshot as the ledger records it."""

    iri: NamedNode
    sha256: str
    retrieved_at: str
    content_type: str | None
    text_file: str | None
    text_sha256: str | None


@dataclass(frozen=True)
class Pin:
    """Where a quote will be recorded as standing (or that it is recorded unverified)."""

    snapshot: Snapshot | None
    match: anchors.Match | None
    unverified: bool = False


@dataclass
class QuoteState:
    """How a piece of evidence's quote stands, for ``claim show``.

    :param status: ``pinned``, ``unverified`` or ``orphaned``.
    :param snapshot: SHA-256 of the newest snapshot the quote was found in, and when that
        snapshot was retrieved; ``start`` / ``end`` its position there.
    :param orphaned_on: SHA-256 of the newest snapshot it was not found in (for orphans).
    """

    status: str
    snapshot: str | None = None
    retrieved_at: str | None = None
    start: int | None = None
    end: int | None = None
    orphaned_on: str | None = None
    orphaned_at: str | None = None
    anchors: int = 0


def current_snapshot(ledger: LedgerCore, view, source: NamedNode) -> Snapshot | None:
    """The newest snapshot of ``source`` (``view`` is the store or a transaction's view)."""
    node = view.value(source, V.CURRENT_SNAPSHOT)
    return snapshot_record(view, node) if isinstance(node, NamedNode) else None


def snapshot_record(view, node: NamedNode) -> Snapshot:
    text = view.value(node, V.TEXT_LINK)

    def val(subject, predicate):
        term = view.value(subject, predicate) if subject is not None else None
        return term.value if term is not None else None
    return Snapshot(node, val(node, V.SHA256) or "", val(node, V.GENERATED_AT_TIME) or "",
                    val(node, V.CONTENT_TYPE), val(text, V.TEXT_FILE), val(text, V.SHA256))


def snapshot_text(ledger: LedgerCore, snap: Snapshot) -> str | None:
    """The stored extracted text of ``snap`` (checked against its hash), None if it has none.

    :raises LedgerError: if the text file is missing or altered.
    """
    if not snap.text_file or not snap.text_sha256:
        return None
    return SnapshotFiles(location(ledger.store)).read_text(snap.text_file, snap.text_sha256)


def plan_pin(ledger: LedgerCore, source: NamedNode, source_slug: str, quote: str | None, *,
             prefix: str | None, suffix: str | None, occurrence: int | None,
             unverified: bool) -> Pin | None:
    """Find ``quote`` in the newest snapshot of ``source``, before ``evidence add`` writes.

    Returns None when there is nothing to pin (no quote and the source has no snapshot);
    a :class:`Pin` with a match, or marked unverified.

    :raises InputError: a quote not found (naming the closest passage and how close it is),
        found more than once without ``occurrence`` (or prefix / suffix that pick one), an
        ``occurrence`` out of range, or ``--occurrence`` without a quote or a snapshot.
    """
    snap = current_snapshot(ledger, StateView(ledger.store, ChangeSet()), source)
    if quote is None:
        if occurrence is not None or unverified:
            raise InputError("--occurrence and --unverified-quote go with --quote",
                             argument="--quote")
        return None
    if occurrence is not None and occurrence < 1:
        raise InputError("must be 1 or more", argument="--occurrence")
    if unverified:
        if occurrence is not None:
            raise InputError("an unverified quote is not looked for; drop --occurrence",
                             argument="--occurrence")
        return Pin(snap, None, unverified=True)
    if snap is None:
        if occurrence is not None:
            raise InputError(f"source {source_slug!r} has no snapshot to look the quote up in "
                             "(fetch it with: claimledger source fetch)", argument="--occurrence")
        return None
    text = snapshot_text(ledger, snap)
    where = (f"the snapshot of source {source_slug!r} (retrieved {snap.retrieved_at}, "
             f"sha256 {snap.sha256[:12]}…)")
    if text is None:
        raise InputError(f"{where} has no text ({snap.content_type or 'unknown type'}) to find "
                         "the quote in; record it with --unverified-quote", argument="--quote")
    spots = anchors.occurrences(text, quote)
    if not spots:
        raise InputError(not_found_message(text, quote, where), argument="--quote")
    if occurrence is not None:
        if occurrence > len(spots):
            raise InputError(f"the quote occurs {len(spots)} time(s) in {where}; "
                             f"there is no occurrence {occurrence}", argument="--occurrence")
        return Pin(snap, anchors.match_at(text, *spots[occurrence - 1], occurrence, len(spots)))
    if len(spots) > 1:
        fitting = [k for k, spot in enumerate(spots)
                   if (prefix or suffix) and anchors.context_fits(text, spot, prefix, suffix)]
        if len(fitting) == 1:
            k = fitting[0]
            return Pin(snap, anchors.match_at(text, *spots[k], k + 1, len(spots)))
        at = ", ".join(str(s) for s, _ in spots[:10]) + (", …" if len(spots) > 10 else "")
        raise InputError(f"the quote is ambiguous: it occurs {len(spots)} times in {where} "
                         f"(at characters {at}); choose one with --occurrence N "
                         f"(1–{len(spots)})", argument="--quote")
    return Pin(snap, anchors.match_at(text, *spots[0], 1, 1))


def not_found_message(text: str, quote: str, where: str) -> str:
    near = anchors.closest(text, quote)
    message = (f"the quote is not in {where}, even after normalising white space, quotes "
               "and dashes")
    if near is not None and near.passage.strip():
        passage = " ".join(near.passage.split())
        passage = passage if len(passage) <= 300 else passage[:299] + "…"
        message += (f". The closest passage (characters {near.start}–{near.end}, "
                    f"{near.similarity:.0%} alike) reads: «{passage}»")
    return message + ". Correct the quote, or record it as it is with --unverified-quote"


def write_pin(tx: Transaction, evidence: NamedNode, source: NamedNode, selector: NamedNode,
              pin: Pin) -> None:
    """Record ``pin`` on new evidence whose quote selector is ``selector``."""
    if pin.unverified or pin.snapshot is None or pin.match is None:
        tx.add(evidence, V.QUOTE_STATUS, V.QuoteStatus.iri("unverified"))
        return
    tx.add(evidence, V.QUOTE_STATUS, V.QuoteStatus.iri("pinned"))
    write_anchor(tx, evidence, source, pin.snapshot, pin.match, quote_selector=selector)


def write_anchor(tx: Transaction, evidence: NamedNode, source: NamedNode, snap: Snapshot,
                 match: anchors.Match | None, *, quote_selector: NamedNode | None = None
                 ) -> NamedNode:
    """Record whether the evidence's quote stands in ``snap`` (``match``) or not (None)."""
    anchor = NamedNode(f"{evidence.value.partition('#')[0]}#at-{snap.sha256[:16]}")
    state = NamedNode(anchor.value + "-state")
    tx.add(evidence, V.ANCHOR_LINK, anchor)
    tx.add(anchor, V.TYPE, V.ANCHOR)
    tx.add(anchor, V.TYPE, V.SPECIFIC_RESOURCE)
    tx.add(anchor, V.HAS_SOURCE, source)
    tx.add(anchor, V.SNAPSHOT_LINK, snap.iri)
    tx.add(anchor, V.HAS_STATE, state)
    tx.add(state, V.TYPE, V.TIME_STATE)
    tx.add(state, V.CACHED_SOURCE, snap.iri)
    tx.add(state, V.SOURCE_DATE, Literal(snap.retrieved_at, datatype=V.XSD_DATETIME))
    tx.set(anchor, V.ANCHOR_STATUS, V.AnchorStatus.iri("found" if match else "orphaned"))
    if match is None:
        return anchor
    if quote_selector is None:
        quote_selector = NamedNode(anchor.value + "-quote")
        tx.add(quote_selector, V.TYPE, V.TEXT_QUOTE_SELECTOR)
        tx.add(quote_selector, V.EXACT, Literal(match.exact))
        if match.prefix:
            tx.add(quote_selector, V.PREFIX, Literal(match.prefix))
        if match.suffix:
            tx.add(quote_selector, V.SUFFIX, Literal(match.suffix))
    position = NamedNode(anchor.value + "-position")
    tx.add(anchor, V.HAS_SELECTOR, quote_selector)
    tx.add(anchor, V.HAS_SELECTOR, position)
    tx.add(anchor, V.OCCURRENCE, Literal(match.occurrence))
    tx.add(position, V.TYPE, V.TEXT_POSITION_SELECTOR)
    tx.add(position, V.START, Literal(match.start))
    tx.add(position, V.END, Literal(match.end))
    return anchor


def quote_states(ledger: LedgerCore, claim: NamedNode) -> dict[NamedNode, QuoteState]:
    """How the quotes of ``claim``'s evidence stand, by evidence IRI."""
    states: dict[NamedNode, QuoteState] = {}
    found: dict[NamedNode, tuple] = {}
    lost: dict[NamedNode, tuple] = {}
    seen: set = set()
    for row in ledger.store.query(_STATE_QUERY, {"claim": claim}):
        ev = row["evidence"]
        state = states.setdefault(ev, QuoteState(V.QuoteStatus.label(row["status"]) or ""))
        if row["anchor"] is None or (ev, row["anchor"]) in seen:
            continue
        seen.add((ev, row["anchor"]))
        state.anchors += 1
        key = (row["when"].value, row["sha"].value, row["start"], row["end"])
        bucket = found if V.AnchorStatus.find(row["astatus"]) == "found" else lost
        if ev not in bucket or key[0] > bucket[ev][0]:
            bucket[ev] = key
    for ev, state in states.items():
        if ev in found:
            when, sha, start, end = found[ev]
            state.snapshot, state.retrieved_at = sha, when
            state.start = int(start.value) if start is not None else None
            state.end = int(end.value) if end is not None else None
        if ev in lost and state.status == "orphaned":
            state.orphaned_at, state.orphaned_on = lost[ev][0], lost[ev][1]
    return states


@dataclass
class AnchorOutcome:
    """What re-anchoring did for one piece of evidence (``source fetch`` / ``recheck``)."""

    evidence: str
    claim: str
    status: str  # found, orphaned, unverified (a quote recorded before the first snapshot)
    start: int | None = None
    end: int | None = None
    hint: str | None = None
    similarity: float | None = None
    extra: dict = field(default_factory=dict)


def reanchor(ledger: LedgerCore, tx: Transaction, source: NamedNode, snap: Snapshot,
             text: str | None) -> list[AnchorOutcome]:
    """Look every quote found in ``source`` up in its new snapshot, exactly, and record it.

    Pinned and orphaned quotes get an anchor on ``snap``: found (and the quote is pinned
    again), or orphaned. A quote recorded before the source had a snapshot is pinned when
    found, else marked unverified. Unverified quotes are left as they are.
    """
    outcomes: list[AnchorOutcome] = []
    view = tx.view
    for ev in sorted(view.subjects(V.SOURCE_LINK, source), key=lambda n: n.value):
        if not isinstance(ev, NamedNode) or not view.has(ev, V.TYPE, V.EVIDENCE):
            continue
        selector = view.value(ev, V.HAS_SELECTOR)
        exact = view.value(selector, V.EXACT) if isinstance(selector, NamedNode) else None
        if exact is None:
            continue
        status = V.QuoteStatus.find(view.value(ev, V.QUOTE_STATUS))
        if status == "unverified":
            continue
        prefix, suffix = view.value(selector, V.PREFIX), view.value(selector, V.SUFFIX)
        match = anchors.locate(text, exact.value, prefix=prefix.value if prefix else None,
                               suffix=suffix.value if suffix else None) if text else None
        claim = view.value(ev, V.CLAIM_LINK)
        outcome = AnchorOutcome(ledger.slug(ev), ledger.slug(claim), "found")
        if match is not None:
            write_anchor(tx, ev, source, snap, match)
            tx.set(ev, V.QUOTE_STATUS, V.QuoteStatus.iri("pinned"))
            outcome.start, outcome.end = match.start, match.end
        elif status is None:
            tx.set(ev, V.QUOTE_STATUS, V.QuoteStatus.iri("unverified"))
            outcome.status = "unverified"
        else:
            write_anchor(tx, ev, source, snap, None)
            tx.set(ev, V.QUOTE_STATUS, V.QuoteStatus.iri("orphaned"))
            outcome.status = "orphaned"
            near = anchors.closest(text, exact.value) if text else None
            if near is not None:
                outcome.hint = " ".join(near.passage.split())[:300]
                outcome.similarity = near.similarity
        outcomes.append(outcome)
    return outcomes
