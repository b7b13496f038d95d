"""Evidence: the qualified link between one claim and one source.

The *source* is the document in hand, where the quote is. When that document attributes the
statement to someone else ("according to NDS sources", "the Wall Street Journal reported"),
that someone is the *attributed source*, and corroboration traces origins from it. This is
the per-statement attribution that keeps an article quoting nine people from looking like
nine independent origins for everything in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.errors import ConflictError, InputError
from claimledger.core.facts import gather_facts
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.records import quotes
from claimledger.records.quotes import QuoteState
from claimledger.core.view import StateView
from claimledger.rules import corroboration
from claimledger.store.base import ChangeSet


@dataclass
class EvidenceSummary:
    """One piece of evidence as shown with its claim."""

    id: str
    stance: str
    source: str
    attributed_to: str | None
    quote: str | None
    locator: str | None
    credibility: str | None
    origins: list[str]
    counts: bool
    retracted: str | None
    recorded_by: str | None
    recorded_at: str | None
    #: The text just before and after the quote (Web Annotation prefix / suffix).
    prefix: str | None = None
    suffix: str | None = None
    #: Why it does not count, when it does not: retracted, or which discredited source.
    not_counted: str | None = None
    #: How the quote stands against the source's snapshots (None: never looked up).
    quote_state: QuoteState | None = None


class EvidenceRecords:
    """Recording and retracting evidence. Reached as ``ledger.evidence``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def add(self, claim: str, source: str, *, stance: str, attributed_to: str | None = None,
            quote: str | None = None, prefix: str | None = None, suffix: str | None = None,
            locator: str | None = None, credibility: str | None = None,
            reason: str | None = None, occurrence: int | None = None,
            unverified_quote: bool = False) -> WriteResult:
        """Record that ``source`` supports or contradicts ``claim``.

        The claim's status is re-derived in the same write. The new evidence's id is
        ``<claim>-<n>``; the result's ``created`` is its IRI.

        :param stance: ``supports`` or ``contradicts``.
        :param attributed_to: slug of the source the statement is attributed to, if any.
        :param quote: the verbatim quote (stored as an ``oa:TextQuoteSelector``), with
            optional ``prefix`` / ``suffix`` context.
        :param credibility: Admiralty information credibility, 1–6.
        :param occurrence: which occurrence of the quote in the source's snapshot (1-based),
            for a quote found there more than once.
        :param unverified_quote: record the quote without finding it in the snapshot (it is
            marked unverified).
        :raises NotFoundError: for an unknown claim or source.
        :raises InputError: for a bad stance, credibility or text; a quote that is not in the
            source's snapshot, or found there more than once (see
            :func:`claimledger.records.quotes.plan_pin`).
        :raises RuleViolation: e.g. a document source with neither quote nor locator.
        """
        led = self.ledger
        claim_node = led.resolve("claim", claim, argument="CLAIM")
        source_node = led.resolve("source", source, argument="SOURCE")
        attributed = (led.resolve("source", attributed_to, argument="--attributed-to")
                      if attributed_to is not None else None)
        if attributed == source_node:
            raise InputError("a statement attributed to the source it was found in needs no "
                             "--attributed-to", argument="--attributed-to")
        stance_iri = V.Stance.parse(stance, argument="--supports/--contradicts")
        cred = V.Credibility.parse(str(credibility), argument="--credibility") \
            if credibility is not None else None
        for name, text in (("--quote", quote), ("--prefix", prefix), ("--suffix", suffix),
                           ("--locator", locator)):
            if text is not None:
                terms.check_text(text, argument=name, max_length=terms.MAX_LONG_TEXT
                                 if name == "--quote" else terms.MAX_TEXT)
        if (prefix is not None or suffix is not None) and quote is None:
            raise InputError("--prefix and --suffix give the context of a --quote", argument="--quote")
        # Quote pinning: a source with a snapshot must hold the quote (records/quotes.py).
        pin = quotes.plan_pin(led, source_node, source, quote, prefix=prefix, suffix=suffix,
                              occurrence=occurrence, unverified=unverified_quote)
        args = {"claim": claim, "source": source, "stance": stance, "attributed_to": attributed_to,
                "quote": quote, "prefix": prefix, "suffix": suffix, "locator": locator,
                "credibility": str(credibility) if credibility is not None else None,
                "occurrence": occurrence, "unverified_quote": unverified_quote or None}
        with led.transaction("evidence add", {k: v for k, v in args.items() if v is not None},
                             reason=reason) as tx:
            slug = led.slug(claim_node)
            n = 1 + len(tx.view.subjects(V.CLAIM_LINK, claim_node))
            node = NamedNode(f"{led.base}evidence/{slug}-{n}")
            while tx.view.exists(node):
                n += 1
                node = NamedNode(f"{led.base}evidence/{slug}-{n}")
            tx.add(node, V.TYPE, V.EVIDENCE)
            tx.add(node, V.CLAIM_LINK, claim_node)
            tx.add(node, V.SOURCE_LINK, source_node)
            tx.add(node, V.STANCE, stance_iri)
            if attributed is not None:
                tx.add(node, V.HAD_PRIMARY_SOURCE, attributed)
            if quote is not None:
                selector = NamedNode(node.value + "#quote")
                tx.add(node, V.HAS_SELECTOR, selector)
                tx.add(selector, V.TYPE, V.TEXT_QUOTE_SELECTOR)
                if pin is not None and pin.match is not None:  # the source's words, as stored
                    quote, prefix, suffix = (pin.match.exact, pin.match.prefix or None,
                                             pin.match.suffix or None)
                tx.add(selector, V.EXACT, Literal(quote))
                if prefix is not None:
                    tx.add(selector, V.PREFIX, Literal(prefix))
                if suffix is not None:
                    tx.add(selector, V.SUFFIX, Literal(suffix))
                if pin is not None:
                    quotes.write_pin(tx, node, source_node, selector, pin)
            if locator is not None:
                tx.add(node, V.LOCATOR, Literal(locator))
            if cred is not None:
                tx.add(node, V.CREDIBILITY, cred)
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            tx.claims.add(claim_node)
            tx.created = node
        return tx.result

    def retract(self, evidence_id: str, *, reason: str) -> WriteResult:
        """Retract a piece of evidence: it stays recorded but no longer counts.

        :param evidence_id: the id printed by ``evidence add`` (``<claim>-<n>``).
        """
        led = self.ledger
        node = led.resolve("evidence", evidence_id, argument="EVIDENCE")
        terms.check_text(reason, argument="--reason")
        with led.transaction("evidence retract", {"evidence": evidence_id}, reason=reason) as tx:
            if tx.view.value(node, V.RETRACTION_LINK) is not None:
                raise ConflictError(f"evidence {evidence_id!r} is already retracted",
                                    argument="EVIDENCE")
            record = NamedNode(f"{led.base}retraction/{evidence_id}")
            tx.add(record, V.TYPE, V.RETRACTION)
            tx.add(record, V.ABOUT, node)
            tx.add(record, V.REASON, Literal(reason))
            tx.add(record, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(record, V.GENERATED_AT_TIME, tx.time)
            tx.add(node, V.RETRACTION_LINK, record)
            claim = tx.view.value(node, V.CLAIM_LINK)
            if isinstance(claim, NamedNode):
                tx.claims.add(claim)
        return tx.result


def explain(ledger: LedgerCore, claim: NamedNode, evidence: list[EvidenceSummary]) -> None:
    """Say, for each piece of ``evidence`` that does not count, why: its retraction, or the
    discredited source it was found in, is attributed to, or derives from (and why that
    source was discredited)."""
    if all(e.counts for e in evidence):
        return
    facts = gather_facts(StateView(ledger.store, ChangeSet()), claim)
    lineage = corroboration.Lineage(facts.sources)
    by_slug = {ledger.slug(f.iri): f for f in facts.evidence}
    for e in evidence:
        if e.counts:
            continue
        if e.retracted is not None:
            e.not_counted = f"retracted — {e.retracted}"
            continue
        ev = by_slug.get(e.id)
        if ev is None:
            continue
        reasons = []
        for role, start in (("found in", ev.source), ("attributed to", ev.attributed)):
            if start is None:
                continue
            for src in sorted(lineage.ancestors(start), key=lambda n: n.value):
                if facts.sources[src].discredited:
                    why = next((t.object.value for d in ledger.store.triples(src, V.DISCREDITED, None)
                                for t in ledger.store.triples(d.object, V.REASON, None)), "")
                    via = "" if src == start else f" through {ledger.slug(start)}"
                    reasons.append(f"{role} discredited source {ledger.slug(src)}{via}"
                                   + (f" ({why})" if why else ""))
        e.not_counted = "; ".join(dict.fromkeys(reasons)) or None
