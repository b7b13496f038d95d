"""Claims: recording the assertions under examination, verdicts on them, reading them back.

A claim is an RDF statement (subject, predicate, object) reified as a ``cl:Claim`` with its
statement text, a confidence level (ICD 203) that the fact-checker sets, and a corroboration
status that claimledger derives from the evidence. The ledger does not assert the triple; it
records who asserted it, where, and how well that is backed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.errors import ConflictError, InputError
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult

if TYPE_CHECKING:
    from claimledger.records.evidence import EvidenceSummary
    from claimledger.records.search import ClaimFilter, Page
    from claimledger.records.verdicts import VerdictSummary

# Cases, evidence, quotes, searching and verdicts are loaded by the methods that use them:
# recording a claim, the commonest write, needs none of them (a CLI write does not pay for
# their import).

#: Lists of up to this many claims are read claim by claim; longer ones in one pass.
PER_CLAIM = 500


@dataclass
class ClaimRecord:
    """A claim as recorded, with its derived status."""

    slug: str
    iri: str
    text: str
    subject: str
    predicate: str
    object: str
    confidence: str | None
    status: str | None
    independent_origins: int
    support_origins: list[str] = field(default_factory=list)
    evidence: list[EvidenceSummary] = field(default_factory=list)
    verdicts: list[VerdictSummary] = field(default_factory=list)
    recorded_by: str | None = None
    recorded_at: str | None = None
    #: What needs a look: ``orphaned quote: <evidence>`` for a quote no longer in its page.
    flags: list[str] = field(default_factory=list)


class Claims:
    """Recording and reading claims. Reached as ``ledger.claims``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def add(self, slug: str, *, subject: str, predicate: str, text: str, object: str | None = None,
            value: str | None = None, lang: str | None = None, datatype: str | None = None,
            text_lang: str = "en", confidence: str = "low", reason: str | None = None,
            cases: Sequence[str] = ()) -> WriteResult:
        """Record a claim: the triple it asserts and the statement as made.

        Give the object as an IRI or CURIE (``object``) or as a literal (``value``, with an
        optional ``lang`` or ``datatype``). The claim starts unsourced, tagged into ``cases``.

        :raises InputError: for a bad slug, IRI, CURIE, literal or confidence.
        :raises ConflictError: if the slug is taken.
        :raises RuleViolation: e.g. confidence above low for a claim with no evidence.
        """
        led = self.ledger
        node = led.iri("claim", slug)
        s = led.expand(subject, argument="--subject")
        p = led.expand(predicate, argument="--predicate")
        if (object is None) == (value is None):
            raise InputError("give exactly one of --object (an IRI or CURIE) or --value (a literal)",
                             argument="--object")
        if object is not None:
            if lang is not None or datatype is not None:
                raise InputError("--lang and --datatype go with --value, not --object",
                                 argument="--object")
            o = led.expand(object, argument="--object")
        else:
            dt = led.expand(datatype, argument="--datatype") if datatype is not None else None
            o = terms.make_literal(value, lang=lang, datatype=dt, argument="--value")
        statement = _statement(text, text_lang)
        level = V.Confidence.parse(confidence, argument="--confidence")
        args = {"slug": slug, "subject": subject, "predicate": predicate, "object": object,
                "value": value, "lang": lang, "datatype": datatype, "text": text,
                "text_lang": text_lang, "confidence": confidence, "cases": list(cases) or None}
        with led.transaction("claim add", {k: v for k, v in args.items() if v is not None},
                             reason=reason) as tx:
            if tx.view.exists(node):
                raise ConflictError(f"claim {slug!r} already exists", argument="SLUG")
            tx.add(node, V.TYPE, V.CLAIM)
            tx.add(node, V.SUBJECT, s)
            tx.add(node, V.PREDICATE, p)
            tx.add(node, V.OBJECT, o)
            tx.add(node, V.TEXT, statement)
            tx.add(node, V.CONFIDENCE, level)
            tx.confidence_set.add(node)
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            if cases:
                from claimledger.records.cases import tag_new

                tag_new(tx, led, node, cases)
            tx.claims.add(node)
            tx.created = node
        return tx.result

    def revise(self, slug: str, new_slug: str, *, reason: str, subject: str | None = None,
               predicate: str | None = None, object: str | None = None,
               value: str | None = None, lang: str | None = None, datatype: str | None = None,
               text: str | None = None, text_lang: str | None = None,
               confidence: str | None = None) -> WriteResult:
        """Supersede a claim by a corrected version; nothing is deleted.

        The new claim takes every part not given from the old one and points to it with
        ``prov:wasRevisionOf``; the old claim gets a ``retracted`` verdict naming its successor,
        so it leaves the reports but stays in the ledger and its history. Evidence is not
        carried over: a quote that supported the old wording must be checked against the new
        one and recorded again.
        """
        led = self.ledger
        old = led.resolve("claim", slug, argument="CLAIM")
        terms.check_text(reason, argument="--reason")
        current = self.get(slug)
        view_obj = next(led.store.triples(old, V.OBJECT, None)).object
        text_term = next(led.store.triples(old, V.TEXT, None)).object
        if object is None and value is None:
            if isinstance(view_obj, Literal):
                value = view_obj.value
            else:
                object = f"<{view_obj.value}>"
        if value is not None and lang is None and datatype is None and isinstance(view_obj, Literal):
            # a corrected value keeps the old one's language or datatype unless told otherwise
            if view_obj.language:
                lang = view_obj.language
            elif view_obj.datatype != V.XSD_STRING:
                datatype = f"<{view_obj.datatype.value}>"
        subject = subject or f"<{next(led.store.triples(old, V.SUBJECT, None)).object.value}>"
        predicate = predicate or f"<{next(led.store.triples(old, V.PREDICATE, None)).object.value}>"
        text = text if text is not None else text_term.value
        text_lang = text_lang or getattr(text_term, "language", None) or "en"
        confidence = confidence or "low"
        if current.status in V.VERDICTS:
            raise ConflictError(f"claim {slug!r} is already {current.status}; revise a live claim",
                                argument="CLAIM")
        node = led.iri("claim", new_slug, argument="NEW")
        s = led.expand(subject, argument="--subject")
        p = led.expand(predicate, argument="--predicate")
        if object is not None:
            o = led.expand(object, argument="--object")
        else:
            dt = led.expand(datatype, argument="--datatype") if datatype is not None else None
            o = terms.make_literal(value, lang=lang, datatype=dt, argument="--value")
        statement = _statement(text, text_lang)
        level = V.Confidence.parse(confidence, argument="--confidence")
        with led.transaction("claim revise", {"slug": slug, "new": new_slug}, reason=reason) as tx:
            if tx.view.exists(node):
                raise ConflictError(f"claim {new_slug!r} already exists", argument="NEW")
            tx.add(node, V.TYPE, V.CLAIM)
            tx.add(node, V.SUBJECT, s)
            tx.add(node, V.PREDICATE, p)
            tx.add(node, V.OBJECT, o)
            tx.add(node, V.TEXT, statement)
            tx.add(node, V.CONFIDENCE, level)
            tx.add(node, V.WAS_REVISION_OF, old)
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            tx.confidence_set.add(node)
            from claimledger.records.verdicts import mint_verdict

            record = mint_verdict(led, tx.view, slug, old)
            tx.add(record, V.TYPE, V.VERDICT)
            tx.add(record, V.ABOUT, old)
            tx.add(record, V.RATING, V.Verdict.iri("retracted"))
            tx.add(record, V.VERDICT_VALUE, V.Status.iri("retracted"))
            tx.add(record, V.REASON, Literal(f"superseded by {new_slug}: {reason}"))
            tx.add(record, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(record, V.GENERATED_AT_TIME, tx.time)
            tx.add(old, V.VERDICT_LINK, record)
            tx.claims |= {old, node}
            tx.created = node
        return tx.result

    def set_confidence(self, slug: str, confidence: str, *, reason: str | None = None
                       ) -> WriteResult:
        """Change a claim's confidence level; the sourcing rules decide whether it may.

        :raises InputError: for a bad level, or the level it already has (nothing to record).
        :raises RuleViolation: if its sourcing or verdict does not allow that level.
        """
        led = self.ledger
        node = led.resolve("claim", slug, argument="CLAIM")
        level = V.Confidence.parse(confidence, argument="LEVEL")
        with led.transaction("claim confidence", {"slug": slug, "confidence": confidence},
                             reason=reason) as tx:
            if tx.view.value(node, V.CONFIDENCE) == level:
                raise InputError(f"the confidence of {slug!r} is already {confidence}: nothing "
                                 "to change", argument="LEVEL")
            tx.set(node, V.CONFIDENCE, level)
            tx.confidence_set.add(node)
            tx.claims.add(node)
        return tx.result

    def verdict(self, slug: str, verdict: str, *, reason: str, scale: str | None = None,
                evidence: Sequence[str] = (), supersede: bool = False) -> WriteResult:
        """Record a verdict: ``verdict`` is a rating on a verdict scale (``false``, ``mostly
        true``, ``refuted``, an outlet's own label with ``scale``), with its reason and the
        evidence that settles it. See :meth:`claimledger.records.verdicts.Verdicts.record`.

        The verdict wins over the status derived from evidence; the evidence stays recorded.
        A second verdict is refused unless ``supersede`` says it replaces the one in force.
        """
        from claimledger.records.verdicts import Verdicts

        return Verdicts(self.ledger).record(slug, verdict, reason=reason, scale=scale,
                                            evidence=evidence, supersede=supersede)

    def withdraw_verdict(self, slug: str, *, reason: str) -> WriteResult:
        """Withdraw the verdict in force (see :meth:`~claimledger.records.verdicts.Verdicts.withdraw`)."""
        from claimledger.records.verdicts import Verdicts

        return Verdicts(self.ledger).withdraw(slug, reason=reason)

    def history(self, slug: str):
        """Every version of the claim, from the audit trail (see :mod:`claimledger.history`)."""
        from claimledger.query.history import claim_history

        return claim_history(self.ledger, self.ledger.resolve("claim", slug, argument="CLAIM"))

    # -- reading -------------------------------------------------------------------------
    def get(self, slug: str) -> ClaimRecord:
        """The claim named ``slug``, with its evidence and verdicts.

        :raises NotFoundError: if there is none.
        """
        led = self.ledger
        node = led.resolve("claim", slug, argument="CLAIM")
        rows = list(led.store.query(resources.query("claim-list"), {"claim": node}))
        record = self._record(rows[0])
        self._details([record])
        from claimledger.records.quotes import quote_states

        states = {led.slug(ev): state for ev, state in quote_states(led, node).items()}
        for e in record.evidence:
            e.quote_state = states.get(e.id)
            if e.quote_state is not None and e.quote_state.status == "orphaned":
                record.flags.append(f"orphaned quote: {e.id}")
        return record

    def list(self, *, status: str | None = None, confidence: str | None = None,
             limit: int | None = None, offset: int = 0, details: bool = False,
             **filters: str | None) -> list[ClaimRecord]:
        """Claims by slug, optionally filtered (see :class:`~claimledger.records.search.ClaimFilter`
        for ``text``, ``source``, ``origin``, ``recorded_from`` … ``case``) and paged.

        :param details: also read each claim's evidence and verdicts.
        """
        from claimledger.records.search import ClaimFilter

        wanted = ClaimFilter(status=status, confidence=confidence, **filters)
        return self.page(wanted, limit=limit, offset=offset, details=details).items

    def page(self, wanted: ClaimFilter, *, limit: int | None = None, offset: int = 0,
             details: bool = False) -> Page:
        """The page of claims ``wanted`` keeps, from ``offset``, at most ``limit`` of them.

        :raises InputError: for a bad filter value, limit or offset.
        :raises NotFoundError: for an unknown source, origin, agent or case.
        """
        from claimledger.records.search import Page, find_claims

        led = self.ledger
        query = resources.query("claim-list")
        keep = None
        if wanted.empty and limit is None and offset == 0:
            rows = led.store.query(query)  # every claim, in one pass
            more = False
        else:
            claims, more = find_claims(led, wanted, limit=limit, offset=offset)
            if len(claims) <= PER_CLAIM:
                rows = (row for claim in claims
                        for row in led.store.query(query, {"claim": claim}))
            else:
                keep = set(claims)
                rows = led.store.query(query)
        seen: dict[NamedNode, ClaimRecord] = {}
        for row in rows:
            claim = row["claim"]
            if claim in seen or (keep is not None and claim not in keep):
                continue  # a second statement text (another language), or not wanted
            seen[claim] = self._record(row)
        records = sorted(seen.values(), key=lambda r: r.iri)
        if details:
            self._details(records)
        return Page(records, offset, limit, more)

    def _details(self, records: list[ClaimRecord]) -> None:
        from claimledger.records.evidence import explain
        from claimledger.records.verdicts import Verdicts

        led = self.ledger
        verdicts = Verdicts(led)
        by_iri = {r.iri: r for r in records}
        if len(records) <= PER_CLAIM:
            for r in records:
                node = NamedNode(r.iri)
                r.evidence = [self._evidence(row) for row in
                              led.store.query(resources.query("claim-evidence"), {"claim": node})]
                r.verdicts = verdicts.of(node)
                explain(led, node, r.evidence)
            return
        for row in led.store.query(resources.query("claim-evidence")):
            record = by_iri.get(row["claim"].value)
            if record is not None:
                record.evidence.append(self._evidence(row))
        for record in records:
            if any(True for _ in led.store.triples(NamedNode(record.iri), V.VERDICT_LINK, None)):
                record.verdicts = verdicts.of(NamedNode(record.iri))
            if any(not e.counts for e in record.evidence):
                explain(led, NamedNode(record.iri), record.evidence)

    def _record(self, row) -> ClaimRecord:
        led = self.ledger
        origins = row["origins"]
        support = row["support"]
        return ClaimRecord(
            slug=led.slug(row["claim"]),
            iri=row["claim"].value,
            text=row["text"].value,
            subject=led.compact(row["s"]),
            predicate=led.compact(row["p"]),
            object=_show_object(led, row["o"]),
            confidence=V.Confidence.label(row["confidence"]),
            status=V.Status.label(row["status"]),
            independent_origins=int(origins.value) if origins is not None else 0,
            support_origins=sorted(led.slug(NamedNode(v)) for v in support.value.split(" ")
                                   ) if support is not None and support.value else [],
            recorded_by=led.compact(row["by"]) if row["by"] is not None else None,
            recorded_at=row["at"].value if row["at"] is not None else None,
        )

    def _evidence(self, row) -> EvidenceSummary:
        from claimledger.records.evidence import EvidenceSummary

        led = self.ledger
        origins = row["origins"]
        return EvidenceSummary(
            id=led.slug(row["evidence"]),
            stance=V.Stance.label(row["stance"]) or "",
            source=led.slug(row["source"]),
            attributed_to=led.slug(row["attributed"]) if row["attributed"] is not None else None,
            quote=row["quote"].value if row["quote"] is not None else None,
            locator=row["locator"].value if row["locator"] is not None else None,
            credibility=V.Credibility.label(row["credibility"]),
            origins=sorted(led.slug(NamedNode(v)) for v in origins.value.split(" ")
                           ) if origins is not None and origins.value else [],
            counts=row["counts"] is not None and row["counts"].value == "true",
            retracted=row["retracted"].value if row["retracted"] is not None else None,
            recorded_by=led.compact(row["by"]) if row["by"] is not None else None,
            recorded_at=row["at"].value if row["at"] is not None else None,
            prefix=row["prefix"].value if row["prefix"] is not None else None,
            suffix=row["suffix"].value if row["suffix"] is not None else None,
        )


def _statement(text: str, lang: str) -> Literal:
    """The statement as a literal in its language (long: up to :data:`terms.MAX_LONG_TEXT`).

    :raises InputError: naming --text, or --text-lang for a bad language tag.
    """
    long = terms.MAX_LONG_TEXT
    return terms.make_literal(terms.check_text(text, argument="--text", max_length=long),
                              lang=lang, argument="--text", lang_argument="--text-lang",
                              max_length=long)


def _show_object(ledger: LedgerCore, term) -> str:
    if isinstance(term, Literal):
        if term.language:
            return f"{term.value!r}@{term.language}"
        if term.datatype != V.XSD_STRING:
            return f"{term.value!r}^^{ledger.compact(term.datatype)}"
        return repr(term.value)
    return ledger.compact(term)
